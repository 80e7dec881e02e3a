/*
 * cmd_render: `limber render NAME|FILE -o session.wav [--timeline FILE]`
 * writes the whole session offline.
 */
#include "cmd.h"

#include "duration.h"
#include "log.h"
#include "render.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void render_usage(FILE *f)
{
	fputs("usage: limber render NAME|FILE -o OUT.wav [--timeline EVENTS.tsv] [--voice NAME]\n"
	      "                     [--rate HZ] [--evening]\n"
	      "Write the whole session (speech and chimes) to a WAV file, far faster than\n"
	      "real time. The timeline lists every event with its exact start time.\n"
	      "  --rate HZ  sample rate of the file; default eSpeak NG's own (22050), which\n"
	      "             spares resampling the speech; 48000 keeps the chimes' top octave\n"
	      "  --evening  wind down: speech slows and quietens and chimes soften over the\n"
	      "             session (always on for routines marked `when: evening`)\n",
	      f);
}

int cmd_render(int argc, char **argv)
{
	static const struct option opts[] = { { "output", required_argument, NULL, 'o' },
					      { "timeline", required_argument, NULL, 't' },
					      { "voice", required_argument, NULL, 'v' },
					      { "rate", required_argument, NULL, 'r' },
					      { "evening", no_argument, NULL, 'e' },
					      { "help", no_argument, NULL, 'h' },
					      { 0, 0, 0, 0 } };
	struct engine_opts eo = { NULL, 0, 0, 0 };
	const char *out = NULL, *tl = NULL;
	char err[LIMBER_ERR_LEN], t[16];
	struct render_stats st = { 0 };
	struct timespec t0, t1;
	struct library lib;
	struct engine e;
	double secs;
	int c, rc;

	while ((c = getopt_long(argc, argv, "o:t:v:r:eh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 't':
			tl = optarg;
			break;
		case 'v':
			eo.voice = optarg;
			break;
		case 'e':
			eo.evening = 1;
			break;
		case 'r':
			eo.rate = (unsigned)strtoul(optarg, NULL, 10);
			if (eo.rate < 8000 || eo.rate > 192000) {
				log_err("--rate %s: give a sample rate from 8000 to 192000",
					optarg);
				return 2;
			}
			break;
		case 'h':
			render_usage(stdout);
			return 0;
		default:
			render_usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc || !out) {
		render_usage(stderr);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (cmd_open(&lib, &e, argv[optind], &eo) < 0)
		return 1;
	rc = engine_start(&e, eo.rate, err);
	if (rc == 0)
		rc = render_run(&e, out, tl, &st, err);
	if (rc < 0) {
		log_err("%s", err);
	} else {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		duration_format((int64_t)(st.frames * 1000 / e.rate), t, sizeof(t));
		fprintf(stderr, "%s: %s of audio in %.2f s (%.0fx real time)%s%s\n", out, t, secs,
			(double)st.frames / e.rate / (secs > 0 ? secs : 1e-9), tl ? ", timeline " : "",
			tl ? tl : "");
	}
	engine_done(&e);
	library_done(&lib);
	return rc < 0 ? 1 : 0;
}

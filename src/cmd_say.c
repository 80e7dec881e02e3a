/*
 * cmd_say: `limber say TEXT...` speaks text on the audio device, through the
 * same engine and player as a session. It checks a speaker from a shell,
 * and it is how the daemon speaks its menu: in a child that holds the
 * device only while it talks.
 */
#include "cmd.h"

#include "duration.h"
#include "log.h"

#include "engine.h"
#include "player.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void say_usage(FILE *f)
{
	fputs("usage: limber say [--device TEXT] [--voice NAME] [--latency MS] [--volume DB]\n"
	      "                 TEXT...\n"
	      "Speak TEXT on the audio device (a way to check the speaker).\n"
	      "  --device TEXT  an output whose device or host API name contains TEXT\n"
	      "  --voice NAME   a voice profile (default calm)\n"
	      "  --latency MS   output latency to ask for (default 40)\n"
	      "  --volume DB    this many decibels louder or softer (-40 to 6)\n"
	      "  --lead-in D    this long quiet first; --lead-in-tone: a soft tone first\n",
	      f);
}

int cmd_say(int argc, char **argv)
{
	static const struct option opts[] = { { "device", required_argument, NULL, 'd' },
					      { "voice", required_argument, NULL, 'v' },
					      { "latency", required_argument, NULL, 'l' },
					      { "quiet", no_argument, NULL, 'q' },
					      { "volume", required_argument, NULL, 'V' },
					      { "lead-in", required_argument, NULL, 'L' },
					      { "lead-in-tone", no_argument, NULL, 'T' },
					      { "help", no_argument, NULL, 'h' },
					      { 0, 0, 0, 0 } };
	/* No argv: a lost device ends a sentence, it does not restart it. */
	struct player_opts po = { .latency = 0.040, .keys_fd = -1 };
	struct engine_opts eo = { NULL, 0, 0, 0 };
	char err[LIMBER_ERR_LEN];
	struct library lib;
	struct engine e;
	struct sbuf text;
	int c, rc, tone = 0;
	int64_t lead_ms = 0;

	while ((c = getopt_long(argc, argv, "d:v:l:qhV:L:T", opts, NULL)) != -1) {
		int taken = cmd_player_option(c, optarg, &po);

		if (taken < 0)
			return 2;
		if (taken)
			continue;
		switch (c) {
		case 'v':
			eo.voice = optarg;
			break;
		case 'L':   /* as `run --lead-in`: the daemon's menu lines get it too */
			if (duration_parse(optarg, &lead_ms, err) < 0 || lead_ms > 5000) {
				log_err("--lead-in %s: give a duration up to 5s", optarg);
				return 2;
			}
			break;
		case 'T':
			tone = 1;
			break;
		case 'q':
			po.quiet = 1;   /* stopped by a signal: stop mid-word, say nothing more */
			break;
		case 'h':
			say_usage(stdout);
			return 0;
		default:
			say_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		say_usage(stderr);
		return 2;
	}
	sbuf_init(&text);
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			sbuf_add(&text, " ");
		sbuf_add(&text, argv[i]);
	}
	if (library_init(&lib, err) < 0) {
		log_err("%s", err);
		sbuf_done(&text);
		return 1;
	}
	rc = engine_load_text(&e, &lib, text.s, &eo, err);
	sbuf_done(&text);
	if (rc == 0) {
		engine_lead_in(&e, lead_ms, tone);
		rc = player_run(&e, &po, err);
	}
	if (rc < 0)
		log_err("%s", err);
	if (e.routine)
		engine_done(&e);
	library_done(&lib);
	return rc < 0 ? 1 : 0;
}

/*
 * cmd_run: `limber run NAME|FILE` plays a routine on the audio device now,
 * controlled from the terminal. Without a terminal it plays to the end.
 */
#include "cmd.h"

#include "keys.h"
#include "player.h"
#include "util.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static struct termios run_saved;
static int run_raw;

static void run_restore(void)
{
	if (run_raw)
		keys_restore(STDIN_FILENO, &run_saved);
	run_raw = 0;
}

static void run_usage(FILE *f)
{
	fputs("usage: limber run NAME|FILE [--device TEXT] [--latency MS] [--timeline FILE]\n"
	      "                  [--voice NAME] [--evening] [--input FILE] [--volume DB]\n"
	      "Play a routine now. Keys: space pause/resume, n or right arrow next step,\n"
	      "p or left arrow previous, r repeat the instructions, w where am I, e ten more\n"
	      "seconds, + and - volume, q quit, ? the keys, spoken.\n"
	      "  --device TEXT  an output whose device or host API name contains TEXT\n"
	      "                 (see `limber devices`); default: the system default\n"
	      "  --latency MS   output latency to ask for (default 40)\n"
	      "  --timeline F   write the events as they were played\n"
	      "  --input FILE   read keys from FILE (a FIFO, say) instead of the terminal\n"
	      "  --volume DB    start this many decibels louder or softer (-40 to 6)\n",
	      f);
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = { { "device", required_argument, NULL, 'd' },
					      { "latency", required_argument, NULL, 'l' },
					      { "timeline", required_argument, NULL, 't' },
					      { "voice", required_argument, NULL, 'v' },
					      { "evening", no_argument, NULL, 'e' },
					      { "input", required_argument, NULL, 'i' },
					      { "continue", required_argument, NULL, 'c' },
					      { "volume", required_argument, NULL, 'V' },
					      { "help", no_argument, NULL, 'h' },
					      { 0, 0, 0, 0 } };
	struct player_opts po = { .latency = 0.040, .keys_fd = -1, .status = stdout,
				  .argv = cmd_program_argv, .before_exec = run_restore };
	struct engine_opts eo = { NULL, 0, 0 };
	const char *input = NULL;
	char err[LIMBER_ERR_LEN];
	struct library lib;
	struct engine e;
	int c, rc;

	while ((c = getopt_long(argc, argv, "d:l:t:v:ei:c:hV:", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			po.device = optarg;
			break;
		case 'l':
			po.latency = strtod(optarg, NULL) / 1000.0;
			if (po.latency < 0.001 || po.latency > 2.0) {
				fprintf(stderr, "limber: --latency %s: give milliseconds, 1 to 2000\n",
					optarg);
				return 2;
			}
			break;
		case 't':
			po.timeline = optarg;
			break;
		case 'v':
			eo.voice = optarg;
			break;
		case 'e':
			eo.evening = 1;
			break;
		case 'i':
			input = optarg;
			break;
		case 'c': {
			/* Internal: the player lost its device and started again here. */
			char *end;
			unsigned long long s = strtoull(optarg, &end, 10), o = 0;

			if (*end == ':')
				o = strtoull(end + 1, &end, 10);
			if (*end || !o) {
				fprintf(stderr, "limber: --continue takes SESSION:OUTPUT frames\n");
				return 2;
			}
			po.resume = 1;
			po.resume_session = s;
			po.resume_output = o;
			break;
		}
		case 'V': {
			char *end;
			long db = strtol(optarg, &end, 10);

			if (*end || db < -40 || db > 6) {
				fprintf(stderr, "limber: --volume %s: give decibels, -40 to 6\n", optarg);
				return 2;
			}
			po.volume_db = (int)db;
			break;
		}
		case 'h':
			run_usage(stdout);
			return 0;
		default:
			run_usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		run_usage(stderr);
		return 2;
	}
	if (cmd_open(&lib, &e, argv[optind], &eo) < 0)
		return 1;
	if (input) {
		po.keys_fd = open(input, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (po.keys_fd < 0) {
			fprintf(stderr, "limber: --input %s: cannot open\n", input);
			engine_done(&e);
			library_done(&lib);
			return 1;
		}
	} else if (keys_raw(STDIN_FILENO, &run_saved) == 0) {
		run_raw = 1;
		atexit(run_restore);
		po.keys_fd = STDIN_FILENO;
	}
	rc = player_run(&e, &po, err);
	run_restore();
	if (input)
		close(po.keys_fd);
	if (rc < 0)
		fprintf(stderr, "limber: %s\n", err);
	engine_done(&e);
	library_done(&lib);
	return rc < 0 ? 1 : 0;
}

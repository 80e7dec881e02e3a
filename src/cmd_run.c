/*
 * cmd_run: `limber run NAME|FILE` plays a routine on the audio device now,
 * controlled from the terminal. Without a terminal it plays to the end.
 * Every session goes into the history (history.h): begun before the first
 * sound, each step as it is finished, how it ended; `--resume` goes on
 * from the step an interrupted session was cut in.
 */
#include "cmd.h"

#include "history.h"
#include "keys.h"
#include "player.h"
#include "util.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
	      "                  [--step N] [--state-dir DIR] [--brief]\n"
	      "       limber run --resume [NAME]\n"
	      "Play a routine now. Keys: space pause/resume, n or right arrow next step,\n"
	      "p or left arrow previous, r repeat the instructions, w where am I, e ten more\n"
	      "seconds, + and - volume, q quit, ? the keys, spoken.\n"
	      "  --device TEXT  an output whose device or host API name contains TEXT\n"
	      "                 (see `limber devices`); default: the system default\n"
	      "  --latency MS   output latency to ask for (default 40)\n"
	      "  --timeline F   write the events as they were played\n"
	      "  --input FILE   read keys from FILE (a FIFO, say) instead of the terminal\n"
	      "  --volume DB    start this many decibels louder or softer (-40 to 6)\n"
	      "  --step N       begin at step N\n"
	      "  --resume       go on from where the last interrupted session (of NAME) was cut\n"
	      "  --state-dir D  the history's directory (default $XDG_STATE_HOME/limber)\n"
	      "  --brief        a routine finished 5 times or more gets short instructions:\n"
	      "                 the step's name and the first sentence\n"
	      "  --ask-pain     ask for a pain rating at the end even without a terminal\n",
	      f);
}

/* The history of this session, fed by the player's events. */
struct run_history {
	struct history *h;
	int64_t id;
	const struct routine *r;
	int advised;     /* progression advice is in this session's closing words */
	int warned;
};

static void rh_warn(struct run_history *rh, const char *err)
{
	if (!rh->warned++)
		fprintf(stderr, "limber: %s; the session plays on, but is not recorded\n", err);
}

static void rh_step_done(void *ctx, int step)
{
	struct run_history *rh = ctx;
	char err[LIMBER_ERR_LEN];

	if (history_step(rh->h, rh->id, step, (int64_t)time(NULL), err) < 0)
		rh_warn(rh, err);
}

static void rh_ended(void *ctx, enum player_end how)
{
	static const enum history_how map[] = { HOW_FINISHED, HOW_STOPPED, HOW_INTERRUPTED };
	struct run_history *rh = ctx;
	char err[LIMBER_ERR_LEN];

	if (history_end(rh->h, rh->id, map[how], (int64_t)time(NULL), err) < 0)
		rh_warn(rh, err);
	if (how == PLAYER_FINISHED && rh->advised)
		history_advice_mark(rh->h, rh->r->area, routine_level_name(rh->r->level),
				    (int64_t)time(NULL));
}

static void rh_pain(void *ctx, int rating)
{
	struct run_history *rh = ctx;
	char err[LIMBER_ERR_LEN];

	if (history_pain(rh->h, rh->id, rating, err) < 0)
		rh_warn(rh, err);
}

/* The guides' progression, said once at the end of a session that earns it. */
static void run_advice(struct run_history *rh, struct engine *e)
{
	const char *level = routine_level_name(e->routine->level), *next = history_next_level(level);
	char area[64], n_s[16];
	const char *vars[] = { "area", area, "level", level, "n", n_s, "next", next, NULL };
	struct sbuf b;
	int days;

	if (!next || !history_ready(rh->h, e->routine->area, level, (int64_t)time(NULL), 1, &days) ||
	    history_advice_given(rh->h, e->routine->area, level))
		return;
	snprintf(area, sizeof(area), "%s", e->routine->area);
	for (char *c = area; *c; c++)
		if (*c == '-')
			*c = ' ';
	snprintf(n_s, sizeof(n_s), "%d", days);
	sbuf_init(&b);
	sbuf_add(&b, "");
	plan_fill(voice_phrase(e->voice, PH_READY), vars, &b);
	plan_append_say(&e->plan, b.s);
	sbuf_done(&b);
	rh->advised = 1;
}

/*
 * The argv a player restarts itself with after losing its device: a resumed
 * session goes on as the step it began at, not as "--resume" (which would
 * find nothing left to resume).
 */
static char **run_reexec_argv(char **argv, const char *name, const char *routine, char *step_s)
{
	size_t n = 0, k = 0;
	char **av;

	while (argv[n])
		n++;
	av = util_xcalloc(n + 5, sizeof(*av));
	for (size_t i = 0; i < n; i++)
		if (strcmp(argv[i], "--resume") != 0 && argv[i] != name)
			av[k++] = argv[i];
	av[k++] = "--step";
	av[k++] = step_s;
	av[k++] = (char *)routine;   /* no "--": the player appends --continue after it */
	return av;
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
					      { "step", required_argument, NULL, 's' },
					      { "resume", no_argument, NULL, 'R' },
					      { "state-dir", required_argument, NULL, 'S' },
					      { "brief", no_argument, NULL, 'b' },
					      { "ask-pain", no_argument, NULL, 'a' },
					      { "help", no_argument, NULL, 'h' },
					      { 0, 0, 0, 0 } };
	struct player_opts po = { .latency = 0.040, .keys_fd = -1, .status = stdout,
				  .argv = cmd_program_argv, .before_exec = run_restore };
	struct engine_opts eo = { NULL, 0, 0, 0 };
	struct run_history rh = { NULL, 0, NULL, 0, 0 };
	struct player_events events = { &rh, rh_step_done, rh_ended, rh_pain };
	struct history_session resumed;
	const char *input = NULL, *state_dir = NULL, *routine = NULL, *hid;
	char err[LIMBER_ERR_LEN], dir[4096], step_s[16], **reexec = NULL;
	int c, rc, resume = 0, ask_pain = 0, brief = 0;
	struct library lib;
	struct engine e;

	while ((c = getopt_long(argc, argv, "d:l:t:v:ei:c:V:s:RS:bah", opts, NULL)) != -1) {
		int taken = cmd_player_option(c, optarg, &po);

		if (taken < 0)
			return 2;
		if (taken)
			continue;
		switch (c) {
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
			unsigned long long s = strtoull(optarg, &end, 10), o = 0, k = 0, f = 0;

			if (*end == ':')
				o = strtoull(end + 1, &end, 10);
			if (*end == ':')   /* the skips so far, so the closing line counts them all */
				k = strtoull(end + 1, &end, 10);
			if (*end == ':')
				f = strtoull(end + 1, &end, 10);
			if (*end || !o) {
				fprintf(stderr, "limber: --continue takes SESSION:OUTPUT[:SKIPS:FRAMES]\n");
				return 2;
			}
			po.resume = 1;
			po.resume_session = s;
			po.resume_output = o;
			po.resume_skips = (uint32_t)k;
			po.resume_skipped = f;
			break;
		}
		case 's': {
			char *end;
			long step = strtol(optarg, &end, 10);

			if (*end || step < 1 || step > 10000) {
				fprintf(stderr, "limber: --step %s: give a step number from 1\n", optarg);
				return 2;
			}
			po.start_step = (int)step;
			break;
		}
		case 'R':
			resume = 1;
			break;
		case 'S':
			state_dir = optarg;
			break;
		case 'b':
			brief = 1;
			break;
		case 'a':
			ask_pain = 1;
			break;
		case 'h':
			run_usage(stdout);
			return 0;
		default:
			run_usage(stderr);
			return 2;
		}
	}
	if (optind + 1 < argc || (optind + 1 != argc && !resume)) {
		run_usage(stderr);
		return 2;
	}
	routine = optind < argc ? argv[optind] : NULL;

	/* The history: a warning, not the end, if it cannot be kept (read-only, full). */
	if (!state_dir) {
		history_default_dir(dir, sizeof(dir));
		state_dir = dir;
	}
	if (history_open(state_dir, &rh.h, err) < 0) {
		if (resume) {
			fprintf(stderr, "limber: %s: cannot resume\n", err);
			return 1;
		}
		fprintf(stderr, "limber: %s; the session plays, but is not recorded\n", err);
	}
	if (resume) {
		rc = history_resumable(rh.h, routine, &resumed, err);
		if (rc <= 0) {
			if (rc < 0)
				fprintf(stderr, "limber: %s\n", err);
			else
				fprintf(stderr, "limber: no interrupted session%s%s to resume\n",
					routine ? " of " : "", routine ? routine : "");
			history_close(rh.h);
			return 1;
		}
		routine = resumed.routine;
		po.start_step = resumed.last_step + 1;
		fprintf(stderr, "limber: resuming %s at step %d of %d\n", routine, po.start_step,
			resumed.steps);
		snprintf(step_s, sizeof(step_s), "%d", po.start_step);
		reexec = run_reexec_argv(cmd_program_argv, optind < argc ? argv[optind] : NULL, routine,
					 step_s);
		po.argv = reexec;
	}
	/* Adaptive verbosity: a routine this person knows gets its short form. */
	if (brief && rh.h && history_finished(rh.h, routine) >= HISTORY_BRIEF_AFTER)
		eo.brief = 1;
	if (cmd_open(&lib, &e, routine, &eo) < 0) {
		history_close(rh.h);
		return 1;
	}
	if (input) {
		po.keys_fd = open(input, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (po.keys_fd < 0) {
			fprintf(stderr, "limber: --input %s: cannot open\n", input);
			history_close(rh.h);
			engine_done(&e);
			library_done(&lib);
			free(reexec);
			return 1;
		}
	} else if (keys_raw(STDIN_FILENO, &run_saved) == 0) {
		run_raw = 1;
		atexit(run_restore);
		po.keys_fd = STDIN_FILENO;
	}
	rh.r = e.routine;
	if (rh.h) {
		/* A player that restarted itself (po.resume) goes on with the same row. */
		hid = getenv("LIMBER_HISTORY_ID");
		if (po.resume && hid && (rh.id = strtoll(hid, NULL, 10)) > 0) {
			po.events = &events;
		} else {
			run_advice(&rh, &e);
			rh.id = history_begin(rh.h, routine, e.routine->name, e.routine->area,
					      routine_level_name(e.routine->level), (int)e.routine->nsteps,
					      resume ? resumed.id : 0, (int64_t)time(NULL), err);
			if (rh.id < 0) {
				fprintf(stderr, "limber: %s; the session plays, but is not recorded\n", err);
			} else {
				char id_s[32];

				snprintf(id_s, sizeof(id_s), "%lld", (long long)rh.id);
				setenv("LIMBER_HISTORY_ID", id_s, 1);
				po.events = &events;
			}
		}
	}
	po.ask_pain = po.events && (run_raw || ask_pain);
	rc = player_run(&e, &po, err);
	run_restore();
	if (input)
		close(po.keys_fd);
	if (rc < 0)
		fprintf(stderr, "limber: %s\n", err);
	if (rc < 0 && po.events)   /* never heard, or cut off: resumable */
		rh_ended(&rh, PLAYER_INTERRUPTED);
	history_close(rh.h);
	engine_done(&e);
	library_done(&lib);
	free(reexec);
	return rc < 0 ? 1 : 0;
}

/*
 * cmd_run: `limber run NAME|FILE` plays a routine on the audio device now,
 * controlled from the terminal. Without a terminal it plays to the end.
 * Every session goes into the history (history.h): begun when the first
 * sound goes to the device (a start that never made a sound is not
 * history), each step as it is finished, how it ended; `--resume` goes on
 * from the step an interrupted session was cut in. Before the first
 * session on a device it says when to see a doctor; a routine that bends
 * deeply, in the morning, gets the guides' caution; with no NAME in a
 * terminal it asks where it hurts (run_choose).
 */
#include "cmd.h"

#include "config.h"
#include "dmenu.h"
#include "duration.h"
#include "dwords.h"
#include "guide.h"
#include "history.h"
#include "keys.h"
#include "log.h"
#include "player.h"
#include "render.h"
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
	      "                  [--step N] [--state-dir DIR] [--brief] [--lead-in DURATION]\n"
	      "                  [--lead-in-tone] [--morning-until HH:MM] [--no-red-flags] [--timer]\n"
	      "       limber run --resume [NAME]\n"
	      "       limber run              (in a terminal: where does it hurt? then its routine)\n"
	      "Play a routine now. Keys: space pause/resume, n or right arrow next step,\n"
	      "p or left arrow previous, r repeat the instructions, w where am I, e ten more\n"
	      "seconds, + and - volume, s when to see a doctor, q quit, ? the keys, spoken.\n"
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
	      "  --ask-pain     ask for a pain rating at the end even without a terminal\n"
	      "  --lead-in D    this long quiet before the first word (a speaker that sleeps)\n"
	      "  --lead-in-tone a soft tone before the first word, after the lead-in\n"
	      "  --morning-until HH:MM  a routine that bends deeply, started from 4:00 until\n"
	      "                 then, begins with the guides' caution (default 10:00; 00:00: never)\n"
	      "  --no-red-flags not even before the first session here: when to see a doctor\n"
	      "  --timer        a day-plan timer's start: with no key or pain rating, the\n"
	      "                 finished session is recorded as unheard (no streak, no level)\n"
	      "                 (for a run compared with its render, as the tests do)\n",
	      f);
}

/* The history of this session, fed by the player's events. */
struct run_history;
static void rh_warn(struct run_history *rh, const char *err);
struct run_history {
	struct history *h;
	int64_t id;      /* 0 until the first sound */
	const struct routine *r;
	const char *routine;
	int64_t resumed_from;
	int advised;     /* progression advice is in this session's closing words */
	int warned;
	int timer;       /* --timer: a day-plan timer started it, perhaps in an empty room */
	int answered;    /* a key or a pain rating came: someone is there */
};

/*
 * The stream is open with the first sound in it: now the session is history.
 * A start with no device never gets here, so it leaves nothing to resume.
 */
static void rh_begun(void *ctx)
{
	struct run_history *rh = ctx;
	char err[LIMBER_ERR_LEN], id_s[32];

	if (!rh->h || rh->id)
		return;   /* not recorded, or a restarted player's row goes on */

	rh->id = history_begin(rh->h, rh->routine, rh->r->name, rh->r->area,
			       routine_level_name(rh->r->level), (int)rh->r->nsteps, rh->resumed_from,
			       (int64_t)time(NULL), err);
	if (rh->id < 0) {
		rh->id = 0;
		rh_warn(rh, err);
		return;
	}
	/* A player that restarts itself (a lost device) goes on with this row. */
	snprintf(id_s, sizeof(id_s), "%lld", (long long)rh->id);
	setenv("LIMBER_HISTORY_ID", id_s, 1);
}

static void rh_warn(struct run_history *rh, const char *err)
{
	if (!rh->warned++)
		log_warn("%s; the session plays on, but is not recorded", err);
}

static void rh_step_done(void *ctx, int step)
{
	struct run_history *rh = ctx;
	char err[LIMBER_ERR_LEN];

	if (rh->id && history_step(rh->h, rh->id, step, (int64_t)time(NULL), err) < 0)
		rh_warn(rh, err);
}

static void rh_answered(void *ctx)
{
	((struct run_history *)ctx)->answered = 1;
}

/*
 * A timer's session that nobody answered (no key, no press, no pain rating)
 * played perhaps to an empty room: it is recorded, but as unheard, which the
 * streak, the levels and the evening's choice do not count.
 */
static void rh_ended(void *ctx, enum player_end how)
{
	static const enum history_how map[] = { HOW_FINISHED, HOW_STOPPED, HOW_INTERRUPTED };
	struct run_history *rh = ctx;
	enum history_how hh = map[how];
	char err[LIMBER_ERR_LEN];

	if (!rh->id)
		return;   /* never heard: not history */
	if (hh == HOW_FINISHED && rh->timer && !rh->answered)
		hh = HOW_UNHEARD;
	if (history_end(rh->h, rh->id, hh, (int64_t)time(NULL), err) < 0)
		rh_warn(rh, err);
	if (hh == HOW_FINISHED && rh->advised)
		history_advice_mark(rh->h, rh->r->area, routine_level_name(rh->r->level),
				    (int64_t)time(NULL));
}

static void rh_pain(void *ctx, int rating)
{
	struct run_history *rh = ctx;
	char err[LIMBER_ERR_LEN];

	rh->answered = 1;
	if (rh->id && history_pain(rh->h, rh->id, rating, err) < 0)
		rh_warn(rh, err);
}

/* Is there a routine of area at level to move on to? (Only then is it advised.) */
static int run_level_exists(const struct library *lib, const char *area, const char *level)
{
	struct library_entry *le;
	struct guide_catalog cat;
	size_t n;
	char names[256];
	int found;

	library_list(lib, &le, &n);
	guide_catalog_load(&cat, lib, le, n);
	found = history_routines_at(cat.hr, cat.nhr, area, level, names, sizeof(names)) > 0;
	guide_catalog_done(&cat);
	library_entries_free(le, n);
	return found;
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
	    history_advice_given(rh->h, e->routine->area, level) ||
	    !run_level_exists(e->lib, e->routine->area, next))
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
 * What is said before the routine: when to see a doctor, before the first
 * session on this device (or when there is no history to tell), with what the
 * chimes mean, and the guides' caution for a routine that bends deeply, in the morning (said,
 * and printed: a terminal user chose the routine, so it goes on). A player
 * that restarted itself says what the one before it did (LIMBER_OPENING),
 * or its fast-forward would land elsewhere.
 */
static void run_opening(struct engine *e, const struct player_opts *po, struct history *h,
			int morning_until, int no_flags)
{
	const char *was = getenv("LIMBER_OPENING");
	int safety, caution;

	if (po->resume && was) {
		safety = strchr(was, 's') != NULL;
		caution = strchr(was, 'c') != NULL;
	} else {
		safety = !no_flags && (!h || !history_any(h));
		caution = e->routine->morning_caution &&
			  guide_is_morning((int64_t)time(NULL), morning_until);
		setenv("LIMBER_OPENING", safety ? (caution ? "sc" : "s") : (caution ? "c" : "-"), 1);
	}
	/* A newcomer has never heard the chimes: what they mean, after the red flags. */
	if (safety)
		engine_say_first(e, voice_phrase(e->voice, PH_CHIMES));
	if (caution) {
		struct library_entry *le;
		struct guide_catalog cat;
		size_t n;
		int m;
		const char *vars[] = { "morning", "gentle movement only", NULL };
		struct sbuf b;

		library_list(e->lib, &le, &n);
		guide_catalog_load(&cat, e->lib, le, n);
		if ((m = guide_morning(&cat)) >= 0)
			vars[1] = cat.r[m].title;
		sbuf_init(&b);
		sbuf_add(&b, "");
		plan_fill(voice_phrase(e->voice, PH_MORNING_CAUTION), vars, &b);
		util_squeeze_space(b.s);
		log_notice("%s%s%s%s", b.s, m >= 0 ? " (" : "", m >= 0 ? cat.r[m].name : "",
			m >= 0 ? ")" : "");
		engine_say_first(e, b.s);
		sbuf_done(&b);
		guide_catalog_done(&cat);
		library_entries_free(le, n);
	}
	if (safety) {
		engine_say_first(e, voice_phrase(e->voice, PH_SAFETY));
		printf("limber: the first session here: first, when to see a doctor. %s\n",
		       cmd_red_flags);
		fflush(stdout);
	}
}

/*
 * No audio output at all, and none asked for by name: the session goes to a
 * WAV file instead, as scripts/try did, and the terminal says where. It is not
 * history: nobody heard it. ${TMPDIR:-/tmp}/limber-lower-back-beginner.wav for
 * a NAME, limber-FILE.wav for a file.
 */
static int run_to_file(struct engine *e, const char *routine, int start_step, const char *timeline,
		       char *err)
{
	const char *tmp = getenv("TMPDIR"), *slash = strrchr(routine, '/');
	size_t n = strlen(routine);
	struct render_stats st = { 0 };
	char path[4096], tag[256], t[16];

	if (n > 5 && !strcmp(routine + n - 5, ".yaml"))
		snprintf(tag, sizeof(tag), "%.*s", (int)(n - 5 - (slash ? (size_t)(slash + 1 - routine) : 0)),
			 slash ? slash + 1 : routine);
	else
		snprintf(tag, sizeof(tag), "%s", routine);
	for (char *c = tag; *c; c++)
		if (*c == '/')
			*c = '-';
	snprintf(path, sizeof(path), "%s/limber-%s.wav", tmp && *tmp ? tmp : "/tmp", tag);
	if (engine_start(e, 0, err) < 0)
		return -1;
	if (start_step > 1 && (size_t)start_step <= e->routine->nsteps)
		session_seek(e->session, start_step, 0);
	if (render_run(e, path, timeline, &st, err) < 0)
		return -1;
	duration_format((int64_t)(st.frames * 1000 / e->rate), t, sizeof(t));
	printf("limber: no audio output found, so the session (%s) is in a file instead: %s\n"
	       "        play it with any player (`aplay %s`); `limber devices` lists the outputs\n",
	       t, path, path);
	fflush(stdout);
	return 0;
}

/* ---- no NAME, in a terminal: where does it hurt? ---- */

struct run_ask {
	struct library lib;
	struct voice *voice;
	const char *voice_name;
	const struct player_opts *po;
	struct keys k;
	int mute;       /* no audio output: the questions are printed only */
};

/*
 * Say text (and print it, for whoever can see). With no audio output at all
 * that is said once, and the rest is only printed.
 */
static void run_say(struct run_ask *a, const char *text)
{
	struct player_opts po = { .device = a->po->device, .latency = a->po->latency,
				  .volume_db = a->po->volume_db, .keys_fd = -1 };
	struct engine_opts eo = { a->voice_name, 0, 0, 0 };
	char err[LIMBER_ERR_LEN];
	struct engine e;
	int rc;

	printf("%s\n", text);
	fflush(stdout);
	if (a->mute)
		return;
	if ((rc = engine_load_text(&e, &a->lib, text, &eo, err)) == 0)
		rc = player_run(&e, &po, err);
	if (rc == PLAYER_NO_DEVICE && !a->po->device) {
		log_warn("no audio output found: the questions are printed only, and "
				"the routine you choose goes to a file");
		a->mute = 1;
	} else if (rc < 0) {
		log_err("%s", err);
	}
	if (e.routine)
		engine_done(&e);
}

enum { ANS_QUIT = -1, ANS_NEXT, ANS_YES, ANS_SAFETY, ANS_AGAIN };

/* A key: space or enter yes, n next, s the safety words, r or ? again, q quit. */
static int run_answer(struct run_ask *a)
{
	for (;;) {
		unsigned char c;
		enum key_action act;

		if (read(STDIN_FILENO, &c, 1) != 1)
			return ANS_QUIT;
		if (keys_feed(&a->k, &c, 1, &act, 1) == 0)
			continue;
		switch (act) {
		case KEY_PAUSE:
		case KEY_ENTER:
			return ANS_YES;
		case KEY_NEXT:
			return ANS_NEXT;
		case KEY_QUIT:
			return ANS_QUIT;
		case KEY_SAFETY:
			return ANS_SAFETY;
		case KEY_REPEAT:
		case KEY_HELP:
			return ANS_AGAIN;
		default:
			break;
		}
	}
}

/* The menu's questions (dmenu.h), answered for a terminal. */
struct run_menu {
	struct run_ask *a;
	struct history *h;
	struct guide_catalog cat;
	const char **names;
	size_t n;
};

static int run_menu_places(void *ctx, int64_t wall_s, int places[GUIDE_PLACES])
{
	struct run_menu *rm = ctx;

	return guide_places(&rm->cat, rm->h, wall_s, places);
}

static size_t run_menu_programme(void *ctx, int place, int64_t wall_s)
{
	struct run_menu *rm = ctx;

	return guide_index(&rm->cat, guide_for_place(&rm->cat, rm->h, place, wall_s), rm->names,
			   rm->n);
}

/* The morning caution is the session's own here (run_opening), said as it starts. */
static size_t run_menu_morning(void *ctx, size_t i, int64_t wall_s)
{
	(void)ctx;
	(void)i;
	(void)wall_s;
	return SIZE_MAX;
}

/* A cut session is resumed with --resume in a terminal, not offered. */
static int run_menu_resumable(void *ctx, struct history_session *s)
{
	(void)ctx;
	(void)s;
	return 0;
}

static void run_menu_routine(void *ctx, size_t i, const char **title, int64_t *ms)
{
	struct run_menu *rm = ctx;
	char err[LIMBER_ERR_LEN];
	int k = guide_find(&rm->cat, rm->names[i]);
	struct engine e;

	*title = k >= 0 ? rm->cat.r[k].title : rm->names[i];
	*ms = -1;
	if (engine_load(&e, &rm->a->lib, rm->names[i], NULL, err) == 0) {
		if (engine_estimate(&e, ms, NULL, err) < 0)
			*ms = -1;
		engine_done(&e);
	}
}

/* The list, for whoever can see, as the menu starts offering it by name. */
static void run_menu_list(const struct run_menu *rm)
{
	for (size_t j = 0; j < rm->cat.n; j++)   /* the level, unless the title says it */
		printf("  %-28s %s%s%s\n", rm->cat.r[j].name, rm->cat.r[j].title,
		       strstr(rm->cat.r[j].title, rm->cat.r[j].level) ? "" : ", ",
		       strstr(rm->cat.r[j].title, rm->cat.r[j].level) ? "" : rm->cat.r[j].level);
}

/*
 * The daemon's menu (dmenu.h), in a keyboard's words: the places in turn,
 * each place's programme at the level the history has reached, then the
 * routines by name and the safety words, round again. The terminal's clock
 * stands still for it (now is always 1): it waits for an answer for ever.
 * 0 with the chosen NAME, or -1 (quit).
 */
static int run_choose_in(struct run_ask *a, struct history *h, char *name, size_t len)
{
	static const struct dmenu_world shape = { NULL, run_menu_places, run_menu_programme,
						  run_menu_morning, run_menu_resumable };
	struct dmenu_world world = shape;
	struct run_menu rm = { a, h, { 0 }, NULL, 0 };
	struct dwords dw = { a->voice, &a->lib, &rm.cat, 1, run_menu_routine, &rm };
	int64_t wall = (int64_t)time(NULL);
	struct library_entry *le;
	struct dmenu_out mo;
	struct dmenu m;
	int rc = -1;

	library_list(&a->lib, &le, &rm.n);
	guide_catalog_load(&rm.cat, &a->lib, le, rm.n);
	rm.names = util_xcalloc(rm.n + 1, sizeof(*rm.names));
	for (size_t i = 0; i < rm.n; i++)
		rm.names[i] = le[i].name;
	world.ctx = &rm;
	dmenu_init(&m, &world);
	dmenu_routines(&m, rm.names, rm.n, 0);
	printf("(space or enter: yes; n: the next; s: when to see a doctor; q: stop)\n");
	dmenu_act(&m, ACT_MAIN, BUTTON_SHORT, 1, wall, &mo);   /* wake it */
	while (mo.what == DMENU_SAY) {
		enum dmenu_item was = m.item;
		struct sbuf b;
		int ans;

		sbuf_init(&b);
		dwords_offer(&dw, &m, &b);
		run_say(a, b.s);
		sbuf_done(&b);
		ans = run_answer(a);
		if (ans == ANS_QUIT)
			break;
		if (ans == ANS_SAFETY) {
			run_say(a, voice_phrase(a->voice, PH_SAFETY));
			continue;   /* then the offer again */
		}
		dmenu_act(&m, ans == ANS_YES ? ACT_MAIN : ans == ANS_NEXT ? ACT_NEXT : ACT_REPEAT,
			  BUTTON_SHORT, 1, wall, &mo);
		if (was == DMENU_BY_NAME && m.item == DMENU_ROUTINE)
			run_menu_list(&rm);
	}
	if (mo.what == DMENU_START) {
		snprintf(name, len, "%s", rm.names[mo.idx]);
		rc = 0;
	}
	free(rm.names);
	guide_catalog_done(&rm.cat);
	library_entries_free(le, rm.n);
	return rc;
}

static int run_choose(const struct player_opts *po, const char *voice, struct history *h,
		      char *name, size_t len)
{
	struct run_ask a;
	char err[LIMBER_ERR_LEN];
	int rc = -1;

	memset(&a, 0, sizeof(a));
	a.po = po;
	a.voice_name = voice;
	keys_init(&a.k);
	if (library_init(&a.lib, err) < 0 ||
	    library_load_voice(&a.lib, voice ? voice : "calm", &a.voice, err) < 0) {
		log_err("%s", err);
		library_done(&a.lib);
		return -1;
	}
	if (keys_raw(STDIN_FILENO, &run_saved) == 0) {
		run_raw = 1;
		rc = run_choose_in(&a, h, name, len);
		run_restore();   /* the session sets the terminal up again for itself */
	}
	voice_free(a.voice);
	library_done(&a.lib);
	return rc;
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
					      { "lead-in", required_argument, NULL, 'L' },
					      { "lead-in-tone", no_argument, NULL, 'T' },
					      { "morning-until", required_argument, NULL, 'M' },
					      { "no-red-flags", no_argument, NULL, 'F' },
					      { "timer", no_argument, NULL, 'D' },
					      { "help", no_argument, NULL, 'h' },
					      { 0, 0, 0, 0 } };
	struct player_opts po = { .latency = 0.040, .keys_fd = -1, .status = stdout,
				  .argv = cmd_program_argv, .before_exec = run_restore };
	struct engine_opts eo = { NULL, 0, 0, 0 };
	struct run_history rh = { NULL, 0, NULL, NULL, 0, 0, 0, 0, 0 };
	struct player_events events = { &rh, rh_begun, rh_step_done, rh_ended, rh_pain,
					rh_answered };
	struct history_session resumed;
	const char *input = NULL, *state_dir = NULL, *routine = NULL, *hid;
	char err[LIMBER_ERR_LEN], dir[4096], step_s[16], chosen[160], **reexec = NULL;
	int c, rc, resume = 0, ask_pain = 0, brief = 0, tone = 0, no_flags = 0;
	int morning_until = CONFIG_MORNING_UNTIL;
	int64_t lead_ms = 0;
	struct library lib;
	struct engine e;

	while ((c = getopt_long(argc, argv, "d:l:t:v:ei:c:V:s:RS:baL:TM:FDh", opts, NULL)) != -1) {
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
				log_err("--continue takes SESSION:OUTPUT[:SKIPS:FRAMES]");
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
				log_err("--step %s: give a step number from 1", optarg);
				return 2;
			}
			po.start_step = (int)step;
			break;
		}
		case 'D':
			rh.timer = 1;
			break;
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
		case 'L':
			if (duration_parse(optarg, &lead_ms, err) < 0 || lead_ms > CONFIG_LEAD_IN_MAX_MS) {
				log_err("--lead-in %s: give a duration up to 5s (1s, 500ms"
						")", optarg);
				return 2;
			}
			break;
		case 'T':
			tone = 1;
			break;
		case 'F':
			no_flags = 1;
			break;
		case 'M':
			if ((morning_until = config_time_of_day(optarg)) < 0) {
				log_err("--morning-until %s: give a time of day, 10:00 (or "
						"00:00 for no morning caution)", optarg);
				return 2;
			}
			break;
		case 'h':
			run_usage(stdout);
			return 0;
		default:
			run_usage(stderr);
			return 2;
		}
	}
	/* No NAME: the guided choice, which needs a terminal to answer it. */
	if (optind + 1 < argc ||
	    (optind == argc && !resume && (input || !isatty(STDIN_FILENO) || po.resume))) {
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
			log_err("%s: cannot resume", err);
			return 1;
		}
		log_warn("%s; the session plays, but is not recorded", err);
	}
	if (!routine && !resume) {
		if (run_choose(&po, eo.voice, rh.h, chosen, sizeof(chosen)) < 0) {
			history_close(rh.h);
			return 0;
		}
		routine = chosen;
		/* A player that loses its device starts again with the NAME chosen, not the question. */
		snprintf(step_s, sizeof(step_s), "1");
		reexec = run_reexec_argv(cmd_program_argv, NULL, routine, step_s);
		po.argv = reexec;
	}
	if (resume) {
		rc = history_resumable(rh.h, routine, &resumed, err);
		if (rc <= 0) {
			if (rc < 0)
				log_err("%s", err);
			else
				log_err("no interrupted session%s%s to resume",
					routine ? " of " : "", routine ? routine : "");
			history_close(rh.h);
			return 1;
		}
		routine = resumed.routine;
		po.start_step = resumed.last_step + 1;
		log_info("resuming %s at step %d of %d", routine, po.start_step,
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
			log_err("--input %s: cannot open", input);
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
	run_opening(&e, &po, rh.h, morning_until, no_flags);
	engine_lead_in(&e, lead_ms, tone);
	rh.r = e.routine;
	rh.routine = routine;
	rh.resumed_from = resume ? resumed.id : 0;
	if (rh.h) {
		/* A player that restarted itself (po.resume) goes on with the same row. */
		hid = getenv("LIMBER_HISTORY_ID");
		if (po.resume && hid)
			rh.id = strtoll(hid, NULL, 10);
		else if (!po.resume)
			run_advice(&rh, &e);
		po.events = &events;
	}
	po.ask_pain = po.events && (run_raw || ask_pain);
	rc = player_run(&e, &po, err);
	run_restore();
	if (rc == PLAYER_NO_DEVICE && !po.device && !input && !resume && !po.resume)
		rc = run_to_file(&e, routine, po.start_step, po.timeline, err);
	if (input)
		close(po.keys_fd);
	if (rc < 0)
		log_err("%s", err);
	if (rc < 0 && po.events)   /* cut off: resumable (never heard: no row) */
		rh_ended(&rh, PLAYER_INTERRUPTED);
	history_close(rh.h);
	engine_done(&e);
	library_done(&lib);
	free(reexec);
	return rc < 0 ? 1 : 0;
}

/*
 * dstate: the daemon's state machine driven event by event through an
 * evening, with made-up routines and history: no process, no socket, no
 * sound. Each step checks the actions and what `status` says.
 */
#include "testutil.h"

#include "dstate.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

/* ---- a made-up world: four routines, two places, one resumable session ---- */

static const char *const names[] = { "tiny", "lower-back/beginner", "neck/beginner",
				     "daily/morning" };
/* After a reload the list is read again, in another order, one routine gone. */
static const char *const names2[] = { "neck/beginner", "tiny", "daily/morning" };

struct fake {
	const char *const *names;
	size_t n;
	int resumable;               /* offer lower-back/beginner's cut session */
	int morning;                 /* it is morning: lower-back/beginner bends deeply */
	size_t broken;               /* this one does not load */
};

static struct fake fk;

static size_t fake_find(const char *name)
{
	for (size_t i = 0; i < fk.n; i++)
		if (!strcmp(fk.names[i], name))
			return i;
	return SIZE_MAX;
}

static int fake_places(void *ctx, int64_t wall_s, int places[GUIDE_PLACES])
{
	(void)ctx;
	(void)wall_s;
	places[0] = 0;   /* the lower back */
	places[1] = 4;   /* the neck */
	return 2;
}

static size_t fake_programme(void *ctx, int place, int64_t wall_s)
{
	(void)ctx;
	(void)wall_s;
	return fake_find(place == 0 ? "lower-back/beginner" : "neck/beginner");
}

static size_t fake_morning(void *ctx, size_t i, int64_t wall_s)
{
	(void)ctx;
	(void)wall_s;
	if (!fk.morning || strcmp(fk.names[i], "lower-back/beginner") != 0)
		return SIZE_MAX;
	return fake_find("daily/morning");
}

static int fake_resumable(void *ctx, struct history_session *s)
{
	(void)ctx;
	if (!fk.resumable)
		return 0;
	memset(s, 0, sizeof(*s));
	s->id = 7;
	snprintf(s->routine, sizeof(s->routine), "lower-back/beginner");
	snprintf(s->title, sizeof(s->title), "Lower back relief, beginner");
	s->last_step = 1;
	return 1;
}

/* Three steps of 20 s. */
static int fake_length(void *ctx, size_t i, int64_t *total, int64_t **step_ms, int *nsteps)
{
	(void)ctx;
	if (i == fk.broken)
		return -1;
	*total = 60000;
	if (step_ms) {
		*nsteps = 3;
		*step_ms = util_xcalloc(5, sizeof(**step_ms));
		for (int k = 1; k <= 4; k++)
			(*step_ms)[k] = (k - 1) * 20000;
	}
	return 0;
}

static const char *fake_title(void *ctx, size_t i)
{
	(void)ctx;
	return i < fk.n ? fk.names[i] : NULL;
}

static const struct dstate_world world = {
	.menu = { &fk, fake_places, fake_programme, fake_morning, fake_resumable },
	.length = fake_length,
	.title = fake_title,
};

/* ---- driving it ---- */

static int64_t now_ms;
static struct dstate_out out;

static void send(struct dstate *s, struct dstate_event ev)
{
	ev.now = now_ms;
	ev.wall = 1700000000;
	dstate_event(s, &ev, &out);
}

static void reloaded(struct dstate *s, const char *const *list, size_t n)
{
	fk.names = list;
	fk.n = n;
	send(s, (struct dstate_event){ .kind = DSTATE_RELOADED, .names = list, .n = n });
}

static void press(struct dstate *s, enum button_gesture g)
{
	send(s, (struct dstate_event){ .kind = DSTATE_INPUT, .act = ACT_MAIN, .g = g });
}

static const char *request(struct dstate *s, const char *line)
{
	struct ctl_request rq;
	char err[LIMBER_ERR_LEN];

	assert_int_equal(ctl_parse(line, &rq, err), 0);
	send(s, (struct dstate_event){ .kind = DSTATE_REQUEST, .rq = &rq });
	return out.reply;
}

static void said(struct dstate *s, const char *line)
{
	struct pstatus st;

	assert_int_not_equal(pstatus_parse(line, &st), PSTATUS_OTHER);
	send(s, (struct dstate_event){ .kind = DSTATE_LINE, .line = &st });
}

static void exited(struct dstate *s, int status)
{
	send(s, (struct dstate_event){ .kind = DSTATE_EXIT, .status = status });
}

#define EXIT_CODE(c) ((c) << 8)   /* waitpid's status for exit(c); a signal's is its number */

/* The one action of this kind in out, or NULL. */
static const struct dstate_action *action(enum dstate_do what)
{
	const struct dstate_action *found = NULL;

	for (int i = 0; i < out.n; i++)
		if (out.a[i].what == what) {
			assert_null(found);
			found = &out.a[i];
		}
	return found;
}

static int logged(const char *words)
{
	for (int i = 0; i < out.n; i++)
		if (out.a[i].what == DSTATE_LOG && strstr(out.a[i].text, words))
			return 1;
	return 0;
}

static void assert_status(struct dstate *s, const char *want)
{
	char got[LIMBER_ERR_LEN];

	dstate_status(s, now_ms, got, sizeof(got));
	assert_string_equal(got, want);
}

static void assert_plays(size_t idx, int resume)
{
	const struct dstate_action *a = action(DSTATE_PLAY);

	assert_non_null(a);
	assert_int_equal(a->idx, idx);
	assert_int_equal(!!(a->how & DSTATE_RESUME), resume);
}

static void setup_world(struct dstate *s)
{
	memset(&fk, 0, sizeof(fk));
	fk.broken = SIZE_MAX;
	now_ms = 1000;
	dstate_init(s, &world);
	reloaded(s, names, 4);
	assert_int_equal(out.n, 0);
	assert_status(s, "idle");
}

/* ---- an evening ---- */

static void test_an_evening(void **state)
{
	struct dstate s;
	struct mqtt_state mst;

	(void)state;
	setup_world(&s);

	/* A press asks where it hurts; the sentence is a child of its own. */
	press(&s, BUTTON_SHORT);
	assert_non_null(action(DSTATE_SAY));
	assert_status(&s, "idle, asking where it hurts: lower back");
	exited(&s, EXIT_CODE(0));
	assert_int_equal(out.n, 0);

	/* A yes offers the place's programme; a press starts it. */
	press(&s, BUTTON_SHORT);
	assert_non_null(action(DSTATE_SAY));
	assert_status(&s, "idle, offering lower-back/beginner");
	exited(&s, EXIT_CODE(0));
	press(&s, BUTTON_SHORT);
	assert_plays(1, 0);
	assert_status(&s, "playing lower-back/beginner, starting, 1:00 left");
	/* Long opening words (a first session's safety words): the clock waits at step 1's figure. */
	now_ms += 90000;
	assert_status(&s, "playing lower-back/beginner, starting, 1:00 left");
	now_ms -= 90000;

	/* The player says where it is; status follows it, and the menu's keys go to it. */
	said(&s, "limber: step 1 of 3: Knee to chest");
	now_ms += 5000;
	assert_status(&s, "playing lower-back/beginner, step 1 of 3: Knee to chest, 0:55 left");
	said(&s, "limber: step 2 of 3: Cat-cow");
	said(&s, "limber: side left");
	assert_status(&s, "playing lower-back/beginner, step 2 of 3: Cat-cow, left side, 0:40 left");
	dstate_mqtt(&s, now_ms, &mst);
	assert_string_equal(mst.side, "left");
	said(&s, "limber: side right");
	assert_status(&s, "playing lower-back/beginner, step 2 of 3: Cat-cow, right side, 0:40 left");
	said(&s, "limber: step 2 of 3: Cat-cow");   /* a step line ends the side */
	dstate_mqtt(&s, now_ms, &mst);
	assert_null(mst.side);
	said(&s, "limber: hold 30000 ms");
	assert_int_equal(dstate_hold_left_s(&s, now_ms), 30);
	press(&s, BUTTON_LONG);
	assert_int_equal(action(DSTATE_KEY)->key, 'n');
	assert_string_equal(request(&s, "pause"), "ok pause");
	assert_int_equal(action(DSTATE_KEY)->key, ' ');
	now_ms += 60000;   /* paused: the clock stops */
	assert_status(&s, "paused lower-back/beginner, step 2 of 3: Cat-cow, 0:40 left");
	said(&s, "limber: paused");
	assert_string_equal(request(&s, "resume"), "ok resume");
	said(&s, "limber: resumed");

	/* A crash resumes at the step that was cut, twice in a row, then leaves it to the menu. */
	exited(&s, SIGSEGV);
	assert_plays(1, 1);
	assert_true(logged("crashed (signal 11); resuming it"));
	said(&s, "limber: step 2 of 3: Cat-cow");
	exited(&s, SIGABRT);
	assert_plays(1, 1);
	said(&s, "limber: step 2 of 3: Cat-cow");
	exited(&s, SIGSEGV);
	assert_null(action(DSTATE_PLAY));
	assert_true(logged("crashed again in step 2"));
	assert_status(&s, "idle");

	/* The next press offers to resume it; a press resumes it. */
	fk.resumable = 1;
	press(&s, BUTTON_SHORT);
	assert_status(&s, "idle, offering to resume lower-back/beginner at step 2");
	exited(&s, EXIT_CODE(0));
	press(&s, BUTTON_SHORT);
	assert_plays(1, 1);
	said(&s, "limber: step 2 of 3: Cat-cow");

	/* A stop says goodbye: q, as from a terminal, and SIGKILL if it never ends. */
	assert_string_equal(request(&s, "stop"), "ok stopping");
	assert_int_equal(action(DSTATE_KEY)->key, 'q');
	assert_status(&s, "stopping lower-back/beginner");
	assert_int_equal(dstate_deadline(&s), now_ms + DSTATE_GOODBYE_MS);
	now_ms += DSTATE_GOODBYE_MS - 1;
	send(&s, (struct dstate_event){ .kind = DSTATE_TICK });
	assert_int_equal(out.n, 0);
	now_ms += 1;
	send(&s, (struct dstate_event){ .kind = DSTATE_TICK });
	assert_non_null(action(DSTATE_KILL));
	exited(&s, SIGKILL);
	assert_null(action(DSTATE_PLAY));   /* killed after a stop: not a crash */
	assert_status(&s, "idle");
	dstate_done(&s);
}

/* SIGHUP mid-session waits; a start queued behind the stopping session survives the reload. */
static void test_a_reload_mid_session_keeps_the_queued_start(void **state)
{
	struct dstate s;

	(void)state;
	setup_world(&s);
	assert_string_equal(request(&s, "start tiny"), "ok starting tiny");
	assert_plays(0, 0);
	send(&s, (struct dstate_event){ .kind = DSTATE_HANGUP });
	assert_null(action(DSTATE_RELOAD));
	assert_true(logged("reloading when this ends"));
	assert_string_equal(request(&s, "start neck/beginner"),
			    "error: tiny is playing; stop it first");
	assert_string_equal(request(&s, "stop"), "ok stopping");
	assert_string_equal(request(&s, "start neck/beginner"), "ok starting neck/beginner");
	assert_null(action(DSTATE_PLAY));   /* queued until tiny has said goodbye */
	exited(&s, EXIT_CODE(0));
	assert_non_null(action(DSTATE_RELOAD));
	assert_null(action(DSTATE_PLAY));
	/* The new list has it at another index: it is found by name. */
	reloaded(&s, names2, 3);
	assert_plays(0, 0);
	assert_status(&s, "playing neck/beginner, starting, 1:00 left");

	/* Without a child, SIGHUP reloads at once; a routine gone is not started. */
	exited(&s, EXIT_CODE(0));
	send(&s, (struct dstate_event){ .kind = DSTATE_HANGUP });
	assert_non_null(action(DSTATE_RELOAD));
	assert_string_equal(request(&s, "start tiny"), "ok starting tiny");
	send(&s, (struct dstate_event){ .kind = DSTATE_HANGUP });
	assert_string_equal(request(&s, "stop"), "ok stopping");
	assert_string_equal(request(&s, "start lower-back/beginner"),
			    "error: no routine named 'lower-back/beginner' on the routine path");
	assert_string_equal(request(&s, "start daily/morning"), "ok starting daily/morning");
	exited(&s, EXIT_CODE(0));
	reloaded(&s, names + 1, 2);   /* daily/morning is gone */
	assert_null(action(DSTATE_PLAY));
	assert_true(logged("daily/morning is gone after the reload"));
	dstate_done(&s);
}

/* The menu's cycle: every place, then by name, then the safety words, and round again. */
static void test_holding_goes_round_the_menu(void **state)
{
	struct dstate s;

	(void)state;
	setup_world(&s);
	press(&s, BUTTON_SHORT);
	assert_status(&s, "idle, asking where it hurts: lower back");
	exited(&s, EXIT_CODE(0));
	press(&s, BUTTON_LONG);
	assert_status(&s, "idle, asking where it hurts: neck");
	/* A press while the sentence plays: it is cut, and the next one said after it. */
	press(&s, BUTTON_LONG);
	assert_non_null(action(DSTATE_TERM));
	assert_null(action(DSTATE_SAY));
	exited(&s, SIGTERM);
	assert_non_null(action(DSTATE_SAY));
	assert_status(&s, "idle, asking: choose a routine by name");
	exited(&s, EXIT_CODE(0));
	press(&s, BUTTON_SHORT);
	assert_status(&s, "idle, offering tiny");
	exited(&s, EXIT_CODE(0));
	for (int i = 1; i < 4; i++) {
		press(&s, BUTTON_LONG);
		assert_status(&s, (const char *[]){ "", "idle, offering lower-back/beginner",
						    "idle, offering neck/beginner",
						    "idle, offering daily/morning" }[i]);
		exited(&s, EXIT_CODE(0));
	}
	press(&s, BUTTON_LONG);
	assert_status(&s, "idle, offering the safety words");
	exited(&s, EXIT_CODE(0));
	press(&s, BUTTON_SHORT);
	assert_status(&s, "idle, saying when to see a doctor");
	exited(&s, EXIT_CODE(0));
	press(&s, BUTTON_LONG);
	assert_status(&s, "idle, asking where it hurts: lower back");
	exited(&s, EXIT_CODE(0));

	/* Quiet for DMENU_MS after the last words: the menu sleeps, and a press wakes it. */
	now_ms += DMENU_MS;
	send(&s, (struct dstate_event){ .kind = DSTATE_TICK });
	assert_status(&s, "idle");
	dstate_done(&s);
}

/* In the morning a routine that bends deeply is met by the caution and the morning one. */
static void test_the_morning_caution(void **state)
{
	struct dstate s;
	const struct dstate_action *a;

	(void)state;
	setup_world(&s);
	fk.morning = 1;
	press(&s, BUTTON_SHORT);
	exited(&s, EXIT_CODE(0));
	press(&s, BUTTON_SHORT);   /* yes, the lower back */
	exited(&s, EXIT_CODE(0));
	press(&s, BUTTON_SHORT);   /* start it: the morning offer instead */
	assert_status(&s, "idle, offering daily/morning instead of lower-back/beginner "
			  "(morning caution)");
	exited(&s, EXIT_CODE(0));
	press(&s, BUTTON_LONG);    /* held: play it anyway, without the caution again */
	a = action(DSTATE_PLAY);
	assert_non_null(a);
	assert_int_equal(a->idx, 1);
	assert_int_equal(a->how, DSTATE_NO_CAUTION);
	dstate_done(&s);
}

/* Select, volume, a routine that does not load, and SIGTERM. */
static void test_requests_and_the_end(void **state)
{
	struct dstate s;

	(void)state;
	setup_world(&s);
	assert_string_equal(request(&s, "next"), "error: nothing is playing");
	assert_string_equal(request(&s, "select neck/beginner"), "ok selected neck/beginner");
	press(&s, BUTTON_SHORT);   /* a selected routine is what the press offers */
	assert_status(&s, "idle, offering neck/beginner");
	exited(&s, EXIT_CODE(0));
	send(&s, (struct dstate_event){ .kind = DSTATE_INPUT, .act = ACT_LOUDER });
	assert_int_equal(s.volume_db, 3);
	assert_non_null(action(DSTATE_SAY));   /* awake: said again, louder */
	exited(&s, EXIT_CODE(0));
	fk.broken = 2;
	assert_string_equal(request(&s, "start"), "error: neck/beginner does not load (see the journal)");
	fk.broken = SIZE_MAX;
	assert_string_equal(request(&s, "start"), "ok starting neck/beginner");
	send(&s, (struct dstate_event){ .kind = DSTATE_SPAWN_FAILED });
	assert_status(&s, "idle");
	assert_string_equal(request(&s, "start"), "ok starting neck/beginner");

	/* A timer's start carries its origin to the player, also when a crash resumes it. */
	assert_string_equal(request(&s, "stop"), "ok stopping");
	exited(&s, EXIT_CODE(0));
	assert_string_equal(request(&s, "timer tiny"), "ok starting tiny");
	assert_int_equal(action(DSTATE_PLAY)->how, DSTATE_TIMER);
	said(&s, "limber: step 1 of 3: A");
	exited(&s, SIGSEGV);
	assert_int_equal(action(DSTATE_PLAY)->how, DSTATE_TIMER | DSTATE_RESUME);
	assert_string_equal(request(&s, "start"), "error: tiny is playing; stop it first");

	/* SIGTERM: the session is stopped with a signal (resumable), and the loop ends after it. */
	send(&s, (struct dstate_event){ .kind = DSTATE_TERMINATE });
	assert_non_null(action(DSTATE_TERM));
	assert_true(dstate_running(&s));
	exited(&s, SIGTERM);
	assert_int_equal(out.n, 1);   /* only the log line */
	assert_false(dstate_running(&s));
	dstate_done(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_an_evening),
		cmocka_unit_test(test_a_reload_mid_session_keeps_the_queued_start),
		cmocka_unit_test(test_holding_goes_round_the_menu),
		cmocka_unit_test(test_the_morning_caution),
		cmocka_unit_test(test_requests_and_the_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

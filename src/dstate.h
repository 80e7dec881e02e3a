/*
 * dstate: the daemon's decisions, as a machine with no I/O.
 *
 * As session.c is for a routine, this is for the daemon: one state (who
 * has the speaker, what the menu offers, where the session is) and one
 * function that takes an event and returns what to do. The events are what
 * the poll loop (daemon.c) saw: a button's gesture or a key, a control
 * line (from the socket, MQTT or the page, all parsed by ctl.h), a status
 * line from the player (pstatus.h), the child's exit, a deadline, SIGTERM,
 * SIGHUP, and the end of a reload. The actions are what the loop then
 * does: speak the menu's offer, start a player, send it a key, signal it,
 * reload, log a line, and the reply to a control line.
 *
 * What it needs to know of the routines and the history it asks through
 * dstate_world (dworld.c for the daemon, made-up answers in the unit test).
 * Time comes in the events: the monotonic clock for deadlines and time
 * left, the wall clock for the morning and the levels.
 */
#ifndef LIMBER_DSTATE_H
#define LIMBER_DSTATE_H

#include "button.h"
#include "config.h"
#include "ctl.h"
#include "dmenu.h"
#include "mqtt_text.h"
#include "pstatus.h"
#include "util.h"

#include <stddef.h>
#include <stdint.h>

#define DSTATE_STOP_MS 1500      /* a child told to stop gets this long, then SIGKILL */
#define DSTATE_GOODBYE_MS 8000   /* the same for a session saying its goodbye */
#define DSTATE_CRASH_RESUMES 2   /* a crashed session is resumed this often in a row */
#define DSTATE_ACTIONS 8

struct dstate_world {
	struct dmenu_world menu;     /* its ctx serves both */
	/*
	 * Routine i's length in ms and, with step_ms, each step's start (a new
	 * array of nsteps + 2, the caller's to free); -1 if it does not load.
	 */
	int (*length)(void *ctx, size_t i, int64_t *total, int64_t **step_ms, int *nsteps);
	/* Routine i's title (its name: line), or NULL if it is not known yet. */
	const char *(*title)(void *ctx, size_t i);
};

/* Who has the speaker. */
enum dstate_child { DSTATE_CHILD_NONE, DSTATE_CHILD_SAY, DSTATE_CHILD_SESSION };

/* What to start when the child that has the speaker is gone. */
enum dstate_pending { DSTATE_PEND_NONE, DSTATE_PEND_SAY, DSTATE_PEND_START, DSTATE_PEND_RESUME };

enum dstate_ev {
	DSTATE_INPUT,         /* act and g: a button or a key */
	DSTATE_REQUEST,       /* rq: a control line; the reply in out->reply */
	DSTATE_LINE,          /* line: the player said where it is */
	DSTATE_EXIT,          /* status: the child ended (waitpid's status) */
	DSTATE_SPAWN_FAILED,  /* the child asked for could not be started */
	DSTATE_TICK,          /* a deadline (dstate_deadline) may have come */
	DSTATE_TERMINATE,     /* SIGTERM or SIGINT: stop, and end when the child has */
	DSTATE_HANGUP,        /* SIGHUP (or why): reload, now or when the child is gone */
	DSTATE_RELOADED,      /* the reload is done: names, n, default_idx, volume_db */
};

struct dstate_event {
	enum dstate_ev kind;
	int64_t now;                     /* util_now_ms() */
	int64_t wall;                    /* time(NULL) */
	enum config_action act;
	enum button_gesture g;
	const struct ctl_request *rq;
	const struct pstatus *line;
	int status;
	const char *why;                 /* HANGUP: what asked for the reload; NULL: SIGHUP */
	const char *const *names;        /* RELOADED: the routines, valid until the next */
	size_t n, default_idx;
	int volume_db;
};

enum dstate_do {
	DSTATE_SAY,      /* speak what the menu offers (dworld_words) */
	DSTATE_PLAY,     /* start a player: routine idx, how */
	DSTATE_KEY,      /* key to the player, as a terminal types it */
	DSTATE_TERM,     /* SIGTERM to the child */
	DSTATE_KILL,     /* SIGKILL to the child */
	DSTATE_RELOAD,   /* read the config and the routines again, then RELOADED */
	DSTATE_LOG,      /* text at priority, for the journal */
};

/* How a routine is started (DSTATE_PLAY): bits. */
enum {
	DSTATE_RESUME = 1,       /* go on from where the session was cut */
	DSTATE_NO_CAUTION = 2,   /* past the morning offer: the caution is not said again */
	DSTATE_TIMER = 4,        /* a day-plan timer's: unheard unless someone answers */
};

struct dstate_action {
	enum dstate_do what;
	size_t idx;
	unsigned how;            /* PLAY: DSTATE_RESUME | DSTATE_NO_CAUTION | DSTATE_TIMER */
	char key;
	int priority;
	char text[192];
};

struct dstate_out {
	struct dstate_action a[DSTATE_ACTIONS];
	int n;
	char reply[LIMBER_ERR_LEN];      /* REQUEST's answer line, without a newline */
};

struct dstate {
	const struct dstate_world *w;
	struct dmenu menu;
	int volume_db;
	int quit;                    /* SIGTERM: ending when the child is gone */
	int reload;                  /* SIGHUP came while a child played: reload after it */

	/* The child that has the speaker. */
	enum dstate_child child;
	int64_t kill_at;             /* told to stop: SIGKILL then if it is still there; 0: no */
	enum dstate_pending pending;
	size_t pending_idx;
	unsigned pending_how;
	/* Across a reload: what to start after it, by name (the list is read again). */
	enum dstate_pending after_reload;
	char after_name[CTL_MAX_LINE];
	unsigned after_how;

	/* The session under way. */
	size_t sess_idx;
	unsigned sess_how;           /* how it was started (DSTATE_TIMER...) */
	int64_t total_ms, *step_ms;
	int nsteps, step, paused;
	int asking;                  /* the session is over and asks for a pain rating */
	int in_hold;                 /* a hold's start chime heard, its end not yet */
	enum routine_side side;      /* the side being worked, as the player last said */
	char step_name[PSTATUS_NAME];
	int64_t left_ms, left_ref;
	int64_t hold_ms, hold_left_ms, hold_ref;
	int crashes;                 /* resumed after a crash, without getting past crash_step */
	int crash_step;
};

void dstate_init(struct dstate *s, const struct dstate_world *w);
void dstate_done(struct dstate *s);

/* One event: the state moves on, and out says what to do (out->n actions, out->reply). */
void dstate_event(struct dstate *s, const struct dstate_event *ev, struct dstate_out *out);

/* The next deadline on the monotonic clock, or -1. */
int64_t dstate_deadline(const struct dstate *s);
/* The loop goes on while this is true: not told to quit, or a child still there. */
int dstate_running(const struct dstate *s);

/* The session's time left in whole seconds, and the hold's (-1 outside a hold). */
int64_t dstate_left_s(const struct dstate *s, int64_t now);
int64_t dstate_hold_left_s(const struct dstate *s, int64_t now);
/* What `status` answers. */
void dstate_status(const struct dstate *s, int64_t now, char *out, size_t len);
/* The MQTT state object, but for the streak and the last session (the history's). */
void dstate_mqtt(const struct dstate *s, int64_t now, struct mqtt_state *st);

#endif

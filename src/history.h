/*
 * history: every session, kept in SQLite, so nothing is lost to a kill -9
 * or a pulled plug.
 *
 * One database, history.db, in the state directory ($XDG_STATE_HOME/limber
 * or --state-dir; the daemon's StateDirectory). WAL, synchronous=FULL: a
 * commit is on the disk when it returns, and a crash at any instant leaves
 * the last commit. A session row is written before the first sound; each
 * finished step is committed as it finishes; how it ended is recorded. A
 * session whose process is gone (or whose boot is over) without saying how
 * it ended is marked interrupted the next time the database is opened, and
 * can be resumed at the step that was cut.
 *
 * Times are Unix seconds, passed in, so the rules (streaks, progression)
 * are tested with a calendar the test makes.
 */
#ifndef LIMBER_HISTORY_H
#define LIMBER_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define HISTORY_SCHEMA 3

/*
 * How a session ended. Unheard: a day-plan timer started it (`timer NAME`) and
 * it played to the end with no key, press or pain rating: perhaps to an empty
 * room, so it is not counted for the streak, the levels or the evening's choice.
 */
enum history_how { HOW_RUNNING, HOW_FINISHED, HOW_STOPPED, HOW_INTERRUPTED, HOW_UNHEARD };

struct history;

struct history_session {
	int64_t id;
	char routine[160];       /* the NAME (or path) it was started with */
	char title[160];         /* its name: line */
	char area[32];
	char level[16];          /* beginner, intermediate, advanced */
	int steps, last_step;    /* last_step: the last step finished */
	int64_t started, ended;  /* ended 0: still running */
	enum history_how how;
	int pain;                /* 0-10, or -1 */
	int64_t resumed_from;    /* the session this one continued, or 0 */
	int resumed;             /* a later session continued this one */
};

/* The default state directory: $XDG_STATE_HOME/limber or ~/.local/state/limber. */
void history_default_dir(char *buf, size_t len);

/* Open (creating dir and the database, migrating an older schema). 0, or -1 with err. */
int history_open(const char *dir, struct history **out, char *err);
void history_close(struct history *h);

/* A session begins: its id (> 0), or -1 with err. */
int64_t history_begin(struct history *h, const char *routine, const char *title, const char *area,
		      const char *level, int steps, int64_t resumed_from, int64_t now, char *err);
/* Step `step` of session id is finished. */
int history_step(struct history *h, int64_t id, int step, int64_t now, char *err);
/* Session id ended so (HOW_FINISHED, HOW_STOPPED, HOW_INTERRUPTED). */
int history_end(struct history *h, int64_t id, enum history_how how, int64_t now, char *err);
int history_pain(struct history *h, int64_t id, int rating, char *err);

/* The newest interrupted session not yet resumed (of routine, if not NULL): 1, 0 none, -1. */
int history_resumable(struct history *h, const char *routine, struct history_session *out,
		      char *err);

/* Sessions, newest first, at most max (0: all); the caller frees *out. */
int history_sessions(struct history *h, size_t max, struct history_session **out, size_t *n,
		     char *err);

/* Days in a row, up to today (or yesterday, if today has none yet), with a finished session. */
int history_streak(struct history *h, int64_t now);

/*
 * The guides' "ready for the next level" (14+ days of consistency):
 * finished sessions of area at level on at least 12 of the last 14 days,
 * the first of them 13 or more days ago, and, where pain ratings exist,
 * the pain condition below. assume_today counts today as if the session
 * under way finishes. 1 ready, 0 not (or advanced already); days gets the
 * count.
 */
int history_ready(struct history *h, const char *area, const char *level, int64_t now,
		  int assume_today, int *days);
/*
 * The guides' other measurable condition: "30-40% pain reduction". Where
 * pain ratings exist for the area, the mean of the last seven days must be
 * at least HISTORY_PAIN_DROP_PCT below the mean of the first seven days of
 * ratings; with no ratings in either week the condition is not applied.
 */
#define HISTORY_PAIN_DROP_PCT 30
/* The pure rule: 1 if recent is low enough against first (both 0-10 means). */
int history_pain_dropped(double first, double recent);
/* The two means for area: 1 with both, 0 when either week has no rating. */
int history_pain_means(struct history *h, const char *area, int64_t now, double *first,
		       double *recent);
/* Consistency alone (history_ready is this and the pain condition). */
int history_consistent(struct history *h, const char *area, const char *level, int64_t now,
		       int assume_today, int *days);
/* The highest level with a finished session in area, or NULL: where the person is. */
const char *history_level_reached(struct history *h, const char *area);
/* Is there a session at all (the safety words are said before the first one)? */
int history_any(struct history *h);
/* Session id never made a sound: it is not history (its row goes). */
int history_forget(struct history *h, int64_t id, char *err);

/*
 * The routines the progression advice may name (the library's, as the
 * caller found them); `history` then names only those of the next level
 * that exist, and none when there is none. Until it is set, the report
 * names the conventional AREA/LEVEL. The strings must outlive h's report.
 */
struct history_routine {
	const char *name;    /* lower-back/intermediate */
	const char *area;
	const char *level;
};
void history_set_routines(struct history *h, const struct history_routine *r, size_t n);
/* The names of area's routines at level in r, joined with ", " into buf; how many. */
size_t history_routines_at(const struct history_routine *r, size_t n, const char *area,
			   const char *level, char *buf, size_t len);

/* How many times routine has been finished. */
int history_finished(struct history *h, const char *routine);
#define HISTORY_BRIEF_AFTER 5   /* brief mode shortens a routine finished this often */

/* Said once: has the advice for area/level been given; record that it has. */
int history_advice_given(struct history *h, const char *area, const char *level);
void history_advice_mark(struct history *h, const char *area, const char *level, int64_t now);

/* Print the history: sessions, streak, minutes a week, pain a week, progression. */
int history_report(struct history *h, FILE *out, int tsv, int64_t now, char *err);

const char *history_how_name(enum history_how how);
/* The level after level ("intermediate" after "beginner"), or NULL. */
const char *history_next_level(const char *level);

#endif

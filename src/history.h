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

#define HISTORY_SCHEMA 2

enum history_how { HOW_RUNNING, HOW_FINISHED, HOW_STOPPED, HOW_INTERRUPTED };

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
 * the first of them 13 or more days ago. assume_today counts today as if
 * the session under way finishes. 1 ready, 0 not (or advanced already);
 * days gets the count.
 */
int history_ready(struct history *h, const char *area, const char *level, int64_t now,
		  int assume_today, int *days);
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

/*
 * plan: a routine flattened into the segments a session plays, in order.
 *
 * A segment is one stretch of the session: something said (its length is
 * the speech's), a silent wait, a hold, or one phase of a flow. The plan
 * fixes everything but speech lengths, which only synthesis knows; the
 * session adds those as it goes. Spoken text is filled in here, from the
 * phrase table and the routine's variables.
 */
#ifndef LIMBER_PLAN_H
#define LIMBER_PLAN_H

#include "routine.h"
#include "util.h"
#include "voice.h"

#include <stddef.h>
#include <stdint.h>

#define PLAN_CHIME_START "hold-start.wav"
#define PLAN_CHIME_END "hold-end.wav"
#define PLAN_CHIME_SWITCH "switch-sides.wav"
#define PLAN_CHIME_TICK "tick.wav"

/* After "Have everything within reach": time to fetch it before step 1. */
#define PLAN_EQUIPMENT_WAIT_MS 8000

enum seg_kind { SEG_SAY, SEG_WAIT, SEG_HOLD, SEG_PHASE };

struct seg {
	enum seg_kind kind;
	int step;                   /* 1-based; 0 for the opening and closing words */
	size_t step_start;          /* index of the first segment of this step */
	enum routine_side side;
	int rep, reps;              /* rep > 0: this segment begins rep `rep` of `reps` */
	const char *chime;          /* sound at the segment's start (SAY, PHASE), or NULL */
	char *text;                 /* SAY, PHASE: spoken; WAIT: spoken in it, cut to fit */
	enum routine_breath breath; /* PHASE */
	int64_t ms;                 /* WAIT, HOLD, PHASE: length */
	const struct routine_step *src;
};

struct plan {
	struct seg *segs;
	size_t n;
	int nsteps;
	const struct routine *routine;
	const struct voice *voice;
	int brief;                  /* a step's instructions cut to their first sentence */
};

/* The plan keeps pointers into r and v: they must outlive it. evening: the session winds
 * down, and closes with the evening's words. */
void plan_build(struct plan *p, const struct routine *r, const struct voice *v, int brief,
		int evening);
/* A plan that only says text (`limber say`, the daemon's menu); r has no steps. */
void plan_say(struct plan *p, const struct routine *r, const struct voice *v, const char *text);
/* Words after the closing words (progression advice), before the session starts. */
void plan_append_say(struct plan *p, const char *text);
void plan_done(struct plan *p);

/* Index of the first segment of step (1-based), or p->n if there is none. */
size_t plan_step_start(const struct plan *p, int step);

/*
 * Fill {name} variables in tmpl from vars (pairs of name, value, ended by
 * NULL) into out. Unknown variables are left as they are.
 */
void plan_fill(const char *tmpl, const char *const *vars, struct sbuf *out);

#endif

/*
 * session: the sequencer. It walks a plan and says what sounds when, to
 * the sample, on a clock it is given; it does no I/O and knows nothing of
 * devices or files. Speech lengths come from the caller's speak() (real
 * synthesis in a render, an estimate in `check`, a fake in tests), which
 * is what makes a 25-minute routine testable in milliseconds.
 *
 * The timing contract lives here: a hold's end chime starts exactly
 * `hold` after its start chime; speech never delays a chime; breath words
 * start on their beats and are cut to fit them; cues inside a hold never
 * sound on a chime.
 */
#ifndef LIMBER_SESSION_H
#define LIMBER_SESSION_H

#include "plan.h"

#include <stdint.h>

struct pcm;

enum sev_kind {
	SEV_STEP,       /* a step begins (detail: its name) */
	SEV_SPEECH,
	SEV_CHIME,      /* detail: the sample's file name in sounds/ */
	SEV_HOLD_START,
	SEV_HOLD_END,
	SEV_BREATH,     /* detail: in, hold, out or the count word */
	SEV_REP,        /* detail: "3/20" */
	SEV_END
};

struct session_event {
	uint64_t at;            /* frames from the start of the session */
	enum sev_kind kind;
	int step;               /* 1-based, 0 outside steps */
	enum routine_side side;
	const char *detail;     /* valid until the next session call */
	struct pcm *pcm;        /* a reference for the caller, or NULL when silent */
	uint64_t frames;        /* the sound's length, before any cut */
	uint64_t max_frames;    /* cut the sound here, with a short fade (0: play it whole) */
};

struct session_ops {
	void *ctx;
	/* The sound of text, and its length in frames. *pcm may be NULL (no audio made). */
	int (*speak)(void *ctx, const char *text, struct pcm **pcm, uint64_t *frames, char *err);
	int (*chime)(void *ctx, const char *file, struct pcm **pcm, uint64_t *frames, char *err);
	void (*release)(void *ctx, struct pcm *pcm);
};

/* Gaps that shape a session, in milliseconds. */
#define SESSION_SAY_GAP_MS 600      /* silence after each thing said */
#define SESSION_CHIME_GUARD_MS 600  /* no speech starts this soon after a chime */
#define SESSION_TICK_GUARD_MS 150   /* ... or after a rep tick */
#define SESSION_CUT_GAP_MS 40       /* a cut word ends this long before what follows */
#define SESSION_MIN_WORD_MS 250     /* room below this is too short to say anything */
/* Inside a hold with cues on, no two cues (nor a chime and a cue) start further apart. */
#define SESSION_QUIET_MAX_MS 50000

struct session;

/* The session keeps p and ops; both must outlive it. */
struct session *session_new(const struct plan *p, unsigned rate, const struct session_ops *ops);
void session_free(struct session *s);

/* The next event in time order: 1, or 0 after SEV_END, or -1 with err. */
int session_next(struct session *s, struct session_event *ev, char *err);

/* Drop what is pending and go on from the start of step (1-based; nsteps+1:
 * the closing words) at frame `at`. */
void session_seek(struct session *s, int step, uint64_t at);

uint64_t session_ms_to_frames(const struct session *s, int64_t ms);

/* The frame where the hold now under way ends, if its end is still to come
 * from session_next(); 0 otherwise. */
uint64_t session_hold_end(const struct session *s);

/* Move a pending hold end (and all that follows) later by frames. 0, or -1
 * when no hold end is pending. */
int session_extend(struct session *s, uint64_t frames);
/* Move every event still queued, and all that follows, later by frames: for a
 * caller that has already pulled the hold end (and moves that one itself). */
void session_delay(struct session *s, uint64_t frames);

/* How far through the plan the events just handed out are, 0 to 1. */
double session_progress(const struct session *s);

const char *session_kind_name(enum sev_kind k);

/*
 * The breaths a hold of `hold` counts with pattern p, its beat `beat` long (any
 * unit, the same for both): whole cycles only, the first one beat after the
 * start chime. What a routine promises ("four breaths") is held to this.
 */
uint64_t session_breath_cycles(const struct breath_pattern *p, uint64_t hold, uint64_t beat);

#endif

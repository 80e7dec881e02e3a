/*
 * engine: one routine made ready to play. It loads the routine and its
 * voice, builds the plan, and gives the session its sources: eSpeak NG
 * for speech and sounds/ for chimes, or, for `check` and `list`, an
 * estimate of speech lengths with no audio at all. The render (render.c)
 * and the live player both drive the same engine.
 */
#ifndef LIMBER_ENGINE_H
#define LIMBER_ENGINE_H

#include "library.h"
#include "plan.h"
#include "session.h"

/* The rate `check` and `list` estimate at; any rate gives the same times. */
#define ENGINE_RATE 48000

struct speech;
struct chimes;

struct engine_opts {
	const char *voice;      /* override the routine's voice, or NULL */
	unsigned rate;          /* engine rate; 0: eSpeak NG's own, so speech needs no resampling */
	int evening;            /* wind down even if the routine is not `when: evening` */
	int brief;              /* short instructions: step name and first sentence */
};

/* Evening mode: by the last step speech is this much slower and quieter, chimes softer. */
#define ENGINE_EVENING_RATE 0.82
#define ENGINE_EVENING_SPEECH_GAIN 0.6   /* -4.4 dB */
#define ENGINE_EVENING_CHIME_GAIN 0.45   /* -6.9 dB */

struct engine {
	const struct library *lib;
	unsigned rate;
	struct routine *routine;
	struct voice *voice;
	struct plan plan;
	struct speech *speech;
	struct chimes *chimes;
	struct session *session;
	struct session_ops ops;
	float speech_gain, chime_gain;
	int evening;
	int spoken;             /* utterances made so far */
	int ui_made;            /* the answers to keys are made (engine_ui_ready) */
};

/* Load the routine (NAME or file) and its voice and build the plan. */
int engine_load(struct engine *e, const struct library *lib, const char *arg,
		const struct engine_opts *o, char *err);
/* The same for a plan that only says text, in voice o->voice (default calm). */
int engine_load_text(struct engine *e, const struct library *lib, const char *text,
		     const struct engine_opts *o, char *err);
/* Start synthesis and the session at rate (0: the synthesizer's), ready for session_next(). */
int engine_start(struct engine *e, unsigned rate, char *err);
void engine_done(struct engine *e);

/*
 * Before everything the routine says: words (the safety words, the
 * morning caution), and a lead-in for a speaker that sleeps and clips the
 * first sound it gets: ms of silence, then, with tone, a soft tone the
 * first words follow (the "lead-in" chime, made here, no file). Call
 * engine_say_first first: the lead-in goes before it. The plan's steps
 * and their starts are kept, so --step and seeking are unchanged.
 */
#define ENGINE_LEAD_IN_TONE "lead-in"
void engine_say_first(struct engine *e, const char *text);
void engine_lead_in(struct engine *e, int64_t ms, int tone);

/* The gain to play an event's sound at (evening mode eases it down). */
/*
 * The live player's answers to keys (paused, resuming, ...), made once and
 * kept, in a render too: synthesized mid-session they would change eSpeak
 * NG's state and so the length of everything said after them (speech.h).
 * They are made after the first words and before the second, so the first
 * sound waits for nothing but its own words; a player that must answer a
 * key before then calls this first, keeping the order the same.
 */
int engine_ui_ready(struct engine *e, char *err);

float engine_gain(const struct engine *e, const struct session_event *ev);

/*
 * Estimated timing without synthesis: the total, and the start of each
 * step in step_ms[1..nsteps] (step_ms may be NULL).
 */
int engine_estimate(struct engine *e, int64_t *total_ms, int64_t *step_ms, char *err);

/* The estimate's guess at how long eSpeak takes to say text at wpm. */
int64_t engine_speech_estimate_ms(const char *text, int wpm);

#endif

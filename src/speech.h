/*
 * speech: text to sound through libespeak-ng, in-process and synchronous.
 *
 * eSpeak NG is one global, not thread-safe engine: one thread owns every
 * call here, and one speech object is in use at a time (speech_new sets the
 * voice for the whole process). Short phrases (counts, cues, side names) are synthesized once
 * and kept; instructions are made when needed and dropped after playing.
 * Output is trimmed of leading and trailing silence so a word starts on
 * the sample it is scheduled for.
 *
 * eSpeak NG carries state from one utterance to the next: the same text
 * can come out tens of milliseconds longer or shorter depending on what
 * was said before (not its noise, which speech.c seeds per utterance, but
 * the synthesiser's own state). The same calls in the same order give the same sound,
 * so anything that must time the same in a render and live (the session)
 * has to be synthesized in the same order in both; see engine_start().
 */
#ifndef LIMBER_SPEECH_H
#define LIMBER_SPEECH_H

#include "voice.h"

struct pcm;
struct speech;

/* Speech at rate (0: eSpeak NG's own rate, with no resampling). */
int speech_new(const struct voice *v, unsigned rate, struct speech **out, char *err);
void speech_free(struct speech *sp);

/* The rate of the sound speech_say() makes. */
unsigned speech_rate(const struct speech *sp);

/* Change the speaking rate (words per minute) from the next phrase on. */
void speech_set_rate(struct speech *sp, int wpm);

/* The voice's own rate, and the one in use (speech_set_rate changes it). */
int speech_base_rate(const struct speech *sp);
int speech_rate_wpm(const struct speech *sp);

/* The sound of text at the engine rate; the caller owns the reference. */
int speech_say(struct speech *sp, const char *text, struct pcm **out, char *err);

/*
 * Release eSpeak NG's global state (its thread and data): once, at exit.
 * eSpeak NG 1.51 hangs if it is initialised again after this, so a
 * long-running process keeps it for its whole life.
 */
void speech_shutdown(void);

/* Normalise text for eSpeak: one line, no control characters, no "..", capped. */
char *speech_clean(const char *text);

#endif

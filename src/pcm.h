/*
 * pcm: a mono 16-bit sound at the engine rate, shared by reference.
 *
 * Speech, chimes and words are pcm buffers; the mixer plays them by
 * reference so a count word synthesized once sounds a thousand times.
 * References are taken and dropped on the main thread only; the audio
 * thread borrows them and hands them back (see mixer.h). Sounds are kept
 * as 16-bit samples, which is what eSpeak NG and the chime files give, at
 * half the memory of floats; the mixer sums in float.
 */
#ifndef LIMBER_PCM_H
#define LIMBER_PCM_H

#include <stddef.h>
#include <stdint.h>

struct pcm {
	int refs;
	uint64_t frames;
	int16_t *data;
};

struct pcm *pcm_new(uint64_t frames);
struct pcm *pcm_ref(struct pcm *p);
void pcm_unref(struct pcm *p);

/* Mono float at in_rate to a pcm at out_rate (libsamplerate). */
struct pcm *pcm_resample(const float *in, size_t n, unsigned in_rate, unsigned out_rate,
			 char *err);
/* Mono 16-bit at in_rate to a pcm at out_rate; copied as is when the rates agree. */
struct pcm *pcm_from_s16(const int16_t *in, size_t n, unsigned in_rate, unsigned out_rate,
			 char *err);

/* Load a sound file (libsndfile), mix to mono, resample to rate. */
int pcm_load(const char *path, unsigned rate, struct pcm **out, char *err);

#endif

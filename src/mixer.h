/*
 * mixer: sums the sounds that are playing onto one sample clock.
 *
 * A sound is added with the frame it starts on; mixer_render() fills a
 * block starting at a given frame, so a sound starts on its exact sample
 * whatever the block size. The mixer allocates nothing, locks nothing and
 * frees nothing, so the same code runs in the audio callback: sounds that
 * have finished are only handed back through mixer_reap(), for the owner
 * to release on its own thread.
 */
#ifndef LIMBER_MIXER_H
#define LIMBER_MIXER_H

#include <stddef.h>
#include <stdint.h>

#define MIXER_VOICES 64
#define MIXER_FADE_FRAMES 240   /* 5 ms at 48 kHz: the fade before a cut */

struct pcm;

struct mixer_voice {
	struct pcm *pcm;
	uint32_t id;        /* the owner's name for it, reported when it starts */
	int started;
	int cut;            /* cut short by mixer_cut: fade out at len */
	uint64_t at;        /* first frame */
	uint64_t len;       /* frames to play (a cut is shorter than the sound) */
	float gain;
};

struct mixer {
	struct mixer_voice v[MIXER_VOICES];
	size_t n;
	struct pcm *done[MIXER_VOICES];
	size_t ndone;
	float gain;         /* master */
};

void mixer_init(struct mixer *m);
/* Play pcm from frame at; takes over the caller's reference. -1 when full. */
int mixer_add(struct mixer *m, struct pcm *pcm, uint64_t at, uint64_t max_frames, float gain);
/* The voice just added, to tag it with an id. */
struct mixer_voice *mixer_last(struct mixer *m);
/*
 * Stop what plays at frame `from`: sounds not yet started are dropped (their
 * ids written to dropped, at most MIXER_VOICES), sounding ones fade out over
 * fade frames. Returns how many were dropped.
 */
size_t mixer_cut(struct mixer *m, uint64_t from, uint64_t fade, uint32_t *dropped);
/* Fill out[0..n) with the mix of frames [t0, t0+n). */
void mixer_render(struct mixer *m, float *out, size_t n, uint64_t t0);
/* Take back up to max finished sounds; the caller releases them. */
size_t mixer_reap(struct mixer *m, struct pcm **out, size_t max);
/* Stop everything now (its sounds become reapable). */
void mixer_stop_all(struct mixer *m);
int mixer_idle(const struct mixer *m);

#endif

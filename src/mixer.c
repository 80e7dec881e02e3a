/*
 * mixer: a fixed table of playing sounds summed into float blocks.
 */
#include "mixer.h"

#include "pcm.h"

#include <string.h>

static void mixer_retire(struct mixer *m, size_t i);

void mixer_init(struct mixer *m)
{
	memset(m, 0, sizeof(*m));
	m->gain = 1.0f;
}

int mixer_add(struct mixer *m, struct pcm *pcm, uint64_t at, uint64_t max_frames, float gain)
{
	struct mixer_voice *v;

	if (m->n == MIXER_VOICES || m->ndone + m->n >= MIXER_VOICES)
		return -1;
	v = &m->v[m->n++];
	v->pcm = pcm;
	v->at = at;
	v->len = max_frames && max_frames < pcm->frames ? max_frames : pcm->frames;
	v->gain = gain;
	v->id = 0;
	v->started = 0;
	v->cut = 0;
	return 0;
}

struct mixer_voice *mixer_last(struct mixer *m)
{
	return m->n ? &m->v[m->n - 1] : NULL;
}

size_t mixer_cut(struct mixer *m, uint64_t from, uint64_t fade, uint32_t *dropped)
{
	size_t nd = 0;

	for (size_t i = 0; i < m->n;) {
		struct mixer_voice *v = &m->v[i];

		if (v->at >= from) {
			dropped[nd++] = v->id;
			mixer_retire(m, i);
			continue;
		}
		if (v->at + v->len > from + fade) {
			v->len = from + fade - v->at;
			v->cut = 1;
		}
		i++;
	}
	return nd;
}

static void mixer_retire(struct mixer *m, size_t i)
{
	m->done[m->ndone++] = m->v[i].pcm;
	m->v[i] = m->v[--m->n];
}

void mixer_render(struct mixer *m, float *out, size_t n, uint64_t t0)
{
	memset(out, 0, n * sizeof(*out));
	for (size_t i = 0; i < m->n;) {
		struct mixer_voice *v = &m->v[i];
		uint64_t from = v->at > t0 ? v->at : t0, to = v->at + v->len;
		int cut = v->len < v->pcm->frames || v->cut;
		uint64_t fade_from = cut && v->len > MIXER_FADE_FRAMES ? to - MIXER_FADE_FRAMES : to;
		float g = v->gain * m->gain / 32768.0f;

		if (to > t0 + n)
			to = t0 + n;
		for (uint64_t f = from; f < to; f++) {
			float s = (float)v->pcm->data[f - v->at] * g;

			if (f >= fade_from)
				s *= (float)(v->at + v->len - f) / MIXER_FADE_FRAMES;
			out[f - t0] += s;
		}
		if (v->at + v->len <= t0 + n)
			mixer_retire(m, i);
		else
			i++;
	}
}

size_t mixer_reap(struct mixer *m, struct pcm **out, size_t max)
{
	size_t k = m->ndone < max ? m->ndone : max;

	memcpy(out, m->done, k * sizeof(*out));
	memmove(m->done, m->done + k, (m->ndone - k) * sizeof(*out));
	m->ndone -= k;
	return k;
}

void mixer_stop_all(struct mixer *m)
{
	while (m->n)
		mixer_retire(m, m->n - 1);
}

int mixer_idle(const struct mixer *m)
{
	return m->n == 0;
}

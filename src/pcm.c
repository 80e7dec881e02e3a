/*
 * pcm: reference-counted sound buffers, loading through libsndfile and
 * rate conversion through libsamplerate.
 */
#include "pcm.h"

#include "util.h"

#include <samplerate.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>

#define PCM_MAX_LOAD_FRAMES ((sf_count_t)48000 * 60)  /* a chime is seconds long, not minutes */

struct pcm *pcm_new(uint64_t frames)
{
	struct pcm *p = util_xcalloc(1, sizeof(*p));

	p->refs = 1;
	p->frames = frames;
	p->data = util_xcalloc(frames ? frames : 1, sizeof(*p->data));
	return p;
}

struct pcm *pcm_ref(struct pcm *p)
{
	if (p)
		p->refs++;
	return p;
}

void pcm_unref(struct pcm *p)
{
	if (!p || --p->refs > 0)
		return;
	free(p->data);
	free(p);
}

struct pcm *pcm_resample(const float *in, size_t n, unsigned in_rate, unsigned out_rate,
			 char *err)
{
	SRC_DATA d;
	struct pcm *p;
	float *out;
	int rc;

	memset(&d, 0, sizeof(d));
	d.src_ratio = (double)out_rate / in_rate;
	d.output_frames = (long)((double)n * d.src_ratio) + 16;
	out = util_xmalloc((size_t)d.output_frames * sizeof(float));
	if (in_rate == out_rate) {
		memcpy(out, in, n * sizeof(float));
		d.output_frames_gen = (long)n;
	} else {
		d.data_in = in;
		d.input_frames = (long)n;
		d.data_out = out;
		rc = src_simple(&d, SRC_SINC_FASTEST, 1);
		if (rc) {
			free(out);
			util_err(err, "resampling failed: %s", src_strerror(rc));
			return NULL;
		}
	}
	p = pcm_new((uint64_t)d.output_frames_gen);
	src_float_to_short_array(out, p->data, (int)d.output_frames_gen);
	free(out);
	return p;
}

/*
 * Streamed through libsamplerate a block at a time, straight into the 16-bit
 * result: a long instruction at 48 kHz would otherwise need float copies of
 * the whole of it, in and out, several times its final size.
 */
struct pcm *pcm_from_s16(const int16_t *in, size_t n, unsigned in_rate, unsigned out_rate,
			 char *err)
{
	enum { BLOCK = 4096 };
	float fin[BLOCK], fout[BLOCK * 8];
	double ratio = (double)out_rate / in_rate;
	SRC_STATE *st;
	SRC_DATA d;
	struct pcm *p;
	size_t done = 0, made = 0;
	int rc = 0;

	if (in_rate == out_rate) {
		p = pcm_new(n);
		memcpy(p->data, in, n * sizeof(*in));
		return p;
	}
	if (ratio > 8.0 || ratio < 0.125) {
		util_err(err, "cannot resample %u Hz to %u Hz", in_rate, out_rate);
		return NULL;
	}
	st = src_new(SRC_SINC_FASTEST, 1, &rc);
	if (!st) {
		util_err(err, "resampling failed: %s", src_strerror(rc));
		return NULL;
	}
	p = pcm_new((uint64_t)((double)n * ratio) + 64);
	memset(&d, 0, sizeof(d));
	d.src_ratio = ratio;
	d.data_out = fout;
	d.output_frames = (long)BLOCK * 8;
	do {
		size_t k = n - done < BLOCK ? n - done : BLOCK;

		src_short_to_float_array(in + done, fin, (int)k);
		d.data_in = fin;
		d.input_frames = (long)k;
		d.end_of_input = done + k == n;
		rc = src_process(st, &d);
		if (rc)
			break;
		/* What the converter did not take (its output was full) goes in again. */
		done += (size_t)d.input_frames_used;
		if (made + (size_t)d.output_frames_gen > p->frames)
			d.output_frames_gen = (long)(p->frames - made);
		src_float_to_short_array(fout, p->data + made, (int)d.output_frames_gen);
		made += (size_t)d.output_frames_gen;
	} while (done < n || d.output_frames_gen > 0);
	src_delete(st);
	if (rc) {
		pcm_unref(p);
		util_err(err, "resampling failed: %s", src_strerror(rc));
		return NULL;
	}
	p->frames = made;
	return p;
}

int pcm_load(const char *path, unsigned rate, struct pcm **out, char *err)
{
	SF_INFO info;
	SNDFILE *sf;
	float *buf, *mono;
	sf_count_t got;

	*out = NULL;
	memset(&info, 0, sizeof(info));
	sf = sf_open(path, SFM_READ, &info);
	if (!sf)
		return util_err(err, "%s: cannot read sound: %s", path, sf_strerror(NULL));
	if (info.frames <= 0 || info.frames > PCM_MAX_LOAD_FRAMES || info.channels < 1 ||
	    info.channels > 8 || info.samplerate < 8000 || info.samplerate > 192000) {
		sf_close(sf);
		return util_err(err, "%s: not a usable sound (length, channels or rate)", path);
	}
	buf = util_xmalloc((size_t)info.frames * (size_t)info.channels * sizeof(float));
	got = sf_readf_float(sf, buf, info.frames);
	sf_close(sf);
	mono = util_xcalloc((size_t)(got > 0 ? got : 1), sizeof(float));
	for (sf_count_t i = 0; i < got; i++) {
		float sum = 0;

		for (int c = 0; c < info.channels; c++)
			sum += buf[i * info.channels + c];
		mono[i] = sum / (float)info.channels;
	}
	free(buf);
	*out = pcm_resample(mono, (size_t)(got > 0 ? got : 0), (unsigned)info.samplerate, rate, err);
	free(mono);
	return *out ? 0 : -1;
}

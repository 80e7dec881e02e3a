/*
 * speech: eSpeak NG synthesis into memory, trimmed, resampled, cached.
 *
 * Known traps in eSpeak NG 1.51 shape this file: espeak_Initialize exits
 * the process when its data is missing, so initialisation goes through
 * the espeak_ng_* calls, which return a status; setting a voice leaks when
 * nothing is spoken, so the voice is set once; text ending in ".." could
 * loop, so text is normalised and capped; SSML is never turned on, so
 * '<' and '&' are plain characters.
 */
#include "speech.h"

#include "pcm.h"
#include "util.h"

#include <espeak-ng/espeak_ng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPEECH_MAX_TEXT 4000
#define SPEECH_CACHE_TEXT 64      /* phrases this short are kept */
#define SPEECH_CACHE_BUCKETS 256
#define SPEECH_MAX_FRAMES ((size_t)22050 * 600) /* ten minutes of speech in one go is a bug */
#define SPEECH_SILENCE 0.004f    /* below this is silence when trimming */
#define SPEECH_KEEP_BUF ((size_t)22050 * 10) /* scratch kept between utterances, in samples */
#define SPEECH_SEED 1             /* the noise generator's state at each utterance */

struct cached {
	struct cached *next;
	int rate;
	char *text;
	struct pcm *pcm;
};

struct speech {
	unsigned rate;            /* engine rate */
	unsigned in_rate;         /* eSpeak's */
	int wpm, set_wpm;
	int base_wpm;             /* the voice's own rate */
	short *buf;
	size_t len, cap;
	int overflow;
	struct cached *cache[SPEECH_CACHE_BUCKETS];
};

static int speech_initialised;

static int speech_synth_cb(short *wav, int n, espeak_EVENT *events)
{
	struct speech *sp = events ? events->user_data : NULL;

	if (!sp || !wav || n <= 0)
		return 0;
	if (sp->len + (size_t)n > SPEECH_MAX_FRAMES) {
		sp->overflow = 1;
		return 1; /* abort */
	}
	if (sp->len + (size_t)n > sp->cap) {
		while (sp->len + (size_t)n > sp->cap)
			sp->cap = sp->cap ? sp->cap * 2 : 65536;
		sp->buf = util_xrealloc(sp->buf, sp->cap * sizeof(short));
	}
	memcpy(sp->buf + sp->len, wav, (size_t)n * sizeof(short));
	sp->len += (size_t)n;
	return 0;
}

static int speech_status(espeak_ng_STATUS st, const char *what, char *err)
{
	char msg[256];

	if (st == ENS_OK)
		return 0;
	espeak_ng_GetStatusCodeMessage(st, msg, sizeof(msg));
	return util_err(err, "eSpeak NG: %s: %s", what, msg);
}

int speech_new(const struct voice *v, unsigned rate, struct speech **out, char *err)
{
	struct speech *sp;
	char name[128];

	*out = NULL;
	if (!speech_initialised) {
		espeak_ng_ERROR_CONTEXT ctx = NULL;
		espeak_ng_STATUS st;

		espeak_ng_InitializePath(NULL);
		st = espeak_ng_Initialize(&ctx);
		if (st != ENS_OK) {
			espeak_ng_ClearErrorContext(&ctx);
			speech_status(st, "cannot load its data (is espeak-ng-data installed?)", err);
			return -1;
		}
		st = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL);
		if (speech_status(st, "cannot set up synthesis", err) < 0)
			return -1;
		espeak_SetSynthCallback(speech_synth_cb);
		speech_initialised = 1;
	}
	if (v->variant[0])
		snprintf(name, sizeof(name), "%s+%s", v->espeak, v->variant);
	else
		snprintf(name, sizeof(name), "%s", v->espeak);
	if (speech_status(espeak_ng_SetVoiceByName(name), name, err) < 0 &&
	    speech_status(espeak_ng_SetVoiceByName(v->espeak), v->espeak, err) < 0)
		return -1;
	espeak_ng_SetParameter(espeakPITCH, v->pitch, 0);
	espeak_ng_SetParameter(espeakRANGE, v->range, 0);
	espeak_ng_SetParameter(espeakVOLUME, v->volume, 0);
	espeak_ng_SetParameter(espeakWORDGAP, v->word_gap, 0);
	espeak_ng_SetParameter(espeakRATE, v->rate, 0);

	sp = util_xcalloc(1, sizeof(*sp));
	sp->in_rate = (unsigned)espeak_ng_GetSampleRate();
	sp->rate = rate ? rate : sp->in_rate;
	sp->wpm = sp->set_wpm = sp->base_wpm = v->rate;
	*out = sp;
	return 0;
}

void speech_shutdown(void)
{
	if (speech_initialised)
		espeak_ng_Terminate();
	speech_initialised = 0;
}

void speech_free(struct speech *sp)
{
	if (!sp)
		return;
	for (size_t i = 0; i < SPEECH_CACHE_BUCKETS; i++) {
		struct cached *c = sp->cache[i], *next;

		for (; c; c = next) {
			next = c->next;
			pcm_unref(c->pcm);
			free(c->text);
			free(c);
		}
	}
	free(sp->buf);
	free(sp);
}

unsigned speech_rate(const struct speech *sp)
{
	return sp->rate;
}

/* Drop cached phrases made at rates other than keep and the voice's own. */
static void speech_purge(struct speech *sp, int keep)
{
	for (size_t i = 0; i < SPEECH_CACHE_BUCKETS; i++) {
		struct cached **pp = &sp->cache[i];

		while (*pp) {
			struct cached *c = *pp;

			if (c->rate != keep && c->rate != sp->base_wpm) {
				*pp = c->next;
				pcm_unref(c->pcm);
				free(c->text);
				free(c);
			} else {
				pp = &c->next;
			}
		}
	}
}

void speech_set_rate(struct speech *sp, int wpm)
{
	if (wpm < espeakRATE_MINIMUM)
		wpm = espeakRATE_MINIMUM;
	/*
	 * Evening mode only slows down: words at a rate left behind are not said
	 * again. (A step up is the player saying an answer at the voice's own
	 * rate and coming back; nothing is dropped for that.)
	 */
	if (wpm < sp->wpm && sp->wpm != sp->base_wpm)
		speech_purge(sp, wpm);
	sp->wpm = wpm;
}

int speech_base_rate(const struct speech *sp)
{
	return sp->base_wpm;
}

int speech_rate_wpm(const struct speech *sp)
{
	return sp->wpm;
}

char *speech_clean(const char *text)
{
	size_t n = strlen(text);
	char *s = util_xmalloc(n + 1), *w = s;

	for (const char *r = text; *r && (size_t)(w - s) < SPEECH_MAX_TEXT; r++) {
		unsigned char c = (unsigned char)*r;

		if (c < 0x20 || c == 0x7f)
			c = ' ';
		if (c == '.' && w > s && w[-1] == '.')
			continue;
		*w++ = (char)c;
	}
	*w = '\0';
	util_squeeze_space(s);
	return s;
}

static unsigned speech_hash(const char *s, int rate)
{
	unsigned h = 2166136261u ^ (unsigned)rate;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % SPEECH_CACHE_BUCKETS;
}

static struct pcm *speech_trimmed(struct speech *sp, char *err);

/*
 * Breathy variants (calm's f2) mix noise into the voice, from one generator
 * for the whole process: libc's rand() in eSpeak NG 1.51, its own in 1.52,
 * which seeds it from the clock at start-up. Left alone, an utterance would
 * sound a little different in every run, and differently again when the live
 * player synthesises in another order than the render (the noise also moves
 * the trim by a few samples). Seeded before each utterance, its sound
 * depends on its text and the voice alone.
 */
static void speech_seed(void)
{
#ifdef LIMBER_ESPEAK_RAND_SEED
	espeak_ng_SetRandSeed(SPEECH_SEED);
#else
	srand(SPEECH_SEED);
#endif
}

static struct pcm *speech_synth(struct speech *sp, const char *text, char *err)
{
	struct pcm *p;
	espeak_ng_STATUS st;

	if (sp->wpm != sp->set_wpm) {
		espeak_ng_SetParameter(espeakRATE, sp->wpm, 0);
		sp->set_wpm = sp->wpm;
	}
	sp->len = 0;
	sp->overflow = 0;
	speech_seed();
	st = espeak_ng_Synthesize(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
				  NULL, sp);
	if (speech_status(st, "synthesis failed", err) < 0)
		return NULL;
	if (sp->overflow) {
		util_err(err, "eSpeak NG: speech too long: '%.40s...'", text);
		return NULL;
	}
	p = speech_trimmed(sp, err);
	/* A long instruction's scratch space is not kept for the rest of the session. */
	if (sp->cap > SPEECH_KEEP_BUF) {
		free(sp->buf);
		sp->buf = NULL;
		sp->cap = 0;
	}
	return p;
}

/* The buffered utterance, trimmed, at the engine rate. */
static struct pcm *speech_trimmed(struct speech *sp, char *err)
{
	size_t first = 0, last;
	short thr = (short)(SPEECH_SILENCE * 32767);

	/* Trim silence, keeping 5 ms before the first sound and 20 ms after the last. */
	while (first < sp->len && sp->buf[first] < thr && sp->buf[first] > -thr)
		first++;
	last = sp->len;
	while (last > first && sp->buf[last - 1] < thr && sp->buf[last - 1] > -thr)
		last--;
	first = first > sp->in_rate / 200 ? first - sp->in_rate / 200 : 0;
	last = last + sp->in_rate / 50 < sp->len ? last + sp->in_rate / 50 : sp->len;
	return pcm_from_s16(sp->buf + first, last - first, sp->in_rate, sp->rate, err);
}

int speech_say(struct speech *sp, const char *text, struct pcm **out, char *err)
{
	char *clean = speech_clean(text);
	struct cached *c;
	unsigned h;

	*out = NULL;
	if (strlen(clean) > SPEECH_CACHE_TEXT) {
		*out = speech_synth(sp, clean, err);
		free(clean);
		return *out ? 0 : -1;
	}
	h = speech_hash(clean, sp->wpm);
	for (c = sp->cache[h]; c; c = c->next) {
		if (c->rate == sp->wpm && !strcmp(c->text, clean)) {
			free(clean);
			*out = pcm_ref(c->pcm);
			return 0;
		}
	}
	c = util_xcalloc(1, sizeof(*c));
	c->pcm = speech_synth(sp, clean, err);
	if (!c->pcm) {
		free(c);
		free(clean);
		return -1;
	}
	c->text = clean;
	c->rate = sp->wpm;
	c->next = sp->cache[h];
	sp->cache[h] = c;
	*out = pcm_ref(c->pcm);
	return 0;
}

/*
 * engine: load, plan, and feed a session with real or estimated sounds.
 */
#include "engine.h"

#include "chimes.h"
#include "pcm.h"
#include "speech.h"
#include "util.h"

#include <math.h>
#include <string.h>

int engine_load(struct engine *e, const struct library *lib, const char *arg,
		const struct engine_opts *o, char *err)
{
	memset(e, 0, sizeof(*e));
	e->lib = lib;
	e->rate = ENGINE_RATE;
	e->speech_gain = 1.0f;
	e->chime_gain = 1.0f;
	if (library_load_routine(lib, arg, &e->routine, err) < 0)
		return -1;
	if (library_load_voice(lib, o && o->voice ? o->voice : e->routine->voice, &e->voice,
			       err) < 0) {
		char inner[LIMBER_ERR_LEN];

		memcpy(inner, err, sizeof(inner));
		util_err(err, "%s: %s", e->routine->path, inner);
		engine_done(e);
		return -1;
	}
	e->speech_gain = (float)e->voice->gain;
	e->evening = (o && o->evening) || e->routine->when == WHEN_EVENING;
	plan_build(&e->plan, e->routine, e->voice, o && o->brief, e->evening);
	return 0;
}

int engine_load_text(struct engine *e, const struct library *lib, const char *text,
		     const struct engine_opts *o, char *err)
{
	struct routine *r = util_xcalloc(1, sizeof(*r));

	memset(e, 0, sizeof(*e));
	e->lib = lib;
	e->rate = ENGINE_RATE;
	e->speech_gain = 1.0f;
	e->chime_gain = 1.0f;
	r->path = util_xstrdup("(text)");
	r->name = util_xstrdup("text");
	r->voice = util_xstrdup(o && o->voice ? o->voice : "calm");
	e->routine = r;
	if (library_load_voice(lib, r->voice, &e->voice, err) < 0) {
		engine_done(e);
		return -1;
	}
	e->speech_gain = (float)e->voice->gain;
	e->evening = o && o->evening;
	plan_say(&e->plan, r, e->voice, text);
	return 0;
}

/* The speaking rate for what session is saying now: slower towards the end of an evening. */
static int engine_wpm(const struct engine *e, const struct session *s)
{
	double p = e->evening ? session_progress(s) : 0;
	int wpm = (int)(e->voice->rate * (1.0 - (1.0 - ENGINE_EVENING_RATE) * p));

	/* In steps of 5 words a minute, so cached words are reused across a few steps. */
	return wpm - wpm % 5;
}

static const enum phrase engine_ui_phrases[] = { PH_PAUSED, PH_RESUMING, PH_EXTENDED,
						  PH_STOPPING, PH_STOP_NOW };

int engine_ui_ready(struct engine *e, char *err)
{
	int wpm = speech_rate_wpm(e->speech);

	if (e->ui_made)
		return 0;
	e->ui_made = 1;
	/* At the voice's own rate, as the player says them. */
	speech_set_rate(e->speech, speech_base_rate(e->speech));
	for (size_t i = 0; i < UTIL_ARRAY_LEN(engine_ui_phrases); i++) {
		struct pcm *p;

		if (speech_say(e->speech, voice_phrase(e->voice, engine_ui_phrases[i]), &p, err) < 0)
			return -1;
		pcm_unref(p);
	}
	speech_set_rate(e->speech, wpm);
	return 0;
}

static int engine_speak(void *ctx, const char *text, struct pcm **pcm, uint64_t *frames,
			char *err)
{
	struct engine *e = ctx;

	/* After the first words, before the second (see engine_ui_ready in engine.h). */
	if (e->spoken++ == 1 && engine_ui_ready(e, err) < 0)
		return -1;
	if (e->evening)
		speech_set_rate(e->speech, engine_wpm(e, e->session));
	if (speech_say(e->speech, text, pcm, err) < 0)
		return -1;
	*frames = (*pcm)->frames;
	return 0;
}

/* The lead-in tone: soft (-24 dBFS), low, faded in and out, so it wakes a speaker
 * without sounding like a cue. */
#define ENGINE_PI 3.14159265358979323846

static struct pcm *engine_tone(unsigned rate)
{
	uint64_t n = (uint64_t)rate * 400 / 1000;
	struct pcm *p = pcm_new(n);

	for (uint64_t i = 0; i < n; i++) {
		double t = (double)i / rate, env = sin(ENGINE_PI * (double)i / (double)n);

		p->data[i] = (int16_t)(2000.0 * env * env * sin(2 * ENGINE_PI * 392.0 * t));
	}
	return p;
}

static int engine_chime(void *ctx, const char *file, struct pcm **pcm, uint64_t *frames,
			char *err)
{
	struct engine *e = ctx;

	if (!strcmp(file, ENGINE_LEAD_IN_TONE)) {
		*pcm = engine_tone(e->rate);
		*frames = (*pcm)->frames;
		return 0;
	}
	if (chimes_get(e->chimes, file, pcm, err) < 0)
		return -1;
	*frames = (*pcm)->frames;
	return 0;
}

static void engine_release(void *ctx, struct pcm *pcm)
{
	(void)ctx;
	pcm_unref(pcm);
}

int engine_start(struct engine *e, unsigned rate, char *err)
{
	if (speech_new(e->voice, rate, &e->speech, err) < 0)
		return -1;
	e->rate = speech_rate(e->speech);
	e->chimes = chimes_new(e->lib, e->rate);
	e->ops.ctx = e;
	e->ops.speak = engine_speak;
	e->ops.chime = engine_chime;
	e->ops.release = engine_release;
	e->session = session_new(&e->plan, e->rate, &e->ops);
	return 0;
}

/*
 * A segment before all the plan has. Step starts are indexes into the
 * segments, so each moves with them; the opening words (step 0, start 0)
 * keep 0, which is now this segment: seeking to step 0 starts here.
 */
static struct seg *engine_prepend(struct engine *e, enum seg_kind kind)
{
	struct plan *p = &e->plan;

	p->segs = util_xrealloc(p->segs, (p->n + 1) * sizeof(*p->segs));
	memmove(p->segs + 1, p->segs, p->n * sizeof(*p->segs));
	p->n++;
	for (size_t i = 1; i < p->n; i++)
		if (p->segs[i].step || p->segs[i].step_start)
			p->segs[i].step_start++;
	memset(&p->segs[0], 0, sizeof(p->segs[0]));
	p->segs[0].kind = kind;
	return &p->segs[0];
}

void engine_say_first(struct engine *e, const char *text)
{
	/* The first sentence alone, then the rest: the first words are made before the
	 * stream starts (plan.c), and a paragraph would hold the start back. */
	const char *cut = text;
	struct seg *s;

	while (*cut && !((*cut == '.' || *cut == ':') && cut[1] == ' '))
		cut++;
	if (*cut && cut[2]) {
		s = engine_prepend(e, SEG_SAY);
		s->text = util_xstrdup(cut + 2);
		util_squeeze_space(s->text);
	} else {
		cut = text + strlen(text);
	}
	s = engine_prepend(e, SEG_SAY);
	s->text = util_xstrndup(text, (size_t)(cut - text) + (*cut ? 1 : 0));
	util_squeeze_space(s->text);
}

void engine_lead_in(struct engine *e, int64_t ms, int tone)
{
	if (tone) {
		for (size_t i = 0; i < e->plan.n; i++) {
			if (e->plan.segs[i].kind == SEG_SAY && !e->plan.segs[i].chime) {
				e->plan.segs[i].chime = ENGINE_LEAD_IN_TONE;
				break;
			}
		}
	}
	if (ms > 0)
		engine_prepend(e, SEG_WAIT)->ms = ms;
}

void engine_done(struct engine *e)
{
	session_free(e->session);
	chimes_free(e->chimes);
	speech_free(e->speech);
	plan_done(&e->plan);
	voice_free(e->voice);
	routine_free(e->routine);
	memset(e, 0, sizeof(*e));
}

float engine_gain(const struct engine *e, const struct session_event *ev)
{
	int chime = ev->kind == SEV_CHIME;
	double g = chime ? e->chime_gain : e->speech_gain, p;

	if (!e->evening)
		return (float)g;
	p = session_progress(e->session);
	return (float)(g * (1.0 - (1.0 - (chime ? ENGINE_EVENING_CHIME_GAIN
						 : ENGINE_EVENING_SPEECH_GAIN)) * p));
}

int64_t engine_speech_estimate_ms(const char *text, int wpm)
{
	int64_t words = 0, stops = 0;
	int in_word = 0;

	for (const char *p = text; *p; p++) {
		if (*p == ' ') {
			in_word = 0;
		} else if (!in_word) {
			in_word = 1;
			words++;
		}
		if (*p == '.' || *p == ',' || *p == ';' || *p == ':' || *p == '?' || *p == '!')
			stops++;
	}
	/* eSpeak pauses at punctuation: about a fifth of a second each at calm rates. */
	return words * 60000 / (wpm > 0 ? wpm : 150) + stops * 200;
}

struct estimate {
	const struct engine *e;
	struct session *s;
	unsigned rate;
};

static int estimate_speak(void *ctx, const char *text, struct pcm **pcm, uint64_t *frames,
			  char *err)
{
	struct estimate *es = ctx;

	(void)err;
	*pcm = NULL;
	*frames = (uint64_t)engine_speech_estimate_ms(text, engine_wpm(es->e, es->s)) * es->rate /
		  1000;
	return 0;
}

static int estimate_chime(void *ctx, const char *file, struct pcm **pcm, uint64_t *frames,
			  char *err)
{
	struct estimate *es = ctx;

	(void)file;
	(void)err;
	*pcm = NULL;
	*frames = es->rate;
	return 0;
}

int engine_estimate(struct engine *e, int64_t *total_ms, int64_t *step_ms, char *err)
{
	struct estimate es = { e, NULL, e->rate };
	struct session_ops ops = { &es, estimate_speak, estimate_chime, NULL };
	struct session *s = session_new(&e->plan, e->rate, &ops);
	struct session_event ev;
	int r;

	es.s = s;
	*total_ms = 0;
	while ((r = session_next(s, &ev, err)) > 0) {
		if (ev.kind == SEV_STEP && step_ms)
			step_ms[ev.step] = (int64_t)(ev.at * 1000 / e->rate);
		if (ev.kind == SEV_END)
			*total_ms = (int64_t)(ev.at * 1000 / e->rate);
	}
	session_free(s);
	return r;
}

/*
 * session: expand plan segments into timed events.
 *
 * Each segment is expanded whole into a small queue when the previous
 * one's events have been taken; its start is the end of the one before.
 * Only SAY segments stretch with speech; holds, waits and phases have
 * fixed lengths, which is why a hold can be exact whatever is said.
 */
#include "session.h"

#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct qev {
	struct session_event ev;
	char *detail;
};

struct session {
	const struct plan *plan;
	struct session_ops ops;
	unsigned rate;
	size_t seg;             /* next segment to expand */
	uint64_t t;             /* where it starts */
	uint64_t quiet_until;   /* no speech may start before this (after a chime) */
	int ended;
	struct qev *q;
	size_t qlen, qhead, qcap;
};

static const char *const kind_names[] = { "step",   "speech", "chime", "hold_start",
					  "hold_end", "breath", "rep",  "end" };

uint64_t session_hold_end(const struct session *s)
{
	for (size_t i = s->qhead; i < s->qlen; i++)
		if (s->q[i].ev.kind == SEV_HOLD_END)
			return s->q[i].ev.at;
	return 0;
}

int session_extend(struct session *s, uint64_t frames)
{
	size_t i;

	for (i = s->qhead; i < s->qlen; i++)
		if (s->q[i].ev.kind == SEV_HOLD_END)
			break;
	if (i == s->qlen)
		return -1;
	session_delay(s, frames);
	return 0;
}

void session_delay(struct session *s, uint64_t frames)
{
	/* Cues still to come are measured from the end: they move with it. */
	for (size_t i = s->qhead; i < s->qlen; i++)
		s->q[i].ev.at += frames;
	s->t += frames;
	if (s->quiet_until)   /* the quiet after the hold's end chime moves with the chime */
		s->quiet_until += frames;
}

double session_progress(const struct session *s)
{
	size_t n = s->plan->n;

	if (n < 2 || s->seg == 0)
		return 0;
	return (double)(s->seg - 1) / (double)(n - 1);
}

const char *session_kind_name(enum sev_kind k)
{
	return kind_names[k];
}

uint64_t session_ms_to_frames(const struct session *s, int64_t ms)
{
	return (uint64_t)ms * s->rate / 1000;
}

struct session *session_new(const struct plan *p, unsigned rate, const struct session_ops *ops)
{
	struct session *s = util_xcalloc(1, sizeof(*s));

	s->plan = p;
	s->ops = *ops;
	s->rate = rate;
	return s;
}

static void session_clear(struct session *s)
{
	for (size_t i = 0; i < s->qlen; i++) {
		if (i >= s->qhead && s->q[i].ev.pcm && s->ops.release)
			s->ops.release(s->ops.ctx, s->q[i].ev.pcm);
		free(s->q[i].detail);
	}
	s->qlen = s->qhead = 0;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	session_clear(s);
	free(s->q);
	free(s);
}

static struct session_event *session_push(struct session *s, uint64_t at, enum sev_kind kind,
					  const struct seg *seg, const char *detail)
{
	struct qev *e;

	if (s->qlen == s->qcap) {
		s->qcap = s->qcap ? s->qcap * 2 : 32;
		s->q = util_xrealloc(s->q, s->qcap * sizeof(*s->q));
	}
	e = &s->q[s->qlen++];
	memset(e, 0, sizeof(*e));
	e->detail = util_xstrdup(detail ? detail : "");
	e->ev.at = at;
	e->ev.kind = kind;
	e->ev.step = seg ? seg->step : 0;
	e->ev.side = seg ? seg->side : SIDE_NONE;
	e->ev.detail = e->detail;
	return &e->ev;
}

static int session_chime(struct session *s, const struct seg *seg, uint64_t at, const char *file,
			 uint64_t guard_ms, char *err)
{
	struct session_event *ev = session_push(s, at, SEV_CHIME, seg, file);

	if (s->ops.chime(s->ops.ctx, file, &ev->pcm, &ev->frames, err) < 0)
		return -1;
	s->quiet_until = at + session_ms_to_frames(s, (int64_t)guard_ms);
	return 0;
}

/*
 * Say text at `at` (or once the last chime has rung), cut to end before
 * `limit` when limit is not 0. Returns the frame where the speech ends, or
 * `at` when there was no room to say it.
 */
static int session_say(struct session *s, const struct seg *seg, enum sev_kind kind,
		       uint64_t at, uint64_t limit, const char *text, uint64_t *end, char *err)
{
	uint64_t start = at > s->quiet_until ? at : s->quiet_until, room = 0;
	uint64_t cut = session_ms_to_frames(s, SESSION_CUT_GAP_MS);
	struct session_event *ev;

	*end = at;
	if (limit) {
		if (limit < start + cut + session_ms_to_frames(s, SESSION_MIN_WORD_MS))
			return 0;
		room = limit - cut - start;
	}
	ev = session_push(s, start, kind, seg, text);
	if (s->ops.speak(s->ops.ctx, text, &ev->pcm, &ev->frames, err) < 0)
		return -1;
	if (room && ev->frames > room)
		ev->max_frames = room;
	*end = start + (ev->max_frames ? ev->max_frames : ev->frames);
	return 0;
}

uint64_t session_breath_cycles(const struct breath_pattern *p, uint64_t hold, uint64_t beat)
{
	uint64_t cycle = beat * (uint64_t)(p->in + p->hold + p->out + p->hold_out);

	/* Whole cycles only: a breath cut off by the end chime is worse than a quiet tail. */
	return cycle && hold >= beat + cycle ? (hold - beat) / cycle : 0;
}

static int session_breaths(struct session *s, const struct seg *seg, uint64_t t0, uint64_t hold,
			   char *err)
{
	const struct breath_pattern *p = &seg->src->pattern;
	const struct voice *v = s->plan->voice;
	const struct {
		int beats;
		enum phrase word;
	} phases[] = { { p->in, PH_IN }, { p->hold, PH_HOLD }, { p->out, PH_OUT },
		       { p->hold_out, PH_HOLD } };
	uint64_t beat = session_ms_to_frames(s, p->beat_ms);
	uint64_t cycle = beat * (uint64_t)(p->in + p->hold + p->out + p->hold_out);
	uint64_t b = t0 + beat, end, ncycles, c, nquiet = 0, reminders = 0;
	const struct routine_cues *cues = &seg->src->cues;

	ncycles = session_breath_cycles(p, hold, beat);
	/*
	 * A tapered count with cues on (a stretch, not a breathing routine) breaks a quiet
	 * longer than SESSION_QUIET_MAX_MS with the first word of a breath, on its beat,
	 * spread evenly: "In" alone, a sign of life that keeps the pace.
	 */
	if (p->count == COUNT_TAPER && ncycles > ROUTINE_TAPER_FIRST + 1 && cues->breathe) {
		uint64_t quiet_max = session_ms_to_frames(s, SESSION_QUIET_MAX_MS);

		nquiet = ncycles - 1 - ROUTINE_TAPER_FIRST;
		if (cycle && nquiet * cycle > quiet_max)
			reminders = (nquiet * cycle + quiet_max - 1) / quiet_max - 1;
	}
	for (c = 0; c < ncycles; c++) {
		/* Taper: the pace is set by the first breaths, and the last says the end is near. */
		int quiet = p->count == COUNT_TAPER && c >= ROUTINE_TAPER_FIRST && c + 1 < ncycles;
		int remind = 0;

		for (uint64_t k = 1; quiet && k <= reminders; k++)
			remind |= c == ROUTINE_TAPER_FIRST + (k * nquiet + (reminders + 1) / 2) /
								 (reminders + 1);

		/* Said once, over the first quiet breath: silence is then a choice, not a fault. */
		if (quiet && c == ROUTINE_TAPER_FIRST) {
			s->quiet_until = 0;
			if (session_say(s, seg, SEV_SPEECH, b, b + cycle, voice_phrase(v, PH_OWN_PACE),
					&end, err) < 0)
				return -1;
		}

		for (size_t i = 0; i < UTIL_ARRAY_LEN(phases); i++) {
			for (int j = 0; j < phases[i].beats; j++, b += beat) {
				char word[64];

				if ((quiet && !(remind && i == 0 && j == 0)) ||
				    (j > 0 && p->count == COUNT_PHASES))
					continue;
				if (j == 0)
					snprintf(word, sizeof(word), "%s", voice_phrase(v, phases[i].word));
				else
					voice_count(v, j + 1, word, sizeof(word));
				s->quiet_until = 0;
				if (session_say(s, seg, SEV_BREATH, b, b + beat, word, &end, err) < 0)
					return -1;
			}
		}
	}
	return 0;
}

struct cue {
	uint64_t at;
	char text[128];
};

struct cues {
	struct cue *c;
	size_t n, cap;
};

static int cue_cmp(const void *a, const void *b)
{
	const struct cue *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

static int cue_fits(const struct cues *c, uint64_t at, uint64_t spacing)
{
	for (size_t i = 0; i < c->n; i++)
		if ((at > c->c[i].at ? at - c->c[i].at : c->c[i].at - at) < spacing)
			return 0;
	return 1;
}

static void cue_add(struct cues *c, uint64_t at, const char *text)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->c = util_xrealloc(c->c, c->cap * sizeof(*c->c));
	}
	c->c[c->n].at = at;
	snprintf(c->c[c->n].text, sizeof(c->c[c->n].text), "%s", text);
	c->n++;
}

/* A phrase with {hold} filled in as a duration. */
static void cue_phrase(const struct voice *v, enum phrase ph, int64_t ms, char *out, size_t len)
{
	char d[96];
	const char *vars[] = { "hold", d, NULL };
	struct sbuf b;

	voice_duration(v, ms, d, sizeof(d));
	sbuf_init(&b);
	sbuf_add(&b, "");
	plan_fill(voice_phrase(v, ph), vars, &b);
	snprintf(out, len, "%s", b.s);
	sbuf_done(&b);
	/* A phrase that starts with the duration starts lower case ("two minutes left."). */
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

/*
 * Cues for a hold without breath counts, so a person with eyes closed knows
 * where they are: its length at the start ("Hold for 2 minutes."), the
 * minutes left in a hold of two minutes or more, halfway, ten seconds left,
 * 3-2-1; then, wherever a hold would still be quiet for longer than
 * SESSION_QUIET_MAX_MS, "Keep breathing." A cue that would crowd another
 * (within 2 s) is dropped, in that order of priority. Each has its key in
 * `cues` (the length `length`, the reminders `breathe`, the minutes left
 * come with ten_left); the length is said at a rep hold's first rep only
 * (the later ones are counted in the rest before them).
 */
static int session_cues(struct session *s, const struct seg *seg, uint64_t t0, uint64_t hold,
			char *err)
{
	const struct routine_cues *c = &seg->src->cues;
	const struct voice *v = s->plan->voice;
	uint64_t sec = session_ms_to_frames(s, 1000);
	uint64_t guard = session_ms_to_frames(s, SESSION_CHIME_GUARD_MS);
	uint64_t quiet_max = session_ms_to_frames(s, SESSION_QUIET_MAX_MS);
	int rc = 0;
	struct cues q = { NULL, 0, 0 };
	char text[128];
	size_t base;

	if (c->countdown && hold >= 10 * sec) {
		for (int i = 3; i >= 1; i--) {
			voice_count(v, i, text, sizeof(text));
			cue_add(&q, t0 + hold - (uint64_t)i * sec, text);
		}
	}
	if (c->ten_left && hold >= 25 * sec && cue_fits(&q, t0 + hold - 10 * sec, 2 * sec))
		cue_add(&q, t0 + hold - 10 * sec, voice_phrase(v, PH_TEN_LEFT));
	if (c->halfway && hold >= 40 * sec && cue_fits(&q, t0 + hold / 2, 2 * sec))
		cue_add(&q, t0 + hold / 2, voice_phrase(v, PH_HALFWAY));
	if (c->length && hold >= 10 * sec && seg->rep <= 1 && cue_fits(&q, t0 + guard, 2 * sec)) {
		cue_phrase(v, PH_HOLD_FOR, seg->ms, text, sizeof(text));
		cue_add(&q, t0 + guard, text);
	}
	if (c->ten_left && hold >= 120 * sec) {
		for (uint64_t m = 1; m * 60 * sec + 30 * sec <= hold; m++) {
			uint64_t at = t0 + hold - m * 60 * sec;

			if (!cue_fits(&q, at, 2 * sec))
				continue;
			cue_phrase(v, PH_TIME_LEFT, (int64_t)m * 60000, text, sizeof(text));
			cue_add(&q, at, text);
		}
	}
	if (q.n > 1)
		qsort(q.c, q.n, sizeof(*q.c), cue_cmp);
	/* Quiet longer than the limit, from the start chime to the end: reminders, evenly. */
	base = q.n;
	for (size_t i = 0; c->breathe && i <= base; i++) {
		uint64_t from = i ? q.c[i - 1].at : t0, to = i < base ? q.c[i].at : t0 + hold;
		uint64_t gap = to > from ? to - from : 0, k;

		if (gap <= quiet_max)
			continue;
		k = (gap + quiet_max - 1) / quiet_max - 1;   /* reminders that cut it to the limit */
		for (uint64_t j = 1; j <= k; j++)
			cue_add(&q, from + gap * j / (k + 1), voice_phrase(v, PH_BREATHE_ON));
	}
	if (q.n > 1)
		qsort(q.c, q.n, sizeof(*q.c), cue_cmp);
	for (size_t i = 0; i < q.n; i++) {
		uint64_t limit = i + 1 < q.n ? q.c[i + 1].at : t0 + hold, end;

		if (q.c[i].at < t0 + guard)
			continue;
		if ((rc = session_say(s, seg, SEV_SPEECH, q.c[i].at, limit, q.c[i].text, &end, err)) < 0)
			break;
	}
	free(q.c);
	return rc;
}

static int session_hold(struct session *s, const struct seg *seg, char *err)
{
	uint64_t t0 = s->t, hold = session_ms_to_frames(s, seg->ms);

	if (seg->rep) {
		char r[32];

		snprintf(r, sizeof(r), "%d/%d", seg->rep, seg->reps);
		session_push(s, t0, SEV_REP, seg, r);
	}
	session_push(s, t0, SEV_HOLD_START, seg, seg->src->name);
	if (session_chime(s, seg, t0, PLAN_CHIME_START, SESSION_CHIME_GUARD_MS, err) < 0)
		return -1;
	if (seg->src->breathe) {
		if (session_breaths(s, seg, t0, hold, err) < 0)
			return -1;
	} else if (session_cues(s, seg, t0, hold, err) < 0) {
		return -1;
	}
	session_push(s, t0 + hold, SEV_HOLD_END, seg, seg->src->name);
	if (session_chime(s, seg, t0 + hold, PLAN_CHIME_END, SESSION_CHIME_GUARD_MS, err) < 0)
		return -1;
	s->t = t0 + hold;
	return 0;
}

static int session_expand(struct session *s, char *err)
{
	const struct seg *seg = &s->plan->segs[s->seg];
	uint64_t end;

	if (seg->step && seg->step_start == s->seg)
		session_push(s, s->t, SEV_STEP, seg, s->plan->routine->steps[seg->step - 1].name);
	switch (seg->kind) {
	case SEG_SAY:
		if (seg->chime &&
		    session_chime(s, seg, s->t, seg->chime, SESSION_CHIME_GUARD_MS, err) < 0)
			return -1;
		if (session_say(s, seg, SEV_SPEECH, s->t, 0, seg->text, &end, err) < 0)
			return -1;
		s->t = end + session_ms_to_frames(s, SESSION_SAY_GAP_MS);
		break;
	case SEG_WAIT:
		end = s->t + session_ms_to_frames(s, seg->ms);
		if (seg->text && session_say(s, seg, SEV_SPEECH, s->t, end, seg->text, &end, err) < 0)
			return -1;
		s->t += session_ms_to_frames(s, seg->ms);
		break;
	case SEG_HOLD:
		if (session_hold(s, seg, err) < 0)
			return -1;
		break;
	case SEG_PHASE:
		end = s->t + session_ms_to_frames(s, seg->ms);
		if (seg->rep) {
			char r[32];

			snprintf(r, sizeof(r), "%d/%d", seg->rep, seg->reps);
			session_push(s, s->t, SEV_REP, seg, r);
		}
		if (seg->chime &&
		    session_chime(s, seg, s->t, seg->chime, SESSION_TICK_GUARD_MS, err) < 0)
			return -1;
		if (seg->breath != BREATH_NONE)
			session_push(s, s->t, SEV_BREATH, seg, routine_breath_name(seg->breath));
		if (session_say(s, seg, SEV_SPEECH, s->t, end, seg->text, &end, err) < 0)
			return -1;
		s->t += session_ms_to_frames(s, seg->ms);
		break;
	}
	s->seg++;
	return 0;
}

int session_next(struct session *s, struct session_event *ev, char *err)
{
	while (s->qhead == s->qlen) {
		if (s->ended)
			return 0;
		session_clear(s);
		if (s->seg == s->plan->n) {
			session_push(s, s->t, SEV_END, NULL, "");
			s->ended = 1;
			break;
		}
		if (session_expand(s, err) < 0) {
			session_clear(s);
			return -1;
		}
	}
	*ev = s->q[s->qhead++].ev;
	return 1;
}

void session_seek(struct session *s, int step, uint64_t at)
{
	session_clear(s);
	s->seg = step > s->plan->nsteps ? s->plan->n - 1 : plan_step_start(s->plan, step);
	s->t = at;
	s->quiet_until = 0;
	s->ended = 0;
}

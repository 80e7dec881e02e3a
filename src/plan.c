/*
 * plan: turn a routine into segments, following the order of a step as a
 * person hears it (docs/FORMAT.md): name and instructions, the side, the
 * setup time, then each rep's hold or flow, "release", and for the second
 * side the switch chime and words before it all again.
 */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void plan_fill(const char *tmpl, const char *const *vars, struct sbuf *out)
{
	const char *p = tmpl;

	while (*p) {
		const char *open = strchr(p, '{'), *close;
		size_t i;

		if (!open) {
			sbuf_add(out, p);
			return;
		}
		sbuf_addn(out, p, (size_t)(open - p));
		close = strchr(open, '}');
		if (!close) {
			sbuf_add(out, open);
			return;
		}
		for (i = 0; vars[i]; i += 2)
			if (strlen(vars[i]) == (size_t)(close - open - 1) &&
			    !strncmp(open + 1, vars[i], (size_t)(close - open - 1)))
				break;
		if (vars[i])
			sbuf_add(out, vars[i + 1]);
		else
			sbuf_addn(out, open, (size_t)(close - open + 1));
		p = close + 1;
	}
}

/* Cut s after its first sentence (". ", "! " or "? "), if it has more than one. */
static void plan_first_sentence(char *s)
{
	for (char *c = s; *c; c++) {
		if ((*c == '.' || *c == '!' || *c == '?') && c[1] == ' ' && c - s > 2) {
			c[1] = '\0';
			return;
		}
	}
}

static struct seg *plan_add(struct plan *p, enum seg_kind kind, int step, size_t step_start)
{
	struct seg *s;

	p->segs = util_xrealloc(p->segs, (p->n + 1) * sizeof(*p->segs));
	s = &p->segs[p->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->step = step;
	s->step_start = step_start;
	return s;
}

static char *plan_text(const char *tmpl, const char *const *vars)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_add(&b, "");
	plan_fill(tmpl, vars, &b);
	util_squeeze_space(b.s);
	return sbuf_take(&b);
}

static const char *side_words(const struct voice *v, enum routine_side s)
{
	return s == SIDE_LEFT ? voice_phrase(v, PH_LEFT) : s == SIDE_RIGHT ? voice_phrase(v, PH_RIGHT) : "";
}

static const char *side_word(const struct voice *v, enum routine_side s)
{
	return s == SIDE_LEFT ? voice_phrase(v, PH_LEFT_WORD)
			      : s == SIDE_RIGHT ? voice_phrase(v, PH_RIGHT_WORD) : "";
}

/* A side's announcement, then the step's words for that side: which limb does what. */
static char *plan_side_text(const struct voice *v, const struct routine_step *st,
			    enum phrase ph, const char *const *vars)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_add(&b, "");
	plan_fill(voice_phrase(v, ph), vars, &b);
	if (st->each_side) {
		sbuf_add(&b, " ");
		plan_fill(st->each_side, vars, &b);
	}
	util_squeeze_space(b.s);
	return sbuf_take(&b);
}

static void plan_step(struct plan *p, const struct routine_step *st, int num)
{
	const struct voice *v = p->voice;
	size_t start = p->n;
	char num_s[16], steps_s[16], reps_s[16], hold_s[96];
	int nsides = st->nsides ? st->nsides : 1;
	struct seg *s;
	struct sbuf b;

	snprintf(num_s, sizeof(num_s), "%d", num);
	snprintf(steps_s, sizeof(steps_s), "%d", p->nsteps);
	snprintf(reps_s, sizeof(reps_s), "%d", st->reps);
	voice_duration(v, st->hold_ms, hold_s, sizeof(hold_s));

	for (int si = 0; si < nsides; si++) {
		enum routine_side side = st->nsides ? st->sides[si] : SIDE_NONE;
		enum routine_side other = st->nsides == 2 ? st->sides[1 - si] : SIDE_NONE;
		const char *vars[] = { "step",  num_s,         "steps", steps_s,
				       "reps",  reps_s,        "hold",  hold_s,
				       "name",  st->name,      "side",  side_words(v, side),
				       "other_side", side_words(v, other),
				       "which", side_word(v, side), "other", side_word(v, other), NULL };

		if (si == 0) {
			sbuf_init(&b);
			sbuf_add(&b, "");
			plan_fill(voice_phrase(v, PH_STEP), vars, &b);
			if (st->say) {
				size_t at = b.len;

				sbuf_add(&b, " ");
				plan_fill(st->say, vars, &b);
				if (p->brief)   /* someone who knows the routine: its first sentence */
					plan_first_sentence(b.s + at);
			}
			s = plan_add(p, SEG_SAY, num, start);
			util_squeeze_space(b.s);
			s->text = sbuf_take(&b);
			if (side != SIDE_NONE) {
				s = plan_add(p, SEG_SAY, num, start);
				s->text = plan_side_text(v, st, PH_SIDE, vars);
				s->side = side;
			}
		} else {
			s = plan_add(p, SEG_SAY, num, start);
			s->text = plan_side_text(v, st, PH_SWITCH, vars);
			s->chime = PLAN_CHIME_SWITCH;
			s->side = side;
		}
		s = plan_add(p, SEG_WAIT, num, start);
		s->ms = st->setup_ms;
		s->side = side;

		for (int rep = 1; rep <= st->reps; rep++) {
			if (st->nflow) {
				for (size_t k = 0; k < st->nflow; k++) {
					const struct routine_phase *ph = &st->flow[k];

					s = plan_add(p, SEG_PHASE, num, start);
					s->side = side;
					s->ms = ph->ms;
					s->breath = ph->breath;
					s->text = plan_text(rep > 1 && ph->cue ? ph->cue : ph->say, vars);
					if (k == 0 && rep > 1 && rep == st->reps) {   /* "Last one. Cow." */
						char *t = s->text;

						sbuf_init(&b);
						sbuf_printf(&b, "%s %s", voice_phrase(v, PH_LAST_REP), t);
						s->text = sbuf_take(&b);
						free(t);
					}
					s->src = st;
					if (k == 0 && st->reps > 1) {
						s->rep = rep;
						s->reps = st->reps;
						s->chime = PLAN_CHIME_TICK;
					}
				}
				continue;
			}
			s = plan_add(p, SEG_HOLD, num, start);
			s->side = side;
			s->ms = st->hold_ms;
			s->src = st;
			if (st->reps > 1) {
				s->rep = rep;
				s->reps = st->reps;
			}
			if (rep < st->reps) {
				char word[64];

				if (rep + 1 == st->reps)
					snprintf(word, sizeof(word), "%s", voice_phrase(v, PH_LAST_REP));
				else
					voice_count(v, rep + 1, word, sizeof(word));
				s = plan_add(p, SEG_WAIT, num, start);
				s->side = side;
				s->ms = st->rest_ms;
				s->text = util_xstrdup(word);
			}
		}
		s = plan_add(p, SEG_SAY, num, start);
		s->side = side;
		s->text = plan_text(st->release ? st->release : voice_phrase(v, PH_RELEASE), vars);
	}
}

/* "You will need a chair and a strap.": before step 1, so nobody gets up mid-session. */
static void plan_equipment(struct plan *p, const struct routine *r)
{
	const char *vars[] = { "equipment", NULL, NULL };
	struct sbuf list;
	struct seg *s;

	sbuf_init(&list);
	sbuf_add(&list, "");
	for (size_t i = 0; i < r->nequipment; i++) {
		if (i && i + 1 == r->nequipment)
			sbuf_printf(&list, " %s ", voice_phrase(p->voice, PH_AND));
		else if (i)
			sbuf_add(&list, ", ");
		sbuf_add(&list, r->equipment[i]);
	}
	vars[1] = list.s;
	s = plan_add(p, SEG_SAY, 0, 0);
	s->text = plan_text(voice_phrase(p->voice, PH_EQUIPMENT), vars);
	sbuf_done(&list);
	s = plan_add(p, SEG_WAIT, 0, 0);
	s->ms = PLAN_EQUIPMENT_WAIT_MS;
}

void plan_build(struct plan *p, const struct routine *r, const struct voice *v, int brief,
		int evening)
{
	char steps_s[16];
	struct seg *s;
	struct sbuf b;

	memset(p, 0, sizeof(*p));
	p->routine = r;
	p->voice = v;
	p->brief = brief;
	p->nsteps = (int)r->nsteps;
	snprintf(steps_s, sizeof(steps_s), "%zu", r->nsteps);
	{
		const char *vars[] = { "name", r->name, "steps", steps_s, NULL };

		/*
		 * The name alone first, then what the routine is about: the first
		 * words must be synthesized before the stream starts, and a name
		 * takes milliseconds where a paragraph took most of a second. The
		 * paragraph is made while the name is heard.
		 */
		s = plan_add(p, SEG_SAY, 0, 0);
		s->text = plan_text(voice_phrase(v, PH_START), vars);
		if (r->about) {
			sbuf_init(&b);
			sbuf_add(&b, "");
			plan_fill(r->about, vars, &b);
			util_squeeze_space(b.s);
			s = plan_add(p, SEG_SAY, 0, 0);
			s->text = sbuf_take(&b);
		}
		if (r->nequipment)
			plan_equipment(p, r);
	}
	for (size_t i = 0; i < r->nsteps; i++)
		plan_step(p, &r->steps[i], (int)i + 1);
	s = plan_add(p, SEG_SAY, 0, p->n);
	s->text = util_xstrdup(voice_phrase(v, evening ? PH_END_EVENING : PH_END));
}

void plan_say(struct plan *p, const struct routine *r, const struct voice *v, const char *text)
{
	struct seg *s;

	memset(p, 0, sizeof(*p));
	p->routine = r;
	p->voice = v;
	s = plan_add(p, SEG_SAY, 0, 0);
	s->text = util_xstrdup(text);
	util_squeeze_space(s->text);
}

void plan_append_say(struct plan *p, const char *text)
{
	struct seg *s = plan_add(p, SEG_SAY, 0, p->n);

	s->text = util_xstrdup(text);
	util_squeeze_space(s->text);
}

void plan_done(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->segs[i].text);
	free(p->segs);
	memset(p, 0, sizeof(*p));
}

size_t plan_step_start(const struct plan *p, int step)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->segs[i].step == step)
			return p->segs[i].step_start;
	return p->n;
}

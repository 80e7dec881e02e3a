/*
 * routine: load a routine file and hold it to the format in README.md, "The routine format".
 *
 * Checking happens while converting the YAML tree, so every message points
 * at the node it is about. Included routines are loaded through the same
 * function (depth-limited) and their already-resolved steps copied in.
 */
#include "routine.h"

#include "util.h"
#include "yml.h"

#include <stdlib.h>
#include <string.h>

#define ROUTINE_MAX_STEPS 200
#define ROUTINE_MAX_TEXT 4000
#define ROUTINE_MAX_INCLUDE_DEPTH 4
/* Files read for one routine, itself and each include counted every time it is
 * included: depth alone lets a few small files fan out to hours of work. */
#define ROUTINE_MAX_FILES 32

const char *const routine_vars[] = { "side", "other_side", "which", "other", "hold", "reps",
				     "step", "steps", NULL };

static const char *const level_names[] = { "beginner", "intermediate", "advanced", NULL };
static const char *const when_names[] = { "any", "morning", "midday", "evening", NULL };
static const char *const side_names[] = { "none", "right", "left", NULL };
static const char *const breath_names[] = { "none", "in", "hold", "out", NULL };
static const char *const count_names[] = { "full", "phases", "taper", NULL };

const char *routine_level_name(enum routine_level l)
{
	return level_names[l];
}

const char *routine_when_name(enum routine_when w)
{
	return when_names[w];
}

const char *routine_side_name(enum routine_side s)
{
	return side_names[s];
}

const char *routine_breath_name(enum routine_breath b)
{
	return breath_names[b];
}

const char *routine_count_name(enum breath_count c)
{
	return count_names[c];
}

static int loader_count(const struct yml_doc *doc, const struct yml_node *n,
			enum breath_count *c, char *err)
{
	int choice;

	if (yml_choice(doc, n, "count", count_names, &choice, err) < 0)
		return -1;
	*c = (enum breath_count)choice;
	return 0;
}

struct loader {
	const struct yml_doc *doc;
	const struct routine_env *env;
	int depth;
	int *files;              /* read so far for the whole routine: ROUTINE_MAX_FILES */
	char *err;
};

static int routine_load_depth(const char *path, const struct routine_env *env, int depth,
			      int *files, struct routine **out, char *err);

/* Spoken text: non-empty, bounded, braces only around known variables. */
static int loader_text(struct loader *l, const struct yml_node *n, const char *what,
		       char **out)
{
	const char *s;
	char *t;

	if (yml_text(l->doc, n, what, &s, l->err) < 0)
		return -1;
	if (strlen(s) > ROUTINE_MAX_TEXT)
		return yml_error(l->doc, n, l->err, "%s is too long (at most %d characters)", what,
				 ROUTINE_MAX_TEXT);
	/* A YAML escape ("\e[2J") would reach the terminal, the journal and the history. */
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if ((*c < 0x20 && *c != '\n' && *c != '\t') || *c == 0x7f ||
		    (c[0] == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f))
			return yml_error(l->doc, n, l->err,
					 "%s has a control character (byte 0x%02x): spoken text is "
					 "words, not escapes",
					 what, *c == 0xc2 ? c[1] : *c);
	for (const char *p = strchr(s, '{'); p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');
		size_t i;

		for (i = 0; end && routine_vars[i]; i++)
			if (strlen(routine_vars[i]) == (size_t)(end - p - 1) &&
			    !strncmp(p + 1, routine_vars[i], (size_t)(end - p - 1)))
				break;
		if (!end || !routine_vars[i])
			return yml_error(l->doc, n, l->err,
					 "%s: unknown variable at '%.20s' (use {side}, {other_side}, "
					 "{which}, {other}, {hold}, {reps}, {step} or {steps})",
					 what, p);
	}
	t = util_xstrdup(s);
	util_squeeze_space(t);
	*out = t;
	return 0;
}

static int loader_cues(struct loader *l, const struct yml_node *n, struct routine_cues *c)
{
	static const char *const keys[] = { "halfway", "ten_left", "countdown", "length", "breathe",
					    NULL };
	const struct yml_node *v;

	if (n->type == YML_SCALAR && !n->is_null) {
		int on;

		if (yml_bool(l->doc, n, "cues", &on, l->err) < 0)
			return -1;
		c->halfway = c->ten_left = c->countdown = c->length = c->breathe = on;
		return 0;
	}
	if (yml_expect(l->doc, n, YML_MAP, "cues", l->err) < 0 ||
	    yml_check_keys(l->doc, n, "cues", keys, l->err) < 0)
		return -1;
	if ((v = yml_map_get(n, "halfway")) && yml_bool(l->doc, v, "halfway", &c->halfway, l->err) < 0)
		return -1;
	if ((v = yml_map_get(n, "ten_left")) &&
	    yml_bool(l->doc, v, "ten_left", &c->ten_left, l->err) < 0)
		return -1;
	if ((v = yml_map_get(n, "countdown")) &&
	    yml_bool(l->doc, v, "countdown", &c->countdown, l->err) < 0)
		return -1;
	if ((v = yml_map_get(n, "length")) && yml_bool(l->doc, v, "length", &c->length, l->err) < 0)
		return -1;
	if ((v = yml_map_get(n, "breathe")) &&
	    yml_bool(l->doc, v, "breathe", &c->breathe, l->err) < 0)
		return -1;
	return 0;
}

int routine_pattern_parse(const struct yml_doc *doc, const struct yml_node *n,
			  struct breath_pattern *p, char *err)
{
	static const char *const keys[] = { "in", "hold", "out", "hold_out", "beat", "count", NULL };
	static const char *const beat_keys[] = { "in", "hold", "out", "hold_out" };
	int *beats[] = { &p->in, &p->hold, &p->out, &p->hold_out };
	const struct yml_node *v;

	memset(p, 0, sizeof(*p));
	p->beat_ms = 1000;
	if (yml_expect(doc, n, YML_MAP, "breathe", err) < 0 ||
	    yml_check_keys(doc, n, "breathe", keys, err) < 0)
		return -1;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(beat_keys); i++) {
		long b;

		if (!(v = yml_map_get(n, beat_keys[i])))
			continue;
		if (yml_int(doc, v, beat_keys[i], 0, 60, &b, err) < 0)
			return -1;
		*beats[i] = (int)b;
	}
	if ((v = yml_map_get(n, "beat")) &&
	    yml_duration(doc, v, "beat", 250, 10000, &p->beat_ms, err) < 0)
		return -1;
	if ((v = yml_map_get(n, "count")) && loader_count(doc, v, &p->count, err) < 0)
		return -1;
	if (p->in + p->hold + p->out + p->hold_out == 0)
		return yml_error(doc, n, err,
				 "breathing pattern has no beats (give in and out, e.g. {in: 4, "
				 "out: 6})");
	if (p->in == 0 || p->out == 0)
		return yml_error(doc, n, err, "breathing pattern needs both in and out beats");
	return 0;
}

static int loader_breathe(struct loader *l, const struct yml_node *n, struct breath_pattern *p)
{
	if (n->type == YML_SCALAR && !n->is_null) {
		for (size_t i = 0; l->env && i < l->env->npatterns; i++) {
			if (!strcmp(l->env->patterns[i].name, n->str)) {
				*p = l->env->patterns[i];
				return 0;
			}
		}
		return yml_error(l->doc, n, l->err,
				 "unknown breathing pattern '%s' (see voices/breathing.yaml, or "
				 "give beats: {in: 4, out: 6})",
				 n->str);
	}
	return routine_pattern_parse(l->doc, n, p, l->err);
}

static int loader_flow(struct loader *l, const struct yml_node *n, struct routine_step *st)
{
	static const char *const keys[] = { "say", "cue", "breath", "time", NULL };

	if (yml_expect(l->doc, n, YML_SEQ, "flow", l->err) < 0)
		return -1;
	if (n->n == 0)
		return yml_error(l->doc, n, l->err, "flow has no phases");
	if (n->n > 16)
		return yml_error(l->doc, n, l->err, "flow has too many phases (at most 16)");
	st->flow = util_xcalloc(n->n, sizeof(*st->flow));
	for (size_t i = 0; i < n->n; i++) {
		const struct yml_node *ph = n->kids[i], *v;
		struct routine_phase *p = &st->flow[st->nflow++];
		int b;

		if (yml_expect(l->doc, ph, YML_MAP, "a flow phase", l->err) < 0 ||
		    yml_check_keys(l->doc, ph, "a flow phase", keys, l->err) < 0)
			return -1;
		if (!(v = yml_map_get(ph, "say")))
			return yml_error(l->doc, ph, l->err, "flow phase needs 'say'");
		if (loader_text(l, v, "say", &p->say) < 0)
			return -1;
		if ((v = yml_map_get(ph, "cue")) && loader_text(l, v, "cue", &p->cue) < 0)
			return -1;
		if (!(v = yml_map_get(ph, "time")))
			return yml_error(l->doc, ph, l->err, "flow phase needs 'time'");
		if (yml_duration(l->doc, v, "time", 500, 300000, &p->ms, l->err) < 0)
			return -1;
		if ((v = yml_map_get(ph, "breath"))) {
			if (yml_choice(l->doc, v, "breath", breath_names + 1, &b, l->err) < 0)
				return -1;
			p->breath = (enum routine_breath)(b + 1);
		}
	}
	return 0;
}

static int loader_sides(struct loader *l, const struct yml_node *n, struct routine_step *st)
{
	if (yml_expect(l->doc, n, YML_SEQ, "sides", l->err) < 0)
		return -1;
	if (n->n == 0 || n->n > 2)
		return yml_error(l->doc, n, l->err, "sides must list one or two sides, e.g. [right, left]");
	for (size_t i = 0; i < n->n; i++) {
		int s;

		if (yml_choice(l->doc, n->kids[i], "side", side_names + 1, &s, l->err) < 0)
			return -1;
		st->sides[i] = (enum routine_side)(s + 1);
		if (i == 1 && st->sides[1] == st->sides[0])
			return yml_error(l->doc, n->kids[i], l->err, "side '%s' is listed twice",
					 n->kids[i]->str);
	}
	st->nsides = (int)n->n;
	return 0;
}

static void step_done(struct routine_step *st)
{
	free(st->name);
	free(st->target);
	free(st->say);
	free(st->release);
	free(st->each_side);
	for (size_t i = 0; i < st->nflow; i++) {
		free(st->flow[i].say);
		free(st->flow[i].cue);
	}
	free(st->flow);
}

static void step_copy(struct routine_step *dst, const struct routine_step *src)
{
	*dst = *src;
	dst->name = util_xstrdup(src->name);
	dst->target = src->target ? util_xstrdup(src->target) : NULL;
	dst->say = src->say ? util_xstrdup(src->say) : NULL;
	dst->release = src->release ? util_xstrdup(src->release) : NULL;
	dst->each_side = src->each_side ? util_xstrdup(src->each_side) : NULL;
	if (src->nflow) {
		dst->flow = util_xcalloc(src->nflow, sizeof(*dst->flow));
		for (size_t i = 0; i < src->nflow; i++) {
			dst->flow[i] = src->flow[i];
			dst->flow[i].say = util_xstrdup(src->flow[i].say);
			dst->flow[i].cue = src->flow[i].cue ? util_xstrdup(src->flow[i].cue) : NULL;
		}
	}
}

static struct routine_step *routine_add_step(struct routine *r, const struct yml_node *at,
					     struct loader *l)
{
	if (r->nsteps == ROUTINE_MAX_STEPS) {
		yml_error(l->doc, at, l->err, "too many steps (at most %d)", ROUTINE_MAX_STEPS);
		return NULL;
	}
	r->steps = util_xrealloc(r->steps, (r->nsteps + 1) * sizeof(*r->steps));
	memset(&r->steps[r->nsteps], 0, sizeof(*r->steps));
	return &r->steps[r->nsteps++];
}

static int loader_include(struct loader *l, const struct yml_node *n, struct routine *r)
{
	static const char *const keys[] = { "include", "only", NULL };
	const struct yml_node *inc = yml_map_get(n, "include"), *only = yml_map_get(n, "only");
	char sub_err[LIMBER_ERR_LEN];
	struct routine *sub = NULL;
	const char *name;
	char *path;

	if (yml_check_keys(l->doc, n, "an include step", keys, l->err) < 0 ||
	    yml_text(l->doc, inc, "include", &name, l->err) < 0)
		return -1;
	if (l->depth >= ROUTINE_MAX_INCLUDE_DEPTH)
		return yml_error(l->doc, inc, l->err, "includes nested too deeply (a loop?)");
	if (*l->files >= ROUTINE_MAX_FILES)
		return yml_error(l->doc, inc, l->err,
				 "too many includes: a routine reads at most %d files, each include "
				 "counted every time",
				 ROUTINE_MAX_FILES);
	++*l->files;
	path = l->env && l->env->find ? l->env->find(l->env->ctx, name) : NULL;
	if (!path)
		return yml_error(l->doc, inc, l->err, "no routine named '%s' to include", name);
	if (routine_load_depth(path, l->env, l->depth + 1, l->files, &sub, sub_err) < 0) {
		char at[LIMBER_ERR_LEN];

		/* The innermost error first, with its own file:line:col; then where it was
		 * included from, as far as it fits. Nesting the other way round put the
		 * path once per level before the message, and a deep tree cut it off. */
		free(path);
		yml_error(l->doc, inc, at, "included as '%s'", name);
		return util_err(l->err, "%s (%s)", sub_err, at);
	}
	free(path);
	if (!only) {
		for (size_t i = 0; i < sub->nsteps; i++) {
			struct routine_step *st = routine_add_step(r, inc, l);

			if (!st)
				goto fail;
			step_copy(st, &sub->steps[i]);
		}
	} else {
		if (yml_expect(l->doc, only, YML_SEQ, "only", l->err) < 0)
			goto fail;
		if (only->n == 0) {
			yml_error(l->doc, only, l->err, "only lists no steps");
			goto fail;
		}
		for (size_t k = 0; k < only->n; k++) {
			const char *want;
			size_t i;

			if (yml_text(l->doc, only->kids[k], "a step name", &want, l->err) < 0)
				goto fail;
			for (i = 0; i < sub->nsteps; i++)
				if (!strcmp(sub->steps[i].name, want))
					break;
			if (i == sub->nsteps) {
				yml_error(l->doc, only->kids[k], l->err, "no step named '%s' in '%s'",
					  want, name);
				goto fail;
			}
			struct routine_step *st = routine_add_step(r, only->kids[k], l);

			if (!st)
				goto fail;
			step_copy(st, &sub->steps[i]);
		}
	}
	routine_free(sub);
	return 0;
fail:
	routine_free(sub);
	return -1;
}

static int loader_step(struct loader *l, const struct yml_node *n, struct routine *r)
{
	static const char *const keys[] = { "name",  "target", "say",  "setup",   "hold",
					    "sides", "reps",   "rest", "flow",    "breathe",
					    "cues",  "release", "count",   "each_side", NULL };
	const struct yml_node *v, *hold, *flow;
	struct routine_step *st;
	long reps = 1;

	if (yml_expect(l->doc, n, YML_MAP, "a step", l->err) < 0)
		return -1;
	if (n->n == 0)
		return yml_error(l->doc, n, l->err, "empty step: give it a name and a hold or flow");
	if (yml_map_get(n, "include"))
		return loader_include(l, n, r);
	if (yml_check_keys(l->doc, n, "a step", keys, l->err) < 0)
		return -1;
	if (!(st = routine_add_step(r, n, l)))
		return -1;
	st->setup_ms = r->setup_ms;
	st->rest_ms = ROUTINE_DEFAULT_REST_MS;
	st->cues = r->cues;
	st->reps = 1;

	if (!(v = yml_map_get(n, "name")))
		return yml_error(l->doc, n, l->err, "step needs a 'name'");
	if (loader_text(l, v, "name", &st->name) < 0)
		return -1;
	if ((v = yml_map_get(n, "target")) && loader_text(l, v, "target", &st->target) < 0)
		return -1;
	if ((v = yml_map_get(n, "say")) && loader_text(l, v, "say", &st->say) < 0)
		return -1;
	if ((v = yml_map_get(n, "release")) && loader_text(l, v, "release", &st->release) < 0)
		return -1;
	if ((v = yml_map_get(n, "each_side"))) {
		if (!yml_map_get(n, "sides"))
			return yml_error(l->doc, v, l->err, "each_side is said with each side: the "
							 "step needs sides");
		if (loader_text(l, v, "each_side", &st->each_side) < 0)
			return -1;
	}
	if ((v = yml_map_get(n, "setup")) &&
	    yml_duration(l->doc, v, "setup", 1, 600000, &st->setup_ms, l->err) < 0)
		return -1;
	if ((v = yml_map_get(n, "cues")) && loader_cues(l, v, &st->cues) < 0)
		return -1;
	if ((v = yml_map_get(n, "sides")) && loader_sides(l, v, st) < 0)
		return -1;
	if ((v = yml_map_get(n, "reps")) && yml_int(l->doc, v, "reps", 1, 500, &reps, l->err) < 0)
		return -1;
	st->reps = (int)reps;

	hold = yml_map_get(n, "hold");
	flow = yml_map_get(n, "flow");
	if (hold && flow)
		return yml_error(l->doc, flow, l->err, "a step has a hold or a flow, not both");
	if (!hold && !flow)
		return yml_error(l->doc, n, l->err, "step '%s' needs a 'hold' or a 'flow'",
				 st->name);
	if (hold && yml_duration(l->doc, hold, "hold", 1000, ROUTINE_MAX_HOLD_MS, &st->hold_ms,
				 l->err) < 0)
		return -1;
	if (flow && loader_flow(l, flow, st) < 0)
		return -1;
	if ((v = yml_map_get(n, "rest"))) {
		if (!hold || st->reps < 2)
			return yml_error(l->doc, v, l->err, "rest is the pause between reps of a hold: "
							 "it needs a hold and reps");
		if (yml_duration(l->doc, v, "rest", 1000, 600000, &st->rest_ms, l->err) < 0)
			return -1;
	}
	if ((v = yml_map_get(n, "breathe"))) {
		if (!hold)
			return yml_error(l->doc, v, l->err, "breathe counts breaths through a hold: "
							 "this step has no hold");
		if (loader_breathe(l, v, &st->pattern) < 0)
			return -1;
		st->breathe = 1;
	}
	if ((v = yml_map_get(n, "count"))) {
		if (!st->breathe)
			return yml_error(l->doc, v, l->err, "count says how breaths are counted: "
							 "it needs breathe");
		if (loader_count(l->doc, v, &st->pattern.count, l->err) < 0)
			return -1;
	}
	return 0;
}

/* Things to have at hand: a list of short names ("a chair", "a strap"). */
static int loader_equipment(struct loader *l, const struct yml_node *n, struct routine *r)
{
	if (yml_expect(l->doc, n, YML_SEQ, "equipment", l->err) < 0)
		return -1;
	if (n->n == 0 || n->n > 8)
		return yml_error(l->doc, n, l->err,
				 "equipment lists one to eight things, e.g. [a chair, a strap]");
	r->equipment = util_xcalloc(n->n, sizeof(*r->equipment));
	for (size_t i = 0; i < n->n; i++) {
		char *t = NULL;

		if (loader_text(l, n->kids[i], "equipment", &t) < 0 || !t)
			return -1;
		r->equipment[r->nequipment++] = t;
		if (strlen(t) > 60)
			return yml_error(l->doc, n->kids[i], l->err,
					 "an equipment name is at most 60 characters");
	}
	return 0;
}

static void routine_set_default(char **field, const char *value)
{
	if (!*field)
		*field = util_xstrdup(value);
}

/* The routine in a loaded document, which this takes over (and releases). */
static int routine_from_doc(struct yml_doc *d, const struct routine_env *env, int depth,
			    int *files, struct routine **out, char *err)
{
	static const char *const keys[] = { "name",      "area",   "level",       "when",
					    "voice",     "about",  "source",      "setup",
					    "cues",      "steps",  "morning_caution", "equipment",
					    "length_note", NULL };
	struct yml_doc doc = *d;
	struct loader l = { &doc, env, depth, files, err };
	const struct yml_node *root, *v, *steps;
	struct routine *r;
	int choice;

	r = util_xcalloc(1, sizeof(*r));
	r->path = util_xstrdup(doc.path);
	r->setup_ms = ROUTINE_DEFAULT_SETUP_MS;
	r->cues.halfway = r->cues.ten_left = r->cues.countdown = r->cues.length = r->cues.breathe = 1;
	root = doc.root;
	if (root->type != YML_MAP) {
		yml_error(&doc, root, err, "not a routine: expected a mapping with name, area, "
					   "level and steps, found %s",
			  yml_type_name(root));
		goto fail;
	}
	if (!yml_map_get(root, "steps") && !yml_map_get(root, "name")) {
		yml_error(&doc, root, err, "not a routine: it has no name and no steps");
		goto fail;
	}
	if (yml_check_keys(&doc, root, "a routine", keys, err) < 0)
		goto fail;
	if (!(v = yml_map_get(root, "name"))) {
		yml_error(&doc, root, err, "routine needs a 'name'");
		goto fail;
	}
	if (loader_text(&l, v, "name", &r->name) < 0)
		goto fail;
	if (!(v = yml_map_get(root, "area"))) {
		yml_error(&doc, root, err, "routine needs an 'area' (e.g. lower-back)");
		goto fail;
	}
	if (loader_text(&l, v, "area", &r->area) < 0)
		goto fail;
	if (strspn(r->area, "abcdefghijklmnopqrstuvwxyz-") != strlen(r->area)) {
		yml_error(&doc, v, err, "area '%s' must be lower case letters and '-'", r->area);
		goto fail;
	}
	if (!(v = yml_map_get(root, "level"))) {
		yml_error(&doc, root, err, "routine needs a 'level' (beginner, intermediate or "
					   "advanced)");
		goto fail;
	}
	if (yml_choice(&doc, v, "level", level_names, &choice, err) < 0)
		goto fail;
	r->level = (enum routine_level)choice;
	if ((v = yml_map_get(root, "when"))) {
		if (yml_choice(&doc, v, "when", when_names, &choice, err) < 0)
			goto fail;
		r->when = (enum routine_when)choice;
	}
	if ((v = yml_map_get(root, "voice")) && loader_text(&l, v, "voice", &r->voice) < 0)
		goto fail;
	if ((v = yml_map_get(root, "about")) && loader_text(&l, v, "about", &r->about) < 0)
		goto fail;
	if ((v = yml_map_get(root, "source")) && loader_text(&l, v, "source", &r->source) < 0)
		goto fail;
	if ((v = yml_map_get(root, "setup")) &&
	    yml_duration(&doc, v, "setup", 1, 600000, &r->setup_ms, err) < 0)
		goto fail;
	if ((v = yml_map_get(root, "cues")) && loader_cues(&l, v, &r->cues) < 0)
		goto fail;
	if ((v = yml_map_get(root, "morning_caution")) &&
	    yml_bool(&doc, v, "morning_caution", &r->morning_caution, err) < 0)
		goto fail;
	if ((v = yml_map_get(root, "length_note")) &&
	    loader_text(&l, v, "length_note", &r->length_note) < 0)
		goto fail;
	if ((v = yml_map_get(root, "equipment")) && loader_equipment(&l, v, r) < 0)
		goto fail;
	if (!(steps = yml_map_get(root, "steps"))) {
		yml_error(&doc, root, err, "routine needs 'steps'");
		goto fail;
	}
	if (yml_expect(&doc, steps, YML_SEQ, "steps", err) < 0)
		goto fail;
	if (steps->n == 0) {
		yml_error(&doc, steps, err, "steps is empty: a routine needs at least one step");
		goto fail;
	}
	for (size_t i = 0; i < steps->n; i++)
		if (loader_step(&l, steps->kids[i], r) < 0)
			goto fail;
	routine_set_default(&r->voice, "calm");
	yml_doc_done(&doc);
	*out = r;
	return 0;
fail:
	yml_doc_done(&doc);
	routine_free(r);
	return -1;
}

static int routine_load_depth(const char *path, const struct routine_env *env, int depth,
			      int *files, struct routine **out, char *err)
{
	struct yml_doc doc;

	*out = NULL;
	if (yml_load_file(&doc, path, err) < 0)
		return -1;
	return routine_from_doc(&doc, env, depth, files, out, err);
}

int routine_load(const char *path, const struct routine_env *env, struct routine **out,
		 char *err)
{
	int files = 1;

	return routine_load_depth(path, env, 0, &files, out, err);
}

int routine_parse(const char *name, const char *buf, size_t len, const struct routine_env *env,
		  struct routine **out, char *err)
{
	struct yml_doc doc;
	int files = 1;

	*out = NULL;
	if (yml_load_string(&doc, name, buf, len, err) < 0)
		return -1;
	return routine_from_doc(&doc, env, 0, &files, out, err);
}

void routine_free(struct routine *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nsteps; i++)
		step_done(&r->steps[i]);
	free(r->steps);
	free(r->path);
	free(r->name);
	free(r->area);
	free(r->about);
	free(r->voice);
	free(r->source);
	free(r->length_note);
	for (size_t i = 0; i < r->nequipment; i++)
		free(r->equipment[i]);
	free(r->equipment);
	free(r);
}

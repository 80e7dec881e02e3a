/*
 * guide: the five places, the level reached, the morning window.
 */
#include "guide.h"

#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The areas the routine format gives the pain location guide's five places. */
static const char *const place_areas[GUIDE_PLACES] = { "lower-back", "upper-back", "sciatic",
							"hip", "neck" };
static const enum phrase place_phrases[GUIDE_PLACES] = { PH_PLACE_LOWER_BACK, PH_PLACE_UPPER_BACK,
							  PH_PLACE_SCIATIC, PH_PLACE_HIP,
							  PH_PLACE_NECK };
static const char *const levels[] = { "beginner", "intermediate", "advanced" };

const char *guide_place_area(int place)
{
	return place >= 0 && place < GUIDE_PLACES ? place_areas[place] : NULL;
}

enum phrase guide_place_phrase(int place)
{
	return place_phrases[place >= 0 && place < GUIDE_PLACES ? place : 0];
}

/* A routine's steps as one string: name, hold, reps, sides and phases of each. */
static char *guide_steps(const struct routine *r)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_add(&b, "");
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct routine_step *st = &r->steps[i];

		sbuf_printf(&b, "%s/%lld/%d/%d/%zu;", st->name, (long long)st->hold_ms, st->reps,
			    st->nsides, st->nflow);
	}
	return sbuf_take(&b);
}

static int level_index(const char *level);

/* Is g the same programme as a routine of its area at a lower level? */
static int guide_repeats_lower(const struct guide_catalog *c, const struct guide_routine *g)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->r[i].area, g->area) && level_index(c->r[i].level) < level_index(g->level) &&
		    !strcmp(c->r[i].steps, g->steps))
			return 1;
	return 0;
}

void guide_catalog_load(struct guide_catalog *c, const struct library *lib,
			const struct library_entry *entries, size_t n)
{
	memset(c, 0, sizeof(*c));
	c->r = util_xcalloc(n ? n : 1, sizeof(*c->r));
	c->hr = util_xcalloc(n ? n : 1, sizeof(*c->hr));
	for (size_t i = 0; i < n; i++) {
		char err[LIMBER_ERR_LEN];
		struct routine *r;
		struct guide_routine *g = &c->r[c->n];

		if (library_load_routine(lib, entries[i].path, &r, err) < 0)
			continue;
		g->name = util_xstrdup(entries[i].name);
		g->title = util_xstrdup(r->name);
		g->area = util_xstrdup(r->area);
		g->level = routine_level_name(r->level);
		g->when = r->when;
		g->morning_caution = r->morning_caution;
		g->steps = guide_steps(r);
		c->n++;
		routine_free(r);
	}
	for (size_t i = 0; i < c->n; i++)
		if (!guide_repeats_lower(c, &c->r[i]))
			c->hr[c->nhr++] = (struct history_routine){ c->r[i].name, c->r[i].area,
								    c->r[i].level };
}

void guide_catalog_done(struct guide_catalog *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->r[i].name);
		free(c->r[i].title);
		free(c->r[i].area);
		free(c->r[i].steps);
	}
	free(c->r);
	free(c->hr);
	memset(c, 0, sizeof(*c));
}

int guide_find(const struct guide_catalog *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->r[i].name, name))
			return (int)i;
	return -1;
}

static int level_index(const char *level)
{
	for (int i = 0; i < 3; i++)
		if (level && !strcmp(levels[i], level))
			return i;
	return 0;
}

const char *guide_level(struct history *h, const char *area, int64_t now)
{
	const char *at = h ? history_level_reached(h, area) : NULL;
	int days;

	if (!at)
		return levels[0];
	if (history_next_level(at) && history_ready(h, area, at, now, 0, &days))
		return history_next_level(at);
	return at;
}

/* The first routine by name of area at level index l, or -1. */
static int first_at(const struct guide_catalog *c, const char *area, int l)
{
	int best = -1;

	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->r[i].area, area) && level_index(c->r[i].level) == l &&
		    (best < 0 || strcmp(c->r[i].name, c->r[best].name) < 0))
			best = (int)i;
	return best;
}

int guide_choose(const struct guide_catalog *c, const char *area, const char *level)
{
	int want = level_index(level), i;

	for (int l = want; l >= 0; l--)
		if ((i = first_at(c, area, l)) >= 0)
			return i;
	for (int l = want + 1; l < 3; l++)
		if ((i = first_at(c, area, l)) >= 0)
			return i;
	return -1;
}

int guide_for_place(const struct guide_catalog *c, struct history *h, int place, int64_t now)
{
	const char *area = guide_place_area(place);

	return area ? guide_choose(c, area, guide_level(h, area, now)) : -1;
}

int guide_places(const struct guide_catalog *c, struct history *h, int64_t now,
		 int places[GUIDE_PLACES])
{
	int n = 0;

	for (int p = 0; p < GUIDE_PLACES; p++)
		if (guide_for_place(c, h, p, now) >= 0)
			places[n++] = p;
	return n;
}

size_t guide_index(const struct guide_catalog *c, int k, const char *const *names, size_t n)
{
	for (size_t i = 0; k >= 0 && (size_t)k < c->n && i < n; i++)
		if (!strcmp(names[i], c->r[k].name))
			return i;
	return SIZE_MAX;
}

int guide_evening(const struct guide_catalog *c, struct history *h, int64_t now)
{
	struct history_session *s = NULL;
	char err[LIMBER_ERR_LEN];
	size_t n = 0;
	int place = 0, found = 0;

	if (h && history_sessions(h, 0, &s, &n, err) == 0) {
		for (size_t i = 0; i < n && !found; i++) {
			if (s[i].how != HOW_FINISHED)
				continue;
			for (int p = 0; p < GUIDE_PLACES && !found; p++) {
				if (!strcmp(s[i].area, place_areas[p]) &&
				    guide_for_place(c, h, p, now) >= 0) {
					place = p;
					found = 1;
				}
			}
		}
	}
	free(s);
	return guide_for_place(c, h, place, now);
}

int guide_morning(const struct guide_catalog *c)
{
	int best = -1;

	for (size_t i = 0; i < c->n; i++) {
		const struct guide_routine *g = &c->r[i];

		if (g->when != WHEN_MORNING || g->morning_caution)
			continue;
		if (best < 0 || level_index(g->level) < level_index(c->r[best].level) ||
		    (level_index(g->level) == level_index(c->r[best].level) &&
		     strcmp(g->name, c->r[best].name) < 0))
			best = (int)i;
	}
	return best;
}

int guide_is_morning(int64_t t, int until_min)
{
	time_t tt = (time_t)t;
	struct tm tm;
	int m;

	localtime_r(&tt, &tm);
	m = tm.tm_hour * 60 + tm.tm_min;
	return until_min > GUIDE_MORNING_FROM && m >= GUIDE_MORNING_FROM && m < until_min;
}

void guide_minutes(const struct voice *v, int64_t ms, char *buf, size_t len)
{
	/* Whole minutes: "fifteen minutes", not "and twelve seconds". */
	voice_duration(v, ms < 60000 ? 60000 : (ms + 30000) / 60000 * 60000, buf, len);
}

/*
 * web_data: the JSON the phone page reads, made from the library and the
 * history with no HTTP in sight, so a test can check it alone.
 *
 * The routines are loaded and estimated once (at open and on a reload),
 * as `limber list` does, and kept as one string: a request only copies it.
 * The history is read afresh for each request, newest first and bounded.
 */
#include "web_data.h"

#include "engine.h"
#include "history.h"
#include "library.h"
#include "mqtt_text.h"
#include "routine.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static void data_str_list(struct sbuf *b, char *const *v, size_t n)
{
	sbuf_add(b, "[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_add(b, ",");
		mqtt_text_json_str(b, v[i]);
	}
	sbuf_add(b, "]");
}

static void data_steps(struct sbuf *b, const struct routine *r, const int64_t *step_ms)
{
	sbuf_add(b, ",\"steps\":[");
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct routine_step *s = &r->steps[i];

		sbuf_add(b, i ? ",{\"name\":" : "{\"name\":");
		mqtt_text_json_str(b, s->name);
		sbuf_add(b, ",\"target\":");
		mqtt_text_json_str(b, s->target);
		sbuf_printf(b, ",\"start_s\":%lld,\"hold_s\":%.1f,\"reps\":%d,\"flow\":%s,\"sides\":[",
			    (long long)(step_ms[i + 1] / 1000), (double)s->hold_ms / 1000.0, s->reps,
			    s->nflow ? "true" : "false");
		for (int k = 0; k < s->nsides; k++)
			sbuf_printf(b, "%s\"%s\"", k ? "," : "", routine_side_name(s->sides[k]));
		sbuf_add(b, "]}");
	}
	sbuf_add(b, "]");
}

void web_catalog_done(struct web_catalog *c)
{
	guide_catalog_done(&c->gc);
	sbuf_done(&c->json);
	memset(c, 0, sizeof(*c));
}

void web_catalog_load(struct web_catalog *c, const struct library *lib)
{
	struct library_entry *ents;
	size_t n;
	int first = 1;

	memset(c, 0, sizeof(*c));
	sbuf_init(&c->json);
	sbuf_add(&c->json, "[");
	library_list(lib, &ents, &n);
	for (size_t i = 0; i < n && c->json.len < WEB_MAX_ROUTINES_JSON; i++) {
		struct engine e;
		const struct routine *r;
		char err[LIMBER_ERR_LEN];
		int64_t total, *step_ms = NULL;

		/* A routine that does not load is left out here; `limber list` says why. */
		if (engine_load(&e, lib, ents[i].path, NULL, err) < 0) {
			engine_done(&e);
			continue;
		}
		r = e.routine;
		step_ms = util_xcalloc(r->nsteps + 1, sizeof(*step_ms));
		if (engine_estimate(&e, &total, step_ms, err) < 0) {
			free(step_ms);
			engine_done(&e);
			continue;
		}
		sbuf_add(&c->json, first ? "\n{\"name\":" : ",\n{\"name\":");
		first = 0;
		mqtt_text_json_str(&c->json, ents[i].name);
		sbuf_add(&c->json, ",\"title\":");
		mqtt_text_json_str(&c->json, r->name);
		sbuf_add(&c->json, ",\"area\":");
		mqtt_text_json_str(&c->json, r->area);
		sbuf_printf(&c->json, ",\"level\":\"%s\",\"when\":\"%s\",\"length_s\":%lld",
			    routine_level_name(r->level), routine_when_name(r->when),
			    (long long)((total + 500) / 1000));
		sbuf_printf(&c->json, ",\"morning_caution\":%s,\"equipment\":",
			    r->morning_caution ? "true" : "false");
		data_str_list(&c->json, r->equipment, r->nequipment);
		sbuf_add(&c->json, ",\"about\":");
		mqtt_text_json_str(&c->json, r->about);
		data_steps(&c->json, r, step_ms);
		sbuf_add(&c->json, "}");
		free(step_ms);
		engine_done(&e);
	}
	sbuf_add(&c->json, "\n]\n");
	guide_catalog_load(&c->gc, lib, ents, n);
	c->r = c->gc.hr;
	c->n = c->gc.nhr;
	library_entries_free(ents, n);
}

void web_data_voices(const struct library *lib, struct sbuf *b)
{
	char *names[64] = { 0 };
	size_t n = 0;

	for (size_t i = 0; i < lib->ndirs && n < UTIL_ARRAY_LEN(names); i++) {
		char *dir = util_path_join(lib->dirs[i], "voices");
		DIR *d = opendir(dir);
		const struct dirent *de;

		free(dir);
		if (!d)
			continue;
		while ((de = readdir(d)) && n < UTIL_ARRAY_LEN(names)) {
			size_t len = strlen(de->d_name), k;

			if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0 ||
			    !strcmp(de->d_name, "breathing.yaml"))
				continue;
			for (k = 0; k < n; k++)   /* the first directory's profile wins */
				if (!strncmp(names[k], de->d_name, len - 5) && !names[k][len - 5])
					break;
			if (k == n)
				names[n++] = util_xstrndup(de->d_name, len - 5);
		}
		closedir(d);
	}
	qsort(names, n, sizeof(names[0]), web_data_strcmp);
	data_str_list(b, names, n);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
}

int web_data_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int web_data_voice_ok(const struct library *lib, const char *name)
{
	char file[80];
	char *p;

	if (!library_name_ok(name) || strchr(name, '/') || !strcmp(name, "breathing"))
		return 0;
	snprintf(file, sizeof(file), "%s.yaml", name);
	p = library_find(lib, "voices", file);
	free(p);
	return p != NULL;
}

/* The level reached in area and what the guides' rule says of it, as `history` says it. */
static void data_area(struct history *h, const struct web_catalog *c, const char *area,
		      int64_t now, struct sbuf *b)
{
	const char *level = history_level_reached(h, area);
	const char *next = level ? history_next_level(level) : NULL;
	double first = 0, recent = 0;
	int days = 0, pain = history_pain_means(h, area, now, &first, &recent);
	int consistent = level ? history_consistent(h, area, level, now, 0, &days) : 0;
	char names[512] = "", advice[768];

	if (!level)
		level = "beginner";
	if (next && !history_routines_at(c->r, c->n, area, next, names, sizeof(names)))
		next = NULL;   /* only a routine that exists is advised */
	if (!next)
		snprintf(advice, sizeof(advice), "%s: no further level to move to.", area);
	else if (!consistent)
		snprintf(advice, sizeof(advice), "%s: %d of the 12 days of practice in two weeks "
						 "that the guides ask before %s.",
			 area, days, next);
	else if (pain && !history_pain_dropped(first, recent))
		snprintf(advice, sizeof(advice), "%s: pain %.1f/10 this week against %.1f/10 in "
						 "your first. The guides move on when it is "
						 "%d-40%% less: stay at %s for now.",
			 area, recent, first, HISTORY_PAIN_DROP_PCT, level);
	else
		snprintf(advice, sizeof(advice), "%s: %d days of practice at %s in the last two "
						 "weeks. If you can hold every stretch comfortably, "
						 "you may be ready for %s (%s).",
			 area, days, level, next, names);
	sbuf_add(b, "{\"area\":");
	mqtt_text_json_str(b, area);
	sbuf_printf(b, ",\"level\":\"%s\",\"days\":%d,\"ready\":%s", level, days,
		    next && consistent && (!pain || history_pain_dropped(first, recent)) ? "true"
											  : "false");
	if (pain)
		sbuf_printf(b, ",\"pain_first\":%.1f,\"pain_recent\":%.1f", first, recent);
	else
		sbuf_add(b, ",\"pain_first\":null,\"pain_recent\":null");
	sbuf_add(b, ",\"advice\":");
	mqtt_text_json_str(b, advice);
	sbuf_add(b, "}");
}

void web_data_history(struct history *h, const struct web_catalog *c, int64_t now,
		      struct sbuf *b)
{
	struct history_session *s = NULL;
	const char *areas[64] = { NULL };   /* zeroed: cppcheck 2.17 takes a sort of none for a read */
	size_t n = 0, nareas = 0;
	char err[LIMBER_ERR_LEN];

	if (!h || history_sessions(h, WEB_MAX_SESSIONS, &s, &n, err) < 0) {
		sbuf_printf(b, "{\"now\":%lld,\"streak_days\":0,\"sessions\":[],\"areas\":[]}",
			    (long long)now);
		return;
	}
	sbuf_printf(b, "{\"now\":%lld,\"streak_days\":%d,\"sessions\":[", (long long)now,
		    history_streak(h, now));
	for (size_t i = 0; i < n; i++) {
		sbuf_add(b, i ? ",\n{\"routine\":" : "\n{\"routine\":");
		mqtt_text_json_str(b, s[i].routine);
		sbuf_add(b, ",\"title\":");
		mqtt_text_json_str(b, s[i].title);
		sbuf_add(b, ",\"area\":");
		mqtt_text_json_str(b, s[i].area);
		sbuf_add(b, ",\"level\":");
		mqtt_text_json_str(b, s[i].level);
		sbuf_printf(b, ",\"started\":%lld,\"ended\":%lld,\"how\":\"%s\",\"steps\":%d,"
			       "\"last_step\":%d,\"pain\":",
			    (long long)s[i].started, (long long)s[i].ended, history_how_name(s[i].how),
			    s[i].steps, s[i].last_step);
		if (s[i].pain >= 0)
			sbuf_printf(b, "%d}", s[i].pain);
		else
			sbuf_add(b, "null}");
		if (s[i].how == HOW_FINISHED && s[i].area[0] && nareas < UTIL_ARRAY_LEN(areas)) {
			size_t k;

			for (k = 0; k < nareas && strcmp(areas[k], s[i].area) != 0; k++)
				;
			if (k == nareas)
				areas[nareas++] = s[i].area;
		}
	}
	sbuf_add(b, "],\n\"areas\":[");
	qsort(areas, nareas, sizeof(areas[0]), web_data_strcmp);
	for (size_t i = 0; i < nareas; i++) {
		if (i)
			sbuf_add(b, ",");
		data_area(h, c, areas[i], now, b);
	}
	sbuf_add(b, "]}\n");
	free(s);
}

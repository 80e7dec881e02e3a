/*
 * dworld: the daemon's knowledge, loaded and asked (dworld.h).
 */
#include "dworld.h"

#include "dwords.h"
#include "engine.h"
#include "log.h"
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int dworld_config_path(const struct dworld_opts *o, char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct stat st;

	if (o->config) {
		snprintf(buf, len, "%s", o->config);
		return 1;
	}
	/* The user's own file wins over the system's. */
	if (xdg && *xdg)
		snprintf(buf, len, "%s/limber/config.yaml", xdg);
	else if (home && *home)
		snprintf(buf, len, "%s/.config/limber/config.yaml", home);
	else
		buf[0] = '\0';
	if (buf[0] && stat(buf, &st) == 0)
		return 1;
	snprintf(buf, len, "/etc/limber/config.yaml");
	return stat(buf, &st) == 0;
}

/* ---- the questions (dstate_world) ---- */

static int dworld_length(void *ctx, size_t i, int64_t *total, int64_t **step_ms, int *nsteps)
{
	struct dworld *w = ctx;
	char err[LIMBER_ERR_LEN];
	struct engine e;
	int rc;

	if (i >= w->n)
		return -1;
	if (engine_load(&e, &w->lib, w->routines[i].path, NULL, err) < 0) {
		log_line(LOG_ERR, err);
		return -1;
	}
	if (step_ms) {
		*nsteps = (int)e.routine->nsteps;
		*step_ms = util_xcalloc((size_t)*nsteps + 2, sizeof(**step_ms));
	}
	rc = engine_estimate(&e, total, step_ms ? *step_ms : NULL, err);
	if (!w->entries[i].title)
		w->entries[i].title = util_xstrdup(e.routine->name);
	engine_done(&e);
	return rc;
}

static const struct dworld_entry *dworld_entry(struct dworld *w, size_t i)
{
	struct dworld_entry *en = &w->entries[i];

	if (!en->title && dworld_length(w, i, &en->ms, NULL, NULL) < 0) {
		en->ms = -1;
		en->title = util_xstrdup(w->routines[i].name);
	}
	return en;
}

static const char *dworld_title(void *ctx, size_t i)
{
	const struct dworld *w = ctx;

	return i < w->n ? w->entries[i].title : NULL;
}

static void dworld_catalog(struct dworld *w)
{
	if (w->cat_loaded)
		return;
	guide_catalog_load(&w->cat, &w->lib, w->routines, w->n);
	w->cat_loaded = 1;
}

static int dworld_places(void *ctx, int64_t wall_s, int places[GUIDE_PLACES])
{
	struct dworld *w = ctx;

	dworld_catalog(w);
	return guide_places(&w->cat, w->history, wall_s, places);
}

static size_t dworld_programme(void *ctx, int place, int64_t wall_s)
{
	struct dworld *w = ctx;

	dworld_catalog(w);
	return guide_index(&w->cat, guide_for_place(&w->cat, w->history, place, wall_s), w->names,
			   w->n);
}

static size_t dworld_morning(void *ctx, size_t i, int64_t wall_s)
{
	struct dworld *w = ctx;
	int k;

	dworld_catalog(w);
	k = guide_find(&w->cat, w->names[i]);
	if (k < 0 || !w->cat.r[k].morning_caution ||
	    !guide_is_morning(wall_s, w->cfg->morning_until))
		return SIZE_MAX;
	return guide_index(&w->cat, guide_morning(&w->cat), w->names, w->n);
}

static int dworld_resumable(void *ctx, struct history_session *s)
{
	struct dworld *w = ctx;
	char err[LIMBER_ERR_LEN];

	return w->history && history_resumable(w->history, NULL, s, err) > 0;
}

void dworld_init(struct dworld *w, const struct dworld_opts *o)
{
	memset(w, 0, sizeof(*w));
	w->o = *o;
	w->w = (struct dstate_world){
		.menu = { w, dworld_places, dworld_programme, dworld_morning, dworld_resumable },
		.length = dworld_length,
		.title = dworld_title,
	};
}

/* ---- loading ---- */

static void dworld_forget_routines(struct dworld *w)
{
	if (w->cat_loaded)
		guide_catalog_done(&w->cat);
	w->cat_loaded = 0;
	for (size_t i = 0; i < w->n; i++)
		free(w->entries[i].title);
	free(w->entries);
	free(w->names);
	library_entries_free(w->routines, w->n);
	w->routines = NULL;
	w->entries = NULL;
	w->names = NULL;
	w->n = 0;
	voice_free(w->voice);
	w->voice = NULL;
	library_done(&w->lib);
}

/* The state directory: --state-dir, the config's, or the default. */
static void dworld_state_dir(const struct dworld *w, const struct config *cfg, char *buf,
			     size_t len)
{
	if (w->o.state_dir || cfg->state_dir)
		snprintf(buf, len, "%s", w->o.state_dir ? w->o.state_dir : cfg->state_dir);
	else
		history_default_dir(buf, len);
}

/* The routine directories reach children through the environment (library.h). */
static void dworld_routine_path(const struct dworld *w, const struct config *cfg)
{
	struct sbuf rd;

	sbuf_init(&rd);
	sbuf_add(&rd, "");
	for (size_t i = 0; i < w->o.nroutines; i++) {
		if (rd.s[0])
			sbuf_add(&rd, ":");
		sbuf_add(&rd, w->o.routines[i]);
	}
	for (size_t i = 0; i < cfg->nroutines; i++) {
		if (rd.s[0])
			sbuf_add(&rd, ":");
		sbuf_add(&rd, cfg->routines[i]);
	}
	setenv("LIMBER_ROUTINES", rd.s, 1);
	sbuf_done(&rd);
}

int dworld_load(struct dworld *w)
{
	char path[4096], err[LIMBER_ERR_LEN];
	struct config *cfg;
	struct library lib;
	struct voice *voice;

	if (config_load(dworld_config_path(&w->o, path, sizeof(path)) ? path : NULL, &cfg, err) < 0) {
		log_err("%s", err);
		return -1;
	}
	/* What the page changed (settings.json in the state directory) over the file's values. */
	dworld_state_dir(w, cfg, path, sizeof(path));
	if (settings_apply(cfg, path, err) < 0)
		log_warn("%s; going on with the config's values", err);
	dworld_routine_path(w, cfg);
	/* The new library and voice first: if they fail, the daemon goes on with the old. */
	if (library_init(&lib, err) < 0) {
		log_err("%s", err);
		config_free(cfg);
		return -1;
	}
	if (library_load_voice(&lib, cfg->voice ? cfg->voice : "calm", &voice, err) < 0) {
		log_err("%s: %s", cfg->path ? cfg->path : "config", err);
		library_done(&lib);
		config_free(cfg);
		return -1;
	}
	dworld_forget_routines(w);
	w->lib = lib;
	w->voice = voice;
	library_list(&w->lib, &w->routines, &w->n);
	w->entries = util_xcalloc(w->n ? w->n : 1, sizeof(*w->entries));
	w->names = util_xcalloc(w->n ? w->n : 1, sizeof(*w->names));
	for (size_t i = 0; i < w->n; i++)
		w->names[i] = w->routines[i].name;
	config_free(w->cfg);
	w->cfg = cfg;
	w->default_idx = 0;
	if (cfg->default_routine) {
		while (w->default_idx < w->n &&
		       strcmp(w->names[w->default_idx], cfg->default_routine) != 0)
			w->default_idx++;
		if (w->default_idx == w->n) {
			if (w->n)
				log_warn("%s: default_routine '%s' is not on the routine path",
					 cfg->path ? cfg->path : "config", cfg->default_routine);
			w->default_idx = 0;
		}
	}
	log_info("%zu routines; config %s", w->n, cfg->path ? cfg->path : "none (the defaults)");
	history_close(w->history);
	w->history = NULL;
	dworld_state_dir(w, cfg, w->state_dir, sizeof(w->state_dir));
	if (history_open(w->state_dir, &w->history, err) < 0)
		log_warn("%s; sessions will play but not be recorded", err);
	return 0;
}

void dworld_done(struct dworld *w)
{
	dworld_forget_routines(w);
	history_close(w->history);
	w->history = NULL;
	config_free(w->cfg);
	w->cfg = NULL;
}

/* ---- the words ---- */

static void dworld_routine_info(void *ctx, size_t i, const char **title, int64_t *ms)
{
	const struct dworld_entry *en = dworld_entry(ctx, i);

	*title = en->title;
	*ms = en->ms;
}

void dworld_words(struct dworld *w, const struct dmenu *m, struct sbuf *b)
{
	const struct dwords dw = { w->voice, &w->lib, &w->cat, 0, dworld_routine_info, w };

	dworld_catalog(w);
	dwords_offer(&dw, m, b);
}

/*
 * web_data: the JSON behind /api/routines, /api/history and the voices
 * the settings may choose (web.h serves them).
 */
#ifndef LIMBER_WEB_DATA_H
#define LIMBER_WEB_DATA_H

#include "guide.h"
#include "history.h"
#include "util.h"
#include "web.h"

#include <stddef.h>
#include <stdint.h>

struct library;

/* The routines, read once: their JSON, and their names, areas and levels for the advice. */
struct web_catalog {
	struct sbuf json;
	struct guide_catalog gc;
	/* The routines as the history's advice wants them (guide.h: the neck's one programme
	 * is not advised as a level to move on to), so the page advises as `history` does. */
	const struct history_routine *r;
	size_t n;
};

void web_catalog_load(struct web_catalog *c, const struct library *lib);
void web_catalog_done(struct web_catalog *c);

/* The history as JSON: sessions (newest first), streak, and per area the level and advice.
 * h NULL (no history to read): an empty one. */
void web_data_history(struct history *h, const struct web_catalog *c, int64_t now,
		      struct sbuf *b);

/* The voice profiles in voices/ (breathing.yaml aside), as a JSON list of names. */
void web_data_voices(const struct library *lib, struct sbuf *b);
/* Is name a voice profile on the search path? */
int web_data_voice_ok(const struct library *lib, const char *name);

int web_data_strcmp(const void *a, const void *b);

#endif

/*
 * dworld: what the daemon knows: its config, the routines and their
 * lengths, the voice, the guide's catalog and the history. It loads them
 * (again on SIGHUP), answers the state machine's questions (dstate_world)
 * and turns what the menu offers into the words to say.
 */
#ifndef LIMBER_DWORLD_H
#define LIMBER_DWORLD_H

#include "config.h"
#include "dmenu.h"
#include "dstate.h"
#include "guide.h"
#include "history.h"
#include "library.h"
#include "util.h"
#include "voice.h"

#include <stddef.h>
#include <stdint.h>

/* What is known about a routine, found when first needed. */
struct dworld_entry {
	char *title;             /* its name: line, "Lower back relief, beginner" */
	int64_t ms;              /* its length; < 0: it does not load */
};

/* Where to look, from the command line: each overrides the config (NULL: its value). */
struct dworld_opts {
	const char *config;          /* the file; NULL: the user's, else /etc/limber/config.yaml */
	const char *state_dir;
	char **routines;             /* directories before the config's */
	size_t nroutines;
};

struct dworld {
	struct dworld_opts o;
	struct config *cfg;
	struct library lib;
	struct voice *voice;
	struct library_entry *routines;
	const char **names;          /* the routines' names, for the machine */
	struct dworld_entry *entries;
	size_t n;
	size_t default_idx;          /* default_routine's index, or 0 */
	struct guide_catalog cat;
	int cat_loaded;
	struct history *history;     /* NULL if it cannot be read: sessions are not recorded */
	char state_dir[4096];
	struct dstate_world w;       /* the questions, answered from here */
};

void dworld_init(struct dworld *w, const struct dworld_opts *o);
/* Read the config and find the routines; a failure keeps what was there. 0, or -1 (logged). */
int dworld_load(struct dworld *w);
void dworld_done(struct dworld *w);

/* What the menu offers, as the words to say. */
void dworld_words(struct dworld *w, const struct dmenu *m, struct sbuf *b);

#endif

/*
 * dwords: what the menu (dmenu.h) offers, as the words to say. The daemon
 * says them with a button's words ("Press for yes, hold for the next"),
 * `limber run` with no NAME with a keyboard's ("Space for yes, N for the
 * next"); the menu is the same machine in both.
 */
#ifndef LIMBER_DWORDS_H
#define LIMBER_DWORDS_H

#include "dmenu.h"
#include "guide.h"
#include "library.h"
#include "util.h"
#include "voice.h"

#include <stddef.h>
#include <stdint.h>

struct dwords {
	const struct voice *voice;
	const struct library *lib;          /* the resume offer's step, by name */
	const struct guide_catalog *cat;    /* a programme's level */
	int keys;                           /* a keyboard's words, not a button's */
	/* Routine i's title and length in ms (< 0: not known). */
	void (*routine)(void *ctx, size_t i, const char **title, int64_t *ms);
	void *ctx;
};

/* The words for what m offers now, appended to b. */
void dwords_offer(const struct dwords *dw, const struct dmenu *m, struct sbuf *b);

#endif

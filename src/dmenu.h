/*
 * dmenu: the daemon's spoken menu, as a machine with no I/O.
 *
 * A press wakes it; first, if a session was cut, the offer to resume it.
 * Then the guided choice, the pain location guide's question: "Where does
 * it hurt? The lower back ...? Press for yes, hold for the next place."
 * through the places some routine serves; a yes offers that place's
 * programme at the level the history has reached. After the places, "Or
 * choose a routine by name" (every routine, one a hold, then back), and
 * "Safety" (when to see a doctor). A hold always moves on and the cycle
 * comes round again, so every routine and the safety words are always
 * reachable. A routine that bends deeply, chosen in the morning, is met by
 * the guides' caution and the morning routine in its place.
 *
 * What it needs to know of the routines and the history it asks through
 * dmenu_world; what it decides comes back as a dmenu_out: say what is on
 * offer now, or start a routine. dworld.c answers for the daemon and turns
 * the offer into words; a unit test answers with made-up routines.
 */
#ifndef LIMBER_DMENU_H
#define LIMBER_DMENU_H

#include "button.h"
#include "config.h"
#include "guide.h"
#include "history.h"

#include <stddef.h>
#include <stdint.h>

#define DMENU_MS 30000   /* after speaking, the menu waits this long, then goes quiet */

enum dmenu_item { DMENU_RESUME, DMENU_PLACE, DMENU_PROGRAMME, DMENU_BY_NAME, DMENU_ROUTINE,
		  DMENU_SAFETY, DMENU_MORNING };

struct dmenu_world {
	void *ctx;
	/* The places (guide.h's) some routine serves, into places; how many. */
	int (*places)(void *ctx, int64_t wall_s, int places[GUIDE_PLACES]);
	/* The routine for a place at the level the history has reached, or SIZE_MAX. */
	size_t (*programme)(void *ctx, int place, int64_t wall_s);
	/* Routine i bends deeply and it is morning: the morning routine to offer, else SIZE_MAX. */
	size_t (*morning)(void *ctx, size_t i, int64_t wall_s);
	/* An interrupted session to offer: 1 and s, or 0. */
	int (*resumable)(void *ctx, struct history_session *s);
};

struct dmenu {
	const struct dmenu_world *w;
	const char *const *names;    /* the routines, as the library lists them */
	size_t n;

	int64_t until;               /* awake until then (the monotonic clock); 0: asleep */
	enum dmenu_item item;
	size_t idx;                  /* the routine offered by name, and what `start` plays */
	int place;                   /* the place asked about: an index into places[] */
	int places[GUIDE_PLACES], nplaces;
	size_t offer_idx;            /* the routine offered for the place, or the morning one */
	size_t chosen_idx;           /* the routine the morning offer stands in for */
	size_t list_seen;            /* routines offered by name since the list began */
	int resume_offer;            /* offering to resume this session */
	struct history_session resumable;
	size_t resume_idx;
	int64_t declined;            /* a session the person chose not to resume */
	int saying_safety;           /* saying when to see a doctor */
	int selected;                /* `select NAME`: the next wake offers idx first */
};

enum dmenu_do { DMENU_NOTHING, DMENU_SAY, DMENU_START };

/* What the caller does next: say what is on offer, or start idx. */
struct dmenu_out {
	enum dmenu_do what;
	size_t idx;
	int resume;                  /* go on from where the session was cut */
	int no_caution;              /* past the morning offer: the session skips the caution */
};

void dmenu_init(struct dmenu *m, const struct dmenu_world *w);
/* The routines are (re)listed; default_idx (n: none) is offered first by name. */
void dmenu_routines(struct dmenu *m, const char *const *names, size_t n, size_t default_idx);
/* The index of NAME, or n. */
size_t dmenu_find(const struct dmenu *m, const char *name);

/*
 * A button's gesture, or a key, while no session plays: the first wakes
 * the menu; then a short press (or pause) takes the offer, a long one (or
 * next) moves on, previous goes back, anything else says it again.
 * Stop, louder and softer are the caller's.
 */
void dmenu_act(struct dmenu *m, enum config_action act, enum button_gesture g, int64_t now,
	       int64_t wall_s, struct dmenu_out *out);
/* `select NAME`: the next press, or the awake menu's offer, is routine i. */
void dmenu_select(struct dmenu *m, size_t i);
void dmenu_sleep(struct dmenu *m);

/* "idle", or "idle, offering ...": what `status` says while no session plays. */
void dmenu_status(const struct dmenu *m, int speaking, char *out, size_t len);

#endif

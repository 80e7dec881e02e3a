/*
 * guide: the guides' choices made for someone who cannot read a list.
 * Where it hurts (the five places of the pain location guide) becomes that
 * area's programme at the level the history says the person has reached;
 * a routine that bends deeply, started in the morning, meets the guides'
 * caution and the morning routine in its place. Routines are found by
 * their area:, level: and when: fields, never by file name.
 */
#ifndef LIMBER_GUIDE_H
#define LIMBER_GUIDE_H

#include "history.h"
#include "library.h"
#include "voice.h"

#include <stddef.h>
#include <stdint.h>

#define GUIDE_PLACES 5
#define GUIDE_MORNING_FROM (4 * 60)   /* the morning caution: from 4:00 to morning_until */


/* What a choice needs to know of a routine, without its steps. */
struct guide_routine {
	char *name;              /* lower-back/beginner */
	char *title;             /* "Lower back relief" */
	char *area;
	const char *level;       /* beginner, intermediate, advanced */
	enum routine_when when;
	int morning_caution;
	char *steps;             /* its steps, holds and reps, to know one programme by */
};

struct guide_catalog {
	struct guide_routine *r;
	size_t n;
	/*
	 * The same, as history's advice wants them (nhr of them): a routine that is
	 * the same programme as one of its area at a lower level (the neck's, which
	 * the guide gives at no level) is left out, so nobody is told to move on to
	 * what they are doing already.
	 */
	struct history_routine *hr;
	size_t nhr;
};

/* The places, in the guide's order: the area each stands for, the phrase that names it. */
const char *guide_place_area(int place);
enum phrase guide_place_phrase(int place);

/* Every routine of entries that loads (one that does not is left out). */
void guide_catalog_load(struct guide_catalog *c, const struct library *lib,
			const struct library_entry *entries, size_t n);
void guide_catalog_done(struct guide_catalog *c);
int guide_find(const struct guide_catalog *c, const char *name);

/*
 * The level reached in area: the highest with a finished session (beginner
 * if none), or the one after it once history_ready says so. h may be NULL.
 */
const char *guide_level(struct history *h, const char *area, int64_t now);
/* The routine of area at level: the first by name; else the nearest level below it, else
 * the nearest above; -1 if area has none. */
int guide_choose(const struct guide_catalog *c, const char *area, const char *level);
/* The routine to offer for place: guide_choose at guide_level. */
int guide_for_place(const struct guide_catalog *c, struct history *h, int place, int64_t now);
/* The places some routine serves, in order, into places; how many. */
int guide_places(const struct guide_catalog *c, struct history *h, int64_t now,
		 int places[GUIDE_PLACES]);
/* The index in names[n] of the catalog's routine k, or SIZE_MAX (k < 0, or not there). */
size_t guide_index(const struct guide_catalog *c, int k, const char *const *names, size_t n);

/*
 * The evening's programme for this person (the guide: "IF I finish dinner, THEN I do my
 * evening routine"; "IF 9 PM hits, THEN I do my lower back stretches"): the place of the
 * last finished session of one of the five places, at the level reached there; with none,
 * the lower back's. -1 if the library has neither. h may be NULL.
 */
int guide_evening(const struct guide_catalog *c, struct history *h, int64_t now);

/* The morning routine: `when: morning`, the lowest level, the first by name; -1 if none. */
int guide_morning(const struct guide_catalog *c);
/* Is local time t in the morning window, from GUIDE_MORNING_FROM until until_min
 * (minutes after midnight; 0 turns the caution off)? */
int guide_is_morning(int64_t t, int until_min);
/* A routine's length as the menu says it, in whole minutes. */
void guide_minutes(const struct voice *v, int64_t ms, char *buf, size_t len);

#endif

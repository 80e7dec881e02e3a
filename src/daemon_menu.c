/*
 * daemon_menu: the spoken menu. A press wakes it; first, if a session was
 * cut, the offer to resume it. Then the guided choice, the pain location
 * guide's question: "Where does it hurt? The lower back ...? Press for
 * yes, hold for the next place." through the five places (those some
 * routine serves); a yes offers that place's programme at the level the
 * history has reached. After the places, "Or choose a routine by name"
 * (every routine, one a hold, then back), and "Safety" (when to see a
 * doctor). A hold always moves on and the cycle comes round again, so
 * every routine and the safety words are always reachable. A routine
 * that bends deeply, chosen in the morning, is met by the guides' caution
 * and the morning routine in its place.
 *
 * Here a button's gesture means choose, next or say it again; while a
 * session plays, the same gestures go to the session as keys.
 */
#include "daemon_int.h"
#include "log.h"

#include "engine.h"
#include "plan.h"
#include "util.h"
#include "voice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Routine i, loaded for its length (and, with step_ms, each step's start). */
int menu_estimate(struct daemon *d, size_t i, int64_t *total, int64_t **step_ms,
			   int *nsteps)
{
	char err[LIMBER_ERR_LEN];
	struct engine e;
	int rc;

	if (engine_load(&e, &d->lib, d->routines[i].path, NULL, err) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (step_ms) {
		*nsteps = (int)e.routine->nsteps;
		*step_ms = util_xcalloc((size_t)*nsteps + 2, sizeof(**step_ms));
	}
	rc = engine_estimate(&e, total, step_ms ? *step_ms : NULL, err);
	if (!d->entries[i].title)
		d->entries[i].title = util_xstrdup(e.routine->name);
	engine_done(&e);
	return rc;
}

static const struct entry *menu_entry(struct daemon *d, size_t i)
{
	struct entry *en = &d->entries[i];

	if (!en->title && menu_estimate(d, i, &en->ms, NULL, NULL) < 0) {
		en->ms = -1;
		en->title = util_xstrdup(d->routines[i].name);
	}
	return en;
}

/* ---- what the routines are, for the guided choice ---- */

void menu_forget(struct daemon *d)
{
	if (d->cat_loaded)
		guide_catalog_done(&d->cat);
	d->cat_loaded = 0;
	d->nplaces = 0;
}

static void menu_catalog(struct daemon *d)
{
	int64_t now = (int64_t)time(NULL);

	if (d->cat_loaded)
		return;
	guide_catalog_load(&d->cat, &d->lib, d->routines, d->nroutines);
	d->cat_loaded = 1;
	d->nplaces = 0;
	for (int p = 0; p < GUIDE_PLACES; p++)
		if (guide_for_place(&d->cat, d->history, p, now) >= 0)
			d->places[d->nplaces++] = p;
}

/* The menu's index of the catalog's routine k, or SIZE_MAX. */
static size_t menu_index(struct daemon *d, int k)
{
	size_t i = k < 0 ? d->nroutines : daemon_find(d, d->cat.r[k].name);

	return i < d->nroutines ? i : SIZE_MAX;
}

/* The programme for the place asked about, at the level the history has reached. */
static size_t menu_programme(struct daemon *d)
{
	return menu_index(d, guide_for_place(&d->cat, d->history, d->places[d->place],
					     (int64_t)time(NULL)));
}

/* The place's words for the status line: "lower back". */
static void menu_place_name(struct daemon *d, char *buf, size_t len)
{
	snprintf(buf, len, "%s", guide_place_area(d->places[d->place]));
	for (char *c = buf; *c; c++)
		if (*c == '-')
			*c = ' ';
}

void menu_status(struct daemon *d, char *out, size_t len)
{
	char place[32];

	if (!d->menu_until) {
		snprintf(out, len, "idle");
		return;
	}
	switch (d->item) {
	case MENU_RESUME:
		snprintf(out, len, "idle, offering to resume %s at step %d", d->resumable.routine,
			 d->resumable.last_step + 1);
		break;
	case MENU_PLACE:
		menu_place_name(d, place, sizeof(place));
		snprintf(out, len, "idle, asking where it hurts: %s", place);
		break;
	case MENU_BY_NAME:
		snprintf(out, len, "idle, asking: choose a routine by name");
		break;
	case MENU_SAFETY:
		snprintf(out, len, d->saying_safety && d->child ? "idle, saying when to see a doctor"
								 : "idle, offering the safety words");
		break;
	case MENU_MORNING:
		snprintf(out, len, "idle, offering %s instead of %s (morning caution)",
			 d->routines[d->offer_idx].name, d->routines[d->chosen_idx].name);
		break;
	case MENU_PROGRAMME:
		snprintf(out, len, "idle, offering %s", d->routines[d->offer_idx].name);
		break;
	case MENU_ROUTINE:
	default:
		if (d->nroutines)
			snprintf(out, len, "idle, offering %s", d->routines[d->menu_idx].name);
		else
			snprintf(out, len, "idle");
		break;
	}
}

/* "{name}, {length}"-style variables for routine i. */
static void menu_length(struct daemon *d, size_t i, char *len, size_t n)
{
	const struct entry *en = menu_entry(d, i);

	len[0] = '\0';
	if (en->ms >= 0)
		guide_minutes(d->voice, en->ms, len, n);
}

/* What the item on offer says. */
static void menu_words(struct daemon *d, struct sbuf *b)
{
	char len[96];

	switch (d->item) {
	case MENU_RESUME: {
		const struct routine_step *st = NULL;
		struct routine *r = NULL;
		char err[LIMBER_ERR_LEN];
		const char *vars[] = { "name", d->resumable.title, "step", "", NULL };

		if (library_load_routine(&d->lib, d->resumable.routine, &r, err) == 0 &&
		    (size_t)d->resumable.last_step < r->nsteps)
			st = &r->steps[d->resumable.last_step];
		vars[3] = st ? st->name : "";
		plan_fill(voice_phrase(d->voice, PH_RESUME), vars, b);
		routine_free(r);
		break;
	}
	case MENU_PLACE: {
		const char *vars[] = { "place", voice_phrase(d->voice,
							     guide_place_phrase(d->places[d->place])),
				       NULL };

		plan_fill(voice_phrase(d->voice, d->place ? PH_WHERE_NEXT : PH_WHERE_FIRST), vars, b);
		break;
	}
	case MENU_PROGRAMME: {
		const struct entry *en = menu_entry(d, d->offer_idx);
		int k = guide_find(&d->cat, d->routines[d->offer_idx].name);
		const char *vars[] = { "name", en->title, "level", k >= 0 ? d->cat.r[k].level : "",
				       "length", len, NULL };

		menu_length(d, d->offer_idx, len, sizeof(len));
		plan_fill(voice_phrase(d->voice, PH_GUIDED), vars, b);
		break;
	}
	case MENU_BY_NAME:
		sbuf_add(b, voice_phrase(d->voice, PH_BY_NAME));
		break;
	case MENU_SAFETY:
		sbuf_add(b, voice_phrase(d->voice, d->saying_safety ? PH_SAFETY : PH_SAFETY_MENU));
		break;
	case MENU_MORNING: {
		const char *vars[] = { "name", menu_entry(d, d->chosen_idx)->title, "morning",
				       menu_entry(d, d->offer_idx)->title, NULL };

		plan_fill(voice_phrase(d->voice, PH_MORNING_OFFER), vars, b);
		break;
	}
	case MENU_ROUTINE:
	default:
		if (!d->nroutines) {
			sbuf_add(b, voice_phrase(d->voice, PH_NO_ROUTINES));
		} else {
			const char *vars[] = { "name", menu_entry(d, d->menu_idx)->title, "length", len,
					       NULL };

			menu_length(d, d->menu_idx, len, sizeof(len));
			plan_fill(voice_phrase(d->voice, PH_MENU), vars, b);
		}
		break;
	}
}

/* Say what is on offer now. */
void menu_offer(struct daemon *d)
{
	char what[LIMBER_ERR_LEN + 2];
	struct sbuf b;

	d->menu_until = util_now_ms() + DAEMON_MENU_MS;
	if (d->child) {
		d->pending = PEND_SAY;
		child_stop(d);
		return;
	}
	d->pending = PEND_NONE;
	menu_catalog(d);
	sbuf_init(&b);
	sbuf_add(&b, "");
	menu_words(d, &b);
	menu_status(d, what, sizeof(what));
	log_info("%s", what + (strncmp(what, "idle, ", 6) ? 0 : 6));
	child_say(d, b.s);
	sbuf_done(&b);
}

/* An interrupted session to offer first, if there is one (and it was not turned down). */
void menu_find_resumable(struct daemon *d)
{
	char err[LIMBER_ERR_LEN];

	d->resume_offer = 0;
	if (!d->history || history_resumable(d->history, NULL, &d->resumable, err) <= 0 ||
	    d->resumable.id == d->declined)
		return;
	d->resume_idx = daemon_find(d, d->resumable.routine);
	d->resume_offer = d->resume_idx < d->nroutines;
}

/* The first thing the menu offers when it wakes. */
static void menu_wake(struct daemon *d)
{
	menu_catalog(d);
	menu_find_resumable(d);
	d->saying_safety = 0;
	d->place = 0;
	/* A routine chosen from outside (Home Assistant's select) is what a press
	 * offers; otherwise the interrupted session, then where it hurts. */
	d->item = d->selected ? MENU_ROUTINE : d->resume_offer ? MENU_RESUME :
		  d->nplaces ? MENU_PLACE : MENU_ROUTINE;
	if (d->selected)
		d->resume_offer = 0;
	d->selected = 0;
	d->list_seen = 1;
	menu_offer(d);
}

/* Hold: on to the next thing in the cycle. */
static void menu_next(struct daemon *d)
{
	d->saying_safety = 0;
	switch (d->item) {
	case MENU_RESUME:
		/* Held past: the rest of the menu, and not asked about this one again. */
		d->declined = d->resumable.id;
		d->resume_offer = 0;
		d->place = 0;
		d->item = d->nplaces ? MENU_PLACE : MENU_BY_NAME;
		break;
	case MENU_PLACE:
	case MENU_PROGRAMME:
		if (++d->place >= d->nplaces) {
			d->place = 0;
			d->item = MENU_BY_NAME;
		} else {
			d->item = MENU_PLACE;
		}
		break;
	case MENU_BY_NAME:
		d->item = MENU_SAFETY;
		break;
	case MENU_ROUTINE:
		/* Every routine once, then round to the safety words and the places. */
		if (d->nroutines && d->list_seen < d->nroutines) {
			d->menu_idx = (d->menu_idx + 1) % d->nroutines;
			d->list_seen++;
		} else {
			d->item = MENU_SAFETY;
		}
		break;
	case MENU_SAFETY:
		/* Round again: the places, or (no routine serves one) the list. */
		d->place = 0;
		d->item = d->nplaces ? MENU_PLACE : MENU_ROUTINE;
		if (!d->nplaces && d->nroutines) {
			d->menu_idx = (d->menu_idx + 1) % d->nroutines;
			d->list_seen = 1;
		}
		break;
	case MENU_MORNING:
		/* Held: play the chosen routine anyway; its session does not repeat the caution. */
		d->no_caution = 1;
		child_start(d, d->chosen_idx, 0);
		return;
	}
	menu_offer(d);
}

/* Start routine i, unless it bends deeply and it is morning: then the caution first. */
static void menu_start(struct daemon *d, size_t i)
{
	int k = guide_find(&d->cat, d->routines[i].name), m = guide_morning(&d->cat);
	size_t mi = menu_index(d, m);

	if (k >= 0 && d->cat.r[k].morning_caution && mi != SIZE_MAX && mi != i &&
	    guide_is_morning((int64_t)time(NULL), d->cfg->morning_until)) {
		d->item = MENU_MORNING;
		d->chosen_idx = i;
		d->offer_idx = mi;
		menu_offer(d);
		return;
	}
	/* With no morning routine to offer, the session says the caution itself and goes on. */
	child_start(d, i, 0);
}

/* Press: take what is on offer. */
static void menu_choose(struct daemon *d)
{
	switch (d->item) {
	case MENU_RESUME:
		child_start(d, d->resume_idx, 1);
		return;
	case MENU_PLACE:
		d->offer_idx = menu_programme(d);
		if (d->offer_idx == SIZE_MAX) {
			menu_next(d);
			return;
		}
		d->item = MENU_PROGRAMME;
		break;
	case MENU_PROGRAMME:
		menu_start(d, d->offer_idx);
		return;
	case MENU_BY_NAME:
		d->item = MENU_ROUTINE;
		d->list_seen = 1;
		break;
	case MENU_ROUTINE:
		if (d->nroutines)
			menu_start(d, d->menu_idx);
		return;
	case MENU_SAFETY:
		d->saying_safety = 1;
		break;
	case MENU_MORNING:
		child_start(d, d->offer_idx, 0);
		return;
	}
	menu_offer(d);
}

static void menu_previous(struct daemon *d)
{
	if (d->item == MENU_ROUTINE && d->nroutines) {
		d->menu_idx = (d->menu_idx + d->nroutines - 1) % d->nroutines;
		if (d->list_seen > 1)
			d->list_seen--;
	} else if ((d->item == MENU_PLACE || d->item == MENU_PROGRAMME) && d->place > 0) {
		d->place--;
		d->item = MENU_PLACE;
	}
	menu_offer(d);
}

/* ---- actions, from buttons, keys and the socket ---- */

void menu_act(struct daemon *d, enum config_action act, enum button_gesture g)
{
	if (d->kind == CHILD_SESSION) {
		/* The terminal's keys (keys.h): by action, and the main button's by gesture. */
		static const char keys[ACT_COUNT + 1] = "  nprq+-w", main_keys[] = "  nr";

		child_key(d, *(act == ACT_MAIN ? &main_keys[g] : &keys[act]));
		return;
	}
	if (act == ACT_LOUDER || act == ACT_SOFTER) {
		d->volume_db += act == ACT_LOUDER ? 3 : -3;
		d->volume_db = d->volume_db > 6 ? 6 : d->volume_db < -40 ? -40 : d->volume_db;
		if (d->menu_until)
			menu_offer(d);
		return;
	}
	if (act == ACT_STOP) {
		d->menu_until = 0;
		d->pending = PEND_NONE;
		child_stop(d);
		return;
	}
	if (!d->menu_until || !d->nroutines) {   /* the first press wakes the menu */
		menu_wake(d);
		return;
	}
	if ((act == ACT_MAIN && g == BUTTON_SHORT) || act == ACT_PAUSE)
		menu_choose(d);
	else if ((act == ACT_MAIN && g == BUTTON_LONG) || act == ACT_NEXT)
		menu_next(d);
	else if (act == ACT_PREVIOUS)
		menu_previous(d);
	else
		menu_offer(d);   /* double press, repeat, where: say it again */
}

/*
 * daemon_menu: the spoken menu. A press wakes it with an offer ("Lower
 * back relief, beginner, fifteen minutes. Press to start, hold for the
 * next routine."), first to resume a session that was cut, if there is one.
 * Here a button's gesture means choose, next or say it again; while a
 * session plays, the same gestures go to the session as keys.
 */
#include "daemon_int.h"

#include "engine.h"
#include "plan.h"
#include "util.h"
#include "voice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- the child ---- */
/* Offer routine menu_idx: "Lower back, beginner, fifteen minutes. Press to start, ..." */
void menu_offer(struct daemon *d)
{
	struct sbuf b;

	d->menu_until = util_now_ms() + DAEMON_MENU_MS;
	if (d->child) {
		d->pending = PEND_SAY;
		child_stop(d);
		return;
	}
	d->pending = PEND_NONE;
	sbuf_init(&b);
	sbuf_add(&b, "");
	if (d->resume_offer) {
		const struct routine_step *st = NULL;
		struct routine *r = NULL;
		char err[LIMBER_ERR_LEN];
		const char *vars[] = { "name", d->resumable.title, "step", "", NULL };

		if (library_load_routine(&d->lib, d->resumable.routine, &r, err) == 0 &&
		    (size_t)d->resumable.last_step < r->nsteps)
			st = &r->steps[d->resumable.last_step];
		vars[3] = st ? st->name : "";
		plan_fill(voice_phrase(d->voice, PH_RESUME), vars, &b);
		routine_free(r);
		fprintf(stderr, "limber: offering to resume %s at step %d\n", d->resumable.routine,
			d->resumable.last_step + 1);
	} else if (!d->nroutines) {
		sbuf_add(&b, voice_phrase(d->voice, PH_NO_ROUTINES));
	} else {
		const struct entry *en = menu_entry(d, d->menu_idx);
		char len[96] = "";
		const char *vars[] = { "name", en->title, "length", len, NULL };

		if (en->ms >= 0)   /* whole minutes: "fifteen minutes", not "and twelve seconds" */
			voice_duration(d->voice, en->ms < 60000 ? 60000 : (en->ms + 30000) / 60000 * 60000,
				       len, sizeof(len));
		plan_fill(voice_phrase(d->voice, PH_MENU), vars, &b);
		fprintf(stderr, "limber: offering %s\n", d->routines[d->menu_idx].name);
	}
	child_say(d, b.s);
	sbuf_done(&b);
}

/* Start routine i, or (resume) go on with the interrupted session on offer. */
/* An interrupted session to offer first, if there is one (and it was not turned down). */
void menu_find_resumable(struct daemon *d)
{
	char err[LIMBER_ERR_LEN];

	d->resume_offer = 0;
	if (!d->history || history_resumable(d->history, NULL, &d->resumable, err) <= 0 ||
	    d->resumable.id == d->declined)
		return;
	for (size_t i = 0; i < d->nroutines; i++) {
		if (!strcmp(d->routines[i].name, d->resumable.routine)) {
			d->resume_idx = i;
			d->resume_offer = 1;
			return;
		}
	}
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
		menu_find_resumable(d);
		menu_offer(d);
		return;
	}
	if (d->resume_offer && ((act == ACT_MAIN && g == BUTTON_SHORT) || act == ACT_PAUSE)) {
		child_start(d, d->resume_idx, 1);
		return;
	}
	if (d->resume_offer && act != ACT_REPEAT && act != ACT_WHERE &&
	    !(act == ACT_MAIN && g == BUTTON_DOUBLE)) {
		/* Held past: offer the routines, and do not ask about this one again. */
		d->declined = d->resumable.id;
		d->resume_offer = 0;
		menu_offer(d);
		return;
	}
	if ((act == ACT_MAIN && g == BUTTON_SHORT) || act == ACT_PAUSE) {
		child_start(d, d->menu_idx, 0);
	} else if ((act == ACT_MAIN && g == BUTTON_LONG) || act == ACT_NEXT) {
		d->menu_idx = (d->menu_idx + 1) % d->nroutines;
		menu_offer(d);
	} else if (act == ACT_PREVIOUS) {
		d->menu_idx = (d->menu_idx + d->nroutines - 1) % d->nroutines;
		menu_offer(d);
	} else {
		menu_offer(d);   /* double press, repeat, where: say it again */
	}
}


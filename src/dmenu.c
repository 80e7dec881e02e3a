/*
 * dmenu: the menu's cycle (dmenu.h). Each step that says something sets
 * the time the menu stays awake; the words themselves are dworld.c's.
 */
#include "dmenu.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void dmenu_init(struct dmenu *m, const struct dmenu_world *w)
{
	memset(m, 0, sizeof(*m));
	m->w = w;
}

void dmenu_routines(struct dmenu *m, const char *const *names, size_t n, size_t default_idx)
{
	m->names = names;
	m->n = n;
	m->idx = default_idx < n ? default_idx : 0;
	m->until = 0;
	m->item = DMENU_ROUTINE;
	m->resume_offer = m->selected = m->saying_safety = 0;
	m->nplaces = m->place = 0;
}

size_t dmenu_find(const struct dmenu *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->names[i], name))
			break;
	return i;
}

static void dmenu_say(struct dmenu *m, int64_t now, struct dmenu_out *out)
{
	m->until = now + DMENU_MS;
	out->what = DMENU_SAY;
}

static void dmenu_start(struct dmenu *m, size_t i, int resume, int no_caution,
			struct dmenu_out *out)
{
	m->until = 0;
	out->what = DMENU_START;
	out->idx = i;
	out->resume = resume;
	out->no_caution = no_caution;
}

/* An interrupted session to offer first, if there is one (and it was not turned down). */
static void dmenu_find_resumable(struct dmenu *m)
{
	m->resume_offer = 0;
	if (!m->w->resumable(m->w->ctx, &m->resumable) || m->resumable.id == m->declined)
		return;
	m->resume_idx = dmenu_find(m, m->resumable.routine);
	m->resume_offer = m->resume_idx < m->n;
}

/* The first thing the menu offers when it wakes. */
static void dmenu_wake(struct dmenu *m, int64_t now, int64_t wall_s, struct dmenu_out *out)
{
	m->nplaces = m->w->places(m->w->ctx, wall_s, m->places);
	dmenu_find_resumable(m);
	m->saying_safety = 0;
	m->place = 0;
	/* A routine chosen from outside (Home Assistant's select) is what a press
	 * offers; otherwise the interrupted session, then where it hurts. */
	m->item = m->selected ? DMENU_ROUTINE : m->resume_offer ? DMENU_RESUME :
		  m->nplaces ? DMENU_PLACE : DMENU_ROUTINE;
	if (m->selected)
		m->resume_offer = 0;
	m->selected = 0;
	m->list_seen = 1;
	dmenu_say(m, now, out);
}

/* Hold: on to the next thing in the cycle. */
static void dmenu_next(struct dmenu *m, int64_t now, struct dmenu_out *out)
{
	m->saying_safety = 0;
	switch (m->item) {
	case DMENU_RESUME:
		/* Held past: the rest of the menu, and not asked about this one again. */
		m->declined = m->resumable.id;
		m->resume_offer = 0;
		m->place = 0;
		m->item = m->nplaces ? DMENU_PLACE : DMENU_BY_NAME;
		break;
	case DMENU_PLACE:
	case DMENU_PROGRAMME:
		if (++m->place >= m->nplaces) {
			m->place = 0;
			m->item = DMENU_BY_NAME;
		} else {
			m->item = DMENU_PLACE;
		}
		break;
	case DMENU_BY_NAME:
		m->item = DMENU_SAFETY;
		break;
	case DMENU_ROUTINE:
		/* Every routine once, then round to the safety words and the places. */
		if (m->n && m->list_seen < m->n) {
			m->idx = (m->idx + 1) % m->n;
			m->list_seen++;
		} else {
			m->item = DMENU_SAFETY;
		}
		break;
	case DMENU_SAFETY:
		/* Round again: the places, or (no routine serves one) the list. */
		m->place = 0;
		m->item = m->nplaces ? DMENU_PLACE : DMENU_ROUTINE;
		if (!m->nplaces && m->n) {
			m->idx = (m->idx + 1) % m->n;
			m->list_seen = 1;
		}
		break;
	case DMENU_MORNING:
		/* Held: play the chosen routine anyway; its session does not repeat the caution. */
		dmenu_start(m, m->chosen_idx, 0, 1, out);
		return;
	}
	dmenu_say(m, now, out);
}

/* Start routine i, unless it bends deeply and it is morning: then the caution first. */
static void dmenu_play(struct dmenu *m, size_t i, int64_t now, int64_t wall_s,
		       struct dmenu_out *out)
{
	size_t mi = m->w->morning(m->w->ctx, i, wall_s);

	if (mi < m->n && mi != i) {
		m->item = DMENU_MORNING;
		m->chosen_idx = i;
		m->offer_idx = mi;
		dmenu_say(m, now, out);
		return;
	}
	/* With no morning routine to offer, the session says the caution itself and goes on. */
	dmenu_start(m, i, 0, 0, out);
}

/* Press: take what is on offer. */
static void dmenu_choose(struct dmenu *m, int64_t now, int64_t wall_s, struct dmenu_out *out)
{
	switch (m->item) {
	case DMENU_RESUME:
		dmenu_start(m, m->resume_idx, 1, 0, out);
		return;
	case DMENU_PLACE:
		m->offer_idx = m->w->programme(m->w->ctx, m->places[m->place], wall_s);
		if (m->offer_idx >= m->n) {
			dmenu_next(m, now, out);
			return;
		}
		m->item = DMENU_PROGRAMME;
		break;
	case DMENU_PROGRAMME:
		dmenu_play(m, m->offer_idx, now, wall_s, out);
		return;
	case DMENU_BY_NAME:
		m->item = DMENU_ROUTINE;
		m->list_seen = 1;
		break;
	case DMENU_ROUTINE:
		if (m->n)
			dmenu_play(m, m->idx, now, wall_s, out);
		return;
	case DMENU_SAFETY:
		m->saying_safety = 1;
		break;
	case DMENU_MORNING:
		dmenu_start(m, m->offer_idx, 0, 0, out);
		return;
	}
	dmenu_say(m, now, out);
}

static void dmenu_previous(struct dmenu *m, int64_t now, struct dmenu_out *out)
{
	if (m->item == DMENU_ROUTINE && m->n) {
		m->idx = (m->idx + m->n - 1) % m->n;
		if (m->list_seen > 1)
			m->list_seen--;
	} else if ((m->item == DMENU_PLACE || m->item == DMENU_PROGRAMME) && m->place > 0) {
		m->place--;
		m->item = DMENU_PLACE;
	}
	dmenu_say(m, now, out);
}

void dmenu_act(struct dmenu *m, enum config_action act, enum button_gesture g, int64_t now,
	       int64_t wall_s, struct dmenu_out *out)
{
	memset(out, 0, sizeof(*out));
	if (!m->until || !m->n)   /* the first press wakes the menu */
		dmenu_wake(m, now, wall_s, out);
	else if ((act == ACT_MAIN && g == BUTTON_SHORT) || act == ACT_PAUSE)
		dmenu_choose(m, now, wall_s, out);
	else if ((act == ACT_MAIN && g == BUTTON_LONG) || act == ACT_NEXT)
		dmenu_next(m, now, out);
	else if (act == ACT_PREVIOUS)
		dmenu_previous(m, now, out);
	else
		dmenu_say(m, now, out);   /* double press, repeat, where: say it again */
}

void dmenu_select(struct dmenu *m, size_t i)
{
	/* In an awake menu the offer becomes it, in a sleeping one the next press offers it. */
	m->idx = i;
	m->resume_offer = 0;
	m->selected = !m->until;
	if (m->until) {
		m->item = DMENU_ROUTINE;
		m->list_seen = 1;
	}
}

void dmenu_sleep(struct dmenu *m)
{
	m->until = 0;
}

/* The place's words for the status line: "lower back". */
static void dmenu_place_name(const struct dmenu *m, char *buf, size_t len)
{
	snprintf(buf, len, "%s", guide_place_area(m->places[m->place]));
	for (char *c = buf; *c; c++)
		if (*c == '-')
			*c = ' ';
}

void dmenu_status(const struct dmenu *m, int speaking, char *out, size_t len)
{
	char place[32];

	if (!m->until) {
		snprintf(out, len, "idle");
		return;
	}
	switch (m->item) {
	case DMENU_RESUME:
		snprintf(out, len, "idle, offering to resume %s at step %d", m->resumable.routine,
			 m->resumable.last_step + 1);
		break;
	case DMENU_PLACE:
		dmenu_place_name(m, place, sizeof(place));
		snprintf(out, len, "idle, asking where it hurts: %s", place);
		break;
	case DMENU_BY_NAME:
		snprintf(out, len, "idle, asking: choose a routine by name");
		break;
	case DMENU_SAFETY:
		snprintf(out, len, m->saying_safety && speaking ? "idle, saying when to see a doctor"
								: "idle, offering the safety words");
		break;
	case DMENU_MORNING:
		snprintf(out, len, "idle, offering %s instead of %s (morning caution)",
			 m->names[m->offer_idx], m->names[m->chosen_idx]);
		break;
	case DMENU_PROGRAMME:
		snprintf(out, len, "idle, offering %s", m->names[m->offer_idx]);
		break;
	case DMENU_ROUTINE:
	default:
		if (m->n)
			snprintf(out, len, "idle, offering %s", m->names[m->idx]);
		else
			snprintf(out, len, "idle");
		break;
	}
}

/*
 * dwords: the menu's offer in words (dwords.h).
 */
#include "dwords.h"

#include "plan.h"
#include "routine.h"

#include <string.h>

/* The phrase for a button, or its keyboard twin. */
static const char *dwords_phrase(const struct dwords *dw, enum phrase button, enum phrase keys)
{
	return voice_phrase(dw->voice, dw->keys ? keys : button);
}

/* "{length}" for routine i: "twelve minutes", or "" if it is not known. */
static const char *dwords_routine(const struct dwords *dw, size_t i, char *len, size_t n)
{
	const char *title = NULL;
	int64_t ms = -1;

	dw->routine(dw->ctx, i, &title, &ms);
	len[0] = '\0';
	if (ms >= 0)
		guide_minutes(dw->voice, ms, len, n);
	return title ? title : "";
}

static void dwords_resume(const struct dwords *dw, const struct dmenu *m, struct sbuf *b)
{
	const struct routine_step *st = NULL;
	struct routine *r = NULL;
	char err[LIMBER_ERR_LEN];
	const char *vars[] = { "name", m->resumable.title, "step", "", NULL };

	if (library_load_routine(dw->lib, m->resumable.routine, &r, err) == 0 &&
	    (size_t)m->resumable.last_step < r->nsteps)
		st = &r->steps[m->resumable.last_step];
	vars[3] = st ? st->name : "";
	plan_fill(voice_phrase(dw->voice, PH_RESUME), vars, b);
	routine_free(r);
}

void dwords_offer(const struct dwords *dw, const struct dmenu *m, struct sbuf *b)
{
	char len[96], len2[96];

	sbuf_add(b, "");
	switch (m->item) {
	case DMENU_RESUME:
		dwords_resume(dw, m, b);
		break;
	case DMENU_PLACE: {
		const char *vars[] = { "place", voice_phrase(dw->voice,
							     guide_place_phrase(m->places[m->place])),
				       NULL };

		plan_fill(m->place ? dwords_phrase(dw, PH_WHERE_NEXT, PH_WHERE_NEXT_KEYS)
				   : dwords_phrase(dw, PH_WHERE_FIRST, PH_WHERE_FIRST_KEYS),
			  vars, b);
		break;
	}
	case DMENU_PROGRAMME: {
		int k = guide_find(dw->cat, m->names[m->offer_idx]);
		const char *vars[] = { "name", dwords_routine(dw, m->offer_idx, len, sizeof(len)),
				       "level", k >= 0 ? dw->cat->r[k].level : "", "length", len,
				       NULL };

		plan_fill(dwords_phrase(dw, PH_GUIDED, PH_GUIDED_KEYS), vars, b);
		break;
	}
	case DMENU_BY_NAME:
		sbuf_add(b, dwords_phrase(dw, PH_BY_NAME, PH_BY_NAME_KEYS));
		break;
	case DMENU_SAFETY:
		sbuf_add(b, m->saying_safety ? voice_phrase(dw->voice, PH_SAFETY)
					     : dwords_phrase(dw, PH_SAFETY_MENU, PH_SAFETY_MENU_KEYS));
		break;
	case DMENU_MORNING: {
		const char *vars[] = { "name", dwords_routine(dw, m->chosen_idx, len, sizeof(len)),
				       "morning", dwords_routine(dw, m->offer_idx, len2, sizeof(len2)),
				       NULL };

		plan_fill(voice_phrase(dw->voice, PH_MORNING_OFFER), vars, b);
		break;
	}
	case DMENU_ROUTINE:
	default:
		if (!m->n) {
			sbuf_add(b, voice_phrase(dw->voice, PH_NO_ROUTINES));
		} else {
			const char *vars[] = { "name", dwords_routine(dw, m->idx, len, sizeof(len)),
					       "length", len, NULL };

			plan_fill(dwords_phrase(dw, PH_MENU, PH_MENU_KEYS), vars, b);
		}
		break;
	}
}

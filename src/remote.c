/*
 * remote: a small table of main buttons (one struct button each) and a
 * queue of actions waiting to be taken.
 */
#include "remote.h"

#include <string.h>

void remote_init(struct remote *r, const struct config *cfg, const struct button_timing *t)
{
	static const struct button_timing def = BUTTON_TIMING_DEFAULT;

	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	r->timing = t ? *t : def;
}

static void remote_push(struct remote *r, enum config_action act, enum button_gesture g)
{
	if (r->qtail - r->qhead >= REMOTE_QUEUE)
		return;   /* a flood of presses: the oldest are enough */
	r->q[r->qtail % REMOTE_QUEUE].act = act;
	r->q[r->qtail % REMOTE_QUEUE].g = g;
	r->qtail++;
}

/*
 * The main button for (src, code), made on its first press and kept (its
 * debounce state must outlive the press) until its source is lost; NULL if
 * the table is full.
 */
static struct button *remote_main(struct remote *r, int src, unsigned code,
				  enum config_action act, int create)
{
	int free_slot = -1;

	for (int i = 0; i < REMOTE_MAINS; i++) {
		if (r->main[i].used && r->main[i].src == src && r->main[i].code == code)
			return &r->main[i].b;
		if (!r->main[i].used && free_slot < 0)
			free_slot = i;
	}
	if (!create || free_slot < 0)
		return NULL;
	r->main[free_slot].used = 1;
	r->main[free_slot].src = src;
	r->main[free_slot].code = code;
	r->main[free_slot].act = act;
	button_init(&r->main[free_slot].b, &r->timing);
	return &r->main[free_slot].b;
}

static void remote_input(struct remote *r, int src, unsigned code, enum config_action act,
			 int value, int64_t t_ms)
{
	if (act == ACT_MAIN || src >= REMOTE_GPIO) {
		struct button *b = remote_main(r, src, code, act, value == 1);
		int was_down;

		if (!b || value == 2)
			return;
		was_down = b->down;
		button_edge(b, value == 1, t_ms);
		if (act != ACT_MAIN && !was_down && b->down)   /* a debounced press */
			remote_push(r, act, BUTTON_NONE);
		return;
	}
	/* Held volume keys repeat; nothing else should run on by itself. */
	if (value == 1 || (value == 2 && (act == ACT_LOUDER || act == ACT_SOFTER)))
		remote_push(r, act, BUTTON_NONE);
}

void remote_key(struct remote *r, int src, unsigned code, int value, int64_t t_ms)
{
	int act = config_key_action(r->cfg, code);

	if (act >= 0)
		remote_input(r, src, code, (enum config_action)act, value, t_ms);
}

void remote_gpio(struct remote *r, size_t i, int pressed, int64_t t_ms)
{
	if (i < r->cfg->nbuttons)
		remote_input(r, REMOTE_GPIO + (int)i, 0, r->cfg->buttons[i].action, pressed, t_ms);
}

void remote_lost(struct remote *r, int src)
{
	for (int i = 0; i < REMOTE_MAINS; i++)
		if (r->main[i].used && r->main[i].src == src)
			r->main[i].used = 0;
}

int remote_next(struct remote *r, int64_t now_ms, struct remote_event *ev)
{
	for (int i = 0; i < REMOTE_MAINS; i++) {
		enum button_gesture g;

		if (!r->main[i].used)
			continue;
		g = button_poll(&r->main[i].b, now_ms);
		if (g != BUTTON_NONE && r->main[i].act == ACT_MAIN)
			remote_push(r, ACT_MAIN, g);
	}
	if (r->qhead == r->qtail)
		return 0;
	*ev = r->q[r->qhead % REMOTE_QUEUE];
	r->qhead++;
	return 1;
}

int64_t remote_deadline(const struct remote *r)
{
	int64_t d = -1;

	if (r->qhead != r->qtail)
		return 0;
	for (int i = 0; i < REMOTE_MAINS; i++) {
		int64_t t;

		if (!r->main[i].used || r->main[i].act != ACT_MAIN)
			continue;
		t = button_deadline(&r->main[i].b);
		if (t >= 0 && (d < 0 || t < d))
			d = t;
	}
	return d;
}

/*
 * button: a small state machine over debounced edges.
 *
 * A press held past long_ms is a long press at once (the person hears the
 * menu move while holding). A release before that is a short press, but it
 * is held back for double_ms in case a second press follows; the second's
 * release makes a double. So a single short press answers double_ms late,
 * the price of having doubles on one button.
 */
#include "button.h"

#include <string.h>

void button_init(struct button *b, const struct button_timing *t)
{
	static const struct button_timing def = BUTTON_TIMING_DEFAULT;

	memset(b, 0, sizeof(*b));
	b->t = t ? *t : def;
	b->last_edge = INT64_MIN / 2;
	b->short_at = -1;
}

void button_edge(struct button *b, int pressed, int64_t t_ms)
{
	pressed = !!pressed;
	if (pressed == b->down || t_ms - b->last_edge < b->t.debounce_ms)
		return;
	b->last_edge = t_ms;
	b->down = pressed;
	if (pressed) {
		b->down_at = t_ms;
		b->long_sent = 0;
		b->second = b->short_at >= 0 && t_ms - b->short_at <= b->t.double_ms;
		if (b->second)
			b->short_at = -1;
		return;
	}
	if (b->long_sent)
		return;
	if (b->second) {
		b->second = 0;
		b->short_at = -2;  /* a double, due now */
		b->down_at = t_ms;
		return;
	}
	b->short_at = t_ms;
}

enum button_gesture button_poll(struct button *b, int64_t now_ms)
{
	if (b->down && !b->long_sent && now_ms - b->down_at >= b->t.long_ms) {
		b->long_sent = 1;
		b->second = 0;
		return BUTTON_LONG;
	}
	if (b->short_at == -2) {
		b->short_at = -1;
		return BUTTON_DOUBLE;
	}
	if (b->short_at >= 0 && !b->down && now_ms - b->short_at > b->t.double_ms) {
		b->short_at = -1;
		return BUTTON_SHORT;
	}
	return BUTTON_NONE;
}

int64_t button_deadline(const struct button *b)
{
	if (b->short_at == -2)
		return 0;
	if (b->down && !b->long_sent)
		return b->down_at + b->t.long_ms;
	if (b->short_at >= 0 && !b->down)
		return b->short_at + b->t.double_ms + 1;
	return -1;
}

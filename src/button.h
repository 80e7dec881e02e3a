/*
 * button: one physical button (a GPIO line, a foot pedal) turned into
 * gestures: a short press, a long press, a double press.
 *
 * It is fed edges with their timestamps (CLOCK_MONOTONIC milliseconds, as
 * libgpiod and evdev give them) and does its own debouncing, since libgpiod
 * v1 has none. It never reads a clock: button_deadline() says when the
 * caller must look again (its poll() timeout), so an idle daemon sleeps.
 */
#ifndef LIMBER_BUTTON_H
#define LIMBER_BUTTON_H

#include <stdint.h>

enum button_gesture { BUTTON_NONE, BUTTON_SHORT, BUTTON_LONG, BUTTON_DOUBLE };

struct button_timing {
	int64_t debounce_ms;   /* edges this soon after the last accepted one are bounce */
	int64_t long_ms;       /* held this long: a long press, reported while still held */
	int64_t double_ms;     /* a second press this soon after a short one: a double */
};

#define BUTTON_TIMING_DEFAULT { 30, 700, 350 }

struct button {
	struct button_timing t;
	int down;              /* debounced state */
	int64_t last_edge;     /* last accepted edge */
	int64_t down_at;
	int long_sent;         /* this press already reported as long */
	int64_t short_at;      /* a short press waiting to see if a second follows; -1: none */
	int second;            /* the press under way is the second of a double */
};

void button_init(struct button *b, const struct button_timing *t);
/* An edge: pressed (1) or released (0), at t_ms. */
void button_edge(struct button *b, int pressed, int64_t t_ms);
/* The gesture due at now_ms, if any (call until BUTTON_NONE). */
enum button_gesture button_poll(struct button *b, int64_t now_ms);
/* When button_poll() next has something to say; -1: not until the next edge. */
int64_t button_deadline(const struct button *b);

#endif

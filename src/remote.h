/*
 * remote: every input the daemon has (evdev keys, GPIO buttons) turned
 * into actions, with no I/O of its own, so the tests feed it the same
 * records the hardware gives.
 *
 * Keys and buttons mapped to ACT_MAIN go through a button (button.h) each
 * and come out as gestures; the rest act on their press. GPIO buttons are
 * debounced whatever they do (a keyboard debounces its own keys). Sources are
 * numbered by the caller (a device slot, a GPIO line); when one vanishes,
 * remote_lost() forgets what it held, so a clicker that sleeps with a key
 * down does not leave a long press behind.
 */
#ifndef LIMBER_REMOTE_H
#define LIMBER_REMOTE_H

#include "button.h"
#include "config.h"

#include <stdint.h>

#define REMOTE_MAINS 16
#define REMOTE_QUEUE 32
#define REMOTE_GPIO 0x10000   /* GPIO sources are REMOTE_GPIO + the button's index */

struct remote_event {
	enum config_action act;
	enum button_gesture g;    /* for ACT_MAIN: which gesture; else BUTTON_NONE */
};

struct remote {
	const struct config *cfg;
	struct button_timing timing;
	struct {
		int used;
		int src;
		unsigned code;
		enum config_action act;
		struct button b;
	} main[REMOTE_MAINS];
	struct remote_event q[REMOTE_QUEUE];
	unsigned qhead, qtail;
};

void remote_init(struct remote *r, const struct config *cfg, const struct button_timing *t);
/* An evdev EV_KEY record from source src: value 1 press, 0 release, 2 autorepeat. */
void remote_key(struct remote *r, int src, unsigned code, int value, int64_t t_ms);
/* An edge from GPIO button i of the config (pressed: the line went low). */
void remote_gpio(struct remote *r, size_t i, int pressed, int64_t t_ms);
/* Source src is gone: drop what it held. */
void remote_lost(struct remote *r, int src);
/* The next action due at now_ms: 1 with *ev, or 0. */
int remote_next(struct remote *r, int64_t now_ms, struct remote_event *ev);
/* When remote_next() next has something without new input; -1: not until then. */
int64_t remote_deadline(const struct remote *r);

#endif

/*
 * mqtt_text: the words limber puts on MQTT, as text, with no broker and no
 * I/O: the state object (limber/<id>/state) and Home Assistant's discovery
 * configs. Kept apart from mqtt.c so the unit tests check every byte of
 * them alone, and so the JSON escaping is in one place.
 */
#ifndef LIMBER_MQTT_TEXT_H
#define LIMBER_MQTT_TEXT_H

#include "ctl.h"
#include "util.h"

#include <stddef.h>
#include <stdint.h>

/* What the daemon is doing; every string may be NULL (written as null). */
struct mqtt_state {
	const char *state;         /* idle offering playing paused asking stopping */
	const char *routine;       /* the NAME playing, on offer, or chosen */
	const char *title;         /* its name: line */
	const char *selected;      /* what a press or the start button plays (the select) */
	int step, steps;           /* 0: none */
	const char *step_name;
	const char *side;          /* "left" or "right" while a side is worked, else NULL */
	int64_t remaining_s;       /* of the hold under way; < 0: not in a hold */
	int64_t hold_s;            /* that hold's length; < 0: not in a hold */
	int64_t session_left_s;    /* the session's time left, as `status` says it; < 0: none */
	int streak_days;
	const char *last_routine;  /* the last session: NULL if there is none */
	int64_t last_ended;        /* Unix seconds */
	const char *last_how;      /* finished, stopped, interrupted */
};

/* s as a JSON string, quoted: ", \ and control characters escaped, bad UTF-8 as U+FFFD. */
void mqtt_text_json_str(struct sbuf *b, const char *s);

/* The state object, one line of JSON. */
void mqtt_text_state(const struct mqtt_state *st, struct sbuf *b);

struct mqtt_device {
	const char *id;            /* the topics' <id> */
	const char *prefix;        /* discovery prefix: homeassistant */
	const char *version;       /* sw_version */
	const char *const *routines;   /* the select's options */
	size_t nroutines;
};

/* How many discovery configs there are (entities). */
size_t mqtt_text_entities(void);
/* Entity k's config: its topic and its JSON payload (both appended to). */
void mqtt_text_discovery(const struct mqtt_device *dev, size_t k, struct sbuf *topic,
			 struct sbuf *payload);
/*
 * A message from limber/<id>/cmd as one request of the control protocol,
 * read by ctl's own reader and parser: 0, or -1 with "error: ..." in err.
 * One request a message (a trailing newline is allowed); binary, overlong
 * or several lines are refused.
 */
int mqtt_text_command(const char *payload, size_t len, struct ctl_request *rq, char *err);

/* limber/<id>/<leaf>, appended to b. */
void mqtt_text_topic(struct sbuf *b, const char *id, const char *leaf);

#endif

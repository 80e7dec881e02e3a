/*
 * mqtt_text: the state object and the Home Assistant discovery configs,
 * as JSON text. Every entity is on one device (the speaker), watches the
 * availability topic, and sends the control socket's line protocol to
 * limber/<id>/cmd: a button's payload is a request line, the select's is
 * "select NAME". Sensors read fields of the retained state object.
 */
#include "mqtt_text.h"

#include <stdio.h>
#include <string.h>

int mqtt_text_command(const char *payload, size_t len, struct ctl_request *rq, char *err)
{
	struct ctl_reader rd;
	int st = 1;

	if (len && payload[len - 1] == '\n')
		len--;
	if (len > CTL_MAX_LINE + 1)   /* + 1: a \r the reader drops */
		return util_err(err, "error: line too long (at most %d bytes)", CTL_MAX_LINE);
	if (memchr(payload, '\n', len))
		return util_err(err, "error: one request a message");
	ctl_reader_init(&rd);
	ctl_reader_feed(&rd, payload, len, rq, &st, err);
	ctl_reader_feed(&rd, "\n", 1, rq, &st, err);
	return st == 0 ? 0 : -1;
}

void mqtt_text_topic(struct sbuf *b, const char *id, const char *leaf)
{
	sbuf_printf(b, "limber/%s/%s", id, leaf);
}

/* The length of the valid UTF-8 sequence at s, or 0 (RFC 3629: no overlongs, no surrogates). */
static size_t mqtt_text_utf8(const unsigned char *s)
{
	size_t n;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07u;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

void mqtt_text_json_str(struct sbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		sbuf_add(b, "null");
		return;
	}
	sbuf_add(b, "\"");
	while (*p) {
		size_t n;

		if (*p == '"' || *p == '\\') {
			sbuf_addn(b, "\\", 1);
			sbuf_addn(b, (const char *)p++, 1);
		} else if (*p == '\n') {
			sbuf_add(b, "\\n");
			p++;
		} else if (*p == '\t') {
			sbuf_add(b, "\\t");
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			sbuf_printf(b, "\\u%04x", *p++);
		} else if ((n = mqtt_text_utf8(p)) > 0) {
			sbuf_addn(b, (const char *)p, n);
			p += n;
		} else {
			sbuf_add(b, "\\ufffd");   /* not UTF-8: JSON must be */
			p++;
		}
	}
	sbuf_add(b, "\"");
}

/* ,"key":n, or null for n < 0 */
static void mqtt_text_int(struct sbuf *b, const char *key, int64_t n)
{
	if (n >= 0)
		sbuf_printf(b, ",\"%s\":%lld", key, (long long)n);
	else
		sbuf_printf(b, ",\"%s\":null", key);
}

void mqtt_text_state(const struct mqtt_state *st, struct sbuf *b)
{
	sbuf_add(b, "{\"state\":");
	mqtt_text_json_str(b, st->state);
	sbuf_add(b, ",\"routine\":");
	mqtt_text_json_str(b, st->routine);
	sbuf_add(b, ",\"title\":");
	mqtt_text_json_str(b, st->title);
	sbuf_add(b, ",\"selected\":");
	mqtt_text_json_str(b, st->selected);
	sbuf_printf(b, ",\"step\":%d,\"steps\":%d,\"step_name\":", st->step, st->steps);
	mqtt_text_json_str(b, st->step_name);
	sbuf_add(b, ",\"side\":");
	mqtt_text_json_str(b, st->side);
	mqtt_text_int(b, "remaining_s", st->remaining_s);
	mqtt_text_int(b, "hold_s", st->hold_s);
	mqtt_text_int(b, "session_left_s", st->session_left_s);
	sbuf_printf(b, ",\"streak_days\":%d,\"last_session\":", st->streak_days);
	if (st->last_routine) {
		sbuf_add(b, "{\"routine\":");
		mqtt_text_json_str(b, st->last_routine);
		sbuf_printf(b, ",\"ended\":%lld,\"how\":", (long long)st->last_ended);
		mqtt_text_json_str(b, st->last_how);
		sbuf_add(b, "}");
	} else {
		sbuf_add(b, "null");
	}
	sbuf_add(b, "}");
}

/* The entities: component, object id, name, and what makes each one itself. */
enum ent_kind { ENT_SELECT, ENT_BUTTON, ENT_SENSOR };
static const struct {
	enum ent_kind kind;
	const char *object, *name, *arg;   /* arg: a button's request, a sensor's field */
	const char *unit, *icon;
} entities[] = {
	{ ENT_SELECT, "routine", "Routine", NULL, NULL, "mdi:playlist-play" },
	{ ENT_BUTTON, "start", "Start", "start", NULL, "mdi:play" },
	{ ENT_BUTTON, "pause", "Pause or resume", "toggle", NULL, "mdi:play-pause" },
	{ ENT_BUTTON, "next", "Next step", "next", NULL, "mdi:skip-next" },
	{ ENT_BUTTON, "stop", "Stop", "stop", NULL, "mdi:stop" },
	{ ENT_SENSOR, "state", "State", "state", NULL, "mdi:yoga" },
	{ ENT_SENSOR, "step", "Step", "step_name", NULL, "mdi:format-list-numbered" },
	{ ENT_SENSOR, "remaining", "Hold time left", "remaining_s", "s", "mdi:timer-sand" },
	{ ENT_SENSOR, "streak", "Streak", "streak_days", "d", "mdi:fire" },
};

size_t mqtt_text_entities(void)
{
	return UTIL_ARRAY_LEN(entities);
}

static void mqtt_text_key(struct sbuf *b, const char *key, const char *value)
{
	sbuf_printf(b, ",\"%s\":", key);
	mqtt_text_json_str(b, value);
}

void mqtt_text_discovery(const struct mqtt_device *dev, size_t k, struct sbuf *topic,
			 struct sbuf *payload)
{
	static const char *const component[] = { "select", "button", "sensor" };
	struct sbuf t;

	sbuf_init(&t);
	sbuf_printf(topic, "%s/%s/limber_%s/%s/config", dev->prefix, component[entities[k].kind],
		    dev->id, entities[k].object);
	sbuf_add(payload, "{\"name\":");
	mqtt_text_json_str(payload, entities[k].name);
	sbuf_printf(&t, "limber_%s_%s", dev->id, entities[k].object);
	mqtt_text_key(payload, "unique_id", t.s);
	t.len = 0;
	mqtt_text_key(payload, "icon", entities[k].icon);
	mqtt_text_topic(&t, dev->id, "availability");
	mqtt_text_key(payload, "availability_topic", t.s);
	sbuf_add(payload, ",\"payload_available\":\"online\",\"payload_not_available\":\"offline\"");
	t.len = 0;
	switch (entities[k].kind) {
	case ENT_SELECT:
		mqtt_text_topic(&t, dev->id, "cmd");
		mqtt_text_key(payload, "command_topic", t.s);
		mqtt_text_key(payload, "command_template", "select {{ value }}");
		t.len = 0;
		mqtt_text_topic(&t, dev->id, "state");
		mqtt_text_key(payload, "state_topic", t.s);
		mqtt_text_key(payload, "value_template", "{{ value_json.selected }}");
		sbuf_add(payload, ",\"options\":[");
		for (size_t i = 0; i < dev->nroutines; i++) {
			if (i)
				sbuf_add(payload, ",");
			mqtt_text_json_str(payload, dev->routines[i]);
		}
		sbuf_add(payload, "]");
		break;
	case ENT_BUTTON:
		mqtt_text_topic(&t, dev->id, "cmd");
		mqtt_text_key(payload, "command_topic", t.s);
		mqtt_text_key(payload, "payload_press", entities[k].arg);
		break;
	case ENT_SENSOR:
		mqtt_text_topic(&t, dev->id, "state");
		mqtt_text_key(payload, "state_topic", t.s);
		t.len = 0;
		sbuf_printf(&t, "{{ value_json.%s }}", entities[k].arg);
		mqtt_text_key(payload, "value_template", t.s);
		if (entities[k].unit)
			mqtt_text_key(payload, "unit_of_measurement", entities[k].unit);
		if (entities[k].unit && !strcmp(entities[k].unit, "s"))
			mqtt_text_key(payload, "device_class", "duration");
		break;
	}
	t.len = 0;
	sbuf_printf(&t, "limber_%s", dev->id);
	sbuf_add(payload, ",\"device\":{\"identifiers\":[");
	mqtt_text_json_str(payload, t.s);
	t.len = 0;
	sbuf_printf(&t, "limber %s", dev->id);
	sbuf_add(payload, "]");
	mqtt_text_key(payload, "name", t.s);
	mqtt_text_key(payload, "model", "limber");
	mqtt_text_key(payload, "manufacturer", "limber");
	mqtt_text_key(payload, "sw_version", dev->version);
	sbuf_add(payload, "}}");
	sbuf_done(&t);
}

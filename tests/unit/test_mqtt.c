/* mqtt_text: the state object and Home Assistant's discovery configs, byte for byte, no broker. */
#include "testutil.h"

#include "mqtt_text.h"

#include <string.h>

/* A strict JSON checker (RFC 8259), enough to say a payload is one valid value. */
static const char *json_value(const char *p, int depth);

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
						return NULL;
				p += 4;
			} else if (!*p || !strchr("\"\\/bfnrt", *p)) {
				return NULL;
			}
		}
		p++;
	}
	return p + 1;
}

static const char *json_value(const char *p, int depth)
{
	p = json_ws(p);
	if (depth > 16)
		return NULL;
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';
		int obj = *p == '{';

		p = json_ws(p + 1);
		if (*p == close)
			return p + 1;
		for (;;) {
			if (obj) {
				if (!(p = json_string(json_ws(p))))
					return NULL;
				p = json_ws(p);
				if (*p++ != ':')
					return NULL;
			}
			if (!(p = json_value(p, depth + 1)))
				return NULL;
			p = json_ws(p);
			if (*p == close)
				return p + 1;
			if (*p++ != ',')
				return NULL;
		}
	}
	if (*p == '"')
		return json_string(p);
	if (!strncmp(p, "null", 4) || !strncmp(p, "true", 4))
		return p + 4;
	if (!strncmp(p, "false", 5))
		return p + 5;
	if (*p == '-' || (*p >= '0' && *p <= '9')) {
		p += *p == '-';
		while (*p >= '0' && *p <= '9')
			p++;
		return p;
	}
	return NULL;
}

static int json_ok(const char *s)
{
	const char *end = json_value(s, 0);

	return end && *json_ws(end) == '\0';
}

static char *json(const char *s)
{
	struct sbuf b;

	sbuf_init(&b);
	mqtt_text_json_str(&b, s);
	return sbuf_take(&b);
}

static void test_json_strings_escape_quotes_and_control_characters(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "\"plain\"" },
		{ "say \"hi\"", "\"say \\\"hi\\\"\"" },
		{ "back\\slash", "\"back\\\\slash\"" },
		{ "two\nlines\tand a tab", "\"two\\nlines\\tand a tab\"" },
		{ "bell\a esc\x1b del\x7f", "\"bell\\u0007 esc\\u001b del\\u007f\"" },
		{ "", "\"\"" },
	};

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		char *j = json(cases[i].in);

		assert_string_equal(j, cases[i].out);
		assert_true(json_ok(j));
		free(j);
	}
	{
		char *j = json(NULL);

		assert_string_equal(j, "null");
		free(j);
	}
}

static void test_utf8_titles_pass_and_bad_bytes_become_replacement(void **state)
{
	char *j;

	(void)state;
	j = json("Étirement du dos, débutant \xe2\x80\x94 \xf0\x9f\xa7\x98");   /* é, —, 🧘 */
	assert_string_equal(j, "\"Étirement du dos, débutant \xe2\x80\x94 \xf0\x9f\xa7\x98\"");
	free(j);
	/* A lone continuation byte, an overlong '/', a surrogate, a cut sequence. */
	j = json("a\x80" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe2\x80");
	assert_string_equal(j, "\"a\\ufffdb\\ufffd\\ufffdc\\ufffd\\ufffd\\ufffdd\\ufffd\\ufffd\"");
	assert_true(json_ok(j));
	free(j);
}

static void test_state_object_has_every_field(void **state)
{
	const struct mqtt_state st = { "playing", "lower-back/beginner", "Lower \"back\" relief",
				       "lower-back/beginner", 2, 8, "Child's pose", "left", 25, 45, 754, 4,
				       "daily/evening", 1764600000, "finished" };
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	mqtt_text_state(&st, &b);
	assert_string_equal(b.s,
		"{\"state\":\"playing\",\"routine\":\"lower-back/beginner\","
		"\"title\":\"Lower \\\"back\\\" relief\",\"selected\":\"lower-back/beginner\","
		"\"step\":2,\"steps\":8,\"step_name\":\"Child's pose\",\"side\":\"left\",\"remaining_s\":25,\"hold_s\":45,"
		"\"session_left_s\":754,"
		"\"streak_days\":4,\"last_session\":{\"routine\":\"daily/evening\","
		"\"ended\":1764600000,\"how\":\"finished\"}}");
	assert_true(json_ok(b.s));
	sbuf_done(&b);
}

static void test_idle_state_has_nulls_not_garbage(void **state)
{
	const struct mqtt_state st = { .state = "idle", .remaining_s = -1, .hold_s = -1,
				       .session_left_s = -1 };
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	mqtt_text_state(&st, &b);
	assert_string_equal(b.s, "{\"state\":\"idle\",\"routine\":null,\"title\":null,\"selected\":null,"
				 "\"step\":0,\"steps\":0,\"step_name\":null,\"side\":null,\"remaining_s\":null,\"hold_s\":null,"
				 "\"session_left_s\":null,"
				 "\"streak_days\":0,\"last_session\":null}");
	assert_true(json_ok(b.s));
	sbuf_done(&b);
}

static void test_discovery_configs_are_valid_and_share_one_device(void **state)
{
	static const char *const routines[] = { "daily/evening", "lower-back/beginner", "we\"ird" };
	const struct mqtt_device dev = { "shelf", "homeassistant", "0.1.0", routines, 3 };
	const char *want[] = { "homeassistant/select/limber_shelf/routine/config",
			       "homeassistant/button/limber_shelf/start/config",
			       "homeassistant/button/limber_shelf/pause/config",
			       "homeassistant/button/limber_shelf/next/config",
			       "homeassistant/button/limber_shelf/stop/config",
			       "homeassistant/sensor/limber_shelf/state/config",
			       "homeassistant/sensor/limber_shelf/step/config",
			       "homeassistant/sensor/limber_shelf/remaining/config",
			       "homeassistant/sensor/limber_shelf/streak/config" };
	const char *device = "\"device\":{\"identifiers\":[\"limber_shelf\"],\"name\":\"limber shelf\","
			     "\"model\":\"limber\",\"manufacturer\":\"limber\",\"sw_version\":\"0.1.0\"}";

	(void)state;
	assert_int_equal(mqtt_text_entities(), UTIL_ARRAY_LEN(want));
	for (size_t k = 0; k < mqtt_text_entities(); k++) {
		struct sbuf t, p;

		sbuf_init(&t);
		sbuf_init(&p);
		mqtt_text_discovery(&dev, k, &t, &p);
		assert_string_equal(t.s, want[k]);
		if (!json_ok(p.s)) {
			fprintf(stderr, "not JSON: %s\n", p.s);
			fail();
		}
		assert_non_null(strstr(p.s, device));
		assert_non_null(strstr(p.s, "\"availability_topic\":\"limber/shelf/availability\""));
		assert_non_null(strstr(p.s, "\"unique_id\":\"limber_shelf_"));
		if (!strncmp(t.s, "homeassistant/button/", 21) || strstr(t.s, "/select/"))
			assert_non_null(strstr(p.s, "\"command_topic\":\"limber/shelf/cmd\""));
		if (strstr(t.s, "/sensor/") || strstr(t.s, "/select/"))
			assert_non_null(strstr(p.s, "\"state_topic\":\"limber/shelf/state\""));
		if (strstr(t.s, "/select/")) {
			assert_non_null(strstr(p.s, "\"options\":[\"daily/evening\",\"lower-back/beginner\","
						    "\"we\\\"ird\"]"));
			assert_non_null(strstr(p.s, "\"command_template\":\"select {{ value }}\""));
		}
		if (strstr(t.s, "/start/"))
			assert_non_null(strstr(p.s, "\"payload_press\":\"start\""));
		if (strstr(t.s, "/pause/"))
			assert_non_null(strstr(p.s, "\"payload_press\":\"toggle\""));
		if (strstr(t.s, "/remaining/"))
			assert_non_null(strstr(p.s, "\"value_template\":\"{{ value_json.remaining_s }}\""));
		sbuf_done(&t);
		sbuf_done(&p);
	}
}

static void test_no_routines_is_an_empty_options_list(void **state)
{
	const struct mqtt_device dev = { "x", "ha/discovery", "1", NULL, 0 };
	struct sbuf t, p;

	(void)state;
	sbuf_init(&t);
	sbuf_init(&p);
	mqtt_text_discovery(&dev, 0, &t, &p);
	assert_string_equal(t.s, "ha/discovery/select/limber_x/routine/config");
	assert_non_null(strstr(p.s, "\"options\":[]"));
	assert_true(json_ok(p.s));
	sbuf_done(&t);
	sbuf_done(&p);
}

static void test_a_cmd_message_is_one_request_of_the_line_protocol(void **state)
{
	static const char *const bad[] = { "dance", "/etc/passwd", "start ../../etc/passwd",
					   "start live/../x", "stop\nstop", "start \xff\xfe", "PAUSE",
					   "", "\n", NULL };
	char err[LIMBER_ERR_LEN], big[4096];
	struct ctl_request rq;

	(void)state;
	assert_int_equal(mqtt_text_command("start daily/evening", 19, &rq, err), 0);
	assert_int_equal(rq.verb, CTL_START);
	assert_string_equal(rq.name, "daily/evening");
	assert_int_equal(mqtt_text_command("toggle\n", 7, &rq, err), 0);   /* as a socket sends it */
	assert_int_equal(rq.verb, CTL_TOGGLE);
	assert_int_equal(mqtt_text_command("next\r\n", 6, &rq, err), 0);
	assert_int_equal(rq.verb, CTL_NEXT);
	for (int i = 0; bad[i]; i++)
		assert_int_equal(mqtt_text_command(bad[i], strlen(bad[i]), &rq, err), -1);
	assert_int_equal(mqtt_text_command("stop\nstop", 9, &rq, err), -1);
	assert_string_equal(err, "error: one request a message");
	assert_int_equal(mqtt_text_command("pause\0now", 9, &rq, err), -1);   /* a NUL inside */
	assert_string_equal(err, "error: not a request (control characters)");
	memset(big, 'a', sizeof(big));
	assert_int_equal(mqtt_text_command(big, sizeof(big), &rq, err), -1);
	assert_string_equal(err, "error: line too long (at most 256 bytes)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_strings_escape_quotes_and_control_characters),
		cmocka_unit_test(test_utf8_titles_pass_and_bad_bytes_become_replacement),
		cmocka_unit_test(test_state_object_has_every_field),
		cmocka_unit_test(test_idle_state_has_nulls_not_garbage),
		cmocka_unit_test(test_discovery_configs_are_valid_and_share_one_device),
		cmocka_unit_test(test_no_routines_is_an_empty_options_list),
		cmocka_unit_test(test_a_cmd_message_is_one_request_of_the_line_protocol),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* config: the daemon's file, its defaults, and bad ones refused with a position. */
#include "testutil.h"

#include "config.h"

#include <libevdev/libevdev.h>
#include <string.h>
#include <sys/stat.h>

static int load_text(const char *text, struct config **c, char *err)
{
	FILE *f = fopen("/tmp/limber-test-config.yaml", "w");
	int rc;

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	rc = config_load("/tmp/limber-test-config.yaml", c, err);
	remove("/tmp/limber-test-config.yaml");
	return rc;
}

static void test_defaults_map_clicker_and_remote_keys(void **state)
{
	struct config *c;
	char err[LIMBER_ERR_LEN];

	(void)state;
	assert_int_equal(config_load(NULL, &c, err), 0);
	assert_string_equal(c->voice, "calm");
	assert_int_equal(config_key_action(c, KEY_PAGEDOWN), ACT_NEXT);
	assert_int_equal(config_key_action(c, KEY_PAGEUP), ACT_PREVIOUS);
	assert_int_equal(config_key_action(c, KEY_PLAYPAUSE), ACT_PAUSE);
	assert_int_equal(config_key_action(c, KEY_NEXTSONG), ACT_NEXT);
	assert_int_equal(config_key_action(c, KEY_F5), ACT_MAIN);
	assert_int_equal(config_key_action(c, KEY_A), -1);
	config_free(c);
}

static void test_a_full_file_loads(void **state)
{
	struct config *c;
	char err[LIMBER_ERR_LEN];

	(void)state;
	if (config_load(LIMBER_SOURCE_DIR "/tests/data/config/good.yaml", &c, err) < 0) {
		fprintf(stderr, "%s\n", err);
		fail();
	}
	assert_string_equal(c->voice, "british");
	assert_int_equal(c->volume_db, -6);
	assert_int_equal(c->latency_ms, 60);
	assert_int_equal(c->nroutines, 1);
	assert_int_equal(c->nbuttons, 2);
	assert_int_equal(c->buttons[0].action, ACT_MAIN);
	assert_string_equal(c->buttons[1].line, "GPIO27");
	assert_int_equal(c->buttons[1].action, ACT_NEXT);
	assert_int_equal(c->ninputs, 2);
	assert_string_equal(c->inputs[0].name, "Presenter");
	assert_int_equal(config_key_action(c, KEY_B), ACT_STOP);  /* overrides the default */
	assert_int_equal(config_key_action(c, BTN_LEFT), ACT_NEXT);
	config_free(c);
}

/* The example the README points to, as shipped. */
static void test_the_shipped_example_loads(void **state)
{
	struct config *c;
	char err[LIMBER_ERR_LEN];

	(void)state;
	if (config_load(LIMBER_SOURCE_DIR "/dist/config.example.yaml", &c, err) < 0) {
		fprintf(stderr, "%s\n", err);
		fail();
	}
	assert_string_equal(c->default_routine, "lower-back/beginner");
	assert_int_equal(c->nbuttons, 1);
	assert_string_equal(c->buttons[0].line, "GPIO17");
	assert_int_equal(config_key_action(c, KEY_SPACE), ACT_MAIN);
	config_free(c);
}

static void test_bad_files_are_refused_with_position(void **state)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "voice: calm\ncolour: red\n", ":2:1: unknown key 'colour'" },
		{ "keys: {KEY_NOPE: next}\n", ":1:8: 'KEY_NOPE' is not a key name" },
		{ "keys: {KEY_A: dance}\n", ":1:15: action 'dance' is not one of" },
		{ "buttons:\n  - {line: GPIO17}\n", ":2:5: a button needs 'chip'" },
		{ "inputs:\n  - {name: a, path: /b}\n", ":2:5: an input has a 'name' or a 'path'" },
		{ "volume_db: 40\n", ":1:12: volume_db must be from -40 to 6" },
		{ "default_routine: ../../etc/passwd\n", ":1:18: default_routine" },
		{ "- a list\n", ":1:1: the configuration must be a mapping" },
	};
	char err[LIMBER_ERR_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct config *c = NULL;

		assert_int_equal(load_text(bad[i].text, &c, err), -1);
		assert_null(c);
		if (!strstr(err, bad[i].want)) {
			fprintf(stderr, "wanted '%s', got '%s'\n", bad[i].want, err);
			fail();
		}
	}
}

static void test_lead_in_and_morning_until(void **state)
{
	struct config *c;
	char err[LIMBER_ERR_LEN];

	(void)state;
	assert_int_equal(config_load(NULL, &c, err), 0);
	assert_int_equal(c->lead_in_ms, 0);
	assert_int_equal(c->lead_in_tone, 0);
	assert_int_equal(c->morning_until, 10 * 60);
	config_free(c);
	assert_int_equal(load_text("lead_in: 1.5s\nlead_in_tone: true\nmorning_until: \"9:30\"\n", &c,
				   err), 0);
	assert_int_equal(c->lead_in_ms, 1500);
	assert_int_equal(c->lead_in_tone, 1);
	assert_int_equal(c->morning_until, 9 * 60 + 30);
	config_free(c);
	assert_int_equal(load_text("morning_until: \"00:00\"\n", &c, err), 0);
	assert_int_equal(c->morning_until, 0);   /* no morning caution */
	config_free(c);
	/* A time that is not one, and a lead-in longer than any speaker needs: refused, placed. */
	assert_int_equal(load_text("voice: calm\nmorning_until: \"25:00\"\n", &c, err), -1);
	assert_non_null(strstr(err, ":2:"));
	assert_non_null(strstr(err, "morning_until"));
	assert_int_equal(load_text("lead_in: 1m\n", &c, err), -1);
	assert_non_null(strstr(err, ":1:"));
	assert_int_equal(config_time_of_day("7:05"), 7 * 60 + 5);
	assert_int_equal(config_time_of_day("7:5"), -1);
	assert_int_equal(config_time_of_day("seven"), -1);
}

#ifdef LIMBER_HAVE_MQTT
static void test_mqtt_defaults(void **state)
{
	struct config *c;
	char err[LIMBER_ERR_LEN];

	(void)state;
	assert_int_equal(load_text("voice: calm\n", &c, err), 0);
	assert_null(c->mqtt);   /* no key: no MQTT at all */
	config_free(c);
	assert_int_equal(load_text("mqtt: {host: broker.lan}\n", &c, err), 0);
	assert_non_null(c->mqtt);
	assert_string_equal(c->mqtt->host, "broker.lan");
	assert_int_equal(c->mqtt->port, 1883);
	assert_string_equal(c->mqtt->prefix, "homeassistant");
	assert_int_equal(c->mqtt->retain, 1);
	assert_int_equal(c->mqtt->keepalive, 60);
	assert_null(c->mqtt->ca_file);
	assert_true(strlen(c->mqtt->id) > 0);   /* the host name, topic-safe */
	assert_null(strpbrk(c->mqtt->id, "/+#. "));
	assert_int_equal(c->mqtt->id_default, 1);
	config_free(c);
}

/* Two Pis left as raspberrypi must not share topics (and knock each other off the broker). */
static void test_mqtt_default_id_differs_per_machine(void **state)
{
	char a[96], b[96], again[96];

	(void)state;
	config_default_id("raspberrypi", "2f3c5e0d6a8b4c1e9f00112233445566\n", a, sizeof(a));
	config_default_id("raspberrypi", "8d1e7a2b3c4d5e6f708192a3b4c5d6e7\n", b, sizeof(b));
	config_default_id("raspberrypi", "2f3c5e0d6a8b4c1e9f00112233445566", again, sizeof(again));
	assert_int_equal(strlen(a), strlen("raspberrypi-") + 6);
	assert_int_equal(strncmp(a, "raspberrypi-", 12), 0);
	assert_string_not_equal(a, b);
	assert_string_equal(a, again);                  /* the same machine: the same id, always */
	assert_null(strstr(a, "2f3c5e"));                /* a hash, not the machine id itself */
	config_default_id("shelf.lan", NULL, a, sizeof(a));
	assert_string_equal(a, "shelf");                 /* no machine id: the short name alone */
	config_default_id("a b", "", a, sizeof(a));
	assert_string_equal(a, "a_b");
}

static void test_mqtt_full(void **state)
{
	struct config *c;
	char err[LIMBER_ERR_LEN];

	(void)state;
	if (load_text("mqtt:\n  host: 10.0.0.2\n  port: 8883\n  id: bedroom\n  username: limber\n"
		      "  password: s3cret\n  tls: {ca_file: /dev/null}\n  discovery_prefix: ha\n"
		      "  retain: false\n  keepalive: 120\n", &c, err) < 0) {
		fprintf(stderr, "%s\n", err);
		fail();
	}
	assert_int_equal(c->mqtt->port, 8883);
	assert_string_equal(c->mqtt->id, "bedroom");
	assert_string_equal(c->mqtt->username, "limber");
	assert_string_equal(c->mqtt->password, "s3cret");
	assert_string_equal(c->mqtt->ca_file, "/dev/null");
	assert_string_equal(c->mqtt->prefix, "ha");
	assert_int_equal(c->mqtt->retain, 0);
	assert_int_equal(c->mqtt->keepalive, 120);
	config_free(c);
}

static void test_mqtt_password_file_must_be_private(void **state)
{
	const char *pw = "/tmp/limber-test-mqtt.pass";
	struct config *c;
	char err[LIMBER_ERR_LEN], text[256];
	FILE *f = fopen(pw, "w");

	(void)state;
	assert_non_null(f);
	fputs("hunter2\n", f);
	fclose(f);
	snprintf(text, sizeof(text), "mqtt:\n  host: h\n  username: u\n  password_file: %s\n", pw);
	assert_int_equal(chmod(pw, 0644), 0);
	assert_int_equal(load_text(text, &c, err), -1);
	assert_non_null(strstr(err, ":4:18: password_file /tmp/limber-test-mqtt.pass can be read by "
				    "others (mode 0644"));
	/* The group limber is for `limber ctl` users: they must not read it either. */
	assert_int_equal(chmod(pw, 0640), 0);
	assert_int_equal(load_text(text, &c, err), -1);
	assert_non_null(strstr(err, "can be read by others (mode 0640"));
	assert_non_null(strstr(err, "install -m 0600 -o limber"));
	assert_int_equal(chmod(pw, 0600), 0);
	assert_int_equal(load_text(text, &c, err), 0);
	assert_string_equal(c->mqtt->password, "hunter2");   /* the first line, no newline */
	config_free(c);
	remove(pw);
}
#endif

static void test_web_section(void **state)
{
	struct config *c;
	char err[LIMBER_ERR_LEN], addr[64];
	int port;

	(void)state;
	assert_int_equal(config_load(NULL, &c, err), 0);
	assert_null(c->web);   /* no key: no listener at all */
	config_free(c);
	assert_int_equal(load_text("web: {listen: \"127.0.0.1:8080\", pin: \"0471\"}\n", &c, err), 0);
	assert_non_null(c->web);
	assert_string_equal(c->web->listen, "127.0.0.1:8080");
	assert_string_equal(c->web->pin, "0471");   /* a leading zero kept */
	config_free(c);
	assert_int_equal(load_text("web: {listen: \"[::]:80\"}\n", &c, err), 0);
	assert_null(c->web->pin);                    /* read only */
	config_free(c);
	assert_int_equal(config_listen_split("[::1]:8080", addr, sizeof(addr), &port), 0);
	assert_string_equal(addr, "::1");
	assert_int_equal(port, 8080);
	assert_int_equal(config_listen_split("0.0.0.0:1", addr, sizeof(addr), &port), 0);
	assert_int_equal(config_listen_split("localhost:8080", addr, sizeof(addr), &port), -1);
	assert_int_equal(config_listen_split("::1:8080", addr, sizeof(addr), &port), -1);
	assert_int_equal(config_listen_split("1.2.3.4:", addr, sizeof(addr), &port), -1);
	assert_int_equal(config_listen_split("1.2.3.4:70000", addr, sizeof(addr), &port), -1);
}

static void test_bad_web_values_are_refused_with_position(void **state)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "web: {pin: \"1234\"}\n", ":1:6: web needs 'listen'" },
		{ "web: {listen: pi.local:80}\n", ":1:15: listen 'pi.local:80' is not ADDRESS:PORT" },
		{ "web: {listen: \"1.2.3.4:0\"}\n", ":1:16: listen '1.2.3.4:0' is not" },
		{ "web: {listen: \"1.2.3.4:80\", pin: \"12a4\"}\n", ":1:35: pin must be 4 to 12 digits" },
		{ "web: {listen: \"1.2.3.4:80\", pin: \"123\"}\n", ":1:35: pin must be 4 to 12" },
		{ "web: {listen: \"1.2.3.4:80\", port: 1}\n", ":1:29: unknown key 'port'" },
		{ "web: on\n", ":1:6: web must be a mapping" },
	};
	struct config *c;
	char err[LIMBER_ERR_LEN];

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(bad); i++) {
		assert_int_equal(load_text(bad[i].text, &c, err), -1);
		if (!strstr(err, bad[i].want))
			fail_msg("%s: got '%s', want '%s'", bad[i].text, err, bad[i].want);
		assert_null(c);
	}
}

static void test_bad_mqtt_values_are_refused_with_position(void **state)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
#ifdef LIMBER_HAVE_MQTT
		{ "mqtt: {port: 1883}\n", ":1:7: mqtt needs 'host'" },
		{ "mqtt: {host: h, port: 0}\n", ":1:23: port must be from 1 to 65535" },
		{ "mqtt: {host: h, port: '1883'}\n", ":1:24: port must be a whole number" },
		{ "mqtt: {host: h, id: a/b}\n", ":1:21: id 'a/b' must be letters, digits" },
		{ "mqtt: {host: h, id: '#'}\n", ":1:22: id '#' must be" },
		{ "mqtt: {host: h, colour: red}\n", ":1:17: unknown key 'colour'" },
		{ "mqtt: {host: h, password: x}\n", ":1:7: mqtt has a password but no 'username'" },
		{ "mqtt: {host: h, username: u, password: x, password_file: /etc/hostname}\n",
		  "'password' or 'password_file', not both" },
		{ "mqtt: {host: h, username: u, password_file: /nonexistent/pw}\n",
		  ":1:45: password_file /nonexistent/pw: not a file" },
		{ "mqtt: {host: h, tls: {}}\n", ":1:22: tls needs 'ca_file'" },
		{ "mqtt: {host: h, tls: {ca_file: /nonexistent/ca.crt}}\n",
		  ":1:32: ca_file /nonexistent/ca.crt cannot be read" },
		{ "mqtt: {host: h, discovery_prefix: ha/#}\n", ":1:35: discovery_prefix 'ha/#'" },
		{ "mqtt: {host: h, retain: maybe}\n", ":1:25: retain must be true or false" },
		{ "mqtt: {host: h, keepalive: 2}\n", ":1:28: keepalive must be from 5 to 3600" },
		{ "mqtt: broker\n", ":1:7: mqtt must be a mapping" },
#else
		{ "mqtt: {host: h}\n", ":1:7: this limber was built without MQTT" },
#endif
	};
	char err[LIMBER_ERR_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct config *c = NULL;

		assert_int_equal(load_text(bad[i].text, &c, err), -1);
		assert_null(c);
		if (!strstr(err, bad[i].want)) {
			fprintf(stderr, "wanted '%s', got '%s'\n", bad[i].want, err);
			fail();
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_map_clicker_and_remote_keys),
		cmocka_unit_test(test_a_full_file_loads),
		cmocka_unit_test(test_the_shipped_example_loads),
		cmocka_unit_test(test_bad_files_are_refused_with_position),
		cmocka_unit_test(test_lead_in_and_morning_until),
		cmocka_unit_test(test_bad_mqtt_values_are_refused_with_position),
		cmocka_unit_test(test_web_section),
		cmocka_unit_test(test_bad_web_values_are_refused_with_position),
#ifdef LIMBER_HAVE_MQTT
		cmocka_unit_test(test_mqtt_defaults),
		cmocka_unit_test(test_mqtt_default_id_differs_per_machine),
		cmocka_unit_test(test_mqtt_full),
		cmocka_unit_test(test_mqtt_password_file_must_be_private),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

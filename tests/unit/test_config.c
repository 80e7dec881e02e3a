/* config: the daemon's file, its defaults, and bad ones refused with a position. */
#include "testutil.h"

#include "config.h"

#include <libevdev/libevdev.h>
#include <string.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_map_clicker_and_remote_keys),
		cmocka_unit_test(test_a_full_file_loads),
		cmocka_unit_test(test_the_shipped_example_loads),
		cmocka_unit_test(test_bad_files_are_refused_with_position),
		cmocka_unit_test(test_lead_in_and_morning_until),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

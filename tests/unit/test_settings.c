/* settings: the page's settings file, laid over the config, written whole or not at all. */
#include "testutil.h"

#include "config.h"
#include "settings.h"

#include <string.h>
#include <sys/stat.h>

static char dir[256];

static int setup(void **state)
{
	(void)state;
	testutil_mkdtemp(dir, sizeof(dir), "settings");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return testutil_rmtree(dir);
}

static void put(const char *text)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/settings.json", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void test_no_file_leaves_the_config_alone(void **state)
{
	struct config *c;
	char err[LIMBER_ERR_LEN];

	(void)state;
	assert_int_equal(config_load(NULL, &c, err), 0);
	assert_int_equal(settings_apply(c, dir, err), 0);
	assert_string_equal(c->voice, "calm");
	assert_int_equal(c->morning_until, CONFIG_MORNING_UNTIL);
	config_free(c);
}

static void test_the_file_overrides_only_what_it_sets(void **state)
{
	struct config *c;
	char err[LIMBER_ERR_LEN];

	(void)state;
	put("{\"voice\": \"brisk\", \"volume_db\": -12, \"morning_until\": \"09:30\"}\n");
	assert_int_equal(config_load(NULL, &c, err), 0);
	c->lead_in_ms = 1000;   /* as the config file would set it */
	assert_int_equal(settings_apply(c, dir, err), 0);
	assert_string_equal(c->voice, "brisk");
	assert_int_equal(c->volume_db, -12);
	assert_int_equal(c->morning_until, 9 * 60 + 30);
	assert_int_equal(c->lead_in_ms, 1000);   /* not in the file: the config's */
	config_free(c);
}

static void test_save_then_load_is_the_same_and_leaves_no_temp_file(void **state)
{
	struct settings s, t;
	char err[LIMBER_ERR_LEN], path[300];
	struct stat st;

	(void)state;
	settings_init(&s);
	snprintf(s.voice, sizeof(s.voice), "british");
	s.has_lead_in = 1;
	s.lead_in_ms = 1500;
	s.has_lead_in_tone = 1;
	s.lead_in_tone = 1;
	s.timer[TIMER_MIDDAY] = 0;
	assert_int_equal(settings_save(dir, &s, err), 0);
	settings_init(&t);
	assert_int_equal(settings_load(dir, &t, err), 0);
	assert_memory_equal(&s, &t, sizeof(s));
	snprintf(path, sizeof(path), "%s/settings.json.tmp", dir);
	assert_int_equal(stat(path, &st), -1);
}

static void test_a_partial_object_changes_only_its_keys(void **state)
{
	struct settings s;
	char err[LIMBER_ERR_LEN];
	const char *body = "{\"timers\": {\"evening\": false}}";

	(void)state;
	settings_init(&s);
	s.has_volume = 1;
	s.volume_db = -3;
	assert_int_equal(settings_parse("body", body, strlen(body), &s, err), 0);
	assert_int_equal(s.timer[TIMER_EVENING], 0);
	assert_int_equal(s.timer[TIMER_MORNING], 1);
	assert_int_equal(s.volume_db, -3);
}

static void test_bad_settings_are_refused_whole_with_a_position(void **state)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "{\"volume_db\": 7}", "body:1:15: volume_db must be from -40 to 6" },
		{ "{\"voice\": \"../etc\"}", "voice '../etc' is not a voice's name" },
		{ "{\"voice\": \"a/b\"}", "is not a voice's name" },
		{ "{\"lead_in_ms\": 9000}", "lead_in_ms must be from 0 to 5000" },
		{ "{\"morning_until\": \"25:00\"}", "morning_until '25:00' is not a time of day" },
		{ "{\"timers\": {\"night\": true}}", "unknown key 'night'" },
		{ "{\"timers\": {\"morning\": 1}}", "morning must be" },
		{ "{\"colour\": 1}", "unknown key 'colour'" },
		{ "[1, 2]", "the settings must be a mapping" },
		{ "{\"volume_db\": -6, \"volume_db\": -6}", "volume_db" },
		{ "{", "body:" },
	};
	struct settings s, before;
	char err[LIMBER_ERR_LEN];

	(void)state;
	settings_init(&s);
	before = s;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(bad); i++) {
		err[0] = '\0';
		assert_int_equal(settings_parse("body", bad[i].text, strlen(bad[i].text), &s, err), -1);
		if (!strstr(err, bad[i].want))
			fail_msg("%s: got '%s', want '%s'", bad[i].text, err, bad[i].want);
		assert_memory_equal(&s, &before, sizeof(s));   /* nothing half-applied */
	}
}

static void test_a_bad_file_is_an_error_and_the_config_stays(void **state)
{
	struct config *c;
	char err[LIMBER_ERR_LEN];

	(void)state;
	put("{\"voice\": \"brisk\", \"volume_db\": 99}\n");
	assert_int_equal(config_load(NULL, &c, err), 0);
	assert_int_equal(settings_apply(c, dir, err), -1);
	assert_non_null(strstr(err, "settings.json:1:"));
	assert_string_equal(c->voice, "calm");
	config_free(c);
}

static void test_the_timer_flag_answers_for_the_units(void **state)
{
	char d[300];
	char *on[] = { "settings", "--state-dir", d, "--timer", "midday", NULL };
	char *bad[] = { "settings", "--state-dir", d, "--timer", "noon", NULL };

	(void)state;
	snprintf(d, sizeof(d), "%s", dir);
	assert_int_equal(settings_cmd(5, on), 0);   /* no file: every timer on */
	put("{\"timers\": {\"midday\": false}}\n");
	assert_int_equal(settings_cmd(5, on), 1);
	assert_int_equal(settings_cmd(5, bad), 2);
	put("{\"timers\": \n");                     /* broken: the timer still runs */
	assert_int_equal(settings_cmd(5, on), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_file_leaves_the_config_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_file_overrides_only_what_it_sets, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_save_then_load_is_the_same_and_leaves_no_temp_file, setup, teardown),
		cmocka_unit_test(test_a_partial_object_changes_only_its_keys),
		cmocka_unit_test(test_bad_settings_are_refused_whole_with_a_position),
		cmocka_unit_test_setup_teardown(test_a_bad_file_is_an_error_and_the_config_stays,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_timer_flag_answers_for_the_units, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

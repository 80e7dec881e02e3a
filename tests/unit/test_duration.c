/* duration: the forms routines are written in, and what is refused. */
#include "testutil.h"

#include "duration.h"

static int64_t ms_of(const char *s)
{
	char err[LIMBER_ERR_LEN];
	int64_t ms = -1;

	assert_int_equal(duration_parse(s, &ms, err), 0);
	return ms;
}

static void test_duration_forms_parse(void **state)
{
	(void)state;
	assert_int_equal(ms_of("90"), 90000);
	assert_int_equal(ms_of("90s"), 90000);
	assert_int_equal(ms_of("2m"), 120000);
	assert_int_equal(ms_of("1m30s"), 90000);
	assert_int_equal(ms_of("1.5s"), 1500);
	assert_int_equal(ms_of("0.25"), 250);
	assert_int_equal(ms_of("1h"), 3600000);
	assert_int_equal(ms_of("1h2m3s"), 3723000);
	assert_int_equal(ms_of(" 45s "), 45000);
}

static void test_duration_bad_forms_are_refused(void **state)
{
	static const char *const bad[] = { "",    "-5s",  "5 minutes", "m",   "1s30m", "1.5m30s",
					   "abc", "5x",   "1m30",      "99999999999h", "1..5s",
					   "30s5", NULL };
	char err[LIMBER_ERR_LEN];
	int64_t ms;

	(void)state;
	for (int i = 0; bad[i]; i++) {
		err[0] = '\0';
		assert_int_equal(duration_parse(bad[i], &ms, err), -1);
		assert_true(err[0] != '\0');
	}
}

static void test_duration_format_rounds_to_seconds(void **state)
{
	char b[32];

	(void)state;
	duration_format(65000, b, sizeof(b));
	assert_string_equal(b, "1:05");
	duration_format(1499, b, sizeof(b));
	assert_string_equal(b, "0:01");
	duration_format(3723000, b, sizeof(b));
	assert_string_equal(b, "1:02:03");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration_forms_parse),
		cmocka_unit_test(test_duration_bad_forms_are_refused),
		cmocka_unit_test(test_duration_format_rounds_to_seconds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

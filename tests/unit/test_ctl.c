/* ctl: the control protocol, from good requests to floods and garbage. */
#include "testutil.h"

#include "ctl.h"

#include <string.h>

static int parse(const char *line, struct ctl_request *req)
{
	char err[LIMBER_ERR_LEN];

	return ctl_parse(line, req, err);
}

static void test_every_verb_parses(void **state)
{
	struct ctl_request r;

	(void)state;
	assert_int_equal(parse("start lower-back/beginner", &r), 0);
	assert_int_equal(r.verb, CTL_START);
	assert_string_equal(r.name, "lower-back/beginner");
	assert_int_equal(parse("start", &r), 0);   /* the menu's routine */
	assert_int_equal(r.verb, CTL_START);
	assert_string_equal(r.name, "");
	assert_int_equal(parse("select daily/evening", &r), 0);
	assert_int_equal(r.verb, CTL_SELECT);
	assert_string_equal(r.name, "daily/evening");
	assert_int_equal(parse("timer daily/evening", &r), 0);   /* a day-plan timer's start */
	assert_int_equal(r.verb, CTL_TIMER);
	assert_string_equal(r.name, "daily/evening");
	assert_int_equal(parse("timer", &r), -1);   /* a timer always names its routine */
	assert_int_equal(parse("toggle", &r), 0);
	assert_int_equal(r.verb, CTL_TOGGLE);
	for (int v = CTL_PAUSE; v <= CTL_STATUS; v++) {
		assert_int_equal(parse(ctl_verb_name((enum ctl_verb)v), &r), 0);
		assert_int_equal(r.verb, v);
	}
}

static void test_no_path_can_be_asked_for(void **state)
{
	static const char *const bad[] = { "start /etc/passwd", "start ../secret", "start a/../../b",
					   "start ", "start a b", "start a//b", "select", "select ../x",
					   "start caf\xc3\xa9", NULL };
	struct ctl_request r;

	(void)state;
	for (int i = 0; bad[i]; i++)
		assert_int_equal(parse(bad[i], &r), -1);
	assert_int_equal(parse("pause now", &r), -1);
	assert_int_equal(parse("PAUSE", &r), -1);
	assert_int_equal(parse("", &r), -1);
}

static void test_reader_splits_lines_across_reads(void **state)
{
	struct ctl_reader rd;
	struct ctl_request r;
	char err[LIMBER_ERR_LEN];
	int st;
	size_t used;

	(void)state;
	ctl_reader_init(&rd);
	used = ctl_reader_feed(&rd, "sta", 3, &r, &st, err);
	assert_int_equal(used, 3);
	assert_int_equal(st, 1);
	used = ctl_reader_feed(&rd, "tus\r\nnext\n", 10, &r, &st, err);
	assert_int_equal(used, 5);
	assert_int_equal(st, 0);
	assert_int_equal(r.verb, CTL_STATUS);
	used = ctl_reader_feed(&rd, "next\n", 5, &r, &st, err);
	assert_int_equal(st, 0);
	assert_int_equal(r.verb, CTL_NEXT);
}

static void test_overlong_and_binary_lines_are_refused_and_the_next_is_fine(void **state)
{
	static char flood[10000];
	struct ctl_reader rd;
	struct ctl_request r;
	char err[LIMBER_ERR_LEN];
	size_t off = 0;
	int st = 1;

	(void)state;
	memset(flood, 'a', sizeof(flood) - 1);
	flood[sizeof(flood) - 1] = '\n';
	ctl_reader_init(&rd);
	while (st == 1)
		off += ctl_reader_feed(&rd, flood + off, sizeof(flood) - off, &r, &st, err);
	assert_int_equal(st, -1);
	assert_non_null(strstr(err, "too long"));
	ctl_reader_feed(&rd, "pa\0\x01use\n", 8, &r, &st, err);
	assert_int_equal(st, -1);
	assert_non_null(strstr(err, "control characters"));
	ctl_reader_feed(&rd, "pause\n", 6, &r, &st, err);
	assert_int_equal(st, 0);
	assert_int_equal(r.verb, CTL_PAUSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_verb_parses),
		cmocka_unit_test(test_no_path_can_be_asked_for),
		cmocka_unit_test(test_reader_splits_lines_across_reads),
		cmocka_unit_test(test_overlong_and_binary_lines_are_refused_and_the_next_is_fine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* pstatus: the player's status lines, written and read back by the same module. */
#include "testutil.h"

#include "pstatus.h"

#include <string.h>

/* Format st, strip the newline, parse it: the same fields back. */
static void roundtrip(const struct pstatus *st)
{
	char line[PSTATUS_NAME + 64];
	struct pstatus back;
	size_t n;

	pstatus_format(st, line, sizeof(line));
	n = strlen(line);
	assert_true(n > 0);
	assert_int_equal(line[n - 1], '\n');
	line[n - 1] = '\0';
	assert_int_equal(pstatus_parse(line, &back), st->kind);
	assert_int_equal(back.kind, st->kind);
	assert_int_equal(back.step, st->step);
	assert_int_equal(back.steps, st->steps);
	assert_string_equal(back.name, st->name);
	assert_int_equal(back.hold_ms, st->hold_ms);
	assert_int_equal(back.side, st->side);
}

static void test_every_kind_reads_back(void **state)
{
	struct pstatus st = { .kind = PSTATUS_STEP, .step = 3, .steps = 12 };

	(void)state;
	snprintf(st.name, sizeof(st.name), "Knee to chest: left, then right");
	roundtrip(&st);
	roundtrip(&(struct pstatus){ .kind = PSTATUS_HOLD, .hold_ms = 120000 });
	roundtrip(&(struct pstatus){ .kind = PSTATUS_HOLD, .hold_ms = 0 });
	roundtrip(&(struct pstatus){ .kind = PSTATUS_HOLD_OVER });
	roundtrip(&(struct pstatus){ .kind = PSTATUS_PAUSED });
	roundtrip(&(struct pstatus){ .kind = PSTATUS_RESUMED });
	roundtrip(&(struct pstatus){ .kind = PSTATUS_ASKING });
	roundtrip(&(struct pstatus){ .kind = PSTATUS_SIDE, .side = SIDE_LEFT });
	roundtrip(&(struct pstatus){ .kind = PSTATUS_SIDE, .side = SIDE_RIGHT });
}

/* What the daemon has always read: the text of the lines is the contract. */
static void test_the_lines_are_the_contract(void **state)
{
	struct pstatus st;

	(void)state;
	assert_int_equal(pstatus_parse("limber: step 2 of 9: Cat-cow", &st), PSTATUS_STEP);
	assert_int_equal(st.step, 2);
	assert_int_equal(st.steps, 9);
	assert_string_equal(st.name, "Cat-cow");
	assert_int_equal(pstatus_parse("limber: hold 30000 ms", &st), PSTATUS_HOLD);
	assert_int_equal(st.hold_ms, 30000);
	assert_int_equal(pstatus_parse("limber: asking for a pain rating", &st), PSTATUS_ASKING);
	assert_int_equal(pstatus_parse("limber: side left", &st), PSTATUS_SIDE);
	assert_int_equal(st.side, SIDE_LEFT);
	assert_int_equal(pstatus_parse("limber: side right", &st), PSTATUS_SIDE);
	assert_int_equal(st.side, SIDE_RIGHT);
}

/* Anything else is for the journal, not a step: near misses included. */
static void test_other_lines_are_other(void **state)
{
	static const char *const other[] = {
		"limber: step 0 of 9: zero", "limber: step 10 of 9: past the end",
		"limber: step 1 of 200000: too many", "limber: step x of 9: y",
		"limber: step 1 of 9 no colon", "limber: hold -5 ms", "limber: hold 5",
		"limber: hold ms", "limber: paused ", "limber: going to step 3",
		"limber: side", "limber: side up", "limber: side left ", "limber: side leftright",
		"limber: side none",
		"limber: playing tiny on dummy (JACK), 48000 Hz, 40 ms output latency",
		"step 1 of 2: no prefix", "", "limber: ",
	};
	struct pstatus st;

	(void)state;
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		if (pstatus_parse(other[i], &st) != PSTATUS_OTHER)
			fail_msg("'%s' parsed as kind %d", other[i], st.kind);
		assert_int_equal(st.kind, PSTATUS_OTHER);
	}
}

/* A step name longer than the field is cut, not overrun. */
static void test_long_names_are_cut(void **state)
{
	char line[1024];
	struct pstatus st;

	(void)state;
	memcpy(line, "limber: step 1 of 1: ", 21);
	memset(line + 21, 'a', 900);
	line[921] = '\0';
	assert_int_equal(pstatus_parse(line, &st), PSTATUS_STEP);
	assert_int_equal(strlen(st.name), PSTATUS_NAME - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_reads_back),
		cmocka_unit_test(test_the_lines_are_the_contract),
		cmocka_unit_test(test_other_lines_are_other),
		cmocka_unit_test(test_long_names_are_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

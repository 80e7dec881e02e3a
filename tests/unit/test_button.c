/*
 * button: gestures from edge streams as a GPIO line gives them, bounce and
 * all, with time fed by the test.
 */
#include "testutil.h"

#include "button.h"

/* Feed "t:level" edges and collect gestures, polling at every ms up to end. */
static int gestures(const int64_t (*edges)[2], int n, int64_t end, enum button_gesture *out)
{
	struct button b;
	int k = 0, e = 0;

	button_init(&b, NULL);
	for (int64_t t = 0; t <= end; t++) {
		enum button_gesture g;

		while (e < n && edges[e][0] == t) {
			button_edge(&b, (int)edges[e][1], t);
			e++;
		}
		while ((g = button_poll(&b, t)) != BUTTON_NONE)
			out[k++] = g;
	}
	return k;
}

static void test_short_press_with_bounce_is_one_short(void **state)
{
	/* Contact bounce on press and release: ten edges within 6 ms each time. */
	static const int64_t e[][2] = { { 100, 1 }, { 101, 0 }, { 102, 1 }, { 104, 0 }, { 106, 1 },
					{ 300, 0 }, { 301, 1 }, { 302, 0 }, { 303, 1 }, { 305, 0 } };
	enum button_gesture g[8];

	(void)state;
	assert_int_equal(gestures(e, 10, 2000, g), 1);
	assert_int_equal(g[0], BUTTON_SHORT);
}

static void test_held_button_is_long_while_still_held(void **state)
{
	static const int64_t e[][2] = { { 100, 1 }, { 2000, 0 } };
	struct button b;

	(void)state;
	button_init(&b, NULL);
	button_edge(&b, e[0][1], e[0][0]);
	assert_int_equal(button_deadline(&b), 800);
	assert_int_equal(button_poll(&b, 799), BUTTON_NONE);
	assert_int_equal(button_poll(&b, 800), BUTTON_LONG);
	button_edge(&b, e[1][1], e[1][0]);
	assert_int_equal(button_poll(&b, 5000), BUTTON_NONE);  /* the release says nothing more */
	assert_int_equal(button_deadline(&b), -1);
}

static void test_two_quick_presses_are_one_double(void **state)
{
	static const int64_t e[][2] = { { 100, 1 }, { 180, 0 }, { 350, 1 }, { 420, 0 } };
	enum button_gesture g[8];

	(void)state;
	assert_int_equal(gestures(e, 4, 3000, g), 1);
	assert_int_equal(g[0], BUTTON_DOUBLE);
}

static void test_two_slow_presses_are_two_shorts(void **state)
{
	static const int64_t e[][2] = { { 100, 1 }, { 180, 0 }, { 900, 1 }, { 980, 0 } };
	enum button_gesture g[8];

	(void)state;
	assert_int_equal(gestures(e, 4, 3000, g), 2);
	assert_int_equal(g[0], BUTTON_SHORT);
	assert_int_equal(g[1], BUTTON_SHORT);
}

static void test_idle_button_asks_for_no_wakeups(void **state)
{
	struct button b;

	(void)state;
	button_init(&b, NULL);
	assert_int_equal(button_deadline(&b), -1);
	button_edge(&b, 1, 10);
	button_edge(&b, 0, 60);
	assert_int_equal(button_deadline(&b), 60 + 350 + 1);
	assert_int_equal(button_poll(&b, 411), BUTTON_SHORT);
	assert_int_equal(button_deadline(&b), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_press_with_bounce_is_one_short),
		cmocka_unit_test(test_held_button_is_long_while_still_held),
		cmocka_unit_test(test_two_quick_presses_are_one_double),
		cmocka_unit_test(test_two_slow_presses_are_two_shorts),
		cmocka_unit_test(test_idle_button_asks_for_no_wakeups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

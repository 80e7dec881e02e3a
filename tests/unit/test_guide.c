/*
 * guide: where it hurts -> the routine at the level the history has
 * reached, found by area and level; the morning routine; the morning
 * window; and the real library's five places.
 */
#include "testutil.h"

#include "guide.h"

#include <string.h>
#include <time.h>

#define DAY 86400

static char dir[256];

static int setup(void **state)
{
	(void)state;
	testutil_mkdtemp(dir, sizeof(dir), "guide");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return testutil_rmtree(dir);
}

/* Local time on a fixed day (2026-11-18), days ago. */
static int64_t at(int days_ago, int hour, int min)
{
	struct tm tm = { 0 };

	tm.tm_year = 126;
	tm.tm_mon = 10;
	tm.tm_mday = 18 - days_ago;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/* A catalog by hand: names that say nothing of their area, to prove it is not read from them. */
static struct guide_routine fake[] = {
	{ "a", "Back one", "lower-back", "beginner", WHEN_ANY, 0, "" },
	{ "b", "Back two", "lower-back", "intermediate", WHEN_EVENING, 1, "" },
	{ "c", "Back three", "lower-back", "advanced", WHEN_ANY, 1, "" },
	{ "d", "Neck one", "neck", "intermediate", WHEN_ANY, 0, "" },
	{ "e", "Wake up, deep", "daily", "beginner", WHEN_MORNING, 1, "" },
	{ "f", "Wake up", "daily", "beginner", WHEN_MORNING, 0, "" },
};
static const struct guide_catalog cat = { fake, UTIL_ARRAY_LEN(fake), NULL, 0 };

static void practise(struct history *h, const char *area, const char *level, int from, int to)
{
	char err[LIMBER_ERR_LEN];

	for (int d = from; d >= to; d--) {
		int64_t id = history_begin(h, "x", "x", area, level, 1, 0, at(d, 18, 0), err);

		assert_true(id > 0);
		assert_int_equal(history_end(h, id, HOW_FINISHED, at(d, 18, 20), err), 0);
	}
}

static void test_a_place_gets_its_programme_at_the_level_reached(void **state)
{
	char err[LIMBER_ERR_LEN];
	struct history *h;
	int64_t now = at(0, 20, 0);

	(void)state;
	assert_int_equal(history_open(dir, &h, err), 0);
	/* No history: beginner, found by area and level. */
	assert_string_equal(guide_level(h, "lower-back", now), "beginner");
	assert_int_equal(guide_for_place(&cat, h, 0, now), 0);
	assert_int_equal(guide_for_place(&cat, NULL, 0, now), 0);
	/* Week 1 of practice: still beginner. */
	practise(h, "lower-back", "beginner", 6, 0);
	assert_string_equal(guide_level(h, "lower-back", now), "beginner");
	/* Two weeks, every day: ready, so intermediate is offered. */
	practise(h, "lower-back", "beginner", 13, 7);
	assert_string_equal(guide_level(h, "lower-back", now), "intermediate");
	assert_int_equal(guide_for_place(&cat, h, 0, now), 1);
	/* Then intermediate sessions: intermediate until it too is two weeks deep. */
	practise(h, "lower-back", "intermediate", -1, -3);
	assert_string_equal(guide_level(h, "lower-back", at(-3, 20, 0)), "intermediate");
	practise(h, "lower-back", "intermediate", -4, -14);
	assert_string_equal(guide_level(h, "lower-back", at(-14, 20, 0)), "advanced");
	assert_int_equal(guide_for_place(&cat, h, 0, at(-14, 20, 0)), 2);
	/* The neck has only an intermediate routine: a beginner is offered it all the same. */
	assert_int_equal(guide_for_place(&cat, h, 4, now), 3);
	/* A place no routine serves: none. */
	assert_int_equal(guide_for_place(&cat, h, 1, now), -1);
	assert_int_equal(guide_choose(&cat, "lower-back", "advanced"), 2);
	history_close(h);
}

/*
 * The evening timer plays this person's programme, not an intermediate routine to a
 * week-1 beginner: the place last practised, at the level reached; the lower back's
 * with no history (the guide: "IF 9 PM hits, THEN I do my lower back stretches").
 */
static void test_the_evening_follows_the_place_and_level_practised(void **state)
{
	char err[LIMBER_ERR_LEN];
	struct history *h;
	int64_t now = at(0, 20, 0);
	int64_t id;

	(void)state;
	assert_int_equal(guide_evening(&cat, NULL, now), 0);
	assert_int_equal(history_open(dir, &h, err), 0);
	assert_int_equal(guide_evening(&cat, h, now), 0);
	/* The neck, practised last: the neck's programme (only an intermediate one here). */
	practise(h, "neck", "intermediate", 3, 1);
	assert_int_equal(guide_evening(&cat, h, now), 3);
	/* A morning routine is not a place: it does not move the evening. */
	practise(h, "daily", "beginner", 0, 0);
	assert_int_equal(guide_evening(&cat, h, now), 3);
	/* A session stopped early does not either. */
	id = history_begin(h, "x", "x", "lower-back", "beginner", 1, 0, at(0, 19, 0), err);
	assert_true(id > 0);
	assert_int_equal(history_end(h, id, HOW_STOPPED, at(0, 19, 1), err), 0);
	assert_int_equal(guide_evening(&cat, h, now), 3);
	/* Two weeks of the lower back: its next level. */
	practise(h, "lower-back", "beginner", 13, 0);
	practise(h, "lower-back", "beginner", 0, 0);
	assert_int_equal(guide_evening(&cat, h, at(0, 21, 0)), 1);
	history_close(h);
}

static void test_a_missing_level_falls_back_to_the_nearest_below(void **state)
{
	struct guide_routine two[] = { fake[0], fake[2] };
	const struct guide_catalog c = { two, 2, NULL, 0 };

	(void)state;
	assert_int_equal(guide_choose(&c, "lower-back", "intermediate"), 0);
	assert_int_equal(guide_choose(&c, "lower-back", "advanced"), 1);
	assert_int_equal(guide_choose(&c, "hip", "beginner"), -1);
}

static void test_the_morning_routine_is_found_by_when(void **state)
{
	(void)state;
	/* when: morning, and not one that bends deeply itself. */
	assert_int_equal(guide_morning(&cat), 5);
	assert_int_equal(guide_find(&cat, "e"), 4);
	assert_int_equal(guide_find(&cat, "zz"), -1);
}

static void test_the_morning_window(void **state)
{
	(void)state;
	assert_int_equal(guide_is_morning(at(0, 6, 30), 10 * 60), 1);
	assert_int_equal(guide_is_morning(at(0, 4, 0), 10 * 60), 1);
	assert_int_equal(guide_is_morning(at(0, 9, 59), 10 * 60), 1);
	assert_int_equal(guide_is_morning(at(0, 10, 0), 10 * 60), 0);
	assert_int_equal(guide_is_morning(at(0, 20, 0), 10 * 60), 0);
	/* Up late is not just woken. */
	assert_int_equal(guide_is_morning(at(0, 2, 0), 10 * 60), 0);
	/* 00:00 turns it off. */
	assert_int_equal(guide_is_morning(at(0, 6, 30), 0), 0);
	assert_int_equal(guide_is_morning(at(0, 6, 30), 7 * 60), 1);
}

static void test_the_library_serves_the_five_places(void **state)
{
	struct library lib;
	struct library_entry *le;
	struct guide_catalog c;
	size_t n;

	(void)state;
	testutil_library(&lib);
	library_list(&lib, &le, &n);
	guide_catalog_load(&c, &lib, le, n);
	for (int p = 0; p < GUIDE_PLACES; p++) {
		int k = guide_for_place(&c, NULL, p, at(0, 20, 0));

		assert_true(k >= 0);
		assert_string_equal(c.r[k].area, guide_place_area(p));
		assert_string_equal(c.r[k].level, "beginner");
	}
	assert_true(guide_morning(&c) >= 0);
	assert_int_equal(c.r[guide_morning(&c)].when, WHEN_MORNING);
	/*
	 * Progression names a next level only where it is another programme: the neck's
	 * intermediate and advanced are its beginner programme under other names.
	 */
	{
		char names[256];

		assert_int_equal(history_routines_at(c.hr, c.nhr, "neck", "intermediate", names,
						     sizeof(names)), 0);
		assert_int_equal(history_routines_at(c.hr, c.nhr, "neck", "advanced", names,
						     sizeof(names)), 0);
		assert_int_equal(history_routines_at(c.hr, c.nhr, "lower-back", "intermediate", names,
						     sizeof(names)), 1);
		assert_int_equal(c.nhr, c.n - 2);
	}
	guide_catalog_done(&c);
	library_entries_free(le, n);
	library_done(&lib);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a_place_gets_its_programme_at_the_level_reached,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_the_evening_follows_the_place_and_level_practised,
						setup, teardown),
		cmocka_unit_test(test_a_missing_level_falls_back_to_the_nearest_below),
		cmocka_unit_test(test_the_morning_routine_is_found_by_when),
		cmocka_unit_test(test_the_morning_window),
		cmocka_unit_test(test_the_library_serves_the_five_places),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

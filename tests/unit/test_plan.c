/* plan: segments in the order a person hears them, with words filled in. */
#include "testutil.h"

#include "engine.h"
#include "plan.h"

#include <string.h>

static void test_fill_replaces_known_variables_only(void **state)
{
	const char *vars[] = { "side", "left side", "hold", "45 seconds", NULL };
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	plan_fill("Now the {side}, for {hold}. {unknown} {", vars, &b);
	assert_string_equal(b.s, "Now the left side, for 45 seconds. {unknown} {");
	sbuf_done(&b);
}

static void test_plan_names_equipment_before_step_one_and_limbs_each_side(void **state)
{
	struct library lib;
	struct engine e;
	char err[LIMBER_ERR_LEN];
	size_t i, first_step;

	(void)state;
	testutil_library(&lib);
	assert_int_equal(engine_load(&e, &lib, "tests/data/counting.yaml", NULL, err), 0);
	first_step = plan_step_start(&e.plan, 1);
	assert_string_equal(e.plan.segs[first_step - 2].text,
			    "You will need a chair, a strap and a foam roller. Have everything within "
			    "reach before we start.");
	/* Then time to fetch it, before step 1. */
	assert_int_equal(e.plan.segs[first_step - 1].kind, SEG_WAIT);
	assert_int_equal(e.plan.segs[first_step - 1].ms, PLAN_EQUIPMENT_WAIT_MS);
	for (i = 0; i < e.plan.n && strncmp(e.plan.segs[i].text ? e.plan.segs[i].text : "",
					    "right side.", 11);
	     i++)
		;
	assert_true(i < e.plan.n);
	assert_string_equal(e.plan.segs[i].text, "right side. right foot forward, left knee down.");
	for (; i < e.plan.n && !(e.plan.segs[i].chime && !strcmp(e.plan.segs[i].chime, PLAN_CHIME_SWITCH)); i++)
		;
	assert_true(i < e.plan.n);
	assert_string_equal(e.plan.segs[i].text,
			    "Switch sides. Now the left side. left foot forward, right knee down.");
	engine_done(&e);
	library_done(&lib);
}

static void test_plan_orders_a_sided_step(void **state)
{
	struct library lib;
	struct engine e;
	char err[LIMBER_ERR_LEN];
	const struct seg *s;

	(void)state;
	testutil_library(&lib);
	assert_int_equal(engine_load(&e, &lib, "tests/data/short.yaml", NULL, err), 0);
	/* The name alone, then the about paragraph: the first words are quick to make. */
	assert_string_equal(e.plan.segs[0].text, "Test routine.");
	assert_int_equal(e.plan.segs[1].kind, SEG_SAY);
	assert_non_null(strstr(e.plan.segs[1].text, "A short routine"));
	s = e.plan.segs + 1;
	assert_int_equal(s[1].kind, SEG_SAY);
	assert_string_equal(s[1].text,
			    "Step 1 of 5. Side hold. Hold the right side for 30 seconds.");
	assert_int_equal(s[2].kind, SEG_SAY);
	assert_string_equal(s[2].text, "right side.");
	assert_int_equal(s[3].kind, SEG_WAIT);
	assert_int_equal(s[3].ms, 3000);
	assert_int_equal(s[4].kind, SEG_HOLD);
	assert_int_equal(s[4].side, SIDE_RIGHT);
	assert_int_equal(s[5].kind, SEG_SAY);
	assert_string_equal(s[5].text, "And release.");
	assert_int_equal(s[6].kind, SEG_SAY);
	assert_string_equal(s[6].chime, PLAN_CHIME_SWITCH);
	assert_string_equal(s[6].text, "Switch sides. Now the left side.");
	assert_int_equal(plan_step_start(&e.plan, 1), 2);
	assert_int_equal(plan_step_start(&e.plan, 2), 11);
	assert_string_equal(e.plan.segs[e.plan.n - 1].text, voice_phrase(e.voice, PH_END));
	engine_done(&e);
	library_done(&lib);
}

/*
 * The closing words fit every ending: none tells a person standing in a doorway,
 * or drifting off in bed, to "get up"; a session that winds down (a bedtime routine,
 * `when: evening`, or --evening) closes with the evening's shorter words.
 */
static void test_closing_words_fit_the_way_a_session_ends(void **state)
{
	struct engine_opts evening = { NULL, 0, 1, 0 };
	struct library lib;
	struct engine e;
	char err[LIMBER_ERR_LEN];

	(void)state;
	testutil_library(&lib);
	assert_int_equal(engine_load(&e, &lib, "neck/beginner", NULL, err), 0);
	assert_string_equal(e.plan.segs[e.plan.n - 1].text, voice_phrase(e.voice, PH_END));
	assert_null(strstr(e.plan.segs[e.plan.n - 1].text, "get up"));
	assert_null(strstr(voice_phrase(e.voice, PH_STOPPING), "get up"));
	engine_done(&e);
	assert_int_equal(engine_load(&e, &lib, "breathing/478", NULL, err), 0);
	assert_string_equal(e.plan.segs[e.plan.n - 1].text, voice_phrase(e.voice, PH_END_EVENING));
	assert_null(strstr(e.plan.segs[e.plan.n - 1].text, "get up"));
	engine_done(&e);
	assert_int_equal(engine_load(&e, &lib, "neck/beginner", &evening, err), 0);
	assert_string_equal(e.plan.segs[e.plan.n - 1].text, voice_phrase(e.voice, PH_END_EVENING));
	engine_done(&e);
	library_done(&lib);
}

/* Brief mode: a routine someone knows keeps its step name and first sentence. */
static void test_brief_plan_keeps_the_first_sentence(void **state)
{
	struct engine_opts eo = { NULL, 0, 0, 1 };
	struct library lib;
	struct engine full, brief;
	char err[LIMBER_ERR_LEN];
	size_t shorter = 0;

	(void)state;
	testutil_library(&lib);
	assert_int_equal(engine_load(&full, &lib, "lower-back/beginner", NULL, err), 0);
	assert_int_equal(engine_load(&brief, &lib, "lower-back/beginner", &eo, err), 0);
	assert_int_equal(full.plan.n, brief.plan.n);   /* the same holds and chimes */
	for (size_t i = 0; i < full.plan.n; i++) {
		const struct seg *f = &full.plan.segs[i], *b = &brief.plan.segs[i];

		assert_int_equal(f->kind, b->kind);
		assert_int_equal(f->ms, b->ms);
		if (f->kind != SEG_SAY || !f->text)
			continue;
		assert_true(strlen(b->text) <= strlen(f->text));
		assert_memory_equal(b->text, f->text, strlen(b->text));   /* a prefix of it */
		shorter += strlen(b->text) < strlen(f->text);
	}
	assert_true(shorter >= 3);
	assert_non_null(strstr(brief.plan.segs[plan_step_start(&brief.plan, 1)].text, "Step 1 of "));
	engine_done(&full);
	engine_done(&brief);
	library_done(&lib);
}

static void test_plan_speaks_durations_in_words(void **state)
{
	struct library lib;
	struct voice *v;
	char err[LIMBER_ERR_LEN], b[64];

	(void)state;
	testutil_library(&lib);
	assert_int_equal(library_load_voice(&lib, "calm", &v, err), 0);
	voice_duration(v, 45000, b, sizeof(b));
	assert_string_equal(b, "45 seconds");
	voice_duration(v, 60000, b, sizeof(b));
	assert_string_equal(b, "one minute");
	voice_duration(v, 90000, b, sizeof(b));
	assert_string_equal(b, "one minute and 30 seconds");
	voice_duration(v, 120000, b, sizeof(b));
	assert_string_equal(b, "2 minutes");
	voice_count(v, 3, b, sizeof(b));
	assert_string_equal(b, "three");
	voice_count(v, 99, b, sizeof(b));
	assert_string_equal(b, "99");
	voice_free(v);
	library_done(&lib);
}

static void test_every_voice_profile_loads(void **state)
{
	static const char *const names[] = { "calm", "brisk", "british", NULL };
	struct library lib;
	char err[LIMBER_ERR_LEN];

	(void)state;
	testutil_library(&lib);
	for (int i = 0; names[i]; i++) {
		struct voice *v;

		if (library_load_voice(&lib, names[i], &v, err) < 0) {
			fprintf(stderr, "%s\n", err);
			fail();
		}
		voice_free(v);
	}
	assert_int_equal(library_load_voice(&lib, "../etc/passwd", &(struct voice *){ NULL }, err), -1);
	library_done(&lib);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill_replaces_known_variables_only),
		cmocka_unit_test(test_plan_orders_a_sided_step),
		cmocka_unit_test(test_plan_names_equipment_before_step_one_and_limbs_each_side),
		cmocka_unit_test(test_brief_plan_keeps_the_first_sentence),
		cmocka_unit_test(test_closing_words_fit_the_way_a_session_ends),
		cmocka_unit_test(test_plan_speaks_durations_in_words),
		cmocka_unit_test(test_every_voice_profile_loads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

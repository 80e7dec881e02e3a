/* web: the request rules (origin, PIN, its slow-down, lines, paths) alone, and the JSON. */
#include "testutil.h"

#include "web.h"
#include "web_data.h"
#include "web_guard.h"

#include <string.h>

static void test_cross_site_writes_are_refused(void **state)
{
	(void)state;
	/* curl, a script: no Origin, no Sec-Fetch-Site. */
	assert_true(web_same_origin(NULL, "pi.lan:8080", NULL));
	assert_true(web_same_origin("http://pi.lan:8080", "pi.lan:8080", "same-origin"));
	assert_false(web_same_origin("http://evil.example", "pi.lan:8080", NULL));
	assert_false(web_same_origin("http://pi.lan:8080.evil", "pi.lan:8080", NULL));
	assert_false(web_same_origin("https://pi.lan:8080", "pi.lan:8080", NULL));
	assert_false(web_same_origin(NULL, "pi.lan:8080", "cross-site"));
	assert_false(web_same_origin(NULL, "pi.lan:8080", "same-site"));   /* another port */
	assert_false(web_same_origin("null", "pi.lan:8080", NULL));
	assert_false(web_same_origin("http://pi.lan:8080", NULL, NULL));
}

static void test_the_pin_is_a_bearer_token(void **state)
{
	(void)state;
	assert_true(web_bearer_ok("Bearer 4711", "4711"));
	assert_false(web_bearer_ok("Bearer 4712", "4711"));
	assert_false(web_bearer_ok("Bearer 471", "4711"));
	assert_false(web_bearer_ok("Bearer 47111", "4711"));
	assert_false(web_bearer_ok("Basic 4711", "4711"));
	assert_false(web_bearer_ok("Bearer ", "4711"));
	assert_false(web_bearer_ok(NULL, "4711"));
	assert_false(web_bearer_ok("Bearer 4711", NULL));   /* no pin: nothing controls */
}

static void test_wrong_pins_slow_down_and_a_right_one_clears_it(void **state)
{
	struct web_guard g = { 0, 0 };
	int64_t t = 1000000;

	(void)state;
	for (int i = 1; i < WEB_GUARD_FREE; i++) {
		web_guard_fail(&g, t);
		assert_int_equal(web_guard_wait(&g, t), 0);   /* a typo or two is free */
	}
	web_guard_fail(&g, t);
	assert_int_equal(web_guard_wait(&g, t), 1000);
	web_guard_fail(&g, t + 1000);
	assert_int_equal(web_guard_wait(&g, t + 1000), 2000);
	web_guard_fail(&g, t + 3000);
	assert_int_equal(web_guard_wait(&g, t + 3000), 4000);
	for (int i = 0; i < 20; i++)
		web_guard_fail(&g, t);
	assert_int_equal(web_guard_wait(&g, t), WEB_GUARD_MAX_MS);
	assert_int_equal(web_guard_wait(&g, t + WEB_GUARD_MAX_MS), 0);
	web_guard_ok(&g);
	web_guard_fail(&g, t);
	assert_int_equal(web_guard_wait(&g, t), 0);
}

/* A guesser's address waits; the owner's phone at another does not. */
static void test_a_guesser_waits_alone(void **state)
{
	static struct web_guards gs;   /* zeroed: ready */
	const unsigned char guesser[4] = { 192, 168, 1, 66 }, owner[4] = { 192, 168, 1, 20 };
	const unsigned char v6[16] = { 0xfe, 0x80, [15] = 1 };
	int64_t t = 1000000;

	(void)state;
	for (int i = 0; i < WEB_GUARD_FREE + 2; i++)
		web_guards_fail(&gs, guesser, 4, t);
	assert_int_equal(web_guards_wait(&gs, guesser, 4, t), 4000);
	assert_int_equal(web_guards_wait(&gs, owner, 4, t), 0);
	assert_int_equal(web_guards_wait(&gs, v6, 16, t), 0);
	assert_int_equal(web_guards_wait(&gs, NULL, 0, t), 0);
	/* The owner's right PIN clears only the owner's count. */
	web_guards_fail(&gs, owner, 4, t);
	web_guards_ok(&gs, owner, 4);
	assert_int_equal(web_guards_wait(&gs, guesser, 4, t), 4000);
	web_guards_ok(&gs, guesser, 4);
	assert_int_equal(web_guards_wait(&gs, guesser, 4, t), 0);
}

/* Many addresses meet the bucket: WEB_GUARD_BURST wrong PINs, then one a minute for all. */
static void test_many_addresses_share_one_bucket(void **state)
{
	static struct web_guards gs;
	unsigned char a[4] = { 10, 0, 0, 0 };
	int64_t t = 5000000;

	(void)state;
	for (int i = 0; i < WEB_GUARD_BURST - 1; i++) {
		a[3] = (unsigned char)i;
		web_guards_fail(&gs, a, 4, t);
		assert_int_equal(web_guards_wait(&gs, a, 4, t), 0);   /* one each: free */
	}
	a[3] = 200;
	web_guards_fail(&gs, a, 4, t);
	a[3] = 201;   /* a new address, never wrong, waits too */
	assert_int_equal(web_guards_wait(&gs, a, 4, t), WEB_GUARD_EVERY_MS);
	assert_int_equal(web_guards_wait(&gs, a, 4, t + WEB_GUARD_EVERY_MS), 0);
	web_guards_fail(&gs, a, 4, t + WEB_GUARD_EVERY_MS);
	assert_int_equal(web_guards_wait(&gs, a, 4, t + WEB_GUARD_EVERY_MS), WEB_GUARD_EVERY_MS);
	/* An hour later the bucket is full again. */
	assert_int_equal(web_guards_wait(&gs, a, 4, t + 3600 * 1000), 0);
	/* More addresses than slots: the table keeps working, every lookup stays in it. */
	for (int i = 0; i < 3 * WEB_GUARD_SLOTS; i++) {
		a[2] = (unsigned char)i;
		web_guards_fail(&gs, a, 4, t + 7200 * 1000 + i * WEB_GUARD_EVERY_MS);
	}
	assert_int_equal(web_guards_wait(&gs, a, 4, t + 7200 * 1000 + 3 * WEB_GUARD_SLOTS *
								 WEB_GUARD_EVERY_MS), 0);
}

static void test_a_command_is_one_printable_line(void **state)
{
	char a[] = "pause\n", b[] = "start lower-back/beginner\r\n", c[] = "pause\nstop",
	     d[] = "pa\x01use", e[] = "", f[300];

	(void)state;
	assert_true(web_line_ok(a, strlen(a)));
	assert_string_equal(a, "pause");
	assert_true(web_line_ok(b, strlen(b)));
	assert_string_equal(b, "start lower-back/beginner");
	assert_false(web_line_ok(c, strlen(c)));
	assert_false(web_line_ok(d, strlen(d)));
	assert_false(web_line_ok(e, 0));
	memset(f, 'a', sizeof(f) - 1);
	f[sizeof(f) - 1] = '\0';
	assert_false(web_line_ok(f, strlen(f)));
}

static void test_static_paths_stay_in_the_page(void **state)
{
	(void)state;
	assert_true(web_path_ok("/index.html"));
	assert_true(web_path_ok("/app.js"));
	assert_false(web_path_ok("/../etc/passwd"));
	assert_false(web_path_ok("/a/../../x"));
	assert_false(web_path_ok("/.git/config"));
	assert_false(web_path_ok("//etc/passwd"));
	assert_false(web_path_ok("/a%2e%2e"));
	assert_false(web_path_ok("relative"));
	assert_string_equal(web_mime("/app.js"), "text/javascript; charset=utf-8");
	assert_string_equal(web_mime("/x"), "application/octet-stream");
}

static void test_routines_json_has_every_routine_with_its_steps(void **state)
{
	struct library lib;
	struct web_catalog c;

	(void)state;
	testutil_library(&lib);
	web_catalog_load(&c, &lib);
	assert_true(c.n >= 20);
	assert_non_null(strstr(c.json.s, "{\"name\":\"lower-back/beginner\",\"title\":"));
	assert_non_null(strstr(c.json.s, "\"morning_caution\":true"));
	assert_non_null(strstr(c.json.s, "\"sides\":[\"right\",\"left\"]"));
	assert_true(c.json.len < WEB_MAX_ROUTINES_JSON + 65536);
	web_catalog_done(&c);
	library_done(&lib);
}

static void test_history_json_without_a_history_is_empty(void **state)
{
	struct web_catalog c = { 0 };
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	web_data_history(NULL, &c, 1000, &b);
	assert_string_equal(b.s, "{\"now\":1000,\"streak_days\":0,\"sessions\":[],\"areas\":[]}");
	sbuf_done(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cross_site_writes_are_refused),
		cmocka_unit_test(test_the_pin_is_a_bearer_token),
		cmocka_unit_test(test_wrong_pins_slow_down_and_a_right_one_clears_it),
		cmocka_unit_test(test_a_guesser_waits_alone),
		cmocka_unit_test(test_many_addresses_share_one_bucket),
		cmocka_unit_test(test_a_command_is_one_printable_line),
		cmocka_unit_test(test_static_paths_stay_in_the_page),
		cmocka_unit_test(test_routines_json_has_every_routine_with_its_steps),
		cmocka_unit_test(test_history_json_without_a_history_is_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

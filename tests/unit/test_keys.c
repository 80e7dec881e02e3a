/* keys: terminal bytes, as a terminal sends them, to actions. */
#include "testutil.h"

#include "keys.h"

#include <string.h>

static size_t feed(struct keys *k, const char *bytes, enum key_action *out)
{
	return keys_feed(k, (const unsigned char *)bytes, strlen(bytes), out, 16);
}

static void test_letters_and_space_map_to_actions(void **state)
{
	struct keys k;
	enum key_action a[16];

	(void)state;
	keys_init(&k);
	assert_int_equal(feed(&k, " nprwe+-q?", a), 10);
	assert_int_equal(a[0], KEY_PAUSE);
	assert_int_equal(a[1], KEY_NEXT);
	assert_int_equal(a[2], KEY_PREVIOUS);
	assert_int_equal(a[3], KEY_REPEAT);
	assert_int_equal(a[4], KEY_WHERE);
	assert_int_equal(a[5], KEY_EXTEND);
	assert_int_equal(a[6], KEY_LOUDER);
	assert_int_equal(a[7], KEY_SOFTER);
	assert_int_equal(a[8], KEY_QUIT);
	assert_int_equal(a[9], KEY_HELP);
}

static void test_arrows_in_both_modes_and_split_across_reads(void **state)
{
	struct keys k;
	enum key_action a[16];

	(void)state;
	keys_init(&k);
	assert_int_equal(feed(&k, "\x1b[C\x1bOD", a), 2);
	assert_int_equal(a[0], KEY_NEXT);
	assert_int_equal(a[1], KEY_PREVIOUS);
	/* An escape sequence cut between two reads. */
	assert_int_equal(feed(&k, "\x1b[", a), 0);
	assert_int_equal(feed(&k, "D", a), 1);
	assert_int_equal(a[0], KEY_PREVIOUS);
}

static void test_other_sequences_are_swallowed_whole(void **state)
{
	struct keys k;
	enum key_action a[16];

	(void)state;
	keys_init(&k);
	/* F5 (ESC [ 1 5 ~) and up arrow: their letters must not act. */
	assert_int_equal(feed(&k, "\x1b[15~\x1b[A", a), 0);
	assert_int_equal(feed(&k, "xyz\x01", a), 0);
	assert_int_equal(feed(&k, "n", a), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_letters_and_space_map_to_actions),
		cmocka_unit_test(test_arrows_in_both_modes_and_split_across_reads),
		cmocka_unit_test(test_other_sequences_are_swallowed_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

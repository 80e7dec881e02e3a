/*
 * remote: the daemon's inputs as the hardware gives them. evdev records
 * (struct input_event, with their EV_SYN frames and autorepeats) and GPIO
 * edges (with contact bounce) go in; actions and gestures come out. The
 * machines that run these tests have no input device or GPIO chip, so this
 * is the same code the daemon runs above the thin hardware calls.
 */
#include "testutil.h"

#include "config.h"
#include "remote.h"

#include <linux/input.h>
#include <string.h>

static const char cfg_yaml[] =
	"buttons:\n"
	"  - {chip: pinctrl-bcm2711, line: GPIO17}\n"
	"  - {chip: pinctrl-bcm2711, line: GPIO27, action: next}\n"
	"keys: {KEY_B: stop}\n";

struct rig {
	struct config *cfg;
	struct remote r;
	struct remote_event got[64];
	int n;
	int64_t t;     /* the clock the test runs, in ms */
};

static int setup(void **state)
{
	struct rig *g = calloc(1, sizeof(*g));
	char err[LIMBER_ERR_LEN];

	assert_int_equal(config_parse("test.yaml", cfg_yaml, strlen(cfg_yaml), &g->cfg, err), 0);
	remote_init(&g->r, g->cfg, NULL);
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	struct rig *g = *state;

	config_free(g->cfg);
	free(g);
	return 0;
}

/* Run the clock to t, collecting what comes out, as the daemon's poll loop would. */
static void run_to(struct rig *g, int64_t t)
{
	for (; g->t <= t; g->t++) {
		struct remote_event ev;

		while (remote_next(&g->r, g->t, &ev))
			g->got[g->n++] = ev;
	}
	g->t = t;
}

/* One evdev record, as libevdev hands it over: only EV_KEY reaches the remote. */
static void record(struct rig *g, int src, unsigned type, unsigned code, int value, int64_t ms)
{
	struct input_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.input_event_sec = (time_t)(ms / 1000);
	ev.input_event_usec = (suseconds_t)(ms % 1000 * 1000);
	ev.type = (unsigned short)type;
	ev.code = (unsigned short)code;
	ev.value = value;
	run_to(g, ms);
	if (ev.type == EV_KEY)
		remote_key(&g->r, src, ev.code, ev.value,
			   (int64_t)ev.input_event_sec * 1000 + ev.input_event_usec / 1000);
}

static void key(struct rig *g, int src, unsigned code, int value, int64_t ms)
{
	record(g, src, EV_MSC, MSC_SCAN, 0x70000 + (int)code, ms);   /* as keyboards send */
	record(g, src, EV_KEY, code, value, ms);
	record(g, src, EV_SYN, SYN_REPORT, 0, ms);
}

static void test_presenter_keys_act_on_press(void **state)
{
	struct rig *g = *state;

	key(g, 0, KEY_PAGEDOWN, 1, 1000);
	key(g, 0, KEY_PAGEDOWN, 2, 1250);    /* autorepeat: not another step */
	key(g, 0, KEY_PAGEDOWN, 0, 1300);
	key(g, 0, KEY_PAGEUP, 1, 2000);
	key(g, 0, KEY_PAGEUP, 0, 2080);
	key(g, 0, KEY_B, 1, 3000);           /* the config's own mapping */
	key(g, 0, KEY_B, 0, 3050);
	key(g, 0, KEY_Q, 1, 3500);           /* not mapped: nothing */
	key(g, 0, KEY_Q, 0, 3550);
	run_to(g, 5000);
	assert_int_equal(g->n, 3);
	assert_int_equal(g->got[0].act, ACT_NEXT);
	assert_int_equal(g->got[1].act, ACT_PREVIOUS);
	assert_int_equal(g->got[2].act, ACT_STOP);
	assert_int_equal(g->got[0].g, BUTTON_NONE);
}

static void test_volume_keys_repeat_while_held(void **state)
{
	struct rig *g = *state;

	key(g, 1, KEY_VOLUMEUP, 1, 100);
	key(g, 1, KEY_VOLUMEUP, 2, 600);
	key(g, 1, KEY_VOLUMEUP, 2, 633);
	key(g, 1, KEY_VOLUMEUP, 0, 650);
	run_to(g, 1000);
	assert_int_equal(g->n, 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(g->got[i].act, ACT_LOUDER);
}

static void test_space_is_the_main_button(void **state)
{
	struct rig *g = *state;

	key(g, 0, KEY_SPACE, 1, 100);        /* short */
	key(g, 0, KEY_SPACE, 0, 180);
	run_to(g, 1000);
	key(g, 0, KEY_SPACE, 1, 1000);       /* long, with the keyboard's autorepeat under it */
	for (int64_t t = 1250; t < 2000; t += 33)
		key(g, 0, KEY_SPACE, 2, t);
	key(g, 0, KEY_SPACE, 0, 2000);
	run_to(g, 3000);
	key(g, 0, KEY_SPACE, 1, 3000);       /* double */
	key(g, 0, KEY_SPACE, 0, 3060);
	key(g, 0, KEY_SPACE, 1, 3200);
	key(g, 0, KEY_SPACE, 0, 3260);
	run_to(g, 4000);
	assert_int_equal(g->n, 3);
	assert_int_equal(g->got[0].act, ACT_MAIN);
	assert_int_equal(g->got[0].g, BUTTON_SHORT);
	assert_int_equal(g->got[1].g, BUTTON_LONG);
	assert_int_equal(g->got[2].g, BUTTON_DOUBLE);
	assert_int_equal(remote_deadline(&g->r), -1);   /* at rest: the daemon may sleep */
}

static void test_long_press_is_said_while_held(void **state)
{
	struct rig *g = *state;

	key(g, 0, KEY_ENTER, 1, 500);
	assert_int_equal(remote_deadline(&g->r), 1200);   /* the poll timeout to use */
	run_to(g, 1199);
	assert_int_equal(g->n, 0);
	run_to(g, 1200);
	assert_int_equal(g->n, 1);
	assert_int_equal(g->got[0].g, BUTTON_LONG);
}

static void test_device_that_vanishes_mid_press_leaves_nothing_behind(void **state)
{
	struct rig *g = *state;

	/* A Bluetooth clicker goes to sleep with its button down... */
	key(g, 3, KEY_F5, 1, 100);
	run_to(g, 300);
	remote_lost(&g->r, 3);
	assert_int_equal(remote_deadline(&g->r), -1);    /* no long press on its way */
	run_to(g, 2000);
	assert_int_equal(g->n, 0);
	/* ...and comes back in the same slot; its first record is the stale release. */
	key(g, 3, KEY_F5, 0, 5000);
	run_to(g, 6000);
	assert_int_equal(g->n, 0);
	key(g, 3, KEY_F5, 1, 7000);
	key(g, 3, KEY_F5, 0, 7100);
	run_to(g, 8000);
	assert_int_equal(g->n, 1);
	assert_int_equal(g->got[0].g, BUTTON_SHORT);
}

static void test_two_devices_keep_their_own_presses(void **state)
{
	struct rig *g = *state;

	/* One remote as two event nodes: a press on one, a release on the other is no press. */
	key(g, 0, KEY_SPACE, 1, 100);
	key(g, 1, KEY_SPACE, 0, 150);
	key(g, 0, KEY_SPACE, 0, 200);
	run_to(g, 1000);
	assert_int_equal(g->n, 1);
	assert_int_equal(g->got[0].g, BUTTON_SHORT);
}

static void test_gpio_button_with_bounce(void **state)
{
	struct rig *g = *state;
	/* Pressed (line low) at 100 with bounce, released at 400 with bounce. */
	static const int64_t edges[][2] = { { 100, 1 }, { 101, 0 }, { 103, 1 }, { 105, 0 },
					    { 106, 1 }, { 400, 0 }, { 402, 1 }, { 404, 0 } };

	for (size_t i = 0; i < UTIL_ARRAY_LEN(edges); i++) {
		run_to(g, edges[i][0]);
		remote_gpio(&g->r, 0, (int)edges[i][1], edges[i][0]);
	}
	run_to(g, 1500);
	remote_gpio(&g->r, 1, 1, 1500);      /* the second button: "next" on its press */
	remote_gpio(&g->r, 1, 0, 1502);      /* bounce on release: nothing */
	remote_gpio(&g->r, 1, 1, 1504);
	remote_gpio(&g->r, 1, 0, 1600);
	remote_gpio(&g->r, 7, 1, 1700);      /* no such button */
	run_to(g, 3000);
	assert_int_equal(g->n, 2);
	assert_int_equal(g->got[0].act, ACT_MAIN);
	assert_int_equal(g->got[0].g, BUTTON_SHORT);
	assert_int_equal(g->got[1].act, ACT_NEXT);
}

static void test_flood_of_presses_is_bounded(void **state)
{
	struct rig *g = *state;
	struct remote_event ev;
	int n = 0;

	for (int i = 0; i < 1000; i++)
		remote_key(&g->r, 0, KEY_PAGEDOWN, 1, i);
	while (remote_next(&g->r, 1000, &ev))
		n++;
	assert_int_equal(n, REMOTE_QUEUE);
	assert_int_equal(remote_deadline(&g->r), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_presenter_keys_act_on_press, setup, teardown),
		cmocka_unit_test_setup_teardown(test_volume_keys_repeat_while_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_space_is_the_main_button, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_press_is_said_while_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_that_vanishes_mid_press_leaves_nothing_behind,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_devices_keep_their_own_presses, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_gpio_button_with_bounce, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_of_presses_is_bounded, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

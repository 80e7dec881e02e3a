/*
 * playout: the audio callback's logic, driven with exact frame counts and
 * odd buffer sizes as a device would call it.
 */
#include "testutil.h"

#include "pcm.h"
#include "playout.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#define RATE 48000

static struct playout po;

static struct pcm *tone(uint64_t n)
{
	struct pcm *p = pcm_new(n);

	for (uint64_t i = 0; i < n; i++)
		p->data[i] = 16384;
	return p;
}

static void send(enum playout_msg_kind kind, uint32_t id, struct pcm *p, uint64_t at)
{
	struct playout_msg m = { kind, id, p, at, 0, 1.0f };

	assert_int_equal(playout_send(&po, &m), 0);
}

/* Run the callback for `frames` in buffers of `chunk`, stereo, into out (mono copy). */
static void run(float *out, size_t frames, size_t chunk)
{
	float buf[2 * 2048];

	while (frames) {
		size_t n = frames < chunk ? frames : chunk;

		playout_process(&po, buf, n, 2, -1.0);
		for (size_t i = 0; i < n; i++) {
			assert_true(buf[2 * i] == buf[2 * i + 1]);
			if (out)
				*out++ = buf[2 * i];
		}
		frames -= n;
	}
}

/* Drain the reports; returns the output frame id started at (or -1), releasing pcms. */
static int64_t drain(uint32_t want, int *dropped)
{
	struct playout_report r;
	int64_t at = -1;

	while (playout_report(&po, &r) == 0) {
		if (r.kind == PO_DONE)
			pcm_unref(r.pcm);
		if (r.kind == PO_STARTED && r.id == want)
			at = (int64_t)r.frame;
		if (r.kind == PO_DROPPED && r.id == want && dropped)
			*dropped = 1;
	}
	return at;
}

static int setup(void **state)
{
	(void)state;
	playout_init(&po, RATE);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	playout_done(&po);
	return 0;
}

static void test_sound_starts_on_its_frame_whatever_the_buffer_size(void **state)
{
	static float out[8192];

	(void)state;
	send(PO_SOUND, 7, tone(100), 5000);
	run(out, 8192, 441);
	assert_true(out[4999] == 0.0f);
	assert_true(out[5000] == 0.5f);
	assert_true(out[5099] == 0.5f && out[5100] == 0.0f);
	assert_int_equal(drain(7, NULL), 5000);
	assert_int_equal(playout_clock_get(&po.session_clock), 8192);
	assert_int_equal(atomic_load(&po.late), 0);
}

static void test_marks_report_their_frame(void **state)
{
	(void)state;
	send(PO_MARK, 3, NULL, 1234);
	run(NULL, 2000, 256);
	assert_int_equal(drain(3, NULL), 1234);
}

static void test_pause_fades_out_within_50ms_and_stops_the_clock(void **state)
{
	static float out[RATE * 2];
	uint64_t fade = RATE * 50 / 1000;
	struct pcm *p = tone(RATE * 3);

	(void)state;
	send(PO_SOUND, 1, p, 0);
	run(out, 1000, 512);
	send(PO_PAUSE, 0, NULL, 0);
	run(out, RATE, 512);
	/* Silent from 50 ms after the pause, and the session clock stands still. */
	for (uint64_t i = fade; i < RATE; i++)
		assert_true(out[i] == 0.0f);
	assert_true(out[0] > 0.0f && out[0] < 0.5f);
	assert_true(atomic_load(&po.paused));
	uint64_t frozen = playout_clock_get(&po.session_clock);
	assert_true(frozen < 1000 + fade);
	run(out, 4800, 512);
	assert_int_equal(playout_clock_get(&po.session_clock), frozen);
	/* Resume: the same sound goes on from where it stopped, fading in. */
	send(PO_RESUME, 0, NULL, 0);
	run(out, RATE, 512);
	assert_true(out[RATE - 1] == 0.5f);
	assert_int_equal(playout_clock_get(&po.session_clock), frozen + RATE);
	drain(0, NULL);
}

static void test_pause_moves_later_sounds_by_the_pause(void **state)
{
	uint64_t paused_for;

	(void)state;
	send(PO_SOUND, 9, tone(10), 20000);
	run(NULL, 4000, 480);
	send(PO_PAUSE, 0, NULL, 0);
	run(NULL, 24000, 480);
	send(PO_RESUME, 0, NULL, 0);
	run(NULL, 30000, 480);
	paused_for = playout_clock_get(&po.output_clock) - playout_clock_get(&po.session_clock);
	assert_true(paused_for > 20000);
	assert_int_equal(drain(9, NULL), 20000 + paused_for);
}

/* A resume sent ahead with its frame lands on that frame, whatever the buffer it falls in. */
static void test_resume_lands_on_its_output_frame(void **state)
{
	struct playout_report r;
	int64_t resumed = -1;
	uint64_t frozen;

	(void)state;
	run(NULL, 4000, 512);
	send(PO_PAUSE, 0, NULL, 0);
	run(NULL, 4000, 512);
	frozen = playout_clock_get(&po.session_clock);
	send(PO_RESUME, 0, NULL, 20001);
	run(NULL, 30000, 512);
	while (playout_report(&po, &r) == 0)
		if (r.kind == PO_RESUMED)
			resumed = (int64_t)r.frame;
	assert_int_equal(resumed, 20001);
	assert_int_equal(playout_clock_get(&po.session_clock), frozen + (38000 - 20001));
}

static void test_cut_drops_future_sounds_and_fades_the_present(void **state)
{
	static float out[RATE];
	int dropped = 0;
	uint64_t fade = RATE * PLAYOUT_FADE_MS / 1000;

	(void)state;
	send(PO_SOUND, 1, tone(RATE), 0);
	send(PO_SOUND, 2, tone(100), 30000);
	run(out, 10000, 1000);
	send(PO_CUT, 0, NULL, 0);
	run(out, 20000, 1000);
	assert_true(out[fade + 1] == 0.0f);
	drain(2, &dropped);
	assert_true(dropped);
	run(out, 20000, 1000);
	for (int i = 0; i < 20000; i++)
		assert_true(out[i] == 0.0f);
	drain(0, NULL);
}

static void test_ui_sounds_play_at_once_even_when_paused(void **state)
{
	static float out[4096];

	(void)state;
	send(PO_PAUSE, 0, NULL, 0);
	run(NULL, RATE / 10, 512);
	send(PO_UI, 0, tone(100), 0);
	run(out, 4096, 512);
	assert_true(out[0] == 0.5f && out[99] == 0.5f && out[100] == 0.0f);
	send(PO_RESUME, 0, NULL, 0);
	drain(0, NULL);
}

static void test_every_sound_is_handed_back(void **state)
{
	struct pcm *p = tone(50);
	struct playout_report r;
	int back = 0;

	(void)state;
	for (int i = 0; i < 20; i++)
		send(PO_SOUND, (uint32_t)i, pcm_ref(p), playout_clock_get(&po.session_clock) + (uint64_t)i * 10);
	run(NULL, 4096, 256);
	while (playout_report(&po, &r) == 0) {
		if (r.kind == PO_DONE) {
			assert_ptr_equal(r.pcm, p);
			pcm_unref(r.pcm);
			back++;
		}
	}
	assert_int_equal(back, 20);
	assert_int_equal(p->refs, 1);
	pcm_unref(p);
}

static void test_volume_scales_everything(void **state)
{
	static float out[1000];
	struct playout_msg m = { PO_VOLUME, 0, NULL, 0, 0, 0.25f };
	uint64_t now = playout_clock_get(&po.session_clock);

	(void)state;
	assert_int_equal(playout_send(&po, &m), 0);
	send(PO_SOUND, 1, tone(100), now + 10);
	run(out, 1000, 1000);
	assert_true(out[10] == 0.125f);
	m.gain = 1.0f;
	playout_send(&po, &m);
	drain(0, NULL);
}

static void test_device_clock_running_ahead_skips_the_session_with_it(void **state)
{
	float buf[2 * 256];
	double t = 10.0;

	(void)state;
	send(PO_SOUND, 5, tone(10), 48000);
	/* Ten buffers on time, then the device loses one (an xrun), then on time again. */
	for (int i = 0; i < 10; i++, t += 256.0 / RATE)
		playout_process(&po, buf, 256, 2, t);
	t += 256.0 / RATE;
	for (int i = 0; i < 200; i++, t += 256.0 / RATE)
		playout_process(&po, buf, 256, 2, t);
	assert_int_equal(atomic_load(&po.skips), 1);
	assert_int_equal(playout_clock_get(&po.skipped), 256);
	/* Output and session clocks both moved on: the sound still starts at its frame. */
	assert_int_equal(playout_clock_get(&po.output_clock), 211 * 256);
	assert_int_equal(playout_clock_get(&po.session_clock), 211 * 256);
	assert_int_equal(drain(5, NULL), 48000);
	/* A leap of hours (a 32-bit frame counter wrapping) is a new base, not a skip. */
	playout_process(&po, buf, 256, 2, t + 89478.0);
	assert_int_equal(atomic_load(&po.skips), 1);
}

/*
 * The two threads as they run live: a "device" thread calls the callback
 * in 256-frame buffers while this one sends sounds and drains reports. Every
 * sound must start once and come back once. (Run under ThreadSanitizer by
 * scripts/test: the ring and the clocks are the only things shared.)
 */
static atomic_int device_stop;

static void *device_thread(void *arg)
{
	float buf[2 * 256];

	(void)arg;
	while (!atomic_load(&device_stop)) {
		playout_process(&po, buf, 256, 2, -1.0);
		nanosleep(&(struct timespec){ 0, 50000 }, NULL);
	}
	return NULL;
}

static void test_threads_cross_as_the_device_does(void **state)
{
	pthread_t dev;
	struct playout_report r;
	int sent = 0, started = 0, back = 0;

	(void)state;
	atomic_store(&device_stop, 0);
	assert_int_equal(pthread_create(&dev, NULL, device_thread, NULL), 0);
	while (sent < 400 || back < sent) {
		/* No more in flight than the mixer has voices: a device thread that the
		 * scheduler holds back must not turn into dropped sounds. */
		if (sent < 400 && sent - back < MIXER_VOICES / 2) {
			uint64_t now = playout_clock_get(&po.session_clock);
			struct playout_msg m = { PO_SOUND, (uint32_t)sent + 1, tone(64), now + 512, 0,
						 1.0f };

			if (playout_send(&po, &m) == 0)
				sent++;
			else
				pcm_unref(m.pcm);
		}
		while (playout_report(&po, &r) == 0) {
			if (r.kind == PO_STARTED)
				started++;
			if (r.kind == PO_DONE) {
				pcm_unref(r.pcm);
				back++;
			}
		}
		nanosleep(&(struct timespec){ 0, 20000 }, NULL);
	}
	atomic_store(&device_stop, 1);
	pthread_join(dev, NULL);
	assert_int_equal(back, 400);
	assert_int_equal(started, 400);   /* late or not, each one plays */
}

/* The device's reported time jitters (the first report, the base, too): lost time is whole buffers. */
static void test_skips_are_whole_buffers_whatever_the_jitter(void **state)
{
	float buf[2 * 1024];
	const double period = 1024.0 / RATE;
	double t = 5.0;

	(void)state;
	/* The first report comes 387 frames late: every later one looks early by that much. */
	playout_process(&po, buf, 1024, 2, t + 387.0 / RATE);
	for (int i = 1; i < 10; i++)
		playout_process(&po, buf, 1024, 2, t + i * period + (i % 3) * 40.0 / RATE);
	assert_int_equal(atomic_load(&po.skips), 0);
	/* Two periods lost at once (1661 frames apparent), then one more (637 apparent). */
	playout_process(&po, buf, 1024, 2, t + 12 * period);
	assert_int_equal(playout_clock_get(&po.skipped), 2048);
	for (int i = 13; i < 20; i++)
		playout_process(&po, buf, 1024, 2, t + i * period);
	playout_process(&po, buf, 1024, 2, t + 21 * period);
	assert_int_equal(atomic_load(&po.skips), 2);
	assert_int_equal(playout_clock_get(&po.skipped), 3072);
	assert_int_equal(playout_clock_get(&po.output_clock), 22 * 1024);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_threads_cross_as_the_device_does, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sound_starts_on_its_frame_whatever_the_buffer_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_marks_report_their_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pause_fades_out_within_50ms_and_stops_the_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pause_moves_later_sounds_by_the_pause, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_lands_on_its_output_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cut_drops_future_sounds_and_fades_the_present, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ui_sounds_play_at_once_even_when_paused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_sound_is_handed_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_volume_scales_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_clock_running_ahead_skips_the_session_with_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skips_are_whole_buffers_whatever_the_jitter, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* mixer: sounds start on their exact sample in any block; cuts fade. */
#include "testutil.h"

#include "mixer.h"
#include "pcm.h"

#include <math.h>
#include <string.h>

static struct pcm *ones(uint64_t n)
{
	struct pcm *p = pcm_new(n);

	for (uint64_t i = 0; i < n; i++)
		p->data[i] = 16384; /* exactly 0.5 */
	return p;
}

static void reap_all(struct mixer *m)
{
	struct pcm *d[MIXER_VOICES];
	size_t n = mixer_reap(m, d, MIXER_VOICES);

	for (size_t i = 0; i < n; i++)
		pcm_unref(d[i]);
}

static void test_sound_starts_on_its_sample_across_blocks(void **state)
{
	static struct mixer m;
	float out[100];

	(void)state;
	mixer_init(&m);
	assert_int_equal(mixer_add(&m, ones(150), 1037, 0, 1.0f), 0);
	/* Blocks of 100 from 1000: the sound starts at index 37 of the first. */
	mixer_render(&m, out, 100, 1000);
	assert_true(out[36] == 0.0f);
	assert_true(out[37] == 0.5f);
	mixer_render(&m, out, 100, 1100);
	assert_true(out[0] == 0.5f && out[86] == 0.5f);
	assert_true(out[87] == 0.0f);   /* 1037 + 150 = 1187 */
	reap_all(&m);
	assert_true(mixer_idle(&m));
}

static void test_cut_sound_fades_and_stops_at_its_limit(void **state)
{
	static struct mixer m;
	float out[2000];

	(void)state;
	mixer_init(&m);
	assert_int_equal(mixer_add(&m, ones(5000), 0, 1000, 1.0f), 0);
	mixer_render(&m, out, 2000, 0);
	assert_true(out[999 - MIXER_FADE_FRAMES] == 0.5f);
	assert_true(out[999] > 0.0f && out[999] < 0.01f);
	assert_true(out[1000] == 0.0f);
	for (int i = 1000 - MIXER_FADE_FRAMES + 1; i < 1000; i++)
		assert_true(out[i] <= out[i - 1]);
	reap_all(&m);
}

static void test_sounds_sum_and_finished_ones_are_handed_back(void **state)
{
	static struct mixer m;
	float out[64];
	struct pcm *a = ones(10), *d[MIXER_VOICES];

	(void)state;
	mixer_init(&m);
	pcm_ref(a);
	assert_int_equal(mixer_add(&m, a, 5, 0, 2.0f), 0);
	assert_int_equal(mixer_add(&m, ones(10), 8, 0, 2.0f), 0);
	mixer_render(&m, out, 64, 0);
	assert_true(out[7] == 1.0f && out[8] == 2.0f && out[14] == 2.0f && out[15] == 1.0f);
	assert_int_equal(mixer_reap(&m, d, MIXER_VOICES), 2);
	assert_int_equal(a->refs, 2);   /* the mixer never frees: its owner does */
	pcm_unref(d[0]);
	pcm_unref(d[1]);
	assert_int_equal(a->refs, 1);
	pcm_unref(a);
}

static void test_mixer_refuses_when_full(void **state)
{
	static struct mixer m;
	struct pcm *p = ones(4);

	(void)state;
	mixer_init(&m);
	for (int i = 0; i < MIXER_VOICES; i++)
		assert_int_equal(mixer_add(&m, pcm_ref(p), 0, 0, 1.0f), 0);
	assert_int_equal(mixer_add(&m, p, 0, 0, 1.0f), -1);
	mixer_stop_all(&m);
	reap_all(&m);
	pcm_unref(p);
}

static void test_resample_keeps_length_and_pitch(void **state)
{
	char err[LIMBER_ERR_LEN];
	float in[22050];
	struct pcm *p;
	int crossings = 0;

	(void)state;
	for (int i = 0; i < 22050; i++)
		in[i] = (float)sin(2 * 3.14159265358979323846 * 441.0 * i / 22050.0);
	p = pcm_resample(in, 22050, 22050, 48000, err);
	assert_non_null(p);
	assert_true(p->frames >= 47990 && p->frames <= 48010);
	for (uint64_t i = 1000; i < 47000; i++)
		crossings += p->data[i - 1] < 0 && p->data[i] >= 0;
	/* 441 Hz over 46000 frames at 48 kHz: about 422 rising crossings. */
	assert_true(crossings >= 420 && crossings <= 424);
	pcm_unref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sound_starts_on_its_sample_across_blocks),
		cmocka_unit_test(test_cut_sound_fades_and_stops_at_its_limit),
		cmocka_unit_test(test_sounds_sum_and_finished_ones_are_handed_back),
		cmocka_unit_test(test_mixer_refuses_when_full),
		cmocka_unit_test(test_resample_keeps_length_and_pitch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

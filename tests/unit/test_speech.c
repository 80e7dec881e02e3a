/* speech: real eSpeak NG synthesis, trimmed, cached, and text made safe. */
#include "testutil.h"

#include "pcm.h"
#include "speech.h"

#include <math.h>
#include <string.h>

static struct speech *sp;
static struct voice *voice;
static struct library lib;

static int setup(void **state)
{
	char err[LIMBER_ERR_LEN];

	(void)state;
	testutil_library(&lib);
	if (library_load_voice(&lib, "calm", &voice, err) < 0 ||
	    speech_new(voice, 48000, &sp, err) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	speech_free(sp);
	speech_shutdown();
	voice_free(voice);
	library_done(&lib);
	return 0;
}

static void test_speech_is_audible_and_starts_at_once(void **state)
{
	char err[LIMBER_ERR_LEN];
	struct pcm *p;
	double sum = 0;
	uint64_t first = 0;

	(void)state;
	assert_int_equal(speech_say(sp, "Bring your knees to your chest.", &p, err), 0);
	assert_true(p->frames > 48000 / 2 && p->frames < 48000 * 6);
	for (uint64_t i = 0; i < p->frames; i++)
		sum += (double)p->data[i] * p->data[i] / (32768.0 * 32768.0);
	assert_true(sqrt(sum / (double)p->frames) > 0.02);
	while (first < p->frames && abs(p->data[first]) < 131)
		first++;
	/* Leading silence is trimmed to about 5 ms. */
	assert_true(first < 48000 * 15 / 1000);
	pcm_unref(p);
}

static void test_short_phrases_are_made_once(void **state)
{
	char err[LIMBER_ERR_LEN];
	struct pcm *a, *b;

	(void)state;
	assert_int_equal(speech_say(sp, "three", &a, err), 0);
	assert_int_equal(speech_say(sp, "three", &b, err), 0);
	assert_ptr_equal(a, b);
	pcm_unref(a);
	pcm_unref(b);
}

static void test_slower_rate_makes_longer_speech(void **state)
{
	char err[LIMBER_ERR_LEN];
	struct pcm *a, *b;

	(void)state;
	assert_int_equal(speech_say(sp, "Let your shoulders soften and sink.", &a, err), 0);
	speech_set_rate(sp, voice->rate - 40);
	assert_int_equal(speech_say(sp, "Let your shoulders soften and sink.", &b, err), 0);
	speech_set_rate(sp, voice->rate);
	assert_true(b->frames > a->frames * 11 / 10);
	pcm_unref(a);
	pcm_unref(b);
}

static void test_clean_makes_text_safe(void **state)
{
	char *s;

	(void)state;
	s = speech_clean("Relax...\n\tand\x01 breathe..");
	assert_string_equal(s, "Relax. and breathe.");
	free(s);
	s = speech_clean("<speak> & done");
	assert_string_equal(s, "<speak> & done");
	free(s);
}

static void test_awkward_text_does_not_hang_or_crash(void **state)
{
	static const char *const texts[] = { "..", "...", "&amp; <b>", "a..", "1m30s", "",
					     "    ", "\xe2\x80\x94 em dash", NULL };
	char err[LIMBER_ERR_LEN];

	(void)state;
	for (int i = 0; texts[i]; i++) {
		struct pcm *p;

		assert_int_equal(speech_say(sp, texts[i], &p, err), 0);
		pcm_unref(p);
	}
}

/* Speech length and zero crossings a second (a rough pitch and brightness). */
static void voice_print(const char *name, double *secs, double *zcr)
{
	char err[LIMBER_ERR_LEN];
	struct voice *v;
	struct speech *s;
	struct pcm *p;
	long z = 0;

	assert_int_equal(library_load_voice(&lib, name, &v, err), 0);
	assert_int_equal(speech_new(v, 48000, &s, err), 0);
	assert_int_equal(speech_say(s, "Breathe out slowly and let your knees fall to the right.",
				    &p, err),
			 0);
	for (uint64_t i = 1; i < p->frames; i++)
		z += (p->data[i - 1] < 0) != (p->data[i] < 0);
	*secs = (double)p->frames / 48000;
	*zcr = (double)z / *secs;
	pcm_unref(p);
	speech_free(s);
	voice_free(v);
}

static void test_each_voice_sounds_different(void **state)
{
	static const char *const names[] = { "calm", "brisk", "british" };
	double secs[3], zcr[3];

	(void)state;
	for (int i = 0; i < 3; i++)
		voice_print(names[i], &secs[i], &zcr[i]);
	for (int i = 0; i < 3; i++) {
		for (int j = i + 1; j < 3; j++) {
			double dl = fabs(secs[i] - secs[j]) / secs[i];
			double dz = fabs(zcr[i] - zcr[j]) / zcr[i];

			if (dl < 0.05 && dz < 0.05) {
				fprintf(stderr, "%s and %s: %.2f s vs %.2f s, %.0f vs %.0f crossings/s\n",
					names[i], names[j], secs[i], secs[j], zcr[i], zcr[j]);
				fail();
			}
		}
	}
	/* calm is the slowest: it is the one for lying on the floor. */
	assert_true(secs[0] > secs[1] && secs[0] > secs[2]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_speech_is_audible_and_starts_at_once),
		cmocka_unit_test(test_short_phrases_are_made_once),
		cmocka_unit_test(test_slower_rate_makes_longer_speech),
		cmocka_unit_test(test_clean_makes_text_safe),
		cmocka_unit_test(test_awkward_text_does_not_hang_or_crash),
		cmocka_unit_test(test_each_voice_sounds_different),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

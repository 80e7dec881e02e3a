/*
 * spoken: every string a listener hears, from every routine in the library
 * and every phrase of the phrase table, read as a listener with eyes closed
 * hears it. Nothing here is timing; it is the words.
 *
 * - No sentence spliced into another. Rules, on the text as written
 *   ({variables} left in, so "{which} foot forward" is not a sentence start):
 *   a sentence after ". ", "! " or "? " starts with a capital; a word after a
 *   comma or a semicolon, or in the middle of a sentence, does not, unless it
 *   is "I" or a name in the list below. A pasted sentence breaks one of them
 *   at each end: "... hold for seven, Breathing should never strain. ...
 *   stop and breathe normally. out for eight".
 * - A promise kept: "four breaths" is the number of breaths the step's hold
 *   counts (a step that counts none promises the next step that does);
 *   "twenty times" is the step's reps.
 * - A counted hold ends on its last breath: the quiet after it is less than
 *   a breath (SPOKEN_TAIL_MS), never a wait with empty lungs for an "In".
 * - One pain limit and one numbness rule: "six or seven out of ten" and
 *   "never go to eight" wherever a limit is given, no "about six" or "back
 *   off at eight"; numbness is always a reason to see a doctor, never a sign
 *   that offers a routine.
 */
#include "testutil.h"

#include "engine.h"
#include "session.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define SPOKEN_TAIL_MS 5000

/* Capitalised words that may stand mid-sentence: the pronoun (and names, if a routine has any). */
static const char *const names_ok[] = { "I", "I'm", "I'll", "I'd", NULL };

static int failures;

static void complain(const char *where, const char *what, const char *text)
{
	fprintf(stderr, "%s: %s: \"%s\"\n", where, what, text);
	failures++;
}

static int name_ok(const char *w, size_t n)
{
	if (n == 1)   /* a letter for a shape: "arms out in a T" */
		return 1;
	for (size_t i = 0; names_ok[i]; i++)
		if (strlen(names_ok[i]) == n && !strncmp(names_ok[i], w, n))
			return 1;
	return 0;
}

/* 1 if text reads as whole sentences by the rules above; else says where. */
static int spoken_sentences_ok(const char *where, const char *text)
{
	/* What came before the current word: the start, a sentence end, a comma, or a word. */
	enum { AT_START, AT_SENTENCE, AT_COMMA, AT_WORD, AT_OTHER } before = AT_START;
	const char *p = text;
	int ok = 1;

	while (*p) {
		if (*p == '{') {   /* a variable: it could be anything */
			const char *close = strchr(p, '}');

			p = close ? close + 1 : p + strlen(p);
			before = AT_OTHER;
			continue;
		}
		if (isalpha((unsigned char)*p)) {
			const char *w = p;
			size_t n;

			while (isalpha((unsigned char)*p) || *p == '\'' || *p == '-')
				p++;
			n = (size_t)(p - w);
			if (before == AT_SENTENCE && islower((unsigned char)*w)) {
				char frag[64];

				snprintf(frag, sizeof(frag), "%.*s", (int)(n < 60 ? n : 60), w);
				fprintf(stderr, "%s: a sentence starts with '%s'\n", where, frag);
				ok = 0;
			}
			if ((before == AT_COMMA || before == AT_WORD) && isupper((unsigned char)*w) &&
			    !name_ok(w, n)) {
				fprintf(stderr, "%s: a capital mid-sentence, '%.*s'\n", where, (int)n, w);
				ok = 0;
			}
			before = AT_WORD;
			continue;
		}
		if (*p == '.' || *p == '!' || *p == '?')
			before = AT_SENTENCE;
		else if (*p == ',' || *p == ';')
			before = AT_COMMA;
		else if (*p == ':' || *p == '(' || *p == '"' || isdigit((unsigned char)*p))
			before = AT_OTHER;
		else if (!isspace((unsigned char)*p))
			before = AT_OTHER;
		p++;
	}
	if (!ok)
		complain(where, "not whole sentences (a sentence spliced into another?)", text);
	return ok;
}

static void test_the_rules_catch_a_spliced_sentence(void **state)
{
	(void)state;
	/* The splice found in breathing/478 and the full-back routines, and what is fine. */
	assert_false(spoken_sentences_ok("test", "In for four, hold for seven, Breathing should "
						 "never strain. Stop and breathe normally. out for "
						 "eight, to help you sleep."));
	assert_false(spoken_sentences_ok("test", "for people whose back aches from Work only to "
						 "mild discomfort. slouching or a weak core."));
	assert_true(spoken_sentences_ok("test", "The side I name is the front leg. {which} foot "
						"forward: the stretch is in the hip. No strap? Hold "
						"the thigh, twenty times."));
	failures = 0;
}

/* Every string of a routine a listener hears, as written. */
static void spoken_routine_strings(const struct routine *r,
				   void (*fn)(const char *where, const char *text, void *ctx),
				   void *ctx)
{
	char where[512];

	snprintf(where, sizeof(where), "%s: about", r->path);
	if (r->about)
		fn(where, r->about, ctx);
	snprintf(where, sizeof(where), "%s: name", r->path);
	fn(where, r->name, ctx);
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct routine_step *st = &r->steps[i];

		snprintf(where, sizeof(where), "%s: step %zu (%s)", r->path, i + 1, st->name);
		fn(where, st->name, ctx);
		if (st->say)
			fn(where, st->say, ctx);
		if (st->each_side)
			fn(where, st->each_side, ctx);
		if (st->release)
			fn(where, st->release, ctx);
		for (size_t k = 0; k < st->nflow; k++) {
			fn(where, st->flow[k].say, ctx);
			if (st->flow[k].cue)
				fn(where, st->flow[k].cue, ctx);
		}
	}
}

struct each {
	struct library lib;
	struct voice *voice;
	struct library_entry *ents;
	size_t n;
};

static void each_open(struct each *e)
{
	char err[LIMBER_ERR_LEN];

	testutil_library(&e->lib);
	assert_int_equal(library_list(&e->lib, &e->ents, &e->n), 0);
	assert_true(e->n > 20);
	if (library_load_voice(&e->lib, "calm", &e->voice, err) < 0) {
		fprintf(stderr, "%s\n", err);
		fail();
	}
}

static struct routine *each_routine(struct each *e, size_t i)
{
	char err[LIMBER_ERR_LEN];
	struct routine *r;

	if (library_load_routine(&e->lib, e->ents[i].path, &r, err) < 0) {
		fprintf(stderr, "%s\n", err);
		fail();
	}
	return r;
}

static void each_close(struct each *e)
{
	voice_free(e->voice);
	library_entries_free(e->ents, e->n);
	library_done(&e->lib);
}

/* Every spoken string of every routine, then every phrase of the voice, through fn. */
static void each_spoken_string(struct each *e,
			       void (*fn)(const char *where, const char *text, void *ctx))
{
	for (size_t i = 0; i < e->n; i++) {
		struct routine *r = each_routine(e, i);

		spoken_routine_strings(r, fn, NULL);
		routine_free(r);
	}
	for (int ph = 0; ph < PH_COUNT; ph++) {
		char where[64];

		snprintf(where, sizeof(where), "voices/phrases/en.yaml: phrase %d", ph);
		fn(where, voice_phrase(e->voice, (enum phrase)ph), NULL);
	}
}

static void check_sentences(const char *where, const char *text, void *ctx)
{
	(void)ctx;
	spoken_sentences_ok(where, text);
}

static void test_no_sentence_is_spliced_into_another(void **state)
{
	struct each e;

	(void)state;
	failures = 0;
	each_open(&e);
	each_spoken_string(&e, check_sentences);
	each_close(&e);
	assert_int_equal(failures, 0);
}

/* ---- promises: "four breaths", "twenty times" ---- */

/* The number a word stands for, from the phrase table's counts (or digits); 0 if none. */
static int spoken_number(const struct voice *v, const char *w, size_t n)
{
	if (isdigit((unsigned char)*w))
		return atoi(w);
	for (size_t i = 0; i < v->ncounts; i++)
		if (strlen(v->counts[i]) == n && !strncasecmp(v->counts[i], w, n))
			return (int)i + 1;
	return 0;
}

enum promise { PROMISE_NONE, PROMISE_BREATHS, PROMISE_TIMES };

/*
 * The next promise in text from *pos: a number, at most two words, then
 * "breaths", "times", "reps" or "repetitions" ("ten slow breaths"). Its number
 * in *count; *pos moves past it.
 */
static enum promise spoken_promise(const struct voice *v, const char **pos, int *count)
{
	const char *p = *pos;

	while (*p) {
		const char *w = p, *q;
		size_t n;
		int num;

		while (*p && !isalnum((unsigned char)*p))
			p++;
		w = p;
		while (isalnum((unsigned char)*p) || *p == '-')
			p++;
		n = (size_t)(p - w);
		if (!n || !(num = spoken_number(v, w, n)))
			continue;
		q = p;
		for (int k = 0; k < 3; k++) {
			const char *x;
			size_t m;

			if (*q != ' ')
				break;
			x = ++q;
			while (isalpha((unsigned char)*q))
				q++;
			m = (size_t)(q - x);
			if (!m || (m == 4 && !strncmp(x, "more", 4)))
				break;
			if ((m == 7 && !strncmp(x, "breaths", 7))) {
				*pos = q;
				*count = num;
				return PROMISE_BREATHS;
			}
			if ((m == 5 && !strncmp(x, "times", 5)) || (m == 4 && !strncmp(x, "reps", 4)) ||
			    (m == 11 && !strncmp(x, "repetitions", 11))) {
				*pos = q;
				*count = num;
				return PROMISE_TIMES;
			}
		}
	}
	*pos = p;
	return PROMISE_NONE;
}

/* The breaths one hold of st counts, as the session counts them. */
static int step_breaths(const struct routine_step *st)
{
	return (int)session_breath_cycles(&st->pattern, (uint64_t)st->hold_ms,
					  (uint64_t)st->pattern.beat_ms);
}

static void check_promises(const struct voice *v, const struct routine *r)
{
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct routine_step *st = &r->steps[i];
		const char *texts[] = { st->say, st->each_side, st->release };

		for (size_t t = 0; t < UTIL_ARRAY_LEN(texts); t++) {
			const char *p = texts[t];
			enum promise pr;
			int n;

			while (p && (pr = spoken_promise(v, &p, &n)) != PROMISE_NONE) {
				char where[512];
				int kept = -1;

				snprintf(where, sizeof(where), "%s: step %zu (%s)", r->path, i + 1,
					 st->name);
				if (pr == PROMISE_TIMES) {
					kept = st->reps;
				} else {
					/* This step's count, or the next step that counts. */
					for (size_t j = i; j < r->nsteps; j++) {
						if (r->steps[j].breathe) {
							kept = step_breaths(&r->steps[j]);
							break;
						}
					}
				}
				if (kept != n) {
					char what[128];

					snprintf(what, sizeof(what), "promises %d %s, the plan has %d", n,
						 pr == PROMISE_TIMES ? "times" : "breaths", kept);
					complain(where, what, texts[t]);
				}
			}
		}
	}
}

static void test_the_promise_reader_finds_numbers(void **state)
{
	struct each e;
	const char *p = "You will do four breaths, rest, then four more. Stay for ten slow "
			"breaths. Twenty times. Three sets of ten.";
	int n;

	(void)state;
	each_open(&e);
	assert_int_equal(spoken_promise(e.voice, &p, &n), PROMISE_BREATHS);
	assert_int_equal(n, 4);
	assert_int_equal(spoken_promise(e.voice, &p, &n), PROMISE_BREATHS);
	assert_int_equal(n, 10);
	assert_int_equal(spoken_promise(e.voice, &p, &n), PROMISE_TIMES);
	assert_int_equal(n, 20);
	assert_int_equal(spoken_promise(e.voice, &p, &n), PROMISE_NONE);
	each_close(&e);
}

static void test_promised_breaths_and_reps_are_kept(void **state)
{
	struct each e;

	(void)state;
	failures = 0;
	each_open(&e);
	for (size_t i = 0; i < e.n; i++) {
		struct routine *r = each_routine(&e, i);

		check_promises(e.voice, r);
		routine_free(r);
	}
	each_close(&e);
	assert_int_equal(failures, 0);
}

static void test_a_counted_hold_ends_on_its_last_breath(void **state)
{
	struct each e;

	(void)state;
	failures = 0;
	each_open(&e);
	for (size_t i = 0; i < e.n; i++) {
		struct routine *r = each_routine(&e, i);

		for (size_t k = 0; k < r->nsteps; k++) {
			const struct routine_step *st = &r->steps[k];
			const struct breath_pattern *p = &st->pattern;
			int64_t cycle, tail;
			char where[512];

			if (!st->breathe)
				continue;
			cycle = p->beat_ms * (p->in + p->hold + p->out + p->hold_out);
			tail = st->hold_ms - p->beat_ms - step_breaths(st) * cycle;
			snprintf(where, sizeof(where), "%s: step %zu (%s)", r->path, k + 1, st->name);
			if (tail > SPOKEN_TAIL_MS) {
				char what[160];

				snprintf(what, sizeof(what),
					 "%lld ms of quiet after the last counted breath (a %lld ms "
					 "hold counts %d)",
					 (long long)tail, (long long)st->hold_ms, step_breaths(st));
				complain(where, what, st->name);
			}
		}
		routine_free(r);
	}
	each_close(&e);
	assert_int_equal(failures, 0);
}

/* ---- one pain limit, one numbness rule ---- */

static int contains(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (!strncasecmp(hay + i, needle, k))
			return 1;
	return 0;
}

static void check_safety_words(const char *where, const char *text, void *ctx)
{
	const char *p = text;

	(void)ctx;
	while (*p) {
		const char *end = p;
		size_t n;

		/* One sentence: up to ". ", "? " or "! " (or the end). */
		while (*end && !((*end == '.' || *end == '?' || *end == '!') && end[1] == ' '))
			end++;
		n = (size_t)(end - p) + (*end ? 1 : 0);
		if (contains(p, n, "out of ten") && !contains(p, n, "six or seven out of ten"))
			complain(where, "a pain limit other than six or seven out of ten", text);
		if (contains(p, n, "about six") || contains(p, n, "back off at") ||
		    contains(p, n, "never to eight"))
			complain(where, "a second wording of the pain limit", text);
		if ((contains(p, n, "numbness") || contains(p, n, " numb ") ||
		     contains(p, n, " numb,") || contains(p, n, " numb.")) &&
		    !contains(p, n, "doctor"))
			complain(where, "numbness without \"see a doctor\" (the red flag)", text);
		p = *end ? end + 1 : end;
	}
}

static void test_one_pain_limit_and_one_numbness_rule(void **state)
{
	struct each e;
	const char *safety;

	(void)state;
	failures = 0;
	each_open(&e);
	each_spoken_string(&e, check_safety_words);
	/* The words before a first session give the limit, in the routines' own words. */
	safety = voice_phrase(e.voice, PH_SAFETY);
	assert_non_null(strstr(safety, "six or seven out of ten"));
	assert_non_null(strstr(safety, "Never go to eight: ease off before it."));
	assert_non_null(strstr(safety, "numbness anywhere"));
	assert_null(strstr(voice_phrase(e.voice, PH_PLACE_SCIATIC), "numbness"));
	each_close(&e);
	assert_int_equal(failures, 0);
}

/*
 * "Right" is one way for the head, in every step of a routine: where a side's words
 * move the head (head, ear, look), the head goes to the named side in all of them,
 * or away from it in all of them. The neck routine's side bend ("your right ear
 * toward your right shoulder") and its upper trap stretch ("sit on your right hand,
 * tilt your head to your left") once meant opposite things.
 */
static int head_way(const char *sentence, size_t n)
{
	int which = contains(sentence, n, "{which}"), other = contains(sentence, n, "{other}");

	if (!contains(sentence, n, "head") && !contains(sentence, n, " ear ") &&
	    !contains(sentence, n, "{which} ear") && !contains(sentence, n, "look"))
		return 0;
	return which && !other ? 1 : other && !which ? -1 : 0;
}

static void test_right_means_one_way_for_the_head(void **state)
{
	struct each e;

	(void)state;
	failures = 0;
	each_open(&e);
	for (size_t i = 0; i < e.n; i++) {
		struct routine *r = each_routine(&e, i);
		int way = 0;

		for (size_t k = 0; k < r->nsteps; k++) {
			const char *p = r->steps[k].each_side;

			while (p && *p) {
				const char *end = strchr(p, '.');
				size_t n = end ? (size_t)(end - p) + 1 : strlen(p);
				int w = head_way(p, n);

				if (w && way && w != way) {
					char where[512];

					snprintf(where, sizeof(where), "%s: step %zu (%s)", r->path, k + 1,
						 r->steps[k].name);
					complain(where, "the named side is the other way for the head here",
						 r->steps[k].each_side);
				}
				if (w && !way)
					way = w;
				p += n;
			}
		}
		routine_free(r);
	}
	each_close(&e);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_rules_catch_a_spliced_sentence),
		cmocka_unit_test(test_no_sentence_is_spliced_into_another),
		cmocka_unit_test(test_the_promise_reader_finds_numbers),
		cmocka_unit_test(test_promised_breaths_and_reps_are_kept),
		cmocka_unit_test(test_a_counted_hold_ends_on_its_last_breath),
		cmocka_unit_test(test_one_pain_limit_and_one_numbness_rule),
		cmocka_unit_test(test_right_means_one_way_for_the_head),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

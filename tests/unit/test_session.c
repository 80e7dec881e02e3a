/*
 * session: the timing contract, checked on the sequencer alone with fake
 * speech whose length we choose (normal, or absurdly long).
 */
#include "testutil.h"

#include "engine.h"
#include "session.h"

#include <string.h>

#define RATE 48000
#define MS(x) ((uint64_t)(x) * RATE / 1000)

struct ev {
	struct session_event e;
	char detail[256];
	uint64_t len;   /* frames the sound plays, after any cut */
};

struct run {
	struct library lib;
	struct engine eng;
	struct ev *ev;
	size_t n;
	uint64_t speech_ms_per_char;
	uint64_t fixed_speech_ms;   /* non-zero: every text takes this long */
};

static int fake_speak(void *ctx, const char *text, struct pcm **pcm, uint64_t *frames, char *err)
{
	struct run *r = ctx;

	(void)err;
	*pcm = NULL;
	*frames = r->fixed_speech_ms ? MS(r->fixed_speech_ms)
				     : MS(strlen(text) * r->speech_ms_per_char);
	return 0;
}

static int fake_chime(void *ctx, const char *file, struct pcm **pcm, uint64_t *frames, char *err)
{
	(void)ctx;
	(void)err;
	*pcm = NULL;
	*frames = strstr(file, "tick") ? MS(150) : MS(1200);
	return 0;
}

static void run_session(struct run *r, const char *routine, uint64_t fixed_ms)
{
	struct session_ops ops = { r, fake_speak, fake_chime, NULL };
	struct session *s;
	struct session_event e;
	char err[LIMBER_ERR_LEN];
	int rc;

	memset(r, 0, sizeof(*r));
	r->speech_ms_per_char = 60;
	r->fixed_speech_ms = fixed_ms;
	testutil_library(&r->lib);
	if (engine_load(&r->eng, &r->lib, routine, NULL, err) < 0) {
		fprintf(stderr, "%s\n", err);
		fail();
	}
	s = session_new(&r->eng.plan, RATE, &ops);
	while ((rc = session_next(s, &e, err)) > 0) {
		struct ev *x;

		r->ev = util_xrealloc(r->ev, (r->n + 1) * sizeof(*r->ev));
		x = &r->ev[r->n++];
		x->e = e;
		snprintf(x->detail, sizeof(x->detail), "%s", e.detail);
		x->e.detail = x->detail;
		x->len = e.max_frames ? e.max_frames : e.frames;
	}
	assert_int_equal(rc, 0);
	session_free(s);
}

static void run_done(struct run *r)
{
	free(r->ev);
	engine_done(&r->eng);
	library_done(&r->lib);
}

/* The detail holds sub (kept out of line: gcc misreads strstr on array members here). */
static __attribute__((noinline)) int says(const struct ev *x, const char *sub)
{
	return x && strstr(x->detail, sub) != NULL;
}

static int is_speech(const struct ev *x)
{
	return x->e.kind == SEV_SPEECH || (x->e.kind == SEV_BREATH && x->len > 0);
}

static const struct ev *find(const struct run *r, size_t from, enum sev_kind k, const char *detail)
{
	for (size_t i = from; i < r->n; i++)
		if (r->ev[i].e.kind == k && (!detail || says(&r->ev[i], detail)))
			return &r->ev[i];
	return NULL;
}

/* The start chime of the hold of the step called name. */
static const struct ev *hold_start_of(const struct run *r, const char *name)
{
	const struct ev *st = find(r, 0, SEV_STEP, name);

	assert_non_null(st);
	return find(r, (size_t)(st - r->ev), SEV_HOLD_START, NULL);
}

static void check_holds_exact(const struct run *r)
{
	const struct routine *rt = r->eng.routine;
	size_t pairs = 0;

	for (size_t i = 0; i < r->n; i++) {
		const struct ev *st = &r->ev[i], *en, *c0, *c1;
		int64_t hold_ms;

		if (st->e.kind != SEV_HOLD_START)
			continue;
		hold_ms = rt->steps[st->e.step - 1].hold_ms;
		en = find(r, i, SEV_HOLD_END, NULL);
		assert_non_null(en);
		assert_int_equal(en->e.step, st->e.step);
		assert_int_equal(en->e.at - st->e.at, MS(hold_ms));
		c0 = find(r, i, SEV_CHIME, PLAN_CHIME_START);
		c1 = find(r, i, SEV_CHIME, PLAN_CHIME_END);
		assert_int_equal(c0->e.at, st->e.at);
		assert_int_equal(c1->e.at, en->e.at);
		pairs++;
	}
	assert_true(pairs > 0);
}

/* No speech sounds across a chime's start, nor starts while a chime's attack rings. */
static void check_no_speech_on_chimes(const struct run *r)
{
	for (size_t c = 0; c < r->n; c++) {
		const struct ev *ch = &r->ev[c];
		uint64_t guard;

		if (ch->e.kind != SEV_CHIME)
			continue;
		guard = strstr(ch->detail, "tick") ? MS(SESSION_TICK_GUARD_MS)
						   : MS(SESSION_CHIME_GUARD_MS);
		for (size_t i = 0; i < r->n; i++) {
			const struct ev *sp = &r->ev[i];

			if (!is_speech(sp))
				continue;
			if (sp->e.at < ch->e.at && sp->e.at + sp->len > ch->e.at) {
				fprintf(stderr, "speech '%s' at %llu over chime %s at %llu\n", sp->detail,
					(unsigned long long)sp->e.at, ch->detail,
					(unsigned long long)ch->e.at);
				fail();
			}
			if (sp->e.at >= ch->e.at && sp->e.at < ch->e.at + guard) {
				fprintf(stderr, "speech '%s' starts %llu frames after chime %s\n",
					sp->detail, (unsigned long long)(sp->e.at - ch->e.at),
					ch->detail);
				fail();
			}
		}
	}
}

static void test_hold_end_chime_is_exact(void **state)
{
	struct run r;

	(void)state;
	run_session(&r, "tests/data/short.yaml", 0);
	check_holds_exact(&r);
	/* 2 sides + 3 reps + the breathing hold + the long hold. */
	size_t starts = 0;
	for (size_t i = 0; i < r.n; i++)
		starts += r.ev[i].e.kind == SEV_HOLD_START;
	assert_int_equal(starts, 7);
	run_done(&r);
}

static void test_speech_never_delays_a_chime(void **state)
{
	struct run r;

	(void)state;
	/* Every phrase takes 20 s: holds stay exact and nothing is said over a chime. */
	run_session(&r, "tests/data/short.yaml", 20000);
	check_holds_exact(&r);
	check_no_speech_on_chimes(&r);
	run_done(&r);
}

static void test_cues_never_on_a_chime(void **state)
{
	struct run r;

	(void)state;
	run_session(&r, "tests/data/short.yaml", 0);
	check_no_speech_on_chimes(&r);
	run_done(&r);
}

static void test_events_come_in_time_order(void **state)
{
	struct run r;

	(void)state;
	run_session(&r, "tests/data/short.yaml", 0);
	for (size_t i = 1; i < r.n; i++)
		assert_true(r.ev[i].e.at >= r.ev[i - 1].e.at);
	assert_int_equal(r.ev[r.n - 1].e.kind, SEV_END);
	run_done(&r);
}

static void test_sides_switch_with_chime_and_words(void **state)
{
	struct run r;
	const struct ev *h1, *sw, *words, *h2;

	(void)state;
	run_session(&r, "tests/data/short.yaml", 0);
	h1 = find(&r, 0, SEV_HOLD_START, NULL);
	assert_int_equal(h1->e.side, SIDE_RIGHT);
	sw = find(&r, (size_t)(h1 - r.ev), SEV_CHIME, PLAN_CHIME_SWITCH);
	assert_non_null(sw);
	words = find(&r, (size_t)(sw - r.ev), SEV_SPEECH, "Switch sides");
	assert_non_null(words);
	assert_true(says(words, "left side"));
	assert_int_equal(words->e.at, sw->e.at + MS(SESSION_CHIME_GUARD_MS));
	h2 = find(&r, (size_t)(sw - r.ev), SEV_HOLD_START, NULL);
	assert_int_equal(h2->e.side, SIDE_LEFT);
	/* After the words: the gap, then exactly the setup time. */
	assert_int_equal(h2->e.at, words->e.at + words->len + MS(SESSION_SAY_GAP_MS) + MS(3000));
	run_done(&r);
}

static void test_reps_each_have_a_hold_pair_and_exact_rest(void **state)
{
	struct run r;
	uint64_t last_end = 0;
	int reps = 0;

	(void)state;
	run_session(&r, "tests/data/short.yaml", 0);
	for (size_t i = 0; i < r.n; i++) {
		const struct ev *x = &r.ev[i];

		if (x->e.step != 2)
			continue;
		if (x->e.kind == SEV_REP) {
			char want[16];

			snprintf(want, sizeof(want), "%d/3", ++reps);
			assert_string_equal(x->detail, want);
		}
		if (x->e.kind == SEV_HOLD_START && last_end)
			assert_int_equal(x->e.at - last_end, MS(2000));
		if (x->e.kind == SEV_HOLD_END)
			last_end = x->e.at;
	}
	assert_int_equal(reps, 3);
	assert_non_null(find(&r, 0, SEV_SPEECH, "Last one"));
	run_done(&r);
}

static void test_flow_phases_are_paced_with_no_hold(void **state)
{
	struct run r;
	uint64_t first = 0;
	int breaths = 0, cues = 0;

	(void)state;
	run_session(&r, "tests/data/short.yaml", 0);
	for (size_t i = 0; i < r.n; i++) {
		const struct ev *x = &r.ev[i];

		if (x->e.step != 3)
			continue;
		assert_true(x->e.kind != SEV_HOLD_START && x->e.kind != SEV_HOLD_END);
		if (x->e.kind == SEV_BREATH) {
			if (!breaths)
				first = x->e.at;
			/* Phases are 3 s each, in, out, in, out. */
			assert_int_equal(x->e.at - first, MS(3000) * (uint64_t)breaths);
			assert_string_equal(x->detail, breaths % 2 ? "out" : "in");
			breaths++;
		}
		if (x->e.kind == SEV_SPEECH && (!strcmp(x->detail, "Cow") || !strcmp(x->detail, "Cat") ||
						!strcmp(x->detail, "Last one. Cow")))
			cues++;
		/* The last rep of a flow says so, as the last rep of a hold does. */
		if (x->e.kind == SEV_REP && !strcmp(x->detail, "2/2"))
			assert_non_null(find(&r, i, SEV_SPEECH, "Last one. Cow"));
		if (x->e.kind == SEV_SPEECH)
			assert_true(x->len <= MS(3000));
	}
	assert_int_equal(breaths, 4);
	assert_int_equal(cues, 2);  /* the second (and last) rep speaks the short cues */
	run_done(&r);
}

static void test_breath_words_start_on_their_beats(void **state)
{
	struct run r;
	const struct ev *hs = NULL;
	int words = 0;

	(void)state;
	/* Long fake words (20 s) must be cut to their beat, never pushing the next. */
	run_session(&r, "tests/data/short.yaml", 20000);
	for (size_t i = 0; i < r.n; i++) {
		const struct ev *x = &r.ev[i];

		if (x->e.step != 4)
			continue;
		if (x->e.kind == SEV_HOLD_START)
			hs = x;
		if (x->e.kind == SEV_BREATH) {
			assert_non_null(hs);
			assert_int_equal(x->e.at, hs->e.at + MS(1000) * (uint64_t)(words + 1));
			assert_true(x->len <= MS(1000 - SESSION_CUT_GAP_MS));
			words++;
		}
	}
	/* Box: 16 beats a cycle; a 40 s hold fits two whole cycles after a one-beat lead. */
	assert_int_equal(words, 32);
	run_done(&r);
}

static int count_breaths(const struct run *r, int step, uint64_t *first, uint64_t *last)
{
	int n = 0;

	for (size_t i = 0; i < r->n; i++) {
		if (r->ev[i].e.step != step || r->ev[i].e.kind != SEV_BREATH)
			continue;
		if (!n++)
			*first = r->ev[i].e.at;
		*last = r->ev[i].e.at;
	}
	return n;
}

static void test_calm_counts_the_first_breaths_then_is_quiet_until_the_last(void **state)
{
	struct run r;
	uint64_t first = 0, last = 0, hs = 0;

	(void)state;
	run_session(&r, "tests/data/counting.yaml", 0);
	for (size_t i = 0; i < r.n; i++)
		if (r.ev[i].e.step == 1 && r.ev[i].e.kind == SEV_HOLD_START)
			hs = r.ev[i].e.at;
	/*
	 * Ten 10-beat breaths: the first three and the last counted in full, six quiet; with
	 * cues on, 60 s of quiet is broken once, by "In" on the middle quiet breath's first
	 * beat (SESSION_QUIET_MAX_MS).
	 */
	assert_int_equal(count_breaths(&r, 1, &first, &last), 41);
	assert_int_equal(first, hs + MS(1000));
	assert_int_equal(last, hs + MS(1000) + MS(99000));   /* the last beat, still on it */
	for (size_t i = 0; i < r.n; i++) {
		const struct ev *x = &r.ev[i];

		if (x->e.step == 1 && x->e.kind == SEV_BREATH && x->e.at == hs + MS(61000))
			assert_string_equal(x->detail, "In");
		else if (x->e.step == 1 && x->e.kind == SEV_BREATH)
			assert_true(x->e.at < hs + MS(31000) || x->e.at >= hs + MS(91000));
		/* The quiet is announced, on the first quiet breath's beat, and ends with it. */
		if (x->e.step == 1 && x->e.kind == SEV_SPEECH && x->e.at > hs &&
		    x->e.at < hs + MS(101000)) {
			assert_string_equal(x->detail, "Go on at this pace, on your own.");
			assert_int_equal(x->e.at, hs + MS(31000));
			assert_true(x->e.at + x->len <= hs + MS(41000));
		}
	}
	run_done(&r);
}

static void test_phases_say_only_in_and_out_on_their_beats(void **state)
{
	struct run r;
	uint64_t first = 0, last = 0;
	int in = 0;

	(void)state;
	run_session(&r, "tests/data/counting.yaml", 0);
	assert_int_equal(count_breaths(&r, 2, &first, &last), 12);   /* six breaths, two words */
	for (size_t i = 0; i < r.n; i++) {
		const struct ev *x = &r.ev[i];

		if (x->e.step != 2 || x->e.kind != SEV_BREATH)
			continue;
		assert_string_equal(x->detail, in % 2 ? "Out" : "In");
		assert_int_equal(x->e.at - first, MS(in % 2 ? 4000 : 0) + MS(10000) * (uint64_t)(in / 2));
		in++;
	}
	/* A step's count overrides its pattern's: two calm breaths, every beat. */
	assert_int_equal(count_breaths(&r, 3, &first, &last), 20);
	run_done(&r);
}

static void test_long_hold_gets_sparse_cues(void **state)
{
	struct run r;
	const struct ev *hs, *x;

	(void)state;
	run_session(&r, "tests/data/short.yaml", 0);
	hs = hold_start_of(&r, "Long hold");
	x = find(&r, (size_t)(hs - r.ev), SEV_SPEECH, "Halfway");
	assert_int_equal(x->e.at - hs->e.at, MS(22500));
	x = find(&r, (size_t)(hs - r.ev), SEV_SPEECH, "Ten seconds left");
	assert_int_equal(x->e.at - hs->e.at, MS(35000));
	x = find(&r, (size_t)(hs - r.ev), SEV_SPEECH, "three");
	assert_int_equal(x->e.at - hs->e.at, MS(42000));
	x = find(&r, (size_t)(hs - r.ev), SEV_SPEECH, "one");
	assert_int_equal(x->e.at - hs->e.at, MS(44000));
	assert_true(x->e.at + x->len <= hs->e.at + MS(45000) - MS(SESSION_CUT_GAP_MS));
	run_done(&r);
}

static void test_a_hold_says_its_length_at_its_start(void **state)
{
	struct run r;
	const struct ev *hs, *x;

	(void)state;
	run_session(&r, "tests/data/short.yaml", 0);
	hs = hold_start_of(&r, "Long hold");
	x = find(&r, (size_t)(hs - r.ev), SEV_SPEECH, NULL);
	assert_string_equal(x->detail, "Hold for 45 seconds.");
	assert_int_equal(x->e.at - hs->e.at, MS(SESSION_CHIME_GUARD_MS));
	run_done(&r);
}

/* The speech inside step name's hold: how many, and the longest quiet from its start chime. */
static int hold_speech(const struct run *r, const char *name, const char *only, uint64_t *quiet)
{
	const struct ev *hs = hold_start_of(r, name);
	uint64_t from = hs->e.at;
	int n = 0;

	*quiet = 0;
	for (size_t j = (size_t)(hs - r->ev) + 1; j < r->n && r->ev[j].e.kind != SEV_HOLD_END; j++) {
		const struct ev *x = &r->ev[j];

		if (!is_speech(x))
			continue;
		if (only)
			assert_string_equal(x->detail, only);
		if (x->e.at - from > *quiet)
			*quiet = x->e.at - from;
		from = x->e.at + x->len;
		n++;
	}
	return n;
}

/* Each cue has its own key: the length, the reminders, and the three counted ones. */
static void test_each_cue_turns_off_alone(void **state)
{
	struct run r;
	const struct ev *hs;
	uint64_t quiet;

	(void)state;
	run_session(&r, "tests/data/cues.yaml", 0);
	hs = hold_start_of(&r, "No length");
	assert_string_not_equal(find(&r, (size_t)(hs - r.ev), SEV_SPEECH, NULL)->detail,
				"Hold for 30 seconds.");
	assert_non_null(find(&r, (size_t)(hs - r.ev), SEV_SPEECH, "Ten seconds left"));
	assert_int_equal(hold_speech(&r, "Nothing", NULL, &quiet), 0);   /* asked for: silence */
	assert_true(hold_speech(&r, "Only reminders", "Keep breathing.", &quiet) >= 2);
	assert_true(quiet <= MS(SESSION_QUIET_MAX_MS));
	run_done(&r);
}

/*
 * The longest quiet inside each hold, from the start chime, between what is
 * said, to the end chime, in every routine of the library with its own cues
 * (speech at 60 ms a character, about eSpeak's pace at the calm voice's rate).
 * With cues on, none is over the limit, counted breaths or not, and every hold
 * of 10 s or more without counted breaths says its length first.
 */
static void test_no_hold_in_the_library_is_quiet_for_long(void **state)
{
	struct library lib;
	struct library_entry *ents;
	size_t n, holds = 0;
	uint64_t worst = 0;

	(void)state;
	testutil_library(&lib);
	assert_int_equal(library_list(&lib, &ents, &n), 0);
	for (size_t k = 0; k < n; k++) {
		struct run r;

		run_session(&r, ents[k].path, 0);
		for (size_t i = 0; i < r.n; i++) {
			const struct routine_step *st;
			const struct ev *hs = &r.ev[i], *first = NULL;
			uint64_t quiet_from, gap;

			if (hs->e.kind != SEV_HOLD_START)
				continue;
			st = &r.eng.routine->steps[hs->e.step - 1];
			if (!st->cues.breathe)
				continue;
			quiet_from = hs->e.at;
			for (size_t j = i + 1; j < r.n && r.ev[j].e.kind != SEV_HOLD_END; j++) {
				const struct ev *x = &r.ev[j];

				if (!is_speech(x))
					continue;
				if (!first)
					first = x;
				gap = x->e.at > quiet_from ? x->e.at - quiet_from : 0;
				if (gap > worst)
					worst = gap;
				if (gap > MS(SESSION_QUIET_MAX_MS))
					fprintf(stderr, "%s: step %d: %.1f s quiet before '%s'\n", ents[k].name,
						hs->e.step, (double)gap / RATE, x->detail);
				assert_true(gap <= MS(SESSION_QUIET_MAX_MS));
				if (x->e.at + x->len > quiet_from)
					quiet_from = x->e.at + x->len;
			}
			gap = hs->e.at + MS(st->hold_ms) - quiet_from;
			if (gap > worst)
				worst = gap;
			assert_true(gap <= MS(SESSION_QUIET_MAX_MS));
			/* A rep hold: its "k/n" row comes just before it; the length is said at 1/n. */
			if (st->cues.length && st->hold_ms >= 10000 && !st->breathe &&
			    (st->reps == 1 || (r.ev[i - 1].e.kind == SEV_REP &&
					       !strncmp(r.ev[i - 1].detail, "1/", 2)))) {
				assert_non_null(first);
				if (strncmp(first->detail, "Hold for ", 9) != 0)
					fprintf(stderr, "%s: step %d: the hold begins with '%s'\n",
						ents[k].name, hs->e.step, first->detail);
				assert_int_equal(strncmp(first->detail, "Hold for ", 9), 0);
			}
			holds++;
		}
		run_done(&r);
	}
	fprintf(stderr, "%zu holds; the longest quiet in any of them %.1f s\n", holds,
		(double)worst / RATE);
	assert_true(holds > 100);
	library_entries_free(ents, n);
	library_done(&lib);
}

/*
 * A bedtime routine (the breathing routines: in bed, to fall asleep) ends softly:
 * no chime once its last step, the quiet rest, has begun, and the last words are
 * the evening's short ones.
 */
static void test_a_bedtime_routine_ends_without_a_chime(void **state)
{
	static const char *const bedtime[] = { "breathing/478", "breathing/box", "breathing/calm" };

	(void)state;
	for (size_t k = 0; k < UTIL_ARRAY_LEN(bedtime); k++) {
		struct run r;
		size_t last_step = 0, last_speech = 0;

		run_session(&r, bedtime[k], 0);
		for (size_t i = 0; i < r.n; i++) {
			if (r.ev[i].e.kind == SEV_STEP)
				last_step = i;
			if (r.ev[i].e.kind == SEV_SPEECH)
				last_speech = i;
		}
		for (size_t i = last_step; i < r.n; i++) {
			if (r.ev[i].e.kind == SEV_CHIME)
				fprintf(stderr, "%s: a chime in its last step, '%s'\n", bedtime[k],
					r.ev[i].detail);
			assert_int_not_equal(r.ev[i].e.kind, SEV_CHIME);
		}
		assert_string_equal(r.ev[last_speech].detail,
				    voice_phrase(r.eng.voice, PH_END_EVENING));
		run_done(&r);
	}
}

static void test_seek_restarts_a_step_at_the_given_frame(void **state)
{
	struct run r;
	struct session_ops ops;
	struct session *s;
	struct session_event e;
	char err[LIMBER_ERR_LEN];

	(void)state;
	run_session(&r, "tests/data/short.yaml", 0);
	ops = (struct session_ops){ &r, fake_speak, fake_chime, NULL };
	s = session_new(&r.eng.plan, RATE, &ops);
	assert_int_equal(session_next(s, &e, err), 1);
	session_seek(s, 3, 1000000);
	assert_int_equal(session_next(s, &e, err), 1);
	assert_int_equal(e.kind, SEV_STEP);
	assert_int_equal(e.step, 3);
	assert_int_equal(e.at, 1000000);
	session_seek(s, 99, 2000000);   /* past the last step: the closing words */
	assert_int_equal(session_next(s, &e, err), 1);
	assert_int_equal(e.kind, SEV_SPEECH);
	assert_int_equal(e.step, 0);
	assert_int_equal(e.at, 2000000);
	session_free(s);
	run_done(&r);
}

static void test_estimate_matches_a_session_with_estimated_speech(void **state)
{
	struct run r;
	int64_t total, steps[8];
	char err[LIMBER_ERR_LEN];

	(void)state;
	run_session(&r, "tests/data/tiny.yaml", 0);
	assert_int_equal(engine_estimate(&r.eng, &total, steps, err), 0);
	/* Opening words, then step 1 (words, gap, 2 s setup, 12 s hold), release, end. */
	assert_true(total > 14000 && total < 40000);
	assert_true(steps[1] > 0 && steps[1] < total);
	run_done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hold_end_chime_is_exact),
		cmocka_unit_test(test_speech_never_delays_a_chime),
		cmocka_unit_test(test_cues_never_on_a_chime),
		cmocka_unit_test(test_events_come_in_time_order),
		cmocka_unit_test(test_sides_switch_with_chime_and_words),
		cmocka_unit_test(test_reps_each_have_a_hold_pair_and_exact_rest),
		cmocka_unit_test(test_flow_phases_are_paced_with_no_hold),
		cmocka_unit_test(test_breath_words_start_on_their_beats),
		cmocka_unit_test(test_calm_counts_the_first_breaths_then_is_quiet_until_the_last),
		cmocka_unit_test(test_phases_say_only_in_and_out_on_their_beats),
		cmocka_unit_test(test_long_hold_gets_sparse_cues),
		cmocka_unit_test(test_each_cue_turns_off_alone),
		cmocka_unit_test(test_a_hold_says_its_length_at_its_start),
		cmocka_unit_test(test_no_hold_in_the_library_is_quiet_for_long),
		cmocka_unit_test(test_a_bedtime_routine_ends_without_a_chime),
		cmocka_unit_test(test_seek_restarts_a_step_at_the_given_frame),
		cmocka_unit_test(test_estimate_matches_a_session_with_estimated_speech),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * voice: load voice profiles, phrase tables and breathing patterns.
 *
 * Every phrase key must be present: a phrase table that lacks one would
 * leave a silent gap in a session, and that is found here, at load time,
 * with the file and line, not in the middle of a routine.
 */
#include "voice.h"

#include "util.h"
#include "yml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const phrase_keys[PH_COUNT] = {
	"start",    "step",    "right",  "left", "side",   "switch",  "release",
	"halfway",  "ten_left", "in",    "hold", "out",    "last_rep", "end",
	"second",   "seconds", "minute", "minutes", "and",
	"paused",   "resuming", "extended", "where", "time_left", "keys", "stopping",
	"safety", "safety_menu", "where_first", "where_next", "place_lower_back",
	"place_upper_back", "place_sciatic", "place_hip", "place_neck", "guided", "by_name",
	"morning_offer", "morning_caution",
	"stop_now", "menu", "no_routines", "pain_ask", "pain_noted", "ready", "resume",
	"equipment", "right_word", "left_word", "own_pace", "hold_for", "breathe_on",
	"where_first_keys", "where_next_keys", "guided_keys", "by_name_keys",
	"end_evening", "chimes", "menu_keys", "safety_menu_keys",
};

static int voice_copy(const struct yml_doc *doc, const struct yml_node *n, const char *what,
		      char *dst, size_t len, char *err)
{
	const char *s;

	if (yml_text(doc, n, what, &s, err) < 0)
		return -1;
	if (strlen(s) >= len)
		return yml_error(doc, n, err, "%s is too long", what);
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

static int voice_int(const struct yml_doc *doc, const struct yml_node *map, const char *key,
		     long min, long max, int *out, char *err)
{
	const struct yml_node *n = yml_map_get(map, key);
	long v;

	if (!n)
		return 0;
	if (yml_int(doc, n, key, min, max, &v, err) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

static int voice_phrases(struct voice *v, const char *path, char *err)
{
	struct yml_doc doc;
	const struct yml_node *root, *counts;
	const char *keys[PH_COUNT + 2];
	int rc = -1;

	if (yml_load_file(&doc, path, err) < 0)
		return -1;
	root = doc.root;
	for (size_t i = 0; i < PH_COUNT; i++)
		keys[i] = phrase_keys[i];
	keys[PH_COUNT] = "counts";
	keys[PH_COUNT + 1] = NULL;
	if (yml_expect(&doc, root, YML_MAP, "a phrase table", err) < 0 ||
	    yml_check_keys(&doc, root, "a phrase table", keys, err) < 0)
		goto out;
	for (size_t i = 0; i < PH_COUNT; i++) {
		const struct yml_node *n = yml_map_get(root, phrase_keys[i]);
		const char *s;

		if (!n) {
			yml_error(&doc, root, err, "phrase table has no '%s'", phrase_keys[i]);
			goto out;
		}
		if (yml_text(&doc, n, phrase_keys[i], &s, err) < 0)
			goto out;
		v->phrases[i] = util_xstrdup(s);
		util_squeeze_space(v->phrases[i]);
	}
	counts = yml_map_get(root, "counts");
	if (!counts) {
		yml_error(&doc, root, err, "phrase table has no 'counts' (one, two, three...)");
		goto out;
	}
	if (yml_expect(&doc, counts, YML_SEQ, "counts", err) < 0)
		goto out;
	if (counts->n < 10) {
		yml_error(&doc, counts, err, "counts must list at least the words for 1 to 10");
		goto out;
	}
	v->counts = util_xcalloc(counts->n, sizeof(*v->counts));
	for (size_t i = 0; i < counts->n; i++) {
		const char *s;

		if (yml_text(&doc, counts->kids[i], "a count word", &s, err) < 0)
			goto out;
		v->counts[v->ncounts++] = util_xstrdup(s);
	}
	rc = 0;
out:
	yml_doc_done(&doc);
	return rc;
}

int voice_language(const char *path, char *lang, size_t len, char *err)
{
	struct yml_doc doc;
	const struct yml_node *n;
	int rc = 0;

	if (yml_load_file(&doc, path, err) < 0)
		return -1;
	if (yml_expect(&doc, doc.root, YML_MAP, "a voice profile", err) < 0)
		rc = -1;
	else if (!(n = yml_map_get(doc.root, "language")))
		snprintf(lang, len, "en");
	else
		rc = voice_copy(&doc, n, "language", lang, len, err);
	yml_doc_done(&doc);
	return rc;
}

int voice_load(const char *path, const char *phrases_path, struct voice **out, char *err)
{
	static const char *const keys[] = { "name",   "espeak", "variant",  "language", "rate",
					    "pitch",  "range",  "volume",   "word_gap", "gain_db",
					    "about",  NULL };
	struct yml_doc doc;
	const struct yml_node *root, *n;
	struct voice *v = util_xcalloc(1, sizeof(*v));
	long gain_db = 0;

	*out = NULL;
	if (yml_load_file(&doc, path, err) < 0) {
		free(v);
		return -1;
	}
	root = doc.root;
	snprintf(v->language, sizeof(v->language), "en");
	v->rate = 150;
	v->pitch = 50;
	v->range = 50;
	v->volume = 100;
	v->word_gap = 0;
	if (yml_expect(&doc, root, YML_MAP, "a voice profile", err) < 0 ||
	    yml_check_keys(&doc, root, "a voice profile", keys, err) < 0)
		goto fail;
	if (!(n = yml_map_get(root, "name"))) {
		yml_error(&doc, root, err, "voice profile needs a 'name'");
		goto fail;
	}
	if (voice_copy(&doc, n, "name", v->name, sizeof(v->name), err) < 0)
		goto fail;
	if (!(n = yml_map_get(root, "espeak"))) {
		yml_error(&doc, root, err, "voice profile needs 'espeak' (an eSpeak NG voice, "
					   "e.g. en-us)");
		goto fail;
	}
	if (voice_copy(&doc, n, "espeak", v->espeak, sizeof(v->espeak), err) < 0)
		goto fail;
	if ((n = yml_map_get(root, "variant")) &&
	    voice_copy(&doc, n, "variant", v->variant, sizeof(v->variant), err) < 0)
		goto fail;
	if ((n = yml_map_get(root, "language")) &&
	    voice_copy(&doc, n, "language", v->language, sizeof(v->language), err) < 0)
		goto fail;
	if (voice_int(&doc, root, "rate", 80, 450, &v->rate, err) < 0 ||
	    voice_int(&doc, root, "pitch", 0, 100, &v->pitch, err) < 0 ||
	    voice_int(&doc, root, "range", 0, 100, &v->range, err) < 0 ||
	    voice_int(&doc, root, "volume", 0, 200, &v->volume, err) < 0 ||
	    voice_int(&doc, root, "word_gap", 0, 100, &v->word_gap, err) < 0)
		goto fail;
	if ((n = yml_map_get(root, "gain_db")) &&
	    yml_int(&doc, n, "gain_db", -40, 12, &gain_db, err) < 0)
		goto fail;
	v->gain = pow(10.0, (double)gain_db / 20.0);
	yml_doc_done(&doc);
	if (voice_phrases(v, phrases_path, err) < 0) {
		voice_free(v);
		return -1;
	}
	*out = v;
	return 0;
fail:
	yml_doc_done(&doc);
	voice_free(v);
	return -1;
}

void voice_free(struct voice *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < PH_COUNT; i++)
		free(v->phrases[i]);
	for (size_t i = 0; i < v->ncounts; i++)
		free(v->counts[i]);
	free(v->counts);
	free(v);
}

const char *voice_phrase(const struct voice *v, enum phrase p)
{
	return v->phrases[p];
}

void voice_count(const struct voice *v, int n, char *buf, size_t len)
{
	if (n >= 1 && (size_t)n <= v->ncounts)
		snprintf(buf, len, "%s", v->counts[n - 1]);
	else
		snprintf(buf, len, "%d", n);
}

/* Replace "{n}" in a phrase with a number. */
static void voice_fill_n(const char *tmpl, long n, struct sbuf *b)
{
	const char *p = strstr(tmpl, "{n}");

	if (!p) {
		sbuf_add(b, tmpl);
		return;
	}
	sbuf_addn(b, tmpl, (size_t)(p - tmpl));
	sbuf_printf(b, "%ld", n);
	sbuf_add(b, p + 3);
}

void voice_duration(const struct voice *v, int64_t ms, char *buf, size_t len)
{
	long s = (long)((ms + 500) / 1000), m = s / 60;
	struct sbuf b;

	s %= 60;
	sbuf_init(&b);
	if (m)
		voice_fill_n(voice_phrase(v, m == 1 ? PH_MINUTE : PH_MINUTES), m, &b);
	if (m && s)
		sbuf_printf(&b, " %s ", voice_phrase(v, PH_AND));
	if (s || !m)
		voice_fill_n(voice_phrase(v, s == 1 ? PH_SECOND : PH_SECONDS), s, &b);
	snprintf(buf, len, "%s", b.s);
	sbuf_done(&b);
}

int breath_patterns_load(const char *path, struct breath_pattern **out, size_t *n, char *err)
{
	struct yml_doc doc;
	struct breath_pattern *p = NULL;
	size_t count = 0;

	*out = NULL;
	*n = 0;
	if (yml_load_file(&doc, path, err) < 0)
		return -1;
	if (yml_expect(&doc, doc.root, YML_MAP, "the breathing patterns", err) < 0)
		goto fail;
	p = util_xcalloc(doc.root->n, sizeof(*p));
	for (size_t i = 0; i < doc.root->n; i++) {
		const struct yml_node *k = yml_map_key(doc.root, i);

		if (strlen(k->str) >= sizeof(p->name) || !k->str[0]) {
			yml_error(&doc, k, err, "pattern name '%s' is empty or too long", k->str);
			goto fail;
		}
		if (routine_pattern_parse(&doc, yml_map_value(doc.root, i), &p[count], err) < 0)
			goto fail;
		snprintf(p[count].name, sizeof(p[count].name), "%s", k->str);
		count++;
	}
	yml_doc_done(&doc);
	*out = p;
	*n = count;
	return 0;
fail:
	yml_doc_done(&doc);
	free(p);
	return -1;
}

/*
 * measure_render: check a rendered session against its timeline by
 * listening to the audio itself.
 *
 *   measure_render SESSION.wav EVENTS.tsv SOUNDS_DIR [HOLDS]
 *
 * For every chime row, a matched filter (normalised cross-correlation with
 * the first 50 ms of the sample, searched 10 ms either side) must peak on
 * exactly the row's sample.
 * Every hold's end chime, found in the audio, must start exactly `hold`
 * after its start chime (HOLDS: the expected holds in seconds, comma
 * separated, in order). Every speech and breath row must be audible.
 * Levels: nothing clips, and speech and chimes are within 4 dB of each
 * other; with EVENING=1 in the environment, each chime must instead
 * soften through the session, the last start chime at most 0.7 of the first.
 * A capture of live output starts at another moment than limber's stream:
 * ALIGN_MS=N finds the first chime within N ms and shifts every row by
 * that; TOLERANCE=N accepts chimes N samples off their rows.
 * KEYS=FILE (frames of key presses in the capture, one a line): find the
 * key.wav answer after each and print the latency.
 * Prints one line per failure and a closing "N passed, N failed".
 */
#include <math.h>
#include <samplerate.h>
#include <stdarg.h>
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEARCH_MS 10      /* look this far either side of the row */
#define TEMPLATE_MS 50    /* match the sample's first 50 ms: its attack */
#define MAX_ROWS 20000

struct row {
	int64_t at;
	char kind[16];
	char detail[256];
};

static float *audio;
static int64_t frames;
static int rate;
static int passed, failed;

static void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static float *load(const char *path, int64_t *n, int *r)
{
	SF_INFO info;
	SNDFILE *sf;
	float *buf, *mono;

	memset(&info, 0, sizeof(info));
	sf = sf_open(path, SFM_READ, &info);
	if (!sf) {
		fprintf(stderr, "%s: %s\n", path, sf_strerror(NULL));
		exit(2);
	}
	buf = malloc((size_t)info.frames * (size_t)info.channels * sizeof(float));
	mono = calloc((size_t)info.frames + 1, sizeof(float));
	sf_readf_float(sf, buf, info.frames);
	sf_close(sf);
	for (int64_t i = 0; i < info.frames; i++)
		mono[i] = buf[i * info.channels];
	free(buf);
	*n = info.frames;
	*r = info.samplerate;
	return mono;
}

/* The sample resampled to the session's rate, as the engine does. */
static float *to_rate(float *in, int64_t *n, int in_rate)
{
	SRC_DATA d;
	float *out;

	memset(&d, 0, sizeof(d));
	d.src_ratio = (double)rate / in_rate;
	d.input_frames = (long)*n;
	d.output_frames = (long)((double)*n * d.src_ratio) + 16;
	out = calloc((size_t)d.output_frames, sizeof(float));
	d.data_in = in;
	d.data_out = out;
	if (src_simple(&d, SRC_SINC_BEST_QUALITY, 1)) {
		fprintf(stderr, "resampling the template failed\n");
		exit(2);
	}
	free(in);
	*n = d.output_frames_gen;
	return out;
}

/* The lag within SEARCH_MS where tmpl best matches audio around at. */
static int64_t best_lag_within(const float *tmpl, int64_t tn, int64_t at, int64_t search,
				double *score)
{
	int64_t lag = 0, s0 = at - search;
	double te = 0, xe = 0, best = -2;

	if (s0 < 0)
		s0 = 0;
	*score = 0;
	if (s0 + tn + 2 * search > frames)
		return 0;  /* too near the end to match: reported as a failure */
	for (int64_t k = 0; k < tn; k++) {
		te += (double)tmpl[k] * tmpl[k];
		xe += (double)audio[s0 + k] * audio[s0 + k];
	}
	for (int64_t s = s0; s <= at + search; s++) {
		double xy = 0, c;

		if (s > s0) /* slide the window's energy along */
			xe += (double)audio[s + tn - 1] * audio[s + tn - 1] -
			      (double)audio[s - 1] * audio[s - 1];
		for (int64_t k = 0; k < tn; k++)
			xy += (double)audio[s + k] * tmpl[k];
		c = xe > 0 ? xy / sqrt(xe * te) : 0;
		if (c > best) {
			best = c;
			lag = s - at;
		}
	}
	*score = best;
	return lag;
}

static int64_t best_lag_within(const float *tmpl, int64_t tn, int64_t at, int64_t search,
				double *score);

static int64_t best_lag(const float *tmpl, int64_t tn, int64_t at, double *score)
{
	return best_lag_within(tmpl, tn, at, (int64_t)rate * SEARCH_MS / 1000, score);
}

/* Chime templates, loaded and brought to the session's rate once each. */
struct tmpl {
	char name[256];
	float *data;
	int64_t n;
};

static struct tmpl tmpls[16];

static float *to_rate(float *in, int64_t *n, int in_rate);

static const struct tmpl *template_for(const char *dir, const char *name)
{
	char path[1024];
	int trate;
	size_t i;

	for (i = 0; i < 16 && tmpls[i].data; i++)
		if (!strcmp(tmpls[i].name, name))
			return &tmpls[i];
	if (i == 16) {
		fprintf(stderr, "too many different chimes\n");
		exit(2);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmpls[i].name, sizeof(tmpls[i].name), "%s", name);
	tmpls[i].data = load(path, &tmpls[i].n, &trate);
	if (trate != rate)
		tmpls[i].data = to_rate(tmpls[i].data, &tmpls[i].n, trate);
	if (tmpls[i].n > (int64_t)rate * TEMPLATE_MS / 1000)
		tmpls[i].n = (int64_t)rate * TEMPLATE_MS / 1000;
	return &tmpls[i];
}

/* The loudest 20 ms within [from, from + n): how audible a word is. */
static double loudest(int64_t from, int64_t n);

static double rms(int64_t from, int64_t n)
{
	double s = 0;

	if (from + n > frames)
		n = frames - from;
	for (int64_t i = 0; i < n; i++)
		s += (double)audio[from + i] * audio[from + i];
	return n > 0 ? sqrt(s / (double)n) : 0;
}

static double loudest(int64_t from, int64_t n)
{
	int64_t w = rate / 50;
	double best = 0;

	for (int64_t i = from; i + w <= from + n; i += w / 2) {
		double l = rms(i, w);

		if (l > best)
			best = l;
	}
	return best;
}

int main(int argc, char **argv)
{
	static struct row rows[MAX_ROWS];
	int64_t hold_start_onset = -1, hold_start_row = -1;
	double holds[256];
	int nholds = 0, hold_i = 0, nrows = 0, nspeech = 0, nchime = 0;
	double speech_db = 0, chime_db = 0, first_chime = 0, last_chime = 0, peak = 0;
	double prev_level[3] = { 0, 0, 0 };  /* hold-start, hold-end, switch-sides */
	int evening = getenv("EVENING") && !strcmp(getenv("EVENING"), "1");
	int64_t tolerance = getenv("TOLERANCE") ? atoll(getenv("TOLERANCE")) : 0;
	int64_t max_err = 0, n_onsets = 0, last_err = 0, first_err = 0;
	int64_t align_ms = getenv("ALIGN_MS") ? atoll(getenv("ALIGN_MS")) : 0;
	FILE *onsets_f = getenv("ONSETS") ? fopen(getenv("ONSETS"), "w") : NULL;
	char line[1024];
	FILE *f;

	if (argc < 4) {
		fprintf(stderr, "usage: measure_render SESSION.wav EVENTS.tsv SOUNDS_DIR [HOLDS]\n");
		return 2;
	}
	if (argc > 4)
		for (char *p = strtok(argv[4], ","); p && nholds < 256; p = strtok(NULL, ","))
			holds[nholds++] = atof(p);
	audio = load(argv[1], &frames, &rate);
	f = fopen(argv[2], "r");
	if (!f || !fgets(line, sizeof(line), f) || strncmp(line, "start_s\tkind\tstep\tside\tdetail", 29)) {
		fprintf(stderr, "%s: not a timeline\n", argv[2]);
		return 2;
	}
	while (nrows < MAX_ROWS && fgets(line, sizeof(line), f)) {
		struct row *r = &rows[nrows];
		char *t = strtok(line, "\t\n"), *kind = strtok(NULL, "\t\n");

		strtok(NULL, "\t\n");
		strtok(NULL, "\t\n");
		char *detail = strtok(NULL, "\n");
		if (!t || !kind)
			continue;
		r->at = llround(atof(t) * rate);
		snprintf(r->kind, sizeof(r->kind), "%s", kind);
		snprintf(r->detail, sizeof(r->detail), "%s", detail ? detail : "");
		nrows++;
	}
	fclose(f);

	if (align_ms) {
		int64_t offset = 0;
		double score = 0;

		for (int i = 0; i < nrows; i++) {
			if (!strcmp(rows[i].kind, "chime")) {
				const struct tmpl *t = template_for(argv[3], rows[i].detail);

				offset = best_lag_within(t->data, t->n, rows[i].at + (int64_t)rate * align_ms / 1000,
							 (int64_t)rate * align_ms / 1000, &score) +
					 (int64_t)rate * align_ms / 1000;
				break;
			}
		}
		printf("aligned: the capture is %lld samples ahead of the timeline (match %.3f)\n",
		       (long long)offset, score);
		for (int i = 0; i < nrows; i++)
			rows[i].at += offset;
	}
	for (int i = 0; i < nrows; i++) {
		struct row *r = &rows[i];

		if (!strcmp(r->kind, "chime")) {
			const struct tmpl *t = template_for(argv[3], r->detail);
			double score;
			int64_t lag = best_lag(t->data, t->n, r->at, &score);

			if (onsets_f)   /* every chime, for a drift analysis over a session */
				fprintf(onsets_f, "%.6f\t%lld\t%.3f\t%s\n", (double)r->at / rate,
					(long long)lag, score, r->detail);
			if (!n_onsets++)
				first_err = lag;
			last_err = lag;
			if (llabs(lag) > max_err)
				max_err = llabs(lag);
			check(llabs(lag) <= tolerance && score > 0.9,
			      "chime found %+lld samples from its row (match %.3f): %s",
			      (long long)lag, score, r->detail);
			if (strcmp(r->detail, "tick.wav")) {
				double l = rms(r->at + lag, rate / 2);

				chime_db += 20 * log10(l);
				nchime++;
				int which = !strcmp(r->detail, "hold-start.wav") ? 0 :
					    !strcmp(r->detail, "hold-end.wav")	 ? 1 : 2;

				if (evening)
					check(l <= prev_level[which] * 1.02 || !prev_level[which],
					      "evening: %s got louder: %.4f after %.4f", r->detail, l,
					      prev_level[which]);
				prev_level[which] = l;
				if (which == 0 && !first_chime)
					first_chime = l;
				if (which == 0)
					last_chime = l;
			}
			if (!strcmp(r->detail, "hold-start.wav")) {
				hold_start_onset = r->at + lag;
				hold_start_row = r->at;
			} else if (!strcmp(r->detail, "hold-end.wav") && hold_start_onset >= 0) {
				int64_t heard = r->at + lag - hold_start_onset;

				check(llabs(heard - (r->at - hold_start_row)) <= tolerance,
				      "hold heard as %lld samples, timeline says %lld", (long long)heard,
				      (long long)(r->at - hold_start_row));
				if (hold_i < nholds)
					check(llabs(heard - llround(holds[hold_i] * rate)) <= tolerance,
					      "hold heard as %lld samples, routine says %.0f",
					      (long long)heard, holds[hold_i] * rate);
				hold_i++;
				hold_start_onset = -1;
			}
		} else if (!strcmp(r->kind, "speech") || !strcmp(r->kind, "breath")) {
			double level = loudest(r->at, rate * 4 / 10);

			/* Flow breath rows mark a phase; its speech row carries the sound. */
			if (!strcmp(r->kind, "breath") && (!strcmp(r->detail, "in") ||
							   !strcmp(r->detail, "out") ||
							   !strcmp(r->detail, "hold")))
				continue;
			check(level > 0.02, "speech too quiet: rms %.4f (floor %.2f): %s", level, 0.02,
			      r->detail);
			if (!strcmp(r->kind, "speech") && strlen(r->detail) > 20) {
				speech_db += 20 * log10(rms(r->at, rate / 2));
				nspeech++;
			}
		}
	}
	if (n_onsets)
		printf("onsets: %lld chimes, max error %lld samples (%.3f ms); first %+lld, last %+lld\n",
		       (long long)n_onsets, (long long)max_err, (double)max_err * 1000 / rate,
		       (long long)first_err, (long long)last_err);
	if (getenv("KEYS")) {
		const struct tmpl *t = template_for(argv[3], "key.wav");
		FILE *kf = fopen(getenv("KEYS"), "r");
		double lat[256];
		int nk = 0;
		long long kfr;

		while (kf && nk < 256 && fscanf(kf, "%lld", &kfr) == 1) {
			double score;
			int64_t half = rate / 4;
			int64_t lag = best_lag_within(t->data, t->n, kfr + half, half, &score);

			lat[nk++] = (double)(half + lag) * 1000 / rate;
			printf("key at frame %lld: answered after %.1f ms (match %.2f)\n", kfr, lat[nk - 1],
			       score);
		}
		if (kf)
			fclose(kf);
		if (nk) {
			double mx = 0, sorted[256];

			memcpy(sorted, lat, sizeof(double) * (size_t)nk);
			for (int i = 0; i < nk; i++)
				for (int j = i + 1; j < nk; j++)
					if (sorted[j] < sorted[i]) {
						double x = sorted[i];

						sorted[i] = sorted[j];
						sorted[j] = x;
					}
			mx = sorted[nk - 1];
			printf("key latency: median %.1f ms, max %.1f ms over %d presses\n",
			       sorted[nk / 2], mx, nk);
		}
	}
	for (int64_t i = 0; i < frames; i++)
		if (fabs(audio[i]) > peak)
			peak = fabs(audio[i]);
	check(peak < 32767.0 / 32768, "the mix clips: peak %.4f", peak);
	if (nspeech && nchime) {
		speech_db /= nspeech;
		chime_db /= nchime;
		printf("levels: speech %.1f dB, chimes %.1f dB (rms of their first half second), "
		       "peak %.1f dB\n", speech_db, chime_db, 20 * log10(peak));
		if (evening)
			check(last_chime < first_chime * 0.7,
			      "evening: last chime %.4f is not softer than the first %.4f", last_chime,
			      first_chime);
		else
			check(fabs(speech_db - chime_db) <= 4.0,
			      "speech %.1f dB and chimes %.1f dB are more than 4 dB apart", speech_db,
			      chime_db);
	}
	if (nholds)
		check(hold_i == nholds, "found %d holds, expected %d", hold_i, nholds);
	if (onsets_f)
		fclose(onsets_f);
	printf("measure_render: %d passed, %d failed\n", passed, failed);
	for (size_t i = 0; i < 16; i++)
		free(tmpls[i].data);
	free(audio);
	return failed ? 1 : 0;
}

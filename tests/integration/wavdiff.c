/*
 * wavdiff: is a capture of the live player the render, sample for sample?
 *
 *   wavdiff CAPTURE.wav REFERENCE.wav [GAPS]
 *
 * GAPS: the simulated device's faults log, lines "KIND FRAME LOST"; for each
 * xrun and stall, the capture frames [FRAME, FRAME + LOST) the device lost,
 * which must be silent. Every other frame of the capture must
 * equal the reference's frame of the same number, and whatever the capture
 * holds past the reference's end must be silent. The first channel of each
 * is compared as 16-bit samples. Prints the first differing ranges and a
 * closing "N passed, N failed".
 */
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WAVDIFF_CHUNK 65536
#define WAVDIFF_GAPS 4096

struct gap {
	int64_t from, to;
};

static struct gap gaps[WAVDIFF_GAPS];
static size_t ngaps;

static SNDFILE *open_wav(const char *path, SF_INFO *info)
{
	SNDFILE *sf;

	memset(info, 0, sizeof(*info));
	sf = sf_open(path, SFM_READ, info);
	if (!sf) {
		fprintf(stderr, "%s: %s\n", path, sf_strerror(NULL));
		exit(2);
	}
	return sf;
}

/* Up to n frames of the first channel into out; returns how many. */
static int64_t read_mono(SNDFILE *sf, int channels, short *tmp, short *out, int64_t n)
{
	sf_count_t got = sf_readf_short(sf, tmp, n);

	for (sf_count_t i = 0; i < got; i++)
		out[i] = tmp[i * channels];
	return got;
}

static int in_gap(int64_t f)
{
	for (size_t i = 0; i < ngaps; i++)
		if (f >= gaps[i].from && f < gaps[i].to)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	SF_INFO ci, ri;
	SNDFILE *cap, *ref;
	short *cbuf, *rbuf, *tmp;
	int64_t at = 0, in_gaps = 0, differ = 0, loud_gap = 0, loud_tail = 0, run_from = -1;
	int shown = 0, passed = 0, failed = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: wavdiff CAPTURE.wav REFERENCE.wav [GAPS]\n");
		return 2;
	}
	if (argc > 3) {
		FILE *f = fopen(argv[3], "r");
		char line[256];

		if (!f) {
			perror(argv[3]);
			return 2;
		}
		while (ngaps < WAVDIFF_GAPS && fgets(line, sizeof(line), f)) {
			char *kind = strtok(line, "\t\n"), *from = strtok(NULL, "\t\n"),
			     *lost = strtok(NULL, "\t\n");
			long long n = lost ? strtoll(lost, NULL, 10) : 0;

			if (from && n > 0 && (!strcmp(kind, "xrun") || !strcmp(kind, "stall"))) {
				gaps[ngaps].from = strtoll(from, NULL, 10);
				gaps[ngaps].to = gaps[ngaps].from + n;
				ngaps++;
			}
		}
		fclose(f);
	}
	cap = open_wav(argv[1], &ci);
	ref = open_wav(argv[2], &ri);
	cbuf = malloc(WAVDIFF_CHUNK * sizeof(short));
	rbuf = calloc(WAVDIFF_CHUNK, sizeof(short));
	tmp = malloc(WAVDIFF_CHUNK * sizeof(short) * (size_t)(ci.channels > ri.channels ? ci.channels
											 : ri.channels));
	for (;;) {
		int64_t n = read_mono(cap, ci.channels, tmp, cbuf, WAVDIFF_CHUNK), m;

		if (n <= 0)
			break;
		m = read_mono(ref, ri.channels, tmp, rbuf, n);
		for (int64_t i = 0; i < n; i++) {
			int64_t f = at + i;
			int bad;

			if (in_gap(f)) {
				in_gaps++;
				bad = cbuf[i] != 0;
				loud_gap += bad;
			} else if (i >= m) {
				bad = cbuf[i] != 0;
				loud_tail += bad;
			} else {
				bad = cbuf[i] != rbuf[i];
				differ += bad;
			}
			if (bad && run_from < 0)
				run_from = f;
			if (!bad && run_from >= 0) {
				if (shown++ < 10)
					printf("differ: frames %lld-%lld (%.3f-%.3f s)\n", (long long)run_from,
					       (long long)f, (double)run_from / ci.samplerate,
					       (double)f / ci.samplerate);
				run_from = -1;
			}
		}
		at += n;
	}
	if (run_from >= 0 && shown++ < 10)
		printf("differ: frames %lld-%lld\n", (long long)run_from, (long long)at);
	printf("wavdiff: %lld frames, %lld of them lost by the device (%zu gaps); %lld differ from "
	       "the reference, %lld not silent in a gap, %lld not silent past its end\n",
	       (long long)at, (long long)in_gaps, ngaps, (long long)differ, (long long)loud_gap,
	       (long long)loud_tail);
	if (differ || loud_gap || loud_tail)
		failed++;
	else
		passed++;
	if (at < ri.frames) {
		printf("FAIL the capture is %lld frames short of the reference\n",
		       (long long)(ri.frames - at));
		failed++;
	} else {
		passed++;
	}
	printf("wavdiff: %d passed, %d failed\n", passed, failed);
	sf_close(cap);
	sf_close(ref);
	free(cbuf);
	free(rbuf);
	free(tmp);
	return failed ? 1 : 0;
}

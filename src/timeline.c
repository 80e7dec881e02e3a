/*
 * timeline: write session events as TSV.
 */
#include "timeline.h"

#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct timeline {
	FILE *f;
	char *path;
	unsigned rate;
};

static int timeline_start(const char *path, unsigned rate, int append, struct timeline **out,
			  char *err)
{
	struct timeline *tl;
	FILE *f = fopen(path, append ? "a" : "w");

	*out = NULL;
	if (!f)
		return util_err(err, "%s: cannot write the timeline: %s", path, strerror(errno));
	tl = util_xcalloc(1, sizeof(*tl));
	tl->f = f;
	tl->path = util_xstrdup(path);
	tl->rate = rate;
	if (!append)
		fputs("start_s\tkind\tstep\tside\tdetail\n", f);
	*out = tl;
	return 0;
}

int timeline_open(const char *path, unsigned rate, struct timeline **out, char *err)
{
	return timeline_start(path, rate, 0, out, err);
}

int timeline_append(const char *path, unsigned rate, struct timeline **out, char *err)
{
	return timeline_start(path, rate, 1, out, err);
}

void timeline_row(struct timeline *tl, uint64_t at, const char *kind, int step,
		  enum routine_side side, const char *detail)
{
	if (!tl)
		return;
	/* Microseconds, rounded: enough to name each sample at 48 kHz. */
	uint64_t us = (at * 1000000 + tl->rate / 2) / tl->rate;

	fprintf(tl->f, "%" PRIu64 ".%06" PRIu64 "\t%s\t", us / 1000000, us % 1000000, kind);
	if (step)
		fprintf(tl->f, "%d\t", step);
	else
		fputs("-\t", tl->f);
	fprintf(tl->f, "%s\t", side == SIDE_NONE ? "-" : routine_side_name(side));
	for (const char *p = detail; *p; p++)
		fputc(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p, tl->f);
	fputc('\n', tl->f);
}

void timeline_write(struct timeline *tl, const struct session_event *ev)
{
	timeline_row(tl, ev->at, session_kind_name(ev->kind), ev->step, ev->side, ev->detail);
}

int timeline_close(struct timeline *tl, char *err)
{
	int rc = 0;

	if (!tl)
		return 0;
	if (ferror(tl->f) | fclose(tl->f))
		rc = util_err(err, "%s: writing the timeline failed", tl->path);
	free(tl->path);
	free(tl);
	return rc;
}

/*
 * timeline: the TSV record of a session, one row per event:
 * start_s, kind, step, side, detail. Times have six decimals, which names
 * each sample at 48 kHz exactly (round(start_s * 48000) is the frame).
 */
#ifndef LIMBER_TIMELINE_H
#define LIMBER_TIMELINE_H

#include "session.h"

#include <stdio.h>

struct timeline;

int timeline_open(const char *path, unsigned rate, struct timeline **out, char *err);
/* Go on writing an existing timeline (no header). */
int timeline_append(const char *path, unsigned rate, struct timeline **out, char *err);
void timeline_write(struct timeline *tl, const struct session_event *ev);
/* Write a row with a time given in frames, for events the session does not make. */
void timeline_row(struct timeline *tl, uint64_t at, const char *kind, int step,
		  enum routine_side side, const char *detail);
int timeline_close(struct timeline *tl, char *err);

#endif

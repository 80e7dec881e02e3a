/*
 * duration: the routine format's durations ("90", "90s", "2m", "1m30s",
 * "1.5s", "1h") as whole milliseconds, and back to "m:ss" for printing.
 */
#ifndef LIMBER_DURATION_H
#define LIMBER_DURATION_H

#include <stddef.h>
#include <stdint.h>

/* Parse s into *ms. Returns 0, or -1 with a message (no position) in err. */
int duration_parse(const char *s, int64_t *ms, char *err);

/* "1:05", "12:30", "1:02:03" for ms, rounded to the second. */
void duration_format(int64_t ms, char *buf, size_t len);

#endif

/*
 * pstatus: the player's status lines, written and read in one place.
 */
#include "pstatus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PSTATUS_PREFIX "limber: "

void pstatus_format(const struct pstatus *st, char *buf, size_t len)
{
	buf[0] = '\0';
	switch (st->kind) {
	case PSTATUS_STEP:
		snprintf(buf, len, PSTATUS_PREFIX "step %d of %d: %s\n", st->step, st->steps, st->name);
		break;
	case PSTATUS_HOLD:
		snprintf(buf, len, PSTATUS_PREFIX "hold %lld ms\n", (long long)st->hold_ms);
		break;
	case PSTATUS_HOLD_OVER:
		snprintf(buf, len, PSTATUS_PREFIX "hold over\n");
		break;
	case PSTATUS_SIDE:
		snprintf(buf, len, PSTATUS_PREFIX "side %s\n", routine_side_name(st->side));
		break;
	case PSTATUS_PAUSED:
		snprintf(buf, len, PSTATUS_PREFIX "paused\n");
		break;
	case PSTATUS_RESUMED:
		snprintf(buf, len, PSTATUS_PREFIX "resumed\n");
		break;
	case PSTATUS_ASKING:
		snprintf(buf, len, PSTATUS_PREFIX "asking for a pain rating\n");
		break;
	case PSTATUS_OTHER:
		break;
	}
}

/* "N of M: NAME" */
static enum pstatus_kind pstatus_step(const char *s, struct pstatus *st)
{
	char *end;
	long n, m;

	n = strtol(s, &end, 10);
	if (end == s || strncmp(end, " of ", 4) != 0)
		return PSTATUS_OTHER;
	s = end + 4;
	m = strtol(s, &end, 10);
	if (end == s || strncmp(end, ": ", 2) != 0 || n < 1 || n > m || m > 100000)
		return PSTATUS_OTHER;
	st->step = (int)n;
	st->steps = (int)m;
	snprintf(st->name, sizeof(st->name), "%s", end + 2);
	return st->kind = PSTATUS_STEP;
}

/* "N ms" */
static enum pstatus_kind pstatus_hold(const char *s, struct pstatus *st)
{
	char *end;
	long long ms;

	if (*s < '0' || *s > '9')
		return PSTATUS_OTHER;
	ms = strtoll(s, &end, 10);
	if (strcmp(end, " ms") != 0)
		return PSTATUS_OTHER;
	st->hold_ms = ms;
	return st->kind = PSTATUS_HOLD;
}

enum pstatus_kind pstatus_parse(const char *line, struct pstatus *st)
{
	static const struct {
		const char *text;
		enum pstatus_kind kind;
	} fixed[] = {
		{ "hold over", PSTATUS_HOLD_OVER },
		{ "paused", PSTATUS_PAUSED },
		{ "resumed", PSTATUS_RESUMED },
		{ "asking for a pain rating", PSTATUS_ASKING },
	};
	static const enum routine_side sides[] = { SIDE_RIGHT, SIDE_LEFT };
	const char *s;

	memset(st, 0, sizeof(*st));
	st->kind = PSTATUS_OTHER;
	if (strncmp(line, PSTATUS_PREFIX, strlen(PSTATUS_PREFIX)) != 0)
		return PSTATUS_OTHER;
	s = line + strlen(PSTATUS_PREFIX);
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (!strcmp(s, fixed[i].text))
			return st->kind = fixed[i].kind;
	if (!strncmp(s, "side ", 5)) {
		for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++)
			if (!strcmp(s + 5, routine_side_name(sides[i]))) {
				st->side = sides[i];
				return st->kind = PSTATUS_SIDE;
			}
		return PSTATUS_OTHER;
	}
	if (!strncmp(s, "step ", 5))
		return pstatus_step(s + 5, st);
	if (!strncmp(s, "hold ", 5))
		return pstatus_hold(s + 5, st);
	return PSTATUS_OTHER;
}

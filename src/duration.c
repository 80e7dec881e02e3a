/*
 * duration: parse and print the durations routines are written in.
 *
 * The grammar is a sequence of number+unit parts in falling order (h, m, s),
 * or one bare number meaning seconds. Only the last part may have a
 * fraction, and it is kept to the millisecond, which is all a hold needs.
 */
#include "duration.h"

#include "util.h"

#include <ctype.h>
#include <stdio.h>

/* A generous ceiling so arithmetic never overflows; validation sets the real limits. */
#define DURATION_MAX_MS (24LL * 3600 * 1000)

int duration_parse(const char *s, int64_t *ms, char *err)
{
	static const struct {
		char unit;
		int64_t ms;
	} units[] = { { 'h', 3600000 }, { 'm', 60000 }, { 's', 1000 } };
	const char *p = s;
	size_t next_unit = 0;
	int64_t total = 0;
	int parts = 0;

	while (*p == ' ')
		p++;
	if (*p == '-')
		return util_err(err, "duration '%s' is negative", s);
	if (!*p)
		return util_err(err, "duration is empty");
	while (*p && *p != ' ') {
		int64_t whole = 0, frac = 0, frac_scale = 1;
		int digits = 0;
		size_t u;

		while (isdigit((unsigned char)*p)) {
			whole = whole * 10 + (*p++ - '0');
			digits++;
			if (whole > DURATION_MAX_MS)
				return util_err(err, "duration '%s' is too long", s);
		}
		if (*p == '.') {
			p++;
			while (isdigit((unsigned char)*p)) {
				if (frac_scale < 1000) {
					frac = frac * 10 + (*p - '0');
					frac_scale *= 10;
				}
				p++;
				digits++;
			}
		}
		if (!digits)
			return util_err(err, "'%s' is not a duration (use 90, 90s, 2m or 1m30s)", s);
		if (*p == '\0' || *p == ' ') {
			if (parts)
				return util_err(err, "'%s': the last number needs a unit (h, m or s)",
						s);
			u = 2; /* a bare number is seconds */
		} else {
			for (u = next_unit; u < UTIL_ARRAY_LEN(units); u++)
				if (units[u].unit == *p)
					break;
			if (u == UTIL_ARRAY_LEN(units))
				return util_err(err,
						"'%s' is not a duration (use 90, 90s, 2m or 1m30s)", s);
			p++;
		}
		if (frac_scale > 1 && *p && *p != ' ')
			return util_err(err, "'%s': only the last part may have a fraction", s);
		total += whole * units[u].ms + frac * units[u].ms / frac_scale;
		if (total > DURATION_MAX_MS)
			return util_err(err, "duration '%s' is too long", s);
		next_unit = u + 1;
		parts++;
	}
	while (*p == ' ')
		p++;
	if (*p)
		return util_err(err, "'%s' is not a duration (use 90, 90s, 2m or 1m30s)", s);
	*ms = total;
	return 0;
}

void duration_format(int64_t ms, char *buf, size_t len)
{
	int64_t s = (ms + 500) / 1000;

	if (s >= 3600)
		snprintf(buf, len, "%lld:%02lld:%02lld", (long long)(s / 3600),
			 (long long)(s / 60 % 60), (long long)(s % 60));
	else
		snprintf(buf, len, "%lld:%02lld", (long long)(s / 60), (long long)(s % 60));
}

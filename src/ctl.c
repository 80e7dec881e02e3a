/*
 * ctl: split client bytes into lines and lines into requests, refusing
 * anything that is not plainly one of the verbs.
 */
#include "ctl.h"

#include "library.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

static const char *const verbs[] = { "start",  "pause", "resume", "next", "previous",
				     "repeat", "stop",  "status", "press", "hold",
				     "select", "toggle", "timer" };

const char *ctl_verb_name(enum ctl_verb v)
{
	return verbs[v];
}

int ctl_parse(const char *line, struct ctl_request *req, char *err)
{
	const char *sp = strchr(line, ' ');
	size_t vlen = sp ? (size_t)(sp - line) : strlen(line);

	memset(req, 0, sizeof(*req));
	for (size_t i = 0; i < UTIL_ARRAY_LEN(verbs); i++) {
		if (strlen(verbs[i]) != vlen || strncmp(line, verbs[i], vlen) != 0)
			continue;
		req->verb = (enum ctl_verb)i;
		if (req->verb == CTL_START && !sp)
			return 0;   /* the menu's current routine */
		if (req->verb == CTL_START || req->verb == CTL_SELECT || req->verb == CTL_TIMER) {
			if (!sp || !library_name_ok(sp + 1))
				return util_err(err, "error: %s needs a routine NAME from `limber list` "
						     "(letters, digits, - _ /)", verbs[i]);
			snprintf(req->name, sizeof(req->name), "%s", sp + 1);
			return 0;
		}
		if (sp)
			return util_err(err, "error: %s takes nothing after it", verbs[i]);
		return 0;
	}
	return util_err(err, "error: unknown request (start [NAME], select NAME, pause, resume, "
			     "toggle, next, previous, repeat, stop, status, press, hold, timer NAME)");
}

void ctl_reader_init(struct ctl_reader *r)
{
	memset(r, 0, sizeof(*r));
}

size_t ctl_reader_feed(struct ctl_reader *r, const char *data, size_t n, struct ctl_request *req,
		       int *status, char *err)
{
	size_t i;

	*status = 1;
	for (i = 0; i < n; i++) {
		char c = data[i];

		if (c == '\n') {
			int overlong = r->overlong;

			r->buf[r->n] = '\0';
			if (r->n && r->buf[r->n - 1] == '\r')
				r->buf[r->n - 1] = '\0';
			r->n = 0;
			r->overlong = 0;
			if (overlong == 2)
				*status = util_err(err, "error: not a request (control characters)");
			else if (overlong)
				*status = util_err(err, "error: line too long (at most %d bytes)",
						   CTL_MAX_LINE);
			else
				*status = ctl_parse(r->buf, req, err);
			return i + 1;
		}
		if (r->overlong)
			continue;
		if ((unsigned char)c < 0x20 && c != '\r') {
			/* Binary garbage: spoil the line, keep reading to its end. */
			r->overlong = 2;
			continue;
		}
		if (r->n == CTL_MAX_LINE) {
			r->overlong = 1;
			continue;
		}
		r->buf[r->n++] = c;
	}
	return i;
}

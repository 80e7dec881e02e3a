/*
 * ctl: the control socket's line protocol, which `limber ctl` speaks to a
 * running daemon. One request a line:
 *
 *   start NAME | pause | resume | next | previous | repeat | stop | status
 *   press | hold      (the main button, a short or a long press: the menu)
 *   start             (the menu's current routine, what a press would start)
 *   select NAME       (make NAME the menu's current routine)
 *   toggle            (pause if playing, resume if paused)
 *   timer NAME        (start NAME as a day-plan timer does: nobody may be in the
 *                     room, so the session counts for the streak and the
 *                     levels only once someone answers it: a key, a press, a
 *                     pain rating; else it is recorded as unheard)
 *
 * and one reply line, "ok ...", "error ..." or, for status, the state
 * (idle, playing, paused) then routine, step and time left. This module is
 * the parsing only, fed bytes as they arrive; it is what the fuzzer and
 * the tests exercise. A client can send nothing that makes the daemon open
 * a path: NAME is a routine name, checked character by character.
 */
#ifndef LIMBER_CTL_H
#define LIMBER_CTL_H

#include <stddef.h>

#define CTL_MAX_LINE 256

enum ctl_verb { CTL_START, CTL_PAUSE, CTL_RESUME, CTL_NEXT, CTL_PREVIOUS, CTL_REPEAT, CTL_STOP,
		CTL_STATUS, CTL_PRESS, CTL_HOLD, CTL_SELECT, CTL_TOGGLE, CTL_TIMER };

struct ctl_request {
	enum ctl_verb verb;
	char name[CTL_MAX_LINE];    /* for start ("": the menu's) and select */
};

/* Bytes from one client, split into lines. */
struct ctl_reader {
	char buf[CTL_MAX_LINE + 1];
	size_t n;
	int overlong;               /* the line under way is spoilt (1 too long, 2 binary): dropped at its end */
};

void ctl_reader_init(struct ctl_reader *r);
/*
 * Take up to n bytes from data; when a whole line is in, parse it into req
 * and return how many bytes were used (> 0) with *status 0 (a request) or
 * -1 (a bad line, with the reply in err). Returns the bytes used with
 * *status 1 when no whole line is in yet.
 */
size_t ctl_reader_feed(struct ctl_reader *r, const char *data, size_t n, struct ctl_request *req,
		       int *status, char *err);

/* Parse one line (no newline). 0, or -1 with "error: ..." in err. */
int ctl_parse(const char *line, struct ctl_request *req, char *err);

const char *ctl_verb_name(enum ctl_verb v);

/* Whoever answers requests (the daemon): one request, its reply line (no newline) into out.
 * Every transport (the socket, MQTT, the page) hands its requests to one of these. */
typedef void ctl_handler(void *ctx, const struct ctl_request *rq, char *out, size_t len);

#endif

/*
 * pstatus: the player's status lines, a contract between two processes.
 *
 * A player started with a status stream (player_opts.status: the daemon's
 * child writes them on stdout) says what a listener hears as it is heard:
 *
 *   limber: step N of M: NAME            a step begins
 *   limber: hold N ms                    a hold's start chime, the hold N ms long
 *   limber: hold over                    its end chime
 *   limber: side left | right            a side of the step begins (a step line ends it)
 *   limber: paused | limber: resumed
 *   limber: asking for a pain rating     the session is over and asks
 *
 * One line each, flushed as written. Other lines (the device, xruns) are
 * for the journal. The player formats with pstatus_format and the daemon
 * reads with pstatus_parse; a unit test holds the two together.
 */
#ifndef LIMBER_PSTATUS_H
#define LIMBER_PSTATUS_H

#include "routine.h"

#include <stddef.h>
#include <stdint.h>

#define PSTATUS_NAME 128

enum pstatus_kind { PSTATUS_OTHER, PSTATUS_STEP, PSTATUS_HOLD, PSTATUS_HOLD_OVER, PSTATUS_PAUSED,
		    PSTATUS_RESUMED, PSTATUS_ASKING, PSTATUS_SIDE };

struct pstatus {
	enum pstatus_kind kind;
	int step, steps;             /* STEP: 1-based, of steps */
	char name[PSTATUS_NAME];     /* STEP: the step's name, cut to fit */
	int64_t hold_ms;             /* HOLD */
	enum routine_side side;      /* SIDE: left or right */
};

/* The line, with its newline, into buf. OTHER writes nothing. */
void pstatus_format(const struct pstatus *st, char *buf, size_t len);

/* One line without its newline: its kind and fields, or PSTATUS_OTHER. */
enum pstatus_kind pstatus_parse(const char *line, struct pstatus *st);

#endif

/*
 * engine_alone: links only because the engine library (limberengine) calls
 * nothing in the daemon's (tests/CMakeLists.txt). Run, it checks one call
 * across the whole engine, so the test is not a link alone.
 */
#include "pstatus.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
	struct pstatus st = { .kind = PSTATUS_HOLD, .hold_ms = 30000 }, back;
	char line[64];

	pstatus_format(&st, line, sizeof(line));
	line[strcspn(line, "\n")] = '\0';
	if (pstatus_parse(line, &back) != PSTATUS_HOLD || back.hold_ms != 30000) {
		fprintf(stderr, "engine_alone: '%s' did not read back\n", line);
		return 1;
	}
	return 0;
}

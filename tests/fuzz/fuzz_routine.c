/*
 * Fuzz the routine parser: any bytes must load or be refused with a message,
 * never crash. Includes are looked up for real, by name, in the routine
 * library and tests/bad, so a fuzzed file can include (and fan out into)
 * real files: the bounds on includes are fuzzed too.
 */
#include "routine.h"
#include "util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* NAME (no "..", no leading '/') as routines/NAME.yaml or tests/bad/NAME.yaml, if there. */
static char *fuzz_find(void *ctx, const char *name)
{
	static const char *const dirs[] = { "routines", "tests/bad" };
	char path[1024];

	(void)ctx;
	if (name[0] == '/' || strstr(name, "..") || strlen(name) > 200)
		return NULL;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s.yaml", LIMBER_SOURCE_DIR, dirs[i], name);
		if (access(path, R_OK) == 0)
			return util_xstrdup(path);
	}
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct breath_pattern calm = { "calm", 4, 0, 6, 0, 1000, COUNT_FULL };
	struct routine_env env = { fuzz_find, NULL, &calm, 1 };
	char err[LIMBER_ERR_LEN];
	struct routine *r;

	if (routine_parse("fuzz.yaml", (const char *)data, size, &env, &r, err) == 0)
		routine_free(r);
	return 0;
}

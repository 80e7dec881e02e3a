/* Fuzz the routine parser: any bytes must load or be refused with a message, never crash. */
#include "routine.h"
#include "util.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct breath_pattern calm = { "calm", 4, 0, 6, 0, 1000, COUNT_FULL };
	struct routine_env env = { NULL, NULL, &calm, 1 };
	char err[LIMBER_ERR_LEN];
	struct routine *r;

	if (routine_parse("fuzz.yaml", (const char *)data, size, &env, &r, err) == 0)
		routine_free(r);
	return 0;
}

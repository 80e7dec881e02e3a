/* Fuzz the daemon's config parser. */
#include "config.h"
#include "util.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[LIMBER_ERR_LEN];
	struct config *c;

	if (config_parse("fuzz.yaml", (const char *)data, size, &c, err) == 0)
		config_free(c);
	return 0;
}

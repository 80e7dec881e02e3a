/*
 * Fuzz the control protocol with arbitrary client bytes: fed in arbitrary
 * pieces, as a socket splits them, and whole, as one MQTT message on
 * limber/<id>/cmd (mqtt_text_command).
 */
#include "ctl.h"
#include "mqtt_text.h"
#include "util.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_reader rd;
	struct ctl_request req;
	char err[LIMBER_ERR_LEN];
	size_t off = 0;
	int st;

	ctl_reader_init(&rd);
	/* The first byte chooses the read size, as a socket might split them. */
	size_t chunk = size ? (size_t)(data[0] % 17) + 1 : 1;

	while (off < size) {
		size_t n = size - off < chunk ? size - off : chunk;
		size_t used = ctl_reader_feed(&rd, (const char *)data + off, n, &req, &st, err);

		if (used == 0 || used > n)
			__builtin_trap();
		off += used;
	}
	/* One MQTT message: a request that parses names no path and ends its name. */
	if (mqtt_text_command((const char *)data, size, &req, err) == 0) {
		if ((req.verb == CTL_START || req.verb == CTL_SELECT) && req.name[0] &&
		    (req.name[0] == '/' || strstr(req.name, "..")))
			__builtin_trap();
		if (memchr(req.name, '\0', sizeof(req.name)) == NULL)
			__builtin_trap();
	}
	return 0;
}

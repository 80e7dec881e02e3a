/*
 * cmd_devices: `limber devices` lists the audio outputs PortAudio sees and
 * the input devices with keys that the daemon could listen to.
 */
#include "cmd.h"

#include "audio.h"
#include "evdev.h"
#include "log.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_devices(int argc, char **argv)
{
	char err[LIMBER_ERR_LEN];
	struct audio_device *d;
	size_t n;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		puts("usage: limber devices\nThe audio outputs limber can play on; `--device TEXT` "
		     "picks the first whose\ndevice or host API name contains TEXT. Then the input "
		     "devices with keys, for\nthe daemon's `inputs:` (by name or path).");
		return 0;
	}
	if (audio_init(err) < 0 || audio_devices(&d, &n, err) < 0) {
		log_err("%s", err);
		return 1;
	}
	if (n == 0)
		puts("no audio outputs found");
	for (size_t i = 0; i < n; i++)
		printf("%s %-40s %-12s %d ch, %.0f Hz, latency %.0f-%.0f ms\n",
		       d[i].is_default ? "*" : " ", d[i].name, d[i].host, d[i].channels, d[i].rate,
		       d[i].low_latency * 1000, d[i].high_latency * 1000);
	free(d);
	audio_terminate();
	puts("\ninput devices with keys (for the daemon's inputs:):");
	if (evdev_list("/dev/input", stdout) == 0)
		puts("  none found (or none this user may read: the input group)");
	return 0;
}

/*
 * cmd_devices: `limber devices` lists the audio outputs PortAudio sees.
 */
#include "cmd.h"

#include "audio.h"
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
		     "picks the first whose\ndevice or host API name contains TEXT.");
		return 0;
	}
	if (audio_init(err) < 0 || audio_devices(&d, &n, err) < 0) {
		fprintf(stderr, "limber: %s\n", err);
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
	return 0;
}

/*
 * cmd_daemon: `limber daemon`, the flags; daemon.c does the rest.
 */
#include "cmd.h"

#include "daemon.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void daemon_usage(FILE *f)
{
	fputs("usage: limber daemon [--config FILE] [--socket PATH] [--routines DIR]...\n"
	      "                     [--device TEXT] [--state-dir DIR]\n"
	      "Wait for a button, a key or `limber ctl`; offer routines in a spoken menu and\n"
	      "play them. Logs to stderr (the journal, under systemd).\n"
	      "  --config FILE    instead of $XDG_CONFIG_HOME/limber/config.yaml, then\n"
	      "                   /etc/limber/config.yaml (the first that exists)\n"
	      "  --socket PATH    control socket (default $XDG_RUNTIME_DIR/limber.sock,\n"
	      "                   or /run/limber/limber.sock)\n"
	      "  --routines DIR   a directory of routines, before the config's (repeatable)\n"
	      "  --device TEXT    the audio output, by name (see `limber devices`)\n"
	      "  --state-dir DIR  where the history will be kept\n",
	      f);
}

int cmd_daemon(int argc, char **argv)
{
	static const struct option opts[] = { { "config", required_argument, NULL, 'c' },
					      { "socket", required_argument, NULL, 's' },
					      { "routines", required_argument, NULL, 'r' },
					      { "device", required_argument, NULL, 'd' },
					      { "state-dir", required_argument, NULL, 'S' },
					      { "input-dir", required_argument, NULL, 'I' },
					      { "help", no_argument, NULL, 'h' },
					      { 0, 0, 0, 0 } };
	struct daemon_opts o = { 0 };
	int c, rc;

	while ((c = getopt_long(argc, argv, "c:s:r:d:S:I:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.config = optarg;
			break;
		case 's':
			o.socket = optarg;
			break;
		case 'r':
			o.routines = util_xrealloc(o.routines, (o.nroutines + 1) * sizeof(*o.routines));
			o.routines[o.nroutines++] = optarg;
			break;
		case 'd':
			o.device = optarg;
			break;
		case 'S':
			o.state_dir = optarg;
			break;
		case 'I':
			o.input_dir = optarg;   /* where input devices appear; /dev/input */
			break;
		case 'h':
			daemon_usage(stdout);
			free(o.routines);
			return 0;
		default:
			daemon_usage(stderr);
			free(o.routines);
			return 2;
		}
	}
	if (optind != argc) {
		daemon_usage(stderr);
		free(o.routines);
		return 2;
	}
	rc = daemon_run(&o);
	free(o.routines);
	return rc;
}

/*
 * main: the limber binary. One binary, subcommands; each lives in its own
 * cmd_*.c and shares the engine in the core library.
 */
#include "cmd.h"

#include "engine.h"
#include "log.h"
#include "player.h"
#include "settings.h"
#include "speech.h"
#include "util.h"
#include "version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

char **cmd_program_argv;

const char cmd_red_flags[] =
	"See a doctor before stretching, and do not stretch, if you have: loss of bowel or "
	"bladder control, leg weakness, numbness anywhere (a leg included), severe pain or a "
	"recent injury, or no improvement after six weeks. Stretch only to mild discomfort, six "
	"or seven out of ten, never into pain. Never go to eight: ease off before it.";

int cmd_open(struct library *lib, struct engine *e, const char *arg,
	     const struct engine_opts *eo)
{
	char err[LIMBER_ERR_LEN];

	if (library_init(lib, err) < 0) {
		log_err("%s", err);
		return -1;
	}
	if (engine_load(e, lib, arg, eo, err) < 0) {
		fprintf(stderr, "%s\n", err);
		library_done(lib);
		return -1;
	}
	return 0;
}

int cmd_player_option(int c, const char *arg, struct player_opts *po)
{
	char *end;
	long db;

	switch (c) {
	case 'd':
		po->device = arg;
		return 1;
	case 'l':
		po->latency = strtod(arg, NULL) / 1000.0;
		if (po->latency < 0.001 || po->latency > 2.0) {
			log_err("--latency %s: give milliseconds, 1 to 2000", arg);
			return -1;
		}
		return 1;
	case 'V':
		db = strtol(arg, &end, 10);
		if (*end || db < -40 || db > 6) {
			log_err("--volume %s: give decibels, -40 to 6", arg);
			return -1;
		}
		po->volume_db = (int)db;
		return 1;
	default:
		return 0;
	}
}

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *what;
} cmds[] = {
	{ "list", cmd_list, "every routine found, with area, level and duration" },
	{ "check", cmd_check, "validate routines and print their plan" },
	{ "render", cmd_render, "write a whole session to a WAV file" },
	{ "run", cmd_run, "play a routine now, controlled from the keyboard" },
	{ "daemon", cmd_daemon, "wait for buttons, keys and `limber ctl`; a spoken menu" },
	{ "ctl", cmd_ctl, "tell a running daemon to start, pause, go on or stop" },
	{ "history", cmd_history, "past sessions, the streak, and when to move up a level" },
	{ "say", cmd_say, "speak a sentence on the audio device (check the speaker)" },
	{ "devices", cmd_devices, "the audio outputs limber can play on" },
	{ "settings", settings_cmd, "what the phone page changed; whether a day-plan timer is on" },
};

static void usage(FILE *f)
{
	fputs("usage: limber COMMAND [ARGS]\n\ncommands:\n", f);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].what);
	fputs("\n`limber COMMAND --help` for each; `limber --version`.\n", f);
}

int main(int argc, char **argv)
{
	cmd_program_argv = argv;
	/*
	 * The daemon starts its players as /proc/self/exe (the same binary, even
	 * mid-upgrade), which the kernel names "exe". Named limber, they are what
	 * ps and top show, and what the history takes for a limber still playing.
	 */
	prctl(PR_SET_NAME, "limber", 0, 0, 0);
#ifdef __GLIBC__
	/*
	 * Speech buffers are large and short-lived. glibc raises its mmap
	 * threshold after each large free, after which such buffers come from
	 * the heap and are never given back; a fixed threshold keeps them in
	 * their own mappings, returned as soon as they are played.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		version_print(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (!strcmp(argv[1], cmds[i].name)) {
			int status = cmds[i].fn(argc - 1, argv + 1);

			speech_shutdown();
			return status;
		}
	}
	log_err("unknown command '%s'; try `limber --help`", argv[1]);
	return 2;
}

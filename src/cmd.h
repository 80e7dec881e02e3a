/*
 * cmd: the subcommands of the limber binary, one file each.
 * Each returns the process exit status.
 */
#ifndef LIMBER_CMD_H
#define LIMBER_CMD_H

int cmd_check(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_devices(int argc, char **argv);
int cmd_say(int argc, char **argv);
int cmd_daemon(int argc, char **argv);
int cmd_ctl(int argc, char **argv);
int cmd_history(int argc, char **argv);

struct library;
struct engine;
struct engine_opts;

/*
 * Open the routine library and load arg (a NAME or file) into e, saying on
 * stderr what went wrong. 0, or -1 with nothing left open.
 */
int cmd_open(struct library *lib, struct engine *e, const char *arg,
	     const struct engine_opts *eo);

struct player_opts;

/*
 * The output options `run` and `say` share: 'd' --device, 'l' --latency MS,
 * 'V' --volume DB. 1 if c was one and is set in po, 0 if c is not one of
 * them, -1 if its value is bad (said on stderr; exit 2).
 */
int cmd_player_option(int c, const char *arg, struct player_opts *po);

/* main()'s argv, for a player that must start itself again. */
extern char **cmd_program_argv;

/* The warning every user should read once (README, `limber list --about`). */
extern const char cmd_red_flags[];

#endif

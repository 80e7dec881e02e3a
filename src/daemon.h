/*
 * daemon: `limber daemon`, limber on a shelf with a speaker and no screen.
 *
 * One thread blocks in poll() on: its signals (signalfd), the control
 * socket and its clients, the input devices (evdev.h), the GPIO buttons
 * (gpio.h) and the child that is talking. It never wakes up while idle:
 * the only timeouts are a button's long or double press under way, the
 * menu's end, a client that went quiet mid-line, and (with mqtt: in the
 * config) the broker's keepalive.
 *
 * Sound is always a child: `limber run` for a session, `limber say` for
 * the spoken menu, the same binary and engine. So the idle daemon holds no
 * audio device at all (PortAudio is never opened in this process), a
 * device that hangs (PortAudio 19.6 can wait ten minutes for a dead JACK
 * server) hangs a child that can be killed, never the daemon, and the
 * memory a session used goes back when it ends. The daemon speaks to the
 * child in the keys a terminal would send and reads its status lines
 * (child.h, pstatus.h). What the daemon decides is dstate.h's; daemon.c
 * is the loop that does it (docs/HACKING.md).
 */
#ifndef LIMBER_DAEMON_H
#define LIMBER_DAEMON_H

#include <stddef.h>

struct daemon_opts {
	const char *config;      /* --config FILE, or NULL: the default places */
	const char *socket;      /* these override the config file */
	const char *device;
	const char *state_dir;
	char **routines;         /* --routines DIR, repeatable */
	size_t nroutines;
	const char *input_dir;   /* where input devices appear: /dev/input */
};

/* Run until SIGTERM or SIGINT; the process's exit status. */
int daemon_run(const struct daemon_opts *o);

/* The control socket to use when none is given: $XDG_RUNTIME_DIR/limber.sock or
 * /run/limber/limber.sock. For a client, the first of them that exists. */
void daemon_socket_path(char *buf, size_t len, int client);

#endif

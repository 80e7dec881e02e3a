/*
 * child: the one process that has the speaker, and all that crosses the
 * exec into it. The daemon never opens the sound device itself; a child
 * of the same binary does (/proc/self/exe):
 *
 *   limber say --quiet [common] [--voice V] -- TEXT       a menu line
 *   limber run [--resume] [--timer] --input /dev/fd/3 [common] --ask-pain
 *       --state-dir DIR [--brief] --morning-until HH:MM [--voice V] NAME
 *
 * where [common] is --volume DB --latency MS [--lead-in S.MMMs]
 * [--lead-in-tone] [--device D]. A player that loses its device restarts
 * itself with --continue appended, so NAME comes last and no "--" is put
 * before it.
 *
 *   environment  LIMBER_ROUTINES: the routine directories (dworld.c sets it)
 *   fd 0, 2      the daemon's own (stderr: the journal)
 *   fd 1         a pipe to the daemon: the player's status lines (pstatus.h)
 *   fd 3         a pipe from the daemon, the session's keys as a terminal
 *                types them (keys.h); a session only
 *   signals      an empty mask, SIGPIPE default; SIGTERM: "Stopping.",
 *                recorded as interrupted; q on fd 3: goodbye, recorded as
 *                stopped
 *
 * Nothing else crosses: every other descriptor is closed before the exec.
 */
#ifndef LIMBER_CHILD_H
#define LIMBER_CHILD_H

#include "pstatus.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The options every child gets, from the config (and the daemon's command line). */
struct child_opts {
	const char *device;          /* NULL: the default */
	const char *voice;           /* NULL: the default */
	int volume_db;
	int latency_ms;
	int64_t lead_in_ms;
	int lead_in_tone;
	/* A session's. */
	const char *state_dir;
	int brief;
	int morning_until;           /* minutes after midnight */
};

struct child {
	pid_t pid;                   /* 0: none */
	int keys_w, out_r;           /* -1: closed */
	char out[512];
	size_t outn;
};

void child_init(struct child *c);
/* Speak text. 0, or -1 (logged). */
int child_say(struct child *c, const struct child_opts *o, const char *text);
/*
 * Play routine NAME. no_caution: past the morning offer, the caution is not
 * said again; timer: a day-plan timer's (--timer: unheard unless answered).
 */
int child_play(struct child *c, const struct child_opts *o, const char *name, int resume,
	       int no_caution, int timer);
/* A key on fd 3. 0, or -1 if the session is not listening. */
int child_key(struct child *c, char key);
void child_signal(const struct child *c, int sig);
/* Read what the child wrote; each whole line to line(ctx, text). */
void child_read(struct child *c, void (*line)(void *ctx, const char *text), void *ctx);
/* The child is gone (reaped): its pipes are closed. */
void child_gone(struct child *c);

#endif

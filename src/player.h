/*
 * player: a session played live on the audio device, controlled by keys.
 *
 * The main thread runs one poll() loop: it hands the session's events to
 * the audio callback a quarter of a second ahead, turns keys into session
 * commands, writes the timeline as the callback reports what it played,
 * and watches the device. If it disappears or stalls, the program starts
 * itself again (same process, same terminal) with --continue: PortAudio
 * 19.6 cannot let go of a stream whose JACK server died (it waits ten
 * minutes inside Pa_AbortStream, Pa_CloseStream and Pa_Terminate alike),
 * so a fresh process is the one way back that works for every kind of
 * loss. The new process waits for the device with back-off and goes on
 * from the same frame.
 */
#ifndef LIMBER_PLAYER_H
#define LIMBER_PLAYER_H

#include "engine.h"

#include <stdio.h>

enum player_end { PLAYER_FINISHED, PLAYER_STOPPED, PLAYER_INTERRUPTED };

/* What happened, as it was heard, for whoever keeps the history. Any may be NULL. */
struct player_events {
	void *ctx;
	void (*begun)(void *ctx);                          /* the stream is open, its first sound in it */
	void (*step_done)(void *ctx, int step);
	void (*ended)(void *ctx, enum player_end how);   /* q: stopped; a signal: interrupted */
	void (*pain)(void *ctx, int rating);             /* 0-10, asked at the end */
	void (*answered)(void *ctx);                      /* a key came: someone is there */
};

struct player_opts {
	const char *device;       /* match on device or host API name; NULL: default */
	double latency;           /* seconds of output latency to ask for */
	const char *timeline;     /* write the events as played, or NULL */
	int keys_fd;              /* keys come from here; -1: none */
	/*
	 * A line for whoever watches, or NULL, each flushed as it is written. The
	 * daemon reads them from its child, so they are a contract:
	 *   limber: step N of M: NAME     (as it is heard)
	 *   limber: paused | limber: resumed
	 *   limber: asking for a pain rating
	 *   limber: hold N ms | limber: hold over   (a hold's start chime heard, and its end)
	 *   limber: side left | right   (a side of the step begins; a step line ends it)
	 * pstatus.h writes and reads them.
	 */
	FILE *status;
	int volume_db;            /* start this much louder (or softer, < 0) than 0 dB */
	int start_step;           /* begin at this step (resuming), or 0 */
	int ask_pain;             /* after a finished session, ask for a pain rating on the keys */
	const struct player_events *events;
	int quiet;                /* stopped early, say nothing (the daemon's menu) */
	/* Device lost: the player re-executes the program as argv plus
	 * "--continue SESSION:OUTPUT:SKIPS:FRAMES", after calling before_exec (restore the
	 * terminal). */
	char **argv;
	void (*before_exec)(void);
	/* Set when continuing: start the session and output clocks here. */
	int resume;
	uint64_t resume_session, resume_output;
	uint32_t resume_skips;    /* xruns skipped before the restart, and their frames */
	uint64_t resume_skipped;
};

/*
 * Play the engine's routine to the end (or until quit). 0, or -1 with err;
 * PLAYER_NO_DEVICE (with err) when there is no audio output at all, before
 * anything was started: the engine can still be rendered to a file.
 */
#define PLAYER_NO_DEVICE (-2)
int player_run(struct engine *e, const struct player_opts *o, char *err);

#endif

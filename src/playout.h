/*
 * playout: what the audio callback runs, and only that.
 *
 * The main thread sends sounds and commands through a lock-free ring; the
 * callback mixes them on the session clock and reports back, through a
 * second ring, the exact output frame each sound and marker started on
 * and the sounds it has finished with. Two mixers: the session (frozen
 * while paused, so resume continues mid-word) and the UI (key confirmations
 * and spoken answers, always running). Pause and resume are 30 ms fades.
 *
 * Nothing here allocates, locks, logs or calls a library; playout_process()
 * always fills its whole buffer. It knows nothing of PortAudio, so tests
 * drive it with exact frame counts.
 */
#ifndef LIMBER_PLAYOUT_H
#define LIMBER_PLAYOUT_H

#include "mixer.h"
#include "ring.h"

#include <stdatomic.h>
#include <stdint.h>

#define PLAYOUT_FADE_MS 30
#define PLAYOUT_MARKS 256
#define PLAYOUT_BLOCK 1024

enum playout_msg_kind {
	PO_SOUND,     /* a session sound at frame `at` */
	PO_MARK,      /* report when the session reaches `at` (a silent event) */
	PO_UI,        /* a UI sound, now */
	PO_CUT,       /* stop session sounds from now (next, previous) */
	PO_PAUSE,
	PO_RESUME,    /* at output frame `at` (now if it has passed) */
	PO_VOLUME     /* gain: the master volume */
};

struct playout_msg {
	enum playout_msg_kind kind;
	uint32_t id;
	struct pcm *pcm;
	uint64_t at, max;
	float gain;
};

enum playout_report_kind {
	PO_STARTED,   /* id started at output frame `frame` */
	PO_DROPPED,   /* id will never play (cut) */
	PO_DONE,      /* pcm is finished with: release it */
	PO_PAUSED,    /* the fade-out began at `frame` */
	PO_RESUMED
};

struct playout_report {
	enum playout_report_kind kind;
	uint32_t id;
	uint64_t frame;
	struct pcm *pcm;
};

struct playout_mark {
	uint32_t id;
	uint64_t at;
};

/*
 * A 64-bit frame count the callback writes and other threads read. Not an
 * _Atomic uint64_t: on 32-bit ARM without 64-bit exclusives (the ARMv6 that
 * Raspberry Pi OS's armhf is built for) that is not lock-free, and libatomic
 * would take a lock in the audio callback. Two 32-bit halves under a sequence
 * count instead: the one writer never waits, a reader retries a read that
 * overlapped a write.
 */
struct playout_clock {
	_Atomic uint32_t seq, lo, hi;
};

/* What the callback shares must be lock-free on every target: checked here, at compile time. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic int/uint32_t is not lock-free on this target");

/* Publish v. One writer only (the callback, or the main thread before the stream). */
void playout_clock_set(struct playout_clock *c, uint64_t v);
/* The last value published. Any thread. */
uint64_t playout_clock_get(struct playout_clock *c);

struct playout {
	unsigned rate;
	struct ring in;                 /* playout_msg: main -> callback */
	struct ring out;                /* playout_report: callback -> main */
	struct mixer session, ui;
	struct playout_mark marks[PLAYOUT_MARKS];
	size_t nmarks;
	float level, target, step, volume;
	uint64_t t;                     /* session clock, callback's own copy */
	uint64_t out_t;                 /* output clock */
	struct playout_clock session_clock; /* frames of session played */
	struct playout_clock output_clock;  /* frames written to the device, paused or not */
	_Atomic uint32_t callbacks;     /* progress, for the watchdog */
	_Atomic uint32_t lost;          /* reports that found the ring full */
	_Atomic uint32_t late;          /* sounds that arrived after their frame */
	_Atomic int paused;             /* 1 once a pause has faded out */
	_Atomic int ui_busy;            /* UI sounds still playing */
	_Atomic uint32_t skips;         /* times the device's clock ran ahead (xruns) */
	struct playout_clock skipped;   /* frames skipped to keep up with it */
	/*
	 * Main thread (its one writer): every session event before this frame has been sent. A real
	 * device ignores it; a simulated one that runs faster than real time waits
	 * on it rather than outrun the player (tests/sim/audio_sim.c).
	 */
	struct playout_clock fed;
	double device_base;             /* device time of output frame 0; < 0: not yet known */
	uint64_t resume_at;             /* a resume waiting for this output frame; 0: none */
	float buf[PLAYOUT_BLOCK], ui_buf[PLAYOUT_BLOCK];
};

void playout_init(struct playout *po, unsigned rate);
/* Start the clocks at these frames (a session continued in a new process). Before the stream. */
void playout_set_clocks(struct playout *po, uint64_t session, uint64_t output);
/* Drop everything still queued or playing; the pcms are released. Main thread. */
void playout_done(struct playout *po);

/* Main thread: send a message; -1 when the ring is full (the pcm is not taken). */
int playout_send(struct playout *po, const struct playout_msg *m);
/* Main thread: the next report, or -1 when there is none. */
int playout_report(struct playout *po, struct playout_report *r);

/*
 * The callback: fill out (frames x channels, interleaved float). device_time
 * is when the buffer's first frame will sound, in seconds on the device's
 * clock (PortAudio's outputBufferDacTime), or negative if unknown. When the
 * device's clock has moved on further than the frames played (a callback
 * missed, an xrun), both clocks skip ahead with it: the cues stay on the
 * device's time and the moment missed is lost, not the schedule.
 */
void playout_process(struct playout *po, float *out, size_t frames, int channels,
		     double device_time);

#endif

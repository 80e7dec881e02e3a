/*
 * audio_sim: a simulated sound device behind audio.h, for tests only. It is
 * linked with limberdaemon into build/tests/limber-sim (limber with this device
 * in place of PortAudio) and is never installed.
 *
 * The device is a thread that calls playout_process() one period at a time
 * and keeps its own clock in frames: the DAC time it reports is that clock,
 * never the host's, so a busy host slows the simulation down but never turns
 * into an xrun. It runs `speed` times faster than real time (it sleeps a
 * period / speed between callbacks); faults come only from the device string:
 *
 *   --device sim:speed=8,xrun_every=90,xrun_frames=1024,jitter=256,
 *                stall_at=300,stall_s=3,lose_at=600,capture=FILE,faults=FILE
 *
 * Times (speed aside) are seconds of device time, counted in frames from the
 * session's first; sizes are frames. The device clock only moves on period
 * boundaries, so the frames a fault loses are rounded up to whole periods:
 *   xrun_every, xrun_frames  every that many seconds the clock jumps ahead by
 *                            that many frames (default one period)
 *   jitter                   the reported DAC time is late by 0..jitter frames,
 *                            a seeded sequence (seed=N), as JACK's estimate is
 *   stall_at, stall_s        at that second, no callback for stall_s seconds of
 *                            device time (stall_s / speed of wall time), and the
 *                            clock has moved on by as much when they come back
 *   lose_at                  at that second the stream dies (audio_alive is 0)
 *   key=SECONDS:KEY          (repeatable) write KEY (a character, or "space")
 *                            to the FIFO keys=FILE at that device second, and
 *                            hold the clock until the player has read it and
 *                            answered (its first message to the callback)
 *   capture=FILE             a WAV of the device's own timeline: every frame it
 *                            played, silence for the frames a fault lost
 *   faults=FILE              one line per fault as it happens: KIND FRAME LOST
 *   period=N, speed=N        frames per callback (1024), device s per wall s (32)
 *
 * LIMBER_SIM_NONE=1 in the environment: a machine with no sound device at all
 * (no outputs; the default is not found, as audio.c says AUDIO_NONE).
 *
 * A player that lost its device re-executes itself and opens the device again
 * with its clocks set to where it stopped (playout_set_clocks before
 * audio_open). The simulated clock starts there, so every fault scheduled
 * before that frame has already happened and does not fire again, and the
 * capture is reopened and continued at that frame.
 */
#include "audio.h"

#include "playout.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <sndfile.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define SIM_RATE 48000
#define SIM_KEYS 32
#define SIM_KEY_WAIT_MS 1000    /* at most this long for the player to answer a key */
#define SIM_KEY_SETTLE_MS 20    /* then this, for the rest of its answer (sent at once) */

struct sim_key {
	double at;
	char c;
};

struct sim_opts {
	double speed;
	unsigned period;
	double xrun_every;
	unsigned xrun_frames;
	unsigned jitter;
	unsigned seed;
	double stall_at, stall_s;
	double lose_at;
	char capture[1024];
	char faults[1024];
	char keys[1024];
	struct sim_key key[SIM_KEYS];
	size_t nkeys;
};

static struct sim_opts sim_o;

struct audio {
	struct sim_opts o;
	struct playout *po;
	pthread_t th;
	int started;
	atomic_int stop, dead;
	uint64_t clock;        /* device frames, the thread's own */
	uint64_t start;        /* where this stream's clock began */
	uint32_t rng;
	uint64_t waits, waited_ms;   /* callbacks held for the player, and for how long */
	SNDFILE *cap;
	FILE *log;
	float *buf;
};

int audio_init(char *err)
{
	(void)err;
	return 0;
}

void audio_terminate(void)
{
}

static void sim_describe(struct audio_device *d)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "sim");
	snprintf(d->host, sizeof(d->host), "simulated");
	d->channels = 1;
	d->rate = SIM_RATE;
	d->low_latency = d->high_latency = (double)(sim_o.period ? sim_o.period : 1024) / SIM_RATE;
	d->is_default = 1;
}

static int sim_none(void)
{
	const char *v = getenv("LIMBER_SIM_NONE");

	return v && *v && strcmp(v, "0") != 0;
}

int audio_devices(struct audio_device **out, size_t *n, char *err)
{
	(void)err;
	*out = util_xcalloc(1, sizeof(**out));
	*n = 0;
	if (sim_none())
		return 0;
	sim_describe(*out);
	*n = 1;
	return 0;
}

static int sim_key_char(const char *name, char *c)
{
	if (!strcmp(name, "space"))
		*c = ' ';
	else if (strlen(name) == 1)
		*c = name[0];
	else
		return -1;
	return 0;
}

/* v as a number of at least 0, or -1. */
static int sim_num(const char *v, double *out)
{
	char *end;

	*out = strtod(v, &end);
	return end == v || *end || *out < 0 ? -1 : 0;
}

/* The numeric options; *known is 0 for any other key. */
static int sim_field(const char *k, const char *v, double *x, int *known)
{
	static const char *const names[] = { "speed", "period", "xrun_every", "xrun_frames",
					      "jitter", "seed", "stall_at", "stall_s", "lose_at" };
	size_t i;

	*known = 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && strcmp(k, names[i]) != 0; i++)
		;
	if (i == sizeof(names) / sizeof(names[0]))
		return 0;
	*known = 1;
	if (sim_num(v, x) < 0)
		return -1;
	switch (i) {
	case 0: sim_o.speed = *x; break;
	case 1: sim_o.period = (unsigned)*x; break;
	case 2: sim_o.xrun_every = *x; break;
	case 3: sim_o.xrun_frames = (unsigned)*x; break;
	case 4: sim_o.jitter = (unsigned)*x; break;
	case 5: sim_o.seed = (unsigned)*x; break;
	case 6: sim_o.stall_at = *x; break;
	case 7: sim_o.stall_s = *x; break;
	default: sim_o.lose_at = *x; break;
	}
	return 0;
}

/* Parse "sim:k=v,k=v" into sim_o. */
static int sim_parse(const char *match, char *err)
{
	char *s, *save = NULL;

	memset(&sim_o, 0, sizeof(sim_o));
	sim_o.speed = 32;
	sim_o.period = 1024;
	sim_o.seed = 1;
	if (!match || !strcmp(match, "sim"))
		return 0;
	if (strncmp(match, "sim:", 4) != 0)
		return util_err(err, "limber-sim plays only on its simulated device: --device "
				     "sim[:speed=N,xrun_every=S,...] (not '%s')", match);
	s = util_xstrdup(match + 4);
	for (char *kv = strtok_r(s, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *v = strchr(kv, '=');
		double x;
		int known;

		if (!v) {
			free(s);
			return util_err(err, "sim: '%s' is not key=value", kv);
		}
		*v++ = '\0';
		if (sim_field(kv, v, &x, &known) < 0) {
			free(s);
			return util_err(err, "sim: %s=%s is not a number of 0 or more", kv, v);
		}
		if (known)
			continue;
		if (!strcmp(kv, "capture"))
			snprintf(sim_o.capture, sizeof(sim_o.capture), "%s", v);
		else if (!strcmp(kv, "faults"))
			snprintf(sim_o.faults, sizeof(sim_o.faults), "%s", v);
		else if (!strcmp(kv, "keys"))
			snprintf(sim_o.keys, sizeof(sim_o.keys), "%s", v);
		else if (!strcmp(kv, "key") && sim_o.nkeys < SIM_KEYS) {
			char *name = strchr(v, ':'), *end;
			struct sim_key *k = &sim_o.key[sim_o.nkeys];

			k->at = strtod(v, &end);
			if (!name || end != name || k->at < 0 || sim_key_char(name + 1, &k->c) < 0) {
				free(s);
				return util_err(err, "sim: key=%s: want SECONDS:KEY", v);
			}
			sim_o.nkeys++;
		} else {
			free(s);
			return util_err(err, "sim: unknown option '%s'", kv);
		}
	}
	free(s);
	if (sim_o.speed <= 0 || sim_o.period == 0 || sim_o.period > 16384)
		return util_err(err, "sim: speed must be above 0 and period 1-16384 frames");
	if (sim_o.nkeys && !sim_o.keys[0])
		return util_err(err, "sim: key= needs keys=FIFO");
	return 0;
}

int audio_find(const char *match, struct audio_device *dev, char *err)
{
	if (sim_none() && match)
		return util_err(err, "no audio output matches '%s'; try `limber devices`", match);
	if (sim_none()) {
		util_err(err, "no audio output found; try `limber devices`, or render to a file with "
			      "`limber render`");
		return AUDIO_NONE;
	}
	if (sim_parse(match, err) < 0)
		return -1;
	sim_describe(dev);
	return 0;
}

/* A second of device time as a frame on the period grid: the first callback at or after it. */
static uint64_t sim_frame(const struct audio *a, double s)
{
	uint64_t f = (uint64_t)llround(s * SIM_RATE);

	return (f + a->o.period - 1) / a->o.period * a->o.period;
}

static uint64_t sim_whole(const struct audio *a, uint64_t frames)
{
	return (frames + a->o.period - 1) / a->o.period * a->o.period;
}

static void sim_log(struct audio *a, const char *kind, uint64_t lost)
{
	if (!a->log)
		return;
	fprintf(a->log, "%s\t%llu\t%llu\n", kind, (unsigned long long)a->clock,
		(unsigned long long)lost);
	fflush(a->log);
}

static void sim_silence(struct audio *a, uint64_t frames)
{
	memset(a->buf, 0, a->o.period * sizeof(float));
	while (a->cap && frames) {
		sf_count_t n = frames < a->o.period ? (sf_count_t)frames : a->o.period;

		sf_writef_float(a->cap, a->buf, n);
		frames -= (uint64_t)n;
	}
}

/* The device loses `frames`: its clock moves on and the capture holds silence for them. */
static void sim_lose(struct audio *a, const char *kind, uint64_t frames)
{
	sim_log(a, kind, frames);
	sim_silence(a, frames);
	a->clock += frames;
}

static void sim_sleep_until(const struct timespec *t)
{
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL) == EINTR)
		;
}

static void sim_add_ns(struct timespec *t, int64_t ns)
{
	int64_t v = (int64_t)t->tv_nsec + ns;

	t->tv_sec += v / 1000000000;
	t->tv_nsec = v % 1000000000;
	if (t->tv_nsec < 0) {
		t->tv_nsec += 1000000000;
		t->tv_sec--;
	}
}

static void sim_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Write a key to the player's input and hold the clock until it has been taken. */
static void sim_key(struct audio *a, char c)
{
	int fd = open(a->o.keys, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	/* This thread is the callback's, the ring's consumer: its head moves when the player sends. */
	size_t head = atomic_load_explicit(&a->po->in.head, memory_order_acquire);
	int left = 1;
	char kind[16];

	snprintf(kind, sizeof(kind), "key_%s", c == ' ' ? "space" : (char[]){ c, '\0' });
	sim_log(a, kind, 0);
	if (fd < 0) {
		fprintf(stderr, "limber-sim: keys=%s: %s\n", a->o.keys, strerror(errno));
		return;
	}
	if (write(fd, &c, 1) != 1)
		fprintf(stderr, "limber-sim: keys=%s: %s\n", a->o.keys, strerror(errno));
	for (int i = 0; i < 5000 && left > 0; i++) {
		if (ioctl(fd, FIONREAD, &left) < 0)
			break;
		if (left > 0)
			sim_ms(1);
	}
	close(fd);
	/* The clock is held and the lookahead sent, so what moves the ring now is the answer. */
	for (int i = 0; i < SIM_KEY_WAIT_MS &&
			atomic_load_explicit(&a->po->in.head, memory_order_acquire) == head;
	     i++)
		sim_ms(1);
	sim_ms(SIM_KEY_SETTLE_MS);
}

static uint32_t sim_rand(struct audio *a)
{
	a->rng ^= a->rng << 13;
	a->rng ^= a->rng >> 17;
	a->rng ^= a->rng << 5;
	return a->rng;
}

/*
 * Never outrun the player: before a callback, wait (up to a second of wall
 * time, under the player's two-second watchdog) until it has sent every event
 * the callback will reach. The host's slowness then costs wall time only, as
 * a fast enough host would. `lost`: frames the device just lost, which the
 * session skips too unless paused.
 */
static void sim_wait_fed(struct audio *a, uint64_t lost)
{
	uint64_t need = playout_clock_get(&a->po->session_clock) + a->o.period +
			(atomic_load(&a->po->paused) ? 0 : lost);
	int ms = 0;

	while (playout_clock_get(&a->po->fed) < need && ms < 1000 &&
	       !atomic_load(&a->stop)) {
		sim_ms(1);
		ms++;
	}
	if (ms) {
		a->waits++;
		a->waited_ms += (uint64_t)ms;
	}
}

static void *sim_run(void *arg)
{
	struct audio *a = arg;
	const struct sim_opts *o = &a->o;
	uint64_t next_xrun = 0, stall = 0, lose = 0;
	int64_t dt = (int64_t)((double)o->period * 1e9 / SIM_RATE / o->speed);
	size_t next_key = 0;
	struct timespec next;

	if (o->xrun_every > 0) {
		double k = floor((double)a->start / SIM_RATE / o->xrun_every) + 1;

		next_xrun = sim_frame(a, k * o->xrun_every);
	}
	if (o->stall_s > 0 && sim_frame(a, o->stall_at) > a->start)
		stall = sim_frame(a, o->stall_at);
	if (o->lose_at > 0 && sim_frame(a, o->lose_at) > a->start)
		lose = sim_frame(a, o->lose_at);
	while (next_key < o->nkeys && sim_frame(a, o->key[next_key].at) <= a->start)
		next_key++;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!atomic_load(&a->stop)) {
		uint64_t before = a->clock;
		struct timespec now;
		double dac;

		if (lose && a->clock >= lose) {
			sim_log(a, "lose", 0);
			if (a->log)
				fprintf(a->log, "waited\t%llu\t%llu\n", (unsigned long long)a->waits,
					(unsigned long long)a->waited_ms);
			if (a->log)
				fflush(a->log);
			if (a->cap)
				sf_close(a->cap);
			a->cap = NULL;
			atomic_store(&a->dead, 1);
			return NULL;
		}
		if (stall && a->clock >= stall) {
			struct timespec until = next;

			stall = 0;
			sim_add_ns(&until, (int64_t)(o->stall_s * 1e9 / o->speed));
			sim_sleep_until(&until);
			next = until;
			sim_lose(a, "stall", sim_whole(a, (uint64_t)llround(o->stall_s * SIM_RATE)));
		}
		if (next_xrun && a->clock >= next_xrun) {
			sim_lose(a, "xrun", sim_whole(a, o->xrun_frames ? o->xrun_frames : o->period));
			next_xrun = sim_frame(a, (double)next_xrun / SIM_RATE + o->xrun_every);
		}
		while (next_key < o->nkeys && a->clock >= sim_frame(a, o->key[next_key].at)) {
			sim_key(a, o->key[next_key++].c);
			clock_gettime(CLOCK_MONOTONIC, &next);
		}
		sim_wait_fed(a, a->clock - before);
		dac = (double)(a->clock + (o->jitter ? sim_rand(a) % (o->jitter + 1) : 0)) / SIM_RATE;
		playout_process(a->po, a->buf, o->period, 1, dac);
		if (a->cap)
			sf_writef_float(a->cap, a->buf, o->period);
		a->clock += o->period;
		/* Paced, never bursting to catch up: a late host slows the simulation, nothing else. */
		sim_add_ns(&next, dt);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > next.tv_sec || (now.tv_sec == next.tv_sec && now.tv_nsec > next.tv_nsec))
			next = now;
		else
			sim_sleep_until(&next);
	}
	return NULL;
}

/* The capture, new at frame 0, else reopened and continued at the stream's first frame. */
static int sim_capture(struct audio *a, char *err)
{
	SF_INFO info;

	memset(&info, 0, sizeof(info));
	if (!a->o.capture[0])
		return 0;
	if (a->start == 0) {
		info.samplerate = SIM_RATE;
		info.channels = 1;
		info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
		a->cap = sf_open(a->o.capture, SFM_WRITE, &info);
	} else {
		a->cap = sf_open(a->o.capture, SFM_RDWR, &info);
	}
	if (!a->cap)
		return util_err(err, "sim: capture=%s: %s", a->o.capture, sf_strerror(NULL));
	sf_command(a->cap, SFC_SET_UPDATE_HEADER_AUTO, NULL, SF_TRUE);
	sf_command(a->cap, SFC_SET_CLIPPING, NULL, SF_TRUE);
	if (a->start) {
		sf_count_t have = sf_seek(a->cap, 0, SEEK_END);

		if (have != (sf_count_t)a->start)
			fprintf(a->log ? a->log : stderr, "capture_gap\t%llu\t%lld\n",
				(unsigned long long)a->start, (long long)a->start - (long long)have);
		if (have > (sf_count_t)a->start)
			sf_seek(a->cap, (sf_count_t)a->start, SEEK_SET);
		else
			sim_silence(a, a->start - (uint64_t)have);
	}
	return 0;
}

int audio_open(const struct audio_device *dev, unsigned rate, double latency_s,
	       struct playout *po, struct audio **out, char *err)
{
	struct audio *a;

	(void)dev;
	(void)latency_s;
	*out = NULL;
	if (rate != SIM_RATE)
		return util_err(err, "sim: the simulated device runs at %d Hz, not %u", SIM_RATE, rate);
	a = util_xcalloc(1, sizeof(*a));
	a->o = sim_o;
	a->po = po;
	a->start = a->clock = playout_clock_get(&po->output_clock);
	a->rng = a->o.seed * 2654435761u + (uint32_t)a->start + 1;
	a->buf = util_xcalloc(a->o.period, sizeof(float));
	atomic_init(&a->stop, 0);
	atomic_init(&a->dead, 0);
	if (a->o.faults[0] && !(a->log = fopen(a->o.faults, a->start ? "a" : "w"))) {
		util_err(err, "sim: faults=%s: %s", a->o.faults, strerror(errno));
		goto fail;
	}
	if (sim_capture(a, err) < 0)
		goto fail;
	sim_log(a, "open", 0);
	if (pthread_create(&a->th, NULL, sim_run, a) != 0) {
		util_err(err, "sim: cannot start the device thread");
		goto fail;
	}
	a->started = 1;
	*out = a;
	return 0;
fail:
	if (a->cap)
		sf_close(a->cap);
	if (a->log)
		fclose(a->log);
	free(a->buf);
	free(a);
	return -1;
}

void audio_close(struct audio *a)
{
	if (!a)
		return;
	atomic_store(&a->stop, 1);
	if (a->started)
		pthread_join(a->th, NULL);
	sim_log(a, "close", 0);
	if (a->log)
		fprintf(a->log, "waited\t%llu\t%llu\n", (unsigned long long)a->waits,
			(unsigned long long)a->waited_ms);
	if (a->cap)
		sf_close(a->cap);
	if (a->log)
		fclose(a->log);
	free(a->buf);
	free(a);
}

double audio_latency(const struct audio *a)
{
	return (double)a->o.period / SIM_RATE;
}

int audio_alive(struct audio *a)
{
	return !atomic_load(&a->dead);
}

/*
 * jack_capture: record what limber plays on a JACK server, for the live
 * tests. It registers one input port, connects every output port of the
 * JACK client named on the command line (its first channel) as soon as it
 * appears, and writes
 * all it hears to a mono WAV until SIGINT or SIGTERM, or SECONDS have passed.
 *
 *   jack_capture OUT.wav CLIENT SECONDS
 *
 * On stdout: "ready", then "sync NS FRAME" lines pairing CLOCK_MONOTONIC
 * nanoseconds with the file's frame at that moment (for latency benches).
 *
 * The JACK process callback only copies into a lock-free ring, each buffer
 * behind its JACK frame time; the main thread writes the file, filling any
 * cycle the capture missed (a busy machine's xrun) with silence, so a
 * position in the file is a position on the device's clock.
 */
#include <jack/jack.h>
#include <jack/ringbuffer.h>
#include <signal.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static jack_port_t *in;
static jack_ringbuffer_t *rb;
static volatile sig_atomic_t done, want_connect;
static const char *target;

static jack_client_t *client;
static jack_nframes_t first_frame;

struct head {
	jack_nframes_t frame, n;
};

static int process(jack_nframes_t n, void *arg)
{
	const float *buf = jack_port_get_buffer(in, n);
	struct head h = { jack_last_frame_time(client), n };

	(void)arg;
	if (jack_ringbuffer_write_space(rb) < sizeof(h) + n * sizeof(float))
		return 0;
	jack_ringbuffer_write(rb, (const char *)&h, sizeof(h));
	jack_ringbuffer_write(rb, (const char *)buf, n * sizeof(float));
	return 0;
}

/* Write what the ring holds, silence for the frames no cycle delivered. */
static void drain(SNDFILE *sf, jack_nframes_t *next, int *started)
{
	static float buf[8192], zero[1024];
	struct head h;

	while (jack_ringbuffer_read_space(rb) >= sizeof(h)) {
		/* The writer puts the head and the samples in separately: wait for both. */
		jack_ringbuffer_peek(rb, (char *)&h, sizeof(h));
		if (h.n > 8192)
			exit(3);
		if (jack_ringbuffer_read_space(rb) < sizeof(h) + h.n * sizeof(float))
			break;
		jack_ringbuffer_read_advance(rb, sizeof(h));
		jack_ringbuffer_read(rb, (char *)buf, h.n * sizeof(float));
		if (*started && h.frame > *next) {
			jack_nframes_t gap = h.frame - *next;

			while (gap) {
				jack_nframes_t k = gap < 1024 ? gap : 1024;

				sf_writef_float(sf, zero, k);
				gap -= k;
			}
		}
		if (!*started)
			first_frame = h.frame;
		*started = 1;
		*next = h.frame + h.n;
		sf_writef_float(sf, buf, h.n);
	}
}

static void registered(jack_port_id_t id, int reg, void *arg)
{
	(void)id;
	(void)arg;
	if (reg)
		want_connect = 1;
}

static void on_signal(int sig)
{
	(void)sig;
	done = 1;
}

static void shutdown_cb(void *arg)
{
	(void)arg;
	done = 1;
}

static void connect_all(jack_client_t *c)
{
	char pattern[256];
	const char **ports;

	snprintf(pattern, sizeof(pattern), "^%s:", target);
	ports = jack_get_ports(c, pattern, NULL, JackPortIsOutput);
	/* limber's channels carry the same signal: record the first. */
	if (ports && ports[0])
		jack_connect(c, ports[0], jack_port_name(in));
	jack_free(ports);
}

int main(int argc, char **argv)
{
	jack_client_t *c;
	SF_INFO info;
	SNDFILE *sf;
	jack_nframes_t next = 0;
	int started = 0;
	double limit;
	struct timespec t0, now;

	if (argc != 4) {
		fprintf(stderr, "usage: jack_capture OUT.wav CLIENT SECONDS\n");
		return 2;
	}
	target = argv[2];
	limit = atof(argv[3]);
	c = client = jack_client_open("limber_capture", JackNoStartServer, NULL);
	if (!c) {
		fprintf(stderr, "jack_capture: no JACK server\n");
		return 1;
	}
	rb = jack_ringbuffer_create(48000 * 8 * sizeof(float));
	in = jack_port_register(c, "in", JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
	jack_set_process_callback(c, process, NULL);
	jack_set_port_registration_callback(c, registered, NULL);
	jack_on_shutdown(c, shutdown_cb, NULL);
	memset(&info, 0, sizeof(info));
	info.samplerate = (int)jack_get_sample_rate(c);
	info.channels = 1;
	info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
	sf = sf_open(argv[1], SFM_WRITE, &info);
	if (!sf) {
		fprintf(stderr, "jack_capture: %s: %s\n", argv[1], sf_strerror(NULL));
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	jack_activate(c);
	connect_all(c);
	printf("ready\n");
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!done) {
		if (want_connect) {
			want_connect = 0;
			connect_all(c);
		}
		drain(sf, &next, &started);
		if (started) {
			struct timespec ts;
			jack_nframes_t f = jack_frame_time(c);

			clock_gettime(CLOCK_MONOTONIC, &ts);
			/* The file's frame 0 is the JACK frame of the first buffer written. */
			printf("sync %lld %lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec,
			       (long long)f - (long long)first_frame);
			fflush(stdout);
		}
		nanosleep(&(struct timespec){ 0, 10000000L }, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9 > limit)
			done = 1;
	}
	jack_client_close(c);
	drain(sf, &next, &started);
	sf_close(sf);
	jack_ringbuffer_free(rb);
	return 0;
}

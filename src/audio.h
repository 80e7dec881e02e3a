/*
 * audio: the sound device, through PortAudio. Thin on purpose: it finds a
 * device by name, opens a stream whose callback is playout_process(), and
 * says whether the stream is alive. Everything above it is tested without
 * a sound card.
 */
#ifndef LIMBER_AUDIO_H
#define LIMBER_AUDIO_H

#include <stddef.h>

struct playout;
struct audio;

struct audio_device {
	int index;
	char name[128];
	char host[64];
	int channels;
	double rate;
	double low_latency, high_latency;
	int is_default;
};

/* PortAudio, initialised quietly (no ALSA or JACK probing noise). */
int audio_init(char *err);
void audio_terminate(void);

/* Every output device; the caller frees *out. */
int audio_devices(struct audio_device **out, size_t *n, char *err);
/*
 * The output whose device or host API name contains match (any case); NULL: the default.
 * AUDIO_NONE when there is no output at all and none was asked for by name.
 */
#define AUDIO_NONE (-2)
int audio_find(const char *match, struct audio_device *dev, char *err);

/* Open and start dev at rate with about latency_s of output latency. */
int audio_open(const struct audio_device *dev, unsigned rate, double latency_s,
	       struct playout *po, struct audio **out, char *err);
void audio_close(struct audio *a);
double audio_latency(const struct audio *a);
/* 1 while the stream runs; 0 once it has stopped or failed (device gone). */
int audio_alive(struct audio *a);

#endif

/*
 * audio: PortAudio 19.6 as Debian ships it, with its known traps handled.
 *
 * The probing noise at start-up comes from alsa-lib and libjack: their
 * error handlers are replaced with no-ops and JACK is told not to start a
 * server. PortAudio's own diagnostics cannot be redirected in 19.6, so
 * stderr is parked on /dev/null around initialisation and opening; every
 * failure is reported by limber from the PaError instead. The device list
 * is frozen at Pa_Initialize, so finding a device that came back means
 * terminating and initialising again (the player does that).
 */
#include "audio.h"

#include "playout.h"
#include "util.h"

#include <alsa/asoundlib.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <jack/jack.h>
#include <pa_jack.h>
#include <portaudio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define AUDIO_START_TIMEOUT_MS 5000

struct audio {
	PaStream *stream;
	struct playout *po;
	int channels;
	double latency;
};

static void audio_alsa_quiet(const char *file, int line, const char *fn, int e, const char *fmt,
			     ...)
{
	(void)file;
	(void)line;
	(void)fn;
	(void)e;
	(void)fmt;
}

static void audio_jack_quiet(const char *msg)
{
	(void)msg;
}

/* Park stderr on /dev/null; returns the saved descriptor, or -1. */
static int audio_hush(void)
{
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	fflush(stderr);
	if (saved >= 0 && null >= 0)
		dup2(null, STDERR_FILENO);
	if (null >= 0)
		close(null);
	return saved;
}

static void audio_unhush(int saved)
{
	if (saved < 0)
		return;
	dup2(saved, STDERR_FILENO);
	close(saved);
}

int audio_init(char *err)
{
	PaError pe;
	int saved;

	snd_lib_error_set_handler(audio_alsa_quiet);
	jack_set_error_function(audio_jack_quiet);
	jack_set_info_function(audio_jack_quiet);
	setenv("JACK_NO_START_SERVER", "1", 0);
	PaJack_SetClientName("limber");
	saved = audio_hush();
	pe = Pa_Initialize();
	audio_unhush(saved);
	if (pe != paNoError)
		return util_err(err, "cannot start PortAudio: %s", Pa_GetErrorText(pe));
	return 0;
}

void audio_terminate(void)
{
	int saved = audio_hush();

	Pa_Terminate();
	audio_unhush(saved);
}

static void audio_describe(PaDeviceIndex i, struct audio_device *d)
{
	const PaDeviceInfo *info = Pa_GetDeviceInfo(i);
	const PaHostApiInfo *host = Pa_GetHostApiInfo(info->hostApi);

	memset(d, 0, sizeof(*d));
	d->index = i;
	snprintf(d->name, sizeof(d->name), "%s", info->name);
	snprintf(d->host, sizeof(d->host), "%s", host ? host->name : "?");
	d->channels = info->maxOutputChannels;
	d->rate = info->defaultSampleRate;
	d->low_latency = info->defaultLowOutputLatency;
	d->high_latency = info->defaultHighOutputLatency;
	d->is_default = i == Pa_GetDefaultOutputDevice();
}

int audio_devices(struct audio_device **out, size_t *n, char *err)
{
	PaDeviceIndex count = Pa_GetDeviceCount();

	*out = NULL;
	*n = 0;
	if (count < 0)
		return util_err(err, "cannot list audio devices: %s", Pa_GetErrorText(count));
	*out = util_xcalloc((size_t)count + 1, sizeof(**out));
	for (PaDeviceIndex i = 0; i < count; i++) {
		const PaDeviceInfo *info = Pa_GetDeviceInfo(i);

		if (info && info->maxOutputChannels > 0)
			audio_describe(i, &(*out)[(*n)++]);
	}
	return 0;
}

/* Case-insensitive substring. */
static int audio_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return 1;
	return n == 0;
}

int audio_find(const char *match, struct audio_device *dev, char *err)
{
	struct audio_device *all;
	size_t n;
	int found = -1;

	if (audio_devices(&all, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n && found < 0; i++) {
		if (match ? (audio_contains(all[i].name, match) || audio_contains(all[i].host, match))
			  : all[i].is_default)
			found = (int)i;
	}
	if (found >= 0)
		*dev = all[found];
	free(all);
	if (found < 0 && match)
		return util_err(err, "no audio output matches '%s'; try `limber devices`", match);
	if (found < 0) {
		util_err(err, "no audio output found; try `limber devices`, or render to a file with "
			      "`limber render`");
		return AUDIO_NONE;
	}
	return 0;
}

static int audio_callback(const void *in, void *out, unsigned long frames,
			  const PaStreamCallbackTimeInfo *time, PaStreamCallbackFlags flags,
			  void *user)
{
	struct audio *a = user;

	(void)in;
	(void)flags;
	playout_process(a->po, out, frames, a->channels, time ? time->outputBufferDacTime : -1.0);
	return paContinue;
}

/* Opening and starting, on a thread of its own: Pa_StartStream can hang when ALSA fails. */
struct audio_opener {
	struct audio *a;
	PaStreamParameters p;
	double rate;
	PaError pe;
	atomic_int done;
};

static void *audio_opener_run(void *arg)
{
	struct audio_opener *o = arg;

	o->pe = Pa_OpenStream(&o->a->stream, NULL, &o->p, o->rate, paFramesPerBufferUnspecified,
			      paNoFlag, audio_callback, o->a);
	if (o->pe == paNoError) {
		o->pe = Pa_StartStream(o->a->stream);
		if (o->pe != paNoError)
			Pa_CloseStream(o->a->stream);
	}
	atomic_store(&o->done, 1);
	return NULL;
}

int audio_open(const struct audio_device *dev, unsigned rate, double latency_s,
	       struct playout *po, struct audio **out, char *err)
{
	struct audio_opener *o = util_xcalloc(1, sizeof(*o));
	const PaStreamInfo *info;
	struct audio *a;
	pthread_t th;
	PaError pe;
	int saved, waited = 0;

	*out = NULL;
	a = util_xcalloc(1, sizeof(*a));
	a->po = po;
	a->channels = dev->channels >= 2 ? 2 : 1;
	o->a = a;
	o->rate = rate;
	o->p.device = dev->index;
	o->p.channelCount = a->channels;
	o->p.sampleFormat = paFloat32;
	o->p.suggestedLatency = latency_s > dev->low_latency ? latency_s : dev->low_latency;
	atomic_init(&o->done, 0);
	saved = audio_hush();
	if (pthread_create(&th, NULL, audio_opener_run, o) != 0) {
		audio_opener_run(o);
	} else {
		struct timespec ts = { 0, 10 * 1000000L };

		while (!atomic_load(&o->done) && waited < AUDIO_START_TIMEOUT_MS) {
			nanosleep(&ts, NULL);
			waited += 10;
		}
		if (!atomic_load(&o->done)) {
			/* Leave the stuck thread and its memory: PortAudio still holds them. */
			pthread_detach(th);
			audio_unhush(saved);
			return util_err(err, "audio device '%s' did not start within %d s (PortAudio "
					     "hung); try another with --device",
					dev->name, AUDIO_START_TIMEOUT_MS / 1000);
		}
		pthread_join(th, NULL);
	}
	audio_unhush(saved);
	pe = o->pe;
	free(o);
	if (pe != paNoError) {
		free(a);
		if (pe == paDeviceUnavailable)
			return util_err(err, "audio device '%s' is busy: another program is using it "
					     "(close it, or choose another with --device)",
					dev->name);
		return util_err(err, "cannot play on '%s': %s (try `limber devices`)", dev->name,
				Pa_GetErrorText(pe));
	}
	info = Pa_GetStreamInfo(a->stream);
	a->latency = info ? info->outputLatency : latency_s;
	*out = a;
	return 0;
}

void audio_close(struct audio *a)
{
	int saved;

	if (!a)
		return;
	saved = audio_hush();
	Pa_AbortStream(a->stream);
	Pa_CloseStream(a->stream);
	audio_unhush(saved);
	free(a);
}

double audio_latency(const struct audio *a)
{
	return a->latency;
}

int audio_alive(struct audio *a)
{
	return Pa_IsStreamActive(a->stream) == 1;
}

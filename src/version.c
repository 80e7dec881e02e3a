/*
 * version: the built-with and running-with table of `limber --version`.
 * Build-time versions are pkg-config's (LIMBER_BUILT_* from CMake); the
 * running ones come from each library's own getter. Where a library has
 * no such call (libevdev, libsystemd) the row says so rather than guess.
 */
#include "version.h"

#include <espeak-ng/speak_lib.h>
#include <gpiod.h>
#include <libfyaml.h>
#include <portaudio.h>
#include <samplerate.h>
#include <sndfile.h>
#include <sqlite3.h>
#include <string.h>

#ifdef LIMBER_HAVE_MQTT
#include <mosquitto.h>
#endif

#ifndef LIMBER_VERSION
#define LIMBER_VERSION "0"
#endif
#define VERSION_UNKNOWN "unknown"
#ifndef LIMBER_BUILT_ESPEAK
#define LIMBER_BUILT_ESPEAK VERSION_UNKNOWN
#endif
#ifndef LIMBER_BUILT_PORTAUDIO
#define LIMBER_BUILT_PORTAUDIO VERSION_UNKNOWN
#endif
#ifndef LIMBER_BUILT_SNDFILE
#define LIMBER_BUILT_SNDFILE VERSION_UNKNOWN
#endif
#ifndef LIMBER_BUILT_SAMPLERATE
#define LIMBER_BUILT_SAMPLERATE VERSION_UNKNOWN
#endif
#ifndef LIMBER_BUILT_FYAML
#define LIMBER_BUILT_FYAML VERSION_UNKNOWN
#endif
#ifndef LIMBER_BUILT_GPIOD
#define LIMBER_BUILT_GPIOD VERSION_UNKNOWN
#endif
#ifndef LIMBER_BUILT_EVDEV
#define LIMBER_BUILT_EVDEV VERSION_UNKNOWN
#endif

#define VERSION_NO_CALL "(the library has no version call)"

/* The version number alone: "libsndfile-1.2.0" and "libsamplerate-0.2.2 (c) ..." give more. */
static void version_row(FILE *f, const char *lib, const char *built, const char *run,
			const char *prefix)
{
	size_t n;

	if (prefix && !strncmp(run, prefix, strlen(prefix)))
		run += strlen(prefix);
	n = strcspn(run, " ,");
	fprintf(f, "  %-14s %-18s %.*s\n", lib, built, (int)n, run);
}

void version_print(FILE *f)
{
	const PaVersionInfo *pa = Pa_GetVersionInfo();
	char pa_run[48];

	fprintf(f, "limber %s\n\n", LIMBER_VERSION);
	fprintf(f, "  %-14s %-18s %s\n", "library", "built with", "running with");
	/* espeak_Info only returns a static string: no espeak_Initialize, no data loaded. */
	version_row(f, "eSpeak NG", LIMBER_BUILT_ESPEAK, espeak_Info(NULL), NULL);
	snprintf(pa_run, sizeof(pa_run), "%d.%d.%d", pa->versionMajor, pa->versionMinor,
		 pa->versionSubMinor);
	version_row(f, "PortAudio", LIMBER_BUILT_PORTAUDIO, pa_run, NULL);
	version_row(f, "libsndfile", LIMBER_BUILT_SNDFILE, sf_version_string(), "libsndfile-");
	version_row(f, "libsamplerate", LIMBER_BUILT_SAMPLERATE, src_get_version(), "libsamplerate-");
	version_row(f, "libfyaml", LIMBER_BUILT_FYAML, fy_library_version(), NULL);
#ifdef LIMBER_GPIOD_V2
	fprintf(f, "  %-14s %-18s %s\n", "libgpiod", LIMBER_BUILT_GPIOD " (v2 API)",
		gpiod_api_version());
#else
	fprintf(f, "  %-14s %-18s %s\n", "libgpiod", LIMBER_BUILT_GPIOD " (v1 API)",
		gpiod_version_string());
#endif
	fprintf(f, "  %-14s %-18s %s\n", "libevdev", LIMBER_BUILT_EVDEV, VERSION_NO_CALL);
	fprintf(f, "  %-14s %-18s %s\n", "SQLite", SQLITE_VERSION, sqlite3_libversion());
#ifdef LIMBER_HAVE_MQTT
	{
		int maj, min, rev;

		/* A plain getter: no mosquitto_lib_init, as without mqtt: in the config. */
		mosquitto_lib_version(&maj, &min, &rev);
		fprintf(f, "  %-14s %d.%d.%-14d %d.%d.%d\n", "libmosquitto", LIBMOSQUITTO_MAJOR,
			LIBMOSQUITTO_MINOR, LIBMOSQUITTO_REVISION, maj, min, rev);
	}
#else
	fprintf(f, "  %-14s %-18s %s\n", "libmosquitto", "not built in", "-");
#endif
#ifdef LIMBER_BUILT_SYSTEMD
	/* CMake always defines it as a string; cppcheck, trying configurations, as 1. */
	// cppcheck-suppress invalidPrintfArgType_s
	fprintf(f, "  %-14s %-18s %s\n", "libsystemd", LIMBER_BUILT_SYSTEMD, VERSION_NO_CALL);
#else
	fprintf(f, "  %-14s %-18s %s\n", "libsystemd", "not built in", "-");
#endif
}

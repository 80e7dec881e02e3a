/*
 * evdev: the input devices the daemon listens to (keyboards, presenter
 * clickers, foot pedals, Bluetooth media remotes), through libevdev.
 *
 * Devices are chosen by name (every event node whose name contains it: a
 * Bluetooth remote is often several) or by path, grabbed so their keys go
 * nowhere else (not to a login console), and read on CLOCK_MONOTONIC. A
 * device that goes away (ENODEV) is closed; inotify on the directory says
 * when a node appears, and it is matched again by name, so a remote that
 * sleeps and reconnects keeps working without the daemon ever polling.
 * SYN_DROPPED is libevdev's to repair: its sync events come through.
 */
#ifndef LIMBER_EVDEV_H
#define LIMBER_EVDEV_H

#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#define EVDEV_MAX 16

struct evdev_set;

/* Key records go to key(ctx, src, code, value, t_ms); a device that is gone to lost(ctx, src). */
struct evdev_sink {
	void *ctx;
	void (*key)(void *ctx, int src, unsigned code, int value, int64_t t_ms);
	void (*lost)(void *ctx, int src);
};

/* Watch dir (/dev/input) for the inputs of the config; opens what is there now. */
struct evdev_set *evdev_open(const struct config_input *in, size_t n, const char *dir);
/* The descriptors to poll: up to max into fds; how many. */
size_t evdev_pollfds(const struct evdev_set *s, struct pollfd *fds, size_t max);
/* Handle what poll() found in the fds evdev_pollfds() gave. */
void evdev_handle(struct evdev_set *s, const struct pollfd *fds, size_t n,
		  const struct evdev_sink *sink);
/* How many devices are open now. */
size_t evdev_count(const struct evdev_set *s);
void evdev_close(struct evdev_set *s);

/* Every key device in dir, one line each ("path: name"), for `limber devices`; how many. */
size_t evdev_list(const char *dir, FILE *out);

#endif

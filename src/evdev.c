/*
 * evdev: a fixed table of open devices plus one inotify descriptor.
 */
#include "evdev.h"

#include "log.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libevdev/libevdev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

struct evdev_dev {
	int fd;                 /* -1: slot free */
	char path[280];
	struct libevdev *dev;
};

struct evdev_set {
	const struct config_input *in;
	size_t nin;
	char *dir;
	int ino;                /* inotify on dir, or -1 */
	struct evdev_dev d[EVDEV_MAX];
	char denied[EVDEV_MAX][280];   /* nodes we could not open, said once each */
	size_t ndenied;
};

static int evdev_wanted(const struct evdev_set *s, const char *path, const char *name)
{
	for (size_t i = 0; i < s->nin; i++) {
		if (s->in[i].path && !strcmp(s->in[i].path, path))
			return 1;
		if (s->in[i].name && name && strstr(name, s->in[i].name))
			return 1;
	}
	return 0;
}

static void evdev_denied(struct evdev_set *s, const char *path, int e)
{
	for (size_t i = 0; i < s->ndenied; i++)
		if (!strcmp(s->denied[i], path))
			return;
	if (s->ndenied < EVDEV_MAX)
		snprintf(s->denied[s->ndenied++], sizeof(s->denied[0]), "%s", path);
	log_warn("input %s: %s%s", path, strerror(e),
		e == EACCES ? " (is the user in the input group?)" : "");
}

static void evdev_try(struct evdev_set *s, const char *path)
{
	struct libevdev *dev = NULL;
	int slot = -1, fd;

	for (int i = 0; i < EVDEV_MAX; i++) {
		if (s->d[i].fd >= 0 && !strcmp(s->d[i].path, path))
			return;   /* open already */
		if (s->d[i].fd < 0 && slot < 0)
			slot = i;
	}
	if (slot < 0)
		return;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			evdev_denied(s, path, errno);
		return;
	}
	if (libevdev_new_from_fd(fd, &dev) < 0 ||
	    !evdev_wanted(s, path, libevdev_get_name(dev)) || !libevdev_has_event_type(dev, EV_KEY)) {
		libevdev_free(dev);
		close(fd);
		return;
	}
	libevdev_set_clock_id(dev, CLOCK_MONOTONIC);
	if (libevdev_grab(dev, LIBEVDEV_GRAB) < 0)
		log_warn("input %s (%s): cannot grab it; its keys also go elsewhere",
			path, libevdev_get_name(dev));
	s->d[slot].fd = fd;
	s->d[slot].dev = dev;
	snprintf(s->d[slot].path, sizeof(s->d[slot].path), "%s", path);
	log_info("input %s: %s", path, libevdev_get_name(dev));
}

static void evdev_scan(struct evdev_set *s)
{
	DIR *d = opendir(s->dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[280];

		if (strncmp(de->d_name, "event", 5) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", s->dir, de->d_name);
		evdev_try(s, path);
	}
	closedir(d);
	/* Paths given outright may live elsewhere (/dev/input/by-id/...). */
	for (size_t i = 0; i < s->nin; i++)
		if (s->in[i].path)
			evdev_try(s, s->in[i].path);
}

struct evdev_set *evdev_open(const struct config_input *in, size_t n, const char *dir)
{
	struct evdev_set *s = util_xcalloc(1, sizeof(*s));

	s->in = in;
	s->nin = n;
	s->dir = util_xstrdup(dir);
	for (int i = 0; i < EVDEV_MAX; i++)
		s->d[i].fd = -1;
	s->ino = -1;
	if (!n)
		return s;
	/* udev makes a node, then sets its group: both mean "look again". */
	s->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (s->ino >= 0 && inotify_add_watch(s->ino, dir, IN_CREATE | IN_ATTRIB) < 0) {
		log_warn("cannot watch %s for input devices: %s", dir,
			strerror(errno));
		close(s->ino);
		s->ino = -1;
	}
	evdev_scan(s);
	return s;
}

size_t evdev_pollfds(const struct evdev_set *s, struct pollfd *fds, size_t max)
{
	size_t n = 0;

	if (s->ino >= 0 && n < max)
		fds[n++] = (struct pollfd){ s->ino, POLLIN, 0 };
	for (int i = 0; i < EVDEV_MAX && n < max; i++)
		if (s->d[i].fd >= 0)
			fds[n++] = (struct pollfd){ s->d[i].fd, POLLIN, 0 };
	return n;
}

static void evdev_drop(struct evdev_set *s, int i, const struct evdev_sink *sink)
{
	log_warn("input %s (%s) went away; waiting for it to come back",
		s->d[i].path, libevdev_get_name(s->d[i].dev));
	libevdev_free(s->d[i].dev);
	close(s->d[i].fd);
	s->d[i].fd = -1;
	s->d[i].dev = NULL;
	if (sink->lost)
		sink->lost(sink->ctx, i);
}

static void evdev_read(struct evdev_set *s, int i, const struct evdev_sink *sink)
{
	unsigned flag = LIBEVDEV_READ_FLAG_NORMAL;

	for (;;) {
		struct input_event ev;
		int rc = libevdev_next_event(s->d[i].dev, flag, &ev);

		if (rc == LIBEVDEV_READ_STATUS_SYNC) {
			/* Events were dropped: libevdev replays the state that changed. */
			flag = LIBEVDEV_READ_FLAG_SYNC;
		} else if (rc == -EAGAIN) {
			if (flag == LIBEVDEV_READ_FLAG_NORMAL)
				return;
			flag = LIBEVDEV_READ_FLAG_NORMAL;   /* the sync is done; back to normal */
			continue;
		} else if (rc < 0) {
			evdev_drop(s, i, sink);
			return;
		}
		if (ev.type == EV_KEY)
			sink->key(sink->ctx, i, ev.code, ev.value,
				  (int64_t)ev.input_event_sec * 1000 + ev.input_event_usec / 1000);
	}
}

void evdev_handle(struct evdev_set *s, const struct pollfd *fds, size_t n,
		  const struct evdev_sink *sink)
{
	for (size_t k = 0; k < n; k++) {
		if (!fds[k].revents)
			continue;
		if (fds[k].fd == s->ino) {
			char buf[4096];

			while (read(s->ino, buf, sizeof(buf)) > 0)
				;
			evdev_scan(s);
			continue;
		}
		for (int i = 0; i < EVDEV_MAX; i++)
			if (s->d[i].fd == fds[k].fd)
				evdev_read(s, i, sink);
	}
}

size_t evdev_count(const struct evdev_set *s)
{
	size_t n = 0;

	for (int i = 0; i < EVDEV_MAX; i++)
		n += s->d[i].fd >= 0;
	return n;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t evdev_list(const char *dir, FILE *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **lines = NULL;
	size_t n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char path[280], line[600];
		struct libevdev *dev = NULL;
		int fd;

		if (strncmp(de->d_name, "event", 5) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			snprintf(line, sizeof(line), "  %-20s (%s)", path, strerror(errno));
		} else if (libevdev_new_from_fd(fd, &dev) == 0 && libevdev_has_event_type(dev, EV_KEY)) {
			snprintf(line, sizeof(line), "  %-20s %s", path, libevdev_get_name(dev));
		} else {
			line[0] = '\0';
		}
		libevdev_free(dev);
		if (fd >= 0)
			close(fd);
		if (!line[0])
			continue;
		lines = util_xrealloc(lines, (n + 1) * sizeof(*lines));
		lines[n++] = util_xstrdup(line);
	}
	closedir(d);
	if (n)
		qsort(lines, n, sizeof(*lines), entry_cmp);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s\n", lines[i]);
		free(lines[i]);
	}
	free(lines);
	return n;
}

void evdev_close(struct evdev_set *s)
{
	if (!s)
		return;
	for (int i = 0; i < EVDEV_MAX; i++) {
		if (s->d[i].fd >= 0) {
			libevdev_grab(s->d[i].dev, LIBEVDEV_UNGRAB);
			libevdev_free(s->d[i].dev);
			close(s->d[i].fd);
		}
	}
	if (s->ino >= 0)
		close(s->ino);
	free(s->dir);
	free(s);
}

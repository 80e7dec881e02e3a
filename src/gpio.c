/*
 * gpio: the two libgpiod APIs behind gpio.h. LIMBER_GPIOD_V2 is set by
 * CMake from pkg-config's version of libgpiod (2.x).
 */
#include "gpio.h"

#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <gpiod.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GPIO_CONSUMER "limber"

/* The kernel stamps edges on CLOCK_MONOTONIC (since Linux 5.7); older ones used the wall clock. */
static int64_t gpio_ms(int64_t ns)
{
	int64_t now_ms = util_now_ms(), t = ns / 1000000;

	return t > now_ms + 1000 || t < now_ms - 60000 ? now_ms : t;
}

#ifndef LIMBER_GPIOD_V2

struct gpio_button {
	struct gpiod_chip *chip;
	struct gpiod_line *line;
	int fd;
};

int gpio_open(const char *chip, const char *line, struct gpio_button **out, char *err)
{
	struct gpio_button *g;
	struct gpiod_chip *c;
	struct gpiod_line *l;

	*out = NULL;
	/* By label first: the number and even the name of a Pi's header chip change. */
	c = gpiod_chip_open_by_label(chip);
	if (!c)
		c = gpiod_chip_open_lookup(chip);
	if (!c)
		return util_err(err, "GPIO chip '%s': %s", chip,
				errno == EACCES ? "permission denied (is the user in the gpio group?)"
						: "not found (see `gpiodetect` for the labels)");
	l = gpiod_chip_find_line(c, line);
	if (!l) {
		gpiod_chip_close(c);
		return util_err(err, "GPIO chip '%s' has no line named '%s' (see `gpioinfo`)", chip,
				line);
	}
	if (gpiod_line_request_both_edges_events_flags(l, GPIO_CONSUMER,
						       GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP) < 0) {
		int e = errno;

		gpiod_chip_close(c);
		return util_err(err, "GPIO line '%s' on '%s': %s", line, chip,
				e == EBUSY ? "in use by another program" : strerror(e));
	}
	g = util_xcalloc(1, sizeof(*g));
	g->chip = c;
	g->line = l;
	g->fd = gpiod_line_event_get_fd(l);
	*out = g;
	return 0;
}

int gpio_read(struct gpio_button *g, int *pressed, int64_t *t_ms)
{
	struct pollfd pfd = { g->fd, POLLIN, 0 };
	struct gpiod_line_event ev;

	if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & POLLIN))
		return pfd.revents & (POLLERR | POLLHUP) ? -1 : 0;
	if (gpiod_line_event_read_fd(g->fd, &ev) < 0)
		return errno == EAGAIN ? 0 : -1;
	*pressed = ev.event_type == GPIOD_LINE_EVENT_FALLING_EDGE;
	*t_ms = gpio_ms((int64_t)ev.ts.tv_sec * 1000000000 + ev.ts.tv_nsec);
	return 1;
}

void gpio_close(struct gpio_button *g)
{
	if (!g)
		return;
	gpiod_line_release(g->line);
	gpiod_chip_close(g->chip);
	free(g);
}

#else /* libgpiod v2 */

struct gpio_button {
	struct gpiod_chip *chip;
	struct gpiod_line_request *req;
	struct gpiod_edge_event_buffer *buf;
	int fd;
};

/*
 * v2 opens chips by path only: look through /dev for the label or name.
 * NULL when none is found; *denied says whether a chip could not be opened
 * for want of permission (errno is not that: readdir and closedir may have
 * changed it since).
 */
static struct gpiod_chip *gpio_find_chip(const char *want, int *denied)
{
	DIR *d;
	struct dirent *de;
	struct gpiod_chip *found = NULL;

	*denied = 0;
	if (want[0] == '/') {
		found = gpiod_chip_open(want);
		*denied = !found && errno == EACCES;
		return found;
	}
	d = opendir("/dev");
	if (!d)
		return NULL;
	while (!found && (de = readdir(d)) != NULL) {
		char path[300];
		struct gpiod_chip *c;
		struct gpiod_chip_info *info;

		if (strncmp(de->d_name, "gpiochip", 8) != 0)
			continue;
		snprintf(path, sizeof(path), "/dev/%s", de->d_name);
		c = gpiod_chip_open(path);
		if (!c) {
			*denied |= errno == EACCES;
			continue;
		}
		info = gpiod_chip_get_info(c);
		if (info && (!strcmp(gpiod_chip_info_get_label(info), want) ||
			     !strcmp(gpiod_chip_info_get_name(info), want)))
			found = c;
		else
			gpiod_chip_close(c);
		gpiod_chip_info_free(info);
	}
	closedir(d);
	return found;
}

int gpio_open(const char *chip, const char *line, struct gpio_button **out, char *err)
{
	int denied;
	struct gpiod_chip *c = gpio_find_chip(chip, &denied);
	struct gpiod_line_settings *ls = NULL;
	struct gpiod_line_config *lc = NULL;
	struct gpiod_request_config *rc = NULL;
	struct gpiod_line_request *req = NULL;
	struct gpio_button *g;
	unsigned int offset;
	int off, e = 0;

	*out = NULL;
	if (!c)
		return util_err(err, "GPIO chip '%s': %s", chip,
				denied ? "permission denied (is the user in the gpio group?)"
				       : "not found (see `gpiodetect` for the labels)");
	off = gpiod_chip_get_line_offset_from_name(c, line);
	if (off < 0) {
		gpiod_chip_close(c);
		return util_err(err, "GPIO chip '%s' has no line named '%s' (see `gpioinfo`)", chip,
				line);
	}
	offset = (unsigned int)off;
	ls = gpiod_line_settings_new();
	lc = gpiod_line_config_new();
	rc = gpiod_request_config_new();
	if (ls && lc && rc) {
		gpiod_line_settings_set_direction(ls, GPIOD_LINE_DIRECTION_INPUT);
		gpiod_line_settings_set_edge_detection(ls, GPIOD_LINE_EDGE_BOTH);
		gpiod_line_settings_set_bias(ls, GPIOD_LINE_BIAS_PULL_UP);
		gpiod_line_settings_set_event_clock(ls, GPIOD_LINE_CLOCK_MONOTONIC);
		gpiod_request_config_set_consumer(rc, GPIO_CONSUMER);
		if (gpiod_line_config_add_line_settings(lc, &offset, 1, ls) == 0)
			req = gpiod_chip_request_lines(c, rc, lc);
	}
	e = errno;
	gpiod_line_settings_free(ls);
	gpiod_line_config_free(lc);
	gpiod_request_config_free(rc);
	if (!req) {
		gpiod_chip_close(c);
		return util_err(err, "GPIO line '%s' on '%s': %s", line, chip,
				e == EBUSY ? "in use by another program" : strerror(e));
	}
	g = util_xcalloc(1, sizeof(*g));
	g->chip = c;
	g->req = req;
	g->buf = gpiod_edge_event_buffer_new(1);
	g->fd = gpiod_line_request_get_fd(req);
	*out = g;
	return 0;
}

int gpio_read(struct gpio_button *g, int *pressed, int64_t *t_ms)
{
	struct pollfd pfd = { g->fd, POLLIN, 0 };
	struct gpiod_edge_event *ev;

	if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & POLLIN))
		return pfd.revents & (POLLERR | POLLHUP) ? -1 : 0;
	if (gpiod_line_request_read_edge_events(g->req, g->buf, 1) < 1)
		return errno == EAGAIN ? 0 : -1;
	ev = gpiod_edge_event_buffer_get_event(g->buf, 0);
	*pressed = gpiod_edge_event_get_event_type(ev) == GPIOD_EDGE_EVENT_FALLING_EDGE;
	*t_ms = gpio_ms((int64_t)gpiod_edge_event_get_timestamp_ns(ev));
	return 1;
}

void gpio_close(struct gpio_button *g)
{
	if (!g)
		return;
	gpiod_edge_event_buffer_free(g->buf);
	gpiod_line_request_release(g->req);
	gpiod_chip_close(g->chip);
	free(g);
}

#endif

int gpio_fd(const struct gpio_button *g)
{
	return g->fd;
}

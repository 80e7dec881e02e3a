/*
 * control: the control socket, a transport. Owner and group only (0660), a
 * few clients at once, each fed to the line protocol's reader (ctl.h) as
 * bytes come; each request goes to the handler the daemon gives, whose
 * reply line goes back.
 */
#ifndef LIMBER_CONTROL_H
#define LIMBER_CONTROL_H

#include "ctl.h"

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#define CONTROL_CLIENTS 16
#define CONTROL_CLIENT_MS 10000   /* a client that has not finished a line in this long is dropped */

struct control_client {
	int fd;                  /* -1: free */
	int64_t since;           /* connected, or its last whole line */
	struct ctl_reader r;
};

struct control {
	int sock;
	char path[108];
	struct control_client clients[CONTROL_CLIENTS];
	ctl_handler *handle;
	void *ctx;
};

void control_init(struct control *c, ctl_handler *handle, void *ctx);
/* Listen on path. 0, or -1 (logged). */
int control_listen(struct control *c, const char *path);
void control_close(struct control *c);

/* The socket and the clients: how many pollfds were filled (at most CONTROL_CLIENTS + 1). */
size_t control_pollfds(const struct control *c, int accepting, struct pollfd *p);
/* After poll: the same pollfds back. */
void control_handle(struct control *c, const struct pollfd *p, size_t n);
/* The nearest client deadline, or -1; and dropping those past it. */
int64_t control_deadline(const struct control *c);
void control_tick(struct control *c, int64_t now);

#endif

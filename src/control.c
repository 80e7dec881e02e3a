/*
 * control: the control socket (control.h).
 */
#include "control.h"

#include "log.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

void control_init(struct control *c, ctl_handler *handle, void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->sock = -1;
	for (int i = 0; i < CONTROL_CLIENTS; i++)
		c->clients[i].fd = -1;
	c->handle = handle;
	c->ctx = ctx;
}

int control_listen(struct control *c, const char *path)
{
	struct sockaddr_un sa;
	struct stat st;
	mode_t old;
	int fd;

	snprintf(c->path, sizeof(c->path), "%s", path);
	if (strlen(path) >= sizeof(sa.sun_path) - 1) {
		log_err("socket path %s is too long", path);
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, c->path, strlen(c->path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	/* A socket left by a daemon that died is taken over; a live one is not. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		log_err("another daemon is listening on %s", c->path);
		close(fd);
		return -1;
	}
	/* Only a socket is removed: a file put at the path by mistake is the owner's. */
	if (lstat(c->path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			log_err("%s is there and is not a socket: not removing it; "
				"move it, or give --socket another path",
				c->path);
			close(fd);
			return -1;
		}
		unlink(c->path);
	}
	old = umask(0117);   /* owner and group only: 0660 */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
		umask(old);
		log_err("control socket %s: %s", c->path, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	chmod(c->path, 0660);
	c->sock = fd;
	return 0;
}

static void control_drop(struct control_client *cl)
{
	close(cl->fd);
	cl->fd = -1;
}

void control_close(struct control *c)
{
	for (int i = 0; i < CONTROL_CLIENTS; i++)
		if (c->clients[i].fd >= 0)
			control_drop(&c->clients[i]);
	if (c->sock >= 0) {
		close(c->sock);
		unlink(c->path);
	}
	c->sock = -1;
}

/*
 * All slots taken: the client that has waited longest for its line goes, if
 * it has had a second, so that slow or stuck clients cannot keep a polite
 * one out. Its slot, or CONTROL_CLIENTS if every client is new.
 */
static size_t control_evict(struct control *c)
{
	int64_t now = util_now_ms();
	size_t old = 0;

	for (size_t i = 1; i < CONTROL_CLIENTS; i++)
		if (c->clients[i].since < c->clients[old].since)
			old = i;
	if (now - c->clients[old].since < 1000)
		return CONTROL_CLIENTS;
	control_drop(&c->clients[old]);
	return old;
}

static void control_accept(struct control *c)
{
	/* A bounded number a turn, so a flood cannot keep the rest waiting. */
	for (int n = 0; n < 32; n++) {
		int fd = accept4(c->sock, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		size_t i;

		if (fd < 0)
			return;
		for (i = 0; i < CONTROL_CLIENTS; i++)
			if (c->clients[i].fd < 0)
				break;
		if (i == CONTROL_CLIENTS)
			i = control_evict(c);
		if (i == CONTROL_CLIENTS) {
			static const char busy[] = "error: busy, too many clients\n";

			if (write(fd, busy, sizeof(busy) - 1) < 0)
				errno = 0;
			close(fd);
			continue;
		}
		c->clients[i].fd = fd;
		c->clients[i].since = util_now_ms();
		ctl_reader_init(&c->clients[i].r);
	}
}

static void control_read(struct control *c, struct control_client *cl)
{
	char buf[512];
	ssize_t got = read(cl->fd, buf, sizeof(buf));
	size_t off = 0;

	if (got <= 0) {
		if (got == 0 || (errno != EAGAIN && errno != EINTR))
			control_drop(cl);
		return;
	}
	/* The clock restarts at each whole line, not each byte: a line must come within
	 * CONTROL_CLIENT_MS, or a byte every few seconds would hold a slot for ever. */
	while (off < (size_t)got && cl->fd >= 0) {
		struct ctl_request rq;
		char err[LIMBER_ERR_LEN], reply[LIMBER_ERR_LEN + 2];
		int st;
		size_t n;

		off += ctl_reader_feed(&cl->r, buf + off, (size_t)got - off, &rq, &st, err);
		if (st == 1)
			break;
		cl->since = util_now_ms();
		if (st == 0)
			c->handle(c->ctx, &rq, reply, sizeof(reply) - 2);
		else
			snprintf(reply, sizeof(reply) - 2, "%s", err);
		n = strlen(reply);
		reply[n++] = '\n';
		/* Replies are short; a client that cannot take one is not reading: drop it. */
		if (write(cl->fd, reply, n) != (ssize_t)n)
			control_drop(cl);
	}
}

size_t control_pollfds(const struct control *c, int accepting, struct pollfd *p)
{
	p[0] = (struct pollfd){ accepting ? c->sock : -1, POLLIN, 0 };
	for (int i = 0; i < CONTROL_CLIENTS; i++)
		p[1 + i] = (struct pollfd){ c->clients[i].fd, POLLIN, 0 };
	return 1 + CONTROL_CLIENTS;
}

void control_handle(struct control *c, const struct pollfd *p, size_t n)
{
	if (n < 1 + CONTROL_CLIENTS)
		return;
	if (p[0].revents && p[0].fd >= 0)
		control_accept(c);
	for (int i = 0; i < CONTROL_CLIENTS; i++)
		/* The same client still: one dropped and a new one accepted this turn is not it. */
		if (p[1 + i].revents && c->clients[i].fd >= 0 && c->clients[i].fd == p[1 + i].fd)
			control_read(c, &c->clients[i]);
}

int64_t control_deadline(const struct control *c)
{
	int64_t due = -1;

	for (int i = 0; i < CONTROL_CLIENTS; i++) {
		int64_t t = c->clients[i].since + CONTROL_CLIENT_MS;

		if (c->clients[i].fd >= 0 && (due < 0 || t < due))
			due = t;
	}
	return due;
}

void control_tick(struct control *c, int64_t now)
{
	for (int i = 0; i < CONTROL_CLIENTS; i++)
		if (c->clients[i].fd >= 0 && now - c->clients[i].since >= CONTROL_CLIENT_MS)
			control_drop(&c->clients[i]);
}

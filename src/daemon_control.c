/*
 * daemon_control: the control socket. Owner and group only (0660), a few
 * clients at once, each fed to the line protocol's reader (ctl.h) as bytes
 * come; a request becomes an action on the daemon and one reply line.
 */
#include "daemon_int.h"
#include "log.h"

#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

void daemon_socket_path(char *buf, size_t len, int client)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	struct stat st;

	if (xdg && *xdg) {
		snprintf(buf, len, "%s/limber.sock", xdg);
		if (!client || stat(buf, &st) == 0)
			return;
	}
	snprintf(buf, len, "/run/limber/limber.sock");
}

/* ---- configuration and routines ---- */


/* The session's time left in whole seconds, as status says it. */
int64_t control_left_s(const struct daemon *d)
{
	int64_t left = d->left_ms - (d->paused ? 0 : util_now_ms() - d->left_ref);

	return left < 0 ? 0 : (left + 999) / 1000;
}

/* The same for the hold under way, or -1 outside a hold. */
int64_t control_hold_left_s(const struct daemon *d)
{
	int64_t left = d->hold_left_ms - (d->paused ? 0 : util_now_ms() - d->hold_ref);

	if (!d->in_hold)
		return -1;
	return left < 0 ? 0 : (left + 999) / 1000;
}

static void control_status(struct daemon *d, char *out, size_t len)
{
	int64_t left;

	if (d->kind == CHILD_SESSION && d->kill_at) {
		/* Told to stop: it says goodbye for a few seconds, but it is over. */
		snprintf(out, len, "stopping %s", d->routines[d->sess_idx].name);
		return;
	}
	if (d->kind != CHILD_SESSION) {
		menu_status(d, out, len);
		return;
	}
	if (d->asking) {
		snprintf(out, len, "playing %s, asking for a pain rating (a press a point)",
			 d->routines[d->sess_idx].name);
		return;
	}
	left = control_left_s(d);
	if (d->step)
		snprintf(out, len, "%s %s, step %d of %d: %s, %d:%02d left",
			 d->paused ? "paused" : "playing", d->routines[d->sess_idx].name, d->step,
			 d->nsteps, d->step_name, (int)(left / 60), (int)(left % 60));
	else
		snprintf(out, len, "%s %s, starting, %d:%02d left", d->paused ? "paused" : "playing",
			 d->routines[d->sess_idx].name, (int)(left / 60), (int)(left % 60));
}

void control_request(struct daemon *d, const struct ctl_request *rq, char *out, size_t len)
{
	int playing = d->kind == CHILD_SESSION && !d->kill_at;

	switch (rq->verb) {
	case CTL_START:
	case CTL_SELECT: {
		size_t i = rq->name[0] ? daemon_find(d, rq->name) : d->menu_idx;

		if (i >= d->nroutines && !rq->name[0]) {
			snprintf(out, len, "error: there are no routines on the routine path");
		} else if (i == d->nroutines) {
			snprintf(out, len, "error: no routine named '%s' on the routine path", rq->name);
		} else if (rq->verb == CTL_SELECT) {
			/* What a press or a plain start plays next: in an awake menu the
			 * offer becomes it, in a sleeping one the next press offers it. */
			d->menu_idx = i;
			d->resume_offer = 0;
			d->selected = !d->menu_until;
			if (d->menu_until) {
				d->item = MENU_ROUTINE;
				d->list_seen = 1;
			}
			snprintf(out, len, "ok selected %s", d->routines[i].name);
		} else if (playing) {
			snprintf(out, len, "error: %s is playing; stop it first",
				 d->routines[d->sess_idx].name);
		} else if (child_start(d, i, 0) < 0) {
			snprintf(out, len, "error: %s does not load (see the journal)",
				 d->routines[i].name);
		} else {
			snprintf(out, len, "ok starting %s", d->routines[i].name);
		}
		return;
	}
	case CTL_STATUS:
		control_status(d, out, len);
		return;
	case CTL_PRESS:
	case CTL_HOLD:
		menu_act(d, ACT_MAIN, rq->verb == CTL_PRESS ? BUTTON_SHORT : BUTTON_LONG);
		snprintf(out, len, "ok %s", ctl_verb_name(rq->verb));
		return;
	case CTL_STOP:
		if (d->child) {
			d->pending = PEND_NONE;
			d->menu_until = 0;
			child_stop(d);
			snprintf(out, len, "ok stopping");
		} else {
			d->menu_until = 0;
			snprintf(out, len, "ok idle");
		}
		return;
	default:
		break;
	}
	if (!playing) {
		snprintf(out, len, "error: nothing is playing");
		return;
	}
	switch (rq->verb) {
	case CTL_TOGGLE:
		child_key(d, ' ');
		child_set_paused(d, !d->paused);
		snprintf(out, len, "ok %s", d->paused ? "pause" : "resume");
		return;
	case CTL_PAUSE:
	case CTL_RESUME:
		if (d->paused == (rq->verb == CTL_PAUSE)) {
			snprintf(out, len, "ok %s already", d->paused ? "paused" : "playing");
			return;
		}
		child_key(d, ' ');
		child_set_paused(d, rq->verb == CTL_PAUSE);   /* the child confirms it */
		break;
	case CTL_NEXT:
		child_key(d, 'n');
		break;
	case CTL_PREVIOUS:
		child_key(d, 'p');
		break;
	case CTL_REPEAT:
		child_key(d, 'r');
		break;
	default:
		break;
	}
	snprintf(out, len, "ok %s", ctl_verb_name(rq->verb));
}

/* ---- the control socket ---- */

int control_listen(struct daemon *d)
{
	struct sockaddr_un sa;
	const char *path = d->o->socket ? d->o->socket : d->cfg->socket;
	struct stat st;
	mode_t old;
	int fd;

	if (path)
		snprintf(d->sockpath, sizeof(d->sockpath), "%s", path);
	else
		daemon_socket_path(d->sockpath, sizeof(d->sockpath), 0);
	if (strlen(d->sockpath) >= sizeof(sa.sun_path) - 1) {
		log_err("socket path %s is too long", d->sockpath);
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, d->sockpath, strlen(d->sockpath) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	/* A socket left by a daemon that died is taken over; a live one is not. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		log_err("another daemon is listening on %s", d->sockpath);
		close(fd);
		return -1;
	}
	/* Only a socket is removed: a file put at the path by mistake is the owner's. */
	if (lstat(d->sockpath, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			log_err("%s is there and is not a socket: not removing it; "
					"move it, or give --socket another path",
				d->sockpath);
			close(fd);
			return -1;
		}
		unlink(d->sockpath);
	}
	old = umask(0117);   /* owner and group only: 0660 */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
		umask(old);
		log_err("control socket %s: %s", d->sockpath, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	chmod(d->sockpath, 0660);
	d->sock = fd;
	return 0;
}

void control_client_close(struct client *c)
{
	close(c->fd);
	c->fd = -1;
}

/*
 * All slots taken: the client that has waited longest for its line goes, if
 * it has had a second, so that slow or stuck clients cannot keep a polite
 * one out. Its slot, or DAEMON_CLIENTS if every client is new.
 */
static size_t control_evict(struct daemon *d)
{
	int64_t now = util_now_ms();
	size_t old = 0;

	for (size_t i = 1; i < DAEMON_CLIENTS; i++)
		if (d->clients[i].since < d->clients[old].since)
			old = i;
	if (now - d->clients[old].since < 1000)
		return DAEMON_CLIENTS;
	control_client_close(&d->clients[old]);
	return old;
}

void control_accept(struct daemon *d)
{
	/* A bounded number a turn, so a flood cannot keep the rest waiting. */
	for (int n = 0; n < 32; n++) {
		int fd = accept4(d->sock, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		size_t i;

		if (fd < 0)
			return;
		for (i = 0; i < DAEMON_CLIENTS; i++)
			if (d->clients[i].fd < 0)
				break;
		if (i == DAEMON_CLIENTS)
			i = control_evict(d);
		if (i == DAEMON_CLIENTS) {
			static const char busy[] = "error: busy, too many clients\n";

			if (write(fd, busy, sizeof(busy) - 1) < 0)
				errno = 0;
			close(fd);
			continue;
		}
		d->clients[i].fd = fd;
		d->clients[i].since = util_now_ms();
		ctl_reader_init(&d->clients[i].r);
	}
}

void control_client(struct daemon *d, struct client *c)
{
	char buf[512];
	ssize_t got = read(c->fd, buf, sizeof(buf));
	size_t off = 0;

	if (got <= 0) {
		if (got == 0 || (errno != EAGAIN && errno != EINTR))
			control_client_close(c);
		return;
	}
	/* The clock restarts at each whole line, not each byte: a line must come within
	 * DAEMON_CLIENT_MS, or a byte every few seconds would hold a slot for ever. */
	while (off < (size_t)got && c->fd >= 0) {
		struct ctl_request rq;
		char err[LIMBER_ERR_LEN], reply[LIMBER_ERR_LEN + 2];
		int st;
		size_t n;

		off += ctl_reader_feed(&c->r, buf + off, (size_t)got - off, &rq, &st, err);
		if (st == 1)
			break;
		c->since = util_now_ms();
		if (st == 0)
			control_request(d, &rq, reply, sizeof(reply) - 2);
		else
			snprintf(reply, sizeof(reply) - 2, "%s", err);
		n = strlen(reply);
		reply[n++] = '\n';
		/* Replies are short; a client that cannot take one is not reading: drop it. */
		if (write(c->fd, reply, n) != (ssize_t)n)
			control_client_close(c);
	}
}

/* ---- inputs ---- */


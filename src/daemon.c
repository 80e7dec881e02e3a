/*
 * daemon: the poll loop, and the only part of the daemon that does I/O.
 *
 * Each turn it waits on the signals, the control socket and its clients,
 * the input devices, the GPIO lines, MQTT and the child; what it finds
 * becomes an event for the state machine (dstate.h), and the actions that
 * come back become system calls: start a child (child.h), send it a key or
 * a signal, write a line to the journal. A reload happens only between
 * turns, so a turn never reads a poll array made for the old config.
 *
 *   daemon.c ──► dstate.c ──► dmenu.c          (the decisions: no I/O)
 *      │
 *      ├──► dworld.c   the config, routines, history; the menu's words
 *      ├──► child.c    the process with the speaker, and what crosses to it
 *      ├──► control.c  the socket      ┐ transports: lines parsed by ctl.c,
 *      ├──► dmqtt.c    MQTT            │ handled by daemon_request()
 *      └──► web.c      the phone page  ┘
 */
#include "daemon.h"

#include "child.h"
#include "control.h"
#include "dmqtt.h"
#include "dstate.h"
#include "dworld.h"
#include "evdev.h"
#include "gpio.h"
#include "log.h"
#include "pstatus.h"
#include "remote.h"
#include "util.h"
#include "web.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef LIMBER_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#else
static int sd_notify(int unset, const char *state)
{
	(void)unset;
	(void)state;
	return 0;
}
static int sd_watchdog_enabled(int unset, uint64_t *usec)
{
	(void)unset;
	(void)usec;
	return 0;
}
#endif

#define DAEMON_GPIO 16

struct daemon {
	const struct daemon_opts *o;
	struct dworld w;
	struct dstate s;
	struct control ctl;
	struct dmqtt mq;
	struct child child;
	struct web *web;             /* NULL without web: in the config */
	int sigfd;
	int reload_due;              /* a reload asked for this turn: done at its end */
	const char *reload_why;      /* what asked for it: SIGHUP, or the page's settings */

	struct evdev_set *ev;
	struct gpio_button *gpio[DAEMON_GPIO];
	size_t ngpio;
	size_t gpio_cfg[DAEMON_GPIO];   /* the config button each line is */
	struct remote remote;

	/* systemd's watchdog (WatchdogSec=): WATCHDOG=1 every wd_ms from the loop; 0: off. */
	int64_t wd_ms, wd_next;
};

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

/* ---- the machine's actions, done ---- */

static void daemon_event(struct daemon *d, struct dstate_event *ev, struct dstate_out *out);

static struct child_opts daemon_child_opts(const struct daemon *d)
{
	const struct config *cfg = d->w.cfg;

	return (struct child_opts){
		.device = d->o->device ? d->o->device : cfg->device,
		.voice = cfg->voice,
		.volume_db = d->s.volume_db,
		.latency_ms = cfg->latency_ms,
		.lead_in_ms = cfg->lead_in_ms,
		.lead_in_tone = cfg->lead_in_tone,
		.state_dir = d->w.state_dir,
		.brief = cfg->brief,
		.morning_until = cfg->morning_until,
	};
}

static int daemon_spawn(struct daemon *d, const struct dstate_action *a)
{
	struct child_opts co = daemon_child_opts(d);
	struct sbuf b;
	int rc;

	if (a->what == DSTATE_PLAY)
		return child_play(&d->child, &co, d->w.names[a->idx], !!(a->how & DSTATE_RESUME),
				  !!(a->how & DSTATE_NO_CAUTION), !!(a->how & DSTATE_TIMER));
	sbuf_init(&b);
	dworld_words(&d->w, &d->s.menu, &b);
	rc = child_say(&d->child, &co, b.s);
	sbuf_done(&b);
	return rc;
}

static void daemon_do(struct daemon *d, const struct dstate_out *out)
{
	for (int i = 0; i < out->n; i++) {
		const struct dstate_action *a = &out->a[i];
		struct dstate_event ev = { .kind = DSTATE_SPAWN_FAILED };
		struct dstate_out more;

		switch (a->what) {
		case DSTATE_SAY:
		case DSTATE_PLAY:
			if (daemon_spawn(d, a) < 0)
				daemon_event(d, &ev, &more);
			break;
		case DSTATE_KEY:
			/* A session that cannot take its q is ended the other way. */
			if (child_key(&d->child, a->key) < 0 && a->key == 'q')
				child_signal(&d->child, SIGTERM);
			break;
		case DSTATE_TERM:
			child_signal(&d->child, SIGTERM);
			break;
		case DSTATE_KILL:
			child_signal(&d->child, SIGKILL);
			break;
		case DSTATE_RELOAD:
			d->reload_due = 1;
			break;
		case DSTATE_LOG:
			log_msg(a->priority, "%s", a->text);
			break;
		}
	}
}

/* One event to the machine, with the clocks, and its actions done. */
static void daemon_event(struct daemon *d, struct dstate_event *ev, struct dstate_out *out)
{
	ev->now = util_now_ms();
	ev->wall = (int64_t)time(NULL);
	dstate_event(&d->s, ev, out);
	daemon_do(d, out);
}

/* A control line, from the socket or MQTT. */
static void daemon_request(void *ctx, const struct ctl_request *rq, char *reply, size_t len)
{
	struct dstate_event ev = { .kind = DSTATE_REQUEST, .rq = rq };
	struct dstate_out out;

	daemon_event(ctx, &ev, &out);
	snprintf(reply, len, "%s", out.reply);
}

/* ---- the page ---- */

static void daemon_web_command(void *ctx, const char *line, char *out, size_t len)
{
	struct ctl_request rq;
	char err[LIMBER_ERR_LEN];

	if (ctl_parse(line, &rq, err) < 0)
		snprintf(out, len, "%s", err);
	else
		daemon_request(ctx, &rq, out, len);
}

static void daemon_web_status(void *ctx, struct sbuf *b)
{
	dmqtt_state_json(&((struct daemon *)ctx)->mq, b);
}

/* The page saved its settings: read them as a SIGHUP would (after the session). */
static void daemon_web_settings(void *ctx)
{
	struct daemon *d = ctx;
	struct dstate_event ev = { .kind = DSTATE_HANGUP, .why = "the page's new settings" };
	struct dstate_out out;

	d->reload_why = ev.why;
	daemon_event(d, &ev, &out);
}

/* Open the page as the config says; after a reload, the new PIN and routines. */
static void daemon_web_open(struct daemon *d)
{
	static const struct web_ops ops_shape = { NULL, daemon_web_command, daemon_web_status,
						  daemon_web_settings };
	struct web_ops ops = ops_shape;
	char err[LIMBER_ERR_LEN];

	if (!d->w.cfg->web) {
		web_free(d->web);
		d->web = NULL;
		return;
	}
	if (d->web) {
		web_reload(d->web, d->w.cfg, &d->w.lib);
		return;
	}
	ops.ctx = d;
	if (web_open(d->w.cfg, d->w.state_dir, &d->w.lib, &ops, &d->web, err) < 0)
		log_warn("%s; going on without the page", err);
}

/* ---- the child ---- */

static void daemon_child_line(void *ctx, const char *text)
{
	struct pstatus st;
	struct dstate_event ev = { .kind = DSTATE_LINE, .line = &st };
	struct dstate_out out;

	if (pstatus_parse(text, &st) == PSTATUS_OTHER)
		log_line(LOG_INFO, text);   /* the rest is for the journal */
	else
		daemon_event(ctx, &ev, &out);
}

static void daemon_reap(struct daemon *d)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct dstate_event ev = { .kind = DSTATE_EXIT, .status = status };
		struct dstate_out out;

		if (pid != d->child.pid)
			continue;
		/* Its last lines first: a step, or the pain question. */
		child_read(&d->child, daemon_child_line, d);
		child_gone(&d->child);
		daemon_event(d, &ev, &out);
	}
}

/* ---- inputs ---- */

static void remote_key_cb(void *ctx, int src, unsigned code, int value, int64_t t_ms)
{
	remote_key(&((struct daemon *)ctx)->remote, src, code, value, t_ms);
}

static void remote_lost_cb(void *ctx, int src)
{
	remote_lost(&((struct daemon *)ctx)->remote, src);
}

static void daemon_open_inputs(struct daemon *d)
{
	const struct config *cfg = d->w.cfg;

	d->ev = evdev_open(cfg->inputs, cfg->ninputs, d->o->input_dir ? d->o->input_dir : "/dev/input");
	d->ngpio = 0;
	for (size_t i = 0; i < cfg->nbuttons && d->ngpio < DAEMON_GPIO; i++) {
		char err[LIMBER_ERR_LEN];
		struct gpio_button *g;

		if (gpio_open(cfg->buttons[i].chip, cfg->buttons[i].line, &g, err) < 0) {
			log_warn("%s; going on without this button", err);
			continue;
		}
		log_info("button on %s %s", cfg->buttons[i].chip, cfg->buttons[i].line);
		d->gpio_cfg[d->ngpio] = i;
		d->gpio[d->ngpio++] = g;
	}
	remote_init(&d->remote, cfg, NULL);
}

static void daemon_close_inputs(struct daemon *d)
{
	evdev_close(d->ev);
	d->ev = NULL;
	for (size_t i = 0; i < d->ngpio; i++)
		gpio_close(d->gpio[i]);
	d->ngpio = 0;
}

static void daemon_gpio(struct daemon *d, size_t k)
{
	const struct config *cfg = d->w.cfg;
	int pressed, r;
	int64_t t;

	while ((r = gpio_read(d->gpio[k], &pressed, &t)) > 0)
		remote_gpio(&d->remote, d->gpio_cfg[k], pressed, t);
	if (r < 0) {
		log_warn("button %s %s stopped answering; going on without it",
			 cfg->buttons[d->gpio_cfg[k]].chip, cfg->buttons[d->gpio_cfg[k]].line);
		remote_lost(&d->remote, REMOTE_GPIO + (int)d->gpio_cfg[k]);
		gpio_close(d->gpio[k]);
		d->gpio[k] = d->gpio[--d->ngpio];
		d->gpio_cfg[k] = d->gpio_cfg[d->ngpio];
	}
}

/* ---- loading ---- */

/* The machine learns the (new) list of routines; a queued start goes on. */
static void daemon_loaded(struct daemon *d)
{
	struct dstate_event ev = { .kind = DSTATE_RELOADED, .names = d->w.names, .n = d->w.n,
				   .default_idx = d->w.default_idx,
				   .volume_db = d->w.cfg->volume_db };
	struct dstate_out out;

	daemon_event(d, &ev, &out);
}

/*
 * SIGHUP, between turns and between sessions: the inputs go too, since they
 * (and the remote) point into the config that is replaced. A bad new config
 * keeps the old.
 */
static void daemon_reload(struct daemon *d)
{
	log_notice("%s: reloading the config and routines", d->reload_why ? d->reload_why : "SIGHUP");
	d->reload_why = NULL;
	sd_notify(0, "RELOADING=1");
	d->reload_due = 0;
	daemon_close_inputs(d);
	dworld_load(&d->w);
	daemon_open_inputs(d);
	dmqtt_open(&d->mq);
	daemon_web_open(d);
	daemon_loaded(d);
	sd_notify(0, "READY=1");
}

/* ---- signals and the loop ---- */

static int daemon_signals(struct daemon *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return d->sigfd < 0 ? -1 : 0;
}

static void daemon_signal(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == sizeof(si)) {
		struct dstate_event ev = { .kind = DSTATE_TERMINATE };
		struct dstate_out out;

		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			if (!d->s.quit)
				log_notice("%s: stopping", si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
			sd_notify(0, "STOPPING=1");
			daemon_event(d, &ev, &out);
			break;
		case SIGHUP:
			ev.kind = DSTATE_HANGUP;
			d->reload_why = NULL;
			daemon_event(d, &ev, &out);
			break;
		case SIGCHLD:
			daemon_reap(d);
			break;
		default:
			break;
		}
	}
}

static void daemon_due(int64_t *due, int64_t t)
{
	if (t >= 0 && (*due < 0 || t < *due))
		*due = t;
}

/* The poll timeout: the nearest thing that is due, or -1 (sleep until something happens). */
static int daemon_timeout(struct daemon *d, int64_t now)
{
	int64_t due = remote_deadline(&d->remote);

	daemon_due(&due, dstate_deadline(&d->s));
	daemon_due(&due, dmqtt_deadline(&d->mq));
	daemon_due(&due, control_deadline(&d->ctl));
	daemon_due(&due, d->web ? web_deadline(d->web) : -1);
	if (d->wd_ms)
		daemon_due(&due, d->wd_next);
	if (due < 0)
		return -1;
	return due <= now ? 0 : due - now > 60000 ? 60000 : (int)(due - now);
}

static void daemon_timers(struct daemon *d)
{
	int64_t now = util_now_ms();
	struct remote_event re;
	struct dstate_event ev = { .kind = DSTATE_TICK };
	struct dstate_out out;

	while (remote_next(&d->remote, now, &re)) {
		struct dstate_event in = { .kind = DSTATE_INPUT, .act = re.act, .g = re.g };

		daemon_event(d, &in, &out);
	}
	daemon_event(d, &ev, &out);
	control_tick(&d->ctl, now);
	/* Only a loop that comes round says it is alive: a hung one is restarted. */
	if (d->wd_ms && now >= d->wd_next) {
		sd_notify(0, "WATCHDOG=1");
		d->wd_next = now + d->wd_ms;
	}
}

/* systemd's watchdog, when the unit sets WatchdogSec=: a ping at half its interval. */
static void daemon_watchdog(struct daemon *d)
{
	uint64_t usec = 0;

	if (sd_watchdog_enabled(0, &usec) <= 0 || usec < 2000)
		return;
	d->wd_ms = (int64_t)(usec / 2000);
	d->wd_next = util_now_ms() + d->wd_ms;
	log_info("systemd watchdog: alive every %lld ms", (long long)d->wd_ms);
}

static int daemon_loop(struct daemon *d)
{
	const struct evdev_sink sink = { d, remote_key_cb, remote_lost_cb };

	while (dstate_running(&d->s)) {
		struct pollfd fds[2 + 1 + CONTROL_CLIENTS + EVDEV_MAX + 1 + DAEMON_GPIO + 2];
		size_t n = 0, first_ctl, nctl, first_ev, nev, first_gpio, mqtt_slot, web_slot;
		int child_slot = -1;

		fds[n++] = (struct pollfd){ d->sigfd, POLLIN, 0 };
		if (d->child.out_r >= 0) {
			child_slot = (int)n;
			fds[n++] = (struct pollfd){ d->child.out_r, POLLIN, 0 };
		}
		first_ctl = n;
		nctl = control_pollfds(&d->ctl, !d->s.quit, fds + n);
		n += nctl;
		first_ev = n;
		nev = evdev_pollfds(d->ev, fds + n, EVDEV_MAX + 1);
		n += nev;
		first_gpio = n;
		for (size_t i = 0; i < d->ngpio; i++)
			fds[n++] = (struct pollfd){ gpio_fd(d->gpio[i]), POLLIN, 0 };
		mqtt_slot = n;
		n += (size_t)dmqtt_pollfd(&d->mq, &fds[n]);
		web_slot = n;
		if (d->web)
			n += (size_t)web_pollfd(d->web, &fds[n]);

		if (poll(fds, n, daemon_timeout(d, util_now_ms())) < 0 && errno != EINTR) {
			log_err("poll: %s", strerror(errno));
			return 1;
		}
		if (fds[0].revents)
			daemon_signal(d);
		if (child_slot >= 0 && fds[child_slot].revents)
			child_read(&d->child, daemon_child_line, d);
		control_handle(&d->ctl, fds + first_ctl, nctl);
		evdev_handle(d->ev, fds + first_ev, nev, &sink);
		for (size_t i = d->ngpio; i-- > 0;)
			if (fds[first_gpio + i].revents)
				daemon_gpio(d, i);
		dmqtt_handle(&d->mq, mqtt_slot < web_slot ? fds[mqtt_slot].revents : 0);
		if (d->web)
			web_handle(d->web, web_slot < n ? fds[web_slot].revents : 0);
		daemon_timers(d);
		if (d->reload_due)
			daemon_reload(d);
		dmqtt_sync(&d->mq);
	}
	return 0;
}

int daemon_run(const struct daemon_opts *o)
{
	struct daemon *d = util_xcalloc(1, sizeof(*d));
	char path[108];
	int rc = 1;

	d->o = o;
	d->sigfd = -1;
	child_init(&d->child);
	dworld_init(&d->w, &(struct dworld_opts){ o->config, o->state_dir, o->routines,
						   o->nroutines });
	dstate_init(&d->s, &d->w.w);
	control_init(&d->ctl, daemon_request, d);
	dmqtt_init(&d->mq, &d->s, &d->w, daemon_request, d);
	if (daemon_signals(d) < 0) {
		log_err("signalfd: %s", strerror(errno));
		goto out;
	}
	if (dworld_load(&d->w) < 0)
		goto out;
	daemon_loaded(d);
	if (o->socket || d->w.cfg->socket)
		snprintf(path, sizeof(path), "%s", o->socket ? o->socket : d->w.cfg->socket);
	else
		daemon_socket_path(path, sizeof(path), 0);
	if (control_listen(&d->ctl, path) < 0)
		goto out;
	daemon_open_inputs(d);
	dmqtt_open(&d->mq);
	daemon_web_open(d);
	log_notice("ready; control socket %s, %zu input devices, %zu buttons", d->ctl.path,
		   evdev_count(d->ev), d->ngpio);
	sd_notify(0, "READY=1");
	daemon_watchdog(d);
	rc = daemon_loop(d);
	log_notice("stopped");
out:
	control_close(&d->ctl);
	daemon_close_inputs(d);
	dmqtt_close(&d->mq);
	web_free(d->web);
	child_gone(&d->child);
	dstate_done(&d->s);
	dworld_done(&d->w);
	if (d->sigfd >= 0)
		close(d->sigfd);
	free(d);
	return rc;
}

/*
 * daemon: the poll loop. It waits on signals, the control socket and its
 * clients, the input devices, the GPIO lines and the talking child, and
 * hands each to its part (daemon_int.h); it also loads the config and the
 * routines, and reloads them on SIGHUP.
 */
#include "daemon_int.h"
#include "log.h"

#include "util.h"
#include "voice.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
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


static int daemon_config_path(const struct daemon_opts *o, char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct stat st;

	if (o->config) {
		snprintf(buf, len, "%s", o->config);
		return 1;
	}
	/* The user's own file wins over the system's. */
	if (xdg && *xdg)
		snprintf(buf, len, "%s/limber/config.yaml", xdg);
	else if (home && *home)
		snprintf(buf, len, "%s/.config/limber/config.yaml", home);
	else
		buf[0] = '\0';
	if (buf[0] && stat(buf, &st) == 0)
		return 1;
	snprintf(buf, len, "/etc/limber/config.yaml");
	return stat(buf, &st) == 0;
}

size_t daemon_find(const struct daemon *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nroutines; i++)
		if (!strcmp(d->routines[i].name, name))
			break;
	return i;
}

static void daemon_forget_routines(struct daemon *d)
{
	menu_forget(d);
	for (size_t i = 0; i < d->nroutines; i++)
		free(d->entries[i].title);
	free(d->entries);
	library_entries_free(d->routines, d->nroutines);
	d->routines = NULL;
	d->entries = NULL;
	d->nroutines = 0;
	voice_free(d->voice);
	d->voice = NULL;
	library_done(&d->lib);
}

/* Read the config and find the routines. 0, or -1 with the reason said. */
static int daemon_load(struct daemon *d)
{
	char path[4096], err[LIMBER_ERR_LEN];
	struct config *cfg;
	struct library lib;
	struct voice *voice;
	struct sbuf rd;

	if (config_load(daemon_config_path(d->o, path, sizeof(path)) ? path : NULL, &cfg, err) < 0) {
		log_err("%s", err);
		return -1;
	}
	/* The routine directories reach children through the environment (library.h). */
	sbuf_init(&rd);
	sbuf_add(&rd, "");
	for (size_t i = 0; i < d->o->nroutines; i++) {
		if (rd.s[0])
			sbuf_add(&rd, ":");
		sbuf_add(&rd, d->o->routines[i]);
	}
	for (size_t i = 0; i < cfg->nroutines; i++) {
		if (rd.s[0])
			sbuf_add(&rd, ":");
		sbuf_add(&rd, cfg->routines[i]);
	}
	setenv("LIMBER_ROUTINES", rd.s, 1);
	sbuf_done(&rd);

	/* The new library and voice first: if they fail, the daemon goes on with the old. */
	if (library_init(&lib, err) < 0) {
		log_err("%s", err);
		config_free(cfg);
		return -1;
	}
	if (library_load_voice(&lib, cfg->voice ? cfg->voice : "calm", &voice, err) < 0) {
		log_err("%s: %s", cfg->path ? cfg->path : "config", err);
		library_done(&lib);
		config_free(cfg);
		return -1;
	}
	daemon_forget_routines(d);
	d->lib = lib;
	d->voice = voice;
	library_list(&d->lib, &d->routines, &d->nroutines);
	d->entries = util_xcalloc(d->nroutines ? d->nroutines : 1, sizeof(*d->entries));
	config_free(d->cfg);
	d->cfg = cfg;
	d->volume_db = cfg->volume_db;
	d->menu_idx = cfg->default_routine ? daemon_find(d, cfg->default_routine) : 0;
	if (d->menu_idx == d->nroutines) {
		if (d->nroutines)
			log_warn("%s: default_routine '%s' is not on the routine path",
				cfg->path ? cfg->path : "config", cfg->default_routine);
		d->menu_idx = 0;
	}
	log_info("%zu routines; config %s", d->nroutines,
		cfg->path ? cfg->path : "none (the defaults)");
	history_close(d->history);
	d->history = NULL;
	if (d->o->state_dir || cfg->state_dir)
		snprintf(d->state_dir, sizeof(d->state_dir), "%s",
			 d->o->state_dir ? d->o->state_dir : cfg->state_dir);
	else
		history_default_dir(d->state_dir, sizeof(d->state_dir));
	if (history_open(d->state_dir, &d->history, err) < 0)
		log_warn("%s; sessions will play but not be recorded", err);
	return 0;
}


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
	d->ev = evdev_open(d->cfg->inputs, d->cfg->ninputs,
			   d->o->input_dir ? d->o->input_dir : "/dev/input");
	d->ngpio = 0;
	for (size_t i = 0; i < d->cfg->nbuttons && d->ngpio < DAEMON_GPIO; i++) {
		char err[LIMBER_ERR_LEN];
		struct gpio_button *g;

		if (gpio_open(d->cfg->buttons[i].chip, d->cfg->buttons[i].line, &g, err) < 0) {
			log_warn("%s; going on without this button", err);
			continue;
		}
		log_info("button on %s %s", d->cfg->buttons[i].chip,
			d->cfg->buttons[i].line);
		d->gpio_cfg[d->ngpio] = i;
		d->gpio[d->ngpio++] = g;
	}
	remote_init(&d->remote, d->cfg, NULL);
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
	int pressed, r;
	int64_t t;

	while ((r = gpio_read(d->gpio[k], &pressed, &t)) > 0)
		remote_gpio(&d->remote, d->gpio_cfg[k], pressed, t);
	if (r < 0) {
		log_warn("button %s %s stopped answering; going on without it",
			d->cfg->buttons[d->gpio_cfg[k]].chip, d->cfg->buttons[d->gpio_cfg[k]].line);
		remote_lost(&d->remote, REMOTE_GPIO + (int)d->gpio_cfg[k]);
		gpio_close(d->gpio[k]);
		d->gpio[k] = d->gpio[--d->ngpio];
		d->gpio_cfg[k] = d->gpio_cfg[d->ngpio];
	}
}

/*
 * SIGHUP, between sessions: the inputs go too, since they (and the remote)
 * point into the config that is replaced. A bad new config keeps the old.
 */
void daemon_reload(struct daemon *d)
{
	log_notice("SIGHUP: reloading the config and routines");
	sd_notify(0, "RELOADING=1");
	daemon_close_inputs(d);
	daemon_load(d);
	daemon_open_inputs(d);
	dmqtt_open(d);
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
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			if (!d->quit)
				log_notice("%s: stopping",
					si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
			d->quit = 1;
			sd_notify(0, "STOPPING=1");
			d->pending = PEND_NONE;
			child_stop(d);
			break;
		case SIGHUP:
			if (d->child) {
				log_notice("SIGHUP: reloading when this ends");
				d->reload = 1;
				break;
			}
			daemon_reload(d);
			break;
		case SIGCHLD:
			child_reap(d);
			break;
		default:
			break;
		}
	}
}

/* The poll timeout: the nearest thing that is due, or -1 (sleep until something happens). */
static int daemon_timeout(struct daemon *d, int64_t now)
{
	int64_t due = remote_deadline(&d->remote);

	if (d->menu_until && !d->child && (due < 0 || d->menu_until < due))
		due = d->menu_until;
	if (d->kill_at && (due < 0 || d->kill_at < due))
		due = d->kill_at;
	if (dmqtt_deadline(d) >= 0 && (due < 0 || dmqtt_deadline(d) < due))
		due = dmqtt_deadline(d);
	if (d->wd_ms && (due < 0 || d->wd_next < due))
		due = d->wd_next;
	for (int i = 0; i < DAEMON_CLIENTS; i++) {
		int64_t t = d->clients[i].since + DAEMON_CLIENT_MS;

		if (d->clients[i].fd >= 0 && (due < 0 || t < due))
			due = t;
	}
	if (due < 0)
		return -1;
	return due <= now ? 0 : due - now > 60000 ? 60000 : (int)(due - now);
}

static void daemon_timers(struct daemon *d)
{
	int64_t now = util_now_ms();
	struct remote_event re;

	while (remote_next(&d->remote, now, &re))
		menu_act(d, re.act, re.g);
	if (d->menu_until && !d->child && now >= d->menu_until)
		d->menu_until = 0;
	if (d->kill_at && now >= d->kill_at && d->child) {
		log_warn("the child did not stop; killing it");
		kill(d->child, SIGKILL);
		d->kill_at = 0;
	}
	for (int i = 0; i < DAEMON_CLIENTS; i++)
		if (d->clients[i].fd >= 0 && now - d->clients[i].since >= DAEMON_CLIENT_MS)
			control_client_close(&d->clients[i]);
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

	while (!d->quit || d->child) {
		struct pollfd fds[4 + DAEMON_CLIENTS + EVDEV_MAX + 1 + DAEMON_GPIO + 1];
		size_t n = 0, first_client, first_ev, nev, first_gpio, mqtt_slot;
		int child_slot = -1;

		fds[n++] = (struct pollfd){ d->sigfd, POLLIN, 0 };
		fds[n++] = (struct pollfd){ d->quit ? -1 : d->sock, POLLIN, 0 };
		if (d->out_r >= 0) {
			child_slot = (int)n;
			fds[n++] = (struct pollfd){ d->out_r, POLLIN, 0 };
		}
		first_client = n;
		for (int i = 0; i < DAEMON_CLIENTS; i++)
			fds[n++] = (struct pollfd){ d->clients[i].fd, POLLIN, 0 };
		first_ev = n;
		nev = evdev_pollfds(d->ev, fds + n, EVDEV_MAX + 1);
		n += nev;
		first_gpio = n;
		for (size_t i = 0; i < d->ngpio; i++)
			fds[n++] = (struct pollfd){ gpio_fd(d->gpio[i]), POLLIN, 0 };
		mqtt_slot = n;
		n += (size_t)dmqtt_pollfd(d, &fds[n]);

		if (poll(fds, n, daemon_timeout(d, util_now_ms())) < 0 && errno != EINTR) {
			log_err("poll: %s", strerror(errno));
			return 1;
		}
		if (fds[0].revents)
			daemon_signal(d);
		if (child_slot >= 0 && fds[child_slot].revents && d->out_r >= 0)
			child_output(d);
		if (fds[1].revents && !d->quit)
			control_accept(d);
		for (int i = 0; i < DAEMON_CLIENTS; i++)
			if (fds[first_client + (size_t)i].revents && d->clients[i].fd >= 0)
				control_client(d, &d->clients[i]);
		evdev_handle(d->ev, fds + first_ev, nev, &sink);
		for (size_t i = d->ngpio; i-- > 0;)
			if (fds[first_gpio + i].revents)
				daemon_gpio(d, i);
		dmqtt_handle(d, mqtt_slot < n ? fds[mqtt_slot].revents : 0);
		daemon_timers(d);
		dmqtt_sync(d);
	}
	return 0;
}

int daemon_run(const struct daemon_opts *o)
{
	struct daemon d;
	int rc = 1;

	memset(&d, 0, sizeof(d));
	d.o = o;
	d.sigfd = d.sock = d.keys_w = d.out_r = -1;
	for (int i = 0; i < DAEMON_CLIENTS; i++)
		d.clients[i].fd = -1;
	if (daemon_signals(&d) < 0) {
		log_err("signalfd: %s", strerror(errno));
		return 1;
	}
	if (daemon_load(&d) < 0)
		goto out;
	if (control_listen(&d) < 0)
		goto out;
	daemon_open_inputs(&d);
	dmqtt_open(&d);
	log_notice("ready; control socket %s, %zu input devices, %zu buttons",
		d.sockpath, evdev_count(d.ev), d.ngpio);
	sd_notify(0, "READY=1");
	daemon_watchdog(&d);
	rc = daemon_loop(&d);
	log_notice("stopped");
out:
	for (int i = 0; i < DAEMON_CLIENTS; i++)
		if (d.clients[i].fd >= 0)
			close(d.clients[i].fd);
	if (d.sock >= 0) {
		close(d.sock);
		unlink(d.sockpath);
	}
	daemon_close_inputs(&d);
	dmqtt_close(&d);
	child_closed(&d);
	daemon_forget_routines(&d);
	history_close(d.history);
	config_free(d.cfg);
	if (d.sigfd >= 0)
		close(d.sigfd);
	return rc;
}

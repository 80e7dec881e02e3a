/*
 * daemon: the poll loop, the menu, the control socket and the child.
 */
#include "daemon.h"

#include "config.h"
#include "ctl.h"
#include "engine.h"
#include "evdev.h"
#include "gpio.h"
#include "history.h"
#include "library.h"
#include "remote.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
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
#endif

#define DAEMON_CLIENTS 16
#define DAEMON_CLIENT_MS 10000   /* a client silent this long mid-conversation is dropped */
#define DAEMON_MENU_MS 30000     /* the menu waits this long after speaking, then goes quiet */
#define DAEMON_STOP_MS 1500      /* a child told to stop gets this long, then SIGKILL */
#define DAEMON_GOODBYE_MS 8000   /* the same for a session saying its goodbye */
#define DAEMON_GPIO 16

enum child_kind { CHILD_NONE, CHILD_SAY, CHILD_SESSION };
enum pending_kind { PEND_NONE, PEND_SAY, PEND_START, PEND_RESUME };

struct client {
	int fd;                  /* -1: free */
	int64_t since;           /* last heard from */
	struct ctl_reader r;
};

/* What is known about a routine on the menu, found when first offered. */
struct entry {
	char *title;             /* its name: line, "Lower back relief, beginner" */
	int64_t ms;              /* its length; < 0: it does not load */
};

struct daemon {
	const struct daemon_opts *o;
	struct config *cfg;
	char sockpath[108];
	struct library lib;
	struct voice *voice;
	struct library_entry *routines;
	struct entry *entries;
	size_t nroutines;

	int sigfd, sock;
	struct client clients[DAEMON_CLIENTS];
	struct evdev_set *ev;
	struct gpio_button *gpio[DAEMON_GPIO];
	size_t ngpio;
	size_t gpio_cfg[DAEMON_GPIO];   /* the config button each line is */
	struct remote remote;

	/* The child that has the speaker, if any. */
	pid_t child;
	enum child_kind kind, kind_next;
	int keys_w, out_r;
	char out[512];
	size_t outn;
	int64_t kill_at;         /* SIGKILL it then if it is still there; 0: no */
	enum pending_kind pending;
	size_t pending_idx;

	/* The session under way. */
	size_t sess_idx;
	int64_t total_ms, *step_ms;
	int nsteps, step, paused;
	int asking;                  /* the session is over and asks for a pain rating */
	char step_name[128];
	int64_t left_ms, left_ref;

	/* The menu. */
	struct history *history;     /* for the offer to resume; NULL if it cannot be read */
	char state_dir[4096];
	int resume_offer;            /* the menu is offering to resume this session */
	struct history_session resumable;
	int64_t declined;            /* a session the person chose not to resume */
	size_t resume_idx;           /* its routine in the list */
	size_t menu_idx;
	int64_t menu_until;      /* 0: not in the menu */
	int volume_db;

	int quit, reload;
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

/* ---- configuration and routines ---- */

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

static void daemon_forget_routines(struct daemon *d)
{
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
		fprintf(stderr, "limber: %s\n", err);
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
		fprintf(stderr, "limber: %s\n", err);
		config_free(cfg);
		return -1;
	}
	if (library_load_voice(&lib, cfg->voice ? cfg->voice : "calm", &voice, err) < 0) {
		fprintf(stderr, "limber: %s: %s\n", cfg->path ? cfg->path : "config", err);
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
	d->menu_idx = 0;
	for (size_t i = 0; i < d->nroutines; i++)
		if (cfg->default_routine && !strcmp(d->routines[i].name, cfg->default_routine))
			d->menu_idx = i;
	if (cfg->default_routine && d->nroutines &&
	    strcmp(d->routines[d->menu_idx].name, cfg->default_routine) != 0)
		fprintf(stderr, "limber: %s: default_routine '%s' is not on the routine path\n",
			cfg->path ? cfg->path : "config", cfg->default_routine);
	fprintf(stderr, "limber: %zu routines; config %s\n", d->nroutines,
		cfg->path ? cfg->path : "none (the defaults)");
	history_close(d->history);
	d->history = NULL;
	if (d->o->state_dir || cfg->state_dir)
		snprintf(d->state_dir, sizeof(d->state_dir), "%s",
			 d->o->state_dir ? d->o->state_dir : cfg->state_dir);
	else
		history_default_dir(d->state_dir, sizeof(d->state_dir));
	if (history_open(d->state_dir, &d->history, err) < 0)
		fprintf(stderr, "limber: %s; sessions will play but not be recorded\n", err);
	return 0;
}

/* Routine i, loaded for its length (and, with step_ms, each step's start). */
static int daemon_estimate(struct daemon *d, size_t i, int64_t *total, int64_t **step_ms,
			   int *nsteps)
{
	char err[LIMBER_ERR_LEN];
	struct engine e;
	int rc;

	if (engine_load(&e, &d->lib, d->routines[i].path, NULL, err) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (step_ms) {
		*nsteps = (int)e.routine->nsteps;
		*step_ms = util_xcalloc((size_t)*nsteps + 2, sizeof(**step_ms));
	}
	rc = engine_estimate(&e, total, step_ms ? *step_ms : NULL, err);
	if (!d->entries[i].title)
		d->entries[i].title = util_xstrdup(e.routine->name);
	engine_done(&e);
	return rc;
}

static const struct entry *daemon_entry(struct daemon *d, size_t i)
{
	struct entry *en = &d->entries[i];

	if (!en->title && daemon_estimate(d, i, &en->ms, NULL, NULL) < 0) {
		en->ms = -1;
		en->title = util_xstrdup(d->routines[i].name);
	}
	return en;
}

/* ---- the child ---- */

static void daemon_child_closed(struct daemon *d)
{
	if (d->keys_w >= 0)
		close(d->keys_w);
	if (d->out_r >= 0)
		close(d->out_r);
	d->keys_w = d->out_r = -1;
	d->outn = 0;
	d->child = 0;
	d->kind = CHILD_NONE;
	d->kill_at = 0;
	free(d->step_ms);
	d->step_ms = NULL;
}

static pid_t daemon_spawn(struct daemon *d, char *const argv[], int with_keys)
{
	int keys[2] = { -1, -1 }, out[2];
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) < 0 || (with_keys && pipe2(keys, O_CLOEXEC) < 0)) {
		fprintf(stderr, "limber: pipe: %s\n", strerror(errno));
		return -1;
	}
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (with_keys && (keys[0] == 3 ? fcntl(3, F_SETFD, 0) : dup2(keys[0], 3)) < 0)
			_exit(127);
		if (dup2(out[1], STDOUT_FILENO) < 0)
			_exit(127);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(out[1]);
	if (with_keys)
		close(keys[0]);
	if (pid < 0) {
		fprintf(stderr, "limber: fork: %s\n", strerror(errno));
		close(out[0]);
		if (with_keys)
			close(keys[1]);
		return -1;
	}
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	if (with_keys)
		fcntl(keys[1], F_SETFL, O_NONBLOCK);
	d->child = pid;
	d->out_r = out[0];
	d->keys_w = with_keys ? keys[1] : -1;
	d->outn = 0;
	return pid;
}

/* Common options for a child: device, voice, volume. */
static size_t daemon_child_args(struct daemon *d, char **av, size_t k, char *vol, char *lat)
{
	const char *device = d->o->device ? d->o->device : d->cfg->device;

	snprintf(vol, 16, "%d", d->volume_db);
	snprintf(lat, 16, "%d", d->cfg->latency_ms);
	av[k++] = "--volume";
	av[k++] = vol;
	av[k++] = "--latency";
	av[k++] = lat;
	if (d->kind_next == CHILD_SESSION) {
		av[k++] = "--ask-pain";   /* answered with the button: a press a point */
		av[k++] = "--state-dir";
		av[k++] = d->state_dir;
		if (d->cfg->brief)
			av[k++] = "--brief";
	}
	if (device) {
		av[k++] = "--device";
		av[k++] = (char *)device;
	}
	return k;
}

/*
 * Tell the child to stop. A sentence just ends. A session the person stops
 * gets q, as from a terminal (it says goodbye and is recorded as stopped);
 * one stopped by a signal to the daemon gets SIGTERM (a short "Stopping.",
 * recorded as interrupted, to be resumed).
 */
static void daemon_child_stop(struct daemon *d)
{
	char q = 'q';

	if (!d->child || d->kill_at)
		return;
	if (d->kind == CHILD_SESSION && !d->quit && d->keys_w >= 0 && write(d->keys_w, &q, 1) == 1) {
		d->kill_at = util_now_ms() + DAEMON_GOODBYE_MS;
		return;
	}
	kill(d->child, SIGTERM);
	d->kill_at = util_now_ms() + DAEMON_STOP_MS;
}

static void daemon_say(struct daemon *d, const char *text)
{
	char vol[16], lat[16], *av[24];
	size_t k = 0;

	av[k++] = "limber";
	av[k++] = "say";
	av[k++] = "--quiet";
	d->kind_next = CHILD_SAY;
	k = daemon_child_args(d, av, k, vol, lat);
	if (d->cfg->voice) {
		av[k++] = "--voice";
		av[k++] = d->cfg->voice;
	}
	av[k++] = "--";
	av[k++] = (char *)text;
	av[k] = NULL;
	if (daemon_spawn(d, av, 0) > 0)
		d->kind = CHILD_SAY;
}

/* Offer routine menu_idx: "Lower back, beginner, fifteen minutes. Press to start, ..." */
static void daemon_offer(struct daemon *d)
{
	struct sbuf b;

	d->menu_until = util_now_ms() + DAEMON_MENU_MS;
	if (d->child) {
		d->pending = PEND_SAY;
		daemon_child_stop(d);
		return;
	}
	d->pending = PEND_NONE;
	sbuf_init(&b);
	sbuf_add(&b, "");
	if (d->resume_offer) {
		const struct routine_step *st = NULL;
		struct routine *r = NULL;
		char err[LIMBER_ERR_LEN];
		const char *vars[] = { "name", d->resumable.title, "step", "", NULL };

		if (library_load_routine(&d->lib, d->resumable.routine, &r, err) == 0 &&
		    (size_t)d->resumable.last_step < r->nsteps)
			st = &r->steps[d->resumable.last_step];
		vars[3] = st ? st->name : "";
		plan_fill(voice_phrase(d->voice, PH_RESUME), vars, &b);
		routine_free(r);
		fprintf(stderr, "limber: offering to resume %s at step %d\n", d->resumable.routine,
			d->resumable.last_step + 1);
	} else if (!d->nroutines) {
		sbuf_add(&b, voice_phrase(d->voice, PH_NO_ROUTINES));
	} else {
		const struct entry *en = daemon_entry(d, d->menu_idx);
		char len[96] = "";
		const char *vars[] = { "name", en->title, "length", len, NULL };

		if (en->ms >= 0)   /* whole minutes: "fifteen minutes", not "and twelve seconds" */
			voice_duration(d->voice, en->ms < 60000 ? 60000 : (en->ms + 30000) / 60000 * 60000,
				       len, sizeof(len));
		plan_fill(voice_phrase(d->voice, PH_MENU), vars, &b);
		fprintf(stderr, "limber: offering %s\n", d->routines[d->menu_idx].name);
	}
	daemon_say(d, b.s);
	sbuf_done(&b);
}

/* Start routine i, or (resume) go on with the interrupted session on offer. */
static int daemon_start(struct daemon *d, size_t i, int resume)
{
	char vol[16], lat[16], *av[24];
	size_t k = 0;

	d->menu_until = 0;
	if (d->child) {
		d->pending = resume ? PEND_RESUME : PEND_START;
		d->pending_idx = i;
		daemon_child_stop(d);
		return 0;
	}
	d->pending = PEND_NONE;
	d->resume_offer = 0;
	av[k++] = "limber";
	av[k++] = "run";
	if (resume)
		av[k++] = "--resume";
	av[k++] = "--input";
	av[k++] = "/dev/fd/3";
	d->kind_next = CHILD_SESSION;
	k = daemon_child_args(d, av, k, vol, lat);
	if (d->cfg->voice) {
		av[k++] = "--voice";
		av[k++] = d->cfg->voice;
	}
	/* A NAME, found on the same path; no "--" before it, since a player that loses
	 * its device restarts itself with --continue appended. */
	av[k++] = d->routines[i].name;
	av[k] = NULL;
	if (daemon_estimate(d, i, &d->total_ms, &d->step_ms, &d->nsteps) < 0) {
		free(d->step_ms);
		d->step_ms = NULL;
		return -1;
	}
	if (daemon_spawn(d, av, 1) < 0)
		return -1;
	d->kind = CHILD_SESSION;
	d->sess_idx = i;
	d->menu_idx = i;   /* the next menu offers the last one played */
	d->step = 0;
	d->paused = 0;
	d->asking = 0;
	d->step_name[0] = '\0';
	d->left_ms = d->total_ms;
	d->left_ref = util_now_ms();
	fprintf(stderr, "limber: starting %s\n", d->routines[i].name);
	return 0;
}

/* A key to the session, as a terminal would type it. */
static void daemon_key(struct daemon *d, char c)
{
	if (d->kind != CHILD_SESSION || d->keys_w < 0 || d->kill_at)
		return;
	if (write(d->keys_w, &c, 1) != 1)
		fprintf(stderr, "limber: the session is not listening: %s\n", strerror(errno));
}

static void daemon_set_paused(struct daemon *d, int paused)
{
	int64_t now = util_now_ms();

	if (paused == d->paused)
		return;
	if (paused)
		d->left_ms -= now - d->left_ref;
	d->left_ref = now;
	d->paused = paused;
}

/* "limber: step N of M: NAME" (player.h): 0 with N and NAME, or -1. */
static int daemon_step_line(const char *line, int *step, const char **name)
{
	char *end;
	long n, m;

	if (strncmp(line, "limber: step ", 13) != 0)
		return -1;
	n = strtol(line + 13, &end, 10);
	if (strncmp(end, " of ", 4) != 0)
		return -1;
	m = strtol(end + 4, &end, 10);
	if (strncmp(end, ": ", 2) != 0 || n < 1 || n > m || m > 100000)
		return -1;
	*step = (int)n;
	*name = end + 2;
	return 0;
}

static void daemon_child_line(struct daemon *d, const char *line)
{
	const char *name;
	int step;

	if (d->kind == CHILD_SESSION && daemon_step_line(line, &step, &name) == 0) {
		d->step = step;
		snprintf(d->step_name, sizeof(d->step_name), "%s", name);
		if (d->step_ms && step >= 1 && step <= d->nsteps)
			d->left_ms = d->total_ms - d->step_ms[step];
		d->left_ref = util_now_ms();   /* paused (a seek while paused): frozen there */
		return;
	}
	if (!strcmp(line, "limber: asking for a pain rating")) {
		d->asking = 1;
		return;
	}
	if (!strcmp(line, "limber: paused")) {
		daemon_set_paused(d, 1);
		return;
	}
	if (!strcmp(line, "limber: resumed")) {
		daemon_set_paused(d, 0);
		return;
	}
	fprintf(stderr, "%s\n", line);   /* the rest is for the journal */
}

static void daemon_child_output(struct daemon *d)
{
	ssize_t got;

	while ((got = read(d->out_r, d->out + d->outn, sizeof(d->out) - 1 - d->outn)) > 0) {
		char *start = d->out, *nl;

		d->outn += (size_t)got;
		d->out[d->outn] = '\0';
		while ((nl = strchr(start, '\n')) != NULL) {
			*nl = '\0';
			daemon_child_line(d, start);
			start = nl + 1;
		}
		d->outn -= (size_t)(start - d->out);
		memmove(d->out, start, d->outn);
		if (d->outn == sizeof(d->out) - 1)
			d->outn = 0;   /* a line longer than any we make: drop it */
	}
	if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
		close(d->out_r);
		d->out_r = -1;
	}
}

static void daemon_reload(struct daemon *d);

static void daemon_reap(struct daemon *d)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		enum child_kind kind = d->kind;

		if (pid != d->child)
			continue;
		if (d->out_r >= 0)
			daemon_child_output(d);
		if (kind == CHILD_SESSION)
			fprintf(stderr, "limber: session %s ended (%s %d)\n",
				d->routines[d->sess_idx].name,
				WIFEXITED(status) ? "exit" : "signal",
				WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		else if (WIFEXITED(status) && WEXITSTATUS(status))
			fprintf(stderr, "limber: could not speak the menu (exit %d)\n",
				WEXITSTATUS(status));
		daemon_child_closed(d);
		if (d->quit)
			continue;
		if (d->reload && !d->child) {
			d->reload = 0;
			daemon_reload(d);
		}
		if (d->pending == PEND_SAY)
			daemon_offer(d);
		else if ((d->pending == PEND_START || d->pending == PEND_RESUME) &&
			 d->pending_idx < d->nroutines)
			daemon_start(d, d->pending_idx, d->pending == PEND_RESUME);
		d->pending = PEND_NONE;
	}
}

/* An interrupted session to offer first, if there is one (and it was not turned down). */
static void daemon_find_resumable(struct daemon *d)
{
	char err[LIMBER_ERR_LEN];

	d->resume_offer = 0;
	if (!d->history || history_resumable(d->history, NULL, &d->resumable, err) <= 0 ||
	    d->resumable.id == d->declined)
		return;
	for (size_t i = 0; i < d->nroutines; i++) {
		if (!strcmp(d->routines[i].name, d->resumable.routine)) {
			d->resume_idx = i;
			d->resume_offer = 1;
			return;
		}
	}
}

/* ---- actions, from buttons, keys and the socket ---- */

static void daemon_act(struct daemon *d, enum config_action act, enum button_gesture g)
{
	if (d->kind == CHILD_SESSION) {
		/* The terminal's keys (keys.h): by action, and the main button's by gesture. */
		static const char keys[ACT_COUNT + 1] = "  nprq+-w", main_keys[] = "  nr";

		daemon_key(d, *(act == ACT_MAIN ? &main_keys[g] : &keys[act]));
		return;
	}
	if (act == ACT_LOUDER || act == ACT_SOFTER) {
		d->volume_db += act == ACT_LOUDER ? 3 : -3;
		d->volume_db = d->volume_db > 6 ? 6 : d->volume_db < -40 ? -40 : d->volume_db;
		if (d->menu_until)
			daemon_offer(d);
		return;
	}
	if (act == ACT_STOP) {
		d->menu_until = 0;
		d->pending = PEND_NONE;
		daemon_child_stop(d);
		return;
	}
	if (!d->menu_until || !d->nroutines) {   /* the first press wakes the menu */
		daemon_find_resumable(d);
		daemon_offer(d);
		return;
	}
	if (d->resume_offer && ((act == ACT_MAIN && g == BUTTON_SHORT) || act == ACT_PAUSE)) {
		daemon_start(d, d->resume_idx, 1);
		return;
	}
	if (d->resume_offer && act != ACT_REPEAT && act != ACT_WHERE &&
	    !(act == ACT_MAIN && g == BUTTON_DOUBLE)) {
		/* Held past: offer the routines, and do not ask about this one again. */
		d->declined = d->resumable.id;
		d->resume_offer = 0;
		daemon_offer(d);
		return;
	}
	if ((act == ACT_MAIN && g == BUTTON_SHORT) || act == ACT_PAUSE) {
		daemon_start(d, d->menu_idx, 0);
	} else if ((act == ACT_MAIN && g == BUTTON_LONG) || act == ACT_NEXT) {
		d->menu_idx = (d->menu_idx + 1) % d->nroutines;
		daemon_offer(d);
	} else if (act == ACT_PREVIOUS) {
		d->menu_idx = (d->menu_idx + d->nroutines - 1) % d->nroutines;
		daemon_offer(d);
	} else {
		daemon_offer(d);   /* double press, repeat, where: say it again */
	}
}

static void remote_key_cb(void *ctx, int src, unsigned code, int value, int64_t t_ms)
{
	remote_key(&((struct daemon *)ctx)->remote, src, code, value, t_ms);
}

static void remote_lost_cb(void *ctx, int src)
{
	remote_lost(&((struct daemon *)ctx)->remote, src);
}

static void daemon_status(struct daemon *d, char *out, size_t len)
{
	int64_t left;

	if (d->kind != CHILD_SESSION) {
		if (d->menu_until && d->resume_offer)
			snprintf(out, len, "idle, offering to resume %s at step %d",
				 d->resumable.routine, d->resumable.last_step + 1);
		else if (d->menu_until && d->nroutines)
			snprintf(out, len, "idle, offering %s", d->routines[d->menu_idx].name);
		else
			snprintf(out, len, "idle");
		return;
	}
	if (d->asking) {
		snprintf(out, len, "playing %s, asking for a pain rating (a press a point)",
			 d->routines[d->sess_idx].name);
		return;
	}
	left = d->left_ms - (d->paused ? 0 : util_now_ms() - d->left_ref);
	if (left < 0)
		left = 0;
	left = (left + 999) / 1000;
	if (d->step)
		snprintf(out, len, "%s %s, step %d of %d: %s, %d:%02d left",
			 d->paused ? "paused" : "playing", d->routines[d->sess_idx].name, d->step,
			 d->nsteps, d->step_name, (int)(left / 60), (int)(left % 60));
	else
		snprintf(out, len, "%s %s, starting, %d:%02d left", d->paused ? "paused" : "playing",
			 d->routines[d->sess_idx].name, (int)(left / 60), (int)(left % 60));
}

static void daemon_request(struct daemon *d, const struct ctl_request *rq, char *out, size_t len)
{
	int playing = d->kind == CHILD_SESSION && !d->kill_at;

	switch (rq->verb) {
	case CTL_START: {
		size_t i;

		for (i = 0; i < d->nroutines; i++)
			if (!strcmp(d->routines[i].name, rq->name))
				break;
		if (i == d->nroutines) {
			snprintf(out, len, "error: no routine named '%s' on the routine path", rq->name);
		} else if (playing) {
			snprintf(out, len, "error: %s is playing; stop it first",
				 d->routines[d->sess_idx].name);
		} else if (daemon_start(d, i, 0) < 0) {
			snprintf(out, len, "error: %s does not load (see the journal)", rq->name);
		} else {
			snprintf(out, len, "ok starting %s", rq->name);
		}
		return;
	}
	case CTL_STATUS:
		daemon_status(d, out, len);
		return;
	case CTL_PRESS:
	case CTL_HOLD:
		daemon_act(d, ACT_MAIN, rq->verb == CTL_PRESS ? BUTTON_SHORT : BUTTON_LONG);
		snprintf(out, len, "ok %s", ctl_verb_name(rq->verb));
		return;
	case CTL_STOP:
		if (d->child) {
			d->pending = PEND_NONE;
			d->menu_until = 0;
			daemon_child_stop(d);
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
	case CTL_PAUSE:
	case CTL_RESUME:
		if (d->paused == (rq->verb == CTL_PAUSE)) {
			snprintf(out, len, "ok %s already", d->paused ? "paused" : "playing");
			return;
		}
		daemon_key(d, ' ');
		daemon_set_paused(d, rq->verb == CTL_PAUSE);   /* the child confirms it */
		break;
	case CTL_NEXT:
		daemon_key(d, 'n');
		break;
	case CTL_PREVIOUS:
		daemon_key(d, 'p');
		break;
	case CTL_REPEAT:
		daemon_key(d, 'r');
		break;
	default:
		break;
	}
	snprintf(out, len, "ok %s", ctl_verb_name(rq->verb));
}

/* ---- the control socket ---- */

static int daemon_listen(struct daemon *d)
{
	struct sockaddr_un sa;
	const char *path = d->o->socket ? d->o->socket : d->cfg->socket;
	mode_t old;
	int fd;

	if (path)
		snprintf(d->sockpath, sizeof(d->sockpath), "%s", path);
	else
		daemon_socket_path(d->sockpath, sizeof(d->sockpath), 0);
	if (strlen(d->sockpath) >= sizeof(sa.sun_path) - 1) {
		fprintf(stderr, "limber: socket path %s is too long\n", d->sockpath);
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
		fprintf(stderr, "limber: another daemon is listening on %s\n", d->sockpath);
		close(fd);
		return -1;
	}
	unlink(d->sockpath);
	old = umask(0117);   /* owner and group only: 0660 */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
		umask(old);
		fprintf(stderr, "limber: control socket %s: %s\n", d->sockpath, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	chmod(d->sockpath, 0660);
	d->sock = fd;
	return 0;
}

static void client_close(struct client *c)
{
	close(c->fd);
	c->fd = -1;
}

static void daemon_accept(struct daemon *d)
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

static void daemon_client(struct daemon *d, struct client *c)
{
	char buf[512];
	ssize_t got = read(c->fd, buf, sizeof(buf));
	size_t off = 0;

	if (got <= 0) {
		if (got == 0 || (errno != EAGAIN && errno != EINTR))
			client_close(c);
		return;
	}
	c->since = util_now_ms();
	while (off < (size_t)got && c->fd >= 0) {
		struct ctl_request rq;
		char err[LIMBER_ERR_LEN], reply[LIMBER_ERR_LEN + 2];
		int st;
		size_t n;

		off += ctl_reader_feed(&c->r, buf + off, (size_t)got - off, &rq, &st, err);
		if (st == 1)
			break;
		if (st == 0)
			daemon_request(d, &rq, reply, sizeof(reply) - 2);
		else
			snprintf(reply, sizeof(reply) - 2, "%s", err);
		n = strlen(reply);
		reply[n++] = '\n';
		/* Replies are short; a client that cannot take one is not reading: drop it. */
		if (write(c->fd, reply, n) != (ssize_t)n)
			client_close(c);
	}
}

/* ---- inputs ---- */

static void daemon_open_inputs(struct daemon *d)
{
	d->ev = evdev_open(d->cfg->inputs, d->cfg->ninputs,
			   d->o->input_dir ? d->o->input_dir : "/dev/input");
	d->ngpio = 0;
	for (size_t i = 0; i < d->cfg->nbuttons && d->ngpio < DAEMON_GPIO; i++) {
		char err[LIMBER_ERR_LEN];
		struct gpio_button *g;

		if (gpio_open(d->cfg->buttons[i].chip, d->cfg->buttons[i].line, &g, err) < 0) {
			fprintf(stderr, "limber: %s; going on without this button\n", err);
			continue;
		}
		fprintf(stderr, "limber: button on %s %s\n", d->cfg->buttons[i].chip,
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
		fprintf(stderr, "limber: button %s %s stopped answering; going on without it\n",
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
static void daemon_reload(struct daemon *d)
{
	fprintf(stderr, "limber: SIGHUP: reloading the config and routines\n");
	sd_notify(0, "RELOADING=1");
	daemon_close_inputs(d);
	daemon_load(d);
	daemon_open_inputs(d);
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
				fprintf(stderr, "limber: %s: stopping\n",
					si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
			d->quit = 1;
			sd_notify(0, "STOPPING=1");
			d->pending = PEND_NONE;
			daemon_child_stop(d);
			break;
		case SIGHUP:
			if (d->child) {
				fprintf(stderr, "limber: SIGHUP: reloading when this ends\n");
				d->reload = 1;
				break;
			}
			daemon_reload(d);
			break;
		case SIGCHLD:
			daemon_reap(d);
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
		daemon_act(d, re.act, re.g);
	if (d->menu_until && !d->child && now >= d->menu_until)
		d->menu_until = 0;
	if (d->kill_at && now >= d->kill_at && d->child) {
		fprintf(stderr, "limber: the child did not stop; killing it\n");
		kill(d->child, SIGKILL);
		d->kill_at = 0;
	}
	for (int i = 0; i < DAEMON_CLIENTS; i++)
		if (d->clients[i].fd >= 0 && now - d->clients[i].since >= DAEMON_CLIENT_MS)
			client_close(&d->clients[i]);
}

static int daemon_loop(struct daemon *d)
{
	const struct evdev_sink sink = { d, remote_key_cb, remote_lost_cb };

	while (!d->quit || d->child) {
		struct pollfd fds[4 + DAEMON_CLIENTS + EVDEV_MAX + 1 + DAEMON_GPIO];
		size_t n = 0, first_client, first_ev, nev, first_gpio;
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

		if (poll(fds, n, daemon_timeout(d, util_now_ms())) < 0 && errno != EINTR) {
			fprintf(stderr, "limber: poll: %s\n", strerror(errno));
			return 1;
		}
		if (fds[0].revents)
			daemon_signal(d);
		if (child_slot >= 0 && fds[child_slot].revents && d->out_r >= 0)
			daemon_child_output(d);
		if (fds[1].revents && !d->quit)
			daemon_accept(d);
		for (int i = 0; i < DAEMON_CLIENTS; i++)
			if (fds[first_client + (size_t)i].revents && d->clients[i].fd >= 0)
				daemon_client(d, &d->clients[i]);
		evdev_handle(d->ev, fds + first_ev, nev, &sink);
		for (size_t i = d->ngpio; i-- > 0;)
			if (fds[first_gpio + i].revents)
				daemon_gpio(d, i);
		daemon_timers(d);
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
		fprintf(stderr, "limber: signalfd: %s\n", strerror(errno));
		return 1;
	}
	if (daemon_load(&d) < 0)
		goto out;
	if (daemon_listen(&d) < 0)
		goto out;
	daemon_open_inputs(&d);
	fprintf(stderr, "limber: ready; control socket %s, %zu input devices, %zu buttons\n",
		d.sockpath, evdev_count(d.ev), d.ngpio);
	sd_notify(0, "READY=1");
	rc = daemon_loop(&d);
	fprintf(stderr, "limber: stopped\n");
out:
	for (int i = 0; i < DAEMON_CLIENTS; i++)
		if (d.clients[i].fd >= 0)
			close(d.clients[i].fd);
	if (d.sock >= 0) {
		close(d.sock);
		unlink(d.sockpath);
	}
	daemon_close_inputs(&d);
	daemon_child_closed(&d);
	daemon_forget_routines(&d);
	history_close(d.history);
	config_free(d.cfg);
	if (d.sigfd >= 0)
		close(d.sigfd);
	return rc;
}

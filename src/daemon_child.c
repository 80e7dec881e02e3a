/*
 * daemon_child: the one child process that has the speaker. `limber say`
 * speaks a menu line; `limber run` plays a session, fed keys on fd 3 as a
 * terminal would type them, and read back through its status lines
 * (player.h) for the step, the pause and the pain question.
 */
#include "daemon_int.h"
#include "log.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

void child_closed(struct daemon *d)
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

/*
 * In the child, before the exec: nothing of the daemon's crosses but stdin,
 * stdout, stderr and the keys on fd 3. Not every descriptor is close-on-exec:
 * libmosquitto's socket and socketpair are not, and a player holding the
 * broker's socket kept the daemon's will from being sent when it died.
 */
static void child_close_from(int first)
{
	struct rlimit rl;
	int last = 65536;   /* far above any the daemon opens, cheap to walk */

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)last)
		last = (int)rl.rlim_cur;
	for (int fd = first; fd < last; fd++)
		close(fd);
}

static pid_t child_spawn(struct daemon *d, char *const argv[], int with_keys)
{
	int keys[2] = { -1, -1 }, out[2];
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) < 0 || (with_keys && pipe2(keys, O_CLOEXEC) < 0)) {
		log_err("pipe: %s", strerror(errno));
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
		child_close_from(with_keys ? 4 : 3);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(out[1]);
	if (with_keys)
		close(keys[0]);
	if (pid < 0) {
		log_err("fork: %s", strerror(errno));
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

/* Common options for a child: device, voice, volume, the lead-in and the morning caution. */
static size_t child_args(struct daemon *d, char **av, size_t k, char *vol, char *lat)
{
	const char *device = d->o->device ? d->o->device : d->cfg->device;
	static char lead[32], morning[16];

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
		/* Past the menu's morning offer (held: play it anyway), the session does not
		 * say the caution again; started another way, it says it and goes on. */
		snprintf(morning, sizeof(morning), "%02d:%02d",
			 d->no_caution ? 0 : d->cfg->morning_until / 60,
			 d->no_caution ? 0 : d->cfg->morning_until % 60);
		d->no_caution = 0;
		av[k++] = "--morning-until";
		av[k++] = morning;
	}
	/* A speaker that sleeps: the same lead-in before a menu line as before a session. */
	if (d->cfg->lead_in_ms) {
		snprintf(lead, sizeof(lead), "%lld.%03llds", (long long)(d->cfg->lead_in_ms / 1000),
			 (long long)(d->cfg->lead_in_ms % 1000));
		av[k++] = "--lead-in";
		av[k++] = lead;
	}
	if (d->cfg->lead_in_tone)
		av[k++] = "--lead-in-tone";
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
void child_stop(struct daemon *d)
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

void child_say(struct daemon *d, const char *text)
{
	char vol[16], lat[16], *av[32];
	size_t k = 0;

	av[k++] = "limber";
	av[k++] = "say";
	av[k++] = "--quiet";
	d->kind_next = CHILD_SAY;
	k = child_args(d, av, k, vol, lat);
	if (d->cfg->voice) {
		av[k++] = "--voice";
		av[k++] = d->cfg->voice;
	}
	av[k++] = "--";
	av[k++] = (char *)text;
	av[k] = NULL;
	if (child_spawn(d, av, 0) > 0)
		d->kind = CHILD_SAY;
}

int child_start(struct daemon *d, size_t i, int resume)
{
	char vol[16], lat[16], *av[32];
	size_t k = 0;

	d->menu_until = 0;
	if (d->child) {
		int64_t total;

		/* Queued until the child that has the speaker is gone; a routine that
		 * does not load is refused now, not then. */
		if (menu_estimate(d, i, &total, NULL, NULL) < 0)
			return -1;
		d->pending = resume ? PEND_RESUME : PEND_START;
		d->pending_idx = i;
		child_stop(d);
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
	k = child_args(d, av, k, vol, lat);
	if (d->cfg->voice) {
		av[k++] = "--voice";
		av[k++] = d->cfg->voice;
	}
	/* A NAME, found on the same path; no "--" before it, since a player that loses
	 * its device restarts itself with --continue appended. */
	av[k++] = d->routines[i].name;
	av[k] = NULL;
	if (menu_estimate(d, i, &d->total_ms, &d->step_ms, &d->nsteps) < 0) {
		free(d->step_ms);
		d->step_ms = NULL;
		return -1;
	}
	if (child_spawn(d, av, 1) < 0)
		return -1;
	d->kind = CHILD_SESSION;
	d->sess_idx = i;
	d->menu_idx = i;   /* the next menu offers the last one played */
	d->step = 0;
	d->paused = 0;
	d->asking = 0;
	d->step_name[0] = '\0';
	d->in_hold = 0;
	d->left_ms = d->total_ms;
	d->left_ref = util_now_ms();
	log_info("starting %s", d->routines[i].name);
	return 0;
}

/* A key to the session, as a terminal would type it. */
void child_key(struct daemon *d, char c)
{
	if (d->kind != CHILD_SESSION || d->keys_w < 0 || d->kill_at)
		return;
	if (write(d->keys_w, &c, 1) != 1)
		log_warn("the session is not listening: %s", strerror(errno));
}

void child_set_paused(struct daemon *d, int paused)
{
	int64_t now = util_now_ms();

	if (paused == d->paused)
		return;
	if (paused) {
		d->left_ms -= now - d->left_ref;
		d->hold_left_ms -= now - d->hold_ref;
	}
	d->left_ref = d->hold_ref = now;
	d->paused = paused;
}

/* "limber: step N of M: NAME" (player.h): 0 with N and NAME, or -1. */
static int child_step_line(const char *line, int *step, const char **name)
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

static void child_line(struct daemon *d, const char *line)
{
	const char *name;
	long long hold;
	char *end;
	int step;

	if (d->kind == CHILD_SESSION && child_step_line(line, &step, &name) == 0) {
		d->step = step;
		if (step > d->crash_step)
			d->crashes = 0;   /* it got past the step it crashed in */
		snprintf(d->step_name, sizeof(d->step_name), "%s", name);
		if (d->step_ms && step >= 1 && step <= d->nsteps)
			d->left_ms = d->total_ms - d->step_ms[step];
		d->left_ref = util_now_ms();   /* paused (a seek while paused): frozen there */
		d->in_hold = 0;
		return;
	}
	if (d->kind == CHILD_SESSION && !strncmp(line, "limber: hold ", 13) &&
	    (hold = strtoll(line + 13, &end, 10)) >= 0 && !strcmp(end, " ms")) {
		d->in_hold = 1;
		d->hold_ms = d->hold_left_ms = hold;
		d->hold_ref = util_now_ms();
		return;
	}
	if (!strcmp(line, "limber: hold over")) {
		d->in_hold = 0;
		return;
	}
	if (!strcmp(line, "limber: asking for a pain rating")) {
		d->asking = 1;
		return;
	}
	if (!strcmp(line, "limber: paused")) {
		child_set_paused(d, 1);
		return;
	}
	if (!strcmp(line, "limber: resumed")) {
		child_set_paused(d, 0);
		return;
	}
	fprintf(stderr, "%s\n", line);   /* the rest is for the journal */
}

void child_output(struct daemon *d)
{
	ssize_t got;

	while ((got = read(d->out_r, d->out + d->outn, sizeof(d->out) - 1 - d->outn)) > 0) {
		char *start = d->out, *nl;

		d->outn += (size_t)got;
		d->out[d->outn] = '\0';
		while ((nl = strchr(start, '\n')) != NULL) {
			*nl = '\0';
			child_line(d, start);
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

/*
 * A player that died of a crash, not of a signal someone sent it to end it
 * (kill, kill -9, the OOM killer): alsa-lib's dmix has been seen to abort
 * (alsa-lib#314). The session had begun (a step was heard) and was not over
 * (asking for the pain rating: it is finished, nothing to resume), and nothing
 * else was asked for meanwhile.
 */
static int child_crashed(const struct daemon *d, enum child_kind kind, int status)
{
	if (kind != CHILD_SESSION || !WIFSIGNALED(status) || d->kill_at || d->quit ||
	    d->reload || d->pending != PEND_NONE || d->step < 1 || d->asking)
		return 0;
	switch (WTERMSIG(status)) {
	case SIGABRT: case SIGSEGV: case SIGBUS: case SIGFPE: case SIGILL: case SIGTRAP:
	case SIGSYS:
		return 1;
	default:
		return 0;
	}
}

void child_reap(struct daemon *d)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		enum child_kind kind = d->kind;
		int crashed;

		if (pid != d->child)
			continue;
		if (d->out_r >= 0)
			child_output(d);   /* its last lines first: a step, or the pain question */
		crashed = child_crashed(d, kind, status);
		if (kind == CHILD_SESSION)
			log_info("session %s ended (%s %d)",
				d->routines[d->sess_idx].name,
				WIFEXITED(status) ? "exit" : "signal",
				WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		else if (WIFEXITED(status) && WEXITSTATUS(status))
			log_warn("could not speak the menu (exit %d)",
				WEXITSTATUS(status));
		child_closed(d);
		if (d->quit)
			continue;
		if (d->reload && !d->child) {
			/* The list is read again: a queued start keeps its routine by name. */
			char *queued = NULL;

			if ((d->pending == PEND_START || d->pending == PEND_RESUME) &&
			    d->pending_idx < d->nroutines)
				queued = util_xstrdup(d->routines[d->pending_idx].name);
			d->reload = 0;
			daemon_reload(d);
			if (queued && (d->pending_idx = daemon_find(d, queued)) == d->nroutines)
				log_warn("%s is gone after the reload; not starting it",
					queued);
			free(queued);
		}
		if (crashed && d->crashes < DAEMON_CRASH_RESUMES) {
			/*
			 * The person is lying down, eyes closed: go on from the step
			 * that was cut, as a press on the menu's offer would. A player
			 * that crashes again in that step is resumed once more, then
			 * left to the menu's offer, so a crash at every start cannot loop.
			 */
			d->crashes++;
			d->crash_step = d->step;
			log_warn("the session's player crashed (signal %d); "
				"resuming it at the step that was cut (%d of %d in a row)",
				WTERMSIG(status), d->crashes, DAEMON_CRASH_RESUMES);
			if (child_start(d, d->sess_idx, 1) < 0)
				log_err("could not resume the session");
			continue;
		}
		if (crashed)
			log_warn("the session's player crashed again in step %d; "
				"not resuming it (a press offers it)", d->step);
		if (kind == CHILD_SESSION)
			d->crashes = d->crash_step = 0;
		if (d->pending == PEND_SAY)
			menu_offer(d);
		else if ((d->pending == PEND_START || d->pending == PEND_RESUME) &&
			 d->pending_idx < d->nroutines)
			child_start(d, d->pending_idx, d->pending == PEND_RESUME);
		d->pending = PEND_NONE;
	}
}


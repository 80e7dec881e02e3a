/*
 * child: starting the child, talking to it, and its end (child.h).
 */
#include "child.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

void child_init(struct child *c)
{
	memset(c, 0, sizeof(*c));
	c->keys_w = c->out_r = -1;
}

void child_gone(struct child *c)
{
	if (c->keys_w >= 0)
		close(c->keys_w);
	if (c->out_r >= 0)
		close(c->out_r);
	child_init(c);
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

	/* One call on Linux 5.9 and later (both Debian 12's and 13's kernels); else a walk. */
	if (close_range((unsigned)first, ~0U, 0) == 0)
		return;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)last)
		last = (int)rl.rlim_cur;
	for (int fd = first; fd < last; fd++)
		close(fd);
}

static int child_spawn(struct child *c, char *const argv[], int with_keys)
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
	c->pid = pid;
	c->out_r = out[0];
	c->keys_w = with_keys ? keys[1] : -1;
	c->outn = 0;
	return 0;
}

/* The buffers the options are written into while the argv is in use. */
struct child_argbuf {
	char vol[16], lat[16], lead[32], morning[16];
};

/* The options every child gets: device, voice, volume, latency and the lead-in. */
static size_t child_common(const struct child_opts *o, char **av, size_t k,
			   struct child_argbuf *ab)
{
	snprintf(ab->vol, sizeof(ab->vol), "%d", o->volume_db);
	snprintf(ab->lat, sizeof(ab->lat), "%d", o->latency_ms);
	av[k++] = "--volume";
	av[k++] = ab->vol;
	av[k++] = "--latency";
	av[k++] = ab->lat;
	/* A speaker that sleeps: the same lead-in before a menu line as before a session. */
	if (o->lead_in_ms) {
		snprintf(ab->lead, sizeof(ab->lead), "%lld.%03llds",
			 (long long)(o->lead_in_ms / 1000), (long long)(o->lead_in_ms % 1000));
		av[k++] = "--lead-in";
		av[k++] = ab->lead;
	}
	if (o->lead_in_tone)
		av[k++] = "--lead-in-tone";
	if (o->device) {
		av[k++] = "--device";
		av[k++] = (char *)o->device;
	}
	if (o->voice) {
		av[k++] = "--voice";
		av[k++] = (char *)o->voice;
	}
	return k;
}

int child_say(struct child *c, const struct child_opts *o, const char *text)
{
	struct child_argbuf ab = { 0 };
	char *av[32];
	size_t k = 0;

	av[k++] = "limber";
	av[k++] = "say";
	av[k++] = "--quiet";
	k = child_common(o, av, k, &ab);
	av[k++] = "--";
	av[k++] = (char *)text;
	av[k] = NULL;
	return child_spawn(c, av, 0);
}

int child_play(struct child *c, const struct child_opts *o, const char *name, int resume,
	       int no_caution, int timer)
{
	struct child_argbuf ab = { 0 };
	char *av[32];
	size_t k = 0;

	av[k++] = "limber";
	av[k++] = "run";
	if (resume)
		av[k++] = "--resume";
	if (timer)
		av[k++] = "--timer";
	av[k++] = "--input";
	av[k++] = "/dev/fd/3";
	k = child_common(o, av, k, &ab);
	av[k++] = "--ask-pain";   /* answered with the button: a press a point */
	av[k++] = "--state-dir";
	av[k++] = (char *)o->state_dir;
	if (o->brief)
		av[k++] = "--brief";
	/* Past the menu's morning offer (held: play it anyway), the session does not
	 * say the caution again; started another way, it says it and goes on. */
	snprintf(ab.morning, sizeof(ab.morning), "%02d:%02d",
		 no_caution ? 0 : o->morning_until / 60, no_caution ? 0 : o->morning_until % 60);
	av[k++] = "--morning-until";
	av[k++] = ab.morning;
	av[k++] = (char *)name;
	av[k] = NULL;
	return child_spawn(c, av, 1);
}

int child_key(struct child *c, char key)
{
	if (c->keys_w < 0 || write(c->keys_w, &key, 1) != 1) {
		log_warn("the session is not listening: %s",
			 c->keys_w < 0 ? "no keys" : strerror(errno));
		return -1;
	}
	return 0;
}

void child_signal(const struct child *c, int sig)
{
	if (c->pid > 0)
		kill(c->pid, sig);
}

void child_read(struct child *c, void (*line)(void *ctx, const char *text), void *ctx)
{
	ssize_t got;

	if (c->out_r < 0)
		return;
	while ((got = read(c->out_r, c->out + c->outn, sizeof(c->out) - 1 - c->outn)) > 0) {
		char *start = c->out, *nl;

		c->outn += (size_t)got;
		c->out[c->outn] = '\0';
		while ((nl = strchr(start, '\n')) != NULL) {
			*nl = '\0';
			line(ctx, start);
			start = nl + 1;
		}
		c->outn -= (size_t)(start - c->out);
		memmove(c->out, start, c->outn);
		if (c->outn == sizeof(c->out) - 1)
			c->outn = 0;   /* a line longer than any we make: drop it */
	}
	if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
		close(c->out_r);
		c->out_r = -1;
	}
}

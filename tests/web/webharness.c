/*
 * webharness: src/web.c alone, in a poll loop like the daemon's, with fake
 * ops in place of the daemon. Every command line it is given is written to
 * the log (one a line), so a test can see that a click on the page reached
 * the protocol; the fake state follows start, pause, resume and stop so the
 * page has something to show.
 *
 *   webharness --listen 127.0.0.1:PORT --pin 4711 --state-dir DIR --log FILE [--seed]
 *   webharness --state-dir DIR --seed-only
 *
 * --seed writes six weeks of history (lower back at beginner every day
 * for 15 days with falling pain, a few neck sessions) before it starts;
 * --seed-only writes it and ends, for a test of the real daemon (web_daemon).
 * It prints "ready" on stdout when it listens, and ends on SIGTERM or SIGINT.
 */
#include "config.h"
#include "history.h"
#include "library.h"
#include "mqtt_text.h"
#include "util.h"
#include "web.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY 86400

static volatile sig_atomic_t quit;

struct fake {
	FILE *log;
	char state[16];
	char routine[160];
	int settings_saved;
};

static void on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static void fake_command(void *ctx, const char *line, char *out, size_t len)
{
	struct fake *f = ctx;

	fprintf(f->log, "%s\n", line);
	fflush(f->log);
	if (!strncmp(line, "start", 5)) {
		snprintf(f->routine, sizeof(f->routine), "%s",
			 line[5] ? line + 6 : "lower-back/beginner");
		snprintf(f->state, sizeof(f->state), "playing");
		snprintf(out, len, "ok starting %s", f->routine);
	} else if (!strcmp(line, "pause") || (!strcmp(line, "toggle") &&
					      !strcmp(f->state, "playing"))) {
		if (strcmp(f->state, "playing") != 0) {
			snprintf(out, len, "error: nothing is playing");
			return;
		}
		snprintf(f->state, sizeof(f->state), "paused");
		snprintf(out, len, "ok paused");
	} else if (!strcmp(line, "resume") || !strcmp(line, "toggle")) {
		snprintf(f->state, sizeof(f->state), "playing");
		snprintf(out, len, "ok resumed");
	} else if (!strcmp(line, "stop")) {
		snprintf(f->state, sizeof(f->state), "idle");
		f->routine[0] = '\0';
		snprintf(out, len, "ok stopping");
	} else {
		snprintf(out, len, "ok %s", line);
	}
}

static void fake_status(void *ctx, struct sbuf *b)
{
	struct fake *f = ctx;
	int on = strcmp(f->state, "idle") != 0;
	struct mqtt_state st = {
		.state = f->state,
		.routine = on ? f->routine : NULL,
		.title = on ? "Lower back relief, beginner" : NULL,
		.selected = "lower-back/beginner",
		.step = on ? 2 : 0,
		.steps = on ? 8 : 0,
		.step_name = on ? "Knee to chest" : NULL,
		.side = on ? "left" : NULL,
		.remaining_s = on ? 25 : -1,
		.hold_s = on ? 45 : -1,
		.session_left_s = on ? 754 : -1,
		.streak_days = 15,
		.last_routine = "lower-back/beginner",
		.last_ended = (int64_t)time(NULL) - 3600,
		.last_how = "finished",
	};

	mqtt_text_state(&st, b);
}

static void fake_settings(void *ctx)
{
	struct fake *f = ctx;

	f->settings_saved++;
	fprintf(f->log, "#settings saved\n");
	fflush(f->log);
}

static int seed(const char *dir)
{
	struct history *h;
	char err[LIMBER_ERR_LEN];
	int64_t now = (int64_t)time(NULL), id;

	if (history_open(dir, &h, err) < 0) {
		fprintf(stderr, "webharness: %s\n", err);
		return -1;
	}
	/* Fifteen days of the lower back at beginner, pain from 7 down to 3. */
	for (int d = 15; d >= 1; d--) {
		int64_t t = now - d * DAY - 2 * 3600;

		id = history_begin(h, "lower-back/beginner", "Lower back relief, beginner",
				   "lower-back", "beginner", 8, 0, t, err);
		for (int s = 1; s <= 8; s++)
			history_step(h, id, s, t + s * 140, err);
		history_end(h, id, HOW_FINISHED, t + 1150, err);
		history_pain(h, id, 3 + (d * 4) / 15, err);
	}
	/* The neck now and then, weeks ago; one stopped halfway. */
	for (int d = 40; d >= 20; d -= 5) {
		int64_t t = now - d * DAY;

		id = history_begin(h, "neck/beginner", "Neck and traps", "neck", "beginner", 6, 0, t,
				   err);
		for (int s = 1; s <= (d == 30 ? 3 : 6); s++)
			history_step(h, id, s, t + s * 170, err);
		history_end(h, id, d == 30 ? HOW_STOPPED : HOW_FINISHED, t + 1020, err);
	}
	history_close(h);
	return 0;
}

int main(int argc, char **argv)
{
	const char *listen_on = "127.0.0.1:8080", *pin = "4711", *dir = NULL, *log = "/dev/null";
	char yaml[256], err[LIMBER_ERR_LEN];
	struct config *cfg;
	struct library lib;
	struct web *w;
	struct fake f = { .state = "idle" };
	struct web_ops ops = { &f, fake_command, fake_status, fake_settings };
	int do_seed = 0, seed_only = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed"))
			do_seed = 1;
		else if (!strcmp(argv[i], "--seed-only"))
			seed_only = 1;
		else if (i + 1 < argc && !strcmp(argv[i], "--listen"))
			listen_on = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--pin"))
			pin = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--state-dir"))
			dir = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--log"))
			log = argv[++i];
		else {
			fprintf(stderr, "usage: webharness --listen ADDR:PORT --pin PIN --state-dir DIR "
					"--log FILE [--seed]\n"
					"       webharness --state-dir DIR --seed-only\n");
			return 2;
		}
	}
	if (!dir) {
		fprintf(stderr, "webharness: --state-dir is needed\n");
		return 2;
	}
	if (seed_only)
		return seed(dir) < 0 ? 1 : 0;
	snprintf(yaml, sizeof(yaml), "web: {listen: \"%s\", pin: \"%s\"}\n", listen_on, pin);
	if (config_parse("harness", yaml, strlen(yaml), &cfg, err) < 0 ||
	    library_init(&lib, err) < 0) {
		fprintf(stderr, "webharness: %s\n", err);
		return 1;
	}
	if (do_seed && seed(dir) < 0)
		return 1;
	if (!(f.log = fopen(log, "a"))) {
		perror(log);
		return 1;
	}
	if (web_open(cfg, dir, &lib, &ops, &w, err) < 0) {
		fprintf(stderr, "webharness: %s\n", err);
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	printf("ready\n");
	fflush(stdout);
	while (!quit) {
		struct pollfd p;
		int n = web_pollfd(w, &p), timeout = -1;
		int64_t dl = web_deadline(w);

		if (dl >= 0) {
			int64_t left = dl - util_now_ms();

			timeout = left < 0 ? 0 : left > 60000 ? 60000 : (int)left;
		}
		if (poll(&p, (nfds_t)n, timeout) < 0)
			continue;   /* EINTR: a signal; the loop's test sees it */
		web_handle(w, n ? p.revents : 0);
	}
	web_free(w);
	fclose(f.log);
	library_done(&lib);
	config_free(cfg);
	return 0;
}

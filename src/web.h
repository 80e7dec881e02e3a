/*
 * web: the phone page, an HTTP transport of the daemon's one line protocol.
 *
 * libmicrohttpd serves it inside the daemon's own poll loop: no thread, no
 * second loop. MHD runs in its external-loop mode with epoll, so the whole
 * server is one descriptor for poll() (web_pollfd), a deadline while a
 * connection is open (web_deadline; none while idle: no wake-ups) and one
 * call when either comes (web_handle).
 *
 * What it serves:
 *   GET  /                 the page (static files: web/ in the data
 *                          directories, /usr/share/limber/web when
 *                          installed; /chart.js from Debian's libjs-chart.js)
 *   POST /api/cmd          one line of the control protocol (ctl.h) as the
 *                          body; the reply line as the socket gives it
 *   GET  /api/status       the MQTT state object (mqtt_text.h)
 *   GET  /api/history      sessions, streak, pain and progression (JSON)
 *   GET  /api/routines     every routine: area, level, length, steps (JSON)
 *   GET  /api/settings     the settings the page may change (settings.h)
 *   PUT  /api/settings     change them (a JSON object of the keys to change)
 *
 * POST and PUT need "Authorization: Bearer PIN" (the config's web: pin),
 * come from the page's own origin (Origin, Sec-Fetch-Site), and carry at
 * most WEB_MAX_BODY bytes. The rest may be read by anyone on the network.
 * The daemon keeps the state and the verbs: it gives web the two
 * callbacks below and web never parses a command beyond ctl_parse's check.
 */
#ifndef LIMBER_WEB_H
#define LIMBER_WEB_H

#include "util.h"

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#define WEB_MAX_BODY 2048         /* a command line or the settings object */
#define WEB_CONNECTIONS 16
#define WEB_TIMEOUT_S 15          /* an idle or slow connection is closed */
#define WEB_MAX_SESSIONS 1000     /* /api/history's sessions, newest first */
#define WEB_MAX_ROUTINES_JSON ((size_t)1024 * 1024)

struct config;
struct library;
struct web;

struct web_ops {
	void *ctx;
	/* One control-protocol line (already checked by ctl_parse); its one reply
	 * line ("ok ...", "error: ..." or the status) into out. */
	void (*command)(void *ctx, const char *line, char *out, size_t len);
	/* The state object, as mqtt_text_state writes it, appended to b. */
	void (*status)(void *ctx, struct sbuf *b);
	/* The page saved settings.json: apply it (settings_apply) as a reload
	 * does, after the session if one plays. May be NULL. */
	void (*settings)(void *ctx);
};

/*
 * Listen on cfg->web->listen (cfg->web must be set) and get ready: the
 * routines are read once here (web_reload reads them again). state_dir
 * holds history.db and settings.json. lib and ops must outlive w; cfg need
 * not (what is needed is copied). 0, or -1 with the reason in err.
 */
int web_open(const struct config *cfg, const char *state_dir, const struct library *lib,
	     const struct web_ops *ops, struct web **out, char *err);
/* After a reload: the new config's PIN and settings, and the routines again.
 * A new listen address is listened on and the old one closed (the caller
 * asks web_pollfd again, as it does every turn); if it cannot be, the old
 * one stays and stderr says why. */
void web_reload(struct web *w, const struct config *cfg, const struct library *lib);
/* The descriptor to poll (POLLIN): 1 entry filled, or 0 if none. */
int web_pollfd(struct web *w, struct pollfd *p);
/* When web_handle must run even if nothing is readable (util_now_ms), or -1. */
int64_t web_deadline(const struct web *w);
/* After poll: when the descriptor was ready or the deadline passed. */
void web_handle(struct web *w, int revents);
void web_free(struct web *w);

/* The request rules, pure, so the tests check them alone. */

/* A POST or PUT from the page's own origin: 1, else 0. Each may be NULL (absent). */
int web_same_origin(const char *origin, const char *host, const char *fetch_site);
/* "Bearer PIN" with the right PIN (compared in constant time): 1, else 0. */
int web_bearer_ok(const char *authorization, const char *pin);
/* One line of at most CTL_MAX_LINE printable bytes, with an optional final
 * newline (removed in place): 1, else 0. */
int web_line_ok(char *body, size_t len);
/* A static file's URL path: letters, digits, '-', '_', '.', '/', no ".." or
 * dot files. 1, else 0. */
int web_path_ok(const char *path);
const char *web_mime(const char *path);

#endif

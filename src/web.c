/*
 * web: the phone page's HTTP server (web.h says what it serves and why it
 * lives in the daemon's poll loop).
 *
 * libmicrohttpd parses HTTP; this file only decides. Each request is
 * judged on its headers first (method, path, origin, PIN, declared
 * length), its body is gathered up to WEB_MAX_BODY, and the answer is
 * given once the body is in. The listening socket is made here, not by
 * MHD, so a bind failure says why, and it is close-on-exec, as every
 * descriptor the daemon's children must not get.
 */
#include "web.h"

#include "config.h"
#include "ctl.h"
#include "history.h"
#include "library.h"
#include "log.h"
#include "settings.h"
#include "web_data.h"
#include "web_guard.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Debian's libjs-chart.js: 3.x has chart.min.js, 4.x a UMD build beside its ES module. */
#define WEB_CHARTJS_DIR "/usr/share/javascript/chart.js"
static const char *const chartjs_files[] = { "chart.umd.min.js", "chart.umd.js", "chart.min.js",
					     NULL };

/* Status codes by number: their MHD names changed between 0.9 and 1.0 (413's). */
enum {
	HTTP_OK = 200,
	HTTP_NOT_MODIFIED = 304,
	HTTP_BAD_REQUEST = 400,
	HTTP_UNAUTHORIZED = 401,
	HTTP_FORBIDDEN = 403,
	HTTP_NOT_FOUND = 404,
	HTTP_METHOD_NOT_ALLOWED = 405,
	HTTP_CONFLICT = 409,
	HTTP_TOO_LARGE = 413,
	HTTP_TOO_MANY = 429,
	HTTP_SERVER_ERROR = 500,
};

struct web {
	struct MHD_Daemon *mhd;
	int epfd;                     /* MHD's epoll set: the one descriptor to poll */
	char *listen_on;              /* the address mhd listens on */
	const struct library *lib;
	struct web_ops ops;
	char *pin;                    /* NULL: read only */
	char *state_dir;
	struct settings base;         /* what GET /api/settings shows under the file's */
	struct config *shown;         /* the config's values the settings lie over */
	struct history *history;      /* NULL: none to read */
	struct web_catalog cat;
	struct web_guards guards;     /* wrong PINs, by client address */
};

/* One request's state across MHD's calls. */
struct web_req {
	int status;                   /* decided from the headers; 0: go on */
	int too_big;
	char body[WEB_MAX_BODY + 1];
	size_t len;
};

int web_same_origin(const char *origin, const char *host, const char *fetch_site)
{
	if (fetch_site && strcmp(fetch_site, "same-origin") != 0 && strcmp(fetch_site, "none") != 0)
		return 0;
	if (origin) {
		/* http://HOST[:PORT] exactly as the browser was pointed at it. */
		if (!host || strncmp(origin, "http://", 7) != 0 || strcmp(origin + 7, host) != 0)
			return 0;
	}
	return 1;
}

int web_bearer_ok(const char *authorization, const char *pin)
{
	size_t n, m;
	unsigned char diff = 0;

	if (!authorization || !pin || strncmp(authorization, "Bearer ", 7) != 0)
		return 0;
	authorization += 7;
	n = strlen(authorization);
	m = strlen(pin);
	/* The same work whatever the guess, so its time says nothing of the PIN. */
	for (size_t i = 0; i < m; i++)
		diff |= (unsigned char)(pin[i] ^ (i < n ? authorization[i] : 0));
	return diff == 0 && n == m;
}

int web_line_ok(char *body, size_t len)
{
	if (len && body[len - 1] == '\n')
		len--;
	if (len && body[len - 1] == '\r')
		len--;
	if (len == 0 || len > CTL_MAX_LINE)
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)body[i] < 0x20 || body[i] == 0x7f)
			return 0;
	body[len] = '\0';
	return 1;
}

int web_path_ok(const char *path)
{
	if (path[0] != '/' || strlen(path) > 128)
		return 0;
	for (const char *p = path; *p; p++) {
		if (*p == '/' && p[1] == '.')
			return 0;   /* "..", ".hidden" */
		if (!(*p == '/' || *p == '.' || *p == '-' || *p == '_' || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return 0;
	}
	return strstr(path, "//") == NULL;
}

const char *web_mime(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".json", "application/json" },
		{ ".webmanifest", "application/manifest+json" },
	};
	size_t n = strlen(path);

	for (size_t i = 0; i < UTIL_ARRAY_LEN(types); i++) {
		size_t e = strlen(types[i].ext);

		if (n > e && !strcmp(path + n - e, types[i].ext))
			return types[i].type;
	}
	return "application/octet-stream";
}

/* The headers every answer carries: nothing of the page runs framed or from elsewhere. */
static void web_headers(struct MHD_Response *r, const char *type)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
				"form-action 'self'; base-uri 'none'");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
}

static enum MHD_Result web_reply(struct MHD_Connection *c, unsigned status, const char *type,
				 const char *body, size_t len)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result rc;

	if (!r)
		return MHD_NO;
	web_headers(r, type);
	if (status == HTTP_UNAUTHORIZED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"limber\"");
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

/* A one-line text answer: an error's reason, or the control protocol's reply. */
static enum MHD_Result web_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	char line[LIMBER_ERR_LEN + 8];

	snprintf(line, sizeof(line), "%s\n", text);
	return web_reply(c, status, "text/plain; charset=utf-8", line, strlen(line));
}

static enum MHD_Result web_json(struct MHD_Connection *c, struct sbuf *b)
{
	enum MHD_Result rc = web_reply(c, HTTP_OK, "application/json", b->s ? b->s : "{}",
				       b->s ? b->len : 2);

	sbuf_done(b);
	return rc;
}

/*
 * A static file, with an ETag of its size and modification time. Every
 * answer says no-cache, so a browser asks again each time it opens the page,
 * with If-None-Match: a file it has already costs a 304 and no body, and
 * Chart.js (200 KB of the page's 225) crosses the Wi-Fi once, not at every
 * visit. An upgrade changes the files, their times and so their tags.
 */
static enum MHD_Result web_file_fd(struct MHD_Connection *c, int fd, const char *name)
{
	struct stat st;
	struct MHD_Response *r;
	enum MHD_Result rc;
	const char *match;
	char tag[80];
	unsigned status = HTTP_OK;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return web_text(c, HTTP_NOT_FOUND, "not found");
	}
	snprintf(tag, sizeof(tag), "\"%llx-%llx-%lx\"", (unsigned long long)st.st_size,
		 (unsigned long long)st.st_mtim.tv_sec, (unsigned long)st.st_mtim.tv_nsec);
	match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (match && strstr(match, tag)) {
		close(fd);
		status = HTTP_NOT_MODIFIED;
		r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	} else if (!(r = MHD_create_response_from_fd((size_t)st.st_size, fd))) {
		close(fd);
	}
	if (!r)
		return MHD_NO;
	web_headers(r, web_mime(name));
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, tag);
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

/* A static file: web/ on the data path, and Chart.js from Debian's package. */
static enum MHD_Result web_static(struct web *w, struct MHD_Connection *c, const char *url)
{
	char *path;
	int fd;

	if (!strcmp(url, "/chart.js")) {
		for (size_t i = 0; chartjs_files[i]; i++) {
			char p[256];

			snprintf(p, sizeof(p), "%s/%s", WEB_CHARTJS_DIR, chartjs_files[i]);
			if ((fd = open(p, O_RDONLY | O_CLOEXEC)) >= 0)
				return web_file_fd(c, fd, p);
		}
		return web_text(c, HTTP_NOT_FOUND, "Chart.js is not installed (libjs-chart.js)");
	}
	if (!strcmp(url, "/"))
		url = "/index.html";
	if (!web_path_ok(url))
		return web_text(c, HTTP_NOT_FOUND, "not found");
	if (!(path = library_find(w->lib, "web", url + 1)))
		return web_text(c, HTTP_NOT_FOUND, "not found");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return web_text(c, HTTP_NOT_FOUND, "not found");
	return web_file_fd(c, fd, url);
}

static void web_settings_json(struct web *w, struct sbuf *b)
{
	struct settings s = w->base;
	char err[LIMBER_ERR_LEN];

	(void)settings_load(w->state_dir, &s, err);   /* a bad file: the config's values */
	sbuf_add(b, "{\"settings\":");
	settings_json(&s, w->shown, b);
	sbuf_add(b, ",\"voices\":");
	web_data_voices(w->lib, b);
	sbuf_add(b, "}\n");
}

static enum MHD_Result web_put_settings(struct web *w, struct MHD_Connection *c,
					struct web_req *rq)
{
	struct settings s;
	char err[LIMBER_ERR_LEN];
	struct sbuf b;

	settings_init(&s);
	if (settings_load(w->state_dir, &s, err) < 0)
		settings_init(&s);   /* a broken file is replaced by what the page sends */
	if (settings_parse("the settings sent", rq->body, rq->len, &s, err) < 0)
		return web_text(c, HTTP_BAD_REQUEST, err);
	if (s.voice[0] && !web_data_voice_ok(w->lib, s.voice))
		return web_text(c, HTTP_BAD_REQUEST, "no such voice");
	if (settings_save(w->state_dir, &s, err) < 0) {
		log_warn("web: %s", err);
		return web_text(c, HTTP_SERVER_ERROR, "the settings could not be saved");
	}
	if (w->ops.settings)
		w->ops.settings(w->ops.ctx);
	sbuf_init(&b);
	web_settings_json(w, &b);
	return web_json(c, &b);
}

static enum MHD_Result web_cmd(struct web *w, struct MHD_Connection *c, struct web_req *rq)
{
	struct ctl_request req;
	char err[LIMBER_ERR_LEN], out[1024];

	if (!web_line_ok(rq->body, rq->len))
		return web_text(c, HTTP_BAD_REQUEST, "error: one line of the control protocol");
	if (ctl_parse(rq->body, &req, err) < 0)
		return web_text(c, HTTP_BAD_REQUEST, err);
	out[0] = '\0';
	w->ops.command(w->ops.ctx, rq->body, out, sizeof(out));
	out[strcspn(out, "\n")] = '\0';
	/* The socket's reply either way; a refusal (nothing to pause) is a conflict. */
	return web_text(c, strncmp(out, "error", 5) ? HTTP_OK : HTTP_CONFLICT, out);
}

static enum MHD_Result web_get(struct web *w, struct MHD_Connection *c, const char *url)
{
	struct sbuf b;

	if (strncmp(url, "/api/", 5) != 0)
		return web_static(w, c, url);
	sbuf_init(&b);
	if (!strcmp(url, "/api/status")) {
		w->ops.status(w->ops.ctx, &b);
	} else if (!strcmp(url, "/api/history")) {
		web_data_history(w->history, &w->cat, (int64_t)time(NULL), &b);
	} else if (!strcmp(url, "/api/routines")) {
		sbuf_addn(&b, w->cat.json.s, w->cat.json.len);
	} else if (!strcmp(url, "/api/settings")) {
		web_settings_json(w, &b);
	} else {
		sbuf_done(&b);
		return web_text(c, HTTP_NOT_FOUND, "no such API");
	}
	return web_json(c, &b);
}

/* The client's address, as web_guards keys it: an IPv4 address (also one mapped into
 * IPv6) is its 4 bytes, IPv6 its 16; anything else 0 bytes. */
struct web_peer {
	unsigned char addr[WEB_GUARD_ADDR];
	size_t len;
};

static void web_peer(struct MHD_Connection *c, struct web_peer *p)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	p->len = 0;
	/* Copied out, not cast: MHD's sockaddr need not be aligned for the family's struct. */
	if (sa && sa->sa_family == AF_INET) {
		struct sockaddr_in in;

		memcpy(&in, sa, sizeof(in));
		memcpy(p->addr, &in.sin_addr, 4);
		p->len = 4;
	} else if (sa && sa->sa_family == AF_INET6) {
		struct sockaddr_in6 in6;

		memcpy(&in6, sa, sizeof(in6));
		if (IN6_IS_ADDR_V4MAPPED(&in6.sin6_addr)) {
			memcpy(p->addr, in6.sin6_addr.s6_addr + 12, 4);
			p->len = 4;
		} else {
			memcpy(p->addr, in6.sin6_addr.s6_addr, 16);
			p->len = 16;
		}
	}
}

/* Judge a POST or PUT on its headers, before any body is read: 0 to go on, or a status. */
static int web_judge(struct web *w, struct MHD_Connection *c, const char *url, const char *method)
{
	const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						      MHD_HTTP_HEADER_CONTENT_LENGTH);
	int put = !strcmp(method, MHD_HTTP_METHOD_PUT);
	int64_t now = util_now_ms();
	struct web_peer peer;

	if (strcmp(url, put ? "/api/settings" : "/api/cmd") != 0)
		return strncmp(url, "/api/", 5) ? HTTP_METHOD_NOT_ALLOWED : HTTP_NOT_FOUND;
	if (!web_same_origin(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin"),
			     MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST),
			     MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site")))
		return HTTP_FORBIDDEN;
	if (len && strtoll(len, NULL, 10) > WEB_MAX_BODY)
		return HTTP_TOO_LARGE;
	if (!w->pin)
		return HTTP_UNAUTHORIZED;   /* no pin: in the config: the page only shows */
	web_peer(c, &peer);
	if (web_guards_wait(&w->guards, peer.addr, peer.len, now) > 0)
		return HTTP_TOO_MANY;
	if (!web_bearer_ok(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_AUTHORIZATION),
			   w->pin)) {
		/* No attempt at all (no header) costs nothing; a wrong PIN does. */
		if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION))
			web_guards_fail(&w->guards, peer.addr, peer.len, now);
		return HTTP_UNAUTHORIZED;
	}
	web_guards_ok(&w->guards, peer.addr, peer.len);
	return 0;
}

static enum MHD_Result web_refuse(struct web *w, struct MHD_Connection *c, int status)
{
	char why[96];

	switch (status) {
	case HTTP_FORBIDDEN:
		return web_text(c, status, "error: not from this page's own address");
	case HTTP_TOO_LARGE:
		snprintf(why, sizeof(why), "error: more than %d bytes", WEB_MAX_BODY);
		return web_text(c, status, why);
	case HTTP_UNAUTHORIZED:
		return web_text(c, status, w->pin ? "error: the PIN is needed (Authorization: Bearer PIN)"
						  : "error: no pin: in the config, so the page only shows");
	case HTTP_TOO_MANY: {
		struct MHD_Response *r;
		char s[32];
		enum MHD_Result rc;
		struct web_peer peer;
		int64_t wait;

		web_peer(c, &peer);
		wait = web_guards_wait(&w->guards, peer.addr, peer.len, util_now_ms());

		snprintf(why, sizeof(why), "error: too many wrong PINs: wait %lld s\n",
			 (long long)((wait + 999) / 1000));
		if (!(r = MHD_create_response_from_buffer(strlen(why), why, MHD_RESPMEM_MUST_COPY)))
			return MHD_NO;
		web_headers(r, "text/plain; charset=utf-8");
		snprintf(s, sizeof(s), "%lld", (long long)((wait + 999) / 1000));
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, s);
		rc = MHD_queue_response(c, status, r);
		MHD_destroy_response(r);
		return rc;
	}
	case HTTP_METHOD_NOT_ALLOWED:
		return web_text(c, status, "error: not a method this page takes");
	default:
		return web_text(c, (unsigned)status, "error: no such API");
	}
}

static enum MHD_Result web_access(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct web *w = cls;
	struct web_req *rq = *con_cls;
	int body = !strcmp(method, MHD_HTTP_METHOD_POST) || !strcmp(method, MHD_HTTP_METHOD_PUT);

	(void)version;
	if (!body) {
		if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
			return web_refuse(w, c, HTTP_METHOD_NOT_ALLOWED);
		return web_get(w, c, url);
	}
	if (!rq) {
		rq = *con_cls = util_xcalloc(1, sizeof(*rq));
		rq->status = web_judge(w, c, url, method);
		/* A body declared too big is not read at all. */
		if (rq->status == HTTP_TOO_LARGE)
			return web_refuse(w, c, rq->status);
		return MHD_YES;
	}
	if (*upload_size) {
		if (!rq->status && !rq->too_big) {
			if (rq->len + *upload_size > WEB_MAX_BODY)
				rq->too_big = 1;   /* the rest is read and dropped */
			else {
				memcpy(rq->body + rq->len, upload, *upload_size);
				rq->len += *upload_size;
				rq->body[rq->len] = '\0';
			}
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->status)
		return web_refuse(w, c, rq->status);
	if (rq->too_big)
		return web_refuse(w, c, HTTP_TOO_LARGE);
	if (memchr(rq->body, '\0', rq->len))
		return web_text(c, HTTP_BAD_REQUEST, "error: binary data");
	if (!strcmp(url, "/api/settings"))
		return web_put_settings(w, c, rq);
	return web_cmd(w, c, rq);
}

static void web_done(void *cls, struct MHD_Connection *c, void **con_cls,
		     enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	free(*con_cls);
	*con_cls = NULL;
}

static int web_listen(const char *listen_on, char *err)
{
	char addr[64];
	int port, fd, one = 1;
	struct sockaddr_storage ss;
	socklen_t sl;

	memset(&ss, 0, sizeof(ss));
	if (config_listen_split(listen_on, addr, sizeof(addr), &port) < 0)
		return util_err(err, "web: listen %s is not ADDRESS:PORT", listen_on);
	if (listen_on[0] == '[') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, addr, &s6->sin6_addr);
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, addr, &s4->sin_addr);
		sl = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return util_err(err, "web: socket: %s", strerror(errno));
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 16) < 0) {
		util_err(err, "web: listen on %s: %s%s", listen_on, strerror(errno),
			 errno == EACCES ? " (a port under 1024 needs privileges: use 8080)" : "");
		close(fd);
		return -1;
	}
	return fd;
}

static void web_take_config(struct web *w, const struct config *cfg)
{
	free(w->pin);
	w->pin = cfg->web && cfg->web->pin ? util_xstrdup(cfg->web->pin) : NULL;
	if (!w->shown)
		w->shown = util_xcalloc(1, sizeof(*w->shown));
	free(w->shown->voice);
	w->shown->voice = util_xstrdup(cfg->voice ? cfg->voice : "calm");
	w->shown->volume_db = cfg->volume_db;
	w->shown->lead_in_ms = cfg->lead_in_ms;
	w->shown->lead_in_tone = cfg->lead_in_tone;
	w->shown->morning_until = cfg->morning_until;
	settings_init(&w->base);
}

/* MHD on listen_on, in place of the server w had (if any, it is stopped only on success). */
static int web_serve(struct web *w, const char *listen_on, char *err)
{
	struct MHD_Daemon *mhd;
	const union MHD_DaemonInfo *info;
	int fd;

	if ((fd = web_listen(listen_on, err)) < 0)
		return -1;
	mhd = MHD_start_daemon(MHD_USE_EPOLL, 0, NULL, NULL, web_access, w,
			       MHD_OPTION_LISTEN_SOCKET, fd,
			       MHD_OPTION_NOTIFY_COMPLETED, web_done, w,
			       MHD_OPTION_CONNECTION_LIMIT, (unsigned)WEB_CONNECTIONS,
			       MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(WEB_CONNECTIONS / 2),
			       MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)WEB_TIMEOUT_S,
			       MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
			       MHD_OPTION_END);
	if (!mhd) {
		close(fd);
		return util_err(err, "web: libmicrohttpd could not start on %s", listen_on);
	}
	info = MHD_get_daemon_info(mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (!info || info->epoll_fd < 0) {
		MHD_stop_daemon(mhd);
		return util_err(err, "web: libmicrohttpd gave no epoll descriptor");
	}
	if (w->mhd)
		MHD_stop_daemon(w->mhd);   /* closes its listening socket and its epoll set */
	w->mhd = mhd;
	w->epfd = info->epoll_fd;
	free(w->listen_on);
	w->listen_on = util_xstrdup(listen_on);
	return 0;
}

int web_open(const struct config *cfg, const char *state_dir, const struct library *lib,
	     const struct web_ops *ops, struct web **out, char *err)
{
	struct web *w;
	char herr[LIMBER_ERR_LEN];

	*out = NULL;
	if (!cfg->web || !ops || !ops->command || !ops->status)
		return util_err(err, "web: no web: in the config");
	w = util_xcalloc(1, sizeof(*w));
	w->epfd = -1;
	w->lib = lib;
	w->ops = *ops;
	w->state_dir = util_xstrdup(state_dir);
	web_take_config(w, cfg);
	if (web_serve(w, cfg->web->listen, err) < 0) {
		web_free(w);
		return -1;
	}
	if (history_open(state_dir, &w->history, herr) < 0) {
		log_warn("web: no history to show: %s", herr);
		w->history = NULL;
	}
	web_catalog_load(&w->cat, lib);
	if (w->history)
		history_set_routines(w->history, w->cat.r, w->cat.n);
	log_notice("web: the page is on http://%s/%s", w->listen_on,
		   w->pin ? "" : " (no pin: in the config, so it only shows)");
	*out = w;
	return 0;
}

void web_reload(struct web *w, const struct config *cfg, const struct library *lib)
{
	char err[LIMBER_ERR_LEN];

	if (!w)
		return;
	web_take_config(w, cfg);
	/* A new address: served there from now on; one that fails keeps the old. */
	if (cfg->web && strcmp(cfg->web->listen, w->listen_on) != 0) {
		if (web_serve(w, cfg->web->listen, err) < 0)
			log_warn("%s; still on %s", err, w->listen_on);
		else
			log_notice("web: now on %s", w->listen_on);
	}
	w->lib = lib;
	if (w->history)
		history_set_routines(w->history, NULL, 0);
	web_catalog_done(&w->cat);
	web_catalog_load(&w->cat, lib);
	if (w->history)
		history_set_routines(w->history, w->cat.r, w->cat.n);
}

int web_pollfd(struct web *w, struct pollfd *p)
{
	if (!w || w->epfd < 0)
		return 0;
	p->fd = w->epfd;
	p->events = POLLIN;
	p->revents = 0;
	return 1;
}

int64_t web_deadline(const struct web *w)
{
	MHD_UNSIGNED_LONG_LONG ms;

	if (!w || !w->mhd || MHD_get_timeout(w->mhd, &ms) != MHD_YES)
		return -1;
	return util_now_ms() + (int64_t)ms;
}

void web_handle(struct web *w, int revents)
{
	(void)revents;   /* MHD finds what is ready through its own epoll set */
	if (w && w->mhd)
		MHD_run(w->mhd);
}

void web_free(struct web *w)
{
	if (!w)
		return;
	if (w->mhd)
		MHD_stop_daemon(w->mhd);   /* closes the listening socket and the epoll set */
	history_close(w->history);
	web_catalog_done(&w->cat);
	if (w->shown)
		free(w->shown->voice);
	free(w->shown);
	free(w->pin);
	free(w->listen_on);
	free(w->state_dir);
	free(w);
}

/*
 * config: load and check the daemon's configuration. The default key map
 * covers what presenter clickers, foot pedals and media remotes send; the
 * file's `keys` add to it or override it.
 */
#include "config.h"

#include "library.h"
#include "log.h"
#include "util.h"
#include "yml.h"

#include <arpa/inet.h>
#include <libevdev/libevdev.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const action_names[] = { "main",   "pause",  "next",   "previous", "repeat",
					    "stop",   "louder", "softer", "where",    NULL };

static const struct {
	const char *key;
	enum config_action action;
} default_keys[] = {
	{ "KEY_SPACE", ACT_MAIN },        { "KEY_ENTER", ACT_MAIN },
	{ "KEY_PLAYPAUSE", ACT_PAUSE },   { "KEY_PAUSE", ACT_PAUSE },
	{ "KEY_PAGEDOWN", ACT_NEXT },     { "KEY_RIGHT", ACT_NEXT },
	{ "KEY_DOWN", ACT_NEXT },         { "KEY_NEXTSONG", ACT_NEXT },
	{ "KEY_PAGEUP", ACT_PREVIOUS },   { "KEY_LEFT", ACT_PREVIOUS },
	{ "KEY_UP", ACT_PREVIOUS },       { "KEY_PREVIOUSSONG", ACT_PREVIOUS },
	{ "KEY_F5", ACT_MAIN },           { "KEY_ESC", ACT_STOP },
	{ "KEY_STOPCD", ACT_STOP },       { "KEY_B", ACT_PAUSE },  /* presenters' "blank" */
	{ "KEY_VOLUMEUP", ACT_LOUDER },   { "KEY_VOLUMEDOWN", ACT_SOFTER },
};

int config_key_action(const struct config *c, unsigned code)
{
	/* Later entries (the file's) win. */
	for (size_t i = c->nkeys; i-- > 0;)
		if (c->keys[i].code == code)
			return (int)c->keys[i].action;
	return -1;
}

static void config_add_key(struct config *c, unsigned code, enum config_action a)
{
	c->keys = util_xrealloc(c->keys, (c->nkeys + 1) * sizeof(*c->keys));
	c->keys[c->nkeys].code = code;
	c->keys[c->nkeys++].action = a;
}

static int config_str(const struct yml_doc *d, const struct yml_node *n, const char *what,
		      char **out, char *err)
{
	const char *s;

	if (yml_text(d, n, what, &s, err) < 0)
		return -1;
	free(*out);
	*out = util_xstrdup(s);
	return 0;
}

int config_time_of_day(const char *s)
{
	char *end;
	long h = strtol(s, &end, 10), m;

	if (end == s || *end != ':' || h < 0 || h > 23)
		return -1;
	s = end + 1;
	m = strtol(s, &end, 10);
	if (end - s != 2 || *end || m < 0 || m > 59)
		return -1;
	return (int)(h * 60 + m);
}

static int config_action(const struct yml_doc *d, const struct yml_node *n,
			 enum config_action *a, char *err)
{
	int i;

	if (yml_choice(d, n, "action", action_names, &i, err) < 0)
		return -1;
	*a = (enum config_action)i;
	return 0;
}

static int config_buttons(struct config *c, const struct yml_doc *d, const struct yml_node *n,
			  char *err)
{
	static const char *const keys[] = { "chip", "line", "action", NULL };

	if (yml_expect(d, n, YML_SEQ, "buttons", err) < 0)
		return -1;
	c->buttons = util_xcalloc(n->n + 1, sizeof(*c->buttons));
	for (size_t i = 0; i < n->n; i++) {
		const struct yml_node *b = n->kids[i], *v;
		struct config_button *cb = &c->buttons[c->nbuttons++];

		cb->action = ACT_MAIN;
		if (yml_expect(d, b, YML_MAP, "a button", err) < 0 ||
		    yml_check_keys(d, b, "a button", keys, err) < 0)
			return -1;
		if (!(v = yml_map_get(b, "chip")))
			return yml_error(d, b, err, "a button needs 'chip' (its gpiochip's label)");
		if (config_str(d, v, "chip", &cb->chip, err) < 0)
			return -1;
		if (!(v = yml_map_get(b, "line")))
			return yml_error(d, b, err, "a button needs 'line' (the line's name, e.g. GPIO17)");
		if (config_str(d, v, "line", &cb->line, err) < 0)
			return -1;
		if ((v = yml_map_get(b, "action")) && config_action(d, v, &cb->action, err) < 0)
			return -1;
	}
	return 0;
}

static int config_inputs(struct config *c, const struct yml_doc *d, const struct yml_node *n,
			 char *err)
{
	static const char *const keys[] = { "name", "path", NULL };

	if (yml_expect(d, n, YML_SEQ, "inputs", err) < 0)
		return -1;
	c->inputs = util_xcalloc(n->n + 1, sizeof(*c->inputs));
	for (size_t i = 0; i < n->n; i++) {
		const struct yml_node *in = n->kids[i], *v;
		struct config_input *ci = &c->inputs[c->ninputs++];

		if (yml_expect(d, in, YML_MAP, "an input", err) < 0 ||
		    yml_check_keys(d, in, "an input", keys, err) < 0)
			return -1;
		if ((v = yml_map_get(in, "name")) && config_str(d, v, "name", &ci->name, err) < 0)
			return -1;
		if ((v = yml_map_get(in, "path")) && config_str(d, v, "path", &ci->path, err) < 0)
			return -1;
		if (!ci->name == !ci->path)
			return yml_error(d, in, err, "an input has a 'name' or a 'path' (one of them)");
	}
	return 0;
}

static int config_keys(struct config *c, const struct yml_doc *d, const struct yml_node *n,
		       char *err)
{
	if (yml_expect(d, n, YML_MAP, "keys", err) < 0)
		return -1;
	for (size_t i = 0; i < n->n; i++) {
		const struct yml_node *k = yml_map_key(n, i);
		int code = libevdev_event_code_from_name(EV_KEY, k->str);
		enum config_action a;

		if (code < 0)
			return yml_error(d, k, err, "'%s' is not a key name (KEY_PAGEDOWN, BTN_LEFT, ...)",
					 k->str);
		if (config_action(d, yml_map_value(n, i), &a, err) < 0)
			return -1;
		config_add_key(c, (unsigned)code, a);
	}
	return 0;
}

#ifdef LIMBER_HAVE_MQTT
/* Topic-safe: one MQTT topic level, and a Home Assistant object id. */
static int config_id_ok(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

	return n > 0 && n <= 64 && s[n] == '\0';
}

void config_default_id(const char *host, const char *machine_id, char *out, size_t len)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a, over a name of ours and the id */
	char name[64];
	size_t n;

	snprintf(name, sizeof(name), "%s", host && *host ? host : "limber");
	name[strcspn(name, ".")] = '\0';   /* the short name */
	for (char *p = name; *p; p++)
		if (!config_id_ok((char[]){ *p, '\0' }))
			*p = '_';
	n = machine_id ? strspn(machine_id, "0123456789abcdefABCDEF") : 0;
	if (n == 0) {
		snprintf(out, len, "%s", name);
		return;
	}
	for (const char *p = "limber-mqtt-id:"; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)machine_id[i]) * 1099511628211ULL;
	snprintf(out, len, "%s-%06x", name, (unsigned)(h >> 40));
}

/*
 * The password from a file only the daemon's own user can read: the group
 * limber is for `limber ctl` users, who must not see it. A file others or the
 * group can read, or that another user owns, is refused, not used.
 */
static int config_password_file(struct config_mqtt *m, const struct yml_doc *d,
				const struct yml_node *v, char *err)
{
	char *path = NULL, *buf, rerr[LIMBER_ERR_LEN];
	struct stat st;
	size_t len;

	if (config_str(d, v, "password_file", &path, err) < 0)
		return -1;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		yml_error(d, v, err, "password_file %s: not a file that can be read", path);
		free(path);
		return -1;
	}
	if ((st.st_mode & 077) || (st.st_uid != geteuid() && st.st_uid != 0)) {
		yml_error(d, v, err, "password_file %s can be read by others (mode %04o, owner %u): "
				     "only the daemon's user may, as `sudo install -m 0600 -o limber "
				     "/dev/stdin %s` makes it",
			  path, (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid, path);
		free(path);
		return -1;
	}
	if (util_read_file(path, 4096, &buf, &len, rerr) < 0) {
		yml_error(d, v, err, "password_file: %s", rerr);
		free(path);
		return -1;
	}
	free(path);
	buf[strcspn(buf, "\r\n")] = '\0';   /* the first line, as `echo pw > file` writes it */
	if (!buf[0]) {
		free(buf);
		return yml_error(d, v, err, "password_file is empty");
	}
	free(m->password);
	m->password = buf;
	return 0;
}

static int config_mqtt(struct config *c, const struct yml_doc *d, const struct yml_node *n,
		       char *err)
{
	static const char *const keys[] = { "host",     "port",          "id",
					    "username", "password",      "password_file",
					    "tls",      "discovery_prefix", "retain",
					    "keepalive", NULL };
	static const char *const tls_keys[] = { "ca_file", NULL };
	struct config_mqtt *m;
	const struct yml_node *v;
	long l;

	if (yml_expect(d, n, YML_MAP, "mqtt", err) < 0 ||
	    yml_check_keys(d, n, "mqtt", keys, err) < 0)
		return -1;
	m = c->mqtt = util_xcalloc(1, sizeof(*m));
	m->port = 1883;
	m->retain = 1;
	m->keepalive = 60;
	m->prefix = util_xstrdup("homeassistant");
	if (!(v = yml_map_get(n, "host")))
		return yml_error(d, n, err, "mqtt needs 'host' (the broker: homeassistant.local, an address)");
	if (config_str(d, v, "host", &m->host, err) < 0)
		return -1;
	if ((v = yml_map_get(n, "port"))) {
		if (yml_int(d, v, "port", 1, 65535, &l, err) < 0)
			return -1;
		m->port = (int)l;
	}
	if ((v = yml_map_get(n, "id"))) {
		if (config_str(d, v, "id", &m->id, err) < 0)
			return -1;
		if (!config_id_ok(m->id))
			return yml_error(d, v, err, "id '%s' must be letters, digits, - and _ "
						    "(it is a topic level)", m->id);
	} else {
		char host[256] = "", mid[64] = "", id[96];
		FILE *f = fopen("/etc/machine-id", "r");

		if (gethostname(host, sizeof(host) - 1) < 0)
			host[0] = '\0';
		if (f) {
			if (!fgets(mid, sizeof(mid), f))
				mid[0] = '\0';
			fclose(f);
		}
		config_default_id(host, mid, id, sizeof(id));
		m->id = util_xstrdup(id);
		m->id_default = 1;
	}
	if ((v = yml_map_get(n, "username")) && config_str(d, v, "username", &m->username, err) < 0)
		return -1;
	if ((v = yml_map_get(n, "password"))) {
		if (config_str(d, v, "password", &m->password, err) < 0)
			return -1;
		m->password_inline = 1;
	}
	if ((v = yml_map_get(n, "password_file"))) {
		if (yml_map_get(n, "password"))
			return yml_error(d, v, err, "mqtt has 'password' or 'password_file', not both");
		if (config_password_file(m, d, v, err) < 0)
			return -1;
	}
	if (m->password && !m->username)
		return yml_error(d, n, err, "mqtt has a password but no 'username'");
	if ((v = yml_map_get(n, "tls"))) {
		const struct yml_node *ca;

		if (yml_expect(d, v, YML_MAP, "tls", err) < 0 ||
		    yml_check_keys(d, v, "tls", tls_keys, err) < 0)
			return -1;
		if (!(ca = yml_map_get(v, "ca_file")))
			return yml_error(d, v, err, "tls needs 'ca_file' (the broker's CA certificate)");
		if (config_str(d, ca, "ca_file", &m->ca_file, err) < 0)
			return -1;
		if (access(m->ca_file, R_OK) < 0)
			return yml_error(d, ca, err, "ca_file %s cannot be read", m->ca_file);
	}
	if ((v = yml_map_get(n, "discovery_prefix"))) {
		if (config_str(d, v, "discovery_prefix", &m->prefix, err) < 0)
			return -1;
		if (strpbrk(m->prefix, "+#") || m->prefix[0] == '/' ||
		    m->prefix[strlen(m->prefix) - 1] == '/')
			return yml_error(d, v, err, "discovery_prefix '%s' is not a topic prefix "
						    "(homeassistant)", m->prefix);
	}
	if ((v = yml_map_get(n, "retain")) && yml_bool(d, v, "retain", &m->retain, err) < 0)
		return -1;
	if ((v = yml_map_get(n, "keepalive"))) {
		if (yml_int(d, v, "keepalive", 5, 3600, &l, err) < 0)
			return -1;
		m->keepalive = (int)l;
	}
	return 0;
}
#endif

int config_listen_split(const char *s, char *addr, size_t len, int *port)
{
	const char *colon = strrchr(s, ':'), *a = s;
	size_t n;
	char *end;
	long p;
	unsigned char bin[sizeof(struct in6_addr)];

	if (!colon)
		return -1;
	n = (size_t)(colon - s);
	if (s[0] == '[') {   /* [::1]:8080 */
		if (n < 2 || s[n - 1] != ']')
			return -1;
		a = s + 1;
		n -= 2;
	}
	if (n == 0 || n >= len)
		return -1;
	memcpy(addr, a, n);
	addr[n] = '\0';
	p = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || p < 1 || p > 65535)
		return -1;
	if (inet_pton(s[0] == '[' ? AF_INET6 : AF_INET, addr, bin) != 1)
		return -1;
	*port = (int)p;
	return 0;
}

static int config_web(struct config *c, const struct yml_doc *d, const struct yml_node *n,
		      char *err)
{
	static const char *const keys[] = { "listen", "pin", NULL };
	struct config_web *w;
	const struct yml_node *v;
	char addr[64];
	int port;

	if (yml_expect(d, n, YML_MAP, "web", err) < 0 ||
	    yml_check_keys(d, n, "web", keys, err) < 0)
		return -1;
	w = c->web = util_xcalloc(1, sizeof(*w));
	if (!(v = yml_map_get(n, "listen")))
		return yml_error(d, n, err, "web needs 'listen' (ADDRESS:PORT: \"0.0.0.0:8080\" for "
					    "the whole network, \"127.0.0.1:8080\" for this machine)");
	if (config_str(d, v, "listen", &w->listen, err) < 0)
		return -1;
	if (config_listen_split(w->listen, addr, sizeof(addr), &port) < 0)
		return yml_error(d, v, err, "listen '%s' is not ADDRESS:PORT with a numeric address "
					    "(\"0.0.0.0:8080\", \"[::]:8080\")",
				 w->listen);
	if ((v = yml_map_get(n, "pin"))) {
		size_t len;

		if (config_str(d, v, "pin", &w->pin, err) < 0)
			return -1;
		len = strlen(w->pin);
		if (strspn(w->pin, "0123456789") != len || len < CONFIG_WEB_PIN_MIN ||
		    len > CONFIG_WEB_PIN_MAX)
			return yml_error(d, v, err, "pin must be %d to %d digits, in quotes (\"4711\")",
					 CONFIG_WEB_PIN_MIN, CONFIG_WEB_PIN_MAX);
	}
	return 0;
}

static int config_read(struct config *c, const struct yml_doc *d, char *err)
{
	static const char *const keys[] = { "voice",  "volume_db", "device",  "latency_ms",
					    "routines", "state_dir", "socket", "default_routine",
					    "buttons", "inputs",    "keys",    "brief",
					    "lead_in", "lead_in_tone", "morning_until", "mqtt",
					    "web", NULL };
	const struct yml_node *r = d->root, *v;
	long l;

	if (yml_expect(d, r, YML_MAP, "the configuration", err) < 0 ||
	    yml_check_keys(d, r, "the configuration", keys, err) < 0)
		return -1;
	if ((v = yml_map_get(r, "voice")) && config_str(d, v, "voice", &c->voice, err) < 0)
		return -1;
	if ((v = yml_map_get(r, "brief")) && yml_bool(d, v, "brief", &c->brief, err) < 0)
		return -1;
	if ((v = yml_map_get(r, "lead_in")) &&
	    yml_duration(d, v, "lead_in", 1, CONFIG_LEAD_IN_MAX_MS, &c->lead_in_ms, err) < 0)
		return -1;
	if ((v = yml_map_get(r, "lead_in_tone")) &&
	    yml_bool(d, v, "lead_in_tone", &c->lead_in_tone, err) < 0)
		return -1;
	if ((v = yml_map_get(r, "morning_until"))) {
		const char *t;

		if (yml_text(d, v, "morning_until", &t, err) < 0)
			return -1;
		if ((c->morning_until = config_time_of_day(t)) < 0)
			return yml_error(d, v, err, "morning_until '%s' is not a time of day: give "
						    "\"10:00\", or \"00:00\" for no morning caution",
					 t);
	}
	if ((v = yml_map_get(r, "volume_db"))) {
		if (yml_int(d, v, "volume_db", -40, 6, &l, err) < 0)
			return -1;
		c->volume_db = (int)l;
	}
	if ((v = yml_map_get(r, "device")) && config_str(d, v, "device", &c->device, err) < 0)
		return -1;
	if ((v = yml_map_get(r, "latency_ms"))) {
		if (yml_int(d, v, "latency_ms", 1, 2000, &l, err) < 0)
			return -1;
		c->latency_ms = (int)l;
	}
	if ((v = yml_map_get(r, "routines"))) {
		if (yml_expect(d, v, YML_SEQ, "routines", err) < 0)
			return -1;
		c->routines = util_xcalloc(v->n + 1, sizeof(*c->routines));
		for (size_t i = 0; i < v->n; i++)
			if (config_str(d, v->kids[i], "a routine directory", &c->routines[c->nroutines++],
				       err) < 0)
				return -1;
	}
	if ((v = yml_map_get(r, "state_dir")) && config_str(d, v, "state_dir", &c->state_dir, err) < 0)
		return -1;
	if ((v = yml_map_get(r, "socket")) && config_str(d, v, "socket", &c->socket, err) < 0)
		return -1;
	if ((v = yml_map_get(r, "default_routine"))) {
		if (config_str(d, v, "default_routine", &c->default_routine, err) < 0)
			return -1;
		if (!library_name_ok(c->default_routine))
			return yml_error(d, v, err, "default_routine '%s' is not a routine name "
						    "(see `limber list`)",
					 c->default_routine);
	}
	if ((v = yml_map_get(r, "buttons")) && config_buttons(c, d, v, err) < 0)
		return -1;
	if ((v = yml_map_get(r, "inputs")) && config_inputs(c, d, v, err) < 0)
		return -1;
	if ((v = yml_map_get(r, "keys")) && config_keys(c, d, v, err) < 0)
		return -1;
	if ((v = yml_map_get(r, "mqtt"))) {
#ifndef LIMBER_HAVE_MQTT
		return yml_error(d, v, err,
				 "this limber was built without MQTT: install libmosquitto-dev and "
				 "build it again, or remove the mqtt: key");
#else
		if (config_mqtt(c, d, v, err) < 0)
			return -1;
#endif
	}
	if ((v = yml_map_get(r, "web")) && config_web(c, d, v, err) < 0)
		return -1;
	return 0;
}

static struct config *config_defaults(void)
{
	struct config *c = util_xcalloc(1, sizeof(*c));

	c->voice = util_xstrdup("calm");
	c->latency_ms = 40;
	c->morning_until = CONFIG_MORNING_UNTIL;
	c->default_routine = util_xstrdup("lower-back/beginner");
	for (size_t i = 0; i < UTIL_ARRAY_LEN(default_keys); i++)
		config_add_key(c, (unsigned)libevdev_event_code_from_name(EV_KEY, default_keys[i].key),
			       default_keys[i].action);
	return c;
}

int config_parse(const char *name, const char *buf, size_t len, struct config **out, char *err)
{
	struct config *c = config_defaults();
	struct yml_doc d;
	int rc;

	*out = NULL;
	c->path = util_xstrdup(name);
	if (yml_load_string(&d, name, buf, len, err) < 0) {
		config_free(c);
		return -1;
	}
	rc = config_read(c, &d, err);
	yml_doc_done(&d);
	if (rc < 0) {
		config_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

int config_load(const char *path, struct config **out, char *err)
{
	char *buf;
	size_t len;
	int rc;

	if (!path) {
		*out = config_defaults();
		return 0;
	}
	*out = NULL;
	if (util_read_file(path, YML_MAX_FILE, &buf, &len, err) < 0)
		return -1;
	rc = config_parse(path, buf, len, out, err);
	free(buf);
	if (rc == 0 && (*out)->web && (*out)->web->pin) {
		struct stat st;

		if (stat(path, &st) == 0 && (st.st_mode & 004))
			log_warn("warning: %s: the web PIN is in a file every user here "
					"can read (mode %04o): chmod o-r it, or trust them",
				path, (unsigned)(st.st_mode & 07777));
	}
	if (rc == 0 && (*out)->mqtt && (*out)->mqtt->password_inline) {
		struct stat st;

		if (stat(path, &st) == 0 && (st.st_mode & 077))
			log_warn("warning: %s: the MQTT password is written in a file "
					"others can read (mode %04o): move it to password_file",
				path, (unsigned)(st.st_mode & 07777));
	}
	return rc;
}

void config_free(struct config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nroutines; i++)
		free(c->routines[i]);
	for (size_t i = 0; i < c->nbuttons; i++) {
		free(c->buttons[i].chip);
		free(c->buttons[i].line);
	}
	for (size_t i = 0; i < c->ninputs; i++) {
		free(c->inputs[i].name);
		free(c->inputs[i].path);
	}
	free(c->routines);
	free(c->buttons);
	free(c->inputs);
	free(c->keys);
	free(c->path);
	free(c->voice);
	free(c->device);
	free(c->state_dir);
	free(c->socket);
	free(c->default_routine);
	if (c->mqtt) {
		free(c->mqtt->host);
		free(c->mqtt->id);
		free(c->mqtt->username);
		free(c->mqtt->password);
		free(c->mqtt->ca_file);
		free(c->mqtt->prefix);
		free(c->mqtt);
	}
	if (c->web) {
		free(c->web->listen);
		free(c->web->pin);
		free(c->web);
	}
	free(c);
}

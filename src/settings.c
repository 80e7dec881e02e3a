/*
 * settings: the phone page's settings file, read, written and laid over
 * the config (settings.h says why it is a file of its own).
 */
#include "settings.h"

#include "config.h"
#include "history.h"
#include "library.h"
#include "log.h"
#include "mqtt_text.h"
#include "yml.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const timer_names[] = { "morning", "midday", "evening", NULL };

void settings_init(struct settings *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < TIMER_COUNT; i++)
		s->timer[i] = 1;
}

int settings_timer_index(const char *name)
{
	for (int i = 0; timer_names[i]; i++)
		if (!strcmp(name, timer_names[i]))
			return i;
	return -1;
}

const char *settings_timer_name(enum settings_timer t)
{
	return (unsigned)t < TIMER_COUNT ? timer_names[t] : "?";
}

static int settings_read(const struct yml_doc *d, struct settings *s, char *err)
{
	static const char *const keys[] = { "voice",         "volume_db", "lead_in_ms",
					    "lead_in_tone",  "morning_until", "timers", NULL };
	const struct yml_node *r = d->root, *v;
	long l;

	if (yml_expect(d, r, YML_MAP, "the settings", err) < 0 ||
	    yml_check_keys(d, r, "the settings", keys, err) < 0)
		return -1;
	if ((v = yml_map_get(r, "voice"))) {
		const char *t;

		if (yml_text(d, v, "voice", &t, err) < 0)
			return -1;
		/* A profile's name: a file in voices/, never a path. */
		if (strlen(t) >= sizeof(s->voice) || !library_name_ok(t) || strchr(t, '/'))
			return yml_error(d, v, err, "voice '%s' is not a voice's name (calm, brisk)", t);
		snprintf(s->voice, sizeof(s->voice), "%s", t);
	}
	if ((v = yml_map_get(r, "volume_db"))) {
		if (yml_int(d, v, "volume_db", -40, 6, &l, err) < 0)
			return -1;
		s->has_volume = 1;
		s->volume_db = (int)l;
	}
	if ((v = yml_map_get(r, "lead_in_ms"))) {
		if (yml_int(d, v, "lead_in_ms", 0, CONFIG_LEAD_IN_MAX_MS, &l, err) < 0)
			return -1;
		s->has_lead_in = 1;
		s->lead_in_ms = l;
	}
	if ((v = yml_map_get(r, "lead_in_tone"))) {
		if (yml_bool(d, v, "lead_in_tone", &s->lead_in_tone, err) < 0)
			return -1;
		s->has_lead_in_tone = 1;
	}
	if ((v = yml_map_get(r, "morning_until"))) {
		const char *t;
		int m;

		if (yml_text(d, v, "morning_until", &t, err) < 0)
			return -1;
		if ((m = config_time_of_day(t)) < 0)
			return yml_error(d, v, err, "morning_until '%s' is not a time of day (\"10:00\")",
					 t);
		s->has_morning = 1;
		s->morning_until = m;
	}
	if ((v = yml_map_get(r, "timers"))) {
		if (yml_expect(d, v, YML_MAP, "timers", err) < 0 ||
		    yml_check_keys(d, v, "timers", timer_names, err) < 0)
			return -1;
		for (int i = 0; i < TIMER_COUNT; i++) {
			const struct yml_node *t = yml_map_get(v, timer_names[i]);

			if (t && yml_bool(d, t, timer_names[i], &s->timer[i], err) < 0)
				return -1;
		}
	}
	return 0;
}

int settings_parse(const char *name, const char *buf, size_t len, struct settings *s, char *err)
{
	struct settings t = *s;
	struct yml_doc d;
	int rc;

	if (len > SETTINGS_MAX_FILE)
		return util_err(err, "%s: %zu bytes, more than settings may be (%d)", name, len,
				SETTINGS_MAX_FILE);
	if (yml_load_string(&d, name, buf, len, err) < 0)
		return -1;
	rc = settings_read(&d, &t, err);
	yml_doc_done(&d);
	if (rc == 0)
		*s = t;
	return rc;
}

int settings_load(const char *state_dir, struct settings *s, char *err)
{
	char *path = util_path_join(state_dir, SETTINGS_FILE), *buf;
	size_t len;
	int rc;

	if (access(path, F_OK) < 0 && errno == ENOENT) {
		free(path);
		return 0;
	}
	rc = util_read_file(path, SETTINGS_MAX_FILE, &buf, &len, err);
	if (rc == 0) {
		rc = settings_parse(path, buf, len, s, err);
		free(buf);
	}
	free(path);
	return rc;
}

void settings_json(const struct settings *s, const struct config *cfg, struct sbuf *b)
{
	const char *voice = s->voice[0] ? s->voice : cfg ? cfg->voice : NULL;
	int until = s->has_morning ? s->morning_until : cfg ? cfg->morning_until : -1;

	sbuf_add(b, "{\"voice\":");
	mqtt_text_json_str(b, voice);
	if (s->has_volume || cfg)
		sbuf_printf(b, ",\"volume_db\":%d", s->has_volume ? s->volume_db : cfg->volume_db);
	else
		sbuf_add(b, ",\"volume_db\":null");
	if (s->has_lead_in || cfg)
		sbuf_printf(b, ",\"lead_in_ms\":%lld",
			    (long long)(s->has_lead_in ? s->lead_in_ms : cfg->lead_in_ms));
	else
		sbuf_add(b, ",\"lead_in_ms\":null");
	if (s->has_lead_in_tone || cfg)
		sbuf_printf(b, ",\"lead_in_tone\":%s",
			    (s->has_lead_in_tone ? s->lead_in_tone : cfg->lead_in_tone) ? "true"
											: "false");
	else
		sbuf_add(b, ",\"lead_in_tone\":null");
	if (until >= 0)
		sbuf_printf(b, ",\"morning_until\":\"%02d:%02d\"", until / 60, until % 60);
	else
		sbuf_add(b, ",\"morning_until\":null");
	sbuf_add(b, ",\"timers\":{");
	for (int i = 0; i < TIMER_COUNT; i++)
		sbuf_printf(b, "%s\"%s\":%s", i ? "," : "", timer_names[i],
			    s->timer[i] ? "true" : "false");
	sbuf_add(b, "}}");
}

/* Only what was set: a key never touched keeps following the config file. */
static void settings_file_json(const struct settings *s, struct sbuf *b)
{
	sbuf_add(b, "{");
	if (s->voice[0]) {
		sbuf_add(b, "\"voice\": ");
		mqtt_text_json_str(b, s->voice);
		sbuf_add(b, ",\n ");
	}
	if (s->has_volume)
		sbuf_printf(b, "\"volume_db\": %d,\n ", s->volume_db);
	if (s->has_lead_in)
		sbuf_printf(b, "\"lead_in_ms\": %lld,\n ", (long long)s->lead_in_ms);
	if (s->has_lead_in_tone)
		sbuf_printf(b, "\"lead_in_tone\": %s,\n ", s->lead_in_tone ? "true" : "false");
	if (s->has_morning)
		sbuf_printf(b, "\"morning_until\": \"%02d:%02d\",\n ", s->morning_until / 60,
			    s->morning_until % 60);
	sbuf_add(b, "\"timers\": {");
	for (int i = 0; i < TIMER_COUNT; i++)
		sbuf_printf(b, "%s\"%s\": %s", i ? ", " : "", timer_names[i],
			    s->timer[i] ? "true" : "false");
	sbuf_add(b, "}}\n");
}

int settings_save(const char *state_dir, const struct settings *s, char *err)
{
	char *path = util_path_join(state_dir, SETTINGS_FILE);
	struct sbuf b, tmp;
	int fd, rc = -1;

	sbuf_init(&b);
	sbuf_init(&tmp);
	settings_file_json(s, &b);
	sbuf_printf(&tmp, "%s.tmp", path);
	fd = open(tmp.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0) {
		util_err(err, "%s: %s", tmp.s, strerror(errno));
		goto out;
	}
	if (write(fd, b.s, b.len) != (ssize_t)b.len || fsync(fd) < 0) {
		util_err(err, "%s: %s", tmp.s, strerror(errno));
		close(fd);
		unlink(tmp.s);
		goto out;
	}
	close(fd);
	if (rename(tmp.s, path) < 0) {
		util_err(err, "%s: %s", path, strerror(errno));
		unlink(tmp.s);
		goto out;
	}
	/* The rename itself reaches the disk with the directory. */
	fd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	rc = 0;
out:
	sbuf_done(&b);
	sbuf_done(&tmp);
	free(path);
	return rc;
}

int settings_apply(struct config *cfg, const char *state_dir, char *err)
{
	struct settings s;

	settings_init(&s);
	if (settings_load(state_dir, &s, err) < 0)
		return -1;
	if (s.voice[0]) {
		free(cfg->voice);
		cfg->voice = util_xstrdup(s.voice);
	}
	if (s.has_volume)
		cfg->volume_db = s.volume_db;
	if (s.has_lead_in)
		cfg->lead_in_ms = s.lead_in_ms;
	if (s.has_lead_in_tone)
		cfg->lead_in_tone = s.lead_in_tone;
	if (s.has_morning)
		cfg->morning_until = s.morning_until;
	return 0;
}

static void settings_usage(FILE *f)
{
	fputs("usage: limber settings [--state-dir DIR] [--timer morning|midday|evening]\n"
	      "The settings changed on the phone page (web: in the config), kept in the\n"
	      "state directory's settings.json over the config file. With --timer: exit 0\n"
	      "if that day-plan timer is on, 1 if the page turned it off (the timers'\n"
	      "services ask this first, so systemd skips them quietly).\n"
	      "  --state-dir DIR  the daemon's (default: $XDG_STATE_HOME/limber)\n",
	      f);
}

int settings_cmd(int argc, char **argv)
{
	static const struct option opts[] = { { "state-dir", required_argument, NULL, 's' },
					      { "timer", required_argument, NULL, 't' },
					      { "help", no_argument, NULL, 'h' },
					      { 0, 0, 0, 0 } };
	char dir[4096] = "", err[LIMBER_ERR_LEN];
	const char *timer = NULL;
	struct settings s;
	struct sbuf b;
	int c, t = -1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "s:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			snprintf(dir, sizeof(dir), "%s", optarg);
			break;
		case 't':
			timer = optarg;
			break;
		case 'h':
			settings_usage(stdout);
			return 0;
		default:
			settings_usage(stderr);
			return 2;
		}
	}
	if (optind != argc || (timer && (t = settings_timer_index(timer)) < 0)) {
		settings_usage(stderr);
		return 2;
	}
	if (!dir[0])
		history_default_dir(dir, sizeof(dir));
	settings_init(&s);
	if (settings_load(dir, &s, err) < 0) {
		/* A timer still runs: a broken file must not silence the day's plan. */
		log_err("%s", err);
		return timer ? 0 : 1;
	}
	if (timer)
		return s.timer[t] ? 0 : 1;
	sbuf_init(&b);
	settings_json(&s, NULL, &b);
	puts(b.s);
	sbuf_done(&b);
	return 0;
}

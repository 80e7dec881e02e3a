/*
 * settings: what a person changes on the phone page (web.h), kept in the
 * state directory as settings.json and laid over the config file after it
 * loads. The conffile (/etc/limber/config.yaml) is never rewritten: the
 * package manager owns it, and an upgrade must not meet a file the daemon
 * changed. A key the page never set leaves the config's value alone.
 *
 *   {"voice": "calm", "volume_db": -6, "lead_in_ms": 1000, "lead_in_tone": false,
 *    "morning_until": "10:00", "timers": {"morning": true, "midday": false, "evening": true}}
 *
 * The file is JSON, read by the YAML reader (yml.h: JSON is YAML), so one
 * reader with file:line:col serves the file, the page's PUT body and a
 * hand edit alike. It is written whole to a temporary file and renamed
 * over the old one, so a pulled plug leaves the old file or the new one.
 *
 * The day-plan timers (limber-morning/-midday/-evening.timer) are systemd
 * units that run `limber ctl start ...` as user limber; their services ask
 * `limber settings --timer NAME` first (ExecCondition=), which exits 1
 * when the page turned that timer off, and systemd then skips the start
 * quietly. So a timer switched off on the page needs no root and no
 * systemctl: the unit stays enabled and does nothing.
 */
#ifndef LIMBER_SETTINGS_H
#define LIMBER_SETTINGS_H

#include "util.h"

#include <stddef.h>
#include <stdint.h>

#define SETTINGS_FILE "settings.json"
#define SETTINGS_MAX_FILE 4096

enum settings_timer { TIMER_MORNING, TIMER_MIDDAY, TIMER_EVENING, TIMER_COUNT };

struct settings {
	char voice[64];            /* "": not set */
	int has_volume;
	int volume_db;             /* -40 to 6 */
	int has_lead_in;
	int64_t lead_in_ms;        /* 0 (none) to CONFIG_LEAD_IN_MAX_MS */
	int has_lead_in_tone;
	int lead_in_tone;
	int has_morning;
	int morning_until;         /* minutes after midnight; 0: no morning caution */
	int timer[TIMER_COUNT];    /* 1 on (the default), 0 off */
};

struct config;

/* Nothing set, every timer on. */
void settings_init(struct settings *s);

/*
 * Lay the keys of the JSON object in buf over s: only those present
 * change. 0, or -1 with "name:line:col: ..." in err and s unchanged.
 */
int settings_parse(const char *name, const char *buf, size_t len, struct settings *s, char *err);

/* <state_dir>/settings.json into s (settings_init first; no file: 0 and defaults). */
int settings_load(const char *state_dir, struct settings *s, char *err);

/* Write s to <state_dir>/settings.json: a temporary file, fsync, rename. */
int settings_save(const char *state_dir, const struct settings *s, char *err);

/* s as one JSON object, every key (unset ones from cfg, if given, else null). */
void settings_json(const struct settings *s, const struct config *cfg, struct sbuf *b);

/*
 * After config_load: the page's settings over cfg (voice, volume, lead-in,
 * morning time). No file: 0 and cfg unchanged. A bad file: -1 with
 * file:line:col in err and cfg unchanged (the daemon warns and goes on
 * with the config's values).
 */
int settings_apply(struct config *cfg, const char *state_dir, char *err);

/* "morning", "midday", "evening": its index, or -1. */
int settings_timer_index(const char *name);
const char *settings_timer_name(enum settings_timer t);

/* `limber settings [--state-dir DIR] [--timer NAME]`: print them, or 0/1 for a timer's unit. */
int settings_cmd(int argc, char **argv);

#endif

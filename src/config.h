/*
 * config: the daemon's configuration file (YAML), checked whole at start
 * with file:line:col for anything wrong. Command-line flags override it.
 *
 *   voice: calm
 *   volume_db: -6
 *   device: USB                  # audio output, matched by name
 *   latency_ms: 40
 *   routines: [/home/pi/routines]
 *   state_dir: /var/lib/limber
 *   socket: /run/limber/limber.sock
 *   default_routine: lower-back/beginner
 *   brief: true                  # routines finished 5 times: short instructions
 *   lead_in: 1s                  # quiet (or a soft tone) before the first word
 *   lead_in_tone: true
 *   morning_until: "10:00"       # deep bends before this: the guides' caution
 *   buttons:                     # GPIO, found by chip label and line name
 *     - {chip: pinctrl-bcm2711, line: GPIO17, action: main}
 *   inputs:                      # evdev devices, by name (all matching nodes) or path
 *     - {name: Presenter}
 *   keys: {KEY_PAGEDOWN: next, KEY_PAGEUP: previous}
 *   mqtt: {host: homeassistant.local, username: limber, password_file: /etc/limber/mqtt.pass}
 *   web: {listen: "0.0.0.0:8080", pin: "4711"}   # the phone page (web.h)
 */
#ifndef LIMBER_CONFIG_H
#define LIMBER_CONFIG_H

#include <stddef.h>
#include <stdint.h>

enum config_action {
	ACT_MAIN,      /* the one button: short pause/resume or start, long next/menu, double repeat */
	ACT_PAUSE,
	ACT_NEXT,
	ACT_PREVIOUS,
	ACT_REPEAT,
	ACT_STOP,
	ACT_LOUDER,
	ACT_SOFTER,
	ACT_WHERE,
	ACT_COUNT
};

struct config_button {
	char *chip;            /* gpiochip label (or name) */
	char *line;            /* line name */
	enum config_action action;
};

struct config_input {
	char *name;            /* match on the device name, or NULL */
	char *path;            /* or a path, or NULL */
};

struct config_key {
	unsigned code;         /* evdev KEY_* code */
	enum config_action action;
};

/* The broker to publish to (mqtt.h); absent from the file: no MQTT at all. */
struct config_mqtt {
	char *host;
	int port;              /* 1883, or 8883 with tls */
	char *id;              /* the topics' <id>: the file's, else config_default_id's */
	int id_default;        /* id was not in the file */
	char *username;
	char *password;        /* inline, or read from password_file */
	int password_inline;   /* in the config itself (warned of if others can read it) */
	char *ca_file;         /* tls: {ca_file}: TLS with this CA; NULL: plain TCP */
	char *prefix;          /* Home Assistant's discovery_prefix */
	int retain;
	int keepalive;         /* seconds */
};

/* The phone page (web.h); absent from the file: no HTTP listener at all. */
struct config_web {
	char *listen;          /* ADDRESS:PORT, a numeric address: 0.0.0.0:8080, [::]:8080 */
	char *pin;             /* digits; commands need it as a bearer token. NULL: read only */
};
#define CONFIG_WEB_PIN_MIN 4
#define CONFIG_WEB_PIN_MAX 12

struct config {
	char *path;
	char *voice;
	int volume_db;
	char *device;
	int latency_ms;
	char **routines;
	size_t nroutines;
	char *state_dir;
	char *socket;
	char *default_routine;
	int brief;
	int64_t lead_in_ms;        /* before the first word, for speakers that wake slowly */
	int lead_in_tone;          /* a soft tone in it, not silence */
	int morning_until;         /* minutes after midnight; 0: no morning caution */
	struct config_button *buttons;
	size_t nbuttons;
	struct config_input *inputs;
	size_t ninputs;
	struct config_key *keys;   /* the default map, then the file's */
	size_t nkeys;
	struct config_mqtt *mqtt;  /* NULL: no mqtt: key */
	struct config_web *web;    /* NULL: no web: key */
};

/* Defaults, then path if given (NULL: defaults only). 0, or -1 with file:line:col in err. */
int config_load(const char *path, struct config **out, char *err);
/* The same from memory (the fuzzer's way in); name stands for the path in messages. */
int config_parse(const char *name, const char *buf, size_t len, struct config **out, char *err);
void config_free(struct config *c);

#define CONFIG_MORNING_UNTIL (10 * 60)   /* 10:00 */
#define CONFIG_LEAD_IN_MAX_MS 5000

/* "10:00", "9:30": minutes after midnight, or -1 (morning_until, run --morning-until). */
int config_time_of_day(const char *s);

/*
 * The MQTT id when the config names none: the short host name, made
 * topic-safe, and six hex digits drawn from the machine id (a hash, not the
 * id itself), so two Pis both called raspberrypi do not share topics.
 * machine_id NULL or empty: the host name alone. Writes at most len bytes.
 */
void config_default_id(const char *host, const char *machine_id, char *out, size_t len);

/*
 * "127.0.0.1:8080", "[::1]:8080": the numeric address and the port of a
 * web: listen value, or -1 when it is not one (no name is looked up).
 */
int config_listen_split(const char *s, char *addr, size_t len, int *port);

/* The action for an evdev key code, or -1. */
int config_key_action(const struct config *c, unsigned code);

#endif

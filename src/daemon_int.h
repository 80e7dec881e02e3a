/*
 * daemon_int.h: what the daemon's parts share, and nothing else sees.
 *
 * The daemon is one struct and one thread, cut into files by job:
 * daemon.c (the poll loop, signals, loading, inputs), daemon_menu.c (the
 * spoken menu and what a button means when nothing plays), daemon_child.c
 * (the child that has the speaker: a sentence or a session) and
 * daemon_control.c (the control socket and its line protocol's verbs),
 * daemon_mqtt.c (the same verbs and the state on MQTT).
 */
#ifndef LIMBER_DAEMON_INT_H
#define LIMBER_DAEMON_INT_H

#include "button.h"
#include "config.h"
#include "ctl.h"
#include "daemon.h"
#include "evdev.h"
#include "gpio.h"
#include "guide.h"
#include "history.h"
#include "library.h"
#include "remote.h"

#include <poll.h>
#include <stdint.h>
#include <sys/types.h>

#define DAEMON_CLIENTS 16
#define DAEMON_CLIENT_MS 10000   /* a client that has not finished a line in this long is dropped */
#define DAEMON_MENU_MS 30000     /* the menu waits this long after speaking, then goes quiet */
#define DAEMON_STOP_MS 1500      /* a child told to stop gets this long, then SIGKILL */
#define DAEMON_GOODBYE_MS 8000   /* the same for a session saying its goodbye */
#define DAEMON_CRASH_RESUMES 2   /* a crashed session is resumed this often in a row */
#define DAEMON_GPIO 16

enum child_kind { CHILD_NONE, CHILD_SAY, CHILD_SESSION };
enum pending_kind { PEND_NONE, PEND_SAY, PEND_START, PEND_RESUME };
/* What the menu offers (daemon_menu.c has the cycle). */
enum menu_item { MENU_RESUME, MENU_PLACE, MENU_PROGRAMME, MENU_BY_NAME, MENU_ROUTINE,
		 MENU_SAFETY, MENU_MORNING };

struct client {
	int fd;                  /* -1: free */
	int64_t since;           /* connected, or its last whole line */
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
	int in_hold;                 /* a hold's start chime heard, its end not yet */
	char step_name[128];
	int64_t left_ms, left_ref;
	int64_t hold_ms, hold_left_ms, hold_ref;
	int crashes;                 /* resumed after a crash, without getting past crash_step */
	int crash_step;

	/* The menu. */
	struct history *history;     /* for the offer to resume; NULL if it cannot be read */
	char state_dir[4096];
	int resume_offer;            /* the menu is offering to resume this session */
	struct history_session resumable;
	int64_t declined;            /* a session the person chose not to resume */
	size_t resume_idx;           /* its routine in the list */
	size_t menu_idx;
	int64_t menu_until;      /* 0: not in the menu */
	enum menu_item item;
	int place;               /* the place asked about: an index into places[] */
	int places[GUIDE_PLACES], nplaces;   /* the places some routine serves */
	size_t offer_idx;        /* the routine offered for the place, or the morning one */
	size_t chosen_idx;       /* the routine the morning offer stands in for */
	size_t list_seen;        /* routines offered by name since the list began */
	int saying_safety;       /* the menu's child is saying when to see a doctor */
	int selected;            /* `select NAME`: the next wake offers menu_idx first */
	int no_caution;          /* the next session starts past the morning caution */
	struct guide_catalog cat;
	int cat_loaded;
	int volume_db;

	int quit, reload;
	/* systemd's watchdog (WatchdogSec=): WATCHDOG=1 every wd_ms from the loop; 0: off. */
	int64_t wd_ms, wd_next;

	/* MQTT (daemon_mqtt.c), NULL without mqtt: in the config. */
	struct mqtt *mqtt;
	char *mqtt_key;              /* the state last published, time left aside */
	const char *mqtt_word;       /* its state word (idle, playing, ...) */
	char *mqtt_routines;         /* the select's options last published */
	int mqtt_streak;             /* from the history, read when the state changes */
	int mqtt_have_last;
	struct history_session mqtt_last;
};

/* daemon.c */
void daemon_reload(struct daemon *d);
size_t daemon_find(const struct daemon *d, const char *name);   /* nroutines: none */

/* daemon_menu.c: the menu, and what an action means when no session plays. */
int menu_estimate(struct daemon *d, size_t i, int64_t *total, int64_t **step_ms, int *nsteps);
void menu_offer(struct daemon *d);
void menu_find_resumable(struct daemon *d);
void menu_act(struct daemon *d, enum config_action act, enum button_gesture g);
void menu_status(struct daemon *d, char *out, size_t len);   /* idle: what it offers */
void menu_forget(struct daemon *d);                          /* the routines are reloaded */

/* daemon_child.c: the one child that has the speaker. */
void child_closed(struct daemon *d);
void child_stop(struct daemon *d);
void child_say(struct daemon *d, const char *text);
int child_start(struct daemon *d, size_t i, int resume);
void child_key(struct daemon *d, char c);
void child_set_paused(struct daemon *d, int paused);
void child_output(struct daemon *d);
void child_reap(struct daemon *d);

/* daemon_control.c: the control socket. */
int control_listen(struct daemon *d);
void control_accept(struct daemon *d);
void control_client(struct daemon *d, struct client *c);
void control_client_close(struct client *c);
void control_request(struct daemon *d, const struct ctl_request *rq, char *out, size_t len);
int64_t control_left_s(const struct daemon *d);
int64_t control_hold_left_s(const struct daemon *d);

/* daemon_mqtt.c: the daemon on MQTT (mqtt.h), if the config has mqtt:. */
void dmqtt_open(struct daemon *d);
void dmqtt_close(struct daemon *d);
int dmqtt_pollfd(struct daemon *d, struct pollfd *p);
int64_t dmqtt_deadline(const struct daemon *d);
void dmqtt_handle(struct daemon *d, int revents);
void dmqtt_sync(struct daemon *d);   /* publish the state if it changed */

#endif

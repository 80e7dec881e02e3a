/*
 * mqtt: the daemon's link to an MQTT broker (libmosquitto), driven by the
 * daemon's own poll() loop: its socket and a deadline go into the loop,
 * and what poll reports comes back to mqtt_handle. No thread, no
 * mosquitto_loop_forever, a non-blocking connect: a broker that is slow,
 * gone or a black hole never holds up the buttons, the socket or a
 * session. Lost, it tries again with back-off (1 s doubling to 60 s) and
 * says so once; connected again, it calls back so everything retained is
 * published afresh. Idle, the only wake-up is the keepalive (a ping and
 * its answer once every keepalive + 1 s).
 *
 * Built without libmosquitto, mqtt_none.c stands in: mqtt_new fails (the
 * config refuses the mqtt: key before that).
 */
#ifndef LIMBER_MQTT_H
#define LIMBER_MQTT_H

#include "config.h"

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

struct mqtt;

struct mqtt_events {
	void *ctx;
	void (*connected)(void *ctx);                                /* publish what is retained */
	void (*command)(void *ctx, const char *payload, size_t len);  /* a message on .../cmd */
};

/* Start connecting (not waiting for it). cfg is copied. 0, or -1 with err. */
int mqtt_new(const struct config_mqtt *cfg, const struct mqtt_events *ev, struct mqtt **out,
	     char *err);
/* Say offline, disconnect and free; NULL is a no-op. */
void mqtt_free(struct mqtt *m);
/* Is cfg what m was made with (a SIGHUP that changed nothing keeps the link)? */
int mqtt_same(const struct mqtt *m, const struct config_mqtt *cfg);

/* The descriptor to poll and for what: 1 with *p filled, or 0 (none now). */
int mqtt_pollfd(struct mqtt *m, struct pollfd *p);
/* When mqtt_handle is due without any event (ms, util_now_ms), or -1. */
int64_t mqtt_deadline(const struct mqtt *m);
/* What poll said (revents, 0 if it only timed out); timers too. */
void mqtt_handle(struct mqtt *m, int revents, int64_t now);

int mqtt_connected(const struct mqtt *m);
/* Publish on limber/<id>/<leaf>, or on topic if leaf is NULL; retained if asked and
 * the config's retain is on. Dropped while not connected (the connected call
 * publishes afresh). */
void mqtt_publish(struct mqtt *m, const char *leaf, const char *topic, const char *payload,
		  int retain);
const char *mqtt_id(const struct mqtt *m);
const char *mqtt_prefix(const struct mqtt *m);

#endif

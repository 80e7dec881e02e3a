/*
 * mqtt: one libmosquitto client, driven by poll. The connection is in one
 * of three states: waiting to try again, connecting (the TCP connect is
 * non-blocking; the CONNECT packet goes when the socket is writable), and
 * connected (after the broker's CONNACK). Every failure leads to the
 * first, with the next try further off.
 */
#include "mqtt.h"

#include "log.h"
#include "mqtt_text.h"
#include "util.h"

#include <errno.h>
#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MQTT_BACKOFF_MIN 1000
#define MQTT_BACKOFF_MAX 60000
#define MQTT_CONNECT_MS 10000   /* no CONNACK in this long: try again */

enum mqtt_st { MQTT_WAIT, MQTT_CONNECTING, MQTT_UP };

struct mqtt {
	struct config_mqtt cfg;   /* copied strings */
	struct mqtt_events ev;
	struct mosquitto *mosq;
	enum mqtt_st st;
	int ever;                 /* connect_async once, reconnect_async after */
	int tcp_pending;          /* connecting: poll for writable until it has been */
	int said_down;            /* the outage is in the journal already */
	int64_t retry_at, give_up_at, backoff;
	int64_t last_in, last_out;  /* connected: the broker's last packet, and ours */
	char *topic_cmd;
};

static char *mqtt_dup(const char *s)
{
	return s ? util_xstrdup(s) : NULL;
}

static int mqtt_streq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

int mqtt_same(const struct mqtt *m, const struct config_mqtt *c)
{
	return m && c && mqtt_streq(m->cfg.host, c->host) && m->cfg.port == c->port &&
	       mqtt_streq(m->cfg.id, c->id) && mqtt_streq(m->cfg.username, c->username) &&
	       mqtt_streq(m->cfg.password, c->password) && mqtt_streq(m->cfg.ca_file, c->ca_file) &&
	       mqtt_streq(m->cfg.prefix, c->prefix) && m->cfg.retain == c->retain &&
	       m->cfg.keepalive == c->keepalive;
}

const char *mqtt_id(const struct mqtt *m)
{
	return m->cfg.id;
}

const char *mqtt_prefix(const struct mqtt *m)
{
	return m->cfg.prefix;
}

int mqtt_connected(const struct mqtt *m)
{
	return m && m->st == MQTT_UP;
}

static const char *mqtt_why(int rc)
{
	return rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc);
}

/* Lost, or never got there: try again later, further off each time. */
static void mqtt_down(struct mqtt *m, int64_t now, const char *why)
{
	if (!m->said_down)
		log_warn("MQTT broker %s:%d: %s (trying again, with back-off)",
			m->cfg.host, m->cfg.port, why);
	m->said_down = 1;
	m->st = MQTT_WAIT;
	m->retry_at = now + m->backoff;
	m->backoff = m->backoff * 2 > MQTT_BACKOFF_MAX ? MQTT_BACKOFF_MAX : m->backoff * 2;
}

static void mqtt_try(struct mqtt *m, int64_t now)
{
	int rc = m->ever ? mosquitto_reconnect_async(m->mosq)
			 : mosquitto_connect_async(m->mosq, m->cfg.host, m->cfg.port, m->cfg.keepalive);

	m->ever = 1;
	if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_CONN_PENDING) {
		mqtt_down(m, now, mqtt_why(rc));
		return;
	}
	m->st = MQTT_CONNECTING;
	m->tcp_pending = 1;
	m->give_up_at = now + MQTT_CONNECT_MS;
}

static void mqtt_on_connect(struct mosquitto *mosq, void *ctx, int rc)
{
	struct mqtt *m = ctx;

	if (rc != 0) {
		/* Refused (bad credentials, say): the link is dropped by the loop. */
		log_err("MQTT broker %s:%d refused the connection: %s",
			m->cfg.host, m->cfg.port, mosquitto_connack_string(rc));
		m->said_down = 1;
		return;
	}
	log_notice("MQTT connected to %s:%d as limber/%s", m->cfg.host, m->cfg.port,
		m->cfg.id);
	m->st = MQTT_UP;
	m->last_in = m->last_out = util_now_ms();
	m->said_down = 0;
	m->backoff = MQTT_BACKOFF_MIN;
	mosquitto_subscribe(mosq, NULL, m->topic_cmd, 1);
	mqtt_publish(m, "availability", NULL, "online", 1);
	if (m->ev.connected)
		m->ev.connected(m->ev.ctx);
}

static void mqtt_on_message(struct mosquitto *mosq, void *ctx, const struct mosquitto_message *msg)
{
	struct mqtt *m = ctx;

	(void)mosq;
	if (msg->retain) {
		/* Left on the broker by someone's mistake, it would run again at every connect:
		 * a session started at every boot. A command is said once, as it happens. */
		log_warn("MQTT: ignored a retained message on %s (clear it with "
				"mosquitto_pub -r -n -t %s)",
			msg->topic ? msg->topic : "?", msg->topic ? msg->topic : "TOPIC");
		return;
	}
	if (msg->topic && !strcmp(msg->topic, m->topic_cmd) && m->ev.command)
		m->ev.command(m->ev.ctx, msg->payload ? msg->payload : "",
			      msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0);
}

int mqtt_new(const struct config_mqtt *c, const struct mqtt_events *ev, struct mqtt **out,
	     char *err)
{
	struct mqtt *m = util_xcalloc(1, sizeof(*m));
	char client[96];
	struct sbuf t;
	int rc;

	*out = NULL;
	m->cfg = *c;
	m->cfg.host = mqtt_dup(c->host);
	m->cfg.id = mqtt_dup(c->id);
	m->cfg.username = mqtt_dup(c->username);
	m->cfg.password = mqtt_dup(c->password);
	m->cfg.ca_file = mqtt_dup(c->ca_file);
	m->cfg.prefix = mqtt_dup(c->prefix);
	m->ev = *ev;
	m->backoff = MQTT_BACKOFF_MIN;
	sbuf_init(&t);
	mqtt_text_topic(&t, c->id, "cmd");
	m->topic_cmd = sbuf_take(&t);
	mosquitto_lib_init();
	snprintf(client, sizeof(client), "limber-%s", c->id);
	m->mosq = mosquitto_new(client, true, m);
	if (!m->mosq) {
		util_err(err, "MQTT: %s", strerror(errno));
		goto err;
	}
	mosquitto_connect_callback_set(m->mosq, mqtt_on_connect);
	mosquitto_message_callback_set(m->mosq, mqtt_on_message);
	mqtt_text_topic(&t, c->id, "availability");
	/* The broker says this for us when we vanish (kill -9, a pulled plug). */
	rc = mosquitto_will_set(m->mosq, t.s, 7, "offline", 1, true);
	sbuf_done(&t);
	if (rc == MOSQ_ERR_SUCCESS && c->username)
		rc = mosquitto_username_pw_set(m->mosq, c->username, c->password);
	if (rc == MOSQ_ERR_SUCCESS && c->ca_file)
		rc = mosquitto_tls_set(m->mosq, c->ca_file, NULL, NULL, NULL, NULL);
	if (rc != MOSQ_ERR_SUCCESS) {
		util_err(err, "MQTT: %s", mqtt_why(rc));
		goto err;
	}
	mqtt_try(m, util_now_ms());
	*out = m;
	return 0;
err:
	mqtt_free(m);
	return -1;
}

void mqtt_free(struct mqtt *m)
{
	if (!m)
		return;
	if (m->mosq) {
		if (m->st == MQTT_UP) {
			/* A clean goodbye: no will, so say it ourselves; best effort, never waiting. */
			mqtt_publish(m, "availability", NULL, "offline", 1);
			mosquitto_disconnect(m->mosq);
			mosquitto_loop_write(m->mosq, 1);
		}
		mosquitto_destroy(m->mosq);
	}
	mosquitto_lib_cleanup();
	free(m->cfg.host);
	free(m->cfg.id);
	free(m->cfg.username);
	free(m->cfg.password);
	free(m->cfg.ca_file);
	free(m->cfg.prefix);
	free(m->topic_cmd);
	free(m);
}

int mqtt_pollfd(struct mqtt *m, struct pollfd *p)
{
	int fd;

	if (!m || m->st == MQTT_WAIT || (fd = mosquitto_socket(m->mosq)) < 0)
		return 0;
	p->fd = fd;
	p->events = POLLIN;
	if (mosquitto_want_write(m->mosq) || (m->st == MQTT_CONNECTING && m->tcp_pending))
		p->events |= POLLOUT;
	p->revents = 0;
	return 1;
}

/*
 * When libmosquitto's keepalive check has something to do: it pings when
 * either side has been silent for keepalive seconds (it counts whole seconds,
 * hence the second added). Commands coming in must not put off the ping that
 * our silence needs: the broker drops a client after 1.5 keepalives of it.
 */
static int64_t mqtt_misc_at(const struct mqtt *m)
{
	int64_t since = m->last_in < m->last_out ? m->last_in : m->last_out;

	return since + (int64_t)(m->cfg.keepalive + 1) * 1000;
}

int64_t mqtt_deadline(const struct mqtt *m)
{
	if (!m)
		return -1;
	switch (m->st) {
	case MQTT_WAIT:
		return m->retry_at;
	case MQTT_CONNECTING:
		return m->give_up_at;
	case MQTT_UP:
		return mqtt_misc_at(m);
	}
	return -1;
}

void mqtt_handle(struct mqtt *m, int revents, int64_t now)
{
	int rc = MOSQ_ERR_SUCCESS;

	if (!m)
		return;
	if (m->st == MQTT_WAIT) {
		if (now >= m->retry_at)
			mqtt_try(m, now);
		return;
	}
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		rc = mosquitto_loop_read(m->mosq, 1);
		m->last_in = now;
	}
	if (rc == MOSQ_ERR_SUCCESS && (revents & POLLOUT)) {
		m->tcp_pending = 0;
		rc = mosquitto_loop_write(m->mosq, 1);
		m->last_out = now;
	}
	if (rc == MOSQ_ERR_SUCCESS && m->st == MQTT_UP && now >= mqtt_misc_at(m)) {
		rc = mosquitto_loop_misc(m->mosq);   /* a ping, or the broker gone silent */
		m->last_in = m->last_out = now;      /* its answer is due within the next period */
	}
	if (rc == MOSQ_ERR_SUCCESS && m->st == MQTT_CONNECTING && now >= m->give_up_at)
		rc = MOSQ_ERR_CONN_LOST;
	if (rc != MOSQ_ERR_SUCCESS || mosquitto_socket(m->mosq) < 0) {
		if (m->st == MQTT_UP)
			log_warn("MQTT: lost the broker (%s)", mqtt_why(rc));
		m->said_down |= m->st == MQTT_UP;
		mqtt_down(m, now, rc == MOSQ_ERR_SUCCESS ? "connection closed" : mqtt_why(rc));
	}
}

void mqtt_publish(struct mqtt *m, const char *leaf, const char *topic, const char *payload,
		  int retain)
{
	struct sbuf t;
	size_t n = strlen(payload);

	if (!m || m->st != MQTT_UP || n > (size_t)256 * 1024)
		return;
	sbuf_init(&t);
	if (leaf)
		mqtt_text_topic(&t, m->cfg.id, leaf);
	else
		sbuf_add(&t, topic);
	if (mosquitto_publish(m->mosq, NULL, t.s, (int)n, payload, retain ? 1 : 0,
			      retain && m->cfg.retain) == MOSQ_ERR_SUCCESS)
		m->last_out = util_now_ms();
	sbuf_done(&t);
}

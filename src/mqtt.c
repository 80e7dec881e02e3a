/*
 * mqtt: one libmosquitto client, driven by poll. The connection is in one
 * of three states: waiting to try again, connecting (the TCP connect is
 * non-blocking; the CONNECT packet goes when the socket is writable), and
 * connected (after the broker's CONNACK). Every failure leads to the
 * first, with the next try further off.
 *
 * It speaks MQTT v5 for one property of its CONNECT, Maximum Packet Size: a
 * client libmosquitto reads each packet whole into memory before on_message
 * sees it, with no limit of its own (lib/packet_mosq.c, packet__read: a
 * FIXME where the broker has its max_packet_size), so 100 MB on cmd cost the
 * daemon 200 MB before mqtt_text_command refused it as too long. A v5 broker
 * drops for us what would exceed that size instead (mosquitto: "Dropping too
 * large outgoing PUBLISH"). A broker of v3.1.1 alone gets v3.1.1, said once.
 */
#include "mqtt.h"

#include "log.h"
#include "mqtt_text.h"
#include "util.h"

#include <errno.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MQTT_BACKOFF_MIN 1000
#define MQTT_BACKOFF_MAX 60000
#define MQTT_CONNECT_MS 10000   /* no CONNACK in this long: try again */
/* The largest packet the broker may send us. A command is one line of at most
 * CTL_MAX_LINE bytes; 64 KiB leaves room for the topic and properties, and a line
 * too long still arrives, to be refused on error with its reason. */
#define MQTT_MAX_PACKET (64 * 1024)

enum mqtt_st { MQTT_WAIT, MQTT_CONNECTING, MQTT_UP };

struct mqtt {
	struct config_mqtt cfg;   /* copied strings */
	struct mqtt_events ev;
	struct mosquitto *mosq;
	enum mqtt_st st;
	int v5;                   /* MQTT v5, the bound sent; 0: v3.1.1, the broker's refusal of v5 */
	int keepalive;            /* this link's: the config's, or a v5 broker's lower one */
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

/*
 * The protocol, and with v5 the CONNECT's Maximum Packet Size, for every
 * connect from now on; without blocking. libmosquitto 2.0 takes CONNECT
 * properties only from mosquitto_connect_bind_v5, whose TCP connect blocks
 * (minutes, to a host that drops SYNs). But that function first copies them
 * into the client (mosq->connect_properties), then checks its host, and every
 * connect after, mosquitto_connect_async's included, sends what it holds
 * (lib/connect.c, mosquitto__reconnect; 2.0.11 and 2.0.21 alike). So it is
 * called without a host: it keeps the properties and returns MOSQ_ERR_INVAL
 * having opened nothing. Without properties, it forgets them (it refuses to
 * connect with v3.1.1 while it holds any).
 *
 * Not chosen: a non-blocking probe, then the blocking connect once the broker
 * answered. It still blocks when the second connect meets what the probe did
 * not (another of the host's addresses first, a lost SYN), and the broker
 * logs a stray connection at every start. tests/integration/mqtt_big.sh
 * checks on the libmosquitto at hand that the broker got the bound.
 */
static int mqtt_protocol(struct mqtt *m, int v5)
{
	mosquitto_property *props = NULL;
	int rc = mosquitto_int_option(m->mosq, MOSQ_OPT_PROTOCOL_VERSION,
				      v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);

	if (rc == MOSQ_ERR_SUCCESS && v5)
		rc = mosquitto_property_add_int32(&props, MQTT_PROP_MAXIMUM_PACKET_SIZE,
						  MQTT_MAX_PACKET);
	if (rc == MOSQ_ERR_SUCCESS) {
		rc = mosquitto_connect_bind_v5(m->mosq, NULL, m->cfg.port, m->cfg.keepalive, NULL,
					       props);
		if (rc == MOSQ_ERR_INVAL)   /* the host it was not given: the properties kept */
			rc = MOSQ_ERR_SUCCESS;
	}
	mosquitto_property_free_all(&props);
	m->v5 = v5;
	return rc;
}

/* A broker of v3.1.1 alone refused our v5 CONNECT: v3.1.1 from the next try on, said once. */
static void mqtt_v311(struct mqtt *m, const char *why)
{
	log_err("MQTT broker %s:%d does not speak MQTT v5 (%s): going on with v3.1.1, where "
		"a message on %s is read whole however big it is (a v5 broker drops one over "
		"%d bytes for limber)",
		m->cfg.host, m->cfg.port, why, m->topic_cmd, MQTT_MAX_PACKET);
	if (mqtt_protocol(m, 0) != MOSQ_ERR_SUCCESS)
		log_err("MQTT: could not switch to v3.1.1");
	m->said_down = 1;
}

static void mqtt_try(struct mqtt *m, int64_t now)
{
	/* connect_async every time (it keeps the properties): the config's keepalive again,
	 * which reconnect_async would not restore after a broker lowered it. */
	int rc = mosquitto_connect_async(m->mosq, m->cfg.host, m->cfg.port, m->cfg.keepalive);

	m->keepalive = m->cfg.keepalive;
	if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_CONN_PENDING) {
		mqtt_down(m, now, mqtt_why(rc));
		return;
	}
	m->st = MQTT_CONNECTING;
	m->tcp_pending = 1;
	m->give_up_at = now + MQTT_CONNECT_MS;
}

/* The reason codes are v5's (mosquitto_reason_string) or v3.1.1's (connack_string). */
static void mqtt_on_connect(struct mosquitto *mosq, void *ctx, int rc, int flags,
			    const mosquitto_property *props)
{
	struct mqtt *m = ctx;
	uint16_t ka = 0;

	(void)flags;
	if (rc == MQTT_RC_UNSUPPORTED_PROTOCOL_VERSION && m->v5) {
		/* A v3 broker's "unacceptable protocol version", as libmosquitto 2.0.11 reads its
		 * short CONNACK; 2.0.21 fails to read it instead (mqtt_handle). */
		mqtt_v311(m, mosquitto_reason_string(rc));
		return;
	}
	if (rc != 0) {
		/* Refused (bad credentials, say): the link is dropped by the loop. */
		log_err("MQTT broker %s:%d refused the connection: %s", m->cfg.host, m->cfg.port,
			m->v5 ? mosquitto_reason_string(rc) : mosquitto_connack_string(rc));
		m->said_down = 1;
		return;
	}
	/* v5: the broker may want pings sooner than we asked (its max_keepalive); libmosquitto
	 * takes its value, so must our deadline. */
	if (mosquitto_property_read_int16(props, MQTT_PROP_SERVER_KEEP_ALIVE, &ka, false) &&
	    ka > 0 && ka < m->keepalive)
		m->keepalive = ka;
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
	mosquitto_connect_v5_callback_set(m->mosq, mqtt_on_connect);
	mosquitto_message_callback_set(m->mosq, mqtt_on_message);
	mqtt_text_topic(&t, c->id, "availability");
	/* The broker says this for us when we vanish (kill -9, a pulled plug). */
	rc = mosquitto_will_set(m->mosq, t.s, 7, "offline", 1, true);
	sbuf_done(&t);
	if (rc == MOSQ_ERR_SUCCESS && c->username)
		rc = mosquitto_username_pw_set(m->mosq, c->username, c->password);
	if (rc == MOSQ_ERR_SUCCESS && c->ca_file)
		rc = mosquitto_tls_set(m->mosq, c->ca_file, NULL, NULL, NULL, NULL);
	if (rc == MOSQ_ERR_SUCCESS)
		rc = mqtt_protocol(m, 1);
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

	return since + (int64_t)(m->keepalive + 1) * 1000;
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
	/* libmosquitto 2.0.21 reads a v3 broker's refusal of v5 (a CONNACK without
	 * properties) as malformed, and calls no on_connect. */
	if (rc == MOSQ_ERR_MALFORMED_PACKET && m->st == MQTT_CONNECTING && m->v5)
		mqtt_v311(m, "its answer to a v5 CONNECT was not v5");
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

/*
 * dmqtt: the daemon on MQTT (dmqtt.h).
 */
#include "dmqtt.h"

#include "log.h"
#include "mqtt.h"
#include "mqtt_text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void dmqtt_command(void *ctx, const char *payload, size_t len)
{
	struct dmqtt *m = ctx;
	char reply[LIMBER_ERR_LEN];
	struct ctl_request rq;

	if (mqtt_text_command(payload, len, &rq, reply) == 0)
		m->handle(m->ctx, &rq, reply, sizeof(reply));
	if (!strncmp(reply, "error", 5))
		mqtt_publish(m->mqtt, "error", NULL, reply, 0);
	dmqtt_sync(m);
}

/* The routines as the select's options, and its discovery config when they change. */
static void dmqtt_discovery(struct dmqtt *m, int force)
{
	struct mqtt_device dev = { mqtt_id(m->mqtt), mqtt_prefix(m->mqtt), LIMBER_VERSION,
				   m->w->names, m->w->n };
	struct sbuf all, topic, payload;

	sbuf_init(&all);
	sbuf_add(&all, "");
	for (size_t i = 0; i < m->w->n; i++)
		sbuf_printf(&all, "%s\n", m->w->names[i]);
	if (force || !m->routines || strcmp(all.s, m->routines) != 0) {
		for (size_t k = 0; k < mqtt_text_entities(); k++) {
			sbuf_init(&topic);
			sbuf_init(&payload);
			mqtt_text_discovery(&dev, k, &topic, &payload);
			mqtt_publish(m->mqtt, NULL, topic.s, payload.s, 1);
			sbuf_done(&topic);
			sbuf_done(&payload);
		}
		free(m->routines);
		m->routines = sbuf_take(&all);
	}
	sbuf_done(&all);
}

static void dmqtt_history(struct dmqtt *m)
{
	struct history_session *s = NULL;
	char err[LIMBER_ERR_LEN];
	size_t n = 0;

	m->streak = 0;
	m->have_last = 0;
	if (!m->w->history)
		return;
	m->streak = history_streak(m->w->history, (int64_t)time(NULL));
	if (history_sessions(m->w->history, 2, &s, &n, err) < 0)
		return;
	for (size_t i = 0; i < n && !m->have_last; i++) {
		if (s[i].how == HOW_RUNNING)
			continue;   /* the one under way: not over yet */
		m->last = s[i];
		m->have_last = 1;
	}
	free(s);
}

static void dmqtt_state(struct dmqtt *m, int64_t now, struct mqtt_state *st)
{
	dstate_mqtt(m->s, now, st);
	if (st->state != m->history_word) {
		/* A session began or ended: the streak and the last session may have too. */
		dmqtt_history(m);
		m->history_word = st->state;
	}
	st->streak_days = m->streak;
	if (m->have_last) {
		st->last_routine = m->last.routine;
		st->last_ended = m->last.ended;
		st->last_how = history_how_name(m->last.how);
	}
}

static void dmqtt_publish_state(struct dmqtt *m, int force)
{
	int64_t now = util_now_ms(), left, sess;
	struct mqtt_state st;
	struct sbuf key, full;

	dmqtt_state(m, now, &st);
	left = st.remaining_s;
	sess = st.session_left_s;
	st.remaining_s = st.session_left_s = -1;   /* they run down by themselves: not a change */
	sbuf_init(&key);
	mqtt_text_state(&st, &key);
	if (!force && m->key && !strcmp(key.s, m->key)) {
		sbuf_done(&key);
		return;
	}
	st.remaining_s = left;
	st.session_left_s = sess;
	sbuf_init(&full);
	mqtt_text_state(&st, &full);
	mqtt_publish(m->mqtt, "state", NULL, full.s, 1);
	sbuf_done(&full);
	free(m->key);
	m->key = sbuf_take(&key);
}

static void dmqtt_connected(void *ctx)
{
	struct dmqtt *m = ctx;

	dmqtt_discovery(m, 1);
	dmqtt_publish_state(m, 1);
}

void dmqtt_init(struct dmqtt *m, const struct dstate *s, struct dworld *w,
		ctl_handler *handle, void *ctx)
{
	memset(m, 0, sizeof(*m));
	m->s = s;
	m->w = w;
	m->handle = handle;
	m->ctx = ctx;
}

void dmqtt_open(struct dmqtt *m)
{
	const struct mqtt_events ev = { m, dmqtt_connected, dmqtt_command };
	const struct config *cfg = m->w->cfg;
	char err[LIMBER_ERR_LEN];

	if (m->mqtt && mqtt_same(m->mqtt, cfg->mqtt)) {
		dmqtt_discovery(m, 0);   /* a SIGHUP: the routines may have changed */
		return;
	}
	dmqtt_close(m);
	if (!cfg->mqtt)
		return;
	if (cfg->mqtt->id_default)
		log_notice("MQTT id %s: this machine's name and a hash of its machine id "
			   "(set mqtt: id: to choose one)",
			   cfg->mqtt->id);
	if (mqtt_new(cfg->mqtt, &ev, &m->mqtt, err) < 0)
		log_warn("%s; going on without MQTT", err);
}

void dmqtt_close(struct dmqtt *m)
{
	mqtt_free(m->mqtt);
	m->mqtt = NULL;
	free(m->key);
	free(m->routines);
	m->key = m->routines = NULL;
}

int dmqtt_pollfd(struct dmqtt *m, struct pollfd *p)
{
	return m->mqtt ? mqtt_pollfd(m->mqtt, p) : 0;
}

int64_t dmqtt_deadline(const struct dmqtt *m)
{
	return m->mqtt ? mqtt_deadline(m->mqtt) : -1;
}

void dmqtt_handle(struct dmqtt *m, int revents)
{
	if (m->mqtt)
		mqtt_handle(m->mqtt, revents, util_now_ms());
}

void dmqtt_state_json(struct dmqtt *m, struct sbuf *b)
{
	struct mqtt_state st;

	dmqtt_state(m, util_now_ms(), &st);
	mqtt_text_state(&st, b);
}

void dmqtt_sync(struct dmqtt *m)
{
	if (mqtt_connected(m->mqtt))
		dmqtt_publish_state(m, 0);
}

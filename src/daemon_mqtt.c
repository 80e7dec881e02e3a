/*
 * daemon_mqtt: the daemon on MQTT. Requests arrive on limber/<id>/cmd and
 * go through the control socket's own reader and parser (ctl.h) and
 * control_request(), so MQTT adds a transport and no second language; a
 * refused one is answered on limber/<id>/error. The state is published
 * (retained) whenever it changes, which is checked once per turn of the
 * poll loop: nothing here runs on a timer.
 */
#include "daemon_int.h"
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
	struct daemon *d = ctx;
	char reply[LIMBER_ERR_LEN];
	struct ctl_request rq;

	if (mqtt_text_command(payload, len, &rq, reply) == 0)
		control_request(d, &rq, reply, sizeof(reply));
	if (!strncmp(reply, "error", 5))
		mqtt_publish(d->mqtt, "error", NULL, reply, 0);
	dmqtt_sync(d);
}

/* The routines as the select's options, and its discovery config when they change. */
static void dmqtt_discovery(struct daemon *d, int force)
{
	const char **names = util_xcalloc(d->nroutines + 1, sizeof(*names));
	struct mqtt_device dev = { mqtt_id(d->mqtt), mqtt_prefix(d->mqtt), LIMBER_VERSION, names,
				   d->nroutines };
	struct sbuf all, topic, payload;

	sbuf_init(&all);
	sbuf_add(&all, "");
	for (size_t i = 0; i < d->nroutines; i++) {
		names[i] = d->routines[i].name;
		sbuf_printf(&all, "%s\n", names[i]);
	}
	if (force || !d->mqtt_routines || strcmp(all.s, d->mqtt_routines) != 0) {
		for (size_t k = 0; k < mqtt_text_entities(); k++) {
			sbuf_init(&topic);
			sbuf_init(&payload);
			mqtt_text_discovery(&dev, k, &topic, &payload);
			mqtt_publish(d->mqtt, NULL, topic.s, payload.s, 1);
			sbuf_done(&topic);
			sbuf_done(&payload);
		}
		free(d->mqtt_routines);
		d->mqtt_routines = sbuf_take(&all);
	}
	sbuf_done(&all);
	free(names);
}

static void dmqtt_history(struct daemon *d)
{
	struct history_session *s = NULL;
	char err[LIMBER_ERR_LEN];
	size_t n = 0;

	d->mqtt_streak = 0;
	d->mqtt_have_last = 0;
	if (!d->history)
		return;
	d->mqtt_streak = history_streak(d->history, (int64_t)time(NULL));
	if (history_sessions(d->history, 2, &s, &n, err) < 0)
		return;
	for (size_t i = 0; i < n && !d->mqtt_have_last; i++) {
		if (s[i].how == HOW_RUNNING)
			continue;   /* the one under way: not over yet */
		d->mqtt_last = s[i];
		d->mqtt_have_last = 1;
	}
	free(s);
}

static void dmqtt_state(struct daemon *d, struct mqtt_state *st)
{
	memset(st, 0, sizeof(*st));
	st->remaining_s = st->hold_s = st->session_left_s = -1;
	st->selected = d->nroutines ? d->routines[d->menu_idx].name : NULL;
	st->routine = st->selected;
	if (d->kind == CHILD_SESSION) {
		st->state = d->kill_at ? "stopping" : d->asking ? "asking" : d->paused ? "paused"
											: "playing";
		st->routine = d->routines[d->sess_idx].name;
		st->title = d->entries[d->sess_idx].title;
		if (!d->kill_at && !d->asking) {
			st->step = d->step;
			st->steps = d->nsteps;
			st->step_name = d->step ? d->step_name : NULL;
			st->session_left_s = control_left_s(d);
			st->remaining_s = control_hold_left_s(d);
			st->hold_s = d->in_hold ? (d->hold_ms + 999) / 1000 : -1;
		}
	} else if (d->menu_until) {
		st->state = "offering";
		if (d->resume_offer)
			st->routine = d->resumable.routine;
		if (d->nroutines)
			st->title = d->resume_offer ? d->resumable.title : d->entries[d->menu_idx].title;
	} else {
		st->state = "idle";
	}
	st->streak_days = d->mqtt_streak;
	if (d->mqtt_have_last) {
		st->last_routine = d->mqtt_last.routine;
		st->last_ended = d->mqtt_last.ended;
		st->last_how = history_how_name(d->mqtt_last.how);
	}
}

static void dmqtt_publish_state(struct daemon *d, int force)
{
	struct mqtt_state st;
	struct sbuf key, full;
	int64_t left, sess;

	dmqtt_state(d, &st);
	if (st.state != d->mqtt_word) {
		/* A session began or ended: the streak and the last session may have too. */
		dmqtt_history(d);
		d->mqtt_word = st.state;
		dmqtt_state(d, &st);
	}
	left = st.remaining_s;
	sess = st.session_left_s;
	st.remaining_s = st.session_left_s = -1;   /* they run down by themselves: not a change */
	sbuf_init(&key);
	mqtt_text_state(&st, &key);
	if (!force && d->mqtt_key && !strcmp(key.s, d->mqtt_key)) {
		sbuf_done(&key);
		return;
	}
	st.remaining_s = left;
	st.session_left_s = sess;
	sbuf_init(&full);
	mqtt_text_state(&st, &full);
	mqtt_publish(d->mqtt, "state", NULL, full.s, 1);
	sbuf_done(&full);
	free(d->mqtt_key);
	d->mqtt_key = sbuf_take(&key);
}

static void dmqtt_connected(void *ctx)
{
	struct daemon *d = ctx;

	dmqtt_discovery(d, 1);
	dmqtt_publish_state(d, 1);
}

void dmqtt_open(struct daemon *d)
{
	const struct mqtt_events ev = { d, dmqtt_connected, dmqtt_command };
	char err[LIMBER_ERR_LEN];

	if (d->mqtt && mqtt_same(d->mqtt, d->cfg->mqtt)) {
		dmqtt_discovery(d, 0);   /* a SIGHUP: the routines may have changed */
		return;
	}
	dmqtt_close(d);
	if (!d->cfg->mqtt)
		return;
	if (d->cfg->mqtt->id_default)
		log_notice("MQTT id %s: this machine's name and a hash of its machine id "
				"(set mqtt: id: to choose one)",
			d->cfg->mqtt->id);
	if (mqtt_new(d->cfg->mqtt, &ev, &d->mqtt, err) < 0)
		log_warn("%s; going on without MQTT", err);
}

void dmqtt_close(struct daemon *d)
{
	mqtt_free(d->mqtt);
	d->mqtt = NULL;
	free(d->mqtt_key);
	free(d->mqtt_routines);
	d->mqtt_key = d->mqtt_routines = NULL;
	d->mqtt_word = NULL;
}

int dmqtt_pollfd(struct daemon *d, struct pollfd *p)
{
	return d->mqtt ? mqtt_pollfd(d->mqtt, p) : 0;
}

int64_t dmqtt_deadline(const struct daemon *d)
{
	return d->mqtt ? mqtt_deadline(d->mqtt) : -1;
}

void dmqtt_handle(struct daemon *d, int revents)
{
	if (d->mqtt)
		mqtt_handle(d->mqtt, revents, util_now_ms());
}

void dmqtt_sync(struct daemon *d)
{
	if (mqtt_connected(d->mqtt))
		dmqtt_publish_state(d, 0);
}

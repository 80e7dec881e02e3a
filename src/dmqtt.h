/*
 * dmqtt: the daemon on MQTT, a transport. Requests arrive on
 * limber/<id>/cmd and go through the control socket's own parser (ctl.h)
 * to the same handler as the socket's lines, so MQTT adds no second
 * language; a refused one is answered on limber/<id>/error. The state
 * (dstate_mqtt, with the streak and the last session from the history) is
 * published, retained, whenever it changes, which the loop asks once a
 * turn (dmqtt_sync): nothing here runs on a timer. The page (web.h) serves
 * the same object (dmqtt_state_json), MQTT or not.
 */
#ifndef LIMBER_DMQTT_H
#define LIMBER_DMQTT_H

#include "ctl.h"
#include "dstate.h"
#include "dworld.h"
#include "history.h"

#include <poll.h>
#include <stdint.h>

struct dmqtt {
	struct mqtt *mqtt;           /* NULL without mqtt: in the config */
	const struct dstate *s;      /* what is published */
	struct dworld *w;
	ctl_handler *handle;     /* a command, as a control line */
	void *ctx;
	char *key;                   /* the state last published, time left aside */
	const char *history_word;    /* the state word when the history was last read */
	char *routines;              /* the select's options last published */
	int streak;                  /* from the history, read when the state changes */
	int have_last;
	struct history_session last;
};

void dmqtt_init(struct dmqtt *m, const struct dstate *s, struct dworld *w,
		ctl_handler *handle, void *ctx);
/* Connect as the config says (again after a reload, unless it is the same). */
void dmqtt_open(struct dmqtt *m);
void dmqtt_close(struct dmqtt *m);
int dmqtt_pollfd(struct dmqtt *m, struct pollfd *p);
int64_t dmqtt_deadline(const struct dmqtt *m);
void dmqtt_handle(struct dmqtt *m, int revents);
/* The state object as it is now, time left included, with or without a broker (the page's). */
void dmqtt_state_json(struct dmqtt *m, struct sbuf *b);
/* Publish the state if it changed. */
void dmqtt_sync(struct dmqtt *m);

#endif

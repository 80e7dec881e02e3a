/*
 * mqtt_none: the MQTT link in a limber built without libmosquitto. The
 * config refuses the mqtt: key already; this only keeps the daemon's
 * hooks linking.
 */
#include "mqtt.h"

#include "util.h"

int mqtt_new(const struct config_mqtt *cfg, const struct mqtt_events *ev, struct mqtt **out,
	     char *err)
{
	(void)cfg;
	(void)ev;
	*out = NULL;
	return util_err(err, "this limber was built without MQTT (libmosquitto-dev)");
}

void mqtt_free(struct mqtt *m)
{
	(void)m;
}

int mqtt_same(const struct mqtt *m, const struct config_mqtt *cfg)
{
	(void)m;
	(void)cfg;
	return 0;
}

int mqtt_pollfd(struct mqtt *m, struct pollfd *p)
{
	(void)m;
	(void)p;
	return 0;
}

int64_t mqtt_deadline(const struct mqtt *m)
{
	(void)m;
	return -1;
}

void mqtt_handle(struct mqtt *m, int revents, int64_t now)
{
	(void)m;
	(void)revents;
	(void)now;
}

int mqtt_connected(const struct mqtt *m)
{
	(void)m;
	return 0;
}

void mqtt_publish(struct mqtt *m, const char *leaf, const char *topic, const char *payload,
		  int retain)
{
	(void)m;
	(void)leaf;
	(void)topic;
	(void)payload;
	(void)retain;
}

const char *mqtt_id(const struct mqtt *m)
{
	(void)m;
	return "";
}

const char *mqtt_prefix(const struct mqtt *m)
{
	(void)m;
	return "";
}

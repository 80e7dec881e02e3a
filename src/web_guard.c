/*
 * web_guard: wrong PINs slow down (web_guard.h).
 */
#include "web_guard.h"

#include <string.h>

int64_t web_guard_wait(const struct web_guard *g, int64_t now)
{
	return g->until > now ? g->until - now : 0;
}

void web_guard_fail(struct web_guard *g, int64_t now)
{
	int64_t ms = 1000;

	g->fails++;
	if (g->fails < WEB_GUARD_FREE)
		return;
	for (int i = WEB_GUARD_FREE; i < g->fails && ms < WEB_GUARD_MAX_MS; i++)
		ms *= 2;
	g->until = now + (ms < WEB_GUARD_MAX_MS ? ms : WEB_GUARD_MAX_MS);
}

void web_guard_ok(struct web_guard *g)
{
	g->fails = 0;
	g->until = 0;
}

/* An unknown address (len 0) is kept as one byte that no real one has: len 1. */
static size_t web_guards_key(const void **addr, size_t len)
{
	static const unsigned char unknown = 0;

	if (len == 0 || len > WEB_GUARD_ADDR) {
		*addr = &unknown;
		return 1;
	}
	return len;
}

static struct web_guard_slot *web_guards_find(const struct web_guards *gs, const void *addr,
					      size_t len)
{
	for (size_t i = 0; i < WEB_GUARD_SLOTS; i++) {
		const struct web_guard_slot *s = &gs->slot[i];

		if (s->len == len && !memcmp(s->addr, addr, len))
			return (struct web_guard_slot *)s;
	}
	return NULL;
}

/* The bucket: a wait once WEB_GUARD_BURST wrong PINs are not yet paid off. */
static int64_t web_guards_all_wait(const struct web_guards *gs, int64_t now)
{
	int64_t w = gs->tat - now - (int64_t)(WEB_GUARD_BURST - 1) * WEB_GUARD_EVERY_MS;

	return w > 0 ? w : 0;
}

int64_t web_guards_wait(const struct web_guards *gs, const void *addr, size_t len, int64_t now)
{
	const struct web_guard_slot *s;
	int64_t all = web_guards_all_wait(gs, now), one;

	len = web_guards_key(&addr, len);
	s = web_guards_find(gs, addr, len);
	one = s ? web_guard_wait(&s->g, now) : 0;
	return one > all ? one : all;
}

void web_guards_fail(struct web_guards *gs, const void *addr, size_t len, int64_t now)
{
	struct web_guard_slot *s;

	gs->tat = (gs->tat > now ? gs->tat : now) + WEB_GUARD_EVERY_MS;
	len = web_guards_key(&addr, len);
	if (!(s = web_guards_find(gs, addr, len))) {
		/* A free slot, else the one whose wait ends first (then the quietest):
		 * forgetting it lets that address start over, which the bucket bounds. */
		s = &gs->slot[0];
		for (size_t i = 0; i < WEB_GUARD_SLOTS && s->len; i++) {
			struct web_guard_slot *o = &gs->slot[i];

			if (!o->len || o->g.until < s->g.until ||
			    (o->g.until == s->g.until && o->last < s->last))
				s = o;
		}
		memset(s, 0, sizeof(*s));
		memcpy(s->addr, addr, len);
		s->len = len;
	}
	s->last = now;
	web_guard_fail(&s->g, now);
}

void web_guards_ok(struct web_guards *gs, const void *addr, size_t len)
{
	struct web_guard_slot *s;

	len = web_guards_key(&addr, len);
	if ((s = web_guards_find(gs, addr, len)))
		memset(s, 0, sizeof(*s));
}

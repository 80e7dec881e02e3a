/*
 * web_guard: wrong PINs slow down, each client address on its own, and all
 * of them together.
 *
 * One address: after WEB_GUARD_FREE wrong PINs in a row, every attempt from
 * it waits 1 s, then 2, 4, ... up to WEB_GUARD_MAX_MS after the last wrong
 * one, and is refused (429) until then, right PIN or not. A right PIN from
 * it clears it. A guesser's address waits; the owner's phone does not.
 *
 * All addresses: a guesser who changes address (a LAN's IPv6 prefix has
 * plenty) meets a bucket of WEB_GUARD_BURST wrong PINs that refills by one
 * each WEB_GUARD_EVERY_MS. When it is empty everyone waits for the next one,
 * the owner too. So no address mix guesses a 4-digit PIN faster than about
 * 60 tries an hour: half of 10,000 take three and a half days.
 */
#ifndef LIMBER_WEB_GUARD_H
#define LIMBER_WEB_GUARD_H

#include <stddef.h>
#include <stdint.h>

#define WEB_GUARD_FREE 3
#define WEB_GUARD_MAX_MS 60000
#define WEB_GUARD_SLOTS 16        /* addresses remembered; then the quietest is forgotten */
#define WEB_GUARD_ADDR 16         /* an IPv6 address; IPv4 takes 4 */
#define WEB_GUARD_BURST 10
#define WEB_GUARD_EVERY_MS 60000

/* One address's backoff. */
struct web_guard {
	int fails;
	int64_t until;
};

/* ms to wait before an attempt may be checked at all; 0: now. */
int64_t web_guard_wait(const struct web_guard *g, int64_t now);
void web_guard_fail(struct web_guard *g, int64_t now);
void web_guard_ok(struct web_guard *g);

struct web_guard_slot {
	unsigned char addr[WEB_GUARD_ADDR];
	size_t len;                   /* 0: unused */
	int64_t last;                 /* its last wrong PIN */
	struct web_guard g;
};

/* All addresses; zeroed is ready. */
struct web_guards {
	struct web_guard_slot slot[WEB_GUARD_SLOTS];
	int64_t tat;                  /* the bucket is full again at this time */
};

/* The same for the address addr (len bytes, 1 to WEB_GUARD_ADDR; an unknown
 * address is one address of its own, len 0). */
int64_t web_guards_wait(const struct web_guards *gs, const void *addr, size_t len, int64_t now);
void web_guards_fail(struct web_guards *gs, const void *addr, size_t len, int64_t now);
void web_guards_ok(struct web_guards *gs, const void *addr, size_t len);

#endif

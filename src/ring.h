/*
 * ring: a lock-free single-producer, single-consumer ring of fixed-size
 * items, for talking to the audio callback without locks.
 *
 * One thread only pushes and one only pops. The producer publishes the
 * item before the head with a release store; the consumer reads the head
 * with an acquire load, so it never sees a half-written item. Capacity is
 * a power of two; pushing to a full ring fails rather than blocks.
 */
#ifndef LIMBER_RING_H
#define LIMBER_RING_H

#include <stdatomic.h>
#include <stddef.h>

struct ring {
	_Atomic size_t head;    /* written by the producer */
	_Atomic size_t tail;    /* written by the consumer */
	size_t mask;
	size_t item;
	unsigned char *buf;
};

/* The callback pushes and pops: its indices must be lock-free on every target (size_t is
 * unsigned int on armhf, unsigned long on amd64 and arm64). */
_Static_assert(sizeof(size_t) == sizeof(unsigned) ? ATOMIC_INT_LOCK_FREE == 2 :
	       sizeof(size_t) == sizeof(unsigned long) && ATOMIC_LONG_LOCK_FREE == 2,
	       "atomic size_t is not lock-free on this target");

/* capacity: a power of two; item: bytes per item. */
void ring_init(struct ring *r, size_t capacity, size_t item);
void ring_done(struct ring *r);
/* Copy one item in; 0, or -1 when full. Producer only. */
int ring_push(struct ring *r, const void *item);
/* Copy one item out; 0, or -1 when empty. Consumer only. */
int ring_pop(struct ring *r, void *item);
/* How many items can be pushed now. Producer only. */
size_t ring_space(struct ring *r);

#endif

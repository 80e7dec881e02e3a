/*
 * ring: SPSC ring with C11 acquire/release atomics (portaudio19-dev does not
 * install pa_ringbuffer).
 */
#include "ring.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

void ring_init(struct ring *r, size_t capacity, size_t item)
{
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	r->mask = capacity - 1;
	r->item = item;
	r->buf = util_xcalloc(capacity, item);
}

void ring_done(struct ring *r)
{
	free(r->buf);
	r->buf = NULL;
}

int ring_push(struct ring *r, const void *item)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);

	if (head - tail > r->mask)
		return -1;
	memcpy(r->buf + (head & r->mask) * r->item, item, r->item);
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	return 0;
}

size_t ring_space(struct ring *r)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);

	return r->mask + 1 - (head - tail);
}

int ring_pop(struct ring *r, void *item)
{
	size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	size_t head = atomic_load_explicit(&r->head, memory_order_acquire);

	if (head == tail)
		return -1;
	memcpy(item, r->buf + (tail & r->mask) * r->item, r->item);
	atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
	return 0;
}

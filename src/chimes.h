/*
 * chimes: the chime samples in sounds/, loaded on first use and kept.
 */
#ifndef LIMBER_CHIMES_H
#define LIMBER_CHIMES_H

#include "library.h"

struct pcm;
struct chimes;

struct chimes *chimes_new(const struct library *lib, unsigned rate);
void chimes_free(struct chimes *c);
/* The sound sounds/file; the caller owns the reference. */
int chimes_get(struct chimes *c, const char *file, struct pcm **out, char *err);

#endif

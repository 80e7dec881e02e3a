/*
 * wavsink: the mix written to a sound file (WAV, 16-bit) through libsndfile.
 */
#ifndef LIMBER_WAVSINK_H
#define LIMBER_WAVSINK_H

#include <stddef.h>

struct wavsink;

int wavsink_open(const char *path, unsigned rate, struct wavsink **out, char *err);
int wavsink_write(struct wavsink *w, const float *buf, size_t n, char *err);
int wavsink_close(struct wavsink *w, char *err);

#endif

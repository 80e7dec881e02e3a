/*
 * util: the few helpers every module shares.
 *
 * Errors travel as a negative return plus a message written into the
 * caller's buffer (LIMBER_ERR_LEN bytes), in the form the user reads:
 * "path:line:col: what is wrong". Allocation failure at start-up is not
 * recoverable for a program this size, so util_xmalloc() aborts.
 */
#ifndef LIMBER_UTIL_H
#define LIMBER_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define LIMBER_ERR_LEN 512

#define UTIL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *util_xmalloc(size_t n);
void *util_xcalloc(size_t n, size_t size);
void *util_xrealloc(void *p, size_t n);
char *util_xstrdup(const char *s);
/* The first n bytes of s (which has at least n), terminated. */
char *util_xstrndup(const char *s, size_t n);

/* CLOCK_MONOTONIC in milliseconds: the clock button gestures, evdev and libgpiod stamps share. */
int64_t util_now_ms(void);

/* Format into err (LIMBER_ERR_LEN bytes); returns -1 so callers can "return util_err(...)". */
int util_err(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A growable NUL-terminated string. Embedded: sbuf_init/sbuf_done. */
struct sbuf {
	char *s;
	size_t len;
	size_t cap;
};

void sbuf_init(struct sbuf *b);
void sbuf_done(struct sbuf *b);
void sbuf_add(struct sbuf *b, const char *s);
void sbuf_addn(struct sbuf *b, const char *s, size_t n);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand over the string; the buffer is left empty. The caller frees it. */
char *sbuf_take(struct sbuf *b);

/* Read a whole regular file of at most max bytes; NUL-terminated. */
int util_read_file(const char *path, size_t max, char **out, size_t *len, char *err);

/* Join a directory and a name into a new string. */
char *util_path_join(const char *dir, const char *name);

/* Collapse runs of white space into one space and trim both ends, in place. */
void util_squeeze_space(char *s);

#endif

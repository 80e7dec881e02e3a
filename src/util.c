/*
 * util: allocation that aborts on exhaustion, error formatting, a growable
 * string, and whole-file reading with a size limit.
 */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

static void util_oom(void)
{
	fputs("limber: out of memory\n", stderr);
	abort();
}

void *util_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		util_oom();
	return p;
}

void *util_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		util_oom();
	return p;
}

void *util_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		util_oom();
	return q;
}

char *util_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = util_xmalloc(n);

	memcpy(d, s, n);
	return d;
}

int64_t util_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *util_xstrndup(const char *s, size_t n)
{
	char *d = util_xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

int util_err(char *err, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): clang 14 misreads va_start here */
		vsnprintf(err, LIMBER_ERR_LEN, fmt, ap);
		va_end(ap);
	}
	return -1;
}

void sbuf_init(struct sbuf *b)
{
	b->s = NULL;
	b->len = 0;
	b->cap = 0;
}

void sbuf_done(struct sbuf *b)
{
	free(b->s);
	sbuf_init(b);
}

static void sbuf_reserve(struct sbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->s = util_xrealloc(b->s, b->cap);
}

void sbuf_addn(struct sbuf *b, const char *s, size_t n)
{
	sbuf_reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sbuf_add(struct sbuf *b, const char *s)
{
	sbuf_addn(b, s, strlen(s));
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): clang 14 misreads va_start here */
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sbuf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): clang 14 misreads va_start here */
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *sbuf_take(struct sbuf *b)
{
	char *s = b->s ? b->s : util_xstrdup("");

	sbuf_init(b);
	return s;
}

int util_read_file(const char *path, size_t max, char **out, size_t *len, char *err)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return util_err(err, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return util_err(err, "%s: not a regular file", path);
	}
	if ((size_t)st.st_size > max) {
		close(fd);
		return util_err(err, "%s: file too large (%lld bytes, limit %zu)", path,
				(long long)st.st_size, max);
	}
	buf = util_xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

char *util_path_join(const char *dir, const char *name)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_add(&b, dir);
	if (b.len && b.s[b.len - 1] != '/')
		sbuf_add(&b, "/");
	sbuf_add(&b, name);
	return sbuf_take(&b);
}

void util_squeeze_space(char *s)
{
	char *w = s;
	int space = 1;

	for (const char *r = s; *r; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
			if (!space)
				*w++ = ' ';
			space = 1;
		} else {
			*w++ = *r;
			space = 0;
		}
	}
	if (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
}

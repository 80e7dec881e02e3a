/*
 * testutil: what the unit tests share: cmocka's headers in the order it
 * needs, a library rooted at the source tree, and directories of a test's own.
 */
#ifndef LIMBER_TESTUTIL_H
#define LIMBER_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "library.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

#ifndef LIMBER_SOURCE_DIR
#define LIMBER_SOURCE_DIR "."
#endif

static inline void testutil_library(struct library *lib)
{
	char err[LIMBER_ERR_LEN];

	setenv("LIMBER_DATA_DIR", LIMBER_SOURCE_DIR, 1);
	if (library_init(lib, err) < 0) {
		fprintf(stderr, "%s\n", err);
		fail();
	}
}

/* Make dir (len bytes) a new, empty directory /tmp/limber-WHAT-test-XXXXXX. */
static inline void testutil_mkdtemp(char *dir, size_t len, const char *what)
{
	snprintf(dir, len, "/tmp/limber-%s-test-XXXXXX", what);
	assert_non_null(mkdtemp(dir));
}

/* Remove dir and everything in it; 0 or -1, as cmocka's teardown returns. */
static inline int testutil_rmtree(const char *dir)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif

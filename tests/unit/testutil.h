/*
 * testutil: what the unit tests share: cmocka's headers in the order it
 * needs, and a library rooted at the source tree.
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

#endif

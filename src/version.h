/*
 * version: `limber --version`, for bug reports. limber's own version and,
 * for each library, the version it was compiled against (pkg-config's, given
 * by CMake) beside the one the dynamic linker loaded, so a mismatch after a
 * library upgrade shows at a glance.
 */
#ifndef LIMBER_VERSION_H
#define LIMBER_VERSION_H

#include <stdio.h>

/* Write the report to f. Initialises no library: every call used is a constant getter. */
void version_print(FILE *f);

#endif

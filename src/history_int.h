/*
 * history_int: what history.c and history_report.c share, and nothing else sees.
 */
#ifndef LIMBER_HISTORY_INT_H
#define LIMBER_HISTORY_INT_H

#include "history.h"

#include <sqlite3.h>

struct history {
	sqlite3 *db;
	char boot[64];
	const struct history_routine *routines;   /* for the advice; NULL: not checked */
	size_t nroutines;
};

sqlite3_stmt *history__prep(struct history *h, const char *sql);   /* NULL on error */
void history__text(char *dst, size_t len, sqlite3_stmt *st, int col);
int64_t history__day(int64_t t);   /* the local calendar day of t, as a day number */

#endif

/*
 * library: where routines, voices and sounds are found.
 *
 * A data directory holds routines/, voices/ and sounds/. They are searched
 * in order: $LIMBER_DATA_DIR (if set), the current directory,
 * $XDG_DATA_HOME/limber (~/.local/share/limber), then the installed share
 * directory. A routine's NAME is its path under routines/ without the
 * extension; the first directory that has a NAME wins.
 *
 * Routine directories of one's own (the daemon's `routines:` and
 * --routines) come before all of these: $LIMBER_ROUTINES, a colon-separated
 * list, names directories that hold routines directly. A child the daemon
 * starts inherits it, so both see the same routines.
 */
#ifndef LIMBER_LIBRARY_H
#define LIMBER_LIBRARY_H

#include "routine.h"
#include "voice.h"

#include <stddef.h>

struct library {
	char **rdirs;       /* routine directories, searched first */
	size_t nrdirs;
	char **dirs;        /* data directories: routines/, voices/, sounds/ */
	size_t ndirs;
	struct breath_pattern *patterns;
	size_t npatterns;
};

struct library_entry {
	char *name;   /* lower-back/beginner */
	char *path;
};

int library_init(struct library *lib, char *err);

/* A routine NAME cannot climb out of a routine directory: letters, digits,
 * '-', '_' and '/', no "..", "//" or leading '/' or '-' (an option). */
int library_name_ok(const char *name);
void library_done(struct library *lib);

/* The first existing dir/sub/file, or NULL. The caller frees it. */
char *library_find(const struct library *lib, const char *sub, const char *file);

/* A routine NAME on the search path, else a path to a file; loads and validates it. */
int library_load_routine(const struct library *lib, const char *arg, struct routine **out,
			 char *err);
int library_load_voice(const struct library *lib, const char *name, struct voice **out,
		       char *err);

/* The file of routine NAME on the search path (never a path the caller gave), or NULL. */
char *library_routine_path(const struct library *lib, const char *name);

/* Every routine on the search path, sorted by name. */
int library_list(const struct library *lib, struct library_entry **out, size_t *n);
void library_entries_free(struct library_entry *e, size_t n);

#endif

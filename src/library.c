/*
 * library: the search path for routines, voices and sounds, and the walk
 * that lists every routine on it.
 */
#include "library.h"

#include "log.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef LIMBER_SHAREDIR
#define LIMBER_SHAREDIR "/usr/local/share/limber"
#endif

#define LIBRARY_MAX_DEPTH 3

static void dirs_add(char ***dirs, size_t *n, char *dir)
{
	for (size_t i = 0; i < *n; i++) {
		if (!strcmp((*dirs)[i], dir)) {
			free(dir);
			return;
		}
	}
	*dirs = util_xrealloc(*dirs, (*n + 1) * sizeof(**dirs));
	(*dirs)[(*n)++] = dir;
}

static void library_add_dir(struct library *lib, char *dir)
{
	dirs_add(&lib->dirs, &lib->ndirs, dir);
}

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int library_init(struct library *lib, char *err)
{
	const char *env = getenv("LIMBER_DATA_DIR");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	char *patterns;

	const char *rd = getenv("LIMBER_ROUTINES");

	memset(lib, 0, sizeof(*lib));
	while (rd && *rd) {
		size_t n = strcspn(rd, ":");

		if (n)
			dirs_add(&lib->rdirs, &lib->nrdirs, util_xstrndup(rd, n));
		rd += n + (rd[n] == ':');
	}
	if (env && *env)
		library_add_dir(lib, util_xstrdup(env));
	if (xdg && *xdg)
		library_add_dir(lib, util_path_join(xdg, "limber"));
	else if (home && *home)
		library_add_dir(lib, util_path_join(home, ".local/share/limber"));
	library_add_dir(lib, util_xstrdup(LIMBER_SHAREDIR));
	/* Last: a source tree works without installing, and a ./routines planted
	 * where the daemon or a user happens to be cannot shadow the installed ones. */
	library_add_dir(lib, util_xstrdup("."));

	patterns = library_find(lib, "voices", "breathing.yaml");
	if (!patterns) {
		library_done(lib);
		return util_err(err, "voices/breathing.yaml not found in $LIMBER_DATA_DIR, "
				     "$XDG_DATA_HOME/limber/voices, %s/voices or ./voices: is limber "
				     "installed?",
				LIMBER_SHAREDIR);
	}
	if (breath_patterns_load(patterns, &lib->patterns, &lib->npatterns, err) < 0) {
		free(patterns);
		library_done(lib);
		return -1;
	}
	free(patterns);
	return 0;
}

void library_done(struct library *lib)
{
	for (size_t i = 0; i < lib->nrdirs; i++)
		free(lib->rdirs[i]);
	free(lib->rdirs);
	for (size_t i = 0; i < lib->ndirs; i++)
		free(lib->dirs[i]);
	free(lib->dirs);
	free(lib->patterns);
	memset(lib, 0, sizeof(*lib));
}

char *library_find(const struct library *lib, const char *sub, const char *file)
{
	for (size_t i = 0; i < lib->ndirs; i++) {
		char *d = util_path_join(lib->dirs[i], sub);
		char *p = util_path_join(d, file);

		free(d);
		if (is_file(p))
			return p;
		free(p);
	}
	return NULL;
}

int library_name_ok(const char *name)
{
	size_t n = strlen(name);

	/* No part of it may read as an option, or climb out of its directory. */
	if (n == 0 || n > 128 || name[0] == '/' || name[0] == '-' || strstr(name, "/-") ||
	    strstr(name, "..") || strstr(name, "//"))
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/") == n;
}

/* dir/NAME.yaml, else dir/NAME.yml, if either is a file. */
static char *routine_in(const char *dir, const char *name)
{
	static const char *const exts[] = { ".yaml", ".yml" };

	for (size_t i = 0; i < 2; i++) {
		char *file = util_xmalloc(strlen(name) + 6), *p;

		sprintf(file, "%s%s", name, exts[i]);
		p = util_path_join(dir, file);
		free(file);
		if (is_file(p))
			return p;
		free(p);
	}
	return NULL;
}

/*
 * The routine called name: the first routine directory that has it, then the
 * data directories' routines/, each directory's .yaml before its .yml. The
 * list (library_list) names the same file, so what is offered is what plays.
 */
static char *library_find_routine(void *ctx, const char *name)
{
	const struct library *lib = ctx;
	char *p = NULL;

	if (!library_name_ok(name))
		return NULL;
	for (size_t i = 0; i < lib->nrdirs && !p; i++)
		p = routine_in(lib->rdirs[i], name);
	for (size_t i = 0; i < lib->ndirs && !p; i++) {
		char *d = util_path_join(lib->dirs[i], "routines");

		p = routine_in(d, name);
		free(d);
	}
	return p;
}

char *library_routine_path(const struct library *lib, const char *name)
{
	return library_find_routine((void *)lib, name);
}

int library_load_routine(const struct library *lib, const char *arg, struct routine **out,
			 char *err)
{
	struct routine_env env = { library_find_routine, (void *)lib, lib->patterns,
				   lib->npatterns };
	size_t len = strlen(arg);
	char *path;
	int rc;

	*out = NULL;
	/* A NAME on the routine path first: the daemon passes names, never paths. */
	if (library_name_ok(arg) && (path = library_find_routine((void *)lib, arg)) != NULL) {
		rc = routine_load(path, &env, out, err);
		free(path);
		return rc;
	}
	if (is_file(arg) || strchr(arg, '/') == arg ||
	    (len > 5 && !strcmp(arg + len - 5, ".yaml")) ||
	    (len > 4 && !strcmp(arg + len - 4, ".yml"))) {
		if (!is_file(arg))
			return util_err(err, "%s: no such routine file", arg);
		return routine_load(arg, &env, out, err);
	}
	path = library_find_routine((void *)lib, arg);
	if (!path)
		return util_err(err, "no routine named '%s' (try `limber list`)", arg);
	rc = routine_load(path, &env, out, err);
	free(path);
	return rc;
}

int library_load_voice(const struct library *lib, const char *name, struct voice **out,
		       char *err)
{
	char file[96], lang[16];
	char *path, *phrases;
	int rc;

	*out = NULL;
	if (strlen(name) > 64 || !library_name_ok(name) || strchr(name, '/'))
		return util_err(err, "voice '%s': not a voice name", name);
	snprintf(file, sizeof(file), "%s.yaml", name);
	path = library_find(lib, "voices", file);
	if (!path)
		return util_err(err, "no voice profile '%s' (voices/%s.yaml)", name, name);
	if (voice_language(path, lang, sizeof(lang), err) < 0) {
		free(path);
		return -1;
	}
	snprintf(file, sizeof(file), "phrases/%s.yaml", lang);
	phrases = library_find(lib, "voices", file);
	if (!phrases) {
		free(path);
		return util_err(err, "voice '%s': no phrase table voices/%s", name, file);
	}
	rc = voice_load(path, phrases, out, err);
	free(path);
	free(phrases);
	return rc;
}

struct walk {
	struct library_entry *e;
	size_t n;
};

static void library_walk(struct walk *w, const char *root, const char *rel, int depth)
{
	char *dir = rel[0] ? util_path_join(root, rel) : util_xstrdup(root);
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d) {
		free(dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		const char *nm = de->d_name;
		size_t len = strlen(nm);
		char *relpath, *full;

		if (nm[0] == '.')
			continue;
		relpath = rel[0] ? util_path_join(rel, nm) : util_xstrdup(nm);
		full = util_path_join(dir, nm);
		if (is_dir(full) && depth < LIBRARY_MAX_DEPTH) {
			library_walk(w, root, relpath, depth + 1);
		} else if (is_file(full) && ((len > 5 && !strcmp(nm + len - 5, ".yaml")) ||
					     (len > 4 && !strcmp(nm + len - 4, ".yml")))) {
			char *name = util_xstrdup(relpath);
			size_t i;

			*strrchr(name, '.') = '\0';
			if (!library_name_ok(name)) {
				/* Listed, it could be offered and never played. */
				log_warn("%s: not a routine name (letters, digits, - "
						"and _ only): skipped", full);
				free(name);
				free(full);
				free(relpath);
				continue;
			}
			for (i = 0; i < w->n; i++)
				if (!strcmp(w->e[i].name, name))
					break;
			if (i == w->n) {
				w->e = util_xrealloc(w->e, (w->n + 1) * sizeof(*w->e));
				w->e[w->n].name = name;
				w->e[w->n].path = full;
				w->n++;
				full = NULL;
			} else {
				free(name);
			}
		}
		free(full);
		free(relpath);
	}
	closedir(d);
	free(dir);
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct library_entry *)a)->name,
		      ((const struct library_entry *)b)->name);
}

int library_list(const struct library *lib, struct library_entry **out, size_t *n)
{
	struct walk w = { NULL, 0 };

	for (size_t i = 0; i < lib->nrdirs; i++)
		library_walk(&w, lib->rdirs[i], "", 0);
	for (size_t i = 0; i < lib->ndirs; i++) {
		char *root = util_path_join(lib->dirs[i], "routines");

		library_walk(&w, root, "", 0);
		free(root);
	}
	/* Each name's file as the loader finds it (a .yaml beside a .yml, say). */
	for (size_t i = 0; i < w.n; i++) {
		char *p = library_find_routine((void *)lib, w.e[i].name);

		if (p) {
			free(w.e[i].path);
			w.e[i].path = p;
		}
	}
	if (w.n)
		qsort(w.e, w.n, sizeof(*w.e), entry_cmp);
	*out = w.e;
	*n = w.n;
	return 0;
}

void library_entries_free(struct library_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].path);
	}
	free(e);
}

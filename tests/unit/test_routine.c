/*
 * routine: a good routine loads with its defaults resolved; every file in
 * tests/bad/ is refused with the position and message its first line
 * ("# error: L:C: text") promises; every routine in routines/ loads.
 */
#include "testutil.h"

#include "routine.h"

#include <dirent.h>
#include <string.h>
#include <unistd.h>

static char *find_in_bad(void *ctx, const char *name)
{
	char path[512];
	FILE *f;

	(void)ctx;
	snprintf(path, sizeof(path), "%s/tests/bad/%s.yaml", LIMBER_SOURCE_DIR, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	fclose(f);
	return util_xstrdup(path);
}

/*
 * want is "L:C: phrase" or just "phrase": err must be "path:L:C: ..." and
 * contain the phrase.
 */
static int error_matches(const char *err, const char *path, const char *want)
{
	char pos[32];
	const char *phrase = want;
	size_t plen = strlen(path);
	int line, col;

	if (strncmp(err, path, plen) != 0 || err[plen] != ':')
		return 0;
	if (sscanf(want, "%d:%d: ", &line, &col) == 2) {
		snprintf(pos, sizeof(pos), ":%d:%d: ", line, col);
		if (strncmp(err + plen, pos, strlen(pos)) != 0)
			return 0;
		phrase = strstr(want, ": ") + 2;
	}
	return strstr(err, phrase) != NULL;
}

static void test_routine_loads_with_defaults(void **state)
{
	struct library lib;
	struct routine *r;
	char err[LIMBER_ERR_LEN];

	(void)state;
	testutil_library(&lib);
	assert_int_equal(library_load_routine(&lib, "tests/data/short.yaml", &r, err), 0);
	assert_string_equal(r->name, "Test routine");
	assert_string_equal(r->voice, "calm");
	assert_int_equal(r->level, LEVEL_BEGINNER);
	assert_int_equal(r->nsteps, 5);
	assert_int_equal(r->steps[0].nsides, 2);
	assert_int_equal(r->steps[0].sides[0], SIDE_RIGHT);
	assert_int_equal(r->steps[0].hold_ms, 30000);
	assert_int_equal(r->steps[0].setup_ms, 3000);  /* the routine's setup */
	assert_int_equal(r->steps[1].reps, 3);
	assert_int_equal(r->steps[1].rest_ms, 2000);
	assert_int_equal(r->steps[2].nflow, 2);
	assert_int_equal(r->steps[2].flow[0].breath, BREATH_IN);
	assert_string_equal(r->steps[2].flow[1].cue, "Cat");
	assert_int_equal(r->steps[3].breathe, 1);
	assert_int_equal(r->steps[3].pattern.hold_out, 4);
	assert_true(r->steps[4].cues.halfway && r->steps[4].cues.countdown);
	routine_free(r);
	library_done(&lib);
}

static void test_routine_bad_corpus_is_refused_with_position(void **state)
{
	struct library lib;
	struct routine_env env;
	char dir[512], path[1024], err[LIMBER_ERR_LEN], want[256];
	struct dirent *de;
	int checked = 0;
	DIR *d;

	(void)state;
	testutil_library(&lib);
	env.find = find_in_bad;
	env.ctx = NULL;
	env.patterns = lib.patterns;
	env.npatterns = lib.npatterns;
	snprintf(dir, sizeof(dir), "%s/tests/bad", LIMBER_SOURCE_DIR);
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		struct routine *r = NULL;
		char line[256] = "";
		FILE *f;
		int rc;

		if (!strstr(de->d_name, ".yaml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "r");
		assert_non_null(f);
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "# error: none", 13))
			continue;
		if (!strncmp(line, "# error: ", 9))
			snprintf(want, sizeof(want), "%s", line + 9);
		else
			snprintf(want, sizeof(want), "1:1: the file is empty");
		err[0] = '\0';
		rc = routine_load(path, &env, &r, err);
		if (rc != -1 || !error_matches(err, path, want)) {
			fprintf(stderr, "%s: wanted \"%s\", got \"%s\"\n", de->d_name, want, err);
			fail();
		}
		assert_null(r);
		checked++;
	}
	closedir(d);
	assert_true(checked >= 40);
	library_done(&lib);
}

static void test_routine_include_copies_named_steps(void **state)
{
	struct library lib;
	struct routine *r;
	char err[LIMBER_ERR_LEN];
	FILE *f = fopen("/tmp/limber-test-include.yaml", "w");

	(void)state;
	testutil_library(&lib);
	assert_non_null(f);
	fputs("name: Inc\narea: neck\nlevel: beginner\nsteps:\n"
	      "  - {name: First, hold: 5s}\n"
	      "  - include: lower-back/beginner\n"
	      "    only: [Cat cow]\n", f);
	fclose(f);
	assert_int_equal(library_load_routine(&lib, "/tmp/limber-test-include.yaml", &r, err), 0);
	assert_int_equal(r->nsteps, 2);
	assert_string_equal(r->steps[1].name, "Cat cow");
	assert_true(r->steps[1].nflow > 0);
	routine_free(r);
	remove("/tmp/limber-test-include.yaml");
	library_done(&lib);
}

static void test_routine_keys_for_safety_and_counting(void **state)
{
	struct library lib;
	struct routine *r;
	char err[LIMBER_ERR_LEN];

	(void)state;
	testutil_library(&lib);
	assert_int_equal(library_load_routine(&lib, "tests/data/counting.yaml", &r, err), 0);
	assert_int_equal(r->morning_caution, 1);
	assert_int_equal(r->nequipment, 3);
	assert_string_equal(r->equipment[2], "a foam roller");
	assert_int_equal(r->steps[0].pattern.count, COUNT_TAPER);   /* calm's own default */
	assert_int_equal(r->steps[1].pattern.count, COUNT_PHASES);
	assert_int_equal(r->steps[2].pattern.count, COUNT_FULL);    /* the step's count wins */
	assert_string_equal(r->steps[3].each_side, "{which} foot forward, {other} knee down.");
	routine_free(r);
	/* Unmarked, a routine has no deep bends. */
	assert_int_equal(library_load_routine(&lib, "tests/data/short.yaml", &r, err), 0);
	assert_int_equal(r->morning_caution, 0);
	assert_int_equal(r->nequipment, 0);
	routine_free(r);
	library_done(&lib);
}

static void test_every_library_routine_loads(void **state)
{
	struct library lib;
	struct library_entry *e;
	size_t n;
	char err[LIMBER_ERR_LEN];

	(void)state;
	testutil_library(&lib);
	library_list(&lib, &e, &n);
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		struct routine *r;

		if (library_load_routine(&lib, e[i].path, &r, err) < 0) {
			fprintf(stderr, "%s\n", err);
			fail();
		}
		routine_free(r);
	}
	library_entries_free(e, n);
	library_done(&lib);
}

static void put(const char *dir, const char *rel, const char *name)
{
	char path[512], cmd[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "name: %s\narea: neck\nlevel: beginner\nsteps:\n  - {name: Nod, hold: 5s}\n",
		name);
	fclose(f);
}

/*
 * What is listed is what plays: the same file for a name (a .yaml before a
 * .yml), no name that cannot be played, and the current directory last, so a
 * ./routines planted where limber starts cannot stand in for an installed one.
 */
static void test_library_lists_what_it_plays_and_cwd_comes_last(void **state)
{
	char dir[64], cwd[600], here[512], xdg[512], err[LIMBER_ERR_LEN];
	const char *old_xdg = getenv("XDG_DATA_HOME");
	struct library lib;
	struct library_entry *e;
	struct routine *r;
	size_t n, seen = 0;

	(void)state;
	testutil_mkdtemp(dir, sizeof(dir), "library");
	snprintf(xdg, sizeof(xdg), "%s/xdg", dir);
	snprintf(here, sizeof(here), "%s/here", dir);
	put(xdg, "limber/routines/zz-test/x.yaml", "Installed");
	put(here, "routines/zz-test/x.yaml", "Planted");
	put(here, "routines/zz-test/bad name.yaml", "Spaces");
	put(here, "routines/zz-test/-h.yaml", "Dash");
	put(xdg, "limber/routines/zz-test/two.yml", "Yml");
	put(xdg, "limber/routines/zz-test/two.yaml", "Yaml");
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(here), 0);
	setenv("XDG_DATA_HOME", xdg, 1);
	testutil_library(&lib);
	library_list(&lib, &e, &n);
	for (size_t i = 0; i < n; i++) {
		if (strncmp(e[i].name, "zz-test/", 8) != 0)
			continue;
		seen++;
		assert_true(!strcmp(e[i].name, "zz-test/x") || !strcmp(e[i].name, "zz-test/two"));
		assert_non_null(strstr(e[i].path, "/xdg/"));
		if (!strcmp(e[i].name, "zz-test/two"))
			assert_non_null(strstr(e[i].path, "two.yaml"));
	}
	assert_int_equal(seen, 2);
	assert_int_equal(library_load_routine(&lib, "zz-test/x", &r, err), 0);
	assert_string_equal(r->name, "Installed");
	routine_free(r);
	assert_int_equal(library_load_routine(&lib, "zz-test/two", &r, err), 0);
	assert_string_equal(r->name, "Yaml");
	routine_free(r);
	library_entries_free(e, n);
	library_done(&lib);
	assert_int_equal(chdir(cwd), 0);
	if (old_xdg)
		setenv("XDG_DATA_HOME", old_xdg, 1);
	else
		unsetenv("XDG_DATA_HOME");
	assert_int_equal(testutil_rmtree(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routine_loads_with_defaults),
		cmocka_unit_test(test_routine_bad_corpus_is_refused_with_position),
		cmocka_unit_test(test_routine_include_copies_named_steps),
		cmocka_unit_test(test_routine_keys_for_safety_and_counting),
		cmocka_unit_test(test_every_library_routine_loads),
		cmocka_unit_test(test_library_lists_what_it_plays_and_cwd_comes_last),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

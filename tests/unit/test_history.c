/*
 * history: the session record against a calendar the test makes, an older
 * schema, processes that die mid-session (one, then a storm of kill -9),
 * a full disk and a read-only directory.
 */
#include "testutil.h"

#include "history.h"

#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DAY 86400

static char dir[256];

static int setup(void **state)
{
	(void)state;
	testutil_mkdtemp(dir, sizeof(dir), "history");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return testutil_rmtree(dir);
}

static struct history *open_ok(void)
{
	struct history *h;
	char err[LIMBER_ERR_LEN];

	if (history_open(dir, &h, err) < 0) {
		fprintf(stderr, "%s\n", err);
		fail();
	}
	return h;
}

/* Noon local time, days ago from a fixed Wednesday (2026-11-18). */
static int64_t noon(int days_ago)
{
	struct tm tm = { 0 };

	tm.tm_year = 126;
	tm.tm_mon = 10;
	tm.tm_mday = 18 - days_ago;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

static int64_t session(struct history *h, const char *routine, const char *area, const char *level,
		       int64_t t, enum history_how how, int steps_done)
{
	char err[LIMBER_ERR_LEN];
	int64_t id = history_begin(h, routine, routine, area, level, 5, 0, t, err);

	assert_true(id > 0);
	for (int s = 1; s <= steps_done; s++)
		assert_int_equal(history_step(h, id, s, t + 60 * s, err), 0);
	if (how != HOW_RUNNING)
		assert_int_equal(history_end(h, id, how, t + 600, err), 0);
	return id;
}

static void test_a_session_is_recorded_step_by_step(void **state)
{
	struct history *h = open_ok();
	struct history_session *s;
	char err[LIMBER_ERR_LEN];
	size_t n;

	(void)state;
	session(h, "neck/beginner", "neck", "beginner", noon(0), HOW_FINISHED, 5);
	session(h, "hip/beginner", "hip", "beginner", noon(0) + 3600, HOW_STOPPED, 2);
	assert_int_equal(history_sessions(h, 0, &s, &n, err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(s[0].routine, "hip/beginner");   /* newest first */
	assert_int_equal(s[0].how, HOW_STOPPED);
	assert_int_equal(s[0].last_step, 2);
	assert_int_equal(s[1].how, HOW_FINISHED);
	assert_int_equal(s[1].last_step, 5);
	assert_int_equal(s[1].ended - s[1].started, 600);
	assert_int_equal(s[1].pain, -1);
	assert_int_equal(history_pain(h, s[1].id, 4, err), 0);
	free(s);
	assert_int_equal(history_sessions(h, 1, &s, &n, err), 0);
	assert_int_equal(n, 1);
	free(s);
	/* A stopped session is not offered for resuming: that was a choice. */
	assert_int_equal(history_resumable(h, NULL, &(struct history_session){ 0 }, err), 0);
	history_close(h);
}

static void test_a_process_that_dies_leaves_an_interrupted_session(void **state)
{
	struct history_session s, *all;
	int64_t id;
	size_t n;
	struct history *h;
	char err[LIMBER_ERR_LEN];
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	if (pid == 0) {
		struct history *hc;

		if (history_open(dir, &hc, err) < 0)
			_exit(1);
		session(hc, "sciatic/beginner", "sciatic", "beginner", noon(1), HOW_RUNNING, 2);
		raise(SIGKILL);   /* no end, no close: a pulled plug as far as SQLite knows */
	}
	waitpid(pid, &status, 0);
	assert_true(WIFSIGNALED(status));
	h = open_ok();
	assert_int_equal(history_resumable(h, NULL, &s, err), 1);
	assert_string_equal(s.routine, "sciatic/beginner");
	assert_int_equal(s.how, HOW_INTERRUPTED);
	assert_int_equal(s.last_step, 2);                  /* resume at step 3 */
	assert_int_equal(s.ended, noon(1) + 120);          /* when its last step finished */
	assert_int_equal(history_resumable(h, "hip/beginner", &s, err), 0);
	/* Resumed once, it is not offered again; the continuation starts where it was cut. */
	id = history_begin(h, "sciatic/beginner", "x", "sciatic", "beginner", 5, s.id, noon(0), err);
	assert_true(id > 0);
	assert_int_equal(history_resumable(h, NULL, &s, err), 0);
	assert_int_equal(history_sessions(h, 1, &all, &n, err), 0);
	assert_int_equal(all[0].id, id);
	assert_int_equal(all[0].last_step, 2);
	free(all);
	history_close(h);
}

/* The first session's how, read through a fresh open (which reaps). */
static enum history_how first_how(void)
{
	struct history *h = open_ok();
	struct history_session *s;
	char err[LIMBER_ERR_LEN];
	enum history_how how;
	size_t n;

	assert_int_equal(history_sessions(h, 1, &s, &n, err), 0);
	assert_int_equal(n, 1);
	how = s[0].how;
	free(s);
	history_close(h);
	return how;
}

/*
 * A live limber with the pid a row recorded is the row's writer only if it also
 * started when that one did: a pid used again (a reboot whose boot id could not be
 * read, or pids wrapping round) by another limber leaves the row to be reaped.
 */
static void test_a_pid_used_again_is_not_trusted(void **state)
{
	char err[LIMBER_ERR_LEN], *path;
	int ready[2];
	sqlite3 *db;
	pid_t pid;
	char c;

	(void)state;
	assert_int_equal(pipe(ready), 0);
	pid = fork();
	if (pid == 0) {
		struct history *hc;

		prctl(PR_SET_NAME, "limber-test");   /* history_reap trusts only a limber */
		close(ready[0]);
		if (history_open(dir, &hc, err) < 0 ||
		    history_begin(hc, "neck/beginner", "Neck", "neck", "beginner", 5, 0, noon(0), err) < 0 ||
		    write(ready[1], "x", 1) != 1)
			_exit(1);
		alarm(60);   /* a failed test that never kills it does not leave it behind */
		pause();     /* alive, the row open, until killed */
		_exit(0);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	assert_int_equal(first_how(), HOW_RUNNING);   /* its writer is alive: left alone */
	/* The same pid, but another start: another process than the writer (set, not moved:
	 * under qemu-user the writer cannot read its own start, and leaves it NULL). */
	path = util_path_join(dir, "history.db");
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE session SET pstart = 1", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	free(path);
	assert_int_equal(first_how(), HOW_INTERRUPTED);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void test_a_running_session_of_a_live_process_is_left_alone(void **state)
{
	struct history *h = open_ok(), *h2;
	struct history_session *s;
	char err[LIMBER_ERR_LEN];
	size_t n;

	(void)state;
	session(h, "neck/beginner", "neck", "beginner", noon(0), HOW_RUNNING, 1);
	/* This test's process is alive, but it is not called limber: still, the row is its own. */
	h2 = open_ok();
	assert_int_equal(history_sessions(h2, 0, &s, &n, err), 0);
	assert_int_equal(n, 1);
	free(s);
	history_close(h2);
	history_close(h);
}

static void test_streak_counts_days_in_a_row(void **state)
{
	struct history *h = open_ok();

	(void)state;
	assert_int_equal(history_streak(h, noon(0)), 0);
	session(h, "neck/beginner", "neck", "beginner", noon(1), HOW_FINISHED, 5);
	session(h, "neck/beginner", "neck", "beginner", noon(2), HOW_FINISHED, 5);
	session(h, "neck/beginner", "neck", "beginner", noon(2) + 7200, HOW_FINISHED, 5);
	session(h, "neck/beginner", "neck", "beginner", noon(3), HOW_FINISHED, 5);
	session(h, "neck/beginner", "neck", "beginner", noon(5), HOW_FINISHED, 5);   /* gap at 4 */
	session(h, "neck/beginner", "neck", "beginner", noon(0) - 3600, HOW_STOPPED, 1);
	/* Today has no finished session yet: the streak still stands from yesterday. */
	assert_int_equal(history_streak(h, noon(0)), 3);
	session(h, "neck/beginner", "neck", "beginner", noon(0), HOW_FINISHED, 5);
	assert_int_equal(history_streak(h, noon(0) + 60), 4);
	/* Two days without one: it is over. */
	assert_int_equal(history_streak(h, noon(-2)), 0);
	/* A timer's session nobody answered does not carry it on. */
	session(h, "neck/beginner", "neck", "beginner", noon(-1), HOW_UNHEARD, 5);
	assert_int_equal(history_streak(h, noon(-2)), 0);
	history_close(h);
}

static void test_unheard_sessions_read_back_and_do_not_count(void **state)
{
	struct history *h = open_ok();
	struct history_session *s = NULL;
	char err[LIMBER_ERR_LEN];
	size_t n = 0;
	int days;

	(void)state;
	for (int d = 13; d >= 1; d--)
		session(h, "lower-back/beginner", "lower-back", "beginner", noon(d), HOW_UNHEARD, 5);
	assert_int_equal(history_sessions(h, 1, &s, &n, err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].how, HOW_UNHEARD);
	assert_string_equal(history_how_name(s[0].how), "unheard");
	free(s);
	assert_int_equal(history_streak(h, noon(0)), 0);
	assert_int_equal(history_ready(h, "lower-back", "beginner", noon(0), 0, &days), 0);
	assert_int_equal(days, 0);
	assert_int_equal(history_finished(h, "lower-back/beginner"), 0);
	history_close(h);
}

static void test_progression_after_two_weeks_of_practice(void **state)
{
	struct history *h = open_ok();
	int days;

	(void)state;
	/* Eleven of the last fourteen days at lower back, beginner (0, 6 and 9 missed). */
	for (int d = 13; d >= 1; d--)
		if (d != 6 && d != 9)
			session(h, "lower-back/beginner", "lower-back", "beginner", noon(d),
				HOW_FINISHED, 5);
	assert_int_equal(history_ready(h, "lower-back", "beginner", noon(0), 0, &days), 0);
	assert_int_equal(days, 11);
	/* Today's session, if it finishes, makes twelve. */
	assert_int_equal(history_ready(h, "lower-back", "beginner", noon(0), 1, &days), 1);
	assert_int_equal(days, 12);
	session(h, "lower-back/beginner", "lower-back", "beginner", noon(0), HOW_FINISHED, 5);
	assert_int_equal(history_ready(h, "lower-back", "beginner", noon(0), 0, &days), 1);
	/* Another area, another level: their own count. */
	assert_int_equal(history_ready(h, "neck", "beginner", noon(0), 0, &days), 0);
	assert_int_equal(history_ready(h, "lower-back", "intermediate", noon(0), 0, &days), 0);
	/* Stopped sessions are not practice finished. */
	for (int d = 13; d >= 0; d--)
		session(h, "hip/beginner", "hip", "beginner", noon(d), HOW_STOPPED, 2);
	assert_int_equal(history_ready(h, "hip", "beginner", noon(0), 0, &days), 0);
	/* Twelve days crammed into the last twelve: not yet two weeks since the first. */
	for (int d = 11; d >= 0; d--)
		session(h, "neck/beginner", "neck", "beginner", noon(d), HOW_FINISHED, 5);
	assert_int_equal(history_ready(h, "neck", "beginner", noon(0), 0, &days), 0);
	assert_int_equal(history_ready(h, "neck", "beginner", noon(-2), 0, &days), 1);
	/* Advanced has no next level. */
	assert_null(history_next_level("advanced"));
	/* The advice is said once. */
	assert_int_equal(history_advice_given(h, "lower-back", "beginner"), 0);
	history_advice_mark(h, "lower-back", "beginner", noon(0));
	assert_int_equal(history_advice_given(h, "lower-back", "beginner"), 1);
	assert_int_equal(history_finished(h, "lower-back/beginner"), 12);
	history_close(h);
}

static void test_report_shows_weeks_pain_and_progress(void **state)
{
	struct history *h = open_ok();
	char err[LIMBER_ERR_LEN], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	for (int d = 13; d >= 0; d--) {
		int64_t id = session(h, "neck/beginner", "neck", "beginner", noon(d), HOW_FINISHED, 5);

		assert_int_equal(history_pain(h, id, d > 6 ? 6 : 3, err), 0);
	}
	assert_int_equal(history_report(h, f, 0, noon(0) + 3600, err), 0);
	fclose(f);
	assert_non_null(strstr(buf, "Streak: 14 days in a row."));
	assert_non_null(strstr(buf, "pain 3.0/10 (50% less"));
	assert_non_null(strstr(buf, "you may be ready for intermediate (neck/intermediate)"));
	free(buf);
	history_close(h);
}

/* A database made by the first schema, with a session in it, is migrated and kept. */
static void test_an_older_schema_is_migrated(void **state)
{
	char path[300], err[LIMBER_ERR_LEN];
	struct history_session *s;
	struct history *h;
	sqlite3 *db;
	size_t n;

	(void)state;
	snprintf(path, sizeof(path), "%s/history.db", dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(db,
			     "CREATE TABLE session (id INTEGER PRIMARY KEY, routine TEXT NOT NULL,"
			     " title TEXT NOT NULL, area TEXT NOT NULL, level TEXT NOT NULL,"
			     " steps INTEGER NOT NULL, started INTEGER NOT NULL, ended INTEGER, how TEXT,"
			     " last_step INTEGER NOT NULL DEFAULT 0, pid INTEGER NOT NULL,"
			     " boot TEXT NOT NULL, resumed_from INTEGER REFERENCES session(id));"
			     "CREATE TABLE step (session INTEGER NOT NULL REFERENCES session(id),"
			     " step INTEGER NOT NULL, finished INTEGER NOT NULL,"
			     " PRIMARY KEY (session, step));"
			     "CREATE INDEX session_started ON session(started);"
			     "INSERT INTO session VALUES (7, 'neck/beginner', 'Neck', 'neck', 'beginner',"
			     " 6, 1700000000, 1700000900, 'finished', 6, 1, 'old', NULL);"
			     "PRAGMA user_version = 1;",
			     NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	h = open_ok();
	assert_int_equal(history_sessions(h, 0, &s, &n, err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].id, 7);
	assert_int_equal(s[0].pain, -1);              /* the column version 2 added */
	assert_int_equal(history_pain(h, 7, 5, err), 0);
	free(s);
	history_close(h);
	/* And a database from a newer limber is refused, not rewritten. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(history_open(dir, &h, err), -1);
	assert_non_null(strstr(err, "newer limber"));
}

/*
 * A storm of kill -9: writers killed at random moments, mid-transaction as
 * often as not. Every session a writer saw begun must be there, and the
 * database must pass its integrity check.
 *
 * Each kill waits until its writer has begun a session (it reports every id
 * through a pipe), so on a slow machine (qemu) the kill does not land before
 * the writer has written anything. The kill must still land mid-session,
 * whatever the machine's speed: a session is 11 transactions (begin, 9 steps,
 * end), and a writer killed between its first and last step leaves a session
 * cut part-way, with some steps but not all. The test counts those and
 * requires some, so it cannot pass by always killing between sessions.
 */
static void test_a_storm_of_kills_loses_nothing(void **state)
{
	char path[300], err[LIMBER_ERR_LEN];
	struct history_session *s;
	/* Each child begins a session about every 0.2 ms until killed, up to 40 ms: room for all. */
	int64_t begun[8192];
	size_t nbegun = 0, ncut = 0, n;
	struct history *h;
	sqlite3 *db;
	sqlite3_stmt *st;

	(void)state;
	srand(1234);
	for (int k = 0; k < 40; k++) {
		int fds[2];
		pid_t pid;
		int64_t id;

		assert_int_equal(pipe(fds), 0);
		pid = fork();
		if (pid == 0) {
			struct history *hc;

			close(fds[0]);
			if (history_open(dir, &hc, err) < 0)
				_exit(1);
			for (;;) {
				id = history_begin(hc, "neck/beginner", "Neck", "neck", "beginner", 9, 0,
						   noon(0), err);
				if (id < 0 || write(fds[1], &id, sizeof(id)) != sizeof(id))
					_exit(1);
				for (int step = 1; step <= 9; step++)
					history_step(hc, id, step, noon(0) + step, err);
				history_end(hc, id, HOW_FINISHED, noon(0) + 10, err);
			}
		}
		close(fds[1]);
		/* Not before the first session has begun: the child's first id. */
		assert_int_equal(read(fds[0], &id, sizeof(id)), sizeof(id));
		assert_true(nbegun < sizeof(begun) / sizeof(begun[0]));
		begun[nbegun++] = id;
		nanosleep(&(struct timespec){ 0, (long)(rand() % 40) * 1000000L }, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		while (read(fds[0], &id, sizeof(id)) == sizeof(id)) {
			assert_true(nbegun < sizeof(begun) / sizeof(begun[0]));
			begun[nbegun++] = id;
		}
		close(fds[0]);
	}
	assert_true(nbegun >= 40);
	h = open_ok();
	assert_int_equal(history_sessions(h, 0, &s, &n, err), 0);
	for (size_t i = 0; i < nbegun; i++) {
		size_t j;

		for (j = 0; j < n; j++)
			if (s[j].id == begun[i])
				break;
		assert_true(j < n);                       /* present */
		assert_int_not_equal(s[j].how, HOW_RUNNING);   /* and closed: done or interrupted */
	}
	for (size_t j = 0; j < n; j++)
		if (s[j].how == HOW_INTERRUPTED && s[j].last_step > 0 && s[j].last_step < 9)
			ncut++;
	printf("storm: %zu sessions begun across 40 kills, all present; %zu cut part-way\n",
	       nbegun, ncut);
	/* At least one kill in ten landed between a session's first and last step. */
	assert_true(ncut >= 4);
	free(s);
	history_close(h);
	snprintf(path, sizeof(path), "%s/history.db", dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* A small tmpfs, for a disk that fills and a directory that is read-only (needs root). */
static int small_fs(void)
{
	if (geteuid() != 0 || mount("limber-test", dir, "tmpfs", 0, "size=160k") < 0)
		return -1;
	return 0;
}

static void test_a_full_disk_is_a_clear_error_and_loses_nothing_written(void **state)
{
	char err[LIMBER_ERR_LEN], fill[300];
	struct history *h;
	struct history_session *s;
	int64_t id = 0, first;
	size_t n;
	FILE *f;
	int failed = 0;

	(void)state;
	if (small_fs() < 0) {
		printf("skipped: mounting a small tmpfs needs root\n");
		skip();
	}
	h = open_ok();
	first = session(h, "neck/beginner", "neck", "beginner", noon(0), HOW_FINISHED, 5);
	/* Fill the rest of the disk, then keep writing sessions. */
	snprintf(fill, sizeof(fill), "%s/fill", dir);
	f = fopen(fill, "w");
	while (f && fputs("0123456789abcdef0123456789abcdef", f) >= 0 && fflush(f) == 0)
		;
	if (f)
		fclose(f);
	for (int i = 0; i < 50 && !failed; i++) {
		id = history_begin(h, "hip/beginner", "Hip", "hip", "beginner", 5, 0, noon(0), err);
		if (id < 0 || history_step(h, id, 1, noon(0), err) < 0)
			failed = 1;
	}
	assert_true(failed);
	printf("full disk: \"%s\"\n", err);
	assert_non_null(strstr(err, "history: "));
	history_close(h);
	unlink(fill);
	h = open_ok();
	assert_int_equal(history_sessions(h, 0, &s, &n, err), 0);
	assert_true(n >= 1);
	assert_int_equal(s[n - 1].id, first);
	assert_int_equal(s[n - 1].how, HOW_FINISHED);
	free(s);
	history_close(h);
	umount(dir);
}

static void test_a_read_only_directory_is_a_clear_error(void **state)
{
	char err[LIMBER_ERR_LEN];
	struct history *h;

	(void)state;
	if (small_fs() < 0) {
		printf("skipped: mounting a small tmpfs needs root\n");
		skip();
	}
	assert_int_equal(mount(NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, NULL), 0);
	assert_int_equal(history_open(dir, &h, err), -1);
	printf("read-only: \"%s\"\n", err);
	assert_non_null(strstr(err, dir));
	umount(dir);
}

/* Two weeks of finished sessions of area at level, each rated pain(d) (or none if < 0). */
static void fortnight(struct history *h, const char *routine, const char *area, const char *level,
		      int (*pain)(int d))
{
	char err[LIMBER_ERR_LEN];

	for (int d = 13; d >= 0; d--) {
		int64_t id = session(h, routine, area, level, noon(d), HOW_FINISHED, 5);

		if (pain && pain(d) >= 0)
			assert_int_equal(history_pain(h, id, pain(d), err), 0);
	}
}

static char *report(struct history *h)
{
	char err[LIMBER_ERR_LEN], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(history_report(h, f, 0, noon(0) + 3600, err), 0);
	fclose(f);
	return buf;
}

static void test_progression_names_only_routines_that_exist(void **state)
{
	/* What the library has: no intermediate breathing or desk routine; two at full-back. */
	static const struct history_routine lib[] = {
		{ "breathing/box", "breathing", "beginner" },
		{ "desk/office", "desk", "beginner" },
		{ "daily/midday", "daily", "beginner" },
		{ "daily/evening", "daily", "intermediate" },
		{ "full-back/legs", "full-back", "beginner" },
		{ "full-back/core-posture", "full-back", "intermediate" },
		{ "full-back/glutes-hamstrings", "full-back", "intermediate" },
	};
	struct history *h = open_ok();
	char *buf, names[128];

	(void)state;
	history_set_routines(h, lib, UTIL_ARRAY_LEN(lib));
	fortnight(h, "breathing/box", "breathing", "beginner", NULL);
	fortnight(h, "desk/office", "desk", "beginner", NULL);
	fortnight(h, "daily/midday", "daily", "beginner", NULL);
	fortnight(h, "full-back/legs", "full-back", "beginner", NULL);
	buf = report(h);
	assert_null(strstr(buf, "breathing/intermediate"));
	assert_null(strstr(buf, "breathing:"));
	assert_null(strstr(buf, "desk/intermediate"));
	assert_null(strstr(buf, "desk:"));
	assert_null(strstr(buf, "full-back/intermediate"));
	assert_non_null(strstr(buf, "you may be ready for intermediate (daily/evening)"));
	assert_non_null(strstr(buf, "you may be ready for intermediate "
				    "(full-back/core-posture, full-back/glutes-hamstrings)"));
	free(buf);
	assert_int_equal(history_routines_at(lib, UTIL_ARRAY_LEN(lib), "desk", "intermediate", names,
					     sizeof(names)),
			 0);
	assert_string_equal(names, "");
	history_close(h);
}

static int pain_steady(int d)
{
	return d > 6 ? 6 : 5;   /* 17% less: not enough */
}

static int pain_eased(int d)
{
	return d > 6 ? 6 : 4;   /* 33% less */
}

static void test_the_next_level_waits_for_less_pain_where_it_is_rated(void **state)
{
	static const struct history_routine lib[] = {
		{ "neck/intermediate", "neck", "intermediate" },
		{ "hip/intermediate", "hip", "intermediate" },
		{ "lower-back/intermediate", "lower-back", "intermediate" },
	};
	struct history *h = open_ok();
	double first, recent;
	char *buf;
	int days;

	(void)state;
	/* The pure rule: 30% less, or no pain to begin with. */
	assert_int_equal(history_pain_dropped(6, 4.2), 1);
	assert_int_equal(history_pain_dropped(6, 4.3), 0);
	assert_int_equal(history_pain_dropped(5, 5), 0);
	assert_int_equal(history_pain_dropped(0, 0), 1);
	history_set_routines(h, lib, UTIL_ARRAY_LEN(lib));
	fortnight(h, "neck/beginner", "neck", "beginner", pain_steady);
	fortnight(h, "hip/beginner", "hip", "beginner", pain_eased);
	fortnight(h, "lower-back/beginner", "lower-back", "beginner", NULL);
	assert_int_equal(history_pain_means(h, "neck", noon(0) + 3600, &first, &recent), 1);
	assert_true(first > 5.9 && first < 6.1 && recent > 4.9 && recent < 5.1);
	/* Fourteen days, but the pain has not eased enough: not yet. */
	assert_int_equal(history_consistent(h, "neck", "beginner", noon(0), 0, &days), 1);
	assert_int_equal(history_ready(h, "neck", "beginner", noon(0), 0, &days), 0);
	/* A third less: ready. No ratings at all: the condition is not applied. */
	assert_int_equal(history_ready(h, "hip", "beginner", noon(0), 0, &days), 1);
	assert_int_equal(history_pain_means(h, "lower-back", noon(0), &first, &recent), 0);
	assert_int_equal(history_ready(h, "lower-back", "beginner", noon(0), 0, &days), 1);
	buf = report(h);
	assert_non_null(strstr(buf, "neck: 14 days of practice at beginner"));
	assert_non_null(strstr(buf, "stay at beginner for now"));
	assert_null(strstr(buf, "(neck/intermediate)"));
	assert_non_null(strstr(buf, "and less pain. If you can hold every stretch comfortably, you may "
				    "be ready for intermediate (hip/intermediate)"));
	assert_non_null(strstr(buf, "(lower-back/intermediate)"));
	free(buf);
	history_close(h);
}

static void test_a_silent_session_is_forgotten(void **state)
{
	struct history *h = open_ok();
	char err[LIMBER_ERR_LEN];
	struct history_session r;
	int64_t id;

	(void)state;
	assert_int_equal(history_any(h), 0);
	id = session(h, "neck/beginner", "neck", "beginner", noon(0), HOW_RUNNING, 0);
	assert_int_equal(history_any(h), 1);
	assert_int_equal(history_forget(h, id, err), 0);
	assert_int_equal(history_any(h), 0);
	assert_int_equal(history_resumable(h, NULL, &r, err), 0);
	assert_null(history_level_reached(h, "neck"));
	session(h, "neck/beginner", "neck", "beginner", noon(1), HOW_FINISHED, 5);
	session(h, "neck/intermediate", "neck", "intermediate", noon(0), HOW_STOPPED, 2);
	assert_string_equal(history_level_reached(h, "neck"), "beginner");
	history_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a_session_is_recorded_step_by_step, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_process_that_dies_leaves_an_interrupted_session,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_pid_used_again_is_not_trusted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_running_session_of_a_live_process_is_left_alone,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_streak_counts_days_in_a_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unheard_sessions_read_back_and_do_not_count, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_progression_after_two_weeks_of_practice, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_report_shows_weeks_pain_and_progress, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_an_older_schema_is_migrated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_storm_of_kills_loses_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_full_disk_is_a_clear_error_and_loses_nothing_written, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progression_names_only_routines_that_exist, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_the_next_level_waits_for_less_pain_where_it_is_rated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_silent_session_is_forgotten, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_read_only_directory_is_a_clear_error, setup,
						teardown),
	};

	setenv("TZ", "Europe/Berlin", 1);   /* a zone with summer time: days are local days */
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

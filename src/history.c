/*
 * history: the SQLite side. Every statement is prepared with bound values;
 * every write is one transaction. The printed report is history_report.c.
 */
#include "history.h"
#include "history_int.h"

#include "util.h"

#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


/* Schema versions, in order: migrations[i] takes user_version i to i + 1. */
static const char *const migrations[HISTORY_SCHEMA] = {
	"CREATE TABLE session ("
	" id INTEGER PRIMARY KEY,"
	" routine TEXT NOT NULL, title TEXT NOT NULL, area TEXT NOT NULL, level TEXT NOT NULL,"
	" steps INTEGER NOT NULL,"
	" started INTEGER NOT NULL, ended INTEGER, how TEXT,"
	" last_step INTEGER NOT NULL DEFAULT 0,"
	" pid INTEGER NOT NULL, boot TEXT NOT NULL,"
	" resumed_from INTEGER REFERENCES session(id));"
	"CREATE TABLE step ("
	" session INTEGER NOT NULL REFERENCES session(id), step INTEGER NOT NULL,"
	" finished INTEGER NOT NULL, PRIMARY KEY (session, step));"
	"CREATE INDEX session_started ON session(started);",
	/* 2: pain ratings, and progression advice said once. */
	"ALTER TABLE session ADD COLUMN pain INTEGER;"
	"CREATE TABLE advice (area TEXT NOT NULL, level TEXT NOT NULL, given INTEGER NOT NULL,"
	" PRIMARY KEY (area, level));",
	/* 3: when the writing process started, in clock ticks after boot (history_reap). */
	"ALTER TABLE session ADD COLUMN pstart INTEGER;",
};

static const char *const how_names[] = { "running", "finished", "stopped", "interrupted",
					   "unheard" };

const char *history_how_name(enum history_how how)
{
	return how_names[how];
}

static enum history_how how_of(const unsigned char *s)
{
	for (int i = 1; i < (int)UTIL_ARRAY_LEN(how_names); i++)
		if (s && !strcmp((const char *)s, how_names[i]))
			return (enum history_how)i;
	return HOW_RUNNING;
}

const char *history_next_level(const char *level)
{
	if (!strcmp(level, "beginner"))
		return "intermediate";
	if (!strcmp(level, "intermediate"))
		return "advanced";
	return NULL;
}

void history_default_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (xdg && *xdg)
		snprintf(buf, len, "%s/limber", xdg);
	else
		snprintf(buf, len, "%s/.local/state/limber", home && *home ? home : ".");
}

static int db_err(struct history *h, char *err, const char *what)
{
	return util_err(err, "history: %s: %s", what, sqlite3_errmsg(h->db));
}

static int db_exec(struct history *h, const char *sql, char *err)
{
	char *msg = NULL;

	if (sqlite3_exec(h->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		util_err(err, "history: %s", msg ? msg : sqlite3_errmsg(h->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static sqlite3_stmt *db_prep(struct history *h, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	return st;
}

/* Run a prepared write to completion and finalize it. */
static int db_done(struct history *h, sqlite3_stmt *st, char *err, const char *what)
{
	int rc = st ? sqlite3_step(st) : SQLITE_ERROR;

	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_err(h, err, what);
	return 0;
}

static int mkdirs(const char *dir)
{
	char *p = util_xstrdup(dir);
	int rc = 0;

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (mkdir(p, 0700) < 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

static int history_migrate(struct history *h, char *err)
{
	sqlite3_stmt *st;
	int version;

	if (db_exec(h, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	st = db_prep(h, "PRAGMA user_version");
	version = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (version < 0 || version > HISTORY_SCHEMA) {
		db_exec(h, "ROLLBACK", NULL);
		return util_err(err, "history: schema version %d is %s", version,
				version < 0 ? "unreadable" : "from a newer limber");
	}
	for (; version < HISTORY_SCHEMA; version++) {
		char pragma[64];

		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version + 1);
		if (db_exec(h, migrations[version], err) < 0 || db_exec(h, pragma, err) < 0) {
			db_exec(h, "ROLLBACK", NULL);
			return -1;
		}
	}
	return db_exec(h, "COMMIT", err);
}

/* Is pid a limber that is still running (so its open session is not over)? */
static int limber_alive(int64_t pid)
{
	char path[64], comm[32] = "";
	FILE *f;

	if (pid <= 0 || (kill((pid_t)pid, 0) < 0 && errno == ESRCH))
		return 0;
	snprintf(path, sizeof(path), "/proc/%lld/comm", (long long)pid);
	f = fopen(path, "r");
	if (!f)
		return 1;   /* no /proc: trust kill() */
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return !strncmp(comm, "limber", 6);
}

/*
 * When process pid started, in clock ticks after boot (/proc/PID/stat's 22nd
 * field, the 20th after the name, which is in parentheses and may hold
 * anything), or -1 if /proc cannot say. With the pid it names one process
 * of one boot: a pid used again has another start. qemu-user makes up a
 * process's own stat (its state a digit, its start its own): that is -1 too.
 */
static int64_t proc_ticks(int64_t pid)
{
	char path[64], buf[1024], *p;
	size_t got;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%lld/stat", (long long)pid);
	if (!(f = fopen(path, "r")))
		return -1;
	got = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[got] = '\0';
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || (p[2] | 0x20) < 'a' || (p[2] | 0x20) > 'z')
		return -1;   /* not the kernel's: the state is a letter (R, S, D, t, ...) */
	for (int field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	return p ? (int64_t)strtoull(p + 1, NULL, 10) : -1;
}

/*
 * Sessions left open by a process that died, or by a boot that ended:
 * interrupted. A pid is trusted only while it is a limber with the start
 * the row recorded: a pid used again by a new limber (after a reboot whose
 * boot id could not be read, or after many processes) is not the one that
 * wrote the row. Rows from before schema 3 have no start: the pid alone.
 */
static int history_reap(struct history *h, char *err)
{
	sqlite3_stmt *st = db_prep(h, "SELECT id, pid, boot, pstart FROM session WHERE how IS NULL");
	int64_t dead[64];
	size_t n = 0;

	if (!st)
		return db_err(h, err, "reading open sessions");
	while (sqlite3_step(st) == SQLITE_ROW && n < 64) {
		const unsigned char *boot = sqlite3_column_text(st, 2);

		int64_t pid = sqlite3_column_int64(st, 1);

		if (pid == (int64_t)getpid())
			continue;   /* ours: this process is writing it */
		int known = sqlite3_column_type(st, 3) != SQLITE_NULL;
		int64_t pstart = sqlite3_column_int64(st, 3), now_start;

		if (!boot || strcmp((const char *)boot, h->boot) != 0 || !limber_alive(pid) ||
		    (known && (now_start = proc_ticks(pid)) >= 0 && now_start != pstart))
			dead[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < n; i++) {
		st = db_prep(h, "UPDATE session SET how = 'interrupted', ended ="
				" (SELECT COALESCE(MAX(finished), session.started) FROM step"
				"  WHERE step.session = session.id) WHERE id = ? AND how IS NULL");
		if (st)
			sqlite3_bind_int64(st, 1, dead[i]);
		if (db_done(h, st, err, "marking an interrupted session") < 0)
			return -1;
	}
	return 0;
}

int history_open(const char *dir, struct history **out, char *err)
{
	struct history *h = util_xcalloc(1, sizeof(*h));
	char *path;
	FILE *f;

	*out = NULL;
	if (mkdirs(dir) < 0) {
		free(h);
		return util_err(err, "history: cannot make %s: %s", dir, strerror(errno));
	}
	f = fopen("/proc/sys/kernel/random/boot_id", "r");
	if (!f || !fgets(h->boot, sizeof(h->boot), f))
		snprintf(h->boot, sizeof(h->boot), "unknown");
	if (f)
		fclose(f);
	h->boot[strcspn(h->boot, "\n")] = '\0';
	path = util_path_join(dir, "history.db");
	if (sqlite3_open_v2(path, &h->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		util_err(err, "history: cannot open %s: %s", path,
			 h->db ? sqlite3_errmsg(h->db) : "out of memory");
		free(path);
		history_close(h);
		return -1;
	}
	free(path);
	sqlite3_busy_timeout(h->db, 3000);   /* the daemon reads while a session writes */
	if (db_exec(h, "PRAGMA journal_mode = WAL", err) < 0 ||
	    db_exec(h, "PRAGMA synchronous = FULL", err) < 0 ||
	    /* A few rows a session: 2 MB of page cache would be a tenth of limber's memory. */
	    db_exec(h, "PRAGMA cache_size = -128", err) < 0 ||
	    db_exec(h, "PRAGMA foreign_keys = ON", err) < 0 || history_migrate(h, err) < 0 ||
	    history_reap(h, err) < 0) {
		char inner[LIMBER_ERR_LEN];

		memcpy(inner, err, sizeof(inner));
		util_err(err, "%s (in %s)", inner, dir);
		history_close(h);
		return -1;
	}
	*out = h;
	return 0;
}

void history_close(struct history *h)
{
	if (!h)
		return;
	sqlite3_close(h->db);
	free(h);
}

int64_t history_begin(struct history *h, const char *routine, const char *title, const char *area,
		      const char *level, int steps, int64_t resumed_from, int64_t now, char *err)
{
	/* A continuation starts with the steps the session it continues had finished. */
	sqlite3_stmt *st = db_prep(h, "INSERT INTO session (routine, title, area, level, steps,"
				      " started, pid, boot, resumed_from, last_step, pstart)"
				      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
				      " COALESCE((SELECT last_step FROM session WHERE id = ?9), 0), ?10)");
	int64_t pstart = proc_ticks((int64_t)getpid());

	if (st) {
		sqlite3_bind_text(st, 1, routine, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, title, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, area, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, level, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 5, steps);
		sqlite3_bind_int64(st, 6, now);
		sqlite3_bind_int64(st, 7, (int64_t)getpid());
		sqlite3_bind_text(st, 8, h->boot, -1, SQLITE_TRANSIENT);
		if (resumed_from > 0)
			sqlite3_bind_int64(st, 9, resumed_from);
		else
			sqlite3_bind_null(st, 9);
		if (pstart >= 0)
			sqlite3_bind_int64(st, 10, pstart);
		else
			sqlite3_bind_null(st, 10);
	}
	if (db_done(h, st, err, "recording the session") < 0)
		return -1;
	return sqlite3_last_insert_rowid(h->db);
}

int history_step(struct history *h, int64_t id, int step, int64_t now, char *err)
{
	sqlite3_stmt *st;

	if (db_exec(h, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	st = db_prep(h, "INSERT OR REPLACE INTO step (session, step, finished) VALUES (?, ?, ?)");
	if (st) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, step);
		sqlite3_bind_int64(st, 3, now);
	}
	if (db_done(h, st, err, "recording a step") < 0)
		goto fail;
	st = db_prep(h, "UPDATE session SET last_step = MAX(last_step, ?) WHERE id = ?");
	if (st) {
		sqlite3_bind_int(st, 1, step);
		sqlite3_bind_int64(st, 2, id);
	}
	if (db_done(h, st, err, "recording a step") < 0)
		goto fail;
	return db_exec(h, "COMMIT", err);
fail:
	db_exec(h, "ROLLBACK", NULL);
	return -1;
}

int history_end(struct history *h, int64_t id, enum history_how how, int64_t now, char *err)
{
	sqlite3_stmt *st = db_prep(h, "UPDATE session SET how = ?, ended = ? WHERE id = ?");

	if (st) {
		sqlite3_bind_text(st, 1, how_names[how], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, now);
		sqlite3_bind_int64(st, 3, id);
	}
	return db_done(h, st, err, "recording the end of the session");
}

int history_pain(struct history *h, int64_t id, int rating, char *err)
{
	sqlite3_stmt *st = db_prep(h, "UPDATE session SET pain = ? WHERE id = ?");

	if (st) {
		sqlite3_bind_int(st, 1, rating);
		sqlite3_bind_int64(st, 2, id);
	}
	return db_done(h, st, err, "recording the pain rating");
}

#define SESSION_COLUMNS \
	"id, routine, title, area, level, steps, last_step, started, COALESCE(ended, 0), how," \
	" COALESCE(pain, -1), COALESCE(resumed_from, 0)," \
	" EXISTS (SELECT 1 FROM session AS later WHERE later.resumed_from = session.id)"

static void copy_text(char *dst, size_t len, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(dst, len, "%s", s ? (const char *)s : "");
}

static void session_row(sqlite3_stmt *st, struct history_session *s)
{
	memset(s, 0, sizeof(*s));
	s->id = sqlite3_column_int64(st, 0);
	copy_text(s->routine, sizeof(s->routine), st, 1);
	copy_text(s->title, sizeof(s->title), st, 2);
	copy_text(s->area, sizeof(s->area), st, 3);
	copy_text(s->level, sizeof(s->level), st, 4);
	s->steps = sqlite3_column_int(st, 5);
	s->last_step = sqlite3_column_int(st, 6);
	s->started = sqlite3_column_int64(st, 7);
	s->ended = sqlite3_column_int64(st, 8);
	s->how = how_of(sqlite3_column_text(st, 9));
	s->pain = sqlite3_column_int(st, 10);
	s->resumed_from = sqlite3_column_int64(st, 11);
	s->resumed = sqlite3_column_int(st, 12);
}

int history_resumable(struct history *h, const char *routine, struct history_session *out,
		      char *err)
{
	sqlite3_stmt *st = db_prep(h, "SELECT " SESSION_COLUMNS " FROM session"
				      " WHERE how = 'interrupted' AND last_step < steps"
				      " AND (?1 IS NULL OR routine = ?1)"
				      " AND NOT EXISTS (SELECT 1 FROM session AS later"
				      "  WHERE later.resumed_from = session.id)"
				      " ORDER BY started DESC, id DESC LIMIT 1");
	int rc;

	/* A session that died since the database was opened (the daemon keeps it open). */
	if (history_reap(h, err) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	if (!st)
		return db_err(h, err, "looking for a session to resume");
	if (routine)
		sqlite3_bind_text(st, 1, routine, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		session_row(st, out);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(h, err, "looking for a session to resume");
	return rc == SQLITE_ROW;
}

int history_sessions(struct history *h, size_t max, struct history_session **out, size_t *n,
		     char *err)
{
	sqlite3_stmt *st = db_prep(h, "SELECT " SESSION_COLUMNS " FROM session"
				      " ORDER BY started DESC, id DESC LIMIT ?");
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return db_err(h, err, "reading sessions");
	sqlite3_bind_int64(st, 1, max ? (int64_t)max : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = util_xrealloc(*out, (*n + 1) * sizeof(**out));
		session_row(st, &(*out)[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return db_err(h, err, "reading sessions");
	}
	return 0;
}

/* The local calendar day of t, as a day number (days since 1970-01-01, proleptic Gregorian). */
static int64_t day_of(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	int64_t y, m, era, yoe, doy, doe;

	localtime_r(&tt, &tm);
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + tm.tm_mday - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The days (day numbers, newest first, distinct) with a finished session matching. */
static size_t finished_days(struct history *h, const char *area, const char *level, int64_t since,
			    int64_t *days, size_t max)
{
	sqlite3_stmt *st = db_prep(h, "SELECT started FROM session WHERE how = 'finished'"
				      " AND started >= ?1 AND (?2 IS NULL OR area = ?2)"
				      " AND (?3 IS NULL OR level = ?3) ORDER BY started DESC");
	size_t n = 0;

	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, since);
	if (area)
		sqlite3_bind_text(st, 2, area, -1, SQLITE_TRANSIENT);
	if (level)
		sqlite3_bind_text(st, 3, level, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW && n < max) {
		int64_t d = day_of(sqlite3_column_int64(st, 0));

		if (!n || days[n - 1] != d)
			days[n++] = d;
	}
	sqlite3_finalize(st);
	return n;
}

int history_streak(struct history *h, int64_t now)
{
	int64_t days[4096], today = day_of(now), want;
	size_t n = finished_days(h, NULL, NULL, 0, days, 4096);
	int streak = 0;

	want = n && days[0] == today ? today : today - 1;
	for (size_t i = 0; i < n && days[i] <= want; i++) {
		if (days[i] != want)
			break;
		streak++;
		want--;
	}
	return streak;
}

int history_consistent(struct history *h, const char *area, const char *level, int64_t now,
		       int assume_today, int *days_out)
{
	int64_t days[64], today = day_of(now), first = 0;
	size_t n = finished_days(h, area, level, now - (int64_t)15 * 86400, days, 64), recent = 0;
	sqlite3_stmt *st;

	for (size_t i = 0; i < n; i++)
		recent += days[i] > today - 14;
	if (assume_today && (!n || days[0] != today))
		recent++;   /* the session under way, if it finishes */
	*days_out = (int)recent;
	if (!history_next_level(level) || recent < 12)
		return 0;
	st = db_prep(h, "SELECT MIN(started) FROM session WHERE how = 'finished' AND area = ?"
			" AND level = ?");
	if (st) {
		sqlite3_bind_text(st, 1, area, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, level, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW)
			first = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return first && day_of(first) <= today - 13;
}

int history_pain_dropped(double first, double recent)
{
	if (first <= 0)
		return 1;   /* no pain to begin with: nothing to wait for */
	return (first - recent) * 100 >= first * HISTORY_PAIN_DROP_PCT - 1e-9;
}

/* The mean rating of area's sessions started in [from, to); 1 if there is one. */
static int pain_mean(struct history *h, const char *area, int64_t from, int64_t to, double *mean)
{
	sqlite3_stmt *st = db_prep(h, "SELECT AVG(pain), COUNT(pain) FROM session WHERE area = ?"
				      " AND pain IS NOT NULL AND started >= ? AND started < ?");
	int have = 0;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, area, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 1) > 0) {
		*mean = sqlite3_column_double(st, 0);
		have = 1;
	}
	sqlite3_finalize(st);
	return have;
}

int history_pain_means(struct history *h, const char *area, int64_t now, double *first,
		       double *recent)
{
	sqlite3_stmt *st = db_prep(h, "SELECT MIN(started) FROM session WHERE area = ?"
				      " AND pain IS NOT NULL");
	int64_t start = 0;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, area, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		start = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (!start)
		return 0;
	return pain_mean(h, area, start, start + (int64_t)7 * 86400, first) &&
	       pain_mean(h, area, now - (int64_t)7 * 86400 + 1, now + 1, recent);
}

int history_ready(struct history *h, const char *area, const char *level, int64_t now,
		  int assume_today, int *days_out)
{
	double first, recent;

	if (!history_consistent(h, area, level, now, assume_today, days_out))
		return 0;
	return !history_pain_means(h, area, now, &first, &recent) ||
	       history_pain_dropped(first, recent);
}

const char *history_level_reached(struct history *h, const char *area)
{
	static const char *const levels[] = { "advanced", "intermediate", "beginner" };
	sqlite3_stmt *st = db_prep(h, "SELECT 1 FROM session WHERE how = 'finished' AND area = ?"
				      " AND level = ? LIMIT 1");
	const char *found = NULL;

	if (!st)
		return NULL;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(levels) && !found; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, area, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, levels[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			found = levels[i];
	}
	sqlite3_finalize(st);
	return found;
}

int history_any(struct history *h)
{
	sqlite3_stmt *st = db_prep(h, "SELECT 1 FROM session LIMIT 1");
	int any = 0;

	if (!st)
		return 0;
	any = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return any;
}

int history_forget(struct history *h, int64_t id, char *err)
{
	sqlite3_stmt *st;

	if (db_exec(h, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	st = db_prep(h, "DELETE FROM step WHERE session = ?");
	if (st)
		sqlite3_bind_int64(st, 1, id);
	if (db_done(h, st, err, "forgetting a silent session") < 0)
		goto fail;
	st = db_prep(h, "DELETE FROM session WHERE id = ?");
	if (st)
		sqlite3_bind_int64(st, 1, id);
	if (db_done(h, st, err, "forgetting a silent session") < 0)
		goto fail;
	return db_exec(h, "COMMIT", err);
fail:
	db_exec(h, "ROLLBACK", NULL);
	return -1;
}

void history_set_routines(struct history *h, const struct history_routine *r, size_t n)
{
	h->routines = r;
	h->nroutines = n;
}

size_t history_routines_at(const struct history_routine *r, size_t n, const char *area,
			   const char *level, char *buf, size_t len)
{
	size_t found = 0, used = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (strcmp(r[i].area, area) != 0 || strcmp(r[i].level, level) != 0)
			continue;
		if (used < len) {
			int w = snprintf(buf + used, len - used, "%s%s", found ? ", " : "", r[i].name);

			used += w > 0 ? (size_t)w : 0;
		}
		found++;
	}
	return found;
}

int history_finished(struct history *h, const char *routine)
{
	sqlite3_stmt *st = db_prep(h, "SELECT COUNT(*) FROM session WHERE how = 'finished'"
				      " AND routine = ?");
	int n = 0;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, routine, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

int history_advice_given(struct history *h, const char *area, const char *level)
{
	sqlite3_stmt *st = db_prep(h, "SELECT 1 FROM advice WHERE area = ? AND level = ?");
	int given;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, area, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, level, -1, SQLITE_TRANSIENT);
	given = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return given;
}

void history_advice_mark(struct history *h, const char *area, const char *level, int64_t now)
{
	sqlite3_stmt *st = db_prep(h, "INSERT OR IGNORE INTO advice (area, level, given)"
				      " VALUES (?, ?, ?)");

	if (st) {
		sqlite3_bind_text(st, 1, area, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, level, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, now);
	}
	db_done(h, st, NULL, "recording advice");
}

/* For history_report.c (history_int.h). */
sqlite3_stmt *history__prep(struct history *h, const char *sql)
{
	return db_prep(h, sql);
}

void history__text(char *dst, size_t len, sqlite3_stmt *st, int col)
{
	copy_text(dst, len, st, col);
}

int64_t history__day(int64_t t)
{
	return day_of(t);
}

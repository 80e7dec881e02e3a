/*
 * history_report: `limber history` as text: the sessions, the streak,
 * minutes and pain a week, and the progression advice, which names only
 * the routines of the next level that exist.
 */
#include "history.h"
#include "history_int.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { DATE, ISO, HUMAN };

static void fmt_time(int64_t t, int style, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	if (style == DATE)
		strftime(buf, len, "%Y-%m-%d", &tm);
	else if (style == ISO)
		strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	else
		strftime(buf, len, "%a %Y-%m-%d %H:%M", &tm);
}

/* Minutes, and the mean pain rating, a week (Monday to Sunday) for the last six. */
static void report_weeks(struct history *h, FILE *out, int64_t now)
{
	int64_t today = history__day(now), monday;
	struct history_session *s;
	size_t n;
	time_t tt = (time_t)now;
	struct tm tm;
	char err[LIMBER_ERR_LEN];
	double first_pain = -1;

	localtime_r(&tt, &tm);
	monday = today - (tm.tm_wday + 6) % 7;
	if (history_sessions(h, 0, &s, &n, err) < 0)
		return;
	fputs("\nMinutes a week:\n", out);
	for (int w = 5; w >= 0; w--) {
		int64_t from = monday - (int64_t)7 * w, minutes = 0;
		int count = 0, npain = 0;
		double pain = 0;
		char date[32];

		for (size_t i = 0; i < n; i++) {
			int64_t d = history__day(s[i].started);

			if (d < from || d >= from + 7)
				continue;
			count++;
			if (s[i].ended > s[i].started)
				minutes += s[i].ended - s[i].started;
			if (s[i].pain >= 0) {
				pain += s[i].pain;
				npain++;
			}
		}
		fmt_time(now - (today - from) * 86400, DATE, date, sizeof(date));
		fprintf(out, "  week of %s: %3lld min, %d session%s", date,
			(long long)((minutes + 30) / 60), count, count == 1 ? "" : "s");
		if (npain) {
			pain /= npain;
			if (first_pain < 0)
				first_pain = pain;
			fprintf(out, "; pain %.1f/10", pain);
			if (first_pain > 0 && pain < first_pain)
				fprintf(out, " (%.0f%% less; the guides' goal: half in six weeks)",
					100 * (first_pain - pain) / first_pain);
		}
		fputc('\n', out);
	}
	free(s);
}

static void report_progress(struct history *h, FILE *out, int64_t now)
{
	static const char *const levels[] = { "beginner", "intermediate" };
	sqlite3_stmt *st = history__prep(h, "SELECT DISTINCT area FROM session WHERE how = 'finished'"
				      " ORDER BY area");
	int said = 0;

	if (!st)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		char area[32], names[512];

		history__text(area, sizeof(area), st, 0);
		for (size_t i = 0; i < UTIL_ARRAY_LEN(levels); i++) {
			const char *next = history_next_level(levels[i]);
			double first, recent;
			int days, pain;

			if (!history_consistent(h, area, levels[i], now, 0, &days))
				continue;
			/* Only a routine that exists is named; with none, nothing is advised. */
			if (!h->routines)
				snprintf(names, sizeof(names), "%s/%s", area, next);
			else if (!history_routines_at(h->routines, h->nroutines, area, next, names,
						      sizeof(names)))
				continue;
			if (!said++)
				fputs("\nProgression:\n", out);
			pain = history_pain_means(h, area, now, &first, &recent);
			if (pain && !history_pain_dropped(first, recent)) {
				fprintf(out, "  %s: %d days of practice at %s in the last two weeks; pain "
					     "%.1f/10 this week against %.1f/10 in your first. The guides "
					     "move on when it is %d-40%% less: stay at %s for now.\n",
					area, days, levels[i], recent, first, HISTORY_PAIN_DROP_PCT,
					levels[i]);
				continue;
			}
			fprintf(out, "  %s: %d days of practice at %s in the last two weeks%s. If you "
				     "can hold every stretch comfortably, you may be ready for %s (%s).\n",
				area, days, levels[i], pain ? ", and less pain" : "", next, names);
		}
	}
	sqlite3_finalize(st);
}

int history_report(struct history *h, FILE *out, int tsv, int64_t now, char *err)
{
	struct history_session *s;
	size_t n;
	int streak;

	if (history_sessions(h, tsv ? 0 : 20, &s, &n, err) < 0)
		return -1;
	if (tsv)
		fputs("id\tstarted\troutine\tarea\tlevel\tminutes\thow\tsteps_done\tsteps\tpain\t"
		      "resumed_from\n",
		      out);
	else if (!n)
		fputs("No sessions yet.\n", out);
	else
		fputs("Sessions, newest first:\n", out);
	for (size_t i = 0; i < n; i++) {
		char date[32];
		int64_t secs = s[i].ended > s[i].started ? s[i].ended - s[i].started : 0;

		fmt_time(s[i].started, tsv ? ISO : HUMAN, date, sizeof(date));
		if (tsv) {
			fprintf(out, "%lld\t%s\t%s\t%s\t%s\t%.1f\t%s\t%d\t%d\t", (long long)s[i].id, date,
				s[i].routine, s[i].area, s[i].level, (double)secs / 60,
				history_how_name(s[i].how), s[i].last_step, s[i].steps);
			if (s[i].pain >= 0)
				fprintf(out, "%d", s[i].pain);
			fprintf(out, "\t%lld\n", (long long)s[i].resumed_from);
			continue;
		}
		fprintf(out, "  %s  %-28s %3lld:%02lld  %s", date, s[i].routine, (long long)(secs / 60),
			(long long)(secs % 60), history_how_name(s[i].how));
		if (s[i].how == HOW_UNHEARD)
			fputs(" (a timer's, nobody answered: not counted)", out);
		else if (s[i].how != HOW_FINISHED)
			fprintf(out, " after step %d of %d%s", s[i].last_step, s[i].steps,
				s[i].how == HOW_INTERRUPTED && !s[i].resumed ? " (limber run --resume)"
									     : "");
		if (s[i].pain >= 0)
			fprintf(out, ", pain %d/10", s[i].pain);
		fputc('\n', out);
	}
	free(s);
	if (tsv)
		return 0;
	streak = history_streak(h, now);
	fprintf(out, "\nStreak: %d day%s in a row.\n", streak, streak == 1 ? "" : "s");
	report_weeks(h, out, now);
	report_progress(h, out, now);
	return 0;
}

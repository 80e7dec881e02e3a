/*
 * cmd_history: `limber history` prints past sessions, the streak, minutes
 * and pain a week, and the progression advice; --tsv for scripts.
 */
#include "cmd.h"

#include "guide.h"
#include "history.h"
#include "log.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void history_usage(FILE *f)
{
	fputs("usage: limber history [--tsv] [--evening] [--state-dir DIR]\n"
	      "Past sessions (date, routine, length, how it ended), the streak of days in a\n"
	      "row, minutes and pain ratings a week, and whether you may be ready for the next\n"
	      "level (the guides: 14 days of consistent practice).\n"
	      "  --tsv          every session, one tab-separated line each, for scripts\n"
	      "  --evening      print only the NAME of this person's evening routine: the\n"
	      "                 programme of the place last practised, at the level reached\n"
	      "                 (the lower back's with no history); the evening timer plays it\n"
	      "  --state-dir D  where the history is (default $XDG_STATE_HOME/limber)\n",
	      f);
}

int cmd_history(int argc, char **argv)
{
	static const struct option opts[] = { { "tsv", no_argument, NULL, 't' },
					      { "evening", no_argument, NULL, 'e' },
					      { "state-dir", required_argument, NULL, 'S' },
					      { "help", no_argument, NULL, 'h' },
					      { 0, 0, 0, 0 } };
	char dir[4096], err[LIMBER_ERR_LEN];
	const char *state_dir = NULL;
	struct history *h;
	struct library lib;
	struct library_entry *le = NULL;
	struct guide_catalog cat = { NULL, 0, NULL, 0 };
	size_t n = 0;
	int c, tsv = 0, evening = 0, rc;

	while ((c = getopt_long(argc, argv, "teS:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			tsv = 1;
			break;
		case 'e':
			evening = 1;
			break;
		case 'S':
			state_dir = optarg;
			break;
		case 'h':
			history_usage(stdout);
			return 0;
		default:
			history_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		history_usage(stderr);
		return 2;
	}
	if (!state_dir) {
		history_default_dir(dir, sizeof(dir));
		state_dir = dir;
	}
	if (history_open(state_dir, &h, err) < 0) {
		log_err("%s", err);
		return 1;
	}
	/* The advice names only routines the library has. */
	if (library_init(&lib, err) == 0) {
		library_list(&lib, &le, &n);
		guide_catalog_load(&cat, &lib, le, n);
		library_entries_free(le, n);
		library_done(&lib);
	}
	if (evening) {
		int k = cat.n ? guide_evening(&cat, h, (int64_t)time(NULL)) : -1;

		if (k >= 0 && cat.r)
			printf("%s\n", cat.r[k].name);
		else
			log_err("no routine for the evening: `limber list` shows what "
					"there is");
		guide_catalog_done(&cat);
		history_close(h);
		return k >= 0 ? 0 : 1;
	}
	history_set_routines(h, cat.hr, cat.nhr);
	rc = history_report(h, stdout, tsv, (int64_t)time(NULL), err);
	guide_catalog_done(&cat);
	if (rc < 0)
		log_err("%s", err);
	history_close(h);
	return rc < 0 ? 1 : 0;
}

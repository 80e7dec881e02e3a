/*
 * cmd_list: `limber list [--tsv] [--about]` shows every routine on the
 * search path. A routine that does not load is reported on stderr and
 * makes the exit status 1, but does not hide the others.
 */
#include "cmd.h"

#include "duration.h"
#include "engine.h"
#include "log.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>

static void list_usage(FILE *f)
{
	fputs("usage: limber list [--tsv] [--about]\n"
	      "Every routine on the search path (./routines, $XDG_DATA_HOME/limber/routines,\n"
	      "then the installed share directory) with area, level and duration.\n"
	      "  --tsv    name, area, level, duration_s, path; tab-separated, no header\n"
	      "  --about  also print who each routine is for, and the safety warning\n",
	      f);
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = { { "tsv", no_argument, NULL, 't' },
					      { "about", no_argument, NULL, 'a' },
					      { "help", no_argument, NULL, 'h' },
					      { 0, 0, 0, 0 } };
	char err[LIMBER_ERR_LEN];
	struct library lib;
	struct library_entry *ents;
	size_t n;
	int c, tsv = 0, about = 0, status = 0;

	while ((c = getopt_long(argc, argv, "tah", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			tsv = 1;
			break;
		case 'a':
			about = 1;
			break;
		case 'h':
			list_usage(stdout);
			return 0;
		default:
			list_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		list_usage(stderr);
		return 2;
	}
	if (library_init(&lib, err) < 0) {
		log_err("%s", err);
		return 1;
	}
	library_list(&lib, &ents, &n);
	if (about && !tsv)
		printf("%s\n\n", cmd_red_flags);
	for (size_t i = 0; i < n; i++) {
		struct engine e;
		int64_t total;
		char t[16];

		if (engine_load(&e, &lib, ents[i].path, NULL, err) < 0 ||
		    engine_estimate(&e, &total, NULL, err) < 0) {
			fprintf(stderr, "%s\n", err);
			status = 1;
			engine_done(&e);
			continue;
		}
		if (tsv) {
			printf("%s\t%s\t%s\t%lld\t%s\n", ents[i].name, e.routine->area,
			       routine_level_name(e.routine->level), (long long)((total + 500) / 1000),
			       ents[i].path);
		} else {
			duration_format(total, t, sizeof(t));
			printf("%-28s %-11s %-13s %6s  %s\n", ents[i].name, e.routine->area,
			       routine_level_name(e.routine->level), t, e.routine->name);
			if (about && e.routine->about)
				printf("    %s\n", e.routine->about);
		}
		engine_done(&e);
	}
	if (n == 0 && !tsv)
		fputs("no routines found: run limber from its source directory, or install it "
		      "(cmake --install)\n",
		      stderr);
	library_entries_free(ents, n);
	library_done(&lib);
	return status;
}

/*
 * cmd_check: `limber check FILE|NAME...` validates routines and prints
 * each one's plan with estimated times. Exit 1 if any routine is bad.
 */
#include "cmd.h"

#include "duration.h"
#include "engine.h"
#include "log.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check_usage(FILE *f)
{
	fputs("usage: limber check FILE|NAME...\n"
	      "Validate routines and print the plan: steps, sides, reps, holds and the\n"
	      "estimated total. Errors are printed as file:line:col: message.\n",
	      f);
}

static void check_print_step(const struct routine_step *st, int num, int64_t at)
{
	char t[16], h[16], r[16];
	struct sbuf b;

	sbuf_init(&b);
	sbuf_add(&b, "");
	if (st->nsides == 2)
		sbuf_printf(&b, "%s, %s: ", routine_side_name(st->sides[0]),
			    routine_side_name(st->sides[1]));
	else if (st->nsides == 1)
		sbuf_printf(&b, "%s: ", routine_side_name(st->sides[0]));
	if (st->nflow) {
		sbuf_printf(&b, "flow %d x (", st->reps);
		for (size_t i = 0; i < st->nflow; i++) {
			duration_format(st->flow[i].ms, t, sizeof(t));
			sbuf_printf(&b, "%s%.1fs%s%s", i ? ", " : "", (double)st->flow[i].ms / 1000,
				    st->flow[i].breath ? " " : "",
				    st->flow[i].breath ? routine_breath_name(st->flow[i].breath) : "");
		}
		sbuf_add(&b, ")");
	} else {
		duration_format(st->hold_ms, h, sizeof(h));
		if (st->reps > 1) {
			duration_format(st->rest_ms, r, sizeof(r));
			sbuf_printf(&b, "%d reps: hold %s, rest %s", st->reps, h, r);
		} else {
			sbuf_printf(&b, "hold %s", h);
		}
		if (st->breathe)
			sbuf_printf(&b, ", breathe %s (in %d, hold %d, out %d, hold %d), count %s",
				    st->pattern.name[0] ? st->pattern.name : "beats", st->pattern.in,
				    st->pattern.hold, st->pattern.out, st->pattern.hold_out,
				    routine_count_name(st->pattern.count));
	}
	duration_format(st->setup_ms, h, sizeof(h));
	duration_format(at, t, sizeof(t));
	printf("  %6s  %2d  %-28s %s; setup %s\n", t, num, st->name, b.s, h);
	sbuf_done(&b);
}

/* What the plan says before step 1, and what a guided choice needs to know. */
static void check_print_routine(const struct routine *r)
{
	printf("  morning_caution: %s\n", r->morning_caution ? "true" : "false");
	if (r->nequipment) {
		printf("  equipment:");
		for (size_t i = 0; i < r->nequipment; i++)
			printf("%s %s", i ? "," : "", r->equipment[i]);
		printf("\n");
	}
	if (r->length_note)
		printf("  length_note: %s\n", r->length_note);
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = { { "help", no_argument, NULL, 'h' }, { 0, 0, 0, 0 } };
	char err[LIMBER_ERR_LEN];
	struct library lib;
	int c, status = 0;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			check_usage(stdout);
			return 0;
		}
		check_usage(stderr);
		return 2;
	}
	if (optind == argc) {
		check_usage(stderr);
		return 2;
	}
	if (library_init(&lib, err) < 0) {
		log_err("%s", err);
		return 1;
	}
	for (int i = optind; i < argc; i++) {
		struct engine e;
		int64_t total, *starts;
		char t[16];

		if (engine_load(&e, &lib, argv[i], NULL, err) < 0) {
			fprintf(stderr, "%s\n", err);
			status = 1;
			continue;
		}
		starts = util_xcalloc(e.routine->nsteps + 1, sizeof(*starts));
		if (engine_estimate(&e, &total, starts, err) < 0) {
			fprintf(stderr, "%s: %s\n", argv[i], err);
			status = 1;
		} else {
			duration_format(total, t, sizeof(t));
			printf("%s: %s (%s, %s%s%s), %zu steps, about %s\n", e.routine->path,
			       e.routine->name, e.routine->area, routine_level_name(e.routine->level),
			       e.routine->when ? ", " : "",
			       e.routine->when ? routine_when_name(e.routine->when) : "",
			       e.routine->nsteps, t);
			check_print_routine(e.routine);
			for (size_t k = 0; k < e.routine->nsteps; k++)
				check_print_step(&e.routine->steps[k], (int)k + 1, starts[k + 1]);
			printf("  total about %s (speech estimated at %d words a minute, voice %s)\n",
			       t, e.voice->rate, e.voice->name);
		}
		free(starts);
		engine_done(&e);
	}
	library_done(&lib);
	return status;
}

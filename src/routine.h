/*
 * routine: a routine file, parsed and validated into plain structs.
 *
 * This is the only place that knows the routine format's keys and rules.
 * A routine either loads whole and valid, or not at all with one message
 * "path:line:col: what is wrong"; nothing half-loaded escapes. Defaults
 * (setup time, cues) are resolved here so later layers never guess.
 */
#ifndef LIMBER_ROUTINE_H
#define LIMBER_ROUTINE_H

#include <stddef.h>
#include <stdint.h>

enum routine_level { LEVEL_BEGINNER, LEVEL_INTERMEDIATE, LEVEL_ADVANCED };
enum routine_when { WHEN_ANY, WHEN_MORNING, WHEN_MIDDAY, WHEN_EVENING };
enum routine_side { SIDE_NONE, SIDE_RIGHT, SIDE_LEFT };
enum routine_breath { BREATH_NONE, BREATH_IN, BREATH_HOLD, BREATH_OUT };

#define ROUTINE_MAX_HOLD_MS (3600LL * 1000)
#define ROUTINE_DEFAULT_SETUP_MS 5000
#define ROUTINE_DEFAULT_REST_MS 3000

/*
 * How much of a counted breath is spoken: every beat ("In, two, three,
 * four, Out, two, ..."), only each phase's first word ("In", "Out"), or
 * every beat of the first ROUTINE_TAPER_FIRST breaths and of the last one,
 * with the breaths between them quiet.
 */
enum breath_count { COUNT_FULL, COUNT_PHASES, COUNT_TAPER };
#define ROUTINE_TAPER_FIRST 3

/* Counted breathing: beats per phase, each beat beat_ms long. */
struct breath_pattern {
	char name[32];
	int in, hold, out, hold_out;
	int64_t beat_ms;
	enum breath_count count;   /* COUNT_FULL unless the pattern or step says */
};

/* The cues in a hold (session.c), each on its own; `cues: off` turns all five off. */
struct routine_cues {
	int halfway, ten_left, countdown;
	int length;        /* "Hold for 2 minutes." at the start */
	int breathe;       /* "Keep breathing." (and a taper's "In") where it would be quiet > 50 s */
};

struct routine_phase {
	char *say;
	char *cue;                 /* spoken on later reps; NULL: say again */
	enum routine_breath breath;
	int64_t ms;
};

struct routine_step {
	char *name;
	char *target;              /* NULL if not given */
	char *say;                 /* NULL if not given */
	char *release;             /* NULL: the phrase table's */
	char *each_side;           /* said with each side's name: which limb does what; NULL */
	int64_t setup_ms;
	int64_t hold_ms;           /* 0 for a flow */
	int64_t rest_ms;
	int reps;                  /* 1 when not given */
	int nsides;                /* 0, 1 or 2 */
	enum routine_side sides[2];
	struct routine_phase *flow;
	size_t nflow;
	int breathe;               /* counted breaths through the hold */
	struct breath_pattern pattern;
	struct routine_cues cues;
};

struct routine {
	char *path;
	char *name;
	char *area;
	char *about;               /* NULL if not given */
	char *voice;               /* "calm" if not given */
	char *source;              /* NULL if not given */
	char *length_note;         /* why its length is outside the guide's range; NULL */
	char **equipment;          /* what to have at hand, named before step 1 */
	size_t nequipment;
	int morning_caution;       /* deep forward bends: not in the first hour after waking */
	enum routine_level level;
	enum routine_when when;
	int64_t setup_ms;
	struct routine_cues cues;
	struct routine_step *steps;
	size_t nsteps;
};

/* What loading needs from outside: included routines and breathing patterns. */
struct routine_env {
	/* Path of the routine called name, or NULL. The caller frees it. */
	char *(*find)(void *ctx, const char *name);
	void *ctx;
	const struct breath_pattern *patterns;
	size_t npatterns;
};

int routine_load(const char *path, const struct routine_env *env, struct routine **out,
		 char *err);
/* The same from memory; name stands for the path in messages. */
int routine_parse(const char *name, const char *buf, size_t len, const struct routine_env *env,
		  struct routine **out, char *err);
void routine_free(struct routine *r);

const char *routine_level_name(enum routine_level l);
const char *routine_when_name(enum routine_when w);
const char *routine_side_name(enum routine_side s);
const char *routine_breath_name(enum routine_breath b);
const char *routine_count_name(enum breath_count c);

/* The variables spoken text may use, NULL-terminated. */
extern const char *const routine_vars[];

#endif

struct yml_doc;
struct yml_node;
/* A breathing pattern written as beats ({in: 4, out: 6}); used by voice.c too. */
int routine_pattern_parse(const struct yml_doc *doc, const struct yml_node *n,
			  struct breath_pattern *p, char *err);

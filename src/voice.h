/*
 * voice: a voice profile (how eSpeak NG should sound) and the phrase table
 * (every fixed thing limber says), both data in voices/, so a new voice or
 * language needs no code. Also the named breathing patterns.
 */
#ifndef LIMBER_VOICE_H
#define LIMBER_VOICE_H

#include "routine.h"

#include <stddef.h>

enum phrase {
	PH_START,     /* "{name}." at the very beginning */
	PH_STEP,      /* "Step {step} of {steps}. {name}." */
	PH_RIGHT,     /* "right side": the value of {side} */
	PH_LEFT,
	PH_SIDE,      /* "{side}." before the first side's hold */
	PH_SWITCH,    /* "Switch sides. Now the {side}." */
	PH_RELEASE,
	PH_HALFWAY,
	PH_TEN_LEFT,
	PH_IN,
	PH_HOLD,
	PH_OUT,
	PH_LAST_REP,  /* "Last one." */
	PH_END,
	PH_SECOND,    /* "one second" */
	PH_SECONDS,   /* "{n} seconds" */
	PH_MINUTE,
	PH_MINUTES,
	PH_AND,       /* joins minutes and seconds: "and" */
	PH_PAUSED,    /* live: answers to keys */
	PH_RESUMING,
	PH_EXTENDED,
	PH_WHERE,     /* "Step {step} of {steps}. {name}." */
	PH_TIME_LEFT, /* "{hold} left." */
	PH_KEYS,      /* the keys, spoken */
	PH_STOPPING,
	PH_SAFETY,     /* the red flags: when to see a doctor (before the first session) */
	PH_SAFETY_MENU, /* the daemon's menu: "Safety. Press to hear ..." */
	PH_WHERE_FIRST, /* the guided choice: "Where does it hurt? {place}? ..." */
	PH_WHERE_NEXT,  /* "{place}? Press for yes, ..." */
	PH_PLACE_LOWER_BACK, /* the five places, as {place} */
	PH_PLACE_UPPER_BACK,
	PH_PLACE_SCIATIC,
	PH_PLACE_HIP,
	PH_PLACE_NECK,
	PH_GUIDED,     /* the place's programme: {name} {length} {level} */
	PH_BY_NAME,    /* "Or choose a routine by name. ..." */
	PH_MORNING_OFFER,   /* the daemon: {name} bends deeply ... {morning} */
	PH_MORNING_CAUTION, /* `run`: the same, said before the session */
	PH_STOP_NOW,  /* stopped by a signal (shutdown): short, so it is said in time */
	PH_MENU,      /* the daemon's menu: "{name}, {length}. Press to start, ..." */
	PH_NO_ROUTINES,
	PH_PAIN_ASK,   /* after a finished session: a rating, 0-10 */
	PH_PAIN_NOTED, /* "{n}, noted." */
	PH_READY,      /* progression: {area} {level} {n} {next} */
	PH_RESUME,     /* the daemon's menu after an interrupted session: {name} {step} */
	PH_EQUIPMENT,  /* before step 1: "You will need {equipment}. ..." */
	PH_RIGHT_WORD, /* "right": the value of {which} */
	PH_LEFT_WORD,
	PH_OWN_PACE,   /* a tapered count goes quiet: "Go on at this pace, on your own." */
	PH_HOLD_FOR,   /* at a hold's start: "Hold for {hold}." */
	PH_BREATHE_ON, /* a sign of life in a long quiet hold: "Keep breathing." */
	PH_WHERE_FIRST_KEYS, /* the guided choice on a keyboard (`limber run`): space, n */
	PH_WHERE_NEXT_KEYS,
	PH_GUIDED_KEYS,
	PH_BY_NAME_KEYS,
	PH_END_EVENING, /* the closing words of a session that winds down (bedtime): softer, shorter */
	PH_CHIMES,     /* before the first session, after PH_SAFETY: what the chimes mean */
	PH_MENU_KEYS,  /* the menu's routine by name, on a keyboard */
	PH_SAFETY_MENU_KEYS,
	PH_COUNT
};

struct voice {
	char name[32];
	char espeak[64];       /* eSpeak NG voice name, e.g. "en-us" */
	char variant[32];      /* "" or a variant name, e.g. "m3" */
	char language[16];     /* phrase table in voices/phrases/ */
	int rate;              /* words per minute */
	int pitch, range;      /* 0..100 */
	int volume;            /* eSpeak amplitude, 0..200 */
	int word_gap;          /* pause between words, 10 ms units */
	double gain;           /* linear, applied to the speech in the mix */
	char *phrases[PH_COUNT];
	char **counts;         /* "one", "two", ... */
	size_t ncounts;
};

/* Load the profile at path and the phrase table at phrases_path. */
int voice_load(const char *path, const char *phrases_path, struct voice **out, char *err);
void voice_free(struct voice *v);
const char *voice_phrase(const struct voice *v, enum phrase p);
/* The word for n (1-based) from the count table, or n in digits. */
void voice_count(const struct voice *v, int n, char *buf, size_t len);
/* A duration as words: "forty-five seconds" (digits that eSpeak reads aloud). */
void voice_duration(const struct voice *v, int64_t ms, char *buf, size_t len);

/* The language of a profile without loading it all (to find its phrase table). */
int voice_language(const char *path, char *lang, size_t len, char *err);

int breath_patterns_load(const char *path, struct breath_pattern **out, size_t *n, char *err);

#endif

/*
 * keys: the terminal as a remote control. Bytes in, actions out: the parser
 * is pure (the tests feed it bytes), and raw mode is set and restored here,
 * on every exit path.
 */
#ifndef LIMBER_KEYS_H
#define LIMBER_KEYS_H

#include <stddef.h>
#include <termios.h>

enum key_action {
	KEY_NONE,
	KEY_PAUSE,      /* space: pause or resume */
	KEY_NEXT,       /* n, right arrow */
	KEY_PREVIOUS,   /* p, left arrow */
	KEY_REPEAT,     /* r */
	KEY_WHERE,      /* w */
	KEY_EXTEND,     /* e */
	KEY_LOUDER,     /* + (=) */
	KEY_SOFTER,     /* - */
	KEY_QUIT,       /* q */
	KEY_HELP,       /* ? */
	KEY_SAFETY,     /* s: when to see a doctor */
	KEY_ENTER,      /* enter: yes, in the guided choice */
	/* 0 to 9, in order: a pain rating at the end. Each a name of its own, so that every
	 * KEY_DIGIT0 + n is a value of the enum. */
	KEY_DIGIT0, KEY_DIGIT1, KEY_DIGIT2, KEY_DIGIT3, KEY_DIGIT4,
	KEY_DIGIT5, KEY_DIGIT6, KEY_DIGIT7, KEY_DIGIT8, KEY_DIGIT9
};

struct keys {
	unsigned char seq[8];   /* an escape sequence in progress */
	size_t n;
};

void keys_init(struct keys *k);
/* Parse n bytes; write up to max actions to out; returns how many. */
size_t keys_feed(struct keys *k, const unsigned char *buf, size_t n, enum key_action *out,
		 size_t max);

/* Raw, unechoed input on fd; the old settings go to saved. 0, or -1 if fd is no terminal. */
int keys_raw(int fd, struct termios *saved);
void keys_restore(int fd, const struct termios *saved);

#endif

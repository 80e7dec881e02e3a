/*
 * keys: map terminal bytes to actions. Arrow keys arrive as ESC [ C / D (or
 * ESC O C / D in application mode); other escape sequences are swallowed
 * whole so their bytes are not read as letters.
 */
#include "keys.h"

#include <string.h>
#include <unistd.h>

void keys_init(struct keys *k)
{
	memset(k, 0, sizeof(*k));
}

static enum key_action keys_plain(unsigned char c)
{
	switch (c) {
	case ' ':
		return KEY_PAUSE;
	case 'n':
	case 'N':
		return KEY_NEXT;
	case 'p':
	case 'P':
		return KEY_PREVIOUS;
	case 'r':
	case 'R':
		return KEY_REPEAT;
	case 'w':
	case 'W':
		return KEY_WHERE;
	case 'e':
	case 'E':
		return KEY_EXTEND;
	case '+':
	case '=':
		return KEY_LOUDER;
	case '-':
	case '_':
		return KEY_SOFTER;
	case 'q':
	case 'Q':
	case 3: /* ^C in raw mode */
		return KEY_QUIT;
	case '?':
	case 'h':
		return KEY_HELP;
	case 's':
	case 'S':
		return KEY_SAFETY;
	case '\r':
	case '\n':
		return KEY_ENTER;
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return (enum key_action)(KEY_DIGIT0 + (c - '0'));
	default:
		return KEY_NONE;
	}
}

size_t keys_feed(struct keys *k, const unsigned char *buf, size_t n, enum key_action *out,
		 size_t max)
{
	size_t got = 0;

	for (size_t i = 0; i < n && got < max; i++) {
		unsigned char c = buf[i];
		enum key_action a = KEY_NONE;

		if (k->n == 0 && c == 0x1b) {
			k->seq[k->n++] = c;
			continue;
		}
		if (k->n > 0) {
			k->seq[k->n++] = c;
			if (k->n == 2 && c != '[' && c != 'O') {
				/* ESC then a plain key: take the key. */
				k->n = 0;
				a = keys_plain(c);
			} else if (k->n > 2 && c >= 0x40 && c <= 0x7e) {
				/* The final byte of a CSI/SS3 sequence. */
				if (k->n == 3 && c == 'C')
					a = KEY_NEXT;
				else if (k->n == 3 && c == 'D')
					a = KEY_PREVIOUS;
				k->n = 0;
			} else if (k->n == sizeof(k->seq)) {
				k->n = 0;
			}
		} else {
			a = keys_plain(c);
		}
		if (a != KEY_NONE)
			out[got++] = a;
	}
	return got;
}

int keys_raw(int fd, struct termios *saved)
{
	struct termios t;

	if (!isatty(fd) || tcgetattr(fd, saved) < 0)
		return -1;
	t = *saved;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	return tcsetattr(fd, TCSANOW, &t);
}

void keys_restore(int fd, const struct termios *saved)
{
	tcsetattr(fd, TCSANOW, saved);
}

/*
 * vm-button PULL MS [GAP MS]...: the rig's GPIO button, pressed by pulling
 * the simulated line down (PULL: gpio-sim's sim_gpioN/pull in sysfs). One
 * process with nanosleep, so a double press has the gaps it is given: a
 * shell spawning sleep for each takes too long under emulation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int button_pull(const char *path, const char *how)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, how, strlen(how));
	close(fd);
	return n == (ssize_t)strlen(how) ? 0 : -1;
}

static void button_wait(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: vm-button PULL MS [GAP MS]...\n");
		return 2;
	}
	for (int i = 2; i < argc; i += 2) {
		if (button_pull(argv[1], "pull-down") < 0) {
			fprintf(stderr, "vm-button: %s: %s\n", argv[1], strerror(errno));
			return 1;
		}
		button_wait(atol(argv[i]));
		if (button_pull(argv[1], "pull-up") < 0) {
			fprintf(stderr, "vm-button: %s: %s\n", argv[1], strerror(errno));
			return 1;
		}
		if (i + 1 < argc)
			button_wait(atol(argv[i + 1]));
	}
	return 0;
}

/*
 * stampexec: write CLOCK_MONOTONIC nanoseconds to FILE, then become COMMAND.
 * The start of a process, on the clock the JACK capture pairs with frames.
 *
 *   stampexec FILE COMMAND [ARGS...]
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec ts;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: stampexec FILE COMMAND [ARGS...]\n");
		return 2;
	}
	f = fopen(argv[1], "w");
	if (!f)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(f, "%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	fclose(f);
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}

/*
 * keytime: press a key for limber and say when. Writes KEY to the FIFO
 * at PATH and prints the CLOCK_MONOTONIC nanoseconds just before the write,
 * for the key-to-sound latency bench.
 *
 *   keytime PATH KEY
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec ts;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: keytime PATH KEY\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (write(fd, argv[2], strlen(argv[2])) < 0) {
		perror("write");
		return 1;
	}
	printf("%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	close(fd);
	return 0;
}

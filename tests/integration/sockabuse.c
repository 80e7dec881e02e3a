/*
 * sockabuse: what a careless or hostile client can do to the daemon's
 * control socket, done, then a check that the daemon still answers.
 *
 *   sockabuse SOCKET
 *
 * A flood of connections held open; an overlong line of random bytes;
 * binary garbage; a client that sends half a line and goes quiet; clients
 * that send a byte every few seconds and never a whole line. After
 * each, a well-behaved "status" must get its one-line answer. Prints what
 * it saw; exit 0 if every check held.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *sock_path;
static int failures;

static int dial(void)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Read one line within ms; its length, 0 on EOF, -1 on timeout. */
static int read_line(int fd, char *buf, size_t len, int ms)
{
	size_t n = 0;

	while (n < len - 1) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t got;

		if (poll(&p, 1, ms) <= 0)
			return -1;
		got = read(fd, buf + n, 1);
		if (got <= 0)
			break;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	return (int)n;
}

static void check(int ok, const char *what, const char *saw)
{
	printf("%s: %s (%s)\n", ok ? "ok" : "FAIL", what, saw);
	if (!ok)
		failures++;
}

/* A polite client's status must still come back. */
static void still_answers(const char *after)
{
	char line[512], what[128];
	int fd = dial(), n = -1;

	if (fd >= 0) {
		n = (int)write(fd, "status\n", 7);
		n = n == 7 ? read_line(fd, line, sizeof(line), 3000) : -1;
		close(fd);
	}
	snprintf(what, sizeof(what), "status answered after %s", after);
	check(n > 0 && (!strncmp(line, "idle", 4) || !strncmp(line, "playing", 7) ||
			!strncmp(line, "paused", 6)),
	      what, n > 0 ? line : "no answer");
}

int main(int argc, char **argv)
{
	char line[512], saw[128];
	int fds[200], busy = 0, held = 0, fd, n;

	if (argc != 2) {
		fprintf(stderr, "usage: sockabuse SOCKET\n");
		return 2;
	}
	sock_path = argv[1];
	srand((unsigned)time(NULL));

	/* 1. A flood: 200 connections at once, all silent. */
	for (int i = 0; i < 200; i++)
		fds[i] = dial();
	for (int i = 0; i < 200; i++) {
		if (fds[i] < 0)
			continue;
		if (read_line(fds[i], line, sizeof(line), i < 20 ? 300 : 20) >= 0 &&
		    !strncmp(line, "error: busy", 11))
			busy++;
		else
			held++;
	}
	snprintf(saw, sizeof(saw), "%d held, %d turned away", held, busy);
	check(held <= 16 && busy >= 150, "a flood of connections is capped", saw);
	for (int i = 0; i < 200; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	nanosleep(&(struct timespec){ 0, 200 * 1000 * 1000 }, NULL);
	still_answers("the flood");

	/* 2. An overlong line of random bytes, then a good line on the same connection. */
	fd = dial();
	if (fd >= 0) {
		char junk[8192];

		for (size_t i = 0; i < sizeof(junk); i++)
			junk[i] = (char)(rand() % 255 + 1);
		for (size_t i = 0; i < sizeof(junk); i++)
			if (junk[i] == '\n')
				junk[i] = 'x';
		n = (int)write(fd, junk, sizeof(junk));
		n = (int)write(fd, "\nstatus\n", 8);
		n = read_line(fd, line, sizeof(line), 3000);
		check(n > 0 && !strncmp(line, "error: ", 7), "8 KB of random bytes is refused",
		      n > 0 ? line : "no answer");
		n = read_line(fd, line, sizeof(line), 3000);
		check(n > 0 && strncmp(line, "error", 5), "the same client is then answered",
		      n > 0 ? line : "no answer");
		close(fd);
	}

	/* 3. Binary garbage with NULs. */
	fd = dial();
	if (fd >= 0) {
		static const char bin[] = { 0, 1, 2, 's', 't', 'o', 'p', (char)0xff, '\n' };

		n = (int)write(fd, bin, sizeof(bin));
		n = read_line(fd, line, sizeof(line), 3000);
		check(n > 0 && !strncmp(line, "error: ", 7), "binary garbage is refused, not obeyed",
		      n > 0 ? line : "no answer");
		close(fd);
	}
	still_answers("garbage");

	/* 4. Half a line, then silence: others are served meanwhile, and it is dropped. */
	fd = dial();
	if (fd >= 0) {
		struct pollfd p = { fd, POLLIN, 0 };

		n = (int)write(fd, "stat", 4);
		still_answers("a half-open client");
		n = poll(&p, 1, 15000);
		n = n > 0 ? (int)read(fd, line, sizeof(line)) : -1;
		check(n == 0, "a client silent mid-line is dropped", n == 0 ? "closed" : "still open");
		close(fd);
	}

	/* 5. Sixteen slow clients, a byte every two seconds and never a whole line: they
	 *    took every slot for as long as they kept sending. A polite client is served
	 *    meanwhile, and each slow one is dropped when its line is overdue. */
	{
		int slow[16], dropped = 0;

		for (int i = 0; i < 16; i++)
			if ((slow[i] = dial()) >= 0 && send(slow[i], "s", 1, MSG_NOSIGNAL) != 1) {
				close(slow[i]);
				slow[i] = -1;
			}
		for (int t = 0; t < 7; t++) {
			nanosleep(&(struct timespec){ 2, 0 }, NULL);
			if (t == 0)
				still_answers("16 slow clients took every slot");
			for (int i = 0; i < 16; i++) {
				struct pollfd p = { slow[i], POLLIN, 0 };

				if (slow[i] < 0)
					continue;
				if (send(slow[i], "t", 1, MSG_NOSIGNAL) != 1 ||
				    (poll(&p, 1, 0) == 1 && read(slow[i], line, sizeof(line)) <= 0)) {
					close(slow[i]);
					slow[i] = -1;
					dropped++;
				}
			}
		}
		snprintf(saw, sizeof(saw), "%d of 16 dropped after 14 s", dropped);
		check(dropped == 16, "clients that never finish a line are dropped", saw);
		for (int i = 0; i < 16; i++)
			if (slow[i] >= 0)
				close(slow[i]);
		still_answers("the slow clients");
	}
	return failures ? 1 : 0;
}

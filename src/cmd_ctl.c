/*
 * cmd_ctl: `limber ctl REQUEST`, the daemon's remote control: one line
 * out, one line back, printed. Exit 0 for "ok" and status, 1 for an error
 * from the daemon, 2 for a bad request, 3 if no daemon answers.
 */
#include "cmd.h"

#include "ctl.h"
#include "daemon.h"
#include "log.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define CTL_TIMEOUT_MS 5000

static void ctl_usage(FILE *f)
{
	fputs("usage: limber ctl [--socket PATH] start [NAME]|select NAME|pause|resume|toggle|\n"
	      "                  next|previous|repeat|stop|status|press|hold\n"
	      "Tell a running `limber daemon` what to do. status prints the state (idle,\n"
	      "playing, paused, asking, stopping), then the routine, the step and the time\n"
	      "left. press and hold are the main button's short and long press (the spoken\n"
	      "menu); start alone starts the routine the menu is on, select NAME moves it.\n"
	      "  --socket PATH  the daemon's control socket (default: $XDG_RUNTIME_DIR/limber.sock\n"
	      "                 if it is there, else /run/limber/limber.sock)\n",
	      f);
}

int cmd_ctl(int argc, char **argv)
{
	static const struct option opts[] = { { "socket", required_argument, NULL, 's' },
					      { "help", no_argument, NULL, 'h' },
					      { 0, 0, 0, 0 } };
	char path[108], line[CTL_MAX_LINE + 2], reply[1024], err[LIMBER_ERR_LEN];
	struct ctl_request rq;
	struct sockaddr_un sa;
	size_t n = 0;
	int c, fd;

	path[0] = '\0';
	while ((c = getopt_long(argc, argv, "+s:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			snprintf(path, sizeof(path), "%s", optarg);
			break;
		case 'h':
			ctl_usage(stdout);
			return 0;
		default:
			ctl_usage(stderr);
			return 2;
		}
	}
	if (optind == argc || argc - optind > 2) {
		ctl_usage(stderr);
		return 2;
	}
	snprintf(line, sizeof(line), "%s%s%s", argv[optind], optind + 1 < argc ? " " : "",
		 optind + 1 < argc ? argv[optind + 1] : "");
	if (ctl_parse(line, &rq, err) < 0) {   /* checked here too, for a plain message */
		log_err("%s", err + strlen("error: "));
		return 2;
	}
	if (!path[0])
		daemon_socket_path(path, sizeof(path), 1);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		log_err("no daemon on %s: %s%s", path, strerror(errno),
			errno == EACCES ? " (is this user in the daemon's group?)" : "");
		if (fd >= 0)
			close(fd);
		return 3;
	}
	n = strlen(line);
	line[n++] = '\n';   /* line has room: CTL_MAX_LINE + 2, and ctl_parse took it */
	if (write(fd, line, n) != (ssize_t)n) {
		log_err("%s: %s", path, strerror(errno));
		close(fd);
		return 3;
	}
	n = 0;
	/* Until the reply's newline: each read is searched once, and only what it read. */
	for (int answered = 0; !answered && n < sizeof(reply) - 1;) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t got;

		if (poll(&p, 1, CTL_TIMEOUT_MS) <= 0) {
			log_err("the daemon on %s did not answer", path);
			close(fd);
			return 3;
		}
		got = read(fd, reply + n, sizeof(reply) - 1 - n);
		if (got <= 0)
			break;
		answered = memchr(reply + n, '\n', (size_t)got) != NULL;
		n += (size_t)got;
	}
	close(fd);
	reply[n] = '\0';
	reply[strcspn(reply, "\n")] = '\0';
	if (!n) {
		log_err("the daemon on %s closed without answering", path);
		return 3;
	}
	if (!strncmp(reply, "error: ", 7)) {
		log_err("%s", reply + 7);
		return 1;
	}
	puts(reply);
	return 0;
}

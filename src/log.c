/*
 * log: stderr, with the journal's priority prefix when stderr is the journal.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * systemd sets JOURNAL_STREAM to "device:inode" of the stream it connected
 * stdout and stderr to; stderr is the journal only if it is still that one
 * (a child's stderr redirected to a file inherits the variable, not the
 * stream). Found once: stderr does not change under a running program.
 */
static int log_to_journal(void)
{
	static int known = -1;
	const char *js;
	char *end;
	unsigned long long dev, ino;
	struct stat st;

	if (known >= 0)
		return known;
	known = 0;
	js = getenv("JOURNAL_STREAM");
	if (!js || fstat(2, &st) < 0)
		return known;
	dev = strtoull(js, &end, 10);
	if (end == js || *end != ':')
		return known;
	js = end + 1;
	ino = strtoull(js, &end, 10);
	if (end != js && *end == '\0' && (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino)
		known = 1;
	return known;
}

void log_line(int priority, const char *line)
{
	if (log_to_journal())
		fprintf(stderr, "<%d>%s\n", priority & 7, line);
	else
		fprintf(stderr, "%s\n", line);
}

void log_msg(int priority, const char *fmt, ...)
{
	static const char prefix[] = "limber: ";
	char line[1024];
	va_list ap;

	snprintf(line, sizeof(line), "%s", prefix);
	va_start(ap, fmt);
	vsnprintf(line + sizeof(prefix) - 1, sizeof(line) - sizeof(prefix) + 1, fmt, ap);
	va_end(ap);
	log_line(priority, line);
}

/*
 * log: one line to stderr, "limber: what happened", with its priority.
 *
 * Under systemd, stderr is the journal's stream: each line then starts with
 * "<N>" (sd-daemon(3)), so `journalctl -p warning -u limber` shows what
 * matters and not every step. In a terminal the prefix is left off. The
 * priorities are syslog's: LOG_ERR (it failed), LOG_WARNING (it goes on,
 * without something), LOG_NOTICE (a change the owner may want to know of)
 * and LOG_INFO (what it is doing).
 */
#ifndef LIMBER_LOG_H
#define LIMBER_LOG_H

#include <syslog.h>

/* One message, without the "limber: " and without a newline. */
void log_msg(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A line the caller already has whole (a child's, say), passed on with a priority. */
void log_line(int priority, const char *line);

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)

#endif

/* Logging for Seam's programs: one line per event on stderr, with the program's and the guest's
 * name, and a level. Quiet by default (warnings and errors); -v adds info, -v -v debug. Never log
 * clipboard contents or pixels. */
#ifndef SEAM_LOG_H
#define SEAM_LOG_H

#include <stdbool.h>
#include <stdint.h>

enum log_level {
	LOG_ERROR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

/* prog: "seam-gui-daemon"; guest: the guest's name or NULL. The strings must outlive logging. */
void log_init(const char *prog, const char *guest, enum log_level level);
/* The level for a count of -v options: warnings and errors, then info, then debug. */
enum log_level log_level_for_verbosity(int verbose);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A rate limit for lines a peer can cause again and again (a hostile guest's refused messages):
 * at most LOG_LIMIT_BURST lines per LOG_LIMIT_PERIOD_MS, then one line saying how many were left
 * out, at the first line after the period. One zeroed struct per source of such lines, kept in
 * the object that owns that source (so one hostile window does not silence another). */
#define LOG_LIMIT_BURST	    10u
#define LOG_LIMIT_PERIOD_MS 10000
struct log_limit {
	int64_t period_start_ms;
	unsigned printed, left_out;
	bool started;
};
/* The decision alone (for tests): true to print at now_ms; *left_out gets how many lines were
 * left out in the period that just ended (0 if none, or if the period goes on). */
bool log_limit_allow(struct log_limit *l, int64_t now_ms, unsigned *left_out);
void log_limited(struct log_limit *l, enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif

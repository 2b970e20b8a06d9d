/* Logging for Seam's programs: one line per event on stderr, with the program's and the guest's
 * name, and a level. Quiet by default (warnings and errors); -v adds info, -v -v debug. Never log
 * clipboard contents or pixels. */
#ifndef SEAM_LOG_H
#define SEAM_LOG_H

enum log_level {
	LOG_ERROR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

/* prog: "seam-gui-daemon"; guest: the guest's name or NULL. The strings must outlive logging. */
void log_init(const char *prog, const char *guest, enum log_level level);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif

/* Log lines on stderr: "prog[guest]: level: text". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/log.h"

static const char *log_prog = "seam";
static const char *log_guest;
static enum log_level log_level = LOG_WARN;

void log_init(const char *prog, const char *guest, enum log_level level)
{
	log_prog = prog;
	log_guest = guest;
	log_level = level;
}

void log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level log_get_level(void)
{
	return log_level;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const names[] = {"error", "warning", "info", "debug"};
	if (level > log_level)
		return;
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* Under systemd, stderr goes to the journal: a "<N>" prefix gives each line its priority
	 * (err, warning, info, debug). */
	static const char *const prio[] = {"<3>", "<4>", "<6>", "<7>"};
	const char *p = getenv("JOURNAL_STREAM") ? prio[level] : "";
	/* One fprintf per line, so lines of concurrent processes do not interleave mid-line. */
	if (log_guest)
		fprintf(stderr, "%s%s[%s]: %s: %s\n", p, log_prog, log_guest, names[level], line);
	else
		fprintf(stderr, "%s%s: %s: %s\n", p, log_prog, names[level], line);
}

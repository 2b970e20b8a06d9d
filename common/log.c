/* Log lines on stderr: "prog[guest]: level: text". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/log.h"
#include "common/mono.h"

static const char *log_prog = "seam";
static const char *log_guest;
static enum log_level log_level = LOG_WARN;

void log_init(const char *prog, const char *guest, enum log_level level)
{
	log_prog = prog;
	log_guest = guest;
	log_level = level;
}

enum log_level log_level_for_verbosity(int verbose)
{
	return verbose >= 2 ? LOG_DEBUG : verbose == 1 ? LOG_INFO : LOG_WARN;
}

__attribute__((format(printf, 2, 0))) static void log_line(enum log_level level, const char *fmt,
							   va_list ap)
{
	static const char *const names[] = {"error", "warning", "info", "debug"};
	char line[1024];
	vsnprintf(line, sizeof(line), fmt, ap);
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

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level > log_level)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_line(level, fmt, ap);
	va_end(ap);
}

bool log_limit_allow(struct log_limit *l, int64_t now_ms, unsigned *left_out)
{
	*left_out = 0;
	if (!l->started || now_ms - l->period_start_ms >= LOG_LIMIT_PERIOD_MS) {
		*left_out = l->left_out;
		*l = (struct log_limit){.period_start_ms = now_ms, .started = true};
	}
	if (l->printed < LOG_LIMIT_BURST) {
		l->printed++;
		return true;
	}
	l->left_out++;
	return false;
}

void log_limited(struct log_limit *l, enum log_level level, const char *fmt, ...)
{
	if (level > log_level)
		return;
	unsigned left_out;
	bool print = log_limit_allow(l, mono_ms(), &left_out);
	if (left_out)
		log_msg(level,
			"(%u more lines like the next one were left out, at most %u per %d s)",
			left_out, LOG_LIMIT_BURST, LOG_LIMIT_PERIOD_MS / 1000);
	if (!print)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_line(level, fmt, ap);
	va_end(ap);
}

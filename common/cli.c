/* Command-line errors (common/cli.h). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "common/cli.h"

__attribute__((format(printf, 3, 0))) static int say(const char *prog, bool hint, const char *fmt,
						     va_list ap)
{
	char what[512];
	vsnprintf(what, sizeof(what), fmt, ap);
	if (hint)
		fprintf(stderr, "%s: %s (see %s -h)\n", prog, what, prog);
	else
		fprintf(stderr, "%s: %s\n", prog, what);
	return CLI_USAGE_STATUS;
}

int cli_usage_error(const char *prog, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = say(prog, true, fmt, ap);
	va_end(ap);
	return rc;
}

int cli_error(const char *prog, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = say(prog, false, fmt, ap);
	va_end(ap);
	return rc;
}

/* Command-line errors, said the same way by every program: one line on stderr naming the program
 * and pointing at -h, and exit status 2. */
#ifndef SEAM_CLI_H
#define SEAM_CLI_H

/* The exit status of a usage error. */
#define CLI_USAGE_STATUS 2

/* Print "PROG: MESSAGE (see PROG -h)" and return CLI_USAGE_STATUS. */
int cli_usage_error(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "PROG: MESSAGE" (an error that is not a misuse of the options, e.g. a bad file) and
 * return CLI_USAGE_STATUS. */
int cli_error(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

/* Configuration files for Seam's programs: lines of "key = value", '#' comments, blank lines; a
 * value in double quotes keeps the spaces at its ends (and, with CONFIG_TRAILING_COMMENTS, a '#').
 * Errors name the file, the line and the key: "FILE:LINE: key 'k': reason". */
#ifndef SEAM_CONFIG_H
#define SEAM_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest line the parser accepts (longer is an error, never truncated): a key and a path of
 * PATH_MAX bytes fit. */
#define CONFIG_LINE_MAX (PATH_MAX + 64u)

/* How a file is read (flags, or'ed). */
/* A missing file is not an error: the parse yields 0 and calls no callback. */
#define CONFIG_MISSING_OK 1u
/* A '#' outside double quotes starts a comment anywhere on a line, not only at its start, as
 * seam-run's domain files have always allowed ("net = yes  # for updates"). */
#define CONFIG_TRAILING_COMMENTS 2u

/* Called once per "key = value" line (key and value trimmed). Return 0, or a negative value (-1 or
 * -errno) after writing the reason (without file, line or key) into why (why_len bytes). */
typedef int (*config_fn)(void *ctx, const char *key, const char *value, char *why, size_t why_len);

/* Parse a file. Returns 0; -1 with err holding "FILE:LINE: ..." on a syntax error, a callback's
 * refusal, or an unreadable file. */
int config_parse_file(const char *path, unsigned flags, config_fn fn, void *ctx, char *err,
		      size_t err_len);

/* Parse text already in memory (name stands for the file in messages; CONFIG_MISSING_OK does not
 * apply). */
int config_parse_text(const char *name, const char *text, unsigned flags, config_fn fn, void *ctx,
		      char *err, size_t err_len);

/* Helpers for callbacks: 0, or -1 with why filled. */
int config_uint(const char *value, uint64_t min, uint64_t max, uint64_t *out, char *why,
		size_t why_len);
int config_bool(const char *value, bool *out, char *why, size_t why_len);

#endif

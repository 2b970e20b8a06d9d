/* Configuration files for Seam's programs: lines of "key = value", '#' comments, blank lines.
 * Errors name the file, the line and the key: "FILE:LINE: key 'k': reason". */
#ifndef SEAM_CONFIG_H
#define SEAM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest line, key and value the parser accepts (longer is an error, never truncated). */
#define CONFIG_LINE_MAX 1024u

/* Called once per "key = value" line (key and value trimmed). Return 0, or -1 after writing the
 * reason (without file, line or key) into why (why_len bytes). */
typedef int (*config_fn)(void *ctx, const char *key, const char *value, char *why, size_t why_len);

/* Parse a file. Returns 0; -1 with err holding "FILE:LINE: ..." on a syntax error, a callback's
 * refusal, or an unreadable file (missing_ok: a missing file is not an error and yields 0). */
int config_parse_file(const char *path, bool missing_ok, config_fn fn, void *ctx, char *err,
		      size_t err_len);

/* Parse text already in memory (name stands for the file in messages). */
int config_parse_text(const char *name, const char *text, config_fn fn, void *ctx, char *err,
		      size_t err_len);

/* Helpers for callbacks: 0, or -1 with why filled. */
int config_uint(const char *value, uint64_t min, uint64_t max, uint64_t *out, char *why,
		size_t why_len);
int config_bool(const char *value, bool *out, char *why, size_t why_len);

#endif

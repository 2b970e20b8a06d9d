/* The configuration file parser: "key = value" lines, '#' comments, strict errors. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"

/* A whole configuration file is small; anything larger is not one. */
#define CONFIG_FILE_MAX (64u << 10)

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static bool valid_key(const char *k)
{
	if (!*k)
		return false;
	for (; *k; k++)
		if (!(islower((unsigned char)*k) || isdigit((unsigned char)*k) || *k == '_' ||
		      *k == '-'))
			return false;
	return true;
}

/* Ends the line at a '#' that is not inside double quotes. */
static void cut_trailing_comment(char *s)
{
	bool quoted = false;
	for (; *s; s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (*s == '#' && !quoted) {
			*s = '\0';
			return;
		}
	}
}

int config_parse_text(const char *name, const char *text, unsigned flags, config_fn fn, void *ctx,
		      char *err, size_t err_len)
{
	char line[CONFIG_LINE_MAX + 2];
	unsigned lineno = 0;
	const char *p = text;
	while (*p) {
		lineno++;
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n > CONFIG_LINE_MAX) {
			snprintf(err, err_len, "%s:%u: the line is longer than %u bytes", name,
				 lineno, CONFIG_LINE_MAX);
			return -1;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (nl ? 1 : 0);
		if (flags & CONFIG_TRAILING_COMMENTS)
			cut_trailing_comment(line);
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, err_len, "%s:%u: expected 'key = value', got '%.60s'", name,
				 lineno, s);
			return -1;
		}
		*eq = '\0';
		char *key = trim(s), *value = trim(eq + 1);
		if (!valid_key(key)) {
			snprintf(err, err_len,
				 "%s:%u: '%.60s' is not a key (lower-case letters, "
				 "digits, _ and -)",
				 name, lineno, key);
			return -1;
		}
		/* A value may be quoted to keep spaces at its ends or a '#'. */
		size_t vl = strlen(value);
		if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
			value[vl - 1] = '\0';
			value++;
		}
		char why[256] = "";
		if (fn(ctx, key, value, why, sizeof(why))) {
			snprintf(err, err_len, "%s:%u: key '%s': %s", name, lineno, key,
				 why[0] ? why : "not accepted");
			return -1;
		}
	}
	return 0;
}

int config_parse_file(const char *path, unsigned flags, config_fn fn, void *ctx, char *err,
		      size_t err_len)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		if ((flags & CONFIG_MISSING_OK) && errno == ENOENT)
			return 0;
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *text = malloc(CONFIG_FILE_MAX + 1);
	size_t n = text ? fread(text, 1, CONFIG_FILE_MAX + 1, f) : 0;
	bool bad = ferror(f) || !text;
	fclose(f);
	if (bad || n > CONFIG_FILE_MAX) {
		snprintf(err, err_len, "%s: %s", path,
			 bad ? "cannot be read" : "larger than 64 KiB: not a configuration file");
		free(text);
		return -1;
	}
	text[n] = '\0';
	if (strlen(text) != n) {
		snprintf(err, err_len, "%s: contains a NUL byte: not a configuration file", path);
		free(text);
		return -1;
	}
	int rc = config_parse_text(path, text, flags, fn, ctx, err, err_len);
	free(text);
	return rc;
}

int config_uint(const char *value, uint64_t min, uint64_t max, uint64_t *out, char *why,
		size_t why_len)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(value, &end, 10);
	if (!*value || *end || errno || value[0] == '-' || v < min || v > max) {
		snprintf(why, why_len, "'%s' is not a number from %llu to %llu", value,
			 (unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

int config_bool(const char *value, bool *out, char *why, size_t why_len)
{
	if (!strcmp(value, "yes") || !strcmp(value, "true") || !strcmp(value, "1")) {
		*out = true;
		return 0;
	}
	if (!strcmp(value, "no") || !strcmp(value, "false") || !strcmp(value, "0")) {
		*out = false;
		return 0;
	}
	snprintf(why, why_len, "'%s' is not yes or no", value);
	return -1;
}

/* The shared clipboard file's format (gui-daemon/clipboard.h): written by one daemon, read by
 * another, so parsed as strictly as anything a guest sends. No I/O here: the fuzzer runs it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "gui-daemon/clipboard.h"

int clipboard_file_header(const char *source, size_t text_len, char *out, size_t cap)
{
	int n =
	    snprintf(out, cap, CLIPBOARD_FILE_MAGIC "source %s\nsize %zu\n\n", source, text_len);
	return n < 0 || (size_t)n >= cap ? -ENOSPC : n;
}

/* The header: CLIPBOARD_FILE_MAGIC, "source NAME\n", "size N\n", "\n". Returns the offset of the
 * text, or 0 if the header is not exactly that. */
static size_t parse_header(const char *p, size_t avail, char name[DOMAIN_NAME_MAX + 1], size_t *size)
{
	size_t m = strlen(CLIPBOARD_FILE_MAGIC), i = m + 7, n = 0;
	if (avail < i || memcmp(p, CLIPBOARD_FILE_MAGIC, m) || memcmp(p + m, "source ", 7))
		return 0;
	while (i < avail && p[i] != '\n' && n < DOMAIN_NAME_MAX)
		name[n++] = p[i++];
	name[n] = '\0';
	if (memchr(name, '\0', n))
		return 0; /* a NUL would hide the rest of the name from the check below */
	if (i >= avail || p[i] != '\n' || !domain_name_valid(name))
		return 0;
	i++;
	if (avail < i + 5 || memcmp(p + i, "size ", 5))
		return 0;
	i += 5;
	/* Nine digits at most (far past any limit, and no overflow), and no leading zero: the
	 * number as a daemon writes it. */
	size_t v = 0, digits = 0, first = i;
	for (; i < avail && p[i] >= '0' && p[i] <= '9' && digits < 9; i++, digits++)
		v = v * 10 + (size_t)(p[i] - '0');
	if (!digits || (digits > 1 && p[first] == '0') || avail < i + 2 || p[i] != '\n' ||
	    p[i + 1] != '\n')
		return 0;
	*size = v;
	return i + 2;
}

int clipboard_file_parse(uint8_t *buf, size_t len, uint32_t limit, char source[DOMAIN_NAME_MAX + 1],
			 size_t *text_off, size_t *text_len)
{
	size_t size = 0;
	size_t off = parse_header((const char *)buf, len, source, &size);
	/* Never trusted: the header must be exactly what a daemon writes, the text must be clean.
	 */
	if (!off || size > limit || off + size != len ||
	    proto_clipboard_sanitize(buf + off, size, buf + off) != (long)size)
		return -EINVAL;
	*text_off = off;
	*text_len = size;
	return 0;
}

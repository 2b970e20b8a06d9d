/* libFuzzer target: guest text as the host shows or stores it: window-decor's sanitizing of titles
 * and classes, and the clipboard text check (protocol/clipboard.c).
 *
 * Input: one byte that picks a small output capacity, then the guest's title (or class, or
 * clipboard) bytes. Invariants checked: a title is well-formed UTF-8 (by a decoder written apart
 * from protocol/utf8.c's), holds no control or bidi code point, no zero-width or other invisible
 * one, no blank but the ASCII space, never two spaces in a row nor one at either end, and no
 * bracket that draws like '[' or ']' but ASCII's; it fits DECOR_TITLE_MAX and cap - 1,
 * is NUL-terminated at the returned length, is unchanged by a second pass, and a smaller cap gives
 * a prefix of it; the formatted title and class start with the host's prefix; a class is printable
 * ASCII, at most 63 bytes of it; cap 0 writes nothing. Clipboard text is refused exactly when it is
 * not well-formed UTF-8; otherwise the result is no longer, well-formed, free of controls other
 * than tab and newline, and unchanged by a second pass.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/proto.h"
#include "window-decor/decor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char name[] = "abcdefghijklmnopqrstuvwxyz01234"; /* the longest valid name */
#define NAME_LEN (sizeof(name) - 1)

/* What check_utf8 refuses besides ill-formed UTF-8. */
enum {
	ALLOW_ALL = 0,
	NO_CONTROLS = 1,    /* C0 (but tab and newline), DEL, C1 */
	NO_TAB_NEWLINE = 2, /* tab and newline too */
	NO_BIDI = 4,
	NO_DISGUISE = 8, /* invisible code points, blanks but ' ', look-alikes of '[' and ']' */
};

/* What a title must not hold for a guest to hide text, pad it, or imitate the host's "[NAME]"; a
 * list of its own, written apart from decor.c's table. */
static bool disguises(uint32_t cp)
{
	static const uint32_t one[] = {0x00a0, 0x00ad, 0x034f, 0x1680, 0x180e, 0x2028,
				       0x2029, 0x202f, 0x205f, 0x2800, 0x3000, 0x3164,
				       0xfeff, 0xffa0, 0xff3b, 0xff3d, 0x27e6, 0x27e7,
				       0x2045, 0x2046, 0xfe5d, 0xfe5e, 0xff62, 0xff63};
	for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++)
		if (cp == one[i])
			return true;
	return (cp >= 0x2000 && cp <= 0x200d) || (cp >= 0x2060 && cp <= 0x2064) ||
	       (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0000 && cp <= 0xe0fff) ||
	       (cp >= 0x3010 && cp <= 0x3011) || (cp >= 0x3014 && cp <= 0x301b) ||
	       (cp >= 0x300c && cp <= 0x300f) || (cp >= 0x2308 && cp <= 0x230b);
}

/* Decodes by the bit patterns, then rejects what is not the shortest form, surrogates and code
 * points past U+10FFFF; a different method from utf8.c's lead-byte ranges, on purpose. */
static bool check_utf8(const unsigned char *s, size_t len, unsigned refuse)
{
	for (size_t i = 0; i < len;) {
		unsigned char b = s[i];
		size_t n;
		uint32_t cp, min;

		if (b < 0x80) {
			n = 1, cp = b, min = 0;
		} else if ((b & 0xe0) == 0xc0) {
			n = 2, cp = b & 0x1f, min = 0x80;
		} else if ((b & 0xf0) == 0xe0) {
			n = 3, cp = b & 0x0f, min = 0x800;
		} else if ((b & 0xf8) == 0xf0) {
			n = 4, cp = b & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (n > len - i)
			return false;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		bool tab_nl = cp == '\t' || cp == '\n';
		if ((refuse & NO_CONTROLS) && (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) &&
		    (!tab_nl || (refuse & NO_TAB_NEWLINE)))
			return false;
		if ((refuse & NO_BIDI) &&
		    ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
		     cp == 0x200e || cp == 0x200f || cp == 0x061c))
			return false;
		if ((refuse & NO_DISGUISE) && disguises(cp))
			return false;
		i += n;
	}
	return true;
}

static void check_title(const char *out, size_t n, size_t cap)
{
	if (n > DECOR_TITLE_MAX || n > cap - 1 || out[n] != '\0' || strlen(out) != n)
		abort();
	if (!check_utf8((const unsigned char *)out, n,
			NO_CONTROLS | NO_TAB_NEWLINE | NO_BIDI | NO_DISGUISE))
		abort();
	if (n && (out[0] == ' ' || out[n - 1] == ' ' || strstr(out, "  ")))
		abort();
}

static void check_clipboard(const uint8_t *in, size_t len)
{
	uint8_t *out = malloc(len ? len : 1), *again = malloc(len ? len : 1);
	if (!out || !again)
		abort();
	long n = proto_clipboard_sanitize(in, len, out);
	if (n < 0) {
		if (check_utf8(in, len, ALLOW_ALL))
			abort();
	} else {
		if ((size_t)n > len || !check_utf8(out, (size_t)n, NO_CONTROLS))
			abort();
		if (proto_clipboard_sanitize(out, (size_t)n, again) != n ||
		    memcmp(out, again, (size_t)n) != 0)
			abort();
	}
	free(out);
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char full[DECOR_TITLE_MAX + 1], small[DECOR_TITLE_MAX + 1], again[DECOR_TITLE_MAX + 1];
	char title[DECOR_FULL_TITLE_SIZE], cls[DECOR_FULL_CLASS_SIZE];

	if (size < 1)
		return 0;
	size_t cap = 1 + data[0] % sizeof(small);
	const char *in = (const char *)data + 1;
	size_t len = size - 1;

	size_t n = decor_sanitize_title(in, len, full, sizeof(full));
	check_title(full, n, sizeof(full));
	if (decor_sanitize_title(full, n, again, sizeof(again)) != n || memcmp(full, again, n) != 0)
		abort();

	size_t m = decor_sanitize_title(in, len, small, cap);
	check_title(small, m, cap);
	if (m > n || memcmp(small, full, m) != 0)
		abort();

	small[0] = 'Z';
	if (decor_sanitize_title(in, len, small, 0) != 0 || small[0] != 'Z')
		abort();

	size_t t = decor_format_title(name, in, len, title, sizeof(title));
	if (t != 3 + NAME_LEN + n || title[t] != '\0' || title[0] != '[' ||
	    memcmp(title + 1, name, NAME_LEN) != 0 || memcmp(title + 1 + NAME_LEN, "] ", 2) != 0 ||
	    memcmp(title + 3 + NAME_LEN, full, n) != 0)
		abort();

	size_t c = decor_format_class(name, in, len, cls, sizeof(cls));
	if (c > NAME_LEN + 1 + 63 || cls[c] != '\0' || memcmp(cls, name, NAME_LEN) != 0 ||
	    cls[NAME_LEN] != ':')
		abort();
	for (size_t i = NAME_LEN + 1; i < c; i++)
		if (cls[i] < 0x20 || cls[i] > 0x7e)
			abort();
	size_t cc = decor_format_class(name, in, len, small, cap);
	if (cc > cap - 1 || small[cc] != '\0' || memcmp(small, cls, cc) != 0)
		abort();

	check_clipboard(data + 1, len);
	return 0;
}

/* The pure part of window-decor: label colors, domain names, and the sanitizing of guest titles and
 * classes into the trusted "[NAME] title" / "NAME:class" forms. No X, no I/O. */
#include <string.h>

#include "window-decor/decor.h"

/* Qubes' label palette; the position in the table plus one is the label index (_QUBES_LABEL). */
static const struct {
	const char *name;
	uint32_t rgb;
} palette[] = {
    {"red", 0xcc0000},	{"orange", 0xf57900}, {"yellow", 0xedd400}, {"green", 0x73d216},
    {"gray", 0x555753}, {"blue", 0x3465a4},   {"purple", 0x75507b}, {"black", 0x000000},
};

#define PALETTE_LEN (sizeof(palette) / sizeof(palette[0]))

/* The replacement character U+FFFD, in UTF-8. */
#define REPLACEMENT "\xef\xbf\xbd"

/* Longest guest class kept, as the protocol carries it (64 bytes with the NUL). */
#define CLASS_MAX 63u

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* "0x"/"0X" and exactly six hex digits; strtoul is avoided because it takes signs, spaces and
 * shorter forms. */
static int parse_hex_label(const char *s, struct decor_label *out)
{
	static const char digits[] = "0123456789abcdef";
	uint32_t rgb = 0;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -1;
	for (int i = 0; i < 6; i++) {
		int d = hex_digit(s[2 + i]);
		if (d < 0)
			return -1;
		rgb = rgb << 4 | (uint32_t)d;
	}
	if (s[8] != '\0')
		return -1;
	out->rgb = rgb;
	out->index = 0;
	out->name[0] = '0';
	out->name[1] = 'x';
	for (int i = 0; i < 6; i++)
		out->name[2 + i] = digits[rgb >> (20 - 4 * i) & 0xf];
	out->name[8] = '\0';
	return 0;
}

int decor_label_parse(const char *s, struct decor_label *out)
{
	if (!s)
		return -1;
	for (size_t i = 0; i < PALETTE_LEN; i++) {
		if (strcmp(s, palette[i].name) == 0) {
			out->rgb = palette[i].rgb;
			out->index = (int)i + 1;
			strcpy(out->name, palette[i].name);
			return 0;
		}
	}
	return parse_hex_label(s, out);
}

static bool is_ascii_letter(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

bool decor_name_valid(const char *name)
{
	if (!name || !(is_ascii_letter(name[0]) || (name[0] >= '0' && name[0] <= '9')))
		return false;
	size_t len = strnlen(name, DECOR_NAME_MAX + 1);
	if (len > DECOR_NAME_MAX)
		return false;
	for (size_t i = 1; i < len; i++) {
		char ch = name[i];
		if (!is_ascii_letter(ch) && !(ch >= '0' && ch <= '9') && ch != '_' && ch != '.' &&
		    ch != '-')
			return false;
	}
	return true;
}

/* Decodes one character of in[0..len) (len >= 1, in[0] != 0) following RFC 3629's table of
 * well-formed sequences, where the second byte's range depends on the lead byte; that is what
 * excludes overlongs (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points past
 * U+10FFFF (F4 90..BF, F5..FF). Returns the bytes consumed; *cp is the code point, or -1 when those
 * bytes are an ill-formed sequence. An ill-formed sequence is its maximal subpart (Unicode's
 * "substitution of maximal subparts", the W3C/WHATWG practice): the longest prefix of a well-formed
 * sequence, or one byte, so the byte that broke a sequence starts the next decode. */
static size_t utf8_decode(const unsigned char *in, size_t len, int32_t *cp)
{
	unsigned char b0 = in[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need;
	int32_t v;

	if (b0 < 0x80) {
		*cp = b0;
		return 1;
	}
	if (b0 >= 0xc2 && b0 <= 0xdf) {
		need = 2;
		v = b0 & 0x1f;
	} else if (b0 >= 0xe0 && b0 <= 0xef) {
		need = 3;
		v = b0 & 0x0f;
		if (b0 == 0xe0)
			lo = 0xa0;
		else if (b0 == 0xed)
			hi = 0x9f;
	} else if (b0 >= 0xf0 && b0 <= 0xf4) {
		need = 4;
		v = b0 & 0x07;
		if (b0 == 0xf0)
			lo = 0x90;
		else if (b0 == 0xf4)
			hi = 0x8f;
	} else {
		*cp = -1;
		return 1;
	}
	for (size_t i = 1; i < need; i++) {
		if (i >= len || in[i] < lo || in[i] > hi) {
			*cp = -1;
			return i;
		}
		v = v << 6 | (in[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return need;
}

/* Bidi embeddings, overrides, isolates and marks: a guest could use them to make its title read
 * as something else, or to visually reorder the host's "[NAME]" prefix. */
static bool is_removed(int32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
	       cp == 0x200f || cp == 0x061c;
}

static bool is_control(int32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

size_t decor_sanitize_title(const char *in, size_t in_len, char *out, size_t cap)
{
	const unsigned char *src = (const unsigned char *)in;
	size_t limit, n = 0;

	if (cap == 0)
		return 0;
	limit = cap - 1 < DECOR_TITLE_MAX ? cap - 1 : DECOR_TITLE_MAX;
	if (!in)
		in_len = 0;
	for (size_t pos = 0; pos < in_len && src[pos] != '\0';) {
		int32_t cp;
		size_t used = utf8_decode(src + pos, in_len - pos, &cp);
		const char *put = (const char *)src + pos;
		size_t put_len = used;

		pos += used;
		if (cp < 0) {
			put = REPLACEMENT;
			put_len = sizeof(REPLACEMENT) - 1;
		} else if (is_removed(cp)) {
			continue;
		} else if (is_control(cp)) {
			put = " ";
			put_len = 1;
		}
		/* Stop rather than skip: a later, shorter character would make a title that the
		 * guest never sent. */
		if (put_len > limit - n)
			break;
		memcpy(out + n, put, put_len);
		n += put_len;
	}
	out[n] = '\0';
	return n;
}

long decor_sanitize_clipboard(const uint8_t *in, size_t len, uint8_t *out)
{
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		int32_t cp;
		size_t n = utf8_decode(in + i, len - i, &cp);
		if (cp < 0)
			return -1; /* not text: refused whole, never repaired behind the user's back */
		if (!is_control(cp) || cp == '\t' || cp == '\n') {
			memmove(out + o, in + i, n);
			o += n;
		}
		i += n;
	}
	return (long)o;
}

size_t decor_format_title(const char *name, const char *guest_title, size_t title_len, char *out,
			  size_t cap)
{
	size_t n = 0;

	if (cap == 0)
		return 0;
	/* A cap too small for the prefix cuts it; the name is ASCII, so the cut is never inside a
	 * character. */
	const char *parts[] = {"[", name, "] "};
	for (size_t i = 0; i < 3; i++) {
		size_t len = strlen(parts[i]);
		if (len > cap - 1 - n) {
			memcpy(out + n, parts[i], cap - 1 - n);
			n = cap - 1;
			out[n] = '\0';
			return n;
		}
		memcpy(out + n, parts[i], len);
		n += len;
	}
	return n + decor_sanitize_title(guest_title, title_len, out + n, cap - n);
}

size_t decor_format_class(const char *name, const char *guest_class, size_t class_len, char *out,
			  size_t cap)
{
	size_t n = 0;

	if (cap == 0)
		return 0;
	size_t name_len = strlen(name);
	if (name_len > cap - 1)
		name_len = cap - 1;
	memcpy(out, name, name_len);
	n = name_len;
	if (n < cap - 1)
		out[n++] = ':';
	if (!guest_class)
		class_len = 0;
	for (size_t i = 0; i < class_len && i < CLASS_MAX && n < cap - 1; i++) {
		unsigned char ch = (unsigned char)guest_class[i];
		if (ch == '\0')
			break;
		out[n++] = ch >= 0x20 && ch <= 0x7e ? (char)ch : '_';
	}
	out[n] = '\0';
	return n;
}

/*
 * HLS tint in integer arithmetic. With channels in 0..255, let for any color
 *   sum = max + min (0..510, lightness L = sum / 510),
 *   w   = 255 - |sum - 255| (255 * (1 - |2L - 1|), the largest chroma that lightness allows).
 * In HLS every channel is m1 + (m2 - m1) * f(hue) with m1 = min, m2 = max and m2 - m1 = S * w; so
 * the label's own channels give f(hue) = (c - min) / (max - min), and hls_to_rgb(H_label, L_pixel,
 * S_label) works out to
 *   out_c = (sum_p + w_p * (2 * c_label - sum_label) / w_label) / 2,
 * rounded half up here. A label with w = 0 (black, white) or max = min (gray) has no saturation,
 * and the pixel becomes the gray of its own lightness. The result is exactly colorsys's
 * hls_to_rgb(rgb_to_hls(label).h, rgb_to_hls(pixel).l, rgb_to_hls(label).s), rounded, with no
 * floating point: white stays white, black stays black, and the label tints itself to itself.
 */
uint32_t decor_tint_pixel(uint32_t argb, uint32_t label_rgb)
{
	int p[3] = {(int)(argb >> 16 & 0xff), (int)(argb >> 8 & 0xff), (int)(argb & 0xff)};
	int l[3] = {(int)(label_rgb >> 16 & 0xff), (int)(label_rgb >> 8 & 0xff),
		    (int)(label_rgb & 0xff)};
	int pmax = p[0], pmin = p[0], lmax = l[0], lmin = l[0];
	uint32_t res = argb & 0xff000000u;

	for (int i = 1; i < 3; i++) {
		pmax = p[i] > pmax ? p[i] : pmax;
		pmin = p[i] < pmin ? p[i] : pmin;
		lmax = l[i] > lmax ? l[i] : lmax;
		lmin = l[i] < lmin ? l[i] : lmin;
	}
	int sum_p = pmax + pmin, sum_l = lmax + lmin;
	int w_p = 255 - (sum_p > 255 ? sum_p - 255 : 255 - sum_p);
	int w_l = 255 - (sum_l > 255 ? sum_l - 255 : 255 - sum_l);

	/* The numerator is never negative: |2 * l[i] - sum_l| <= lmax - lmin <= w_l and w_p <=
	 * sum_p. */
	for (int i = 0; i < 3; i++) {
		int c;
		if (w_l == 0)
			c = (sum_p + 1) / 2;
		else
			c = (sum_p * w_l + w_p * (2 * l[i] - sum_l) + w_l) / (2 * w_l);
		res |= (uint32_t)c << (16 - 8 * i);
	}
	return res;
}

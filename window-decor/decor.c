/* The pure part of window-decor: the sanitizing of guest titles and classes into the trusted
 * "[NAME] title" / "NAME:class" forms, and icon tinting. No X, no I/O. */
#include <string.h>

#include "protocol/proto.h"
#include "window-decor/decor.h"

/* The replacement character U+FFFD, in UTF-8. */
#define REPLACEMENT "\xef\xbf\xbd"

/* Longest guest class kept, as the protocol carries it (64 bytes with the NUL). */
#define CLASS_MAX 63u

/* Bidi embeddings, overrides, isolates and marks: a guest could use them to make its title read
 * as something else, or to visually reorder the host's "[NAME]" prefix. */
static bool is_removed(int32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
	       cp == 0x200f || cp == 0x061c;
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
		size_t used = proto_utf8_decode(src + pos, in_len - pos, &cp);
		const char *put = (const char *)src + pos;
		size_t put_len = used;

		pos += used;
		if (cp < 0) {
			put = REPLACEMENT;
			put_len = sizeof(REPLACEMENT) - 1;
		} else if (is_removed(cp)) {
			continue;
		} else if (proto_utf8_is_control(cp)) {
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

/* The pure part of window-decor: the sanitizing of guest titles and classes into the trusted
 * "[NAME] title" / "NAME:class" forms, and icon tinting. No X, no I/O. */
#include <stdbool.h>
#include <string.h>

#include "protocol/proto.h"
#include "window-decor/decor.h"

/* The replacement character U+FFFD, in UTF-8. */
#define REPLACEMENT "\xef\xbf\xbd"

/* Longest guest class kept, as the protocol carries it (64 bytes with the NUL). */
#define CLASS_MAX 63u

/* What becomes of a guest code point in a title. */
enum title_class {
	KEEP,
	DROP,  /* invisible: nothing shows where it was */
	SPACE, /* blank: a run of them (and of DROPs between them) becomes one space */
	OPEN,  /* a look-alike of '[': becomes '(' */
	CLOSE, /* a look-alike of ']': becomes ')' */
};

struct cp_range {
	int32_t first, last;
	enum title_class cls;
};

/* Sorted by code point. DROP: Unicode's default-ignorable code points (zero-width spaces and
 * joiners, the bidi embeddings, overrides, isolates and marks, soft hyphen, fillers, variation
 * selectors, tags) and the interlinear annotation marks: a guest could use them to make its title
 * read as something else, to reorder the host's "[NAME]" prefix, or to hide text. SPACE: every
 * space separator and the line and paragraph separators (as a newline, a control, becomes a space):
 * sixty no-break spaces would push the rest of a title out of a window manager's view. OPEN and
 * CLOSE: brackets that draw like '[' and ']' (fullwidth, white, lenticular, tortoise shell,
 * corner, ceiling and floor, bracket pieces), so no "[NAME]" in the title looks like the host's. */
static const struct cp_range title_table[] = {
    {0x0020, 0x0020, SPACE},  {0x00a0, 0x00a0, SPACE},	{0x00ad, 0x00ad, DROP},
    {0x034f, 0x034f, DROP},   {0x061c, 0x061c, DROP},	{0x115f, 0x1160, DROP},
    {0x1680, 0x1680, SPACE},  {0x17b4, 0x17b5, DROP},	{0x180b, 0x180f, DROP},
    {0x2000, 0x200a, SPACE},  {0x200b, 0x200f, DROP},	{0x2028, 0x2029, SPACE},
    {0x202a, 0x202e, DROP},   {0x202f, 0x202f, SPACE},	{0x2045, 0x2045, OPEN},
    {0x2046, 0x2046, CLOSE},  {0x205f, 0x205f, SPACE},	{0x2060, 0x206f, DROP},
    {0x2308, 0x2308, OPEN},   {0x2309, 0x2309, CLOSE},	{0x230a, 0x230a, OPEN},
    {0x230b, 0x230b, CLOSE},  {0x23a1, 0x23a3, OPEN},	{0x23a4, 0x23a6, CLOSE},
    {0x27e6, 0x27e6, OPEN},   {0x27e7, 0x27e7, CLOSE},	{0x27ec, 0x27ec, OPEN},
    {0x27ed, 0x27ed, CLOSE},  {0x2800, 0x2800, SPACE},	{0x2983, 0x2983, OPEN},
    {0x2984, 0x2984, CLOSE},  {0x298b, 0x298b, OPEN},	{0x298c, 0x298c, CLOSE},
    {0x298d, 0x298d, OPEN},   {0x298e, 0x298e, CLOSE},	{0x298f, 0x298f, OPEN},
    {0x2990, 0x2990, CLOSE},  {0x2997, 0x2997, OPEN},	{0x2998, 0x2998, CLOSE},
    {0x2e22, 0x2e22, OPEN},   {0x2e23, 0x2e23, CLOSE},	{0x2e24, 0x2e24, OPEN},
    {0x2e25, 0x2e25, CLOSE},  {0x2e55, 0x2e55, OPEN},	{0x2e56, 0x2e56, CLOSE},
    {0x2e57, 0x2e57, OPEN},   {0x2e58, 0x2e58, CLOSE},	{0x3000, 0x3000, SPACE},
    {0x300c, 0x300c, OPEN},   {0x300d, 0x300d, CLOSE},	{0x300e, 0x300e, OPEN},
    {0x300f, 0x300f, CLOSE},  {0x3010, 0x3010, OPEN},	{0x3011, 0x3011, CLOSE},
    {0x3014, 0x3014, OPEN},   {0x3015, 0x3015, CLOSE},	{0x3016, 0x3016, OPEN},
    {0x3017, 0x3017, CLOSE},  {0x3018, 0x3018, OPEN},	{0x3019, 0x3019, CLOSE},
    {0x301a, 0x301a, OPEN},   {0x301b, 0x301b, CLOSE},	{0x3164, 0x3164, DROP},
    {0xfe00, 0xfe0f, DROP},   {0xfe39, 0xfe39, OPEN},	{0xfe3a, 0xfe3a, CLOSE},
    {0xfe3b, 0xfe3b, OPEN},   {0xfe3c, 0xfe3c, CLOSE},	{0xfe41, 0xfe41, OPEN},
    {0xfe42, 0xfe42, CLOSE},  {0xfe43, 0xfe43, OPEN},	{0xfe44, 0xfe44, CLOSE},
    {0xfe47, 0xfe47, OPEN},   {0xfe48, 0xfe48, CLOSE},	{0xfe5d, 0xfe5d, OPEN},
    {0xfe5e, 0xfe5e, CLOSE},  {0xfeff, 0xfeff, DROP},	{0xff3b, 0xff3b, OPEN},
    {0xff3d, 0xff3d, CLOSE},  {0xff62, 0xff62, OPEN},	{0xff63, 0xff63, CLOSE},
    {0xffa0, 0xffa0, DROP},   {0xfff9, 0xfffb, DROP},	{0x1bca0, 0x1bca3, DROP},
    {0x1d173, 0x1d17a, DROP}, {0xe0000, 0xe0fff, DROP},
};

static enum title_class classify(int32_t cp)
{
	if (proto_utf8_is_control(cp))
		return SPACE;
	size_t lo = 0, hi = sizeof(title_table) / sizeof(title_table[0]);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < title_table[mid].first)
			hi = mid;
		else if (cp > title_table[mid].last)
			lo = mid + 1;
		else
			return title_table[mid].cls;
	}
	return KEEP;
}

size_t decor_sanitize_title(const char *in, size_t in_len, char *out, size_t cap)
{
	const unsigned char *src = (const unsigned char *)in;
	size_t limit, n = 0;
	bool space = false; /* a blank is due before the next character shown */

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
		switch (cp < 0 ? KEEP : classify(cp)) {
		case DROP:
			continue;
		case SPACE:
			/* None at the start: the host's prefix ends in one. */
			space = n > 0;
			continue;
		case OPEN:
			put = "(";
			put_len = 1;
			break;
		case CLOSE:
			put = ")";
			put_len = 1;
			break;
		case KEEP:
			if (cp < 0) {
				put = REPLACEMENT;
				put_len = sizeof(REPLACEMENT) - 1;
			}
			break;
		}
		/* Stop rather than skip: a later, shorter character would make a title that the
		 * guest never sent. A blank goes out only with the character after it, so a title
		 * never ends in one. */
		if (put_len + space > limit - n)
			break;
		if (space)
			out[n++] = ' ';
		space = false;
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

void decor_tint_pixels(const uint32_t *in, uint32_t *out, size_t n, uint32_t label_rgb)
{
	for (size_t i = 0; i < n; i++)
		out[i] = decor_tint_pixel(in[i], label_rgb);
}

/* Five eighths of each channel: dark enough to outline the square on the label's own color, still
 * recognisably the label's hue. */
static uint32_t darker(uint32_t rgb)
{
	uint32_t out = 0;
	for (int shift = 0; shift <= 16; shift += 8)
		out |= ((rgb >> shift & 0xffu) * 5u / 8u) << shift;
	return out;
}

void decor_plain_icon(uint32_t out[DECOR_PLAIN_ICON_WORDS], uint32_t label_rgb)
{
	static const uint32_t sizes[] = {32u, 16u};
	uint32_t fill = 0xff000000u | (label_rgb & 0xffffffu);
	uint32_t edge = 0xff000000u | darker(label_rgb);
	size_t o = 0;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint32_t n = sizes[i];
		out[o++] = n;
		out[o++] = n;
		for (uint32_t y = 0; y < n; y++)
			for (uint32_t x = 0; x < n; x++)
				out[o++] =
				    x == 0 || y == 0 || x == n - 1 || y == n - 1 ? edge : fill;
	}
}

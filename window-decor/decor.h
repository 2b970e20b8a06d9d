/* Trust indicators the guest cannot forge, as the host presents them: sanitized titles and classes
 * ("[NAME] title", "NAME:class"), the frame's width, and icons tinted with the label's color.
 * Pure C, no X, no I/O: names and labels are checked by common/domain.h, and decor_x.h puts the
 * result on host windows. */
#ifndef SEAM_DECOR_H
#define SEAM_DECOR_H

#include <stddef.h>
#include <stdint.h>

#include "common/domain.h"

/* Longest guest part of a host title, in bytes of UTF-8 (the protocol's WMNAME holds 127). */
#define DECOR_TITLE_MAX 127u
/* "[NAME] " + title + NUL */
#define DECOR_FULL_TITLE_SIZE (DOMAIN_NAME_MAX + 3u + DECOR_TITLE_MAX + 1u)
/* "NAME:" + class + NUL (class as the protocol carries it: 63 bytes) */
#define DECOR_FULL_CLASS_SIZE (DOMAIN_NAME_MAX + 1u + 63u + 1u)
/* Frame width around every guest window, in host pixels. */
#define DECOR_BORDER 3u

/* Sanitize a guest title (up to in_len bytes, stopping at a NUL) into out (cap bytes,
 * NUL-terminated): only well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF)
 * is kept; an invalid byte becomes U+FFFD; default-ignorable code points (zero-width spaces and
 * joiners U+200B-U+200D, word joiner and invisible operators U+2060-U+2064, BOM U+FEFF, bidi
 * controls U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C, soft hyphen, fillers, variation
 * selectors, tags...) and U+FFF9-U+FFFB are removed; every run of blanks (C0 and C1 controls, DEL,
 * the space separators: space, no-break space, U+2000-U+200A, U+202F, U+205F, ideographic space,
 * U+1680; U+2028, U+2029 and U+2800), with removed code points among them, becomes one space, and
 * none is kept at the start or the end; brackets that draw like '[' or ']' (fullwidth, white,
 * corner, lenticular, tortoise shell, ceiling and floor...) become '(' or ')'. The result is cut at
 * a character boundary to at most DECOR_TITLE_MAX bytes (and cap - 1). Sanitizing it again
 * changes nothing. Returns the length written. */
size_t decor_sanitize_title(const char *in, size_t in_len, char *out, size_t cap);

/* "[NAME] sanitized-title" into out (DECOR_FULL_TITLE_SIZE bytes suffice). Returns the length. */
size_t decor_format_title(const char *name, const char *guest_title, size_t title_len, char *out,
			  size_t cap);

/* "NAME:class" with the guest class (up to class_len bytes, stopping at a NUL) reduced to printable
 * ASCII (0x20-0x7e; other bytes become '_'), at most 63 bytes of it. Returns the length. */
size_t decor_format_class(const char *name, const char *guest_class, size_t class_len, char *out,
			  size_t cap);

/* The label color applied to an ARGB icon pixel: hue and saturation from the label, lightness and
 * alpha from the pixel (Qubes' "tint"). */
uint32_t decor_tint_pixel(uint32_t argb, uint32_t label_rgb);
/* decor_tint_pixel() over n pixels (an icon's rows) from in to out, which may be the same array. */
void decor_tint_pixels(const uint32_t *in, uint32_t *out, size_t n, uint32_t label_rgb);

/* The icon of a window that has none of its own, as _NET_WM_ICON holds it (width, height, pixels
 * per image): opaque squares of DECOR_PLAIN_ICON_SIZES in the label color with a one-pixel border
 * of a darker shade of it, so that it stands out on a background of the same color. */
#define DECOR_PLAIN_ICON_WORDS (2u + 32u * 32u + 2u + 16u * 16u)
/* Writes DECOR_PLAIN_ICON_WORDS words into out. */
void decor_plain_icon(uint32_t out[DECOR_PLAIN_ICON_WORDS], uint32_t label_rgb);

#endif

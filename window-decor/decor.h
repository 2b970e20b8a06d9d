/* Trust indicators the guest cannot forge: label colors, sanitized titles and classes, domain names.
 * The pure part (decor.c) has no X; decor_x.c puts the result on host windows. */
#ifndef SEAM_DECOR_H
#define SEAM_DECOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xcb/xcb.h>

/* Longest guest part of a host title, in bytes of UTF-8 (the protocol's WMNAME holds 127). */
#define DECOR_TITLE_MAX 127u
/* Longest domain name: 32 bytes, as seam-run's domains ([a-z0-9][a-z0-9-]{0,31}); Qubes' are
 * shorter (< 32). */
#define DECOR_NAME_MAX 32u
/* "[NAME] " + title + NUL */
#define DECOR_FULL_TITLE_SIZE (DECOR_NAME_MAX + 3u + DECOR_TITLE_MAX + 1u)
/* "NAME:" + class + NUL (class as the protocol carries it: 63 bytes) */
#define DECOR_FULL_CLASS_SIZE (DECOR_NAME_MAX + 1u + 63u + 1u)
/* Frame width around every guest window, in host pixels. */
#define DECOR_BORDER 3u

struct decor_label {
	uint32_t rgb; /* 0xRRGGBB */
	int index;    /* Qubes label index 1..8 (red..black), 0 for a custom 0xRRGGBB color */
	char name[16]; /* "red", ..., or "0xRRGGBB" */
};

/* Parse --label: red, orange, yellow, green, gray, blue, purple, black (Qubes' palette) or 0xRRGGBB
 * (hex digits in either case; name gets the lower-case form). Returns 0, or -1 for anything else
 * (out is then untouched). */
int decor_label_parse(const char *s, struct decor_label *out);

/* A domain name: 1..32 bytes of [A-Za-z0-9_.-], starting with a letter or a digit (Qubes qube
 * names and seam-run domains). */
bool decor_name_valid(const char *name);

/* Sanitize a guest title (up to in_len bytes, stopping at a NUL) into out (cap bytes, NUL-terminated):
 * only well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF) is kept; an invalid
 * byte becomes U+FFFD; C0 and C1 controls and DEL become a space; bidi controls (U+202A-U+202E,
 * U+2066-U+2069, U+200E, U+200F, U+061C) are removed; the result is cut at a character boundary to
 * at most DECOR_TITLE_MAX bytes (and cap - 1). Returns the length written. */
size_t decor_sanitize_title(const char *in, size_t in_len, char *out, size_t cap);

/* Clipboard text crossing between domains: well-formed UTF-8 or refused (-1); C0 controls other than
 * tab and newline, DEL and C1 controls are removed (so CR LF becomes LF), nothing else changes.
 * out may equal in (it never grows); returns the length written. */
long decor_sanitize_clipboard(const uint8_t *in, size_t len, uint8_t *out);

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

/* ---- X part (decor_x.c) ----------------------------------------------------------------------- */

/* Put the trust properties on a host window: WM_NAME and _NET_WM_NAME (UTF8_STRING), WM_ICON_NAME
 * and _NET_WM_ICON_NAME with the full title; WM_CLASS "NAME:res_name\0NAME:res_class\0";
 * _QUBES_VMNAME (STRING), _QUBES_LABEL (CARDINAL/8, the index), _QUBES_LABEL_COLOR (CARDINAL/32,
 * 0xRRGGBB). name and label are required; a NULL guest_title, res_name or res_class counts as
 * empty. Returns 0, or -1 if an atom could not be interned. */
int decor_x_set_identity(xcb_connection_t *c, xcb_window_t w, const char *name,
			 const struct decor_label *label);
int decor_x_set_title(xcb_connection_t *c, xcb_window_t w, const char *name,
		      const char *guest_title, size_t title_len);
int decor_x_set_class(xcb_connection_t *c, xcb_window_t w, const char *name, const char *res_name,
		      size_t name_len, const char *res_class, size_t class_len);

#endif

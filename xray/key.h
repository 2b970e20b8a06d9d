/* seam-xray's secure-attention key: parsed from --key, found on the host keyboard, grabbed on the
 * root window so that no other client (and so no guest) ever receives it. */
#ifndef SEAM_XRAY_KEY_H
#define SEAM_XRAY_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xcb/xcb.h>

/* The key when --key is not given: a key no application uses, present on most keyboards. */
#define XRAY_KEY_DEFAULT "Pause"
/* Most keycodes one keysym may sit on (a keyboard rarely has a key twice). */
#define XRAY_KEY_KEYCODES 4u

struct xray_key {
	char name[64];	 /* the spec as given ("Pause", "Super-Escape"), for messages */
	uint16_t mods;	 /* X modifier mask (Shift, Control, Mod1, Mod4) */
	uint32_t keysym; /* the key */
	uint8_t keycodes[XRAY_KEY_KEYCODES];
	unsigned nkeycodes; /* 0 until xray_key_resolve() found the key */
};

/* Parse "Pause", "Super-Escape", "Ctrl-Alt-x": modifiers Ctrl, Shift, Alt, Super (any case, joined
 * by '-') and then a key: a named key (Pause, Scroll_Lock, Print, Escape, Menu, Break, Insert,
 * Home, End, Delete, F1..F12, space, Tab, Return) or a lower-case letter or digit. A key that types
 * text (letters, digits, space, Tab, Return) needs a modifier: alone it would be taken from every
 * application. 0, or -EINVAL (*out is then cleared). */
int xray_key_parse(const char *spec, struct xray_key *out);

/* Find the keycodes that carry the key in the host keyboard mapping (one round trip). 0, -EIO if
 * the server did not answer, -ENOENT if no key of this keyboard gives it. */
int xray_key_resolve(struct xray_key *k, xcb_connection_t *x);

/* Grab the key on root for this client, with and without CapsLock and NumLock (Mod2), so that
 * the X server gives it (and every key event while it is held) to seam-xray only. 0, or -EBUSY
 * with a reason in why when another client holds any of these grabs (nothing stays grabbed). */
int xray_key_grab(const struct xray_key *k, xcb_connection_t *x, xcb_window_t root, char *why,
		  size_t why_len);
void xray_key_ungrab(const struct xray_key *k, xcb_connection_t *x, xcb_window_t root);

/* Whether a key event's keycode is this key's (modifiers are checked by the grab). */
bool xray_key_is(const struct xray_key *k, uint8_t keycode);

#endif

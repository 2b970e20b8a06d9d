/* Key sequences such as Ctrl-Shift-c: parsed from the options, then found as keycodes on the host
 * keyboard, then matched against key events. */
#ifndef SEAM_DAEMON_KEYSEQ_H
#define SEAM_DAEMON_KEYSEQ_H

#include <stdbool.h>
#include <stdint.h>

#include <xcb/xcb.h>

/* Most keycodes one key may sit on (a keyboard rarely has a letter twice). */
#define KEYSEQ_KEYCODES 4u

/* X modifier bits that count in a key sequence (NumLock and CapsLock never do). */
#define KEYSEQ_MOD_MASK                                                                            \
	(XCB_MOD_MASK_SHIFT | XCB_MOD_MASK_CONTROL | XCB_MOD_MASK_1 | XCB_MOD_MASK_4)

struct keyseq {
	uint16_t mods;	 /* X modifier mask (Shift, Control, Mod1, Mod4) */
	uint32_t keysym; /* 0: the sequence is disabled */
	uint8_t keycodes[KEYSEQ_KEYCODES];
	unsigned nkeycodes; /* 0 until keyseq_resolve() found the key */
};

/* Parse "Ctrl-Shift-c" (modifiers Ctrl, Shift, Alt, Super, in any case; then a lower-case letter or
 * a digit) or "none" / "disable". A plain key is refused: it would take the key from every guest.
 * 0, or -EINVAL (*out is then cleared). */
int keyseq_parse(const char *spec, struct keyseq *out);

/* Find the keycodes that carry the sequence's key in the host keyboard mapping (one round trip).
 * 0, or -EIO if the server did not answer (the sequence then matches nothing). */
int keyseq_resolve(struct keyseq *k, xcb_connection_t *x);

/* Whether a key event (its keycode and modifier state) is this sequence. */
bool keyseq_match(const struct keyseq *k, uint8_t keycode, uint16_t state);

#endif

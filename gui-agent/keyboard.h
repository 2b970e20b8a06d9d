/* The guest's keyboard following the host's (docs/protocol.md section 5.31): the host's XKB rules,
 * model, layouts, variants and options compiled in the guest with setxkbmap, the keysyms the host
 * has remapped on top of them (xdotool type, input methods, xmodmap), and the XKB group the host is
 * in at each key. Only with a Seam daemon that agreed the keyboard feature; with any other daemon
 * the guest keeps its own layout. */
#ifndef SEAM_AGENT_KEYBOARD_H
#define SEAM_AGENT_KEYBOARD_H

#include <stdint.h>

#include "gui-agent/xctx.h"
#include "protocol/proto.h"

/* Where setxkbmap is: by absolute path, never looked up in PATH. */
#define KEYBOARD_SETXKBMAP "/usr/bin/setxkbmap"
/* How long a setxkbmap may take before the agent gives up waiting (it goes on, untouched). */
#define KEYBOARD_SETXKBMAP_TIMEOUT_MS 5000
/* A keycode the agent pressed this recently is not remapped in place (see keyboard.c). */
#define KEYBOARD_KEYCODE_REUSE_MS 1000

struct keyboard;

/* 0 with *out (the caller owns it: keyboard_destroy), or -ENOMEM. Without the X Keyboard
 * extension on the guest server only the keysyms are followed (logged). */
int keyboard_create(const struct xctx *xc, struct keyboard **out);
void keyboard_destroy(struct keyboard *kb);

/* SEAM_KEYBOARD (validated): compile the host's layout in the guest, then put back the host's
 * remapped keysyms. 0, or -errno (logged) when setxkbmap could not run or failed. */
int keyboard_set_layout(struct keyboard *kb, const struct proto_seam_keyboard *m);
/* SEAM_KEYSYMS (validated; syms holds count * keysyms_per_keycode u32 keysyms, in wire order and
 * not necessarily aligned): the host's keysyms for those keycodes. Every keycode whose guest
 * keysyms differ gets the host's. 0 or -errno. */
int keyboard_set_keysyms(struct keyboard *kb, const struct proto_seam_keysyms *m,
			 const uint8_t *syms);
/* The guest keycode that replays host keycode kc: its own, or the one its keysyms moved to while
 * the guest could still be reading its old ones; a release goes where its press went. 0: the key
 * types nothing (its keycode now types another host key's keysyms and the host has none for it). */
uint8_t keyboard_guest_keycode(struct keyboard *kb, uint8_t kc, bool press);
/* Before a key is replayed: lock the guest's XKB group (bits 13-14 of have, the guest's state)
 * to the host's (bits 13-14 of want, the key's state). */
void keyboard_sync_group(struct keyboard *kb, uint32_t want, uint32_t have);

#endif

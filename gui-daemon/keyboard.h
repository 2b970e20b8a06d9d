/* The host's keyboard, told to a Seam agent that agreed the keyboard feature (docs/protocol.md
 * section 5.31): the XKB rules, model, layouts, variants and options of the host (its root's
 * _XKB_RULES_NAMES, as setxkbmap leaves them) and its whole core keysym mapping, at the agent's
 * hello and at every change (setxkbmap, a layout switch program, a keysym remapping). The group
 * the host is in travels in each key's state. */
#ifndef SEAM_DAEMON_KEYBOARD_H
#define SEAM_DAEMON_KEYBOARD_H

#include <stdbool.h>
#include <xcb/xcb.h>

#include "gui-daemon/display.h"
#include "gui-daemon/session.h"

struct keyboard;

/* Watch the host root's properties. 0 with *out (the caller owns it), or -ENOMEM. */
int keyboard_create(struct display *dp, struct session *s, struct keyboard **out);
void keyboard_destroy(struct keyboard *kb);

/* The agent agreed the keyboard feature: send the layout and the keysyms. */
void keyboard_agent_ready(struct keyboard *kb);
/* A host X event: true if it was the keyboard's (a mapping or layout change, acted on). */
bool keyboard_event(struct keyboard *kb, const xcb_generic_event_t *ev);

#endif

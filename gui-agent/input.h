/* The host's input replayed in the guest with XTest, and the host's focus and close requests
 * applied to the guest's windows. Coordinates from the daemon are window-relative and already
 * bounded by protocol/; input turns them into root coordinates. */
#ifndef SEAM_AGENT_INPUT_H
#define SEAM_AGENT_INPUT_H

#include <stddef.h>

#include "gui-agent/cursor.h"
#include "gui-agent/keyboard.h"
#include "gui-agent/wm.h"
#include "gui-agent/xctx.h"
#include "protocol/proto.h"

struct input;

/* Read the guest's modifier mapping. close_timeout_ms: how long a client has between
 * WM_DELETE_WINDOW and being killed. 0 with *out (the caller owns it: input_destroy, before wm
 * and cursor), or -errno with a reason: -EIO (the mapping cannot be read), -ENOMEM, -ENOSPC (no
 * listener slot left in wm). */
int input_create(const struct xctx *xc, struct wm *wm, struct cursor *cursor,
		 struct keyboard *keyboard, int close_timeout_ms, struct input **out, char *why,
		 size_t why_len);
void input_destroy(struct input *in);

/* MappingNotify for the keyboard or the modifiers: read the modifier mapping again. */
void input_mapping_changed(struct input *in);

/* The daemon's messages about w. */
void input_keypress(struct input *in, const struct wm_window *w, const struct proto_keypress *k);
void input_button(struct input *in, const struct wm_window *w, const struct proto_button *b);
void input_motion(struct input *in, const struct wm_window *w, const struct proto_motion *m);
void input_crossing(struct input *in, const struct wm_window *w, const struct proto_crossing *c);
void input_focus(struct input *in, const struct wm_window *w, const struct proto_focus *f);
/* CLOSE: WM_DELETE_WINDOW if the client takes it (and a deadline), else kill the client. */
void input_close(struct input *in, const struct wm_window *w);
/* KEYMAP_NOTIFY: release the keys the host no longer holds. */
void input_keymap(struct input *in, const struct proto_keymap_notify *k);

/* Kill the clients whose close deadline passed; returns ms until the next deadline, or -1. */
int input_deadlines(struct input *in);

#endif

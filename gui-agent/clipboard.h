/* The guest's selections, only ever on the daemon's request (the user's copy and paste keys on the
 * host): CLIPBOARD_REQ reads CLIPBOARD, CLIPBOARD_DATA makes the agent the owner of both CLIPBOARD
 * and PRIMARY, each serving what the host pasted until a guest application takes it. PRIMARY is
 * never read. */
#ifndef SEAM_AGENT_CLIPBOARD_H
#define SEAM_AGENT_CLIPBOARD_H

#include <stdbool.h>
#include <stdint.h>
#include <xcb/xcb.h>

#include "gui-agent/link.h"
#include "gui-agent/xctx.h"

struct clipboard;

/* 0 with *out (the caller owns it: clipboard_destroy), or -ENOMEM. */
int clipboard_create(const struct xctx *xc, struct link *l, struct clipboard **out);
void clipboard_destroy(struct clipboard *cb);

/* CLIPBOARD_REQ: ask the owner for the text; CLIPBOARD_DATA goes out when it answers (empty if
 * there is no owner or no text, PROTO_CLIPBOARD_OVERSIZE_MARK bytes if there is too much). */
void clipboard_request(struct clipboard *cb);
/* CLIPBOARD_DATA from the daemon (validated there): own CLIPBOARD and PRIMARY and serve a copy of
 * it as both.
 * 0, or -ENOMEM (logged; the clipboard is left as it was). */
int clipboard_set(struct clipboard *cb, const uint8_t *data, uint32_t len);
/* SelectionNotify, SelectionRequest and SelectionClear; false if ev is none of them. */
bool clipboard_handle_event(struct clipboard *cb, const xcb_generic_event_t *ev);

/* What the agent serves as CLIPBOARD or PRIMARY, or NULL when it owns neither (*len is then 0). */
const uint8_t *clipboard_served(const struct clipboard *cb, uint32_t *len);

#endif

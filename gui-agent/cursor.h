/* The pointer shape: XFixes tells which cursor the guest shows; its name maps to a glyph of the
 * standard X cursor font, which is all the wire can carry (no cursor images travel). The CURSOR
 * message goes to the window the host pointer is over, when either changes. */
#ifndef SEAM_AGENT_CURSOR_H
#define SEAM_AGENT_CURSOR_H

#include <stdint.h>
#include <xcb/xfixes.h>

#include "gui-agent/link.h"
#include "gui-agent/wm.h"
#include "gui-agent/xctx.h"

struct cursor;

/* Select the guest's cursor changes. 0 with *out (the caller owns it: cursor_destroy, before
 * wm), or -ENOMEM / -ENOSPC (no listener slot left in wm). */
int cursor_create(const struct xctx *xc, struct wm *wm, struct link *l, struct cursor **out);
void cursor_destroy(struct cursor *c);

/* An XFixes CursorNotify. */
void cursor_notify(struct cursor *c, const xcb_xfixes_cursor_notify_event_t *ev);
/* The host pointer is now over w, a window the daemon named (so one it knows): send the cursor
 * if it changed. */
void cursor_enter(struct cursor *c, const struct wm_window *w);
/* The host pointer left w (nothing happens if it was over another window). */
void cursor_leave(struct cursor *c, const struct wm_window *w);
/* The connection ended: the next daemon has been sent no cursor yet. */
void cursor_link_down(struct cursor *c);

/* PROTO_CURSOR_X11 + glyph for an X cursor font name or a common alias (CSS, Qt and GTK names),
 * else PROTO_CURSOR_DEFAULT. */
uint32_t cursor_from_name(const char *name);

#endif

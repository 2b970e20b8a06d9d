/* The daemon's view of the guest's windows: announce tells the daemon about every tracked window
 * in the order docs/protocol.md section 3 gives (CREATE, CONFIGURE, the buffer, MAP, titles,
 * flags, UNMAP, DESTROY), follows wm's events to keep it current, replays everything after a
 * reconnection (section 3.9) and holds back a window whose id the daemon may still confuse with
 * a destroyed one until the daemon echoed that DESTROY. */
#ifndef SEAM_AGENT_ANNOUNCE_H
#define SEAM_AGENT_ANNOUNCE_H

#include <stdbool.h>
#include <xcb/xcb.h>

#include "gui-agent/damage.h"
#include "gui-agent/link.h"
#include "gui-agent/tray.h"
#include "gui-agent/wm.h"

struct announce;

/* 0 with *out (the caller owns it: announce_destroy, before wm and damage; xc outlives it), or
 * -ENOMEM / -ENOSPC (no listener slot left in wm). Register it after damage: see
 * wm_listener_fn. */
int announce_create(const struct xctx *xc, struct wm *wm, struct link *l, struct damage *d,
		    struct announce **out);
void announce_destroy(struct announce *an);
/* The guest's tray (it must outlive an): its embedders get DOCK instead of MAP. None until set. */
void announce_set_tray(struct announce *an, const struct tray *t);

/* The link is ready: announce every mapped window (the others are announced when first shown). */
void announce_link_ready(struct announce *an);
/* The link went down: the next daemon knows no window, and echoes no DESTROY of this one. */
void announce_link_down(struct announce *an);
/* The Seam hello agreed its features (link.h's seam handler): every announced window's icon goes
 * out where icons were agreed. */
void announce_link_seam(struct announce *an);
/* Buffers became possible on the connection (link.h's buffers handler): every announced, mapped
 * window gets its dump and a full repaint. */
void announce_link_buffers(struct announce *an);

/* Whether the daemon knows w, so that its messages about w are meant for this window. */
bool announce_known(const struct announce *an, const struct wm_window *w);
/* The daemon echoed the DESTROY of id: a new window with that id may be announced now. */
void announce_destroy_echo(struct announce *an, xcb_window_t id);
/* Send w's geometry as it is (the daemon asked for a CONFIGURE that changes nothing). */
void announce_configure(struct announce *an, const struct wm_window *w);
/* The daemon's WINDOW_FLAGS: the full-screen state the host gave the window, shown to its client
 * (the other flags are the guest's own). */
void announce_host_flags(struct announce *an, const struct wm_window *w,
			 const struct proto_window_flags *f);

#endif

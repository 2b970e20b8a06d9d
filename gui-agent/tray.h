/* The guest's system tray: the agent owns _NET_SYSTEM_TRAY_S<n> in the guest and announces it
 * (MANAGER), so that applications dock their XEMBED tray icons with it. Each icon is reparented
 * into an embedder of its own, a small override-redirect window on the guest's root that wm
 * tracks like any top-level window; the announcer sends DOCK for an embedder instead of MAP, and
 * the daemon shows it in the host's tray. The embedder keeps its place in the guest (the host's
 * tray decides where the icon is on the host; the guest's input lands on the embedder wherever it
 * lies) and takes the size the host gives, and the icon follows its size. */
#ifndef SEAM_AGENT_TRAY_H
#define SEAM_AGENT_TRAY_H

#include <stdbool.h>
#include <xcb/xcb.h>

#include "gui-agent/wm.h"
#include "gui-agent/xctx.h"
#include "protocol/proto.h"

/* Icons docked at a time, as many as the daemon shows (gui-daemon/tray.h): more are refused. */
#define TRAY_MAX_ICONS 16u
/* An embedder's size until the host's tray gives it another (Qubes' agent uses the same). */
#define TRAY_EMBEDDER_SIZE 32u

struct tray;

/* Become the guest's system tray (unless another tray already runs in the guest: then the agent
 * forwards no tray icon, and says so). 0 with *out (the caller owns it: tray_destroy, before wm;
 * xc outlives it), or -ENOMEM / -ENOSPC (no listener slot left in wm) / -EIO. */
int tray_create(const struct xctx *xc, struct wm *wm, struct tray **out);
void tray_destroy(struct tray *t);

/* An X event: true if it was the tray's own (a client's dock request to the tray). The end or the
 * departure of a docked icon is seen here too (its embedder goes), and returns false. */
bool tray_handle_event(struct tray *t, const xcb_generic_event_t *ev);
/* w is an embedder: a tray icon, for which the daemon gets DOCK instead of MAP. */
bool tray_docked(const struct tray *t, const struct wm_window *w);
/* The daemon's CONFIGURE c for w: an embedder takes the size and keeps its own place. */
void tray_keep_place(const struct tray *t, const struct wm_window *w, struct proto_configure *c);

#endif

/* A guest's tray icons in the host's system tray: a window the agent docks (DOCK) is embedded in
 * the host's tray through XEMBED (SYSTEM_TRAY_REQUEST_DOCK to the owner of _NET_SYSTEM_TRAY_S<n>),
 * shown with its pixels tinted in the label color (window.h's window_dock) and its input forwarded
 * like any window's. Without a tray on the host the icons stay hidden (the log says so once), and
 * a tray that starts later (MANAGER on the root) gets them; when the tray goes away they are hidden
 * again until the next one. A guest docks a bounded number of small icons. */
#ifndef SEAM_DAEMON_TRAY_H
#define SEAM_DAEMON_TRAY_H

#include <stdbool.h>

#include <xcb/xcb.h>

#include "gui-daemon/display.h"
#include "gui-daemon/window.h"

/* Tray icons of one guest at a time: a desktop's tray holds a handful per application, and each
 * takes room in the user's panel and a little CPU to tint (see paint_window_tint). */
#define TRAY_MAX_ICONS 16u
/* The largest tray icon, in pixels each way: trays show icons of 16 to 64 pixels; a bigger dock
 * window would be a guest's way to put a large unframed picture on the host's panel. */
#define TRAY_ICON_MAX_SIZE 128u

struct tray;

/* Tray icons of windows (dp and windows must outlive it). 0, -ENOMEM, or -EIO if the atoms could
 * not be interned. The caller owns *out. */
int tray_create(struct display *dp, struct window_table *windows, struct tray **out);
void tray_destroy(struct tray *t);

/* The agent's DOCK for w: refused (logged, rate-limited) if w is mapped, larger than
 * TRAY_ICON_MAX_SIZE either way, or one past TRAY_MAX_ICONS; otherwise docked in the host's tray
 * if there is one. Docking a docked window again changes nothing. */
void tray_dock(struct tray *t, struct window *w);
/* How many of the guest's windows are tray icons now. */
unsigned tray_count(struct tray *t);
/* A host X event: true if it was the tray's (a new tray's MANAGER, a tray icon handed back to the
 * root by a tray that went away). */
bool tray_event(struct tray *t, const xcb_generic_event_t *ev);

#endif

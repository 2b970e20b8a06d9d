/* The guest's windows on the host: a table keyed by the guest's window id, each window shown as a
 * label-colored frame the daemon owns with the guest's pixels confined to a child inside it. The
 * table alone creates, finds and destroys windows; the messages that shape a window act through
 * the functions below. Placement: an override-redirect window (a menu), and any window when it
 * first appears, lies wholly on the screen with its frame; later a managed one keeps at least
 * WINDOW_MIN_VISIBLE pixels of itself on the screen; an override-redirect window that would make
 * the guest's override-redirect windows together (their frames' union) cover more than
 * WINDOW_MAX_OVERRIDE_REDIRECT_PERCENT of the screen is shown managed. */
#ifndef SEAM_DAEMON_WINDOW_H
#define SEAM_DAEMON_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

#include <xcb/xcb.h>

#include "gui-daemon/display.h"
#include "gui-daemon/paint.h"
#include "gui-daemon/session.h"
#include "protocol/proto.h"
#include "shm/shmbuf.h"
#include "common/domain.h"
#include "window-decor/decor_x.h"

/* A managed window keeps at least this much of itself on the screen, so the user can reach it. */
#define WINDOW_MIN_VISIBLE 32
/* A guest's override-redirect windows (they bypass the window manager) may cover at most this share
 * of the screen together, in percent; more could pose as the whole desktop (one popup, or several
 * tiled), so the window that would pass it is shown managed. */
#define WINDOW_MAX_OVERRIDE_REDIRECT_PERCENT 90u

struct window_table;
struct window;

/* What a guest's windows may do. */
struct window_policy {
	uint32_t max_windows;
	/* A full-screen window covers the whole screen, its frame too (Qubes' allow_fullscreen);
	 * otherwise the frame stays around it. */
	bool allow_fullscreen;
};

/* The table of one guest (name and label mark its frames), with at most max_windows windows. dp,
 * paint and s must outlive it. 0 or -ENOMEM. The caller owns *out. */
int window_table_create(struct display *dp, struct paint *paint, struct session *s,
			const char *name, const struct domain_label *label,
			const struct window_policy *policy, struct window_table **out);
/* Destroy every window, then the table. NULL allowed. */
void window_table_destroy(struct window_table *t);
uint32_t window_count(const struct window_table *t);

/* A new window for the guest's id (which must not be in the table yet), placed on the screen.
 * 0; -EMFILE past the table's limit, -ENOMEM, or -EIO if its trust properties could not be set
 * (each logged here: none of these is the guest's protocol error). The table owns the window. */
int window_create(struct window_table *t, uint32_t id, const struct proto_create *m);
struct window *window_find(const struct window_table *t, uint32_t id);
/* The window whose frame or content is the host window xw, or NULL. */
struct window *window_by_host(const struct window_table *t, xcb_window_t xw);
void window_destroy(struct window *w);
/* Every window (the agent went). */
void window_destroy_all(struct window_table *t);

uint32_t window_id(const struct window *w);
/* Ours, label-colored, what a window manager manages; and its child with the guest's pixels. */
xcb_window_t window_frame(const struct window *w);
xcb_window_t window_content(const struct window *w);
/* Where the content lies in the frame: the border's width, or 0 while frameless full screen. */
uint32_t window_inset(const struct window *w);
/* The content's position on the host root and its size, as last agreed. */
void window_geometry(const struct window *w, int32_t *x, int32_t *y, uint32_t *width,
		     uint32_t *height);
bool window_override_redirect(const struct window *w);
bool window_mapped(const struct window *w);

/* ---- The agent's messages about a window (validated by protocol/) -----------------------------
 */
void window_configure(struct window *w, const struct proto_configure *m);
/* Show the window. A guest's new window must not take the keyboard from the user: it is mapped
 * with _NET_WM_USER_TIME 0 (EWMH: not focused, not raised over the focused window) unless the
 * user works in one of the guest's windows (window_host_focus), when it gets the time of the
 * user's last input there. */
void window_map(struct window *w, const struct proto_map_info *m);
void window_unmap(struct window *w);
void window_title(struct window *w, const struct proto_wmname *m);
void window_class(struct window *w, const struct proto_wmclass *m);
void window_hints(struct window *w, const struct proto_window_hints *m);
/* A guest cannot take focus or raise itself: asking for attention becomes an urgency hint. */
void window_flags(struct window *w, const struct proto_window_flags *m);
/* The guest's pointer shape over the window: the host theme's cursor for an X cursor-font glyph
 * (display_cursor), never guest bitmaps or names. */
void window_cursor(struct window *w, const struct proto_cursor *m);
/* DOCK: the window becomes a tray icon (gui-daemon/tray.h docks it in the host's tray): never
 * shown framed (its MAP and UNMAP are ignored, as Qubes' daemon does), its frame is the dock
 * window itself with the content at its origin, its size is the host's (a guest's CONFIGURE only
 * hears the host's geometry again), and its pixels are tinted with the label color. The window
 * manager never manages it (a tray that goes away hands it back to the root). 0, or -EBUSY for
 * a mapped window (refused, as Qubes' daemon does). */
int window_dock(struct window *w);
bool window_docked(const struct window *w);
/* A buffer for the window's pixels (see paint_take()). */
int window_take_buffer(struct window *w, const struct shmbuf_export *offer);
/* Repaint a rectangle of the content from its buffer (nothing while unmapped, unless docked). */
void window_repaint(struct window *w, int32_t x, int32_t y, uint32_t width, uint32_t height);

/* The host screen's size changed (display_size): each mapped window that is no longer whole on
 * the screen is moved onto it (as far as its size allows) and the agent is told where it went. */
void window_table_screen_changed(struct window_table *t);

/* ---- The host's side ----------------------------------------------------------------------------
 */
/* The user or the window manager moved or resized the frame (a ConfigureNotify on it, whose
 * sequence number is event_seq): the new geometry, its size at most the protocol's, goes to the
 * agent as CONFIGURE. */
void window_host_configured(struct window *w, uint16_t event_seq);
/* The frame got (in) or lost the host's keyboard focus (a FocusIn or FocusOut of the user's or the
 * window manager's doing, not of a grab). */
void window_host_focus(struct window *w, bool in);
/* One of the guest's frames has the host's keyboard focus. */
bool window_table_focused(const struct window_table *t);
/* The user pressed a key or a button on the window at the host's time: kept while it is focused,
 * as the user time of the guest's next new window. */
void window_host_user_time(struct window *w, xcb_timestamp_t time);
/* The frame's _NET_WM_STATE changed (the window manager applied a request, or the user made the
 * window fullscreen): the FULLSCREEN and DEMANDS_ATTENTION that changed go to the agent as
 * WINDOW_FLAGS, as Qubes' daemon acknowledges them. */
void window_host_state_changed(struct window *w);

#endif

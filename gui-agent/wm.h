/* The guest's window manager: it owns the table of top-level windows and the X events that change
 * them, and tells registered listeners what happened instead of calling them by name.
 *
 * Every InputOutput child of the root is tracked, override-redirect ones (menus, tooltips) too.
 * Managed windows are mapped as asked (no reparenting, no decorations: the host draws the frame)
 * and configured as asked within the protocol's size bounds, with no border.
 *
 * Windows reach other components as const struct wm_window pointers: they read the fields, only
 * wm writes them. A component keeps its own per-window state in the data slot wm_listen() gave
 * it (wm_window_data / wm_window_set_data), created on WM_CREATED and freed on WM_DESTROYED.
 */
#ifndef SEAM_AGENT_WM_H
#define SEAM_AGENT_WM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xcb/xcb.h>

#include "gui-agent/props.h"
#include "gui-agent/xctx.h"
#include "protocol/proto.h"

/* Most listeners: one per component that follows windows. */
#define WM_MAX_LISTENERS 8u

struct wm;

struct wm_window {
	xcb_window_t id;
	/* Geometry in root coordinates (the parent is the root). */
	int32_t x, y;
	uint32_t width, height, border;
	bool override_redirect;
	bool mapped; /* viewable in the guest */
	struct props props;
};

enum wm_event_type {
	WM_CREATED,    /* now tracked: a new top-level window, or one found by wm_scan() */
	WM_MAPPED,     /* became viewable */
	WM_UNMAPPED,   /* no longer viewable */
	WM_CONFIGURED, /* position, size, border or override-redirect changed (not a mere restack)
			*/
	WM_PROPERTY,   /* a property changed what the wire carries: see changed */
	WM_ICONIFY,    /* the client asked to be minimized (WM_CHANGE_STATE IconicState) */
	WM_DESTROYED,  /* no longer tracked: destroyed, or reparented away from the root */
	WM_STATE_REQUEST, /* the client asked (EWMH) to enter or leave full screen: see set, unset;
			   * the host decides, then wm_set_state() shows the outcome */
};

struct wm_event {
	enum wm_event_type type;
	const struct wm_window *window; /* already updated (WM_DESTROYED: freed after the event) */
	bool resized;			/* WM_CONFIGURED: size or border changed, so did the
					 * composite pixmap */
	bool x_gone;			/* WM_DESTROYED: the X server destroyed the window and the
					 * resources made for it */
	unsigned changed;		/* WM_PROPERTY: PROPS_* */
	uint32_t set, unset;		/* WM_STATE_REQUEST: PROTO_FLAG_FULLSCREEN asked for */
};

/* A listener must not add or remove windows. WM_CREATED reaches the listeners in slot order and
 * every other event in reverse slot order, as set-up and tear-down nest: a listener registered
 * later may build on an earlier one (the announcer on damage), so it sees a new window after
 * the earlier one has made its state, and tells the daemon of a change before the earlier one
 * acts on it (a CONFIGURE before the buffer of the new size). */
typedef void (*wm_listener_fn)(void *ctx, const struct wm_event *ev);

/* Become the window manager of xc's screen: SubstructureRedirect on the root (only one client
 * may), every top-level window redirected off screen (Composite, manual) and an EWMH window
 * manager named "Seam". 0 with *out (the caller owns it: wm_destroy), or -errno with a reason:
 * -EBUSY (another window manager or compositing manager runs), -EIO, -ENOMEM. */
int wm_create(const struct xctx *xc, struct wm **out, char *why, size_t why_len);
/* Forget every window without telling anyone: listeners must have freed their data and left. */
void wm_destroy(struct wm *wm);

/* Register a listener. 0 with *slot (its per-window data slot, until wm_unlisten), or -ENOSPC. */
int wm_listen(struct wm *wm, wm_listener_fn fn, void *ctx, unsigned *slot);
void wm_unlisten(struct wm *wm, unsigned slot);

/* Track the windows that exist now (WM_CREATED for each). Mapped ones are exposed, so that their
 * clients repaint into the fresh composite pixmaps. */
void wm_scan(struct wm *wm);
/* A core X event (not DAMAGE, XFIXES or selection events, which have their own owners). */
void wm_handle_event(struct wm *wm, const xcb_generic_event_t *ev);

const struct wm_window *wm_find(const struct wm *wm, xcb_window_t id);
/* Call fn on every tracked window; fn must not add or remove windows. */
void wm_for_each(const struct wm *wm, void (*fn)(void *ctx, const struct wm_window *w), void *ctx);
unsigned wm_count(const struct wm *wm);

/* A listener's own state for w (NULL until set). */
void *wm_window_data(const struct wm_window *w, unsigned slot);
void wm_window_set_data(struct wm *wm, const struct wm_window *w, unsigned slot, void *data);

/* The host asks for a new geometry (already bounded by protocol/). false when nothing would change,
 * so no ConfigureNotify will come and the daemon needs its answer from what w has. */
bool wm_request_geometry(struct wm *wm, const struct wm_window *w, const struct proto_configure *c);
/* Show the window's state (PROTO_FLAG_FULLSCREEN / _DEMANDS_ATTENTION in set and unset) to its
 * client in _NET_WM_STATE, as the window manager that decided it. */
void wm_set_state(struct wm *wm, const struct wm_window *w, uint32_t set, uint32_t unset);

/* A window dimension as the wire and the buffers carry it, 1..max: X allows sizes up to 32767,
 * the protocol 16384 x 6144 (what lies beyond is not shown). */
static inline uint32_t wm_clamp_size(uint32_t v, uint32_t max)
{
	if (v < 1)
		return 1;
	return v > max ? max : v;
}

static inline uint32_t wm_wire_width(const struct wm_window *w)
{
	return wm_clamp_size(w->width, PROTO_MAX_WINDOW_WIDTH);
}

static inline uint32_t wm_wire_height(const struct wm_window *w)
{
	return wm_clamp_size(w->height, PROTO_MAX_WINDOW_HEIGHT);
}

#endif

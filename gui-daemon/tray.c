/* A guest's tray icons in the host's system tray (gui-daemon/tray.h). */
#include <errno.h>
#include <stdlib.h>

#include "common/log.h"
#include "common/xconn.h"
#include "gui-daemon/tray.h"

/* The system tray protocol's and XEMBED's numbers (freedesktop.org specifications). */
#define SYSTEM_TRAY_REQUEST_DOCK 0u
#define XEMBED_VERSION		 0u
#define XEMBED_MAPPED		 1u

struct tray {
	struct display *dp;
	struct window_table *windows;
	xcb_atom_t manager, opcode, xembed_info;
	uint32_t icons[TRAY_MAX_ICONS]; /* the guest's ids of its docked windows */
	unsigned count;
	bool said_no_tray; /* the log said once that the host has no tray */
	/* A guest can send DOCKs the host refuses, and make a tray re-dock, as often as it likes.
	 */
	struct log_limit refused_limit, tray_limit;
};

int tray_create(struct display *dp, struct window_table *windows, struct tray **out)
{
	*out = NULL;
	struct tray *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	xcb_connection_t *x = display_x(dp);
	t->dp = dp;
	t->windows = windows;
	t->manager = xconn_intern(x, "MANAGER");
	t->opcode = xconn_intern(x, "_NET_SYSTEM_TRAY_OPCODE");
	t->xembed_info = xconn_intern(x, "_XEMBED_INFO");
	if (!t->manager || !t->opcode || !t->xembed_info) {
		free(t);
		return -EIO;
	}
	/* A new tray announces itself with MANAGER to the root, with StructureNotify: added to
	 * what the other components listen to there. */
	xcb_window_t root = display_screen(dp)->root;
	xcb_get_window_attributes_reply_t *a =
	    xcb_get_window_attributes_reply(x, xcb_get_window_attributes(x, root), NULL);
	uint32_t mask = (a ? a->your_event_mask : 0) | XCB_EVENT_MASK_STRUCTURE_NOTIFY;
	free(a);
	xcb_change_window_attributes(x, root, XCB_CW_EVENT_MASK, &mask);
	*out = t;
	return 0;
}

void tray_destroy(struct tray *t)
{
	free(t);
}

/* The host's tray now, or XCB_NONE. */
static xcb_window_t tray_owner(const struct tray *t)
{
	xcb_connection_t *x = display_x(t->dp);
	xcb_get_selection_owner_reply_t *o = xcb_get_selection_owner_reply(
	    x, xcb_get_selection_owner(x, display_atom(t->dp, DISPLAY_SYSTEM_TRAY)), NULL);
	xcb_window_t owner = o ? o->owner : XCB_NONE;
	free(o);
	return owner;
}

/* Forget the ids of icons the guest destroyed (or whose id now names a window that is not one). */
static void forget_gone(struct tray *t)
{
	unsigned n = 0;
	for (unsigned i = 0; i < t->count; i++) {
		const struct window *w = window_find(t->windows, t->icons[i]);
		if (w && window_docked(w))
			t->icons[n++] = t->icons[i];
	}
	t->count = n;
}

unsigned tray_count(struct tray *t)
{
	forget_gone(t);
	return t->count;
}

/* Ask the host's tray to embed w's dock window, or say once why it stays hidden. */
static void embed(struct tray *t, const struct window *w)
{
	xcb_window_t owner = tray_owner(t);
	if (owner == XCB_NONE) {
		if (!t->said_no_tray)
			log_info("window 0x%x is a tray icon, and the host has no system tray: it "
				 "stays hidden until a tray starts",
				 window_id(w));
		t->said_no_tray = true;
		return;
	}
	xcb_client_message_event_t ev = {
	    .response_type = XCB_CLIENT_MESSAGE,
	    .format = 32,
	    .window = owner,
	    .type = t->opcode,
	};
	ev.data.data32[0] = XCB_CURRENT_TIME;
	ev.data.data32[1] = SYSTEM_TRAY_REQUEST_DOCK;
	ev.data.data32[2] = window_frame(w);
	xcb_send_event(display_x(t->dp), 0, owner, XCB_EVENT_MASK_NO_EVENT, (const char *)&ev);
}

void tray_dock(struct tray *t, struct window *w)
{
	if (window_docked(w))
		return;
	int32_t x, y;
	uint32_t width, height;
	window_geometry(w, &x, &y, &width, &height);
	const char *refused = NULL;
	forget_gone(t);
	if (width > TRAY_ICON_MAX_SIZE || height > TRAY_ICON_MAX_SIZE)
		refused = "it is larger than a tray icon may be";
	else if (t->count >= TRAY_MAX_ICONS)
		refused = "the guest has as many tray icons as it may";
	else if (window_dock(w))
		refused = "it is mapped";
	if (refused) {
		log_limited(&t->refused_limit, LOG_INFO, "window 0x%x (%ux%u): DOCK refused: %s",
			    window_id(w), width, height, refused);
		return;
	}
	t->icons[t->count++] = window_id(w);
	uint32_t info[] = {XEMBED_VERSION, XEMBED_MAPPED};
	xcb_change_property(display_x(t->dp), XCB_PROP_MODE_REPLACE, window_frame(w),
			    t->xembed_info, t->xembed_info, 32, 2, info);
	embed(t, w);
}

/* A new tray on the host: every icon goes into it. */
static void tray_started(struct tray *t)
{
	forget_gone(t);
	log_limited(&t->tray_limit, LOG_INFO, "a system tray started on the host: %u tray icons",
		    t->count);
	for (unsigned i = 0; i < t->count; i++)
		embed(t, window_find(t->windows, t->icons[i]));
}

/* A tray that went away hands its icons back to the root (its save-set), mapped: hidden until
 * the next tray. */
static void handed_back(struct tray *t, const xcb_reparent_notify_event_t *e)
{
	struct window *w = window_by_host(t->windows, e->window);
	if (!w || !window_docked(w) || e->window != window_frame(w))
		return;
	xcb_unmap_window(display_x(t->dp), e->window);
	log_limited(&t->tray_limit, LOG_INFO,
		    "tray icon 0x%x left the host's tray: hidden until a tray starts",
		    window_id(w));
}

bool tray_event(struct tray *t, const xcb_generic_event_t *ev)
{
	xcb_window_t root = display_screen(t->dp)->root;
	switch (ev->response_type & 0x7f) {
	case XCB_CLIENT_MESSAGE: {
		const xcb_client_message_event_t *e = (const void *)ev;
		if (e->window != root || e->type != t->manager || e->format != 32 ||
		    e->data.data32[1] != display_atom(t->dp, DISPLAY_SYSTEM_TRAY))
			return false;
		tray_started(t);
		return true;
	}
	case XCB_REPARENT_NOTIFY: {
		const xcb_reparent_notify_event_t *e = (const void *)ev;
		if (e->event != e->window || e->parent != root)
			return false;
		handed_back(t, e);
		return true;
	}
	default:
		return false;
	}
}

/* The guest's system tray (gui-agent/tray.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/log.h"
#include "common/xconn.h"
#include "gui-agent/tray.h"

/* The system tray protocol's and XEMBED's numbers (freedesktop.org specifications). */
#define SYSTEM_TRAY_REQUEST_DOCK 0u
#define XEMBED_EMBEDDED_NOTIFY	 0u
#define XEMBED_VERSION		 0u

struct tray_icon {
	xcb_window_t icon;	/* the application's window */
	xcb_window_t embedder;	/* ours, on the root: what the daemon docks */
	uint32_t width, height; /* the embedder's size, which the icon keeps */
};

struct tray {
	const struct xctx *xc;
	struct wm *wm;
	unsigned slot;
	bool listening;
	xcb_window_t manager; /* owns the selection: XCB_NONE when another tray runs */
	xcb_atom_t opcode, xembed;
	struct tray_icon icons[TRAY_MAX_ICONS];
	unsigned count;
	/* Applications can ask to dock as often as they like. */
	struct log_limit refused_limit;
};

/* The index of the icon whose embedder is id, or -1. */
static int embedder_index(const struct tray *t, xcb_window_t id)
{
	for (unsigned i = 0; i < t->count; i++)
		if (t->icons[i].embedder == id)
			return (int)i;
	return -1;
}

static struct tray_icon *by_icon(struct tray *t, xcb_window_t id)
{
	for (unsigned i = 0; i < t->count; i++)
		if (t->icons[i].icon == id)
			return &t->icons[i];
	return NULL;
}

bool tray_docked(const struct tray *t, const struct wm_window *w)
{
	return embedder_index(t, w->id) >= 0;
}

void tray_keep_place(const struct tray *t, const struct wm_window *w, struct proto_configure *c)
{
	if (!tray_docked(t, w))
		return;
	c->x = w->x;
	c->y = w->y;
}

/* The icon follows its embedder's size (the host's tray gave it). */
static void fit_icon(struct tray *t, const struct tray_icon *ti)
{
	uint32_t geo[] = {0, 0, ti->width, ti->height, 0};
	xcb_configure_window(t->xc->x, ti->icon,
			     XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y | XCB_CONFIG_WINDOW_WIDTH |
				 XCB_CONFIG_WINDOW_HEIGHT | XCB_CONFIG_WINDOW_BORDER_WIDTH,
			     geo);
}

static void on_wm(void *ctx, const struct wm_event *ev)
{
	struct tray *t = ctx;
	int i = embedder_index(t, ev->window->id);
	if (i < 0 || ev->type != WM_CONFIGURED || !ev->resized)
		return;
	struct tray_icon *ti = &t->icons[i];
	ti->width = ev->window->width;
	ti->height = ev->window->height;
	fit_icon(t, ti);
}

/* Take _NET_SYSTEM_TRAY_S<n> and tell the guest's clients (MANAGER), unless another tray has it. */
static int become_tray(struct tray *t)
{
	const struct xctx *xc = t->xc;
	xcb_connection_t *x = xc->x;
	char name[32];
	snprintf(name, sizeof(name), "_NET_SYSTEM_TRAY_S%d", xconn_screen_number(x, xc->screen));
	xcb_atom_t sel = xconn_intern(x, name), manager = xconn_intern(x, "MANAGER");
	t->opcode = xconn_intern(x, "_NET_SYSTEM_TRAY_OPCODE");
	t->xembed = xconn_intern(x, "_XEMBED");
	if (!sel || !manager || !t->opcode || !t->xembed)
		return -EIO;
	xcb_get_selection_owner_reply_t *o =
	    xcb_get_selection_owner_reply(x, xcb_get_selection_owner(x, sel), NULL);
	bool taken = o && o->owner != XCB_NONE;
	free(o);
	if (taken) {
		log_info("another system tray runs in the guest: its tray icons are not forwarded");
		return 0;
	}
	t->manager = xcb_generate_id(x);
	uint32_t ovr = 1;
	xcb_create_window(x, 0, t->manager, xc->root, -1, -1, 1, 1, 0, XCB_WINDOW_CLASS_INPUT_ONLY,
			  XCB_COPY_FROM_PARENT, XCB_CW_OVERRIDE_REDIRECT, &ovr);
	xcb_set_selection_owner(x, t->manager, sel, XCB_CURRENT_TIME);
	xcb_client_message_event_t ev = {
	    .response_type = XCB_CLIENT_MESSAGE,
	    .format = 32,
	    .window = xc->root,
	    .type = manager,
	};
	ev.data.data32[0] = XCB_CURRENT_TIME;
	ev.data.data32[1] = sel;
	ev.data.data32[2] = t->manager;
	xcb_send_event(x, 0, xc->root, XCB_EVENT_MASK_STRUCTURE_NOTIFY, (const char *)&ev);
	return 0;
}

int tray_create(const struct xctx *xc, struct wm *wm, struct tray **out)
{
	*out = NULL;
	struct tray *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->xc = xc;
	t->wm = wm;
	int rc = wm_listen(wm, on_wm, t, &t->slot);
	t->listening = rc == 0;
	if (!rc)
		rc = become_tray(t);
	if (rc) {
		tray_destroy(t);
		return rc;
	}
	*out = t;
	return 0;
}

void tray_destroy(struct tray *t)
{
	if (!t)
		return;
	if (t->listening)
		wm_unlisten(t->wm, t->slot);
	free(t);
}

/* XEMBED: the icon learns it is embedded, and in what. */
static void embedded_notify(struct tray *t, const struct tray_icon *ti)
{
	xcb_client_message_event_t ev = {
	    .response_type = XCB_CLIENT_MESSAGE,
	    .format = 32,
	    .window = ti->icon,
	    .type = t->xembed,
	};
	ev.data.data32[0] = XCB_CURRENT_TIME;
	ev.data.data32[1] = XEMBED_EMBEDDED_NOTIFY;
	ev.data.data32[3] = ti->embedder;
	ev.data.data32[4] = XEMBED_VERSION;
	xcb_send_event(t->xc->x, 0, ti->icon, XCB_EVENT_MASK_NO_EVENT, (const char *)&ev);
}

/* The icon's names on its embedder (wm reads them there, as any window's): the host shows
 * "[domain] name" where a tray shows a name. As long as the protocol's WMNAME carries. */
static void copy_name(struct tray *t, xcb_window_t icon, xcb_window_t embedder)
{
	xcb_connection_t *x = t->xc->x;
	xcb_atom_t names[] = {XCB_ATOM_WM_NAME, t->xc->atoms[XCTX_NET_WM_NAME]};
	xcb_get_property_cookie_t c[2];
	for (unsigned i = 0; i < 2; i++)
		c[i] = xcb_get_property(x, 0, icon, names[i], XCB_GET_PROPERTY_TYPE_ANY, 0,
					sizeof(((struct proto_wmname *)0)->data) / 4);
	for (unsigned i = 0; i < 2; i++) {
		xcb_get_property_reply_t *r = xcb_get_property_reply(x, c[i], NULL);
		if (r && r->format == 8 && xcb_get_property_value_length(r) > 0)
			xcb_change_property(x, XCB_PROP_MODE_REPLACE, embedder, names[i], r->type,
					    8, (uint32_t)xcb_get_property_value_length(r),
					    xcb_get_property_value(r));
		free(r);
	}
}

/* SYSTEM_TRAY_REQUEST_DOCK for the window id: an embedder on the root (tracked by wm when its
 * CreateNotify comes, announced with DOCK when it is mapped), the icon inside it. */
static void dock(struct tray *t, xcb_window_t id)
{
	xcb_connection_t *x = t->xc->x;
	const char *refused = NULL;
	if (id == XCB_NONE || id == t->xc->root || by_icon(t, id) || embedder_index(t, id) >= 0)
		refused = "not a window that can be docked";
	else if (t->count >= TRAY_MAX_ICONS)
		refused = "the guest has as many tray icons as the host shows";
	xcb_get_window_attributes_reply_t *a =
	    refused ? NULL
		    : xcb_get_window_attributes_reply(x, xcb_get_window_attributes(x, id), NULL);
	if (!refused && !a)
		refused = "no such window";
	free(a);
	if (refused) {
		log_limited(&t->refused_limit, LOG_INFO, "tray icon 0x%x not docked: %s", id,
			    refused);
		return;
	}
	struct tray_icon *ti = &t->icons[t->count++];
	ti->icon = id;
	ti->embedder = xcb_generate_id(x);
	/* White behind an icon that draws only its shape: tinted, it stays white. */
	uint32_t vals[] = {t->xc->screen->white_pixel, 1};
	xcb_create_window(x, XCB_COPY_FROM_PARENT, ti->embedder, t->xc->root, 0, 0,
			  TRAY_EMBEDDER_SIZE, TRAY_EMBEDDER_SIZE, 0, XCB_WINDOW_CLASS_INPUT_OUTPUT,
			  XCB_COPY_FROM_PARENT, XCB_CW_BACK_PIXEL | XCB_CW_OVERRIDE_REDIRECT, vals);
	/* The icon's end, or its client taking it back, ends the embedder; its names follow (see
	 * tray_handle_event). */
	uint32_t mask = XCB_EVENT_MASK_STRUCTURE_NOTIFY | XCB_EVENT_MASK_PROPERTY_CHANGE;
	xcb_change_window_attributes(x, id, XCB_CW_EVENT_MASK, &mask);
	copy_name(t, id, ti->embedder);
	xcb_reparent_window(x, id, ti->embedder, 0, 0);
	ti->width = ti->height = TRAY_EMBEDDER_SIZE;
	fit_icon(t, ti);
	xcb_map_window(x, id);
	xcb_map_window(x, ti->embedder);
	embedded_notify(t, ti);
	log_info("tray icon 0x%x docked in 0x%x", id, ti->embedder);
}

/* The icon is gone, or its client took it out of the embedder: the embedder goes too (wm sees
 * it destroyed, and the daemon hears DESTROY). */
static void undock(struct tray *t, struct tray_icon *ti)
{
	xcb_destroy_window(t->xc->x, ti->embedder);
	log_info("tray icon 0x%x undocked", ti->icon);
	*ti = t->icons[--t->count];
}

bool tray_handle_event(struct tray *t, const xcb_generic_event_t *ev)
{
	switch (ev->response_type & 0x7f) {
	case XCB_CLIENT_MESSAGE: {
		const xcb_client_message_event_t *e = (const void *)ev;
		if (t->manager == XCB_NONE || e->window != t->manager || e->type != t->opcode ||
		    e->format != 32)
			return false;
		if (e->data.data32[1] == SYSTEM_TRAY_REQUEST_DOCK)
			dock(t, e->data.data32[2]);
		return true; /* balloon messages: not shown */
	}
	case XCB_DESTROY_NOTIFY: {
		const xcb_destroy_notify_event_t *e = (const void *)ev;
		struct tray_icon *ti = e->event == e->window ? by_icon(t, e->window) : NULL;
		if (ti)
			undock(t, ti);
		return false;
	}
	case XCB_CONFIGURE_NOTIFY: {
		/* The embedder sizes the icon (XEMBED): a client resizing itself is put back. */
		const xcb_configure_notify_event_t *e = (const void *)ev;
		const struct tray_icon *ti = e->event == e->window ? by_icon(t, e->window) : NULL;
		if (ti && !(ev->response_type & 0x80) &&
		    (e->width != ti->width || e->height != ti->height || e->x || e->y))
			fit_icon(t, ti);
		return false;
	}
	case XCB_PROPERTY_NOTIFY: {
		const xcb_property_notify_event_t *e = (const void *)ev;
		const struct tray_icon *ti = by_icon(t, e->window);
		if (ti &&
		    (e->atom == XCB_ATOM_WM_NAME || e->atom == t->xc->atoms[XCTX_NET_WM_NAME]))
			copy_name(t, ti->icon, ti->embedder);
		return false;
	}
	case XCB_REPARENT_NOTIFY: {
		const xcb_reparent_notify_event_t *e = (const void *)ev;
		struct tray_icon *ti = e->event == e->window ? by_icon(t, e->window) : NULL;
		if (ti && e->parent != ti->embedder)
			undock(t, ti);
		return false;
	}
	default:
		return false;
	}
}

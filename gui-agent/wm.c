/* The guest's window manager (gui-agent/wm.h): the window table, the X events that change it,
 * and the events it announces to its listeners. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xcb/composite.h>
#include <xcb/xcb_icccm.h>

#include "common/log.h"
#include "gui-agent/wm.h"

/* Window table buckets: a guest rarely has more than a few hundred top-level windows. */
#define WM_BUCKETS 256u

struct wm_entry {
	struct wm_window w;
	struct wm_entry *next; /* hash chain */
	void *data[WM_MAX_LISTENERS];
};

struct wm_listener {
	wm_listener_fn fn; /* NULL: a free slot */
	void *ctx;
};

struct wm {
	const struct xctx *xc;
	struct wm_entry *table[WM_BUCKETS];
	unsigned count;
	struct wm_listener listeners[WM_MAX_LISTENERS];
};

static unsigned bucket(xcb_window_t id)
{
	return (id ^ (id >> 11)) % WM_BUCKETS;
}

/* The entry behind a window handed out as const: wm owns it, so it may write it. */
static struct wm_entry *entry_of(const struct wm_window *w)
{
	return (struct wm_entry *)((char *)w - offsetof(struct wm_entry, w));
}

static struct wm_entry *find(const struct wm *wm, xcb_window_t id)
{
	for (struct wm_entry *e = wm->table[bucket(id)]; e; e = e->next)
		if (e->w.id == id)
			return e;
	return NULL;
}

const struct wm_window *wm_find(const struct wm *wm, xcb_window_t id)
{
	struct wm_entry *e = find(wm, id);
	return e ? &e->w : NULL;
}

void wm_for_each(const struct wm *wm, void (*fn)(void *ctx, const struct wm_window *w), void *ctx)
{
	for (unsigned i = 0; i < WM_BUCKETS; i++)
		for (struct wm_entry *e = wm->table[i]; e; e = e->next)
			fn(ctx, &e->w);
}

unsigned wm_count(const struct wm *wm)
{
	return wm->count;
}

void *wm_window_data(const struct wm_window *w, unsigned slot)
{
	return slot < WM_MAX_LISTENERS ? entry_of(w)->data[slot] : NULL;
}

void wm_window_set_data(struct wm *wm, const struct wm_window *w, unsigned slot, void *data)
{
	struct wm_entry *e = find(wm, w->id);
	if (e == entry_of(w) && slot < WM_MAX_LISTENERS)
		e->data[slot] = data;
}

int wm_listen(struct wm *wm, wm_listener_fn fn, void *ctx, unsigned *slot)
{
	for (unsigned i = 0; i < WM_MAX_LISTENERS; i++) {
		if (!wm->listeners[i].fn) {
			wm->listeners[i] = (struct wm_listener){fn, ctx};
			*slot = i;
			return 0;
		}
	}
	return -ENOSPC;
}

void wm_unlisten(struct wm *wm, unsigned slot)
{
	if (slot >= WM_MAX_LISTENERS)
		return;
	wm->listeners[slot] = (struct wm_listener){NULL, NULL};
	for (unsigned i = 0; i < WM_BUCKETS; i++)
		for (struct wm_entry *e = wm->table[i]; e; e = e->next)
			e->data[slot] = NULL;
}

static void emit(struct wm *wm, const struct wm_event *ev)
{
	for (unsigned n = 0; n < WM_MAX_LISTENERS; n++) {
		unsigned i = ev->type == WM_CREATED ? n : WM_MAX_LISTENERS - 1 - n;
		if (wm->listeners[i].fn)
			wm->listeners[i].fn(wm->listeners[i].ctx, ev);
	}
}

static void emit_simple(struct wm *wm, enum wm_event_type type, const struct wm_entry *e)
{
	struct wm_event ev = {.type = type, .window = &e->w};
	emit(wm, &ev);
}

/* ---- Tracking ------------------------------------------------------------------------------ */

/* Start tracking a child of the root if it is an InputOutput window of a depth the buffers can
 * hold, and announce it. Returns the new window, or NULL. */
static struct wm_entry *track(struct wm *wm, xcb_window_t id)
{
	if (id == wm->xc->stub || find(wm, id))
		return NULL;
	xcb_connection_t *x = wm->xc->x;
	xcb_get_window_attributes_cookie_t ac = xcb_get_window_attributes(x, id);
	xcb_get_geometry_cookie_t gc = xcb_get_geometry(x, id);
	xcb_get_window_attributes_reply_t *attr = xcb_get_window_attributes_reply(x, ac, NULL);
	xcb_get_geometry_reply_t *geo = xcb_get_geometry_reply(x, gc, NULL);
	struct wm_entry *e = NULL;
	if (!attr || !geo || attr->_class != XCB_WINDOW_CLASS_INPUT_OUTPUT)
		goto out; /* gone already, or input-only: nothing to show */
	if (geo->depth != 24 && geo->depth != 32) {
		log_warn("window 0x%x has depth %u: only depths 24 and 32 are forwarded", id,
			 geo->depth);
		goto out;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		log_error("out of memory tracking window 0x%x", id);
		goto out;
	}
	struct wm_window *w = &e->w;
	w->id = id;
	w->x = geo->x;
	w->y = geo->y;
	w->width = geo->width;
	w->height = geo->height;
	w->border = geo->border_width;
	w->override_redirect = attr->override_redirect;
	w->mapped = attr->map_state == XCB_MAP_STATE_VIEWABLE;
	props_init(&w->props);

	/* Select before reading, so that no property change falls between the two. */
	uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
	xcb_change_window_attributes(x, id, XCB_CW_EVENT_MASK, &mask);
	if (w->border) {
		/* The host draws the frame; a border would only shift the pixels. */
		uint32_t zero = 0;
		xcb_configure_window(x, id, XCB_CONFIG_WINDOW_BORDER_WIDTH, &zero);
	}
	props_read_all(wm->xc, id, &w->props);

	unsigned b = bucket(id);
	e->next = wm->table[b];
	wm->table[b] = e;
	wm->count++;
	log_debug("tracking window 0x%x %ux%u+%d+%d type atom %u%s%s", id, w->width, w->height,
		  w->x, w->y, w->props.type, w->override_redirect ? " override-redirect" : "",
		  w->mapped ? " mapped" : "");
	emit_simple(wm, WM_CREATED, e);
out:
	free(attr);
	free(geo);
	return e;
}

/* Stop tracking: the window was destroyed (x_gone) or left the root. */
static void untrack(struct wm *wm, struct wm_entry *e, bool x_gone)
{
	struct wm_event ev = {.type = WM_DESTROYED, .window = &e->w, .x_gone = x_gone};
	emit(wm, &ev);
	for (struct wm_entry **p = &wm->table[bucket(e->w.id)]; *p; p = &(*p)->next) {
		if (*p == e) {
			*p = e->next;
			break;
		}
	}
	wm->count--;
	log_debug("forgot window 0x%x", e->w.id);
	free(e);
}

void wm_scan(struct wm *wm)
{
	xcb_connection_t *x = wm->xc->x;
	xcb_query_tree_reply_t *t = xcb_query_tree_reply(x, xcb_query_tree(x, wm->xc->root), NULL);
	if (!t)
		return;
	xcb_window_t *kids = xcb_query_tree_children(t);
	int n = xcb_query_tree_children_length(t);
	for (int i = 0; i < n; i++) {
		struct wm_entry *e = track(wm, kids[i]);
		/* A window that was on screen before the agent came (after an agent restart, say)
		 * now has a fresh composite pixmap, whose contents the server copied from wherever
		 * it drew the window last: they may be stale or blank. An exposure of the whole
		 * window makes its client paint it again. ClearArea leaves a background-None
		 * window's pixels alone; one with a background is cleared to it first, which its
		 * client's repaint covers at once. */
		if (e && e->w.mapped)
			xcb_clear_area(x, 1, e->w.id, 0, 0, 0, 0);
	}
	free(t);
}

/* ---- Set-up -------------------------------------------------------------------------------- */

/* The check window says which window manager runs, and the root what it supports. */
static void announce_ewmh(const struct xctx *xc)
{
	xcb_connection_t *x = xc->x;
	const xcb_atom_t *at = xc->atoms;
	xcb_change_property(x, XCB_PROP_MODE_REPLACE, xc->stub, at[XCTX_NET_SUPPORTING_WM_CHECK],
			    XCB_ATOM_WINDOW, 32, 1, &xc->stub);
	xcb_change_property(x, XCB_PROP_MODE_REPLACE, xc->stub, at[XCTX_NET_WM_NAME],
			    at[XCTX_UTF8_STRING], 8, 4, "Seam");
	xcb_change_property(x, XCB_PROP_MODE_REPLACE, xc->root, at[XCTX_NET_SUPPORTING_WM_CHECK],
			    XCB_ATOM_WINDOW, 32, 1, &xc->stub);
	xcb_atom_t supported[] = {at[XCTX_NET_SUPPORTING_WM_CHECK],
				  at[XCTX_NET_WM_NAME],
				  at[XCTX_NET_WM_STATE],
				  at[XCTX_NET_WM_STATE_FULLSCREEN],
				  at[XCTX_NET_WM_STATE_DEMANDS_ATTENTION],
				  at[XCTX_NET_ACTIVE_WINDOW],
				  at[XCTX_NET_WM_WINDOW_TYPE]};
	xcb_change_property(x, XCB_PROP_MODE_REPLACE, xc->root, at[XCTX_NET_SUPPORTED],
			    XCB_ATOM_ATOM, 32, sizeof(supported) / sizeof(supported[0]), supported);
}

int wm_create(const struct xctx *xc, struct wm **out, char *why, size_t why_len)
{
	*out = NULL;
	xcb_connection_t *x = xc->x;
	uint32_t mask = XCB_EVENT_MASK_SUBSTRUCTURE_REDIRECT | XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY |
			XCB_EVENT_MASK_PROPERTY_CHANGE;
	xcb_generic_error_t *err = xcb_request_check(
	    x, xcb_change_window_attributes_checked(x, xc->root, XCB_CW_EVENT_MASK, &mask));
	if (err) {
		int rc = err->error_code == XCB_ACCESS ? -EBUSY : -EIO;
		if (rc == -EBUSY)
			snprintf(why, why_len, "another window manager is running on %s",
				 xc->display);
		else
			snprintf(why, why_len,
				 "cannot select events on the root window of %s (X error %u)",
				 xc->display, err->error_code);
		free(err);
		return rc;
	}
	err = xcb_request_check(x, xcb_composite_redirect_subwindows_checked(
				       x, xc->root, XCB_COMPOSITE_REDIRECT_MANUAL));
	if (err) {
		snprintf(why, why_len,
			 "cannot redirect the windows of %s: another compositing manager is "
			 "running (X error %u)",
			 xc->display, err->error_code);
		free(err);
		return -EBUSY;
	}
	struct wm *wm = calloc(1, sizeof(*wm));
	if (!wm) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	wm->xc = xc;
	announce_ewmh(xc);
	*out = wm;
	return 0;
}

void wm_destroy(struct wm *wm)
{
	if (!wm)
		return;
	for (unsigned i = 0; i < WM_BUCKETS; i++) {
		while (wm->table[i]) {
			struct wm_entry *e = wm->table[i];
			wm->table[i] = e->next;
			free(e);
		}
	}
	free(wm);
}

/* ---- The window manager's X events ---------------------------------------------------------- */

static void set_wm_state(struct wm *wm, xcb_window_t id, uint32_t state)
{
	uint32_t data[2] = {state, XCB_NONE};
	const xcb_atom_t *at = wm->xc->atoms;
	xcb_change_property(wm->xc->x, XCB_PROP_MODE_REPLACE, id, at[XCTX_WM_STATE],
			    at[XCTX_WM_STATE], 32, 2, data);
}

static void map_request(struct wm *wm, const xcb_map_request_event_t *ev)
{
	set_wm_state(wm, ev->window, XCB_ICCCM_WM_STATE_NORMAL);
	uint32_t zero = 0;
	xcb_configure_window(wm->xc->x, ev->window, XCB_CONFIG_WINDOW_BORDER_WIDTH, &zero);
	xcb_map_window(wm->xc->x, ev->window);
}

/* ICCCM 4.1.5: a client whose window is moved but not resized, or whose request changes nothing,
 * hears back with a synthetic ConfigureNotify giving its geometry in root coordinates. */
static void send_synthetic_configure(struct wm *wm, xcb_window_t id, int32_t x, int32_t y,
				     uint32_t width, uint32_t height)
{
	union {
		xcb_configure_notify_event_t ev;
		char bytes[32];
	} u;
	memset(&u, 0, sizeof(u));
	u.ev.response_type = XCB_CONFIGURE_NOTIFY;
	u.ev.event = id;
	u.ev.window = id;
	u.ev.above_sibling = XCB_NONE;
	u.ev.x = (int16_t)x;
	u.ev.y = (int16_t)y;
	u.ev.width = (uint16_t)width;
	u.ev.height = (uint16_t)height;
	xcb_send_event(wm->xc->x, 0, id, XCB_EVENT_MASK_STRUCTURE_NOTIFY, u.bytes);
}

/* Grant the request within the protocol's size bounds, always without a border. What the request
 * leaves out, and what a synthetic ConfigureNotify says, come from the server: the table learns of
 * an earlier grant only from its ConfigureNotify, which is still queued behind a request the client
 * sent at once after the first, and a synthetic notify from the table would then tell the client
 * its old size (an Xt application, xterm, takes it as the window manager's answer and shrinks its
 * layout to it). */
static void configure_request(struct wm *wm, const xcb_configure_request_event_t *ev)
{
	struct wm_entry *e = find(wm, ev->window);
	xcb_get_geometry_reply_t *g =
	    e ? xcb_get_geometry_reply(wm->xc->x, xcb_get_geometry(wm->xc->x, ev->window), NULL)
	      : NULL;
	const struct wm_window *w = g ? &e->w : NULL;
	int32_t x = w ? g->x : ev->x, y = w ? g->y : ev->y;
	uint32_t width = w ? g->width : ev->width, height = w ? g->height : ev->height;
	uint32_t old_width = width, old_height = height;
	free(g);
	uint32_t values[7];
	uint16_t mask = XCB_CONFIG_WINDOW_BORDER_WIDTH;
	unsigned n = 0;
	/* Values go in the order of the mask bits. */
	if (ev->value_mask & XCB_CONFIG_WINDOW_X) {
		mask |= XCB_CONFIG_WINDOW_X;
		values[n++] = (uint32_t)(x = ev->x);
	}
	if (ev->value_mask & XCB_CONFIG_WINDOW_Y) {
		mask |= XCB_CONFIG_WINDOW_Y;
		values[n++] = (uint32_t)(y = ev->y);
	}
	if (ev->value_mask & XCB_CONFIG_WINDOW_WIDTH) {
		mask |= XCB_CONFIG_WINDOW_WIDTH;
		values[n++] = width = wm_clamp_size(ev->width, PROTO_MAX_WINDOW_WIDTH);
	}
	if (ev->value_mask & XCB_CONFIG_WINDOW_HEIGHT) {
		mask |= XCB_CONFIG_WINDOW_HEIGHT;
		values[n++] = height = wm_clamp_size(ev->height, PROTO_MAX_WINDOW_HEIGHT);
	}
	values[n++] = 0; /* border width */
	if (ev->value_mask & XCB_CONFIG_WINDOW_SIBLING) {
		mask |= XCB_CONFIG_WINDOW_SIBLING;
		values[n++] = ev->sibling;
	}
	if (ev->value_mask & XCB_CONFIG_WINDOW_STACK_MODE) {
		mask |= XCB_CONFIG_WINDOW_STACK_MODE;
		values[n++] = ev->stack_mode;
	}
	xcb_configure_window(wm->xc->x, ev->window, mask, values);
	if (w && width == old_width && height == old_height)
		send_synthetic_configure(wm, w->id, x, y, width, height);
}

void wm_set_state(struct wm *wm, const struct wm_window *w, uint32_t set, uint32_t unset)
{
	props_set_net_state(wm->xc, w->id, set, unset);
}

bool wm_request_geometry(struct wm *wm, const struct wm_window *w, const struct proto_configure *c)
{
	if (c->x == w->x && c->y == w->y && c->width == w->width && c->height == w->height)
		return false;
	uint32_t v[4] = {(uint32_t)c->x, (uint32_t)c->y, c->width, c->height};
	xcb_configure_window(wm->xc->x, w->id,
			     XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y | XCB_CONFIG_WINDOW_WIDTH |
				 XCB_CONFIG_WINDOW_HEIGHT,
			     v);
	return true;
}

static void map_notify(struct wm *wm, const xcb_map_notify_event_t *ev)
{
	struct wm_entry *e = find(wm, ev->window);
	if (!e || e->w.mapped)
		return;
	e->w.override_redirect = ev->override_redirect;
	e->w.mapped = true;
	emit_simple(wm, WM_MAPPED, e);
}

static void unmap_notify(struct wm *wm, const xcb_unmap_notify_event_t *ev)
{
	struct wm_entry *e = find(wm, ev->window);
	if (!e || !e->w.mapped)
		return;
	e->w.mapped = false;
	emit_simple(wm, WM_UNMAPPED, e);
	if (!e->w.override_redirect)
		set_wm_state(wm, e->w.id, XCB_ICCCM_WM_STATE_WITHDRAWN);
}

static void configure_notify(struct wm *wm, const xcb_configure_notify_event_t *ev)
{
	struct wm_entry *e = find(wm, ev->window);
	if (!e)
		return;
	struct wm_window *w = &e->w;
	bool resized =
	    ev->width != w->width || ev->height != w->height || ev->border_width != w->border;
	if (!resized && ev->x == w->x && ev->y == w->y &&
	    ev->override_redirect == w->override_redirect)
		return; /* a restack: nothing the daemon is told about */
	w->x = ev->x;
	w->y = ev->y;
	w->width = ev->width;
	w->height = ev->height;
	w->border = ev->border_width;
	w->override_redirect = ev->override_redirect;
	struct wm_event out = {.type = WM_CONFIGURED, .window = w, .resized = resized};
	emit(wm, &out);
}

static void reparent_notify(struct wm *wm, const xcb_reparent_notify_event_t *ev)
{
	struct wm_entry *e = find(wm, ev->window);
	if (ev->parent == wm->xc->root) {
		if (!e)
			track(wm, ev->window);
	} else if (e) {
		untrack(wm, e, false); /* embedded somewhere: no longer a top-level window */
	}
}

static void property_notify(struct wm *wm, const xcb_property_notify_event_t *ev)
{
	struct wm_entry *e = find(wm, ev->window);
	if (!e)
		return;
	unsigned changed = props_update(wm->xc, e->w.id, ev->atom, &e->w.props);
	if (!changed)
		return;
	struct wm_event out = {.type = WM_PROPERTY, .window = &e->w, .changed = changed};
	emit(wm, &out);
}

static void client_message(struct wm *wm, const xcb_client_message_event_t *ev)
{
	struct wm_entry *e = find(wm, ev->window);
	if (!e || ev->format != 32)
		return;
	const xcb_atom_t *at = wm->xc->atoms;
	if (ev->type == at[XCTX_NET_WM_STATE]) {
		/* Attention is the client's own to ask for; full screen is the host's to grant. */
		uint32_t set, unset;
		props_state_request(wm->xc, &e->w.props, ev->data.data32[0], ev->data.data32[1],
				    ev->data.data32[2], &set, &unset);
		props_set_net_state(wm->xc, e->w.id, set & ~PROTO_FLAG_FULLSCREEN,
				    unset & ~PROTO_FLAG_FULLSCREEN);
		struct wm_event out = {.type = WM_STATE_REQUEST,
				       .window = &e->w,
				       .set = set & PROTO_FLAG_FULLSCREEN,
				       .unset = unset & PROTO_FLAG_FULLSCREEN};
		if (out.set || out.unset)
			emit(wm, &out);
	} else if (ev->type == at[XCTX_WM_CHANGE_STATE] &&
		   ev->data.data32[0] == XCB_ICCCM_WM_STATE_ICONIC) {
		emit_simple(wm, WM_ICONIFY, e);
	} else if (ev->type == at[XCTX_NET_ACTIVE_WINDOW]) {
		/* A guest may not take the focus on the host: only the host user gives it. */
		log_debug("window 0x%x asked for the focus: ignored", e->w.id);
	}
}

void wm_handle_event(struct wm *wm, const xcb_generic_event_t *ev)
{
	bool synthetic = ev->response_type & 0x80;
	switch (ev->response_type & 0x7f) {
	case XCB_CREATE_NOTIFY: {
		const xcb_create_notify_event_t *e = (const void *)ev;
		if (e->parent == wm->xc->root)
			track(wm, e->window);
		break;
	}
	case XCB_DESTROY_NOTIFY: {
		struct wm_entry *e = find(wm, ((const xcb_destroy_notify_event_t *)ev)->window);
		if (e)
			untrack(wm, e, true);
		break;
	}
	case XCB_MAP_REQUEST:
		map_request(wm, (const xcb_map_request_event_t *)ev);
		break;
	case XCB_MAP_NOTIFY:
		map_notify(wm, (const xcb_map_notify_event_t *)ev);
		break;
	case XCB_UNMAP_NOTIFY:
		/* A synthetic one is a client's ICCCM withdrawal notice; the real one follows. */
		if (!synthetic)
			unmap_notify(wm, (const xcb_unmap_notify_event_t *)ev);
		break;
	case XCB_CONFIGURE_NOTIFY:
		if (!synthetic)
			configure_notify(wm, (const xcb_configure_notify_event_t *)ev);
		break;
	case XCB_CONFIGURE_REQUEST:
		configure_request(wm, (const xcb_configure_request_event_t *)ev);
		break;
	case XCB_REPARENT_NOTIFY:
		reparent_notify(wm, (const xcb_reparent_notify_event_t *)ev);
		break;
	case XCB_PROPERTY_NOTIFY:
		property_notify(wm, (const xcb_property_notify_event_t *)ev);
		break;
	case XCB_CLIENT_MESSAGE:
		client_message(wm, (const xcb_client_message_event_t *)ev);
		break;
	default:
		break;
	}
}

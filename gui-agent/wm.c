/* The guest's window manager: the table of top-level windows and the X events that change it.
 *
 * Every InputOutput child of the root is tracked, override-redirect ones (menus, tooltips) too.
 * Managed windows are mapped as asked (no reparenting, no decorations: the host draws the frame)
 * and configured as asked within the protocol's size bounds, with no border.
 */
#include <stdlib.h>
#include <string.h>
#include <xcb/xcb_icccm.h>

#include "common/log.h"
#include "gui-agent/agent.h"

static unsigned bucket(xcb_window_t id)
{
	return (id ^ (id >> 11)) % AGENT_WINDOW_BUCKETS;
}

struct agent_window *wm_find(struct agent *a, xcb_window_t id)
{
	for (struct agent_window *w = a->table[bucket(id)]; w; w = w->next)
		if (w->id == id)
			return w;
	return NULL;
}

void wm_for_each(struct agent *a, void (*fn)(struct agent *, struct agent_window *))
{
	for (unsigned i = 0; i < AGENT_WINDOW_BUCKETS; i++)
		for (struct agent_window *w = a->table[i]; w; w = w->next)
			fn(a, w);
}

/* Start tracking a child of the root if it is an InputOutput window of a depth the buffers can
 * hold. Returns the new window, or NULL. */
static struct agent_window *track(struct agent *a, xcb_window_t id)
{
	if (id == a->stub || wm_find(a, id))
		return NULL;
	xcb_connection_t *x = a->x;
	xcb_get_window_attributes_cookie_t ac = xcb_get_window_attributes(x, id);
	xcb_get_geometry_cookie_t gc = xcb_get_geometry(x, id);
	xcb_get_window_attributes_reply_t *attr = xcb_get_window_attributes_reply(x, ac, NULL);
	xcb_get_geometry_reply_t *geo = xcb_get_geometry_reply(x, gc, NULL);
	struct agent_window *w = NULL;
	if (!attr || !geo || attr->_class != XCB_WINDOW_CLASS_INPUT_OUTPUT)
		goto out; /* gone already, or input-only: nothing to show */
	if (geo->depth != 24 && geo->depth != 32) {
		log_warn("window 0x%x has depth %u: only depths 24 and 32 are forwarded", id,
			 geo->depth);
		goto out;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		log_error("out of memory tracking window 0x%x", id);
		goto out;
	}
	w->id = id;
	w->x = geo->x;
	w->y = geo->y;
	w->width = geo->width;
	w->height = geo->height;
	w->border = geo->border_width;
	w->override_redirect = attr->override_redirect;
	w->mapped = attr->map_state == XCB_MAP_STATE_VIEWABLE;
	w->input_hint = true;

	/* Select before reading, so that no property change falls between the two. */
	uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
	xcb_change_window_attributes(x, id, XCB_CW_EVENT_MASK, &mask);
	if (w->border) {
		/* The host draws the frame; a border would only shift the pixels. */
		uint32_t zero = 0;
		xcb_configure_window(x, id, XCB_CONFIG_WINDOW_BORDER_WIDTH, &zero);
	}
	props_read_all(a, w);
	damage_window_init(a, w);

	unsigned b = bucket(id);
	w->next = a->table[b];
	a->table[b] = w;
	a->nwindows++;
	log_debug("tracking window 0x%x %ux%u+%d+%d type atom %u%s%s", id, w->width, w->height,
		  w->x, w->y, w->type, w->override_redirect ? " override-redirect" : "",
		  w->mapped ? " mapped" : "");
out:
	free(attr);
	free(geo);
	return w;
}

/* Stop tracking: the window was destroyed (x_gone) or left the root. */
static void untrack(struct agent *a, struct agent_window *w, bool x_gone)
{
	conn_window_destroyed(a, w);
	damage_window_fini(a, w, x_gone);
	if (a->focus == w->id)
		a->focus = XCB_NONE;
	if (a->pointer_window == w->id)
		cursor_set_window(a, NULL);
	for (struct agent_window **p = &a->table[bucket(w->id)]; *p; p = &(*p)->next) {
		if (*p == w) {
			*p = w->next;
			break;
		}
	}
	a->nwindows--;
	log_debug("forgot window 0x%x", w->id);
	free(w);
}

void wm_free_all(struct agent *a)
{
	for (unsigned i = 0; i < AGENT_WINDOW_BUCKETS; i++) {
		while (a->table[i]) {
			struct agent_window *w = a->table[i];
			a->table[i] = w->next;
			damage_window_fini(a, w, false);
			free(w);
		}
	}
	a->nwindows = 0;
}

void wm_scan(struct agent *a)
{
	xcb_query_tree_reply_t *t = xcb_query_tree_reply(a->x, xcb_query_tree(a->x, a->root), NULL);
	if (!t)
		return;
	xcb_window_t *kids = xcb_query_tree_children(t);
	int n = xcb_query_tree_children_length(t);
	for (int i = 0; i < n; i++) {
		struct agent_window *w = track(a, kids[i]);
		if (!w)
			continue;
		conn_window_created(a, w);
		/* A window that was on screen before the agent came (after an agent restart, say)
		 * now has a fresh composite pixmap, whose contents the server copied from wherever
		 * it drew the window last: they may be stale or blank. An exposure of the whole
		 * window makes its client paint it again. ClearArea leaves a background-None
		 * window's pixels alone; one with a background is cleared to it first, which its
		 * client's repaint covers at once. */
		if (w->mapped)
			xcb_clear_area(a->x, 1, w->id, 0, 0, 0, 0);
	}
	free(t);
}

static void set_wm_state(struct agent *a, xcb_window_t id, uint32_t state)
{
	uint32_t data[2] = {state, XCB_NONE};
	xcb_change_property(a->x, XCB_PROP_MODE_REPLACE, id, a->atoms[ATOM_WM_STATE],
			    a->atoms[ATOM_WM_STATE], 32, 2, data);
}

static void map_request(struct agent *a, const xcb_map_request_event_t *ev)
{
	set_wm_state(a, ev->window, XCB_ICCCM_WM_STATE_NORMAL);
	uint32_t zero = 0;
	xcb_configure_window(a->x, ev->window, XCB_CONFIG_WINDOW_BORDER_WIDTH, &zero);
	xcb_map_window(a->x, ev->window);
}

/* ICCCM 4.1.5: a client whose window is moved but not resized, or whose request changes nothing,
 * hears back with a synthetic ConfigureNotify giving its geometry in root coordinates. */
static void send_synthetic_configure(struct agent *a, xcb_window_t id, int32_t x, int32_t y,
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
	xcb_send_event(a->x, 0, id, XCB_EVENT_MASK_STRUCTURE_NOTIFY, u.bytes);
}

/* Grant the request within the protocol's size bounds, always without a border. */
static void configure_request(struct agent *a, const xcb_configure_request_event_t *ev)
{
	struct agent_window *w = wm_find(a, ev->window);
	int32_t x = w ? w->x : ev->x, y = w ? w->y : ev->y;
	uint32_t width = w ? w->width : ev->width, height = w ? w->height : ev->height;
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
		values[n++] = width = agent_clamp_size(ev->width, PROTO_MAX_WINDOW_WIDTH);
	}
	if (ev->value_mask & XCB_CONFIG_WINDOW_HEIGHT) {
		mask |= XCB_CONFIG_WINDOW_HEIGHT;
		values[n++] = height = agent_clamp_size(ev->height, PROTO_MAX_WINDOW_HEIGHT);
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
	xcb_configure_window(a->x, ev->window, mask, values);
	if (w && width == w->width && height == w->height)
		send_synthetic_configure(a, w->id, x, y, width, height);
}

static void map_notify(struct agent *a, const xcb_map_notify_event_t *ev)
{
	struct agent_window *w = wm_find(a, ev->window);
	if (!w || w->mapped)
		return;
	w->override_redirect = ev->override_redirect;
	w->mapped = true;
	conn_window_mapped(a, w);
}

static void unmap_notify(struct agent *a, const xcb_unmap_notify_event_t *ev)
{
	struct agent_window *w = wm_find(a, ev->window);
	if (!w || !w->mapped)
		return;
	w->mapped = false;
	conn_window_unmapped(a, w);
	damage_window_unmapped(a, w);
	if (!w->override_redirect)
		set_wm_state(a, w->id, XCB_ICCCM_WM_STATE_WITHDRAWN);
	if (a->focus == w->id)
		a->focus = XCB_NONE;
}

static void configure_notify(struct agent *a, const xcb_configure_notify_event_t *ev)
{
	struct agent_window *w = wm_find(a, ev->window);
	if (!w)
		return;
	bool resized =
	    ev->width != w->width || ev->height != w->height || ev->border_width != w->border;
	if (!resized && ev->x == w->x && ev->y == w->y && ev->border_width == w->border &&
	    ev->override_redirect == w->override_redirect)
		return; /* a restack: nothing the daemon is told about */
	w->x = ev->x;
	w->y = ev->y;
	w->width = ev->width;
	w->height = ev->height;
	w->border = ev->border_width;
	w->override_redirect = ev->override_redirect;
	conn_send_configure(a, w);
	if (resized)
		damage_window_resized(a, w);
}

static void reparent_notify(struct agent *a, const xcb_reparent_notify_event_t *ev)
{
	struct agent_window *w = wm_find(a, ev->window);
	if (ev->parent == a->root) {
		if (!w && (w = track(a, ev->window)))
			conn_window_created(a, w);
	} else if (w) {
		untrack(a, w, false); /* embedded somewhere: no longer a top-level window */
	}
}

static void client_message(struct agent *a, const xcb_client_message_event_t *ev)
{
	struct agent_window *w = wm_find(a, ev->window);
	if (!w || ev->format != 32)
		return;
	if (ev->type == a->atoms[ATOM_NET_WM_STATE]) {
		props_net_wm_state_request(a, w, ev->data.data32[0], ev->data.data32[1],
					   ev->data.data32[2]);
	} else if (ev->type == a->atoms[ATOM_WM_CHANGE_STATE] &&
		   ev->data.data32[0] == XCB_ICCCM_WM_STATE_ICONIC) {
		conn_send_minimize(a, w);
	} else if (ev->type == a->atoms[ATOM_NET_ACTIVE_WINDOW]) {
		/* A guest may not take the focus on the host: only the host user gives it. */
		log_debug("window 0x%x asked for the focus: ignored", w->id);
	}
}

void wm_handle_event(struct agent *a, xcb_generic_event_t *ev)
{
	switch (ev->response_type & 0x7f) {
	case XCB_CREATE_NOTIFY: {
		const xcb_create_notify_event_t *e = (const void *)ev;
		struct agent_window *w;
		if (e->parent == a->root && (w = track(a, e->window)))
			conn_window_created(a, w);
		break;
	}
	case XCB_DESTROY_NOTIFY: {
		struct agent_window *w = wm_find(a, ((xcb_destroy_notify_event_t *)ev)->window);
		if (w)
			untrack(a, w, true);
		break;
	}
	case XCB_MAP_REQUEST:
		map_request(a, (const xcb_map_request_event_t *)ev);
		break;
	case XCB_MAP_NOTIFY:
		map_notify(a, (const xcb_map_notify_event_t *)ev);
		break;
	case XCB_UNMAP_NOTIFY:
		/* A synthetic one is a client's ICCCM withdrawal notice; the real one follows. */
		if (!(ev->response_type & 0x80))
			unmap_notify(a, (const xcb_unmap_notify_event_t *)ev);
		break;
	case XCB_CONFIGURE_NOTIFY:
		if (!(ev->response_type & 0x80))
			configure_notify(a, (const xcb_configure_notify_event_t *)ev);
		break;
	case XCB_CONFIGURE_REQUEST:
		configure_request(a, (const xcb_configure_request_event_t *)ev);
		break;
	case XCB_REPARENT_NOTIFY:
		reparent_notify(a, (const xcb_reparent_notify_event_t *)ev);
		break;
	case XCB_PROPERTY_NOTIFY: {
		const xcb_property_notify_event_t *e = (const void *)ev;
		struct agent_window *w = wm_find(a, e->window);
		if (w)
			props_changed(a, w, e->atom);
		break;
	}
	case XCB_CLIENT_MESSAGE:
		client_message(a, (const xcb_client_message_event_t *)ev);
		break;
	case XCB_MAPPING_NOTIFY: {
		const xcb_mapping_notify_event_t *e = (const void *)ev;
		if (e->request == XCB_MAPPING_MODIFIER || e->request == XCB_MAPPING_KEYBOARD)
			input_mapping_changed(a);
		break;
	}
	default:
		break;
	}
}

/* The guest's mapped top-level windows, counted from SubstructureNotify on the root. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <xcb/xcb.h>

#include "common/xconn.h"
#include "sandbox/winwatch.h"

struct winwatch {
	xcb_connection_t *x;
	xcb_window_t root;
	xcb_atom_t wm_check;
	bool wm_ready;
	int n;
	xcb_window_t mapped[WINWATCH_MAX];
};

static void forget(struct winwatch *w, xcb_window_t id)
{
	for (int i = 0; i < w->n; i++)
		if (w->mapped[i] == id) {
			w->mapped[i] = w->mapped[--w->n];
			return;
		}
}

static void remember(struct winwatch *w, xcb_window_t id)
{
	for (int i = 0; i < w->n; i++)
		if (w->mapped[i] == id)
			return;
	if (w->n < WINWATCH_MAX)
		w->mapped[w->n++] = id;
}

static void check_wm(struct winwatch *w)
{
	xcb_get_property_reply_t *r = xcb_get_property_reply(
	    w->x, xcb_get_property(w->x, 0, w->root, w->wm_check, XCB_ATOM_WINDOW, 0, 1), NULL);
	w->wm_ready = r && xcb_get_property_value_length(r) >= 4;
	free(r);
}

int winwatch_open(const char *display, struct winwatch **out, char *why, size_t why_len)
{
	struct winwatch *w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	xcb_screen_t *screen;
	int rc = xconn_open(display, 1, &w->x, &screen, why, why_len);
	if (rc) {
		winwatch_close(w);
		return rc;
	}
	w->root = screen->root;
	w->wm_check = xconn_intern(w->x, "_NET_SUPPORTING_WM_CHECK");
	/* SubstructureNotify, unlike SubstructureRedirect (the agent's), may be selected by many.
	 */
	uint32_t mask = XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY | XCB_EVENT_MASK_PROPERTY_CHANGE;
	xcb_change_window_attributes(w->x, w->root, XCB_CW_EVENT_MASK, &mask);
	check_wm(w);
	xcb_flush(w->x);
	*out = w;
	return 0;
}

int winwatch_fd(const struct winwatch *w)
{
	return xcb_get_file_descriptor(w->x);
}

bool winwatch_wm_ready(struct winwatch *w)
{
	return w->wm_ready;
}

int winwatch_dispatch(struct winwatch *w)
{
	xcb_generic_event_t *ev;
	while ((ev = xcb_poll_for_event(w->x))) {
		switch (ev->response_type & 0x7f) {
		case XCB_MAP_NOTIFY: {
			xcb_map_notify_event_t *e = (xcb_map_notify_event_t *)ev;
			if (e->event == w->root && !e->override_redirect)
				remember(w, e->window);
			break;
		}
		case XCB_UNMAP_NOTIFY: {
			xcb_unmap_notify_event_t *e = (xcb_unmap_notify_event_t *)ev;
			if (e->event == w->root)
				forget(w, e->window);
			break;
		}
		case XCB_DESTROY_NOTIFY: {
			xcb_destroy_notify_event_t *e = (xcb_destroy_notify_event_t *)ev;
			if (e->event == w->root)
				forget(w, e->window);
			break;
		}
		case XCB_REPARENT_NOTIFY: {
			xcb_reparent_notify_event_t *e = (xcb_reparent_notify_event_t *)ev;
			if (e->event == w->root && e->parent != w->root)
				forget(w, e->window);
			break;
		}
		case XCB_PROPERTY_NOTIFY: {
			xcb_property_notify_event_t *e = (xcb_property_notify_event_t *)ev;
			if (e->window == w->root && e->atom == w->wm_check)
				check_wm(w);
			break;
		}
		default:
			break;
		}
		free(ev);
	}
	xcb_flush(w->x);
	return xcb_connection_has_error(w->x) ? -1 : w->n;
}

void winwatch_close(struct winwatch *w)
{
	if (!w)
		return;
	if (w->x)
		xcb_disconnect(w->x);
	free(w);
}

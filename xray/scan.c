/* The windows on the screen and their owners (xray/scan.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/xconn.h"
#include "window-decor/decor_x.h"
#include "xray/scan.h"

/* How deep below a top-level window the client window may sit: window managers put it in their
 * frame directly or inside one or two wrapper windows (openbox, xfwm4, mutter). */
#define IDENTITY_DEPTH 3u
/* Most windows looked at below one top-level window: an openbox frame has about 60 children. A
 * search cut short by this bound never concludes "host". */
#define IDENTITY_WINDOWS 256u
/* The label color shown for a guest window whose color is missing or malformed, and for a window
 * whose owner could not be found. */
#define UNKNOWN_RGB 0xffffffu

int xray_scan_atoms(xcb_connection_t *x, struct xray_atoms *a)
{
	static const char *const names[] = {DECOR_X_PROP_VMNAME, DECOR_X_PROP_LABEL_COLOR,
					    "WM_STATE"};
	xcb_atom_t atoms[3];
	int rc = xconn_intern_atoms(x, names, 3, atoms);
	a->vmname = atoms[0];
	a->label_color = atoms[1];
	a->wm_state = atoms[2];
	return rc;
}

bool xray_scan_is_own(xcb_connection_t *x, xcb_window_t w)
{
	const xcb_setup_t *s = xcb_get_setup(x);
	return (w & ~s->resource_id_mask) == s->resource_id_base;
}

/* The name property's value as a name: a valid domain name, or "?" for anything else (the host's
 * daemons set it, so a bad one means a broken daemon, and it still is not the host's window). */
static void take_name(xcb_get_property_reply_t *r, char *name)
{
	int len = xcb_get_property_value_length(r);
	if (r->format == 8 && r->bytes_after == 0 && len > 0 && len <= (int)DOMAIN_NAME_MAX) {
		memcpy(name, xcb_get_property_value(r), (size_t)len);
		name[len] = '\0';
		if (domain_name_valid(name))
			return;
	}
	strcpy(name, "?");
}

static uint32_t take_color(xcb_get_property_reply_t *r)
{
	if (r && r->format == 32 && xcb_get_property_value_length(r) == 4)
		return *(const uint32_t *)xcb_get_property_value(r) & 0xffffffu;
	return UNKNOWN_RGB;
}

enum owner { OWNER_NOT_HERE, OWNER_GUEST, OWNER_HOST };

/* Look at the windows of one level (n of them, top first): the first that carries the identity
 * is a guest's window; the first that is a window manager's client (WM_STATE) without it is the
 * host's. */
static enum owner owner_in(xcb_connection_t *x, const struct xray_atoms *a,
			   const xcb_window_t *wins, unsigned n, struct xray_target *t)
{
	xcb_get_property_cookie_t names[IDENTITY_WINDOWS], colors[IDENTITY_WINDOWS],
	    states[IDENTITY_WINDOWS];
	for (unsigned i = 0; i < n; i++) {
		names[i] = xcb_get_property(x, 0, wins[i], a->vmname, XCB_ATOM_STRING, 0,
					    DOMAIN_NAME_MAX / 4 + 1);
		colors[i] =
		    xcb_get_property(x, 0, wins[i], a->label_color, XCB_ATOM_CARDINAL, 0, 1);
		states[i] =
		    xcb_get_property(x, 0, wins[i], a->wm_state, XCB_GET_PROPERTY_TYPE_ANY, 0, 0);
	}
	enum owner found = OWNER_NOT_HERE;
	for (unsigned i = 0; i < n; i++) {
		xcb_get_property_reply_t *nr = xcb_get_property_reply(x, names[i], NULL);
		xcb_get_property_reply_t *cr = xcb_get_property_reply(x, colors[i], NULL);
		xcb_get_property_reply_t *sr = xcb_get_property_reply(x, states[i], NULL);
		if (found == OWNER_NOT_HERE && nr && nr->type != XCB_ATOM_NONE) {
			found = OWNER_GUEST;
			take_name(nr, t->name);
			t->rgb = take_color(cr);
		} else if (found == OWNER_NOT_HERE && sr && sr->type != XCB_ATOM_NONE) {
			found = OWNER_HOST;
		}
		free(nr);
		free(cr);
		free(sr);
	}
	return found;
}

/* The children of n windows, top first, appended to next (at most room); returns how many, or
 * room + 1 if some did not fit. */
static unsigned children_of(xcb_connection_t *x, const xcb_window_t *wins, unsigned n,
			    xcb_window_t *next, unsigned room)
{
	xcb_query_tree_cookie_t cookies[IDENTITY_WINDOWS];
	for (unsigned i = 0; i < n; i++)
		cookies[i] = xcb_query_tree(x, wins[i]);
	unsigned count = 0;
	for (unsigned i = 0; i < n; i++) {
		xcb_query_tree_reply_t *r = xcb_query_tree_reply(x, cookies[i], NULL);
		if (!r)
			continue;
		const xcb_window_t *kids = xcb_query_tree_children(r);
		int nkids = xcb_query_tree_children_length(r);
		/* X lists children bottom to top. */
		for (int k = nkids - 1; k >= 0; k--) {
			if (count == room) {
				count = room + 1;
				break;
			}
			next[count++] = kids[k];
		}
		free(r);
		if (count > room)
			break;
	}
	return count;
}

/* The owner of top-level window t->window, level by level below it: a guest's if the identity is
 * found, the host's if a client without it is found or nothing is below; a search cut short by
 * the bounds finds an unknown owner, shown as a guest named "?". */
static void find_owner(xcb_connection_t *x, const struct xray_atoms *a, struct xray_target *t)
{
	xcb_window_t level[IDENTITY_WINDOWS], next[IDENTITY_WINDOWS];
	unsigned n = 1, seen = 1;
	level[0] = t->window;
	t->guest = false;
	t->name[0] = '\0';
	t->rgb = 0;
	for (unsigned depth = 0; n; depth++) {
		enum owner o = owner_in(x, a, level, n, t);
		if (o != OWNER_NOT_HERE) {
			t->guest = o == OWNER_GUEST;
			return;
		}
		if (depth == IDENTITY_DEPTH)
			break;
		n = children_of(x, level, n, next, IDENTITY_WINDOWS - seen);
		if (n > IDENTITY_WINDOWS - seen)
			break;
		seen += n;
		memcpy(level, next, n * sizeof(next[0]));
	}
	if (n) {
		t->guest = true;
		strcpy(t->name, "?");
		t->rgb = UNKNOWN_RGB;
	}
}

static bool on_screen(const struct xray_target *t, const xcb_screen_t *s)
{
	return t->width && t->height && t->x < (int)s->width_in_pixels &&
	       t->y < (int)s->height_in_pixels && t->x + (int)t->width > 0 &&
	       t->y + (int)t->height > 0;
}

int xray_scan(xcb_connection_t *x, const xcb_screen_t *screen, const struct xray_atoms *a,
	      struct xray_target *out, unsigned max)
{
	xcb_query_tree_reply_t *tree =
	    xcb_query_tree_reply(x, xcb_query_tree(x, screen->root), NULL);
	if (!tree)
		return -EIO;
	const xcb_window_t *kids = xcb_query_tree_children(tree);
	unsigned nkids = (unsigned)xcb_query_tree_children_length(tree);
	xcb_get_window_attributes_cookie_t *attrs = calloc(nkids + 1, sizeof(*attrs));
	xcb_get_geometry_cookie_t *geoms = calloc(nkids + 1, sizeof(*geoms));
	if (!attrs || !geoms) {
		free(attrs);
		free(geoms);
		free(tree);
		return -ENOMEM;
	}
	/* All the questions first, then the answers: one round trip for the whole screen. */
	for (unsigned i = 0; i < nkids; i++) {
		attrs[i] = xcb_get_window_attributes(x, kids[i]);
		geoms[i] = xcb_get_geometry(x, kids[i]);
	}
	/* Top first, so that with more windows than max the ones left out are the lowest. */
	unsigned n = 0;
	for (unsigned i = nkids; i-- > 0;) {
		xcb_get_window_attributes_reply_t *ar =
		    xcb_get_window_attributes_reply(x, attrs[i], NULL);
		xcb_get_geometry_reply_t *gr = xcb_get_geometry_reply(x, geoms[i], NULL);
		if (ar && gr && n < max && ar->map_state == XCB_MAP_STATE_VIEWABLE &&
		    ar->_class == XCB_WINDOW_CLASS_INPUT_OUTPUT && !xray_scan_is_own(x, kids[i])) {
			struct xray_target *t = &out[n];
			t->window = kids[i];
			t->x = gr->x;
			t->y = gr->y;
			t->width = (uint16_t)(gr->width + 2 * gr->border_width);
			t->height = (uint16_t)(gr->height + 2 * gr->border_width);
			if (on_screen(t, screen))
				n++;
		}
		free(ar);
		free(gr);
	}
	free(attrs);
	free(geoms);
	free(tree);
	for (unsigned i = 0; i < n / 2; i++) {
		struct xray_target t = out[i];
		out[i] = out[n - 1 - i];
		out[n - 1 - i] = t;
	}
	/* The owners after the geometry: the windows that count are known by now. */
	for (unsigned i = 0; i < n; i++)
		find_owner(x, a, &out[i]);
	return (int)n;
}

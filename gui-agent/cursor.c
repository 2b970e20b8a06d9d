/* The pointer shape (gui-agent/cursor.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "gui-agent/cursor.h"

/* Cursor names seen, so that each atom's name is asked for once. Bounded: themes have a few
 * hundred names at most, and past the bound names are simply looked up again. */
#define CURSOR_CACHE_MAX 512u

struct cursor_cache_entry {
	xcb_atom_t atom;
	uint32_t cursor;
};

struct cursor {
	const struct xctx *xc;
	struct wm *wm;
	struct link *link;
	unsigned slot;
	/* The window the host pointer is over: one the daemon named, and the daemon knows every
	 * window while the link is ready, until the window goes (cursor_leave on WM_DESTROYED). */
	xcb_window_t pointer_window;
	uint32_t cursor; /* PROTO_CURSOR_* of the guest's current cursor */
	uint32_t sent;
	xcb_window_t sent_window;
	struct cursor_cache_entry *cache;
	unsigned ncache, cache_cap;
};

/* X11/cursorfont.h glyph numbers, and the names cursor themes and toolkits use for them (CSS
 * names, Qt's and GTK's). */
static const struct {
	const char *name;
	uint16_t glyph;
} names[] = {
    {"X_cursor", 0},
    {"arrow", 2},
    {"based_arrow_down", 4},
    {"based_arrow_up", 6},
    {"boat", 8},
    {"bogosity", 10},
    {"bottom_left_corner", 12},
    {"bottom_right_corner", 14},
    {"bottom_side", 16},
    {"bottom_tee", 18},
    {"box_spiral", 20},
    {"center_ptr", 22},
    {"circle", 24},
    {"clock", 26},
    {"coffee_mug", 28},
    {"cross", 30},
    {"cross_reverse", 32},
    {"crosshair", 34},
    {"diamond_cross", 36},
    {"dot", 38},
    {"dotbox", 40},
    {"double_arrow", 42},
    {"draft_large", 44},
    {"draft_small", 46},
    {"draped_box", 48},
    {"exchange", 50},
    {"fleur", 52},
    {"gobbler", 54},
    {"gumby", 56},
    {"hand1", 58},
    {"hand2", 60},
    {"heart", 62},
    {"icon", 64},
    {"iron_cross", 66},
    {"left_ptr", 68},
    {"left_side", 70},
    {"left_tee", 72},
    {"leftbutton", 74},
    {"ll_angle", 76},
    {"lr_angle", 78},
    {"man", 80},
    {"middlebutton", 82},
    {"mouse", 84},
    {"pencil", 86},
    {"pirate", 88},
    {"plus", 90},
    {"question_arrow", 92},
    {"right_ptr", 94},
    {"right_side", 96},
    {"right_tee", 98},
    {"rightbutton", 100},
    {"rtl_logo", 102},
    {"sailboat", 104},
    {"sb_down_arrow", 106},
    {"sb_h_double_arrow", 108},
    {"sb_left_arrow", 110},
    {"sb_right_arrow", 112},
    {"sb_up_arrow", 114},
    {"sb_v_double_arrow", 116},
    {"shuttle", 118},
    {"sizing", 120},
    {"spider", 122},
    {"spraycan", 124},
    {"star", 126},
    {"target", 128},
    {"tcross", 130},
    {"top_left_arrow", 132},
    {"top_left_corner", 134},
    {"top_right_corner", 136},
    {"top_side", 138},
    {"top_tee", 140},
    {"trek", 142},
    {"ul_angle", 144},
    {"umbrella", 146},
    {"ur_angle", 148},
    {"watch", 150},
    {"xterm", 152},
    /* Aliases. */
    {"default", 68},
    {"left_arrow", 68},
    {"context-menu", 68},
    {"text", 152},
    {"ibeam", 152},
    {"vertical-text", 152},
    {"pointer", 60},
    {"hand", 60},
    {"pointing_hand", 60},
    {"wait", 150},
    {"progress", 150},
    {"left_ptr_watch", 150},
    {"half-busy", 150},
    {"help", 92},
    {"whats_this", 92},
    {"cell", 90},
    {"move", 52},
    {"all-scroll", 52},
    {"size_all", 52},
    {"grabbing", 52},
    {"closedhand", 52},
    {"dnd-move", 52},
    {"grab", 58},
    {"openhand", 58},
    {"not-allowed", 0},
    {"no-drop", 0},
    {"forbidden", 0},
    {"crossed_circle", 0},
    {"n-resize", 138},
    {"s-resize", 16},
    {"e-resize", 96},
    {"w-resize", 70},
    {"ne-resize", 136},
    {"nw-resize", 134},
    {"se-resize", 14},
    {"sw-resize", 12},
    {"ew-resize", 108},
    {"col-resize", 108},
    {"h_double_arrow", 108},
    {"size_hor", 108},
    {"split_h", 108},
    {"ns-resize", 116},
    {"row-resize", 116},
    {"v_double_arrow", 116},
    {"size_ver", 116},
    {"split_v", 116},
    {"nwse-resize", 14},
    {"size_fdiag", 14},
    {"nesw-resize", 12},
    {"size_bdiag", 12},
    {"up-arrow", 114},
    {"up_arrow", 114},
};

uint32_t cursor_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].name, name) == 0)
			return PROTO_CURSOR_X11 + names[i].glyph;
	return PROTO_CURSOR_DEFAULT;
}

static void send_if_changed(struct cursor *c)
{
	const struct wm_window *w =
	    c->pointer_window != XCB_NONE ? wm_find(c->wm, c->pointer_window) : NULL;
	if (!w || !link_ready(c->link))
		return;
	if (c->cursor == c->sent && c->sent_window == w->id)
		return;
	struct proto_msg m = {.type = PROTO_MSG_CURSOR, .window = w->id};
	m.u.cursor.cursor = c->cursor;
	if (link_send(c->link, &m, NULL, 0) == 0) {
		c->sent = c->cursor;
		c->sent_window = w->id;
	}
}

void cursor_enter(struct cursor *c, const struct wm_window *w)
{
	c->pointer_window = w->id;
	send_if_changed(c);
}

void cursor_leave(struct cursor *c, const struct wm_window *w)
{
	if (c->pointer_window == w->id)
		c->pointer_window = XCB_NONE;
}

void cursor_link_down(struct cursor *c)
{
	c->sent_window = XCB_NONE;
}

static void on_wm(void *ctx, const struct wm_event *ev)
{
	if (ev->type == WM_DESTROYED)
		cursor_leave(ctx, ev->window);
}

int cursor_create(const struct xctx *xc, struct wm *wm, struct link *l, struct cursor **out)
{
	*out = NULL;
	struct cursor *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	*c = (struct cursor){.xc = xc, .wm = wm, .link = l, .cursor = PROTO_CURSOR_DEFAULT};
	int rc = wm_listen(wm, on_wm, c, &c->slot);
	if (rc) {
		free(c);
		return rc;
	}
	xcb_xfixes_select_cursor_input(xc->x, xc->root,
				       XCB_XFIXES_CURSOR_NOTIFY_MASK_DISPLAY_CURSOR);
	*out = c;
	return 0;
}

void cursor_destroy(struct cursor *c)
{
	if (!c)
		return;
	wm_unlisten(c->wm, c->slot);
	free(c->cache);
	free(c);
}

static uint32_t lookup(struct cursor *c, xcb_atom_t atom)
{
	for (unsigned i = 0; i < c->ncache; i++)
		if (c->cache[i].atom == atom)
			return c->cache[i].cursor;
	xcb_connection_t *x = c->xc->x;
	xcb_get_atom_name_reply_t *r = xcb_get_atom_name_reply(x, xcb_get_atom_name(x, atom), NULL);
	if (!r)
		return PROTO_CURSOR_DEFAULT;
	char name[64];
	int len = xcb_get_atom_name_name_length(r);
	if (len >= (int)sizeof(name))
		len = 0; /* no cursor name is this long */
	memcpy(name, xcb_get_atom_name_name(r), (size_t)len);
	name[len] = '\0';
	free(r);
	uint32_t glyph = cursor_from_name(name);
	log_debug("cursor '%s' is 0x%x", name, glyph);
	if (c->ncache == c->cache_cap && c->cache_cap < CURSOR_CACHE_MAX) {
		unsigned cap = c->cache_cap ? c->cache_cap * 2 : 32;
		struct cursor_cache_entry *p = realloc(c->cache, cap * sizeof(*p));
		if (p) {
			c->cache = p;
			c->cache_cap = cap;
		}
	}
	if (c->ncache < c->cache_cap)
		c->cache[c->ncache++] = (struct cursor_cache_entry){atom, glyph};
	return glyph;
}

void cursor_notify(struct cursor *c, const xcb_xfixes_cursor_notify_event_t *ev)
{
	if (ev->subtype != XCB_XFIXES_CURSOR_NOTIFY_DISPLAY_CURSOR)
		return;
	c->cursor = ev->name == XCB_NONE ? PROTO_CURSOR_DEFAULT : lookup(c, ev->name);
	send_if_changed(c);
}

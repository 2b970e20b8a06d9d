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

/* The other names toolkits load cursors by, each to the nearest glyph of the X cursor font (the
 * wire names only glyphs; the daemon shows the host theme's cursor for it). A cursor's name is the
 * one its application asked the guest's Xcursor for: CSS names (GTK 3 and 4, Firefox), Qt's names,
 * the freedesktop drag-and-drop names, and the hash names old themes and Qt ask for first. */
static const struct {
	const char *name;
	uint16_t glyph;
} aliases[] = {
    /* Arrows, and shapes the font has no glyph for (an arrow with a badge, a magnifier). */
    {"default", 68},
    {"left_arrow", 68},
    {"context-menu", 68},
    {"alias", 68},
    {"copy", 68},
    {"link", 68},
    {"dnd-copy", 68},
    {"dnd-link", 68},
    {"dnd-ask", 68},
    {"dnd-none", 68},
    {"zoom-in", 68},
    {"zoom-out", 68},
    {"1081e37283d90000800003c07f3ef6bf", 68}, /* copy */
    {"6407b0e94181790501fd1e167b474872", 68}, /* copy */
    {"3085a0e285430894940527032f8b26df", 68}, /* link */
    {"640fb0e74195791501fd1ed57b41487f", 68}, /* link */
    /* Text. */
    {"text", 152},
    {"ibeam", 152},
    {"vertical-text", 152},
    /* Links and buttons. */
    {"pointer", 60},
    {"hand", 60},
    {"pointing_hand", 60},
    {"9d800788f1b08800ae810202380a0822", 60},
    {"e29285e634086352946a0e7090d73106", 60},
    /* Busy. */
    {"wait", 150},
    {"progress", 150},
    {"left_ptr_watch", 150},
    {"half-busy", 150},
    {"08e8e1c95fe2fc01f976f1e063a24ccd", 150},
    {"3ecb610c1bf2410f44200f48c40d3599", 150},
    /* Help. */
    {"help", 92},
    {"whats_this", 92},
    {"left_ptr_help", 92},
    {"5c6cd98b3f3ebcb1f9c7f1c204630408", 92},
    {"d9ce0ab605698f320427677b458ad60b", 92},
    /* Cells and precise pointing. */
    {"cell", 90},
    {"color-picker", 34},
    /* Moving, grabbing, scrolling. */
    {"move", 52},
    {"all-scroll", 52},
    {"size_all", 52},
    {"grabbing", 52},
    {"closedhand", 52},
    {"dnd-move", 52},
    {"pointer-move", 52},
    {"4498f0e0c1937ffe01fd06f973665830", 52},
    {"9081237383d90e509aa00f00170e968f", 52},
    {"grab", 58},
    {"openhand", 58},
    /* Refused. */
    {"not-allowed", 0},
    {"no-drop", 0},
    {"dnd-no-drop", 0},
    {"forbidden", 0},
    {"crossed_circle", 0},
    {"03b6e0fcb3499374a867c041f52298f0", 0},
    /* Edges and corners. */
    {"n-resize", 138},
    {"s-resize", 16},
    {"e-resize", 96},
    {"w-resize", 70},
    {"ne-resize", 136},
    {"nw-resize", 134},
    {"se-resize", 14},
    {"sw-resize", 12},
    /* Two-way resizing. */
    {"ew-resize", 108},
    {"col-resize", 108},
    {"h_double_arrow", 108},
    {"size_hor", 108},
    {"split_h", 108},
    {"028006030e0e7ebffc7f7070c0600140", 108},
    {"14fef782d02440884392942c11205230", 108},
    {"ns-resize", 116},
    {"row-resize", 116},
    {"v_double_arrow", 116},
    {"size_ver", 116},
    {"split_v", 116},
    {"00008160000006810000408080010102", 116},
    {"2870a09082c103050810ffdffffe0204", 116},
    /* The font has no diagonal double arrow: the corners stand in. */
    {"nwse-resize", 14},
    {"size_fdiag", 14},
    {"bd_double_arrow", 14},
    {"c7088f0f3e6c8088236ef8e1e3e70000", 14},
    {"nesw-resize", 12},
    {"size_bdiag", 12},
    {"fd_double_arrow", 12},
    {"fcf1c3c7cd4491d801f1e1c78f100000", 12},
    {"up-arrow", 114},
    {"up_arrow", 114},
};

uint32_t cursor_from_name(const char *name)
{
	uint32_t c = proto_cursor_from_name(name);
	if (c != PROTO_CURSOR_DEFAULT)
		return c;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(aliases[i].name, name) == 0)
			return PROTO_CURSOR_X11 + aliases[i].glyph;
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

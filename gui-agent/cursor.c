/* The pointer shape: XFixes tells which cursor the guest shows; its name maps to a glyph of the
 * standard X cursor font, which is all the wire can carry (no cursor images travel). */
#include <stdlib.h>
#include <string.h>
#include <xcb/xfixes.h>

#include "common/log.h"
#include "gui-agent/agent.h"

/* Cursor names seen, so that each atom's name is asked for once. Bounded: themes have a few
 * hundred names at most, and past the bound names are simply looked up again. */
#define CURSOR_CACHE_MAX 512u

struct agent_cursor_cache {
	xcb_atom_t atom;
	uint32_t cursor;
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

/* PROTO_CURSOR_X11 + glyph for an X cursor font name or common alias, else PROTO_CURSOR_DEFAULT. */
static uint32_t cursor_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].name, name) == 0)
			return PROTO_CURSOR_X11 + names[i].glyph;
	return PROTO_CURSOR_DEFAULT;
}

void cursor_init(struct agent *a)
{
	a->cursor = PROTO_CURSOR_DEFAULT;
	xcb_xfixes_select_cursor_input(a->x, a->root, XCB_XFIXES_CURSOR_NOTIFY_MASK_DISPLAY_CURSOR);
}

void cursor_free(struct agent *a)
{
	free(a->cursor_cache);
	a->cursor_cache = NULL;
	a->ncursor_cache = a->cursor_cache_cap = 0;
}

static void send_if_changed(struct agent *a)
{
	struct agent_window *w =
	    a->pointer_window != XCB_NONE ? wm_find(a, a->pointer_window) : NULL;
	if (!w || !w->announced || !conn_ready(a))
		return;
	if (a->cursor == a->cursor_sent && a->cursor_sent_window == w->id)
		return;
	struct proto_msg m = {.type = PROTO_MSG_CURSOR, .window = w->id};
	m.u.cursor.cursor = a->cursor;
	if (conn_send(a, &m, NULL, 0)) {
		a->cursor_sent = a->cursor;
		a->cursor_sent_window = w->id;
	}
}

void cursor_set_window(struct agent *a, struct agent_window *w)
{
	a->pointer_window = w ? w->id : XCB_NONE;
	send_if_changed(a);
}

static uint32_t lookup(struct agent *a, xcb_atom_t atom)
{
	for (unsigned i = 0; i < a->ncursor_cache; i++)
		if (a->cursor_cache[i].atom == atom)
			return a->cursor_cache[i].cursor;
	xcb_get_atom_name_reply_t *r =
	    xcb_get_atom_name_reply(a->x, xcb_get_atom_name(a->x, atom), NULL);
	if (!r)
		return PROTO_CURSOR_DEFAULT;
	char name[64];
	int len = xcb_get_atom_name_name_length(r);
	if (len >= (int)sizeof(name))
		len = 0; /* no cursor name is this long */
	memcpy(name, xcb_get_atom_name_name(r), (size_t)len);
	name[len] = '\0';
	free(r);
	uint32_t c = cursor_from_name(name);
	log_debug("cursor '%s' is 0x%x", name, c);
	if (a->ncursor_cache == a->cursor_cache_cap && a->cursor_cache_cap < CURSOR_CACHE_MAX) {
		unsigned cap = a->cursor_cache_cap ? a->cursor_cache_cap * 2 : 32;
		struct agent_cursor_cache *p = realloc(a->cursor_cache, cap * sizeof(*p));
		if (p) {
			a->cursor_cache = p;
			a->cursor_cache_cap = cap;
		}
	}
	if (a->ncursor_cache < a->cursor_cache_cap)
		a->cursor_cache[a->ncursor_cache++] = (struct agent_cursor_cache){atom, c};
	return c;
}

void cursor_notify(struct agent *a, xcb_generic_event_t *ev)
{
	const xcb_xfixes_cursor_notify_event_t *e = (const void *)ev;
	if (e->subtype != XCB_XFIXES_CURSOR_NOTIFY_DISPLAY_CURSOR)
		return;
	a->cursor = e->name == XCB_NONE ? PROTO_CURSOR_DEFAULT : lookup(a, e->name);
	send_if_changed(a);
}

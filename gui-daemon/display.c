/* The host display (gui-daemon/display.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <xcb/shm.h>
#include <xcb/xcb_cursor.h>

#include "common/log.h"
#include "common/xconn.h"
#include "gui-daemon/display.h"
#include "protocol/proto.h"

/* Glyphs of the X cursor font a guest may name: the protocol's range, two glyphs a cursor. */
#define CURSOR_GLYPHS (PROTO_CURSOR_X11_MAX - PROTO_CURSOR_X11)

struct display {
	xcb_connection_t *x;
	xcb_screen_t *screen;
	uint32_t width, height; /* the screen's size now (the setup's is the size at connection) */
	xcb_gcontext_t gc;
	bool shm_fd_passing;
	xcb_atom_t wm_protocols, wm_delete_window;
	xcb_atom_t atoms[DISPLAY_ATOM_COUNT];
	xcb_cursor_context_t *theme; /* NULL: none could be made; cursors are the font's */
	xcb_font_t cursor_font;	     /* 0: not opened yet */
	/* By glyph / 2, made on first use (0: not made yet). */
	xcb_cursor_t cursors[CURSOR_GLYPHS / 2];
};

int display_create(xcb_connection_t *x, xcb_screen_t *screen, bool no_mit_shm, struct display **out,
		   char *why, size_t why_len)
{
	*out = NULL;
	if (screen->root_depth != 24) {
		snprintf(why, why_len, "the host screen has depth %u; depth 24 is needed",
			 screen->root_depth);
		return -EINVAL;
	}
	struct display *dp = calloc(1, sizeof(*dp));
	if (!dp) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	dp->x = x;
	dp->screen = screen;
	dp->width = screen->width_in_pixels;
	dp->height = screen->height_in_pixels;
	xcb_shm_query_version_reply_t *shm =
	    xcb_shm_query_version_reply(x, xcb_shm_query_version(x), NULL);
	dp->shm_fd_passing =
	    !no_mit_shm && shm &&
	    (shm->major_version > 1 || (shm->major_version == 1 && shm->minor_version >= 2));
	free(shm);
	if (!dp->shm_fd_passing && !no_mit_shm)
		log_warn(
		    "the host X server lacks MIT-SHM fd passing: pixels go through the X socket");
	dp->gc = xcb_generate_id(x);
	uint32_t no_exposures = 0;
	xcb_create_gc(x, dp->gc, screen->root, XCB_GC_GRAPHICS_EXPOSURES, &no_exposures);
	/* The theme's settings are read now, its files when a guest first shows each shape. */
	if (xcb_cursor_context_new(x, screen, &dp->theme) < 0) {
		dp->theme = NULL;
		log_info("no cursor theme: guest cursors are the X cursor font's");
	}
	int screen_no = xconn_screen_number(x, screen);
	char tray[32], xsettings[32];
	snprintf(tray, sizeof(tray), "_NET_SYSTEM_TRAY_S%d", screen_no);
	snprintf(xsettings, sizeof(xsettings), "_XSETTINGS_S%d", screen_no);
	const char *const names[] = {"WM_PROTOCOLS",
				     "WM_DELETE_WINDOW",
				     "_NET_WM_STATE",
				     "_NET_WM_STATE_FULLSCREEN",
				     "_NET_WM_STATE_DEMANDS_ATTENTION",
				     "_NET_WM_USER_TIME",
				     "_NET_SUPPORTED",
				     tray,
				     xsettings};
	xcb_atom_t atoms[2 + DISPLAY_ATOM_COUNT];
	_Static_assert(sizeof(names) / sizeof(names[0]) == 2 + DISPLAY_ATOM_COUNT, "atom names");
	if (xconn_intern_atoms(x, names, 2 + DISPLAY_ATOM_COUNT, atoms)) {
		snprintf(why, why_len, "the host X server did not intern the daemon's atoms");
		display_destroy(dp);
		return -EIO;
	}
	dp->wm_protocols = atoms[0];
	dp->wm_delete_window = atoms[1];
	for (unsigned i = 0; i < DISPLAY_ATOM_COUNT; i++)
		dp->atoms[i] = atoms[2 + i];
	xcb_flush(x);
	*out = dp;
	return 0;
}

void display_destroy(struct display *dp)
{
	if (!dp)
		return;
	for (unsigned i = 0; i < CURSOR_GLYPHS / 2; i++)
		if (dp->cursors[i])
			xcb_free_cursor(dp->x, dp->cursors[i]);
	if (dp->cursor_font)
		xcb_close_font(dp->x, dp->cursor_font);
	if (dp->theme)
		xcb_cursor_context_free(dp->theme);
	xcb_free_gc(dp->x, dp->gc);
	xcb_flush(dp->x);
	free(dp);
}

xcb_connection_t *display_x(const struct display *dp)
{
	return dp->x;
}

const xcb_screen_t *display_screen(const struct display *dp)
{
	return dp->screen;
}

void display_size(const struct display *dp, uint32_t *width, uint32_t *height)
{
	*width = dp->width;
	*height = dp->height;
}

void display_set_size(struct display *dp, uint32_t width, uint32_t height)
{
	dp->width = width;
	dp->height = height;
}

void display_add_root_events(struct display *dp, uint32_t mask)
{
	xcb_window_t root = dp->screen->root;
	xcb_get_window_attributes_reply_t *a =
	    xcb_get_window_attributes_reply(dp->x, xcb_get_window_attributes(dp->x, root), NULL);
	mask |= a ? a->your_event_mask : 0;
	free(a);
	xcb_change_window_attributes(dp->x, root, XCB_CW_EVENT_MASK, &mask);
}

xcb_gcontext_t display_gc(const struct display *dp)
{
	return dp->gc;
}

bool display_shm_fd_passing(const struct display *dp)
{
	return dp->shm_fd_passing;
}

xcb_atom_t display_wm_protocols(const struct display *dp)
{
	return dp->wm_protocols;
}

xcb_atom_t display_wm_delete_window(const struct display *dp)
{
	return dp->wm_delete_window;
}

xcb_atom_t display_atom(const struct display *dp, enum display_atom a)
{
	return dp->atoms[a];
}

xcb_cursor_t display_cursor(struct display *dp, uint16_t glyph)
{
	if (glyph >= CURSOR_GLYPHS)
		return XCB_NONE;
	unsigned i = glyph / 2u;
	if (dp->cursors[i])
		return dp->cursors[i];
	/* Only the glyph's name from the daemon's own table reaches the theme loader, once per
	 * glyph (the cursor is kept, found or not): a guest chooses neither a file nor how often
	 * one is read. Themes also file shapes under freedesktop names ("text", "pointer"); the X
	 * names alone are asked for because libxcb-cursor, missing one in the host's theme, looks
	 * in the "default" theme and then makes the font's glyph, which is the fallback wanted,
	 * while a freedesktop name asked first could come from "default" over the host theme's X
	 * name. */
	const char *name = proto_cursor_name(PROTO_CURSOR_X11 + glyph);
	if (dp->theme && name)
		dp->cursors[i] = xcb_cursor_load_cursor(dp->theme, name);
	if (dp->cursors[i]) {
		log_debug("cursor glyph %u: '%s' from the host's cursor theme (or its font)", glyph,
			  name);
		return dp->cursors[i];
	}
	if (!dp->cursor_font) {
		dp->cursor_font = xcb_generate_id(dp->x);
		xcb_open_font(dp->x, dp->cursor_font, 6, "cursor");
	}
	dp->cursors[i] = xcb_generate_id(dp->x);
	xcb_create_glyph_cursor(dp->x, dp->cursors[i], dp->cursor_font, dp->cursor_font, glyph,
				glyph + 1, 0, 0, 0, 0xffff, 0xffff, 0xffff);
	return dp->cursors[i];
}

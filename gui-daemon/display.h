/* The host display as the daemon uses it: an X connection the caller opened, its screen (which must
 * be depth 24: label colors and guest pixels are 0xRRGGBB), whether MIT-SHM takes segments as fds,
 * a GC for drawing, the atoms the daemon sets, and the pointer shapes made so far (the host cursor
 * theme's, else the X cursor font's). */
#ifndef SEAM_DAEMON_DISPLAY_H
#define SEAM_DAEMON_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xcb/xcb.h>

struct display;

/* Set up on x and its screen (both stay the caller's: x outlives the display). no_mit_shm: draw
 * through the X socket even if the server could share memory. 0, or -errno with a reason in why:
 * -EINVAL for a screen that is not depth 24, -ENOMEM. The caller owns *out (display_destroy). */
int display_create(xcb_connection_t *x, xcb_screen_t *screen, bool no_mit_shm, struct display **out,
		   char *why, size_t why_len);
/* Free the GC, the cursors, their font and the theme loader (not the connection). NULL allowed. */
void display_destroy(struct display *dp);

xcb_connection_t *display_x(const struct display *dp);
const xcb_screen_t *display_screen(const struct display *dp);
/* The host screen's size now: the screen's at connection until display_set_size() tells a new one
 * (gui-daemon/screen.h, on a RandR change). Read it here, never from display_screen(), whose size
 * is the connection's setup and never changes. */
void display_size(const struct display *dp, uint32_t *width, uint32_t *height);
void display_set_size(struct display *dp, uint32_t width, uint32_t height);
/* Add mask to the events this client selects on the root (what other components selected stays).
 */
void display_add_root_events(struct display *dp, uint32_t mask);
/* A GC on the root (no graphics exposures) for drawing guest pixels. */
xcb_gcontext_t display_gc(const struct display *dp);
/* The server takes MIT-SHM segments as fds (MIT-SHM 1.2) and no_mit_shm was not asked. */
bool display_shm_fd_passing(const struct display *dp);
xcb_atom_t display_wm_protocols(const struct display *dp);
xcb_atom_t display_wm_delete_window(const struct display *dp);

/* Other atoms the daemon reads on host windows, interned once. */
enum display_atom {
	DISPLAY_NET_WM_STATE,
	DISPLAY_NET_WM_STATE_FULLSCREEN,
	DISPLAY_NET_WM_STATE_DEMANDS_ATTENTION,
	DISPLAY_NET_WM_USER_TIME, /* EWMH: 0 on a new window asks the window manager not to focus it
				   */
	DISPLAY_NET_SUPPORTED,	  /* EWMH: on the root, what the running window manager does */
	DISPLAY_SYSTEM_TRAY,	  /* _NET_SYSTEM_TRAY_S<screen>: owned by the host's tray, if any */
	DISPLAY_XSETTINGS,	  /* _XSETTINGS_S<screen>: owned by the host's settings manager */
	DISPLAY_ATOM_COUNT
};
xcb_atom_t display_atom(const struct display *dp, enum display_atom a);

/* The pointer shape for the even glyph of the X cursor font: the host cursor theme's cursor filed
 * under the glyph's name (proto_cursor_name), from the theme and size the host sets for every X
 * client (Xcursor.theme and Xcursor.size in RESOURCE_MANAGER, XCURSOR_SIZE, XCURSOR_PATH), else
 * the "default" theme's, else the font's glyph itself (black on white, its mask is glyph + 1).
 * Made on first use, kept until display_destroy(); XCB_NONE for a glyph past the cursor font. */
xcb_cursor_t display_cursor(struct display *dp, uint16_t glyph);

#endif

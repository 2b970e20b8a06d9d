/* Opening an X connection, with the checks every program needs: a display name, a live
 * connection (retried, since Xvfb can drop a client that connects just as another leaves) and a
 * screen number the server really has; and the few lookups several programs make on it (atoms,
 * the screen's number, the keycodes of a key). */
#ifndef SEAM_XCONN_H
#define SEAM_XCONN_H

#include <stddef.h>
#include <stdint.h>
#include <xcb/xcb.h>

/* Connect to display (NULL or "": $DISPLAY), trying up to tries times 50 ms apart (0 counts as 1).
 * Returns 0 with *x (owned by the caller: xcb_disconnect) and *screen (the display's default
 * screen, owned by the connection), or -errno with a reason in why (why_len bytes, may be 0):
 * -ENOENT no display name, -ECONNREFUSED no connection, -ENODEV the screen does not exist. */
int xconn_open(const char *display, unsigned tries, xcb_connection_t **x, xcb_screen_t **screen,
	       char *why, size_t why_len);

/* Intern n atoms in one round trip; names that fail become XCB_ATOM_NONE. 0, or -EIO if any
 * failed. */
int xconn_intern_atoms(xcb_connection_t *x, const char *const *names, unsigned n, xcb_atom_t *out);
/* The index of screen among x's roots, which names the screen's manager selections
 * (_NET_SYSTEM_TRAY_S<n>, _XSETTINGS_S<n>). */
int xconn_screen_number(xcb_connection_t *x, const xcb_screen_t *screen);
/* One atom (XCB_ATOM_NONE on failure). */
xcb_atom_t xconn_intern(xcb_connection_t *x, const char *name);

/* Add the X modifier a key sequence names (Ctrl/Control, Shift, Alt/Mod1, Super/Mod4, in any case)
 * to *mods. 0, or -EINVAL for any other name. */
int xconn_modifier(const char *name, uint16_t *mods);
/* The keycodes that carry keysym at any level of the server's keyboard mapping (one round trip):
 * at most max of them into out. Their number, or -EIO if the server did not answer. */
int xconn_keycodes(xcb_connection_t *x, uint32_t keysym, uint8_t *out, unsigned max);

#endif

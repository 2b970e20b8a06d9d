/* The agent's X connection and what every component needs from it: the screen, the atoms, the
 * extensions' event numbers and the agent's own window. Set up once by xctx_open() and read-only
 * afterwards, so components share it as a plain const struct. */
#ifndef SEAM_AGENT_XCTX_H
#define SEAM_AGENT_XCTX_H

#include <stddef.h>
#include <stdint.h>
#include <xcb/xcb.h>

/* The atoms the agent uses, interned once (names in xctx.c, same order). */
enum xctx_atom {
	XCTX_WM_PROTOCOLS,
	XCTX_WM_DELETE_WINDOW,
	XCTX_WM_TAKE_FOCUS,
	XCTX_WM_STATE,
	XCTX_WM_CHANGE_STATE,
	XCTX_UTF8_STRING,
	XCTX_NET_WM_NAME,
	XCTX_NET_SUPPORTED,
	XCTX_NET_SUPPORTING_WM_CHECK,
	XCTX_NET_ACTIVE_WINDOW,
	XCTX_NET_WM_STATE,
	XCTX_NET_WM_STATE_FULLSCREEN,
	XCTX_NET_WM_STATE_DEMANDS_ATTENTION,
	XCTX_NET_WM_WINDOW_TYPE,
	XCTX_NET_WM_ICON,
	XCTX_CLIPBOARD,
	XCTX_TARGETS,
	XCTX_TEXT,
	XCTX_INCR,
	XCTX_SEAM_SELECTION,
	XCTX_ATOM_COUNT
};

struct xctx {
	xcb_connection_t *x;
	xcb_screen_t *screen; /* owned by the connection */
	xcb_window_t root;
	/* The agent's own window: InputOnly and never mapped, so the window manager never tracks
	 * it. It is the EWMH check window, the CLIPBOARD owner after a paste from the host and the
	 * requestor of the guest's CLIPBOARD. */
	xcb_window_t stub;
	xcb_atom_t atoms[XCTX_ATOM_COUNT];
	uint8_t damage_event; /* first event of DAMAGE */
	uint8_t xfixes_event; /* first event of XFIXES */
	uint8_t shm_opcode;   /* major opcode of MIT-SHM, to single out its errors */
	char display[128];    /* the display's name, for messages */
};

/* Connect to display (NULL: $DISPLAY), check the extensions the agent needs (Composite 0.2,
 * DAMAGE 1, XFIXES 2, MIT-SHM 1.2, XTEST), intern the atoms and create the agent's window.
 * 0 with *out (the caller owns it: xctx_close), or -errno with a reason in why: -ENOENT,
 * -ECONNREFUSED, -ENODEV (no display, no connection, no such screen), -ENOTSUP (an extension is
 * missing), -EIO (the connection broke), -ENOMEM. */
int xctx_open(const char *display, struct xctx **out, char *why, size_t why_len);
/* Disconnect. NULL allowed. */
void xctx_close(struct xctx *xc);

#endif

/* ICCCM and EWMH properties of a guest window in the wire's fixed-size forms: title, class, size
 * hints, urgency and state flags, transient-for, type and protocols. wm keeps one struct props per
 * window and calls these when a property changes; the conversions themselves are pure. */
#ifndef SEAM_AGENT_PROPS_H
#define SEAM_AGENT_PROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xcb/xcb.h>
#include <xcb/xcb_icccm.h>

#include "gui-agent/xctx.h"
#include "protocol/proto.h"

struct props {
	struct proto_wmname name;
	struct proto_wmclass wmclass;
	struct proto_window_hints hints;
	xcb_window_t transient_for;
	xcb_atom_t type;    /* first atom of _NET_WM_WINDOW_TYPE, or XCB_NONE (logged only: the
			     * wire has no field for it) */
	bool urgent;	    /* WM_HINTS UrgencyHint */
	bool input_hint;    /* WM_HINTS input (true when absent) */
	bool delete_window; /* WM_PROTOCOLS lists WM_DELETE_WINDOW */
	bool take_focus;    /* ... and WM_TAKE_FOCUS */
	uint32_t net_state; /* PROTO_FLAG_FULLSCREEN / _DEMANDS_ATTENTION from _NET_WM_STATE */
};

/* What a change means on the wire: the message that carries it. */
enum props_change {
	PROPS_NAME = 1u << 0,  /* WMNAME */
	PROPS_CLASS = 1u << 1, /* WMCLASS */
	PROPS_HINTS = 1u << 2, /* WINDOW_HINTS */
	PROPS_FLAGS = 1u << 3, /* WINDOW_FLAGS (props_flags()) */
	PROPS_ICON = 1u << 4,  /* SEAM_ICON: _NET_WM_ICON was written (props_read_icon()) */
};

/* Words of _NET_WM_ICON read at most (1 MiB): every size up to 256x256 an application sets fits;
 * the server cuts what is past it. */
#define PROPS_ICON_READ_LONGS (1u << 18)

/* The state of a window with none of the properties set. */
void props_init(struct props *p);
/* Read every property the agent follows (one round trip). */
void props_read_all(const struct xctx *xc, xcb_window_t id, struct props *p);
/* A PropertyNotify for atom: re-read that property. Returns the PROPS_* whose wire form changed
 * (0 if none, or if the agent does not follow atom). */
unsigned props_update(const struct xctx *xc, xcb_window_t id, xcb_atom_t atom, struct props *p);
/* The window's _NET_WM_ICON as SEAM_ICON sends it (props_icon_to_wire()), read bounded: its sizes
 * in *icon and their pixels in pixels. Icons are not kept in struct props: they are large, and read
 * only when they are to be sent. */
void props_read_icon(const struct xctx *xc, xcb_window_t id, struct proto_seam_icon *icon,
		     uint32_t pixels[PROTO_ICON_MAX_PIXELS]);
/* The PROTO_FLAG_* the properties ask for. */
uint32_t props_flags(const struct props *p);
/* What a _NET_WM_STATE client message asks for (action 0 remove, 1 add, 2 toggle, of the states
 * p1 and p2): the PROTO_FLAG_FULLSCREEN / _DEMANDS_ATTENTION to set and to unset; 0 for states the
 * agent does not act on and for a bad action. */
void props_state_request(const struct xctx *xc, const struct props *p, uint32_t action,
			 xcb_atom_t p1, xcb_atom_t p2, uint32_t *set, uint32_t *unset);
/* Rewrite _NET_WM_STATE with the PROTO_FLAG_FULLSCREEN / _DEMANDS_ATTENTION states in set added and
 * those in unset removed, keeping the states the agent does not act on (nothing is written when
 * nothing changes). The PropertyNotify that follows updates the window's props. */
void props_set_net_state(const struct xctx *xc, xcb_window_t id, uint32_t set, uint32_t unset);

/* ---- The pure conversions ----------------------------------------------------------------------
 */
/* Copy len bytes of UTF-8 (up to a NUL) into a NUL-terminated field of cap bytes, cutting at a
 * character boundary; with mark, a cut string ends in U+2026 within the same bound. */
void props_copy_utf8(char *dst, size_t cap, const char *s, size_t len, bool mark);
/* _NET_WM_ICON's n words (width, height, then width x height ARGB pixels, per image) in SEAM_ICON's
 * form: of the complete images of at most PROTO_ICON_MAX_SIZE both ways, those of at most 128x128
 * first (task bars and alt-tab), largest first, then larger ones, as many as PROTO_ICON_MAX_IMAGES
 * and PROTO_ICON_MAX_PIXELS allow. A truncated image and everything after an image of width or
 * height 0 are not read. count 0 when none fits. */
void props_icon_to_wire(const uint32_t *words, size_t n, struct proto_seam_icon *icon,
			uint32_t pixels[PROTO_ICON_MAX_PIXELS]);
/* The XSizeHints fields that travel, clamped into what the daemon accepts ("no maximum" written
 * as 0 drops PMaxSize). */
void props_size_hints_to_wire(const xcb_size_hints_t *s, struct proto_window_hints *out);

#endif

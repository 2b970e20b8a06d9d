/* Which domain owns each window on the screen: the viewable top-level windows, bottom to top, each
 * with the identity the guests' daemons put on their frames (_QUBES_VMNAME, _QUBES_LABEL_COLOR,
 * window-decor/decor_x.h), found on the top-level window or on the client inside it (a window
 * manager's frame holds the daemon's frame, marked WM_STATE). A window without it is the host's;
 * one whose client could not be found within the search's bounds is shown as unknown ("?"), never
 * as the host's. */
#ifndef SEAM_XRAY_SCAN_H
#define SEAM_XRAY_SCAN_H

#include <stdbool.h>
#include <stdint.h>

#include <xcb/xcb.h>

#include "common/domain.h"

/* Most top-level windows shown at once; a desktop has tens. */
#define XRAY_SCAN_MAX 512u

struct xray_target {
	xcb_window_t window; /* the top-level window (a child of the root) */
	int16_t x, y;	     /* its outer area (border included), root coordinates */
	uint16_t width, height;
	bool guest;			/* false: the host's window */
	char name[DOMAIN_NAME_MAX + 1]; /* the guest's name ("?" if malformed); "" for the host */
	uint32_t rgb;			/* the guest's label color, 0xRRGGBB */
};

struct xray_atoms {
	xcb_atom_t vmname, label_color, wm_state;
};

/* Intern the identity atoms and WM_STATE (one round trip). 0, or -EIO. */
int xray_scan_atoms(xcb_connection_t *x, struct xray_atoms *a);

/* Fill out (max entries) with the viewable InputOutput children of root that meet the screen,
 * bottom to top, leaving out the windows this client created (its overlays); with more than max,
 * the topmost max. Returns how many, -EIO if the server did not answer the tree query, -ENOMEM. */
int xray_scan(xcb_connection_t *x, const xcb_screen_t *screen, const struct xray_atoms *a,
	      struct xray_target *out, unsigned max);

/* Whether this client created window w (X gives each client its own range of ids). */
bool xray_scan_is_own(xcb_connection_t *x, xcb_window_t w);

#endif

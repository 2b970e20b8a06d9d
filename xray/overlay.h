/* seam-xray's overlays: for each window on the screen, a host override-redirect window over it,
 * stacked above everything, showing its owner: the guest's name, big, in its label color inside a
 * thick border of that color, or "dom0/host" in gray for the host's windows. The overlays are this
 * program's own windows on the host X server, which no guest can reach. */
#ifndef SEAM_XRAY_OVERLAY_H
#define SEAM_XRAY_OVERLAY_H

#include <stdbool.h>
#include <stddef.h>

#include <xcb/xcb.h>

#include "xray/scan.h"

/* What the host's windows say. '/' is in no domain name (common/domain.h), so no guest can be
 * called this. */
#define XRAY_HOST_TEXT "dom0/host"
/* The host marking: a dim gray inside, a lighter gray border and text (no label color is gray
 * this dark or this light). */
#define XRAY_HOST_INSIDE_RGB 0x2b2b2bu
#define XRAY_HOST_BORDER_RGB 0x9a9a9au
#define XRAY_HOST_TEXT_RGB   0xd0d0d0u
/* The border of a guest's overlay in its label color, and the host's, in pixels. */
#define XRAY_GUEST_BORDER 16u
#define XRAY_HOST_BORDER  4u

struct xray_overlay;

/* Set up on screen: the font, a GC, RENDER (to scale the labels). 0 with *out (the caller's, to
 * xray_overlay_destroy), or -errno with a reason in why. x and screen must outlive it. */
int xray_overlay_create(xcb_connection_t *x, xcb_screen_t *screen, struct xray_overlay **out,
			char *why, size_t why_len);
/* Destroys the overlays shown too. NULL is allowed. */
void xray_overlay_destroy(struct xray_overlay *o);

/* Show an overlay over each of n targets (bottom to top, as xray_scan() gives them), above every
 * window, replacing what was shown: the new overlays are mapped before the old ones go, so the
 * screen never shows a window unmarked between two calls. 0, or -ENOMEM. */
int xray_overlay_show(struct xray_overlay *o, const struct xray_target *t, unsigned n);
/* Remove every overlay. */
void xray_overlay_hide(struct xray_overlay *o);
/* Whether overlays are shown. */
bool xray_overlay_shown(const struct xray_overlay *o);

#endif

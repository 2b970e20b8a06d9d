/* The icons of a guest's frames (_NET_WM_ICON): the guest's own, tinted with its label color so
 * that no guest can show another domain's or the host's look, or a plain label-colored one where
 * the guest gives none. What a guest sends is validated by protocol/ (SEAM_ICON); the pixels a
 * guest may have tinted are rate-limited per daemon. */
#ifndef SEAM_DAEMON_ICON_H
#define SEAM_DAEMON_ICON_H

#include <stdint.h>

#include <xcb/xcb.h>

#include "common/domain.h"
#include "gui-daemon/display.h"
#include "protocol/proto.h"

/* Guest icon pixels tinted per second, at most (bursts of up to a second's worth): sixteen of the
 * largest icons a second, far more than an application changes its icon, while a guest sending
 * icons in a loop costs the host at most a few milliseconds of tinting a second. */
#define ICON_PIXELS_PER_SECOND (16u * PROTO_ICON_MAX_PIXELS)

struct icon;

/* Icons in label's color on dp's host windows (dp must outlive it). 0, -ENOMEM, or -EIO if the
 * atoms could not be interned. The caller owns *out. */
int icon_create(struct display *dp, const struct domain_label *label, struct icon **out);
void icon_destroy(struct icon *ic);

/* The plain label-colored icon on a frame (a window without an icon of its own). */
void icon_set_plain(struct icon *ic, xcb_window_t frame);
/* The guest's icon for its window `window` (validated by protocol/: m->count sizes whose pixels
 * are exactly `pixels`), tinted, on the frame; count 0 puts the plain icon back. An icon past
 * ICON_PIXELS_PER_SECOND is dropped and logged, rate-limited; so are images the host X server's
 * request size cannot carry. */
void icon_set(struct icon *ic, uint32_t window, xcb_window_t frame, const struct proto_seam_icon *m,
	      const uint8_t *pixels);

#endif

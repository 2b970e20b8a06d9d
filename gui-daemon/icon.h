/* The icons of a guest's frames (_NET_WM_ICON): the guest's own, tinted with its label color so
 * that no guest can show another domain's or the host's look, or a plain label-colored one where
 * the guest gives none. What a guest sends is validated by protocol/ (SEAM_ICON); the pixels a
 * guest may have tinted are rate-limited per daemon; a window's latest icon past the limit is kept
 * and shown when the budget allows, so a burst never leaves a frame with an older icon. */
#ifndef SEAM_DAEMON_ICON_H
#define SEAM_DAEMON_ICON_H

#include <stdbool.h>
#include <stdint.h>

#include <xcb/xcb.h>

#include "common/domain.h"
#include "gui-daemon/display.h"
#include "protocol/proto.h"

/* Windows whose latest icon waits for the budget, at most; their pixels together at most a
 * second's worth (4 MiB). An icon past these is dropped, and logged. */
#define ICON_PENDING_MAX 16u

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
 * ICON_PIXELS_PER_SECOND waits (the window's latest only, replacing an older one that waited) and
 * icon_tick() shows it when the budget allows; past ICON_PENDING_MAX it is dropped and logged,
 * rate-limited; so are images the host X server's request size cannot carry. */
void icon_set(struct icon *ic, uint32_t window, xcb_window_t frame, const struct proto_seam_icon *m,
	      const uint8_t *pixels);
/* The window is gone (or every window, with all): its waiting icon is dropped. */
void icon_forget(struct icon *ic, uint32_t window, bool all);
/* The poll loop: ms until icon_tick() can show a waiting icon, or -1 when none waits. */
int icon_timeout_ms(const struct icon *ic);
/* Show the waiting icons the budget now affords, oldest first. */
void icon_tick(struct icon *ic);

#endif

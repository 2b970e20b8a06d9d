/* The pixel path: each mapped window's buffer (a shm/ surface the guest X server writes into),
 * its dumps to the daemon and their acknowledgements, and damage.
 *
 * Damage (raw rectangles) is gathered per window in a pixman region; after each batch of X
 * events the damaged rows are fetched with ShmGetImage from the window's composite pixmap
 * straight into place in the buffer (full rows, so that they land at offset y * stride), the
 * surface is committed (a copy into grant pages where fds cannot travel, nothing otherwise), and
 * the SHMIMAGE naming the damaged rectangle goes out only when the server has answered, that is
 * when the pixels are in place. The agent itself never touches a pixel.
 *
 * damage follows wm's events for its own bookkeeping; the announcer, which orders the window
 * messages, says when the daemon learns or forgets a window and when a dump goes out.
 */
#ifndef SEAM_AGENT_DAMAGE_H
#define SEAM_AGENT_DAMAGE_H

#include <pixman.h>
#include <stdint.h>
#include <xcb/damage.h>

#include "gui-agent/capture.h"
#include "gui-agent/link.h"
#include "gui-agent/wm.h"
#include "gui-agent/xctx.h"
#include "protocol/proto.h"

/* Most GetImage requests in flight at once: enough to keep both X servers busy, few enough that
 * a flood of damage cannot queue unbounded work. */
#define DAMAGE_MAX_INFLIGHT 64u
/* Damaged bands closer than this many rows are fetched as one: a few extra rows cost less than
 * another request. */
#define DAMAGE_BAND_GAP 16

struct damage;

/* One fetch: whole rows of the buffer, and the part of them the daemon is told to repaint. */
struct damage_band {
	uint32_t y, rows;	    /* rows y .. y + rows - 1, full width */
	struct proto_shmimage rect; /* the damaged part of those rows */
};

/* 0 with *out (the caller owns it: damage_destroy; before wm), or -ENOMEM / -ENOSPC (no listener
 * slot left in wm). */
int damage_create(const struct xctx *xc, struct wm *wm, struct link *l, struct damage **out);
/* Free every window's buffers and X resources. NULL allowed. */
void damage_destroy(struct damage *d);
/* Take the guest driver's capture path (owned by damage from now on; NULL: none). Each new
 * buffer is then the driver's memfd when it holds the window's pixels, and damage goes out
 * without ShmGetImage; other windows, and all of them without a driver, are fetched as before. */
void damage_set_capture(struct damage *d, struct capture *c);

/* The announcer: the daemon knows w from now on (its CREATE went out on a ready connection). */
void damage_start(struct damage *d, const struct wm_window *w);
/* The announcer: the daemon forgot w (the connection ended): its pending dumps will never be
 * acknowledged, and nothing more goes out for it until damage_start(). */
void damage_stop(struct damage *d, const struct wm_window *w);
/* Send w's buffer (a new one if w's size changed) if w is mapped and known to the daemon. */
void damage_dump(struct damage *d, const struct wm_window *w);
/* Fetch the whole window again. */
void damage_repaint(struct damage *d, const struct wm_window *w);
/* WINDOW_DUMP_ACK: release w's oldest pending dump. */
void damage_ack(struct damage *d, const struct wm_window *w);

/* A DAMAGE event. */
void damage_notify(struct damage *d, const xcb_damage_notify_event_t *ev);
/* Retry the dumps of windows whose buffer could not be made (about once a second each).
 * Returns the ms until the next retry, or -1 when no window waits. */
int damage_retry_dumps(struct damage *d);
/* Issue GetImage for accumulated damage. */
void damage_flush(struct damage *d);
/* Handle the GetImage replies that have arrived: commit, then SHMIMAGE. */
void damage_poll_replies(struct damage *d);

/* Group a window's damage into fetches: dirty (clipped in place to width x height) becomes bands
 * of rows, rectangles less than DAMAGE_BAND_GAP rows apart sharing one; if there would be more
 * than max bands (max >= 1), one band covering it all. Returns the number of bands written to
 * out (max entries), 0 if nothing is damaged. */
unsigned damage_coalesce(pixman_region32_t *dirty, uint32_t width, uint32_t height, unsigned max,
			 struct damage_band *out);

#endif

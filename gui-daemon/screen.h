/* The host's screen size and monitor layout (RandR), followed by the guest (docs/protocol.md
 * section 5.35): read at start and at every RandR change, coalesced per turn of the loop; the
 * new size goes to display_set_size() and the window table (windows left beyond the new edge come
 * back on screen), and the layout to a Seam agent that agreed the monitors feature, which resizes
 * its screen and sets the same monitors. Without RandR the screen is one monitor of the
 * connection's size, and stays so. */
#ifndef SEAM_DAEMON_SCREEN_H
#define SEAM_DAEMON_SCREEN_H

#include <stdbool.h>
#include <xcb/xcb.h>

#include "gui-daemon/display.h"
#include "gui-daemon/session.h"
#include "gui-daemon/window.h"
#include "protocol/proto.h"

struct screen;

/* Watch the host root for RandR changes (where the server has RandR 1.2; monitors with 1.5) and
 * read the layout once. dp, s and windows outlive the screen. 0 with *out (the caller owns it:
 * screen_destroy), or -ENOMEM. */
int screen_create(struct display *dp, struct session *s, struct window_table *windows,
		  struct screen **out);
/* NULL allowed. */
void screen_destroy(struct screen *sc);

/* The agent agreed the feature: send it the layout. */
void screen_agent_ready(struct screen *sc);
/* A host X event: true if it was RandR's (remembered; acted on at screen_flush). */
bool screen_event(struct screen *sc, const xcb_generic_event_t *ev);
/* After a turn's X events: if RandR said something changed, read the layout, and if it did
 * change, apply the size and send the layout. */
void screen_flush(struct screen *sc);

#endif

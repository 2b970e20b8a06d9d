/* Host X events on the guest's windows: the user's input goes to the guest (coordinates relative
 * to the content, inside the frame) unless it is the clipboard's keys, the window manager's moves
 * and resizes go back as CONFIGURE, exposures are repainted from the window's buffer, and the
 * user's close becomes CLOSE. */
#ifndef SEAM_DAEMON_INPUT_H
#define SEAM_DAEMON_INPUT_H

#include <xcb/xcb.h>

#include "gui-daemon/clipboard.h"
#include "gui-daemon/display.h"
#include "gui-daemon/session.h"
#include "gui-daemon/window.h"

struct input;

/* All four must outlive it. 0 or -ENOMEM. The caller owns *out. */
int input_create(struct display *dp, struct window_table *windows, struct clipboard *clipboard,
		 struct session *s, struct input **out);
void input_destroy(struct input *in);

/* One event from the host X server (not an error), on any window: those of no guest window are
 * ignored. */
void input_event(struct input *in, const xcb_generic_event_t *ev);

#endif

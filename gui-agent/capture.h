/* The guest driver's capture path: when the guest X server runs seam_drv (guest-driver/),
 * Composite's window pixmaps are sealed memfds, and the agent asks the driver's socket for a
 * window's memfd (docs/protocol.md, "The guest driver's socket") instead of copying its pixels
 * with ShmGetImage. damage then passes that memfd to the daemon as the window's buffer and sends
 * only the damaged rectangles: the guest server draws straight into memory the host reads.
 *
 * A request is a short round trip to the X server's main loop, made once per new pixmap (map,
 * resize), never per damage. */
#ifndef SEAM_AGENT_CAPTURE_H
#define SEAM_AGENT_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/drvsock.h"

/* How long a request may wait for the X server to answer before the driver counts as gone. */
#define CAPTURE_TIMEOUT_MS 2000

struct capture;

/* Connect to the driver's socket at path (NULL: the default for display, protocol/drvsock.h) and
 * check that it answers, asking about probe_window (the root: never the driver's). 0 with *out
 * (the caller owns it: capture_close), or -errno with the reason in why: no driver there, and
 * the agent uses ShmGetImage. */
int capture_open(const char *path, const char *display, uint32_t probe_window, struct capture **out,
		 char *why, size_t why_len);
/* NULL allowed. */
void capture_close(struct capture *c);

/* Which memfd holds window's pixels now: 0 with *r and *fd (the caller owns fd), -ENOENT when
 * they are not the driver's (an unmapped window, a pixmap fb made), or another -errno with the
 * reason in why when the socket failed: every later call then fails with -ENOTCONN. */
int capture_window(struct capture *c, uint32_t window, struct proto_drv_reply *r, int *fd,
		   char *why, size_t why_len);

#endif

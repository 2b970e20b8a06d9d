/* The guest driver's capture path: when the guest X server runs seam_drv (guest-driver/),
 * Composite's window pixmaps are sealed memfds (or on Xen pages granted to the host), and the
 * agent asks the driver's socket for a window's memfd or grant refs (docs/protocol.md, "The guest
 * driver's socket") instead of copying its pixels with ShmGetImage. damage then passes them to
 * the daemon as the window's buffer and sends only the damaged rectangles: the guest server draws
 * straight into memory the host reads.
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

/* What holds a window's pixels: the driver's memfd, or its grant pages. */
struct capture_buf {
	struct proto_drv_reply r; /* r.status: PROTO_DRV_OK (fd) or PROTO_DRV_OK_GRANTS (refs) */
	int fd;			  /* the memfd, or -1 */
	uint32_t domid;		  /* the domain the pages are granted to */
	uint32_t *refs;		  /* their refs in page order (malloc'd), or NULL */
	uint32_t nrefs;
};

/* What holds window's pixels now: 0 with *out (the caller owns out->fd and out->refs:
 * capture_buf_clear), -ENOENT when they are not the driver's (an unmapped window, a pixmap fb
 * made), or another -errno with the reason in why when the socket failed: every later call then
 * fails with -ENOTCONN. *out is cleared in every case but 0. */
int capture_window(struct capture *c, uint32_t window, struct capture_buf *out, char *why,
		   size_t why_len);
/* Close the memfd, free the refs; leaves *b empty (fd -1). */
void capture_buf_clear(struct capture_buf *b);

#endif

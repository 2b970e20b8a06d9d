/* seam-gui-agent as a library: struct agent builds the components (xctx, link, wm, damage,
 * cursor, input, clipboard, announce), routes the X server's events and the daemon's messages to
 * them, and does the work of each turn of the poll loop that main.c runs. */
#ifndef SEAM_AGENT_AGENT_H
#define SEAM_AGENT_AGENT_H

#include <poll.h>

#include "gui-agent/options.h"

/* The pollfds agent_prepare() fills: the X connection, the channel and the guest's session bus
 * (fd -1 when notifications are not served). */
#define AGENT_NFDS 3

struct agent;

/* Open the channel and the X display, become the guest's window manager and track the windows
 * that exist. 0 with *out (the caller owns it: agent_destroy), or -errno after logging why;
 * -EINVAL only for a malformed channel address (printed on stderr: a usage error). */
int agent_create(const struct options *o, struct agent **out);
/* NULL allowed. */
void agent_destroy(struct agent *a);

/* Before sleeping: handle the X events and replies that arrived, fetch damage, retry buffers,
 * kill overdue clients, flush; then fill fds and *timeout (ms, -1: none) for poll(). 0, or -EPIPE
 * when the X connection is lost (logged). */
int agent_prepare(struct agent *a, struct pollfd fds[AGENT_NFDS], int *timeout);
/* After poll(): the channel's I/O and the daemon's messages (X events wait for the next
 * agent_prepare()). */
void agent_dispatch(struct agent *a, const struct pollfd fds[AGENT_NFDS]);

#endif

/* The guest's desktop notification server: with --notifications (seam-run passes it) the agent
 * serves org.freedesktop.Notifications on the guest's session bus (sd-bus), but claims the name
 * only while a Seam daemon has agreed the notify feature, so that it never fights a notification
 * daemon of the guest's own and an application sees no server when the host does not want its
 * notifications. Each Notify becomes a SEAM_NOTIFY (texts cut to the protocol's bounds at a
 * character); icons, actions and hints stay in the guest. */
#ifndef SEAM_AGENT_NOTIFY_H
#define SEAM_AGENT_NOTIFY_H

#include <poll.h>
#include <stdbool.h>

#include "gui-agent/link.h"

struct notify;

/* Connect to the guest's session bus (DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus) and
 * serve the interface there, unclaimed; link must outlive it. 0 with *out (the caller owns it:
 * notify_destroy), -ENOMEM, or another -errno with a reason in why when there is no bus to serve
 * on (the agent goes on without notifications). */
int notify_create(struct link *link, struct notify **out, char *why, size_t why_len);
/* Releases the name and leaves the bus. NULL allowed. */
void notify_destroy(struct notify *n);

/* A Seam daemon's hello was answered: claim the name if it agreed the notify feature, else
 * release it. */
void notify_link_seam(struct notify *n);
/* The daemon went: release the name until the next one agrees. */
void notify_link_down(struct notify *n);

/* The poll loop: the bus's fd and events (fd -1 when not connected), its timeout in ms (-1:
 * none), and its I/O once poll() returned. */
void notify_pollfd(const struct notify *n, struct pollfd *p);
int notify_timeout_ms(const struct notify *n);
void notify_dispatch(struct notify *n);

#endif

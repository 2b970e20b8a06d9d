/* Desktop notifications on the host: the daemon's own notices (the clipboard's), and a guest
 * application's notifications (SEAM_NOTIFY, validated by protocol/), which are cleaned of markup
 * and controls, titled "[NAME] summary" so that no guest can pass for the host or another domain,
 * and rate-limited per daemon. Both go to the notification server on the user's session bus
 * (org.freedesktop.Notifications), through sd-bus: no program is run. */
#ifndef SEAM_DAEMON_NOTIFY_H
#define SEAM_DAEMON_NOTIFY_H

#include <stdint.h>

#include "protocol/proto.h"

/* How long one notification may take to be written to the session bus. */
#define NOTIFY_BUS_MS 250
/* A guest's notifications shown at once, at most (a burst), and then one more every
 * NOTIFY_INTERVAL_MS: five in ten seconds is more than a mail client or a chat shows, while a
 * guest sending them in a loop puts at most that many on the user's screen. */
#define NOTIFY_BURST	   5
#define NOTIFY_INTERVAL_MS 2000

struct notify;

/* The guest's notifications, shown under its name (copied). 0 or -ENOMEM; the caller owns *out. */
int notify_create(const char *name, struct notify **out);
/* NULL allowed. */
void notify_destroy(struct notify *n);

/* A guest application's notification (m and its texts as protocol/ validated them): cleaned
 * (proto_notify_clean), titled "[NAME] summary", from application "[NAME] APP", and shown, unless
 * the guest is past its rate, when it is counted instead. */
void notify_guest(struct notify *n, const struct proto_seam_notify *m, const uint8_t *text);
/* The poll loop: ms until notify_tick() has something to log (the count of suppressed
 * notifications), or -1. */
int notify_timeout_ms(const struct notify *n);
/* Logs, once the guest is back within its rate, how many of its notifications were suppressed. */
void notify_tick(struct notify *n);

/* Show one notification on the host's notification server (the user's session bus, when one is
 * known: DBUS_SESSION_BUS_ADDRESS or $XDG_RUNTIME_DIR/bus), the daemon's own notices and the
 * guests' cleaned ones alike. Writing it takes at most NOTIFY_BUS_MS. */
void notify_send(const char *app, const char *summary, const char *body);

#endif

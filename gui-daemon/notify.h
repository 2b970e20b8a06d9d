/* Desktop notifications on the host: the daemon's own notices (the clipboard's), and a guest
 * application's notifications (SEAM_NOTIFY, validated by protocol/), which are cleaned of markup
 * and controls, titled "[NAME] summary" so that no guest can pass for the host or another domain,
 * and rate-limited per daemon. Both are shown by /usr/bin/notify-send on the user's session bus. */
#ifndef SEAM_DAEMON_NOTIFY_H
#define SEAM_DAEMON_NOTIFY_H

#include <stdint.h>

#include "protocol/proto.h"

/* A guest's notifications shown at once, at most (a burst), and then one more every
 * NOTIFY_INTERVAL_MS: five in ten seconds is more than a mail client or a chat shows, while a
 * guest sending them in a loop puts at most that many on the user's screen (and notify-send
 * processes on the host). */
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

/* Show one notification on the host's notification server through /usr/bin/notify-send, run by
 * its absolute path with a minimal environment, when a session bus is known (the daemon's own
 * notices and the guests' cleaned ones alike; none of the texts is read as an option). */
void notify_send(const char *app, const char *summary, const char *body);

#endif

/* One guest's daemon, assembled: the host display, the agent's session, the guest's windows and
 * their pixels, the clipboard, host input and the agent's messages, driven by one poll() loop over
 * the X connection, the channel and (in the program) a signal fd. seam-gui-daemon is this and a
 * small main; the unit tests and the fuzzer link it too. */
#ifndef SEAM_DAEMON_DAEMON_H
#define SEAM_DAEMON_DAEMON_H

#include <stddef.h>

#include <xcb/xcb.h>

#include "gui-daemon/clipboard.h"
#include "gui-daemon/conn.h"
#include "gui-daemon/options.h"
#include "gui-daemon/paint.h"
#include "gui-daemon/session.h"
#include "gui-daemon/window.h"

struct daemon;

/* Set up for the guest o describes, on the host display x (screen: one of x's), listening on
 * o->channel. o and x stay the caller's and must outlive the daemon. 0, or -errno with a reason in
 * why (why_len bytes). The caller owns *out. */
int daemon_create(const struct options *o, xcb_connection_t *x, xcb_screen_t *screen,
		  struct daemon **out, char *why, size_t why_len);
/* Remove the guest's windows, release its memory, close the channel. NULL allowed. */
void daemon_destroy(struct daemon *d);

/* One turn of the loop: wait up to timeout_ms (negative: as long as the channel allows) for the
 * host X server, the agent or sigfd (-1: none), then handle what came, host input first. 0; 1 when
 * a signal arrived on sigfd (read and logged); -EPIPE when the X connection is lost, or poll()'s
 * -errno (both logged). */
int daemon_turn(struct daemon *d, int sigfd, int timeout_ms);
/* Turns until one returns non-zero; returns that. */
int daemon_run(struct daemon *d, int sigfd);

/* The parts, for callers that drive them directly (the tests, the fuzzer); owned by the daemon. */
struct session *daemon_session(const struct daemon *d);
struct conn *daemon_conn(const struct daemon *d);
struct window_table *daemon_windows(const struct daemon *d);
struct paint *daemon_paint(const struct daemon *d);
struct clipboard *daemon_clipboard(const struct daemon *d);
struct tray *daemon_tray(const struct daemon *d);

#endif

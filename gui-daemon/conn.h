/* The agent's messages: each turn, the session's events (an agent arriving or leaving) and up to
 * CONN_MSGS_PER_TURN messages, each validated by protocol/ and then acted on by the window table,
 * a window's buffer or the clipboard. A protocol violation ends the connection; an agent that
 * leaves takes its windows with it, and the daemon waits for the next one. */
#ifndef SEAM_DAEMON_CONN_H
#define SEAM_DAEMON_CONN_H

#include <stdbool.h>
#include <stdint.h>

#include "gui-daemon/clipboard.h"
#include "gui-daemon/icon.h"
#include "gui-daemon/dpi.h"
#include "gui-daemon/screen.h"
#include "gui-daemon/keyboard.h"
#include "gui-daemon/notify.h"
#include "gui-daemon/session.h"
#include "gui-daemon/tray.h"
#include "gui-daemon/window.h"
#include "protocol/proto.h"

/* Messages handled per turn of the loop, so a flooding guest cannot starve host input. */
#define CONN_MSGS_PER_TURN 256

struct conn;

/* All of them must outlive it. 0 or -ENOMEM. The caller owns *out. */
int conn_create(struct session *s, struct window_table *windows, struct clipboard *clipboard,
		struct keyboard *keyboard, struct icon *icon, struct dpi *dpi,
		struct notify *notify, struct screen *screen, struct conn **out);
void conn_destroy(struct conn *c);
/* The tray icons' owner, for DOCK (it must outlive c): set before the first turn. */
void conn_set_tray(struct conn *c, struct tray *tray);

/* One turn: the channel's I/O for poll's revents (0 after a timeout), the handshake, messages. */
void conn_turn(struct conn *c, short revents);
/* Messages are waiting that this turn did not handle: poll without sleeping. */
bool conn_backlog(const struct conn *c);

/* Decode, validate and act on one framed message from the agent whose header passed
 * session_frame() (fds: what came with it; closed here unless a message keeps one). */
void conn_handle(struct conn *c, const struct proto_hdr *hdr, const uint8_t *body, int *fds,
		 unsigned nfds);

#endif

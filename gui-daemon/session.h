/* The agent's session: the channel the daemon listens on, the version handshake and Seam's hello,
 * the protocol state they agree, and every message to the agent. The components that talk to the
 * agent send through it; only conn (the agent's messages) drives it. */
#ifndef SEAM_DAEMON_SESSION_H
#define SEAM_DAEMON_SESSION_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gui-daemon/display.h"
#include "protocol/proto.h"
#include "shm/chan.h"

/* A guest that connects this often in a second is not listened to for SESSION_CONNECT_HOLD_MS: an
 * agent reconnects once after a crash or a restart, a loop of connections only floods the daemon
 * (110,742 in 3 s were measured). */
#define SESSION_MAX_CONNECTS_PER_S 8u
#define SESSION_CONNECT_HOLD_MS	   1000

struct session;

/* Open the channel address (unix:PATH or vchan:DOMID:PORT, see shm/chan.h) on the host side. The
 * handshake will announce dp's screen at its size then (dp outlives the session). 0, or -errno
 * with a reason in why. The caller owns *out. */
int session_create(const char *address, const struct display *dp, struct session **out, char *why,
		   size_t why_len);
/* Close the channel (removing a unix: socket). NULL allowed. */
void session_destroy(struct session *s);

/* ---- The event loop (conn's) --------------------------------------------------------------- */
void session_pollfd(const struct session *s, struct pollfd *pfd);
int session_timeout_ms(const struct session *s);
/* The channel's I/O for poll's revents: CHAN_EV_* bits. */
unsigned session_dispatch(struct session *s, short revents);
/* An agent is connected to the channel (whatever the handshake's state). */
bool session_connected(const struct session *s);
/* A new agent arrived: wait for its version. The SESSION_MAX_CONNECTS_PER_S-th connection in a
 * second holds new ones off (chan_hold_off) for SESSION_CONNECT_HOLD_MS. */
void session_begin(struct session *s);
/* Take the agent's version if it came, and answer (version, screen, Seam's hello). */
void session_handshake(struct session *s);
/* The handshake is done: messages flow both ways. */
bool session_running(const struct session *s);
/* The next complete message while running: 1, 0 (none yet) or -1 (the connection failed). */
int session_recv(struct session *s, struct chan_msg *m);
/* The agent went: forget its protocol state until the next one. */
void session_end(struct session *s);
/* Why the last connection ended. */
const char *session_error(const struct session *s);

/* ---- Messages -------------------------------------------------------------------------------- */
/* The frame check the channel runs on each header before its body is read (public for callers
 * that feed messages themselves): 0 with the body's length and the fds it carries, or -EPROTO
 * after a log line (the connection must end). */
int session_frame(struct session *s, const struct proto_hdr *hdr, uint32_t *body_len,
		  unsigned *nfds);
/* Validate one message under the agreed protocol (proto_decode()). */
enum proto_verdict session_decode(const struct session *s, const struct proto_hdr *hdr,
				  const uint8_t *body, unsigned nfds, struct proto_msg *out,
				  struct proto_error *err);
/* The agent's SEAM_HELLO: 0 when its features are agreed, else -EPROTO and the connection ends. */
int session_accept_hello(struct session *s, const struct proto_seam_hello *hello);
/* End the connection for a protocol violation (logged here, once). */
void session_fail(struct session *s, const char *why);
/* Queue a message to the agent. 0; -ENOTCONN before the handshake is done (dropped); or the
 * channel's error, after which the connection ends (reported by session_dispatch()). */
int session_send(struct session *s, const struct proto_msg *m);
/* Never offer these PROTO_SEAM_FEATURE_* (a guest's option turned them off), from the next
 * hello on: an agent that uses one anyway breaks the protocol. */
void session_withhold(struct session *s, uint32_t features);
/* The agent's hello agreed this PROTO_SEAM_FEATURE_*. */
bool session_has_feature(const struct session *s, uint32_t feature);

/* The guest's Xen domain (vchan:DOMID:PORT's), whose grants alone are mapped; 0 on unix:. */
uint32_t session_peer_domid(const struct session *s);
/* The path of the socket the daemon listens on, or NULL where the channel has none (vchan). */
const char *session_socket_path(const struct session *s);

#endif

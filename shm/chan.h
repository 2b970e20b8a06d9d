/* The control channel between a guest and the host: framed protocol messages over a byte stream.
 *
 * One address string picks the backend:
 *   unix:PATH          the host listens (socket mode 0600 or as configured, a stale socket removed)
 *                      and serves one guest at a time; the guest connects and retries with backoff.
 *                      File descriptors travel beside messages (SCM_RIGHTS).
 *   vchan:DOMID:PORT   Xen libxenvchan. The guest is the vchan server, the host the client, so the
 *                      host never grants its own memory to a guest. DOMID is the other end's domain.
 *
 * Everything is non-blocking and driven by one poll() loop: chan_pollfd() and chan_timeout_ms() say
 * what to wait for, chan_dispatch() does the I/O and reports events, chan_recv() hands out complete
 * messages. Output is queued up to a limit; a peer that lets the queue pass it has failed and its
 * connection is dropped, so a slow or stuck peer never blocks the process nor grows its memory.
 * When a connection ends the channel waits for the next one (host) or reconnects (guest).
 */
#ifndef SEAM_CHAN_H
#define SEAM_CHAN_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/proto.h"

/* Most fds a message may carry; more is a protocol violation. */
#define CHAN_MAX_FDS 4u
/* Default output queue limit: far above what control messages need (no pixels travel here). */
#define CHAN_DEFAULT_MAX_QUEUE (8u << 20)
/* Guest reconnect backoff. */
#define CHAN_RETRY_MIN_MS 50
#define CHAN_RETRY_MAX_MS 1000
/* vchan ring sizes (the GUI protocol's, as Qubes uses them). */
#define CHAN_VCHAN_RING 4096u

enum chan_side {
	CHAN_HOST = 1,	/* the daemon's end */
	CHAN_GUEST = 2, /* the agent's end */
};

enum chan_state {
	CHAN_WAITING = 1, /* no peer: listening, or retrying, or waiting for the vchan peer */
	CHAN_CONNECTED,
	CHAN_CLOSED, /* a channel made from an fd whose peer left: it cannot reconnect */
};

/* Events returned by chan_dispatch(). */
#define CHAN_EV_CONNECTED 1u	/* a new peer: start the handshake */
#define CHAN_EV_DISCONNECTED 2u /* the peer left or failed; chan_error() says why */
#define CHAN_EV_INPUT 4u	/* bytes arrived: call chan_recv_raw()/chan_recv() until 0 */

/* Called once per message when its header is complete, before the channel waits for its body:
 * set *body_len and *nfds (the fds that must come with it) or return -1 to fail the connection. The
 * default (NULL) allows bodies up to max_body and proto_fds_for_type(hdr->type) fds. */
typedef int (*chan_frame_fn)(void *ctx, const struct proto_hdr *hdr, uint32_t *body_len,
			     unsigned *nfds);

struct chan_config {
	size_t max_queue;    /* output queue limit in bytes (0: CHAN_DEFAULT_MAX_QUEUE) */
	uint32_t max_body;   /* largest body with the default frame check (0: PROTO_MAX_BODY_LEN) */
	unsigned sock_mode;  /* unix host: the socket's mode (0: 0600) */
	int sock_gid;	     /* unix host: the socket's group, or -1 to leave it */
	size_t max_io;	     /* largest read or write per system call (0: no limit; tests use 1) */
	chan_frame_fn frame; /* see chan_frame_fn */
	void *frame_ctx;
};

struct chan_msg {
	struct proto_hdr hdr;
	const uint8_t *body;	/* hdr.untrusted_len bytes, valid until the next chan_* call */
	int fds[CHAN_MAX_FDS];	/* owned by the caller, O_CLOEXEC */
	unsigned nfds;
};

struct chan;

/* Open an address for one side. Returns 0 or -errno (-EINVAL for a malformed address, with a
 * message on stderr saying which part). cfg may be NULL for the defaults. A host unix: channel is
 * listening when this returns; a guest starts connecting at once. The caller owns *out. */
int chan_open(const char *address, enum chan_side side, const struct chan_config *cfg,
	      struct chan **out);

/* A channel over an already connected stream socket (socketpair, inherited fd); it takes ownership
 * of fd. When the peer leaves the channel is CHAN_CLOSED. */
int chan_open_fd(int fd, enum chan_side side, const struct chan_config *cfg, struct chan **out);

/* Close the connection, the listener (removing its socket file) and every queued fd. NULL allowed. */
void chan_close(struct chan *c);

/* ---- Event loop ---------------------------------------------------------------------------------- */

/* The fd and events to poll (fd is -1 while there is nothing to wait on but a timer). */
void chan_pollfd(const struct chan *c, struct pollfd *pfd);
/* Milliseconds until chan_dispatch() must run even without fd activity, or -1. */
int chan_timeout_ms(const struct chan *c);
/* Do whatever I/O is possible (revents from poll, or 0 after a timeout) and return CHAN_EV_* bits. */
unsigned chan_dispatch(struct chan *c, short revents);

enum chan_state chan_state(const struct chan *c);
/* The Xen domain at the other end (vchan:DOMID:PORT's DOMID); 0 on unix:, where it means nothing.
 * The host maps the guest's grant refs from this domain and no other. */
uint32_t chan_peer_domid(const struct chan *c);
/* Whether file descriptors can travel beside messages (unix:) or not (vchan:). Code above shm/
 * asks this instead of looking at the address: it decides memfd buffers against grant refs. */
bool chan_can_pass_fds(const struct chan *c);
/* Why the last connection ended ("" if none did). */
const char *chan_error(const struct chan *c);
/* End the current connection (e.g. on a protocol violation): reason is logged by the caller and
 * kept for chan_error(); the next chan_dispatch() reports CHAN_EV_DISCONNECTED. */
void chan_fail(struct chan *c, const char *reason);

/* Take no new peer for ms milliseconds (a host whose guest reconnects in a loop); a connected peer
 * is not touched. The loop goes on: chan_pollfd() leaves the listener out until then and
 * chan_timeout_ms() says when to look again, so peers that come meanwhile wait in the backlog. */
void chan_hold_off(struct chan *c, int ms);

/* ---- Messages ------------------------------------------------------------------------------------ */

/* Take exactly n raw bytes (the handshake's header-less structs). 1: copied; 0: not there yet (or
 * no connection); -1: the connection failed (fds arrived with them) or ended before n bytes came. */
int chan_recv_raw(struct chan *c, void *buf, size_t n);

/* Take the next complete message. 1: *m filled; 0: none complete yet (or no connection); -1: the
 * connection failed (a frame check refused a header, or fds did not match) or ended with only part
 * of a message left, which is discarded. Messages that arrived before the peer closed the connection are still handed out, so read
 * them before handling CHAN_EV_DISCONNECTED. */
int chan_recv(struct chan *c, struct chan_msg *m);

/* Queue len bytes (one encoded message, or raw handshake bytes) with nfds fds beside them (fds are
 * duplicated; the caller keeps its own). 0: queued; -ENOTCONN: no peer; -EMSGSIZE: fds on a
 * backend that cannot carry them or too many; -ENOBUFS: the queue limit was passed, the connection
 * failed. */
int chan_send(struct chan *c, const void *buf, size_t len, const int *fds, unsigned nfds);

/* Encode and queue a protocol message. Same results as chan_send(), and -EINVAL if it cannot be
 * encoded. */
int chan_send_msg(struct chan *c, const struct proto_msg *msg, const int *fds, unsigned nfds);

/* Bytes queued and not yet written. */
size_t chan_queued(const struct chan *c);

#endif

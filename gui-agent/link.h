/* The agent's connection to the host daemon: the channel, the handshake (version, xconf, Seam
 * hello) and what was agreed. Every other component sends through link_send() and asks
 * link_ready() / link_buffers(); none reads the channel. The daemon's messages, decoded and
 * validated by protocol/, go to the handlers given at link_open(), which the agent's top layer
 * provides: the link never calls the components above it. */
#ifndef SEAM_AGENT_LINK_H
#define SEAM_AGENT_LINK_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/proto.h"

struct link;
struct shm_surface;

struct link_handlers {
	/* The handshake completed: window messages may travel. */
	void (*ready)(void *ctx);
	/* Window buffers became possible after ready (a Seam daemon's hello agreed on memfds):
	 * send the buffers of the windows already announced. */
	void (*buffers)(void *ctx);
	/* A Seam daemon's hello was answered after ready: the Seam messages of the features agreed
	 * (link_seam_feature()) may travel now. */
	void (*seam)(void *ctx);
	/* A validated message from the daemon on a ready connection. */
	void (*message)(void *ctx, const struct proto_msg *m);
	/* The connection ended; the channel reconnects by itself. */
	void (*down)(void *ctx);
	void *ctx;
};

/* Open the channel at address (unix:PATH or vchan:DOMID:PORT) and start connecting; h is copied
 * (its functions may be NULL). 0 with *out (the caller owns it: link_close), or -errno: -EINVAL
 * for a malformed address (the channel printed which part). */
int link_open(const char *address, const struct link_handlers *h, struct link **out);
/* The same over an already connected stream socket (tests); takes ownership of fd. */
int link_open_fd(int fd, const struct link_handlers *h, struct link **out);
/* NULL allowed. */
void link_close(struct link *l);

/* The poll loop: what to wait for, and the I/O once poll() returned (revents, or 0 after a
 * timeout). Handlers run from link_dispatch(). */
void link_pollfd(const struct link *l, struct pollfd *p);
int link_timeout_ms(const struct link *l);
void link_dispatch(struct link *l, short revents);

/* Whether window messages may travel now. */
bool link_ready(const struct link *l);
/* Whether window buffers can travel on this connection: memfds agreed in the Seam hello, or grant
 * references on a transport that cannot carry fds. */
bool link_buffers(const struct link *l);
/* Offer these PROTO_SEAM_FEATURE_* too in the next Seam hellos (those the agent serves only when
 * asked to, such as notifications). */
void link_offer(struct link *l, uint32_t features);
/* The Seam hello agreed this PROTO_SEAM_FEATURE_* on the current connection. */
bool link_seam_feature(const struct link *l, uint32_t feature);
/* The negotiated protocol version (0 before the handshake). */
uint32_t link_version(const struct link *l);
/* What the handshake agreed, for the log: "Seam with memfd buffers", "Qubes protocol with grant
 * buffers", ... (valid until the next handshake). */
const char *link_mode(const struct link *l);

/* Queue one message with nfds fds beside it (duplicated; the caller keeps its own). 0, or -errno
 * (logged here): -ENOTCONN without a connection, -ENOBUFS when the daemon does not read and the
 * connection failed, -EINVAL if the message cannot be encoded. */
int link_send(struct link *l, const struct proto_msg *m, const int *fds, unsigned nfds);

/* A window surface that this connection's transport can share (shm/surface.h): 0 with *out (the
 * caller owns it), or -errno with a reason in why. */
int link_surface_create(const struct link *l, uint32_t width, uint32_t height,
			struct shm_surface **out, char *why, size_t why_len);
/* A window surface over the guest driver's memfd (shm_surface_adopt: fd is owned by this call),
 * or -errno with a reason in why (-EOPNOTSUPP where the channel cannot pass fds). */
int link_surface_adopt(const struct link *l, int fd, uint32_t width, uint32_t height,
		       uint32_t stride, struct shm_surface **out, char *why, size_t why_len);
/* A window surface over the guest driver's grant pages (shm_surface_adopt_grants), or -errno
 * with a reason in why (-EOPNOTSUPP where the channel passes fds, -EPERM for pages granted to a
 * domain other than the channel's peer). */
int link_surface_adopt_grants(const struct link *l, uint32_t domid, const uint32_t *refs,
			      uint32_t nrefs, uint32_t width, uint32_t height,
			      struct shm_surface **out, char *why, size_t why_len);

#endif

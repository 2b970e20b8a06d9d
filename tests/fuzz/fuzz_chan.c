/* libFuzzer target: the channel's framing (shm/chan.c) on a real stream socket: arbitrary bytes
 * written by a guest in segments, some with a descriptor beside them, read by a host channel in
 * reads as small as chan_config.max_io makes them, and drained with chan_recv().
 *
 * Input: two flags bytes, then the byte stream the guest writes.
 *   byte 0, bits 0-2: max_io (0: no limit; else 1, 2, 3, 5, 7, 12 or 64 bytes per read)
 *           bit 3:    the daemon's frame check (proto_check_header) instead of the default
 *           bit 4:    a 4 KiB max_body instead of the protocol's largest body
 *           bits 5-7: every Nth segment carries a descriptor (0: none does)
 *   byte 1: the guest's segment length (1-256 bytes)
 * Invariants checked: the messages handed out are the stream's frames in order, byte for byte,
 * each within the body limit and with exactly its type's descriptors; nothing is handed out past
 * what was written; no descriptor or memory leaks (LeakSanitizer) once the channel is closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "protocol/proto.h"
#include "shm/chan.h"
#include "tests/fuzz/fds.h"

/* Far more rounds than any input needs: each one moves at least a byte or ends the loop. */
#define MAX_ROUNDS 100000

struct run {
	const uint8_t *stream;
	size_t written; /* bytes the guest has written so far */
	size_t taken;	/* bytes of the stream handed out as messages */
	uint32_t max_body;
	struct proto_peer peer;
};

static int devnull = -1;

/* The daemon's frame check (gui-daemon/conn.c does the same). */
static int daemon_frame(void *ctx, const struct proto_hdr *hdr, uint32_t *body_len, unsigned *nfds)
{
	struct run *r = ctx;
	if (proto_check_header(&r->peer, PROTO_FROM_AGENT, hdr, body_len, NULL) == PROTO_FATAL)
		return -1;
	*nfds = proto_fds_for_type(hdr->type);
	return 0;
}

static void check_message(struct run *r, const struct chan_msg *m)
{
	uint8_t hdr[PROTO_HDR_SIZE];
	proto_hdr_encode(&m->hdr, hdr);
	size_t len = PROTO_HDR_SIZE + (size_t)m->hdr.untrusted_len;
	if (m->hdr.untrusted_len > r->max_body || len > r->written - r->taken ||
	    memcmp(hdr, r->stream + r->taken, PROTO_HDR_SIZE) != 0 ||
	    memcmp(m->body, r->stream + r->taken + PROTO_HDR_SIZE, m->hdr.untrusted_len) != 0 ||
	    m->nfds > CHAN_MAX_FDS || m->nfds != proto_fds_for_type(m->hdr.type))
		abort();
	for (unsigned i = 0; i < m->nfds; i++)
		if (fcntl(m->fds[i], F_GETFD) < 0)
			abort();
	r->taken += len;
}

/* Hands out every complete message. Returns whether any came. */
static bool drain(struct chan *c, struct run *r)
{
	bool any = false;
	for (int k = 0; k < MAX_ROUNDS; k++) {
		struct chan_msg m;
		if (chan_recv(c, &m) != 1)
			break;
		check_message(r, &m);
		for (unsigned i = 0; i < m.nfds; i++)
			close(m.fds[i]);
		any = true;
	}
	return any;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t io_sizes[] = {0, 1, 2, 3, 5, 7, 12, 64};
	if (devnull < 0) {
		devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (devnull < 0)
			abort();
	}
	if (size < 2)
		return 0;
	/* The descriptor the next open() gets: the same at the end unless one leaked (measured per
	 * input, as libFuzzer opens and closes its own between inputs). */
	const int lowest_free = fds_lowest_free();
	struct run r = {
	    .stream = data + 2,
	    .max_body = (data[0] & 16) ? 4096u : PROTO_MAX_BODY_LEN,
	    .peer = {.version = PROTO_VERSION_CURRENT,
		     .seam_hello_sent = true,
		     .seam = true,
		     .seam_features = PROTO_SEAM_FEATURE_MEMFD},
	};
	struct chan_config cfg = {
	    .sock_gid = -1,
	    .max_io = io_sizes[data[0] & 7],
	    .max_body = r.max_body,
	    .frame = (data[0] & 8) ? daemon_frame : NULL,
	    .frame_ctx = &r,
	};
	const unsigned fd_every = data[0] >> 5;
	const size_t seg = (size_t)data[1] + 1;
	size -= 2;

	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		abort();
	struct chan *c;
	if (chan_open_fd(sv[1], CHAN_HOST, &cfg, &c))
		abort();
	chan_dispatch(c, 0); /* CHAN_EV_CONNECTED */

	unsigned segments = 0;
	bool host_gone = false;
	for (int round = 0; round < MAX_ROUNDS && r.written < size && !host_gone; round++) {
		size_t len = size - r.written < seg ? size - r.written : seg;
		bool with_fd = fd_every && ++segments % fd_every == 0;
		ssize_t n = fds_send(sv[0], r.stream + r.written, len, devnull, with_fd);
		if (n >= 0)
			r.written += (size_t)n;
		else if (n != -EAGAIN)
			host_gone = true;
		chan_dispatch(c, POLLIN);
		drain(c, &r);
		host_gone = host_gone || chan_state(c) != CHAN_CONNECTED;
	}
	/* The guest leaves: what is complete is still handed out, the rest is discarded. */
	shutdown(sv[0], SHUT_WR);
	for (int round = 0; round < MAX_ROUNDS; round++) {
		unsigned ev = chan_dispatch(c, POLLIN);
		bool any = drain(c, &r);
		if (!any && !ev && chan_state(c) != CHAN_CONNECTED)
			break;
	}
	if (r.taken > r.written || chan_state(c) == CHAN_CONNECTED)
		abort();
	close(sv[0]);
	chan_close(c);
	if (fds_lowest_free() != lowest_free)
		abort(); /* a descriptor leaked */
	return 0;
}

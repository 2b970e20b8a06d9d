/* Private to shm/: the channel object shared by the common framing code and its backends. */
#ifndef SEAM_CHAN_INTERNAL_H
#define SEAM_CHAN_INTERNAL_H

#include <sys/types.h>
#include <sys/un.h>

#include "chan.h"

struct libxenvchan;

/* What a transport provides. recv/send return bytes moved, -EAGAIN for "not now", 0 from recv for the
 * end of the stream, or -errno. */
struct chan_ops {
	const char *name;
	bool pass_fds; /* can carry fds beside bytes */
	/* poll()'s POLLIN says exactly when recv has bytes (a socket), so a short read means there
	 * are no more for now; a vchan's ring is read at every wake-up until it says EAGAIN. */
	bool poll_exact;
	/* While waiting for a peer: what to poll (fd -1: only the retry timer). */
	void (*poll_waiting)(const struct chan *c, struct pollfd *pfd);
	/* While waiting: try to get a peer. 1: connected; 0: still waiting (retry_at may be set). */
	int (*try_connect)(struct chan *c, short revents);
	/* While connected: what to poll; want_write when output is queued. */
	void (*poll_connected)(const struct chan *c, bool want_write, struct pollfd *pfd);
	/* While connected, before I/O: acknowledge the wake-up. <0: the peer is gone. */
	int (*prepare)(struct chan *c, short revents);
	ssize_t (*recv)(struct chan *c, void *buf, size_t n, int *fds, unsigned *nfds);
	ssize_t (*send)(struct chan *c, const void *buf, size_t n, const int *fds, unsigned nfds);
	/* End the connection and get ready for the next one (a guest schedules its reconnection).
	 * Returns the state to enter: CHAN_WAITING or CHAN_CLOSED. */
	enum chan_state (*drop)(struct chan *c);
	void (*destroy)(struct chan *c);
};

/* fds that arrived with the byte at absolute stream offset `off`. */
struct chan_in_fd {
	uint64_t off;
	int fd;
};

/* fds to send with the message starting at absolute output offset `off`, `len` bytes long. */
struct chan_out_fds {
	uint64_t off;
	size_t len;
	int fds[CHAN_MAX_FDS];
	unsigned nfds;
};

#define CHAN_IN_FDS_MAX (2u * CHAN_MAX_FDS)

struct chan {
	const struct chan_ops *ops;
	enum chan_side side;
	enum chan_state state;
	struct chan_config cfg;
	unsigned events; /* to report at the next chan_dispatch() */
	char error[160];
	int64_t retry_at; /* CLOCK_MONOTONIC ms, or -1 */
	int64_t hold_until; /* no new peer before this (CLOCK_MONOTONIC ms; see chan_hold_off) */
	int backoff_ms;

	/* Input: bytes [in_head, in_tail) of in[] are at absolute offsets in_base + index. */
	uint8_t *in;
	size_t in_cap, in_head, in_tail;
	uint64_t in_base;
	struct chan_in_fd in_fds[CHAN_IN_FDS_MAX];
	unsigned in_nfds;
	bool hdr_checked; /* the header at in_head passed the frame check */
	bool draining;	  /* the input is what an ended connection left behind */
	bool dry;	  /* a socket had no more bytes at the last read: chan_recv() does not
			   * read again until it has handed out what is buffered */
	uint32_t body_len;
	unsigned want_fds;

	/* Output: bytes [out_head, out_tail) of out[]; out_base is the absolute offset of out[0]. */
	uint8_t *out;
	size_t out_cap, out_head, out_tail;
	uint64_t out_base;
	struct chan_out_fds *out_fds;
	size_t out_nfds, out_fds_cap;

	/* Backends. */
	int fd;	       /* unix: the connection */
	int listen_fd; /* unix host */
	struct sockaddr_un addr;
	dev_t sock_dev; /* the socket file this host created, to remove only that one */
	ino_t sock_ino;
	bool from_fd;
	struct libxenvchan *vchan;
	uint32_t domid, port;
};

extern const struct chan_ops chan_unix_ops;
extern const struct chan_ops chan_vchan_ops;

/* Backend set-up from the part of the address after "unix:" / "vchan:". 0 or -errno. */
int chan_unix_setup(struct chan *c, const char *path);
int chan_unix_setup_fd(struct chan *c, int fd);
int chan_vchan_setup(struct chan *c, const char *spec);

/* Guest side: schedule the next connection attempt with exponential backoff. */
void chan_schedule_retry(struct chan *c);

#endif

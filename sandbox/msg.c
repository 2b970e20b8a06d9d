/* seam-run's messages over SOCK_SEQPACKET, framed and checked by the framing kit on receipt. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sandbox/msg.h"

/* Room for more descriptors than a message may carry, so an excess is seen (and closed), not
 * silently cut by the kernel. */
#define RECV_MAX_FDS 16

#define ANY	FRAME_ANY_SENDER
#define NONE	FRAME_FIXED(0)
#define PAYLOAD FRAME_VARIABLE(0u, 1u, 0u, MSG_MAX_PAYLOAD)

static const struct frame_type msg_types[] = {
    {MSG_SPAWN, "SPAWN", ANY, PAYLOAD, MSG_SPAWN_FDS, 0},
    {MSG_STARTED, "STARTED", ANY, NONE, 0, 0},
    {MSG_FAILED, "FAILED", ANY, NONE, 0, 0},
    {MSG_EXITED, "EXITED", ANY, NONE, 0, 0},
    {MSG_SIGNAL, "SIGNAL", ANY, NONE, 0, 0},
    {MSG_WINDOWS, "WINDOWS", ANY, NONE, 0, 0},
    {MSG_READY, "READY", ANY, NONE, 0, 0},
    {MSG_STOP, "STOP", ANY, NONE, 0, 0},
    {MSG_UP, "UP", ANY, NONE, 0, 0},
    {MSG_LIST, "LIST", ANY, PAYLOAD, 0, 0},
};

_Static_assert(sizeof(msg_types) / sizeof(msg_types[0]) == MSG_TYPE_MAX,
	       "one table entry per seam-run message type");

const struct frame_proto msg_frames = {
    .prefix = "seam-run ",
    .hdr_words = MSG_HDR_SIZE / 4u,
    .types = msg_types,
    .ntypes = sizeof(msg_types) / sizeof(msg_types[0]),
};

int msg_send(int sock, uint32_t type, uint32_t id, int32_t value, const void *payload, size_t len,
	     const int *fds, int nfds)
{
	if (len > MSG_MAX_PAYLOAD || !frame_encoded_len(&msg_frames, type, (uint32_t)len) ||
	    nfds < 0 || (unsigned)nfds != frame_fds(&msg_frames, type))
		return -EINVAL;
	struct frame_hdr h = {
	    .type = type, .untrusted_len = (uint32_t)len, .arg = {id, (uint32_t)value}};
	uint8_t hdr[MSG_HDR_SIZE];
	frame_hdr_encode(&msg_frames, &h, hdr);
	struct iovec iov[2] = {{hdr, sizeof(hdr)}, {(void *)payload, len}};
	union {
		char buf[CMSG_SPACE(sizeof(int) * MSG_SPAWN_FDS)];
		struct cmsghdr align;
	} u;
	struct msghdr mh = {.msg_iov = iov, .msg_iovlen = len ? 2 : 1};
	if (nfds) {
		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	ssize_t n;
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == sizeof(hdr) + len ? 0 : -EIO;
}

void msg_close_fds(struct msg *m)
{
	for (int i = 0; i < m->nfds; i++)
		if (m->fds[i] >= 0)
			close(m->fds[i]);
	m->nfds = 0;
}

/* Keeps the first MSG_SPAWN_FDS descriptors that came with a packet in m and closes the rest;
 * returns how many came. */
static unsigned take_fds(struct msghdr *mh, struct msg *m)
{
	unsigned got = 0;
	m->nfds = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++, got++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (m->nfds < MSG_SPAWN_FDS)
				m->fds[m->nfds++] = fd;
			else
				close(fd);
		}
	}
	return got;
}

/* The checks of one received packet: n bytes (its header in hdr, its payload already in
 * m->payload) and got descriptors. */
static int check(struct msg *m, const uint8_t *hdr, ssize_t n, int flags, unsigned got, char *why,
		 size_t why_len)
{
	if (flags & (MSG_TRUNC | MSG_CTRUNC)) {
		snprintf(why, why_len, "seam-run: a packet past %u bytes or %d descriptors",
			 MSG_HDR_SIZE + MSG_MAX_PAYLOAD, RECV_MAX_FDS);
		return -EPROTO;
	}
	if ((size_t)n < MSG_HDR_SIZE) {
		snprintf(why, why_len, "seam-run: a packet of %zd bytes, shorter than a header", n);
		return -EPROTO;
	}
	struct frame_hdr h;
	frame_hdr_decode(&msg_frames, hdr, &h);
	const struct frame_type *row;
	const uint8_t *payload;
	uint32_t len;
	struct frame_error fe;
	if (frame_check_header(&msg_frames, 0, h.type, h.untrusted_len, &row, &fe) ||
	    frame_take(&msg_frames, row, h.untrusted_len, (const uint8_t *)m->payload,
		       (uint32_t)((size_t)n - MSG_HDR_SIZE), got, NULL, &payload, &len, &fe)) {
		snprintf(why, why_len, "%s", fe.text);
		return -EPROTO;
	}
	m->type = h.type;
	m->id = h.arg[0];
	m->value = (int32_t)h.arg[1];
	m->len = len;
	return 0;
}

int msg_recv(int sock, struct msg *m, char *why, size_t why_len)
{
	uint8_t hdr[MSG_HDR_SIZE];
	union {
		char buf[CMSG_SPACE(sizeof(int) * RECV_MAX_FDS)];
		struct cmsghdr align;
	} u;
	/* The header apart, the payload straight into m: one packet, one copy, no buffer of ours.
	 */
	struct iovec iov[2] = {{hdr, sizeof(hdr)}, {m->payload, sizeof(m->payload)}};
	struct msghdr mh = {
	    .msg_iov = iov, .msg_iovlen = 2, .msg_control = u.buf, .msg_controllen = sizeof(u.buf)};
	ssize_t n;
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	unsigned got = take_fds(&mh, m);
	if (n == 0 && got == 0 && !(mh.msg_flags & MSG_CTRUNC))
		return -EPIPE;
	int rc = check(m, hdr, n, mh.msg_flags, got, why, why ? why_len : 0);
	if (rc)
		msg_close_fds(m);
	return rc;
}

int msg_spawn_parse(struct msg *m, const char **cwd, char **argv)
{
	if (m->type != MSG_SPAWN || m->value < 2 || m->value > MSG_MAX_ARGS || m->len == 0 ||
	    m->payload[m->len - 1] != '\0')
		return -EPROTO;
	int want = m->value, k = 0;
	const char *p = m->payload, *end = m->payload + m->len;
	while (p < end) {
		if (k == want)
			return -EPROTO;
		if (k == 0)
			*cwd = p;
		else
			argv[k - 1] = (char *)p;
		k++;
		p += strlen(p) + 1;
	}
	if (k != want || !argv[0][0])
		return -EPROTO;
	argv[k - 1] = NULL;
	return 0;
}

long msg_spawn_build(char *buf, size_t cap, const char *cwd, int argc, char *const *argv)
{
	size_t off = 0;
	if (argc < 1 || argc + 1 > MSG_MAX_ARGS)
		return -E2BIG;
	for (int i = -1; i < argc; i++) {
		const char *s = i < 0 ? cwd : argv[i];
		size_t n = strlen(s) + 1;
		if (n > cap - off)
			return -E2BIG;
		memcpy(buf + off, s, n);
		off += n;
	}
	return (long)off;
}

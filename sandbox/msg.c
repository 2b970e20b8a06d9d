/* seam-run's messages over SOCK_SEQPACKET, with every field checked on receipt. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sandbox/msg.h"

struct wire {
	uint32_t type;
	uint32_t id;
	int32_t value;
	uint32_t len;
};

int msg_send(int sock, uint32_t type, uint32_t id, int32_t value, const void *payload, size_t len,
	     const int *fds, int nfds)
{
	if (len > MSG_MAX_PAYLOAD || nfds < 0 || nfds > MSG_SPAWN_FDS)
		return -EINVAL;
	struct wire w = {type, id, value, (uint32_t)len};
	struct iovec iov[2] = {{&w, sizeof(w)}, {(void *)payload, len}};
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
	return (size_t)n == sizeof(w) + len ? 0 : -EIO;
}

void msg_close_fds(struct msg *m)
{
	for (int i = 0; i < m->nfds; i++)
		if (m->fds[i] >= 0)
			close(m->fds[i]);
	m->nfds = 0;
}

int msg_recv(int sock, struct msg *m)
{
	static char buf[sizeof(struct wire) + MSG_MAX_PAYLOAD];
	union {
		/* Room for more than a message may carry, so an excess is seen (and closed), not
		 * silently cut by the kernel. */
		char buf[CMSG_SPACE(sizeof(int) * 16)];
		struct cmsghdr align;
	} u;
	struct iovec iov = {buf, sizeof(buf)};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf)};
	ssize_t n;
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	m->nfds = 0;
	bool excess = false;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (m->nfds < MSG_SPAWN_FDS)
				m->fds[m->nfds++] = fd;
			else {
				close(fd);
				excess = true;
			}
		}
	}
	if (n == 0 && m->nfds == 0 && !excess)
		return 0;
	struct wire w;
	int bad = (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || (size_t)n < sizeof(w);
	if (!bad) {
		memcpy(&w, buf, sizeof(w));
		bad = w.type < MSG_SPAWN || w.type > MSG_TYPE_MAX || w.len > MSG_MAX_PAYLOAD ||
		      (size_t)n != sizeof(w) + w.len;
	}
	if (!bad)
		bad = excess || (w.type == MSG_SPAWN ? m->nfds != MSG_SPAWN_FDS : m->nfds != 0);
	if (bad) {
		msg_close_fds(m);
		return -EPROTO;
	}
	m->type = w.type;
	m->id = w.id;
	m->value = w.value;
	m->len = w.len;
	memcpy(m->payload, buf + sizeof(w), w.len);
	return 1;
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

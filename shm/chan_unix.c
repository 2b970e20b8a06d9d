/* The unix: channel backend: a listening host, a connecting guest, fds beside messages. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chan_internal.h"
#include "common/mono.h"

/* Is something listening on the socket file? Decides whether an existing file is stale. */
static bool socket_is_live(const struct sockaddr_un *addr)
{
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return false;
	bool live = connect(s, (const struct sockaddr *)addr, sizeof(*addr)) == 0;
	close(s);
	return live;
}

static int listen_at(struct chan *c)
{
	const char *path = c->addr.sun_path;
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			fprintf(stderr, "channel unix:%s: exists and is not a socket; not touching it\n",
				path);
			return -EEXIST;
		}
		if (socket_is_live(&c->addr)) {
			fprintf(stderr, "channel unix:%s: another process is listening there\n", path);
			return -EADDRINUSE;
		}
		unlink(path); /* stale: its listener is gone */
	}
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	/* Created with no access for others from the start, then opened up to the configured mode. */
	mode_t old = umask(0177);
	int rc = bind(s, (const struct sockaddr *)&c->addr, sizeof(c->addr));
	umask(old);
	if (rc == 0 && c->cfg.sock_gid >= 0 && chown(path, (uid_t)-1, (gid_t)c->cfg.sock_gid))
		rc = -1;
	if (rc == 0 && chmod(path, c->cfg.sock_mode & 0777))
		rc = -1;
	if (rc == 0 && listen(s, 4))
		rc = -1;
	if (rc == 0 && stat(path, &st))
		rc = -1;
	if (rc) {
		int e = errno;
		fprintf(stderr, "channel unix:%s: %s\n", path, strerror(e));
		close(s);
		unlink(path);
		return -e;
	}
	c->sock_dev = st.st_dev;
	c->sock_ino = st.st_ino;
	c->listen_fd = s;
	return 0;
}

int chan_unix_setup(struct chan *c, const char *path)
{
	size_t len = strlen(path);
	if (len == 0 || len >= sizeof(c->addr.sun_path)) {
		fprintf(stderr, "channel address unix:%s: the path must have 1 to %zu bytes\n", path,
			sizeof(c->addr.sun_path) - 1);
		return -EINVAL;
	}
	c->addr.sun_family = AF_UNIX;
	memcpy(c->addr.sun_path, path, len + 1);
	if (c->side == CHAN_HOST)
		return listen_at(c);
	c->retry_at = mono_ms(); /* a guest connects at its first dispatch */
	return 0;
}

int chan_unix_setup_fd(struct chan *c, int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) || fcntl(fd, F_SETFD, FD_CLOEXEC)) {
		int e = errno;
		close(fd);
		return -e;
	}
	c->fd = fd;
	c->from_fd = true;
	return 0;
}

static void unix_poll_waiting(const struct chan *c, struct pollfd *pfd)
{
	if (c->side == CHAN_HOST) {
		pfd->fd = c->listen_fd;
		pfd->events = POLLIN;
	}
}

static int unix_try_connect(struct chan *c, short revents)
{
	if (c->side == CHAN_HOST) {
		if (!(revents & POLLIN))
			return 0;
		int s = accept4(c->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (s < 0)
			return 0;
		c->fd = s;
		return 1;
	}
	if (c->retry_at < 0 || mono_ms() < c->retry_at)
		return 0;
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s >= 0 && connect(s, (const struct sockaddr *)&c->addr, sizeof(c->addr)) == 0) {
		c->fd = s;
		return 1;
	}
	if (s >= 0)
		close(s);
	chan_schedule_retry(c);
	return 0;
}

static void unix_poll_connected(const struct chan *c, bool want_write, struct pollfd *pfd)
{
	pfd->fd = c->fd;
	pfd->events = POLLIN | (want_write ? POLLOUT : 0);
}

static ssize_t unix_recv(struct chan *c, void *buf, size_t n, int *fds, unsigned *nfds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * CHAN_MAX_FDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = {buf, n};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			    .msg_controllen = sizeof(ctl.buf)};
	ssize_t got;
	do
		got = recvmsg(c->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? -EAGAIN : -errno;
	*nfds = 0;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (*nfds < CHAN_MAX_FDS)
				fds[(*nfds)++] = fd;
			else
				close(fd);
		}
	}
	if (mh.msg_flags & MSG_CTRUNC) {
		/* More fds than any message may carry: the kernel dropped the rest. */
		for (unsigned i = 0; i < *nfds; i++)
			close(fds[i]);
		*nfds = 0;
		return -EPROTO;
	}
	return got;
}

static ssize_t unix_send(struct chan *c, const void *buf, size_t n, const int *fds, unsigned nfds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * CHAN_MAX_FDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = {(void *)buf, n};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	if (nfds) {
		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	}
	ssize_t put;
	do
		put = sendmsg(c->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (put < 0 && errno == EINTR);
	if (put < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return put;
}

static enum chan_state unix_drop(struct chan *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	if (c->from_fd)
		return CHAN_CLOSED;
	if (c->side == CHAN_GUEST)
		chan_schedule_retry(c);
	return CHAN_WAITING;
}

static void unix_destroy(struct chan *c)
{
	unix_drop(c);
	if (c->listen_fd >= 0) {
		/* Remove the socket file only if it is still the one this channel made. */
		struct stat st;
		if (lstat(c->addr.sun_path, &st) == 0 && st.st_dev == c->sock_dev &&
		    st.st_ino == c->sock_ino)
			unlink(c->addr.sun_path);
		close(c->listen_fd);
		c->listen_fd = -1;
	}
}

const struct chan_ops chan_unix_ops = {
	.name = "unix",
	.pass_fds = true,
	.poll_waiting = unix_poll_waiting,
	.try_connect = unix_try_connect,
	.poll_connected = unix_poll_connected,
	.poll_exact = true,
	.prepare = NULL,
	.recv = unix_recv,
	.send = unix_send,
	.drop = unix_drop,
	.destroy = unix_destroy,
};

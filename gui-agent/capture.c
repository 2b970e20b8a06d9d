/* The guest driver's capture path (gui-agent/capture.h): a blocking client of the driver's socket,
 * bounded by CAPTURE_TIMEOUT_MS per request. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "gui-agent/capture.h"

struct capture {
	int fd; /* -1 once the socket failed */
	char path[108];
};

static int fail(char *why, size_t why_len, int rc, const char *what, const char *path)
{
	snprintf(why, why_len, "%s %s: %s", what, path, strerror(-rc));
	return rc;
}

static int connect_to(const char *path, int *out)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	struct timeval tv = {CAPTURE_TIMEOUT_MS / 1000, (CAPTURE_TIMEOUT_MS % 1000) * 1000};
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	*out = fd;
	return 0;
}

int capture_open(const char *path, const char *display, uint32_t probe_window, struct capture **out,
		 char *why, size_t why_len)
{
	*out = NULL;
	struct capture *c = calloc(1, sizeof(*c));
	if (!c)
		return fail(why, why_len, -ENOMEM, "cannot ask", "the guest driver");
	c->fd = -1;
	if (path)
		snprintf(c->path, sizeof(c->path), "%s", path);
	else if (proto_drv_socket_path(getenv("XDG_RUNTIME_DIR"), display, c->path,
				       sizeof(c->path))) {
		snprintf(why, why_len,
			 "no guest driver socket for display %s (no XDG_RUNTIME_DIR?)", display);
		free(c);
		return -ENOENT;
	}
	int rc = connect_to(c->path, &c->fd);
	if (rc) {
		fail(why, why_len, rc, "no guest driver at", c->path);
		free(c);
		return rc;
	}
	struct capture_buf b;
	rc = capture_window(c, probe_window, &b, why, why_len);
	if (rc == 0)
		capture_buf_clear(&b); /* not expected of the root, and harmless */
	if (rc && rc != -ENOENT) {
		capture_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	free(c);
}

static void close_fds(const int *fds, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		close(fds[i]);
}

/* Collect the descriptors of one recvmsg into fds (at most max kept; any more are closed and
 * counted, so that the reply's check refuses them). */
static void take_fds(struct msghdr *msg, int *fds, unsigned max, unsigned *n)
{
	for (struct cmsghdr *h = CMSG_FIRSTHDR(msg); h; h = CMSG_NXTHDR(msg, h)) {
		if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
			continue;
		size_t count = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < count; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(h) + i * sizeof(int), sizeof(int));
			if (*n < max)
				fds[*n] = fd;
			else
				close(fd);
			(*n)++;
		}
	}
}

/* Read one whole reply and the descriptors that came with it. */
static int read_reply(int sock, uint8_t *buf, int *fds, unsigned max, unsigned *nfds)
{
	size_t got = 0;
	*nfds = 0;
	while (got < PROTO_DRV_REPLY_SIZE) {
		union {
			struct cmsghdr h;
			char space[CMSG_SPACE(2 * sizeof(int))];
		} ctl;
		struct iovec iov = {buf + got, PROTO_DRV_REPLY_SIZE - got};
		struct msghdr msg = {.msg_iov = &iov,
				     .msg_iovlen = 1,
				     .msg_control = ctl.space,
				     .msg_controllen = sizeof(ctl.space)};
		ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0)
			take_fds(&msg, fds, max, nfds);
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if (n == 0)
			return -ECONNRESET;
		if (msg.msg_flags & MSG_CTRUNC)
			(*nfds)++; /* descriptors were lost: the check refuses the reply */
		got += (size_t)n;
	}
	return 0;
}

void capture_buf_clear(struct capture_buf *b)
{
	if (b->fd >= 0)
		close(b->fd);
	free(b->refs);
	*b = (struct capture_buf){.fd = -1};
}

/* The body of an OK_GRANTS reply into b. */
static int read_grants(int sock, struct capture_buf *b, char *why, size_t why_len)
{
	uint32_t n = proto_drv_grant_count(&b->r);
	size_t len = proto_drv_grants_size(n), got = 0;
	uint8_t *buf = malloc(len);
	b->refs = malloc((size_t)n * sizeof(uint32_t));
	int rc = buf && b->refs ? 0 : -ENOMEM;
	while (!rc && got < len) {
		ssize_t k = recv(sock, buf + got, len - got, 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			rc = k < 0 ? (errno == EAGAIN ? -ETIMEDOUT : -errno) : -ECONNRESET;
		else
			got += (size_t)k;
	}
	if (!rc) {
		char reason[128];
		rc = proto_drv_decode_grants(&b->r, buf, len, &b->domid, b->refs, reason,
					     sizeof(reason));
		if (rc)
			snprintf(why, why_len, "bad grant refs: %s", reason);
	} else {
		snprintf(why, why_len, "grant refs: %s", strerror(-rc));
	}
	free(buf);
	if (!rc)
		b->nrefs = n;
	return rc;
}

int capture_window(struct capture *c, uint32_t window, struct capture_buf *out, char *why,
		   size_t why_len)
{
	*out = (struct capture_buf){.fd = -1};
	struct proto_drv_reply *r = &out->r;
	if (c->fd < 0) {
		snprintf(why, why_len, "the guest driver's socket failed earlier");
		return -ENOTCONN;
	}
	uint8_t req[PROTO_DRV_REQUEST_SIZE], buf[PROTO_DRV_REPLY_SIZE];
	proto_drv_encode_request(&(struct proto_drv_request){window}, req);
	int fds[1] = {-1};
	unsigned nfds = 0;
	int rc = 0;
	ssize_t n = send(c->fd, req, sizeof(req), MSG_NOSIGNAL);
	if (n != (ssize_t)sizeof(req))
		rc = n < 0 ? (errno == EAGAIN ? -ETIMEDOUT : -errno) : -EIO;
	else
		rc = read_reply(c->fd, buf, fds, 1, &nfds);
	if (rc) {
		close_fds(fds, nfds < 1 ? nfds : 1);
		fail(why, why_len, rc, "the guest driver at", c->path);
	} else {
		char reason[128];
		rc = proto_drv_decode_reply(buf, sizeof(buf), nfds, r, reason, sizeof(reason));
		if (rc == 0 && r->status == PROTO_DRV_BAD_REQUEST)
			rc = fail(why, why_len, -EPROTO, "the guest driver refused a request at",
				  c->path);
		else if (rc) {
			close_fds(fds, nfds < 1 ? nfds : 1);
			snprintf(why, why_len, "the guest driver at %s: bad reply: %s", c->path,
				 reason);
		}
	}
	if (!rc && r->status == PROTO_DRV_OK_GRANTS) {
		char reason[160];
		rc = read_grants(c->fd, out, reason, sizeof(reason));
		if (rc)
			snprintf(why, why_len, "the guest driver at %s: %s", c->path, reason);
	}
	if (rc) {
		close(c->fd);
		c->fd = -1;
		capture_buf_clear(out);
		return rc;
	}
	if (r->status == PROTO_DRV_OK) {
		out->fd = fds[0];
		return 0;
	}
	if (r->status == PROTO_DRV_OK_GRANTS)
		return 0;
	capture_buf_clear(out);
	return -ENOENT;
}

/* Descriptor helpers for the socket fuzz targets (tests/fuzz/fds.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/fuzz/fds.h"

ssize_t fds_send(int sock, const void *buf, size_t len, int fd, unsigned copies)
{
	int fds[FDS_MAX_COPIES];
	union {
		char buf[CMSG_SPACE(sizeof(fds))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {(void *)buf, len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	if (copies > FDS_MAX_COPIES)
		return -EINVAL;
	if (copies) {
		for (unsigned i = 0; i < copies; i++)
			fds[i] = fd;
		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * copies);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * copies);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * copies);
	}
	ssize_t n = sendmsg(sock, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	return n < 0 ? -errno : n;
}

int fds_lowest_free(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		abort();
	close(fd);
	return fd;
}

/* Shared by the fuzz targets that drive real sockets: bytes with descriptors beside them, and a
 * leak check for descriptors. */
#ifndef SEAM_FUZZ_FDS_H
#define SEAM_FUZZ_FDS_H

#include <stddef.h>
#include <sys/types.h>

/* Most copies of a descriptor fds_send() puts beside one write. */
#define FDS_MAX_COPIES 8u

/* One non-blocking sendmsg() of len bytes with `copies` copies of fd beside them (SCM_RIGHTS).
 * Returns the bytes sent, or -errno (-EAGAIN when the socket is full). */
ssize_t fds_send(int sock, const void *buf, size_t len, int fd, unsigned copies);

/* The descriptor the next open() gets: the same before and after an input unless one leaked. */
int fds_lowest_free(void);

#endif

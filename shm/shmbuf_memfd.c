/* Sealed memfd buffers: the guest creates and seals them; the host checks them before mapping. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shm/shmbuf_internal.h"

int shmbuf_memfd_create(struct shmbuf *b)
{
	b->fd = memfd_create("seam-window", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (b->fd < 0)
		return -errno;
	if (ftruncate(b->fd, (off_t)b->size) < 0)
		return -errno;
	void *p = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	b->data = p;
	/* Before the fd leaves this process: a host refuses a memfd without these seals. */
	if (fcntl(b->fd, F_ADD_SEALS, SHMBUF_REQUIRED_SEALS) < 0)
		return -errno;
	return 0;
}

/* Names what a guest sent instead of a memfd, for the log line that refuses it. */
static const char *file_type(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFIFO:
		return "a pipe or FIFO";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFDIR:
		return "a directory";
	case S_IFSOCK:
		return "a socket";
	case S_IFLNK:
		return "a symbolic link";
	case 0:
		return "an anonymous inode (eventfd, epoll, timerfd...)";
	default:
		return "not a regular file";
	}
}

/* Everything the host must know about a guest's fd before mapping it: a mapping of a file that
 * later shrinks raises SIGBUS on the host's next read of a page past the new end. The seals are
 * read before the size: until F_SEAL_SHRINK and F_SEAL_SEAL are both in place the guest can still
 * truncate, so a size read before the seals could be stale by the time the seals are seen. */
static int check_memfd(int fd, uint64_t size, uint64_t *file_size, char *why, size_t why_len)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return shmbuf_fail(why, why_len, -EINVAL, "not a memfd: fstat failed: %s",
				   strerror(errno));
	if (!S_ISREG(st.st_mode))
		return shmbuf_fail(why, why_len, -EINVAL, "not a memfd: the fd is %s",
				   file_type(st.st_mode));
	/* Caught here rather than by mmap's EACCES in shmbuf_map(), so the refusal says why. */
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return shmbuf_fail(why, why_len, -EINVAL, "F_GETFL failed: %s", strerror(errno));
	if ((fl & O_ACCMODE) == O_WRONLY)
		return shmbuf_fail(why, why_len, -EINVAL, "the fd is not open for reading");
	int seals = fcntl(fd, F_GET_SEALS);
	if (seals < 0) {
		if (errno == EINVAL)
			return shmbuf_fail(why, why_len, -EINVAL,
					   "not a memfd: a regular file without seals");
		return shmbuf_fail(why, why_len, -EINVAL, "not a memfd: F_GET_SEALS failed: %s",
				   strerror(errno));
	}
	int missing = SHMBUF_REQUIRED_SEALS & ~seals;
	if (missing)
		return shmbuf_fail(why, why_len, -EINVAL,
				   "memfd lacks the seals%s%s%s (it has 0x%x)",
				   missing & F_SEAL_SHRINK ? " F_SEAL_SHRINK" : "",
				   missing & F_SEAL_GROW ? " F_SEAL_GROW" : "",
				   missing & F_SEAL_SEAL ? " F_SEAL_SEAL" : "", (unsigned)seals);
	if (fstat(fd, &st) < 0)
		return shmbuf_fail(why, why_len, -EINVAL, "fstat of the memfd failed: %s",
				   strerror(errno));
	if (st.st_size < 0 || (uint64_t)st.st_size < size)
		return shmbuf_fail(why, why_len, -EINVAL,
				   "memfd too small: %lld bytes, stride * height needs %" PRIu64,
				   (long long)st.st_size, size);
	/* The host X server maps the whole file, not the part the window needs: a small window
	 * with a file of 2^46 bytes would fill the server's address space. Up to the next page
	 * is what an allocator that rounds may leave; anything more is refused. */
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t most = (size + page - 1) / page * page;
	if ((uint64_t)st.st_size > most)
		return shmbuf_fail(why, why_len, -EINVAL,
				   "memfd too large: %lld bytes, stride * height needs %" PRIu64
				   " (at most %" PRIu64 " in whole pages)",
				   (long long)st.st_size, size, most);
	*file_size = (uint64_t)st.st_size;
	return 0;
}

/* The checks every memfd from elsewhere passes, on the host (a guest's) and in the guest (the
 * guest driver's): 0 with *out holding fd, or -errno with fd closed. */
static int memfd_checked(int fd, uint32_t width, uint32_t height, uint32_t stride,
			 struct shmbuf **out, char *why, size_t why_len)
{
	*out = NULL;
	if (why && why_len)
		why[0] = '\0';
	int r = shmbuf_check_dims(width, height, why, why_len);
	if (r == 0 && (uint64_t)stride != (uint64_t)width * 4)
		r = shmbuf_fail(why, why_len, -EINVAL,
				"stride %" PRIu32 " is not width * 4 = %" PRIu64
				" (XRGB8888, no padding)",
				stride, (uint64_t)width * 4);
	uint64_t file_size = 0;
	if (r == 0)
		r = check_memfd(fd, (uint64_t)stride * height, &file_size, why, why_len);
	if (r < 0) {
		if (fd >= 0)
			close(fd);
		return r;
	}
	struct shmbuf *b = shmbuf_alloc(SHMBUF_MEMFD, width, height);
	if (!b) {
		close(fd);
		return shmbuf_fail(why, why_len, -ENOMEM, "out of memory");
	}
	b->fd = fd;
	b->charged = file_size;
	*out = b;
	return 0;
}

int shmbuf_import_memfd(struct shmbuf_pool *pool, int fd, uint32_t width, uint32_t height,
			uint32_t stride, struct shmbuf **out, char *why, size_t why_len)
{
	*out = NULL;
	struct shmbuf *b;
	int r = memfd_checked(fd, width, height, stride, &b, why, why_len);
	if (r < 0)
		return r;
	r = shmbuf_pool_admit(pool, b, why, why_len);
	if (r < 0) {
		shmbuf_release(b);
		return r;
	}
	*out = b;
	return 0;
}

int shmbuf_adopt_memfd(int fd, uint32_t width, uint32_t height, uint32_t stride,
		       struct shmbuf **out, char *why, size_t why_len)
{
	return memfd_checked(fd, width, height, stride, out, why, why_len);
}

int shmbuf_memfd_map(struct shmbuf *b)
{
	/* Exactly the size checked at import, never st_size: the guest chose st_size. */
	void *p = mmap(NULL, b->size, PROT_READ, MAP_SHARED, b->fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	b->data = p;
	return 0;
}

void shmbuf_memfd_teardown(struct shmbuf *b)
{
	if (b->data)
		munmap(b->data, b->size);
	if (b->fd >= 0)
		close(b->fd);
}

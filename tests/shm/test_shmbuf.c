/* Shared buffers: guest create -> host import -> map, refusals of hostile fds, the pool's caps. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "protocol/proto.h"
#include "shm/shmbuf.h"
#include "suites.h"

#define WHY_LEN 256
#define W	64
#define H	32
#define SIZE	((size_t)W * 4 * H)

#define assert_why(why, needle)                                                                    \
	ck_assert_msg(strstr(why, needle), "why \"%s\" does not mention \"%s\"", why, needle)

static int make_memfd(unsigned int flags, off_t size, int seals)
{
	int fd = memfd_create("seam-test", MFD_CLOEXEC | flags);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, size), 0);
	if (seals)
		ck_assert_int_eq(fcntl(fd, F_ADD_SEALS, seals), 0);
	return fd;
}

/* A memfd as a well-behaved agent sends it for a w x h buffer. */
static int good_memfd(uint32_t w, uint32_t h)
{
	return make_memfd(MFD_ALLOW_SEALING, (off_t)w * 4 * h, SHMBUF_REQUIRED_SEALS);
}

/* Import fd and check the refusal: the error code, that why names the problem, that the pool is
 * untouched, and that fd was closed. The fd check comes first, before anything can open a file that
 * would reuse the number. */
static void assert_memfd_refused(int fd, uint32_t w, uint32_t h, uint32_t stride, int err,
				 const char *needle)
{
	struct shmbuf_pool *pool;
	ck_assert_int_eq(shmbuf_pool_create(NULL, 1, &pool), 0);
	struct shmbuf *b = (struct shmbuf *)&pool; /* any non-NULL value: must be reset */
	char why[WHY_LEN] = "";
	int r = shmbuf_import_memfd(pool, fd, w, h, stride, &b, why, sizeof(why));
	errno = 0;
	int getfd = fcntl(fd, F_GETFD);
	int getfd_errno = errno;
	ck_assert_int_eq(r, err);
	ck_assert_ptr_null(b);
	ck_assert_msg(getfd == -1 && getfd_errno == EBADF, "fd %d still open after a refusal", fd);
	assert_why(why, needle);
	ck_assert_uint_eq(shmbuf_pool_count(pool), 0);
	ck_assert_uint_eq(shmbuf_pool_bytes(pool), 0);
	shmbuf_pool_destroy(pool);
}

static void assert_fd_closed(int fd)
{
	errno = 0;
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	ck_assert_int_eq(errno, EBADF);
}

/* The permissions of the mapping holding addr, as /proc/self/maps shows them ("r--s"). */
static void mapping_perms(const void *addr, char perms[8])
{
	FILE *f = fopen("/proc/self/maps", "re");
	ck_assert_ptr_nonnull(f);
	char line[512];
	bool found = false;
	while (!found && fgets(line, sizeof(line), f)) {
		uintptr_t lo, hi;
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s", &lo, &hi, perms) == 3)
			found = lo <= (uintptr_t)addr && (uintptr_t)addr < hi;
	}
	fclose(f);
	ck_assert_msg(found, "no mapping holds %p", addr);
}

/* Fill the guest's mapping with a pattern that differs from pixel to pixel. */
static void draw_pattern(uint32_t *px, size_t n)
{
	for (size_t i = 0; i < n; i++)
		px[i] = 0xff000000u | (uint32_t)(i * 2654435761u);
}

/* Both sides of one buffer: the host sees the guest's pixels, and later changes, in the same
 * memory. */
static void assert_same_memory(struct shmbuf *guest, struct shmbuf *host)
{
	uint32_t *px = shmbuf_data(guest);
	ck_assert_ptr_nonnull(shmbuf_data(host));
	/* volatile: each read must go to the shared memory, not to what the compiler remembers. */
	const volatile uint32_t *hp = shmbuf_data(host);
	ck_assert_int_eq(memcmp(shmbuf_data(host), px, shmbuf_size(guest)), 0);
	size_t at = 5 * (size_t)shmbuf_width(guest) + 7;
	ck_assert_uint_ne(hp[at], 0x00abcdefu);
	px[at] = 0x00abcdefu;
	ck_assert_uint_eq(hp[at], 0x00abcdefu);
}

START_TEST(test_shmbuf_memfd_round_trip_shares_memory)
{
	struct shmbuf *g, *h;
	ck_assert_int_eq(shmbuf_create(SHMBUF_MEMFD, W, H, 0, &g), 0);
	struct shmbuf_export e;
	shmbuf_export(g, &e);
	ck_assert_int_eq(e.kind, SHMBUF_MEMFD);
	ck_assert_uint_eq(e.width, W);
	ck_assert_uint_eq(e.height, H);
	ck_assert_uint_eq(e.stride, W * 4);
	ck_assert_int_eq(e.fd, shmbuf_fd(g));
	ck_assert_ptr_null(e.refs);
	ck_assert_uint_eq(e.nrefs, 0);
	draw_pattern(shmbuf_data(g), SIZE / 4);

	struct shmbuf_pool *pool;
	ck_assert_int_eq(shmbuf_pool_create(NULL, 1, &pool), 0);
	char why[WHY_LEN] = "stale";
	/* dup() stands for the SCM_RIGHTS copy the host receives. */
	int r =
	    shmbuf_import_memfd(pool, dup(e.fd), e.width, e.height, e.stride, &h, why, sizeof(why));
	ck_assert_int_eq(r, 0);
	ck_assert_str_eq(why, "");
	ck_assert_ptr_null(shmbuf_data(h));
	ck_assert_int_eq(shmbuf_kind(h), SHMBUF_MEMFD);
	ck_assert_uint_eq(shmbuf_size(h), SIZE);
	ck_assert_uint_eq(shmbuf_stride(h), W * 4);
	ck_assert_uint_eq(shmbuf_pool_bytes(pool), SIZE);
	ck_assert_uint_eq(shmbuf_pool_count(pool), 1);

	ck_assert_int_eq(shmbuf_map(h), 0);
	void *mapped = shmbuf_data(h);
	ck_assert_int_eq(shmbuf_map(h), 0);
	ck_assert_ptr_eq(shmbuf_data(h), mapped);
	assert_same_memory(g, h);

	char perms[8];
	mapping_perms(shmbuf_data(h), perms);
	ck_assert_str_eq(perms, "r--s");
	mapping_perms(shmbuf_data(g), perms);
	ck_assert_str_eq(perms, "rw-s");

	shmbuf_release(h);
	ck_assert_uint_eq(shmbuf_pool_bytes(pool), 0);
	ck_assert_uint_eq(shmbuf_pool_count(pool), 0);
	shmbuf_pool_destroy(pool);
	shmbuf_release(g);
	shmbuf_release(NULL);
	shmbuf_pool_destroy(NULL);
}
END_TEST

START_TEST(test_shmbuf_create_memfd_is_sealed_and_zeroed)
{
	struct shmbuf *g;
	ck_assert_int_eq(shmbuf_create(SHMBUF_MEMFD, W, H, 0, &g), 0);
	int seals = fcntl(shmbuf_fd(g), F_GET_SEALS);
	ck_assert_int_eq(seals & SHMBUF_REQUIRED_SEALS, SHMBUF_REQUIRED_SEALS);
	struct stat st;
	ck_assert_int_eq(fstat(shmbuf_fd(g), &st), 0);
	ck_assert_int_eq(st.st_size, SIZE);
	const uint8_t *p = shmbuf_data(g);
	for (size_t i = 0; i < SIZE; i++)
		ck_assert_uint_eq(p[i], 0);
	shmbuf_release(g);
}
END_TEST

START_TEST(test_shmbuf_create_size_bounds)
{
	struct shmbuf *g = NULL;
	const uint32_t mw = PROTO_MAX_WINDOW_WIDTH, mh = PROTO_MAX_WINDOW_HEIGHT;
	ck_assert_int_eq(shmbuf_create(SHMBUF_MEMFD, 0, 1, 0, &g), -EINVAL);
	ck_assert_int_eq(shmbuf_create(SHMBUF_MEMFD, 1, 0, 0, &g), -EINVAL);
	ck_assert_int_eq(shmbuf_create(SHMBUF_MEMFD, mw + 1, 1, 0, &g), -EINVAL);
	ck_assert_int_eq(shmbuf_create(SHMBUF_MEMFD, 1, mh + 1, 0, &g), -EINVAL);
	ck_assert_int_eq(shmbuf_create(SHMBUF_MEMFD, UINT32_MAX, UINT32_MAX, 0, &g), -EINVAL);
	ck_assert_int_eq(shmbuf_create(SHMBUF_GRANT, 0, 1, 0, &g), -EINVAL);
	ck_assert_int_eq(shmbuf_create(SHMBUF_GRANT, 1, mh + 1, 0, &g), -EINVAL);
	ck_assert_int_eq(shmbuf_create((enum shmbuf_kind)3, 1, 1, 0, &g), -EINVAL);
	ck_assert_ptr_null(g);

	ck_assert_int_eq(shmbuf_create(SHMBUF_MEMFD, 1, 1, 0, &g), 0);
	ck_assert_uint_eq(shmbuf_size(g), 4);
	shmbuf_release(g);
	/* The largest window: 384 MiB of address space, no page touched. */
	ck_assert_int_eq(shmbuf_create(SHMBUF_MEMFD, mw, mh, 0, &g), 0);
	ck_assert_uint_eq(shmbuf_size(g), PROTO_MAX_WINDOW_MEM);
	shmbuf_release(g);
}
END_TEST

START_TEST(test_shmbuf_import_size_bounds)
{
	const uint32_t mw = PROTO_MAX_WINDOW_WIDTH, mh = PROTO_MAX_WINDOW_HEIGHT;
	assert_memfd_refused(good_memfd(1, 1), 0, 1, 0, -EINVAL, "width 0");
	assert_memfd_refused(good_memfd(1, 1), 1, 0, 4, -EINVAL, "height 0");
	assert_memfd_refused(good_memfd(1, 1), mw + 1, 1, (mw + 1) * 4, -EINVAL, "width 16385");
	assert_memfd_refused(good_memfd(1, 1), 1, mh + 1, 4, -EINVAL, "height 6145");

	struct shmbuf *g, *h;
	ck_assert_int_eq(shmbuf_create(SHMBUF_MEMFD, mw, mh, 0, &g), 0);
	struct shmbuf_pool *pool;
	/* The default cap (256 MiB) is below the largest window (384 MiB). */
	char why[WHY_LEN];
	ck_assert_int_eq(shmbuf_pool_create(NULL, 1, &pool), 0);
	int r = shmbuf_import_memfd(pool, dup(shmbuf_fd(g)), mw, mh, mw * 4, &h, why, sizeof(why));
	ck_assert_int_eq(r, -EDQUOT);
	shmbuf_pool_destroy(pool);

	struct shmbuf_limits big = {.max_bytes = PROTO_MAX_WINDOW_MEM, .max_buffers = 1};
	ck_assert_int_eq(shmbuf_pool_create(&big, 1, &pool), 0);
	r = shmbuf_import_memfd(pool, dup(shmbuf_fd(g)), mw, mh, mw * 4, &h, why, sizeof(why));
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(shmbuf_map(h), 0);
	ck_assert_uint_eq(shmbuf_pool_bytes(pool), PROTO_MAX_WINDOW_MEM);
	shmbuf_pool_destroy(pool);
	shmbuf_release(g);
}
END_TEST

START_TEST(test_shmbuf_import_rejects_unsealed_memfd)
{
	assert_memfd_refused(make_memfd(0, SIZE, 0), W, H, W * 4, -EINVAL, "F_SEAL_SHRINK");
	assert_memfd_refused(make_memfd(MFD_ALLOW_SEALING, SIZE, 0), W, H, W * 4, -EINVAL,
			     "F_SEAL_SHRINK F_SEAL_GROW F_SEAL_SEAL");
}
END_TEST

START_TEST(test_shmbuf_import_rejects_memfd_sealed_without_shrink)
{
	int fd = make_memfd(MFD_ALLOW_SEALING, SIZE, F_SEAL_GROW | F_SEAL_SEAL);
	assert_memfd_refused(fd, W, H, W * 4, -EINVAL, "lacks the seals F_SEAL_SHRINK (");
	fd = make_memfd(MFD_ALLOW_SEALING, SIZE, F_SEAL_SHRINK | F_SEAL_SEAL);
	assert_memfd_refused(fd, W, H, W * 4, -EINVAL, "lacks the seals F_SEAL_GROW (");
	fd = make_memfd(MFD_ALLOW_SEALING, SIZE, F_SEAL_SHRINK | F_SEAL_GROW);
	assert_memfd_refused(fd, W, H, W * 4, -EINVAL, "lacks the seals F_SEAL_SEAL (");
}
END_TEST

START_TEST(test_shmbuf_import_rejects_too_small_memfd)
{
	int fd = make_memfd(MFD_ALLOW_SEALING, SIZE - 1, SHMBUF_REQUIRED_SEALS);
	char needle[96];
	snprintf(needle, sizeof(needle), "too small: %zu bytes, stride * height needs %zu",
		 SIZE - 1, SIZE);
	assert_memfd_refused(fd, W, H, W * 4, -EINVAL, needle);
}
END_TEST

/* The host X server maps a memfd's whole file: a small window with a huge file would fill the
 * server's address space (2^46 bytes took an Xvfb to 64 TiB). Only the pages the window needs. */
START_TEST(test_shmbuf_import_rejects_too_large_memfd)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), most = (SIZE + page - 1) / page * page;
	const off_t sizes[] = {(off_t)(most + 1), (off_t)(most + page), (off_t)1 << 30,
			       (off_t)1 << 40, (off_t)1 << 46};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int fd = make_memfd(MFD_ALLOW_SEALING, sizes[i], SHMBUF_REQUIRED_SEALS);
		char needle[128];
		snprintf(needle, sizeof(needle),
			 "too large: %lld bytes, stride * height needs %zu (at most %zu in whole "
			 "pages)",
			 (long long)sizes[i], SIZE, most);
		assert_memfd_refused(fd, W, H, W * 4, -EINVAL, needle);
	}
}
END_TEST

/* Rounded up to a whole page is accepted, and the pool counts the whole file. */
START_TEST(test_shmbuf_import_counts_a_page_rounded_memfd_whole)
{
	const uint32_t w = 100, h = 80; /* 32000 bytes: not a whole number of pages */
	size_t page = (size_t)sysconf(_SC_PAGESIZE),
	       most = ((size_t)w * 4 * h + page - 1) / page * page;
	ck_assert_uint_gt(most, (size_t)w * 4 * h);
	struct shmbuf_limits lim = {.max_bytes = most, .max_buffers = 100};
	struct shmbuf_pool *pool;
	ck_assert_int_eq(shmbuf_pool_create(&lim, 1, &pool), 0);
	struct shmbuf *b;
	char why[WHY_LEN];
	int fd = make_memfd(MFD_ALLOW_SEALING, (off_t)most, SHMBUF_REQUIRED_SEALS);
	ck_assert_int_eq(shmbuf_import_memfd(pool, fd, w, h, w * 4, &b, why, sizeof(why)), 0);
	ck_assert_uint_eq(shmbuf_size(b), (size_t)w * 4 * h);
	ck_assert_uint_eq(shmbuf_pool_bytes(pool), most);
	/* Nothing is left under the cap, though stride * height alone would leave room. */
	struct shmbuf *b2;
	fd = good_memfd(1, 1);
	ck_assert_int_eq(shmbuf_import_memfd(pool, fd, 1, 1, 4, &b2, why, sizeof(why)), -EDQUOT);
	shmbuf_release(b);
	ck_assert_uint_eq(shmbuf_pool_bytes(pool), 0);
	shmbuf_pool_destroy(pool);
}
END_TEST

START_TEST(test_shmbuf_import_rejects_pipe)
{
	int p[2];
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	assert_memfd_refused(p[0], W, H, W * 4, -EINVAL, "not a memfd: the fd is a pipe");
	close(p[1]);
}
END_TEST

START_TEST(test_shmbuf_import_rejects_dev_zero)
{
	int fd = open("/dev/zero", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	assert_memfd_refused(fd, W, H, W * 4, -EINVAL, "not a memfd: the fd is a character device");
}
END_TEST

START_TEST(test_shmbuf_import_rejects_directory)
{
	int fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	assert_memfd_refused(fd, W, H, W * 4, -EINVAL, "not a memfd: the fd is a directory");
}
END_TEST

START_TEST(test_shmbuf_import_rejects_regular_file)
{
	FILE *f = tmpfile();
	ck_assert_ptr_nonnull(f);
	int fd = dup(fileno(f));
	fclose(f);
	ck_assert_int_eq(ftruncate(fd, SIZE), 0);
	assert_memfd_refused(fd, W, H, W * 4, -EINVAL, "not a memfd");
}
END_TEST

START_TEST(test_shmbuf_import_rejects_bad_stride)
{
	assert_memfd_refused(good_memfd(W, H), W, H, W * 4 + 4, -EINVAL, "stride 260 is not");
	assert_memfd_refused(good_memfd(W, H), W, H, W * 3, -EINVAL, "stride 192 is not");
	assert_memfd_refused(good_memfd(W, H), W, H, 0, -EINVAL, "stride 0 is not");
}
END_TEST

START_TEST(test_shmbuf_import_rejects_write_only_fd)
{
	int fd = good_memfd(W, H);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int wfd = open(path, O_WRONLY | O_CLOEXEC);
	ck_assert_int_ge(wfd, 0);
	close(fd);
	assert_memfd_refused(wfd, W, H, W * 4, -EINVAL, "not open for reading");
}
END_TEST

START_TEST(test_shmbuf_import_rejects_bad_fd_number)
{
	struct shmbuf_pool *pool;
	struct shmbuf *b;
	char why[WHY_LEN];
	ck_assert_int_eq(shmbuf_pool_create(NULL, 1, &pool), 0);
	ck_assert_int_eq(shmbuf_import_memfd(pool, -1, W, H, W * 4, &b, why, sizeof(why)), -EINVAL);
	assert_why(why, "not a memfd: fstat failed");
	/* why may be NULL. */
	ck_assert_int_eq(shmbuf_import_memfd(pool, -1, W, H, W * 4, &b, NULL, 0), -EINVAL);
	shmbuf_pool_destroy(pool);
}
END_TEST

START_TEST(test_shmbuf_sealed_buffer_cannot_be_resized_by_creator)
{
	struct shmbuf *g;
	ck_assert_int_eq(shmbuf_create(SHMBUF_MEMFD, W, H, 0, &g), 0);
	struct shmbuf_export e;
	shmbuf_export(g, &e);
	errno = 0;
	ck_assert_int_eq(ftruncate(e.fd, SIZE - 4096), -1);
	ck_assert_int_eq(errno, EPERM);
	errno = 0;
	ck_assert_int_eq(ftruncate(e.fd, SIZE + 4096), -1);
	ck_assert_int_eq(errno, EPERM);
	errno = 0;
	ck_assert_int_eq(ftruncate(e.fd, 0), -1);
	ck_assert_int_eq(errno, EPERM);
	/* F_SEAL_SEAL: the seals themselves cannot change any more. */
	errno = 0;
	ck_assert_int_eq(fcntl(e.fd, F_ADD_SEALS, F_SEAL_WRITE), -1);
	ck_assert_int_eq(errno, EPERM);
	struct stat st;
	ck_assert_int_eq(fstat(e.fd, &st), 0);
	ck_assert_int_eq(st.st_size, SIZE);
	shmbuf_release(g);
}
END_TEST

/* n guest buffers of W x H. */
static void create_guest_buffers(struct shmbuf **g, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		ck_assert_int_eq(shmbuf_create(SHMBUF_MEMFD, W, H, 0, &g[i]), 0);
}

static void release_guest_buffers(struct shmbuf **g, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		shmbuf_release(g[i]);
}

static int import(struct shmbuf_pool *pool, struct shmbuf *g, struct shmbuf **h, char *why)
{
	return shmbuf_import_memfd(pool, dup(shmbuf_fd(g)), W, H, W * 4, h, why, WHY_LEN);
}

START_TEST(test_shmbuf_pool_caps_guest_memory)
{
	struct shmbuf *g[4], *h[4];
	create_guest_buffers(g, 4);
	struct shmbuf_limits lim = {.max_bytes = 3 * SIZE, .max_buffers = 100};
	struct shmbuf_pool *pool;
	ck_assert_int_eq(shmbuf_pool_create(&lim, 1, &pool), 0);
	char why[WHY_LEN];
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(import(pool, g[i], &h[i], why), 0);
		ck_assert_uint_eq(shmbuf_pool_bytes(pool), (i + 1) * SIZE);
		ck_assert_uint_eq(shmbuf_pool_count(pool), i + 1);
	}

	int fd = dup(shmbuf_fd(g[3]));
	ck_assert_int_eq(shmbuf_import_memfd(pool, fd, W, H, W * 4, &h[3], why, sizeof(why)),
			 -EDQUOT);
	assert_fd_closed(fd);
	ck_assert_ptr_null(h[3]);
	char needle[128];
	snprintf(needle, sizeof(needle), "%zu bytes imported + %zu would exceed %zu bytes",
		 3 * SIZE, SIZE, 3 * SIZE);
	assert_why(why, needle);
	ck_assert_uint_eq(shmbuf_pool_bytes(pool), 3 * SIZE);
	ck_assert_uint_eq(shmbuf_pool_count(pool), 3);

	shmbuf_release(h[1]);
	ck_assert_uint_eq(shmbuf_pool_bytes(pool), 2 * SIZE);
	ck_assert_uint_eq(shmbuf_pool_count(pool), 2);
	ck_assert_int_eq(import(pool, g[3], &h[3], why), 0);
	ck_assert_uint_eq(shmbuf_pool_bytes(pool), 3 * SIZE);
	ck_assert_int_eq(import(pool, g[1], &h[1], why), -EDQUOT);

	shmbuf_pool_destroy(pool);
	release_guest_buffers(g, 4);
}
END_TEST

START_TEST(test_shmbuf_pool_caps_buffer_count)
{
	struct shmbuf *g[3], *h[3];
	create_guest_buffers(g, 3);
	struct shmbuf_limits lim = {.max_bytes = SHMBUF_DEFAULT_MAX_BYTES, .max_buffers = 2};
	struct shmbuf_pool *pool;
	ck_assert_int_eq(shmbuf_pool_create(&lim, 1, &pool), 0);
	char why[WHY_LEN];
	ck_assert_int_eq(import(pool, g[0], &h[0], why), 0);
	ck_assert_int_eq(import(pool, g[1], &h[1], why), 0);

	int fd = dup(shmbuf_fd(g[2]));
	ck_assert_int_eq(shmbuf_import_memfd(pool, fd, W, H, W * 4, &h[2], why, sizeof(why)),
			 -EDQUOT);
	assert_fd_closed(fd);
	assert_why(why, "2 buffers imported, at most 2");
	ck_assert_uint_eq(shmbuf_pool_count(pool), 2);
	ck_assert_uint_eq(shmbuf_pool_bytes(pool), 2 * SIZE);

	shmbuf_release(h[0]);
	ck_assert_uint_eq(shmbuf_pool_count(pool), 1);
	ck_assert_int_eq(import(pool, g[2], &h[2], why), 0);
	ck_assert_uint_eq(shmbuf_pool_count(pool), 2);

	shmbuf_release(h[1]);
	shmbuf_release(h[2]);
	ck_assert_uint_eq(shmbuf_pool_count(pool), 0);
	ck_assert_uint_eq(shmbuf_pool_bytes(pool), 0);
	shmbuf_pool_destroy(pool);
	release_guest_buffers(g, 3);
}
END_TEST

START_TEST(test_shmbuf_pool_destroy_releases_imported_buffers)
{
	struct shmbuf *g[3], *h[3];
	create_guest_buffers(g, 3);
	struct shmbuf_pool *pool;
	ck_assert_int_eq(shmbuf_pool_create(NULL, 1, &pool), 0);
	char why[WHY_LEN];
	int fds[3];
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(import(pool, g[i], &h[i], why), 0);
		fds[i] = shmbuf_fd(h[i]);
	}
	ck_assert_int_eq(shmbuf_map(h[0]), 0);
	ck_assert_int_eq(shmbuf_map(h[2]), 0);
	/* Release the middle one first, so the list has been unlinked from inside before. */
	shmbuf_release(h[1]);
	shmbuf_pool_destroy(pool);
	for (int i = 0; i < 3; i++)
		assert_fd_closed(fds[i]);
	release_guest_buffers(g, 3);
}
END_TEST

/* ---- Grants ---------------------------------------------------------------------------------- */

static bool have_device(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Whether both grant devices exist; if not, says so in one line so a skipped test is not a silent
 * pass. */
static bool xen_grant_devices(void)
{
	const char *missing = !have_device("/dev/xen/gntalloc") ? "/dev/xen/gntalloc"
			      : !have_device("/dev/xen/gntdev") ? "/dev/xen/gntdev"
								: NULL;
	if (missing)
		fprintf(stderr,
			"shmbuf: grant tests skipped: %s not present (no Xen hypervisor on this "
			"machine)\n",
			missing);
	return !missing;
}

START_TEST(test_shmbuf_grant_round_trip_shares_memory)
{
	if (!xen_grant_devices())
		return;
	/* The test shares with, and maps from, its own domain: 0 in dom0, else say which. */
	const char *env = getenv("SEAM_TEST_XEN_DOMID");
	uint32_t self = env ? (uint32_t)strtoul(env, NULL, 0) : 0;
	struct shmbuf *g, *h;
	ck_assert_int_eq(shmbuf_create(SHMBUF_GRANT, W, H, self, &g), 0);
	struct shmbuf_export e;
	shmbuf_export(g, &e);
	ck_assert_int_eq(e.kind, SHMBUF_GRANT);
	ck_assert_int_eq(e.fd, -1);
	ck_assert_int_eq(shmbuf_fd(g), -1);
	ck_assert_uint_eq(e.nrefs, PROTO_NUM_PAGES(SIZE));
	ck_assert_ptr_nonnull(e.refs);
	draw_pattern(shmbuf_data(g), SIZE / 4);

	struct shmbuf_pool *pool;
	ck_assert_int_eq(shmbuf_pool_create(NULL, self, &pool), 0);
	char why[WHY_LEN];
	ck_assert_int_eq(shmbuf_import_grants(pool, e.refs, e.nrefs, W, H, &h, why, sizeof(why)),
			 0);
	ck_assert_int_eq(shmbuf_map(h), 0);
	assert_same_memory(g, h);
	shmbuf_release(h);
	ck_assert_uint_eq(shmbuf_pool_count(pool), 0);
	shmbuf_pool_destroy(pool);
	shmbuf_release(g);
}
END_TEST

START_TEST(test_shmbuf_grant_create_without_xen_is_enodev)
{
	/* Where gntalloc exists, the round trip above covers creation. */
	if (have_device("/dev/xen/gntalloc"))
		return;
	struct shmbuf *g = (struct shmbuf *)&g;
	ck_assert_int_eq(shmbuf_create(SHMBUF_GRANT, W, H, 0, &g), -ENODEV);
	ck_assert_ptr_null(g);
}
END_TEST

static void assert_grant_count_refused(uint32_t nrefs, uint32_t w, uint32_t h)
{
	uint32_t *refs = calloc(nrefs, sizeof(*refs));
	ck_assert_ptr_nonnull(refs);
	struct shmbuf_pool *pool;
	ck_assert_int_eq(shmbuf_pool_create(NULL, 1, &pool), 0);
	struct shmbuf *b = (struct shmbuf *)&pool;
	char why[WHY_LEN] = "";
	ck_assert_int_eq(shmbuf_import_grants(pool, refs, nrefs, w, h, &b, why, sizeof(why)),
			 -EINVAL);
	ck_assert_ptr_null(b);
	char needle[64];
	snprintf(needle, sizeof(needle), "got %" PRIu32 " grant refs,", nrefs);
	assert_why(why, needle);
	ck_assert_uint_eq(shmbuf_pool_count(pool), 0);
	shmbuf_pool_destroy(pool);
	free(refs);
}

START_TEST(test_shmbuf_import_grants_rejects_wrong_count)
{
	/* 100 x 50 x 4 = 20000 bytes: 4.9 pages, so exactly 5 refs. */
	assert_grant_count_refused(4, 100, 50);
	assert_grant_count_refused(6, 100, 50);
	assert_grant_count_refused(0, 100, 50);
	assert_grant_count_refused(PROTO_MAX_GRANT_REFS + 1, PROTO_MAX_WINDOW_WIDTH,
				   PROTO_MAX_WINDOW_HEIGHT);
	assert_grant_count_refused(PROTO_MAX_GRANT_REFS - 1, PROTO_MAX_WINDOW_WIDTH,
				   PROTO_MAX_WINDOW_HEIGHT);

	struct shmbuf_pool *pool;
	struct shmbuf *b;
	char why[WHY_LEN];
	uint32_t refs[5] = {8, 9, 10, 11, 12};
	ck_assert_int_eq(shmbuf_pool_create(NULL, 1, &pool), 0);
	ck_assert_int_eq(shmbuf_import_grants(pool, refs, 5, 0, 50, &b, why, sizeof(why)), -EINVAL);
	assert_why(why, "width 0");
	ck_assert_int_eq(shmbuf_import_grants(pool, refs, 5, 100, 50, &b, why, sizeof(why)), 0);
	/* The refs were copied: the caller's array (a message body) may go. */
	struct shmbuf_export e;
	refs[0] = 0;
	shmbuf_export(b, &e);
	ck_assert_uint_eq(e.nrefs, 5);
	ck_assert_uint_eq(e.refs[0], 8);
	ck_assert_uint_eq(e.refs[4], 12);
	ck_assert_uint_eq(shmbuf_pool_bytes(pool), 20000);
	shmbuf_pool_destroy(pool);
}
END_TEST

START_TEST(test_shmbuf_grant_map_without_gntdev_fails_cleanly)
{
	/* A domain id that is not running, so that even on Xen nothing can be mapped. */
	struct shmbuf_pool *pool;
	ck_assert_int_eq(shmbuf_pool_create(NULL, 0x7fef, &pool), 0);
	uint32_t refs[2] = {8, 9};
	struct shmbuf *b;
	char why[WHY_LEN];
	ck_assert_int_eq(shmbuf_import_grants(pool, refs, 2, W, H, &b, why, sizeof(why)), 0);
	int r = shmbuf_map(b);
	if (have_device("/dev/xen/gntdev"))
		ck_assert_int_lt(r, 0);
	else
		ck_assert_int_eq(r, -ENODEV);
	ck_assert_ptr_null(shmbuf_data(b));
	ck_assert_int_eq(shmbuf_map(b), r);
	shmbuf_release(b);
	ck_assert_uint_eq(shmbuf_pool_count(pool), 0);
	ck_assert_uint_eq(shmbuf_pool_bytes(pool), 0);
	shmbuf_pool_destroy(pool);
}
END_TEST

START_TEST(test_shmbuf_pool_caps_apply_to_grants)
{
	struct shmbuf_limits lim = {.max_bytes = SHMBUF_DEFAULT_MAX_BYTES, .max_buffers = 1};
	struct shmbuf_pool *pool;
	ck_assert_int_eq(shmbuf_pool_create(&lim, 1, &pool), 0);
	uint32_t refs[2] = {8, 9};
	struct shmbuf *a, *b;
	char why[WHY_LEN];
	ck_assert_int_eq(shmbuf_import_grants(pool, refs, 2, W, H, &a, why, sizeof(why)), 0);
	ck_assert_int_eq(shmbuf_import_grants(pool, refs, 2, W, H, &b, why, sizeof(why)), -EDQUOT);
	assert_why(why, "1 buffers imported, at most 1");
	ck_assert_ptr_null(b);
	/* Left for shmbuf_pool_destroy() to release. */
	shmbuf_pool_destroy(pool);
}
END_TEST

Suite *suite_shmbuf(void)
{
	Suite *s = suite_create("shmbuf");
	TCase *tc = tcase_create("memfd");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_shmbuf_memfd_round_trip_shares_memory);
	tcase_add_test(tc, test_shmbuf_create_memfd_is_sealed_and_zeroed);
	tcase_add_test(tc, test_shmbuf_create_size_bounds);
	tcase_add_test(tc, test_shmbuf_import_size_bounds);
	tcase_add_test(tc, test_shmbuf_import_rejects_unsealed_memfd);
	tcase_add_test(tc, test_shmbuf_import_rejects_memfd_sealed_without_shrink);
	tcase_add_test(tc, test_shmbuf_import_rejects_too_small_memfd);
	tcase_add_test(tc, test_shmbuf_import_rejects_too_large_memfd);
	tcase_add_test(tc, test_shmbuf_import_counts_a_page_rounded_memfd_whole);
	tcase_add_test(tc, test_shmbuf_import_rejects_pipe);
	tcase_add_test(tc, test_shmbuf_import_rejects_dev_zero);
	tcase_add_test(tc, test_shmbuf_import_rejects_directory);
	tcase_add_test(tc, test_shmbuf_import_rejects_regular_file);
	tcase_add_test(tc, test_shmbuf_import_rejects_bad_stride);
	tcase_add_test(tc, test_shmbuf_import_rejects_write_only_fd);
	tcase_add_test(tc, test_shmbuf_import_rejects_bad_fd_number);
	tcase_add_test(tc, test_shmbuf_sealed_buffer_cannot_be_resized_by_creator);
	tcase_add_test(tc, test_shmbuf_pool_caps_guest_memory);
	tcase_add_test(tc, test_shmbuf_pool_caps_buffer_count);
	tcase_add_test(tc, test_shmbuf_pool_destroy_releases_imported_buffers);
	suite_add_tcase(s, tc);

	tc = tcase_create("grant");
	tcase_add_test(tc, test_shmbuf_grant_round_trip_shares_memory);
	tcase_add_test(tc, test_shmbuf_grant_create_without_xen_is_enodev);
	tcase_add_test(tc, test_shmbuf_import_grants_rejects_wrong_count);
	tcase_add_test(tc, test_shmbuf_grant_map_without_gntdev_fails_cleanly);
	tcase_add_test(tc, test_shmbuf_pool_caps_apply_to_grants);
	suite_add_tcase(s, tc);
	return s;
}

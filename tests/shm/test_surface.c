/* Surfaces: the guest's framebuffer reaches the host through what the channel can carry, and the
 * transport stays hidden from callers. Grant mirrors need Xen and are tested in the Xen lab. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "shm/chan.h"
#include "shm/surface.h"
#include "suites.h"

static struct chan *socket_chan(enum chan_side side)
{
	int sv[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	close(sv[1]);
	struct chan *c;
	ck_assert_int_eq(chan_open_fd(sv[0], side, NULL, &c), 0);
	return c;
}

START_TEST(test_surface_unix_channel_passes_fds)
{
	struct chan *c = socket_chan(CHAN_GUEST);
	ck_assert(chan_can_pass_fds(c));
	char why[256] = "";
	ck_assert_int_eq(shm_surface_capacity_advice(c, 3840, 2160, why, sizeof(why)), 0);
	chan_close(c);
}
END_TEST

START_TEST(test_surface_memfd_reaches_host_with_its_pixels)
{
	struct chan *c = socket_chan(CHAN_GUEST);
	struct shm_surface *g, *h;
	char why[256] = "";
	ck_assert_int_eq(shm_surface_create(c, 40, 10, &g, why, sizeof(why)), 0);
	ck_assert_uint_eq(shm_surface_stride(g), 160);
	struct shmbuf_export ex;
	shm_surface_export(g, &ex);
	ck_assert_int_eq(ex.kind, SHMBUF_MEMFD);
	ck_assert_int_eq(ex.fd, shm_surface_fd(g));

	/* What X would write, through the fd the surface gives for attaching. */
	uint32_t px = 0x00abcdef;
	ck_assert_int_eq(pwrite(shm_surface_fd(g), &px, 4, 160 * 3 + 4 * 7), 4);
	shm_surface_commit(g, 7, 3, 1, 1);
	shm_surface_commit(g, 39, 9, 1000, 1000); /* clipped, no crash */

	struct shmbuf_pool *pool;
	ck_assert_int_eq(shmbuf_pool_create(NULL, 0, &pool), 0);
	struct shmbuf_export offer = ex;
	offer.fd = fcntl(ex.fd, F_DUPFD_CLOEXEC, 3); /* as SCM_RIGHTS delivers it */
	ck_assert_int_eq(shm_surface_import(pool, &offer, &h, why, sizeof(why)), 0);
	ck_assert_uint_eq(shmbuf_pool_count(pool), 1);
	shm_surface_sync(h, 0, 0, 40, 10);
	const uint8_t *pix = shm_surface_pixels(h);
	ck_assert_ptr_nonnull(pix);
	uint32_t got;
	memcpy(&got, pix + 160 * 3 + 4 * 7, 4);
	ck_assert_uint_eq(got, px);
	ck_assert_uint_eq(shm_surface_width(h), 40);
	ck_assert_uint_eq(shm_surface_height(h), 10);
	shm_surface_destroy(h);
	ck_assert_uint_eq(shmbuf_pool_count(pool), 0);
	shmbuf_pool_destroy(pool);
	shm_surface_destroy(g);
	chan_close(c);
}
END_TEST

START_TEST(test_surface_import_refuses_an_unsealed_memfd_with_a_reason)
{
	struct shmbuf_pool *pool;
	ck_assert_int_eq(shmbuf_pool_create(NULL, 0, &pool), 0);
	int fd = memfd_create("seam-test", MFD_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 64 * 4 * 8), 0);
	struct shmbuf_export offer = {
	    .kind = SHMBUF_MEMFD, .width = 64, .height = 8, .stride = 256, .fd = fd};
	struct shm_surface *h = (struct shm_surface *)&pool;
	char why[256] = "";
	ck_assert_int_eq(shm_surface_import(pool, &offer, &h, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_null(h);
	ck_assert_msg(strstr(why, "seal"), "why: %s", why);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1); /* the fd was taken and closed */
	ck_assert_uint_eq(shmbuf_pool_count(pool), 0);
	shmbuf_pool_destroy(pool);
}
END_TEST

START_TEST(test_surface_create_refuses_a_size_past_the_protocol)
{
	struct chan *c = socket_chan(CHAN_GUEST);
	struct shm_surface *g = (struct shm_surface *)&c;
	char why[256] = "";
	ck_assert_int_eq(shm_surface_create(c, 0, 10, &g, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_null(g);
	ck_assert_msg(why[0], "no reason given");
	chan_close(c);
}
END_TEST

Suite *suite_surface(void)
{
	Suite *s = suite_create("surface");
	TCase *tc = tcase_create("surface");
	tcase_add_test(tc, test_surface_unix_channel_passes_fds);
	tcase_add_test(tc, test_surface_memfd_reaches_host_with_its_pixels);
	tcase_add_test(tc, test_surface_import_refuses_an_unsealed_memfd_with_a_reason);
	tcase_add_test(tc, test_surface_create_refuses_a_size_past_the_protocol);
	suite_add_tcase(s, tc);
	return s;
}

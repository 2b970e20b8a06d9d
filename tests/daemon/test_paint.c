/* Painting: a guest's damage is merged per window and drawn at most --max-fps times a second, so a
 * flood of SHMIMAGE costs the host X server one frame per interval, and the last frame of a burst
 * is drawn even when nothing follows it. */
#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/mono.h"
#include "shm/shmbuf.h"
#include "suites.h"
#include "tests/daemon/harness.h"

#define W1     0x400001u
#define WIDTH  200u
#define HEIGHT 100u
#define FPS    10 /* a frame every 100 ms: far longer than a turn of the loop */

static struct harness h;
static struct shmbuf *buf;

static void fill(uint32_t color)
{
	uint32_t *px = shmbuf_data(buf);
	for (size_t i = 0; i < (size_t)WIDTH * HEIGHT; i++)
		px[i] = color;
}

static void shmimage(uint32_t x, uint32_t y, uint32_t width, uint32_t height)
{
	struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = W1};
	m.u.shmimage = (struct proto_shmimage){(int32_t)x, (int32_t)y, width, height};
	harness_send(&h, &m, NULL, 0);
}

static void setup(void)
{
	static const char *const extra[] = {"--max-fps", "10", NULL};
	ck_assert_int_eq(harness_start(&h, "paint", extra), 0);
	ck_assert_int_eq(harness_connect(&h), 0);
	ck_assert_int_eq(shmbuf_create(SHMBUF_MEMFD, WIDTH, HEIGHT, 0, &buf), 0);
	harness_create(&h, W1, 10, 10, WIDTH, HEIGHT, false);
	struct proto_msg m = {.type = PROTO_MSG_SEAM_WINDOW_DUMP_FD, .window = W1};
	m.u.dump_fd = (struct proto_seam_window_dump_fd){WIDTH, HEIGHT, WIDTH * 4u, 0};
	int fds[1] = {dup(shmbuf_fd(buf))};
	harness_send(&h, &m, fds, 1);
	harness_map(&h, W1);
}

static void teardown(void)
{
	harness_stop(&h);
	shmbuf_release(buf);
}

/* The content's pixel at (x, y), read back from the host X server. */
static uint32_t host_pixel(uint32_t x, uint32_t y)
{
	xcb_window_t content = window_content(window_find(daemon_windows(h.d), W1));
	xcb_flush(h.x);
	xcb_get_image_reply_t *r =
	    xcb_get_image_reply(h.x,
				xcb_get_image(h.x, XCB_IMAGE_FORMAT_Z_PIXMAP, content, (int16_t)x,
					      (int16_t)y, 1, 1, ~0u),
				NULL);
	ck_assert_ptr_nonnull(r);
	uint32_t px = *(const uint32_t *)xcb_get_image_data(r) & 0xffffffu;
	free(r);
	return px;
}

/* Turn the loop until every pending damage was drawn (a frame was just drawn, then). */
static void until_drawn(void)
{
	int64_t end = mono_ms() + 2000;
	while (paint_timeout_ms(daemon_paint(h.d)) >= 0 && mono_ms() < end)
		daemon_turn(h.d, -1, 500);
	ck_assert_int_eq(paint_timeout_ms(daemon_paint(h.d)), -1);
}

START_TEST(test_paint_flood_is_drawn_once_per_frame)
{
	fill(0x112233);
	harness_run_for(&h, 150);
	uint64_t before = paint_draws(daemon_paint(h.d));
	int64_t start = mono_ms();
	/* 2000 full-window damages, with the loop turning between them as it would. */
	for (int i = 0; i < 2000; i++) {
		shmimage(0, 0, WIDTH, HEIGHT);
		if (i % 20 == 0)
			daemon_turn(h.d, -1, 0);
	}
	until_drawn();
	int64_t frames = (mono_ms() - start) * FPS / 1000 + 2;
	uint64_t drawn = paint_draws(daemon_paint(h.d)) - before;
	ck_assert_msg(drawn >= 1 && (int64_t)drawn <= frames,
		      "%llu rectangles drawn for 2000 damages in %lld frame intervals",
		      (unsigned long long)drawn, (long long)frames);
	ck_assert_uint_eq(host_pixel(WIDTH - 1, HEIGHT - 1), 0x112233);
}
END_TEST

/* The last damage of a burst comes right after a frame: nothing else wakes the loop, yet it is
 * drawn at the next frame. */
START_TEST(test_paint_last_frame_of_a_burst_is_drawn)
{
	fill(0x445566);
	shmimage(0, 0, WIDTH, HEIGHT);
	until_drawn();
	ck_assert_uint_eq(host_pixel(5, 5), 0x445566);
	/* The grid has one frame of slack (a frame that came a little late is not merged with the
	 * next one): after a pause two frames are drawn at once, a third waits for its slot. */
	harness_run_for(&h, 3 * 1000 / FPS);
	fill(0x5a5a5a);
	shmimage(0, 0, WIDTH, HEIGHT);
	daemon_turn(h.d, -1, 0);
	ck_assert_uint_eq(host_pixel(5, 5), 0x5a5a5a);
	fill(0x6b6b6b);
	shmimage(0, 0, WIDTH, HEIGHT);
	daemon_turn(h.d, -1, 0);
	ck_assert_uint_eq(host_pixel(5, 5), 0x6b6b6b);
	fill(0x778899);
	shmimage(0, 0, WIDTH, HEIGHT);
	daemon_turn(h.d, -1, 0); /* too soon after the last frames: not drawn yet */
	ck_assert_int_gt(paint_timeout_ms(daemon_paint(h.d)), 0);
	ck_assert_uint_eq(host_pixel(5, 5), 0x6b6b6b);
	fill(0xaabbcc);
	shmimage(0, 0, WIDTH / 2, HEIGHT);
	shmimage(WIDTH / 2, 0, WIDTH / 2, HEIGHT);
	int64_t start = mono_ms();
	daemon_turn(h.d, -1, 5000); /* woken by the frame, not by the 5 s */
	ck_assert_int_lt(mono_ms() - start, 2500);
	ck_assert_int_eq(paint_timeout_ms(daemon_paint(h.d)), -1);
	ck_assert_uint_eq(host_pixel(5, 5), 0xaabbcc);
	ck_assert_uint_eq(host_pixel(WIDTH - 1, HEIGHT - 1), 0xaabbcc);
}
END_TEST

/* Damage scattered in many rectangles is drawn as a bounded number of requests. */
START_TEST(test_paint_scattered_damage_costs_a_bounded_frame)
{
	fill(0x0000ff);
	harness_run_for(&h, 150);
	uint64_t before = paint_draws(daemon_paint(h.d));
	for (uint32_t i = 0; i < 50; i++)
		shmimage(i * 4, i * 2, 1, 1);
	until_drawn();
	uint64_t drawn = paint_draws(daemon_paint(h.d)) - before;
	ck_assert_uint_ge(drawn, 1);
	ck_assert_uint_le(drawn, 16);
	ck_assert_uint_eq(host_pixel(196, 98), 0x0000ff);
}
END_TEST

Suite *suite_paint(void)
{
	Suite *s = suite_create("paint");
	TCase *tc = tcase_create("frames");
	tcase_set_timeout(tc, DAEMON_TEST_TIMEOUT_S);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_paint_flood_is_drawn_once_per_frame);
	tcase_add_test(tc, test_paint_last_frame_of_a_burst_is_drawn);
	tcase_add_test(tc, test_paint_scattered_damage_costs_a_bounded_frame);
	suite_add_tcase(s, tc);
	return s;
}

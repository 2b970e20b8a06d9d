/* The window table: windows made, found and destroyed on the host; the guest's window limit; the
 * messages that name ids the table does not hold; buffers counted against the guest's memory. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "suites.h"
#include "tests/daemon/harness.h"

#define W1 0x400001u

static struct harness h;

static void setup(void)
{
	static const char *const extra[] = {"--max-windows", "4", NULL};
	ck_assert_int_eq(harness_start(&h, "table", extra), 0);
	ck_assert_int_eq(harness_connect(&h), 0);
}

static void teardown(void)
{
	harness_stop(&h);
}

/* Whether the host window exists on the X server. */
static bool host_window_exists(xcb_window_t xw)
{
	xcb_get_window_attributes_reply_t *r =
	    xcb_get_window_attributes_reply(h.x, xcb_get_window_attributes(h.x, xw), NULL);
	free(r);
	return r != NULL;
}

/* A sealed memfd of size bytes, sealed or not. */
static int memfd(size_t size, bool sealed)
{
	int fd = memfd_create("test", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
	if (sealed)
		ck_assert_int_eq(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL),
				 0);
	return fd;
}

static void send_dump(uint32_t id, uint32_t width, uint32_t height, int fd)
{
	struct proto_msg m = {.type = PROTO_MSG_SEAM_WINDOW_DUMP_FD, .window = id};
	m.u.dump_fd = (struct proto_seam_window_dump_fd){width, height, width * 4u, 0};
	int fds[1] = {fd};
	harness_send(&h, &m, fds, 1);
}

START_TEST(test_table_creates_finds_and_destroys_windows)
{
	struct window_table *t = daemon_windows(h.d);
	harness_create(&h, W1, 10, 20, 64, 48, false);
	struct window *w = window_find(t, W1);
	ck_assert_ptr_nonnull(w);
	ck_assert_uint_eq(window_count(t), 1);
	ck_assert_uint_eq(window_id(w), W1);
	ck_assert_ptr_eq(window_by_host(t, window_frame(w)), w);
	ck_assert_ptr_eq(window_by_host(t, window_content(w)), w);
	ck_assert_ptr_null(window_find(t, W1 + 1));
	xcb_window_t frame = window_frame(w);
	ck_assert(host_window_exists(frame));
	ck_assert(host_window_exists(window_content(w)));

	harness_destroy(&h, W1);
	ck_assert_ptr_null(window_find(t, W1));
	ck_assert_uint_eq(window_count(t), 0);
	struct proto_msg m;
	ck_assert_int_eq(harness_expect(&h, PROTO_MSG_DESTROY, W1, &m, 2000), 1);
	ck_assert(!host_window_exists(frame));
}
END_TEST

START_TEST(test_table_refuses_windows_past_the_limit)
{
	struct window_table *t = daemon_windows(h.d);
	for (uint32_t i = 0; i < 5; i++)
		harness_create(&h, W1 + i, 10, 20, 32, 32, false);
	ck_assert_uint_eq(window_count(t), 4);
	ck_assert_ptr_null(window_find(t, W1 + 4));
	/* Not a protocol error: the agent stays connected, and a freed slot can be used again. */
	ck_assert(session_running(daemon_session(h.d)));
	xcb_window_t frame = window_frame(window_find(t, W1));
	xcb_window_t content = window_content(window_find(t, W1));
	harness_destroy(&h, W1);
	/* Host events find each window by its frame and its content, and nothing by a destroyed
	 * window's. */
	ck_assert_ptr_null(window_by_host(t, frame));
	ck_assert_ptr_null(window_by_host(t, content));
	for (uint32_t i = 1; i < 4; i++) {
		struct window *w = window_find(t, W1 + i);
		ck_assert_ptr_eq(window_by_host(t, window_frame(w)), w);
		ck_assert_ptr_eq(window_by_host(t, window_content(w)), w);
	}
	harness_create(&h, W1 + 4, 10, 20, 32, 32, false);
	ck_assert_ptr_nonnull(window_find(t, W1 + 4));
	ck_assert_uint_eq(window_count(t), 4);
}
END_TEST

START_TEST(test_table_drops_messages_for_unknown_ids)
{
	struct window_table *t = daemon_windows(h.d);
	harness_map(&h, W1);
	harness_configure(&h, W1, 0, 0, 10, 10);
	ck_assert_uint_eq(window_count(t), 0);
	ck_assert(session_running(daemon_session(h.d)));
	/* A buffer for an unknown window is acknowledged (the agent counts acknowledgements) and
	 * its fd closed. */
	int fd = memfd(64 * 48 * 4, true);
	send_dump(W1, 64, 48, fd);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	struct proto_msg m;
	ck_assert_int_eq(harness_expect(&h, PROTO_MSG_WINDOW_DUMP_ACK, W1, &m, 2000), 1);
	ck_assert_uint_eq(paint_shm_buffers(daemon_paint(h.d)), 0);
}
END_TEST

START_TEST(test_table_create_of_an_existing_id_ends_the_connection)
{
	harness_create(&h, W1, 10, 20, 64, 48, false);
	harness_create(&h, W1, 10, 20, 64, 48, false);
	struct proto_msg m;
	int r;
	while ((r = harness_recv(&h, &m, 2000)) == 1)
		; /* what the daemon sent before (the host's keyboard, for one) */
	ck_assert_int_eq(r, -1); /* the daemon closed the agent's socket */
	ck_assert(!session_running(daemon_session(h.d)));
	ck_assert_uint_eq(window_count(daemon_windows(h.d)), 0);
}
END_TEST

START_TEST(test_table_agent_leaving_removes_windows_and_buffers)
{
	struct window_table *t = daemon_windows(h.d);
	struct paint *p = daemon_paint(h.d);
	for (uint32_t i = 0; i < 3; i++) {
		harness_create(&h, W1 + i, 10, 20, 64, 48, false);
		send_dump(W1 + i, 64, 48, memfd(64 * 48 * 4, true));
	}
	ck_assert_uint_eq(window_count(t), 3);
	ck_assert_uint_eq(paint_shm_buffers(p), 3);
	ck_assert_uint_eq(paint_shm_bytes(p), 3u * 64 * 48 * 4);
	xcb_window_t frame = window_frame(window_find(t, W1));
	ck_assert_int_eq(harness_disconnect(&h), 0);
	ck_assert_uint_eq(window_count(t), 0);
	ck_assert_uint_eq(paint_shm_buffers(p), 0);
	ck_assert_uint_eq(paint_shm_bytes(p), 0);
	ck_assert(!host_window_exists(frame));
	/* The next agent is served. */
	ck_assert_int_eq(harness_connect(&h), 0);
	harness_create(&h, W1, 10, 20, 64, 48, false);
	ck_assert_uint_eq(window_count(t), 1);
}
END_TEST

START_TEST(test_table_refused_buffer_leaves_the_window_without_one)
{
	struct paint *p = daemon_paint(h.d);
	harness_create(&h, W1, 10, 20, 64, 48, false);
	send_dump(W1, 64, 48, memfd(64 * 48 * 4, true));
	ck_assert_uint_eq(paint_shm_buffers(p), 1);
	/* Unsealed: the guest could shrink it under the host X server. */
	send_dump(W1, 64, 48, memfd(64 * 48 * 4, false));
	ck_assert_uint_eq(paint_shm_buffers(p), 0);
	/* Too small for its size. */
	send_dump(W1, 64, 48, memfd(64 * 4, true));
	ck_assert_uint_eq(paint_shm_buffers(p), 0);
	struct proto_msg m;
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(harness_expect(&h, PROTO_MSG_WINDOW_DUMP_ACK, W1, &m, 2000), 1);
	ck_assert(session_running(daemon_session(h.d)));
}
END_TEST

Suite *suite_table(void)
{
	Suite *s = suite_create("table");
	TCase *tc = tcase_create("table");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, DAEMON_TEST_TIMEOUT_S);
	tcase_add_test(tc, test_table_creates_finds_and_destroys_windows);
	tcase_add_test(tc, test_table_refuses_windows_past_the_limit);
	tcase_add_test(tc, test_table_drops_messages_for_unknown_ids);
	tcase_add_test(tc, test_table_create_of_an_existing_id_ends_the_connection);
	tcase_add_test(tc, test_table_agent_leaving_removes_windows_and_buffers);
	tcase_add_test(tc, test_table_refused_buffer_leaves_the_window_without_one);
	suite_add_tcase(s, tc);
	return s;
}

/* Placement and sizes: where the daemon puts a guest's window on the host screen, when an
 * override-redirect window is shown managed instead, and the size the host may report back. */
#include <check.h>
#include <stdlib.h>

#include <xcb/xcb_icccm.h>

#include "suites.h"
#include "tests/daemon/harness.h"

#define W1 0x400001u
#define B  ((int32_t)DECOR_BORDER)
#define SW ((int32_t)HARNESS_SCREEN_W)
#define SH ((int32_t)HARNESS_SCREEN_H)

static struct harness h;

static void setup(void)
{
	ck_assert_int_eq(harness_start(&h, "place", NULL), 0);
	ck_assert_int_eq(harness_connect(&h), 0);
}

static void teardown(void)
{
	harness_stop(&h);
}

static struct window *win(void)
{
	struct window *w = window_find(daemon_windows(h.d), W1);
	ck_assert_ptr_nonnull(w);
	return w;
}

static void assert_position(int32_t want_x, int32_t want_y)
{
	int32_t x, y;
	uint32_t width, height;
	window_geometry(win(), &x, &y, &width, &height);
	ck_assert_int_eq(x, want_x);
	ck_assert_int_eq(y, want_y);
}

/* The frame as the X server has it: the content's place less the border, and the border added. */
static void assert_frame_on_host(int32_t x, int32_t y, uint32_t width, uint32_t height)
{
	xcb_flush(h.x);
	xcb_get_geometry_reply_t *g =
	    xcb_get_geometry_reply(h.x, xcb_get_geometry(h.x, window_frame(win())), NULL);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(g->x, x - B);
	ck_assert_int_eq(g->y, y - B);
	ck_assert_uint_eq(g->width, width + 2u * DECOR_BORDER);
	ck_assert_uint_eq(g->height, height + 2u * DECOR_BORDER);
	free(g);
}

static bool host_override_redirect(void)
{
	xcb_get_window_attributes_reply_t *a = xcb_get_window_attributes_reply(
	    h.x, xcb_get_window_attributes(h.x, window_frame(win())), NULL);
	ck_assert_ptr_nonnull(a);
	bool or = a->override_redirect;
	free(a);
	return or ;
}

START_TEST(test_place_new_window_lies_wholly_on_the_screen)
{
	harness_create(&h, W1, -500, 5000, 100, 80, false);
	assert_position(B, SH - (80 + 2 * B) + B);
	assert_frame_on_host(B, SH - 80 - B, 100, 80);
	harness_destroy(&h, W1);
	/* Inside the screen: where the guest asked. */
	harness_create(&h, W1, 200, 150, 100, 80, false);
	assert_position(200, 150);
	assert_frame_on_host(200, 150, 100, 80);
}
END_TEST

START_TEST(test_place_window_wider_than_the_screen_starts_at_its_left)
{
	harness_create(&h, W1, 300, 40, 2000, 100, false);
	assert_position(B, 40);
}
END_TEST

START_TEST(test_place_managed_window_keeps_part_of_itself_on_the_screen)
{
	harness_create(&h, W1, 100, 100, 100, 80, false);
	harness_map(&h, W1);
	/* Mapped and managed: the user may drag it partly off the screen... */
	harness_configure(&h, W1, -50, 100, 100, 80);
	assert_position(-50, 100);
	/* ...but WINDOW_MIN_VISIBLE pixels of its frame stay reachable, and its top stays on it. */
	harness_configure(&h, W1, -10000, -100, 100, 80);
	assert_position(WINDOW_MIN_VISIBLE - (100 + 2 * B) + B, B);
	harness_configure(&h, W1, 10000, 10000, 100, 80);
	assert_position(SW - WINDOW_MIN_VISIBLE + B, SH - WINDOW_MIN_VISIBLE + B);
	assert_frame_on_host(SW - WINDOW_MIN_VISIBLE + B, SH - WINDOW_MIN_VISIBLE + B, 100, 80);
}
END_TEST

START_TEST(test_place_override_redirect_window_stays_wholly_on_the_screen)
{
	harness_create(&h, W1, 100, 100, 100, 80, true);
	harness_map_override_redirect(&h, W1);
	ck_assert(window_override_redirect(win()));
	ck_assert(host_override_redirect());
	harness_configure(&h, W1, -50, 10000, 100, 80);
	assert_position(B, SH - (80 + 2 * B) + B);
}
END_TEST

START_TEST(test_place_screen_covering_override_redirect_is_shown_managed)
{
	harness_create(&h, W1, 0, 0, HARNESS_SCREEN_W, HARNESS_SCREEN_H, true);
	ck_assert(!window_override_redirect(win()));
	ck_assert(!host_override_redirect());
	harness_destroy(&h, W1);
	/* The limit is WINDOW_MAX_OVERRIDE_REDIRECT_PERCENT of the screen's area, exactly, for the
	 * frame on the screen (the content and its border). */
	uint32_t rows = (uint32_t)((uint64_t)SW * SH * WINDOW_MAX_OVERRIDE_REDIRECT_PERCENT / 100u /
				   (uint64_t)SW) -
			2 * DECOR_BORDER;
	harness_create(&h, W1, 0, 0, HARNESS_SCREEN_W, rows, true);
	ck_assert(window_override_redirect(win()));
	harness_destroy(&h, W1);
	harness_create(&h, W1, 0, 0, HARNESS_SCREEN_W, rows + 1, true);
	ck_assert(!window_override_redirect(win()));
}
END_TEST

START_TEST(test_place_override_redirect_grown_to_cover_the_screen_becomes_managed)
{
	harness_create(&h, W1, 10, 10, 100, 80, true);
	harness_map_override_redirect(&h, W1);
	ck_assert(host_override_redirect());
	harness_configure(&h, W1, 0, 0, HARNESS_SCREEN_W, HARNESS_SCREEN_H);
	ck_assert(!window_override_redirect(win()));
	ck_assert(!host_override_redirect());
	ck_assert(window_mapped(win()));
}
END_TEST

static bool override_redirect_on_host(uint32_t id)
{
	struct window *w = window_find(daemon_windows(h.d), id);
	ck_assert_ptr_nonnull(w);
	xcb_get_window_attributes_reply_t *a = xcb_get_window_attributes_reply(
	    h.x, xcb_get_window_attributes(h.x, window_frame(w)), NULL);
	ck_assert_ptr_nonnull(a);
	bool or = a->override_redirect;
	free(a);
	return or ;
}

/* The rule holds for the guest's popups together: two of 49% each, one above the other, would
 * cover the screen; overlapping ones count once. */
START_TEST(test_place_override_redirect_windows_tiling_the_screen_are_shown_managed)
{
	const uint32_t W2 = 0x400002u, W3 = 0x400003u;
	uint32_t rows = SH * 49 / 100 - 2 * DECOR_BORDER; /* a frame of 49% of the screen */
	harness_create(&h, W1, 0, 0, HARNESS_SCREEN_W - 2 * DECOR_BORDER, rows, true);
	harness_map_override_redirect(&h, W1);
	ck_assert(override_redirect_on_host(W1));
	/* Over the first one: the union is still 49%. */
	harness_create(&h, W3, 0, 0, HARNESS_SCREEN_W - 2 * DECOR_BORDER, rows, true);
	harness_map_override_redirect(&h, W3);
	ck_assert(override_redirect_on_host(W3));
	/* Below it: 98% together, so the second half is shown managed. */
	harness_create(&h, W2, 0, SH / 2, HARNESS_SCREEN_W - 2 * DECOR_BORDER, rows, true);
	harness_map_override_redirect(&h, W2);
	ck_assert(!window_override_redirect(window_find(daemon_windows(h.d), W2)));
	ck_assert(!override_redirect_on_host(W2));
	ck_assert(override_redirect_on_host(W1));
	/* Unmapped popups cover nothing: once the first two are gone, it may be a popup again. */
	harness_destroy(&h, W1);
	harness_destroy(&h, W3);
	harness_destroy(&h, W2);
	harness_create(&h, W2, 0, SH / 2, HARNESS_SCREEN_W - 2 * DECOR_BORDER, rows, true);
	harness_map_override_redirect(&h, W2);
	ck_assert(override_redirect_on_host(W2));
}
END_TEST

/* A popup moved onto the screen's free half by CONFIGURE is caught as well. */
START_TEST(test_place_override_redirect_moved_to_tile_the_screen_becomes_managed)
{
	const uint32_t W2 = 0x400002u;
	uint32_t rows = SH * 49 / 100 - 2 * DECOR_BORDER;
	harness_create(&h, W1, 0, 0, HARNESS_SCREEN_W - 2 * DECOR_BORDER, rows, true);
	harness_map_override_redirect(&h, W1);
	harness_create(&h, W2, 0, 0, HARNESS_SCREEN_W - 2 * DECOR_BORDER, rows, true);
	harness_map_override_redirect(&h, W2);
	ck_assert(override_redirect_on_host(W2));
	harness_configure(&h, W2, B, SH / 2 + B, HARNESS_SCREEN_W - 2 * DECOR_BORDER, rows);
	ck_assert(!override_redirect_on_host(W2));
	ck_assert(window_mapped(window_find(daemon_windows(h.d), W2)));
}
END_TEST

START_TEST(test_place_host_resize_is_clamped_to_the_protocol_and_sent_to_the_agent)
{
	harness_create(&h, W1, 10, 10, 100, 80, false);
	harness_map(&h, W1);
	/* The window manager (here, the test) makes the frame larger than the protocol allows. */
	uint32_t v[] = {20000, 7000};
	xcb_configure_window(h.x, window_frame(win()),
			     XCB_CONFIG_WINDOW_WIDTH | XCB_CONFIG_WINDOW_HEIGHT, v);
	xcb_flush(h.x);
	struct proto_msg m;
	ck_assert_int_eq(harness_expect(&h, PROTO_MSG_CONFIGURE, W1, &m, 5000), 1);
	ck_assert_uint_eq(m.u.configure.width, PROTO_MAX_WINDOW_WIDTH);
	ck_assert_uint_eq(m.u.configure.height, PROTO_MAX_WINDOW_HEIGHT);
	int32_t x, y;
	uint32_t width, height;
	window_geometry(win(), &x, &y, &width, &height);
	ck_assert_uint_eq(width, PROTO_MAX_WINDOW_WIDTH);
	ck_assert_uint_eq(height, PROTO_MAX_WINDOW_HEIGHT);
	/* A move alone is sent too, with the content's position. */
	uint32_t pos[] = {40, 50};
	xcb_configure_window(h.x, window_frame(win()), XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y,
			     pos);
	xcb_flush(h.x);
	ck_assert_int_eq(harness_expect(&h, PROTO_MSG_CONFIGURE, W1, &m, 5000), 1);
	ck_assert_int_eq(m.u.configure.x, 40 + B);
	ck_assert_int_eq(m.u.configure.y, 50 + B);
}
END_TEST

/* The frame's WM_NORMAL_HINTS flags (ICCCM), as a window manager reads them. */
static uint32_t normal_hints_flags(void)
{
	xcb_flush(h.x);
	xcb_size_hints_t hints;
	ck_assert(xcb_icccm_get_wm_normal_hints_reply(
	    h.x, xcb_icccm_get_wm_normal_hints(h.x, window_frame(win())), &hints, NULL));
	return hints.flags;
}

static void send_hints(uint32_t flags)
{
	struct proto_msg m = {.type = PROTO_MSG_WINDOW_HINTS, .window = W1};
	m.u.hints.flags = flags;
	harness_send(&h, &m, NULL, 0);
}

START_TEST(test_place_new_window_is_left_to_the_window_manager)
{
	/* No position asked for: the window manager places it, beside the others. */
	harness_create(&h, W1, 0, 0, 100, 80, false);
	ck_assert_uint_eq(normal_hints_flags() &
			      (XCB_ICCCM_SIZE_HINT_US_POSITION | XCB_ICCCM_SIZE_HINT_P_POSITION),
			  0);
	/* PPosition at the origin is what toolkits write when they placed nothing. */
	send_hints(PROTO_HINT_PPOSITION);
	ck_assert_uint_eq(normal_hints_flags() &
			      (XCB_ICCCM_SIZE_HINT_US_POSITION | XCB_ICCCM_SIZE_HINT_P_POSITION),
			  0);
	/* Once shown, it stays where it is when shown again. */
	harness_map(&h, W1);
	struct proto_msg m = {.type = PROTO_MSG_UNMAP, .window = W1};
	harness_send(&h, &m, NULL, 0);
	harness_map(&h, W1);
	ck_assert_uint_eq(normal_hints_flags() & XCB_ICCCM_SIZE_HINT_P_POSITION,
			  XCB_ICCCM_SIZE_HINT_P_POSITION);
}
END_TEST

START_TEST(test_place_position_the_application_asked_for_is_kept)
{
	harness_create(&h, W1, 400, 300, 100, 80, false);
	send_hints(PROTO_HINT_USPOSITION);
	ck_assert_uint_eq(normal_hints_flags() & XCB_ICCCM_SIZE_HINT_US_POSITION,
			  XCB_ICCCM_SIZE_HINT_US_POSITION);
	harness_destroy(&h, W1);
	harness_create(&h, W1, 400, 300, 100, 80, false);
	send_hints(PROTO_HINT_PPOSITION | PROTO_HINT_PMINSIZE);
	ck_assert_uint_eq(normal_hints_flags() & XCB_ICCCM_SIZE_HINT_P_POSITION,
			  XCB_ICCCM_SIZE_HINT_P_POSITION);
	assert_frame_on_host(400, 300, 100, 80);
}
END_TEST

START_TEST(test_place_full_screen_without_a_window_manager_is_refused_and_told)
{
	harness_create(&h, W1, 100, 100, 100, 80, false);
	harness_map(&h, W1);
	struct proto_msg m = {.type = PROTO_MSG_WINDOW_FLAGS, .window = W1};
	m.u.flags.flags_set = PROTO_FLAG_FULLSCREEN;
	harness_send(&h, &m, NULL, 0);
	/* No window manager on the test server: nothing will change, and the guest learns so. */
	ck_assert_int_eq(harness_expect(&h, PROTO_MSG_WINDOW_FLAGS, W1, &m, 2000), 1);
	ck_assert_uint_eq(m.u.flags.flags_set, 0);
	ck_assert_uint_eq(m.u.flags.flags_unset, PROTO_FLAG_FULLSCREEN);
	assert_frame_on_host(100, 100, 100, 80);
}
END_TEST

/* The window manager (here the test) moves the frame: the daemon hears of it as it would. */
static void host_moves_frame(int32_t fx, int32_t fy)
{
	uint32_t v[] = {(uint32_t)fx, (uint32_t)fy};
	xcb_configure_window(h.x, window_frame(win()), XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y,
			     v);
	xcb_flush(h.x);
	struct proto_msg m;
	ck_assert_int_eq(harness_expect(&h, PROTO_MSG_CONFIGURE, W1, &m, 2000), 1);
	ck_assert_int_eq(m.u.configure.x, fx + B);
	ck_assert_int_eq(m.u.configure.y, fy + B);
}

START_TEST(test_place_late_echo_of_an_older_host_geometry_does_not_undo_the_newer)
{
	harness_create(&h, W1, 100, 100, 100, 80, false);
	harness_map(&h, W1);
	host_moves_frame(300, 200);
	host_moves_frame(500, 300);
	/* The agent confirms the first move after the second was made on the host. */
	harness_configure(&h, W1, 300 + B, 200 + B, 100, 80);
	struct proto_msg m;
	ck_assert_int_eq(harness_expect(&h, PROTO_MSG_CONFIGURE, W1, &m, 2000), 1);
	ck_assert_int_eq(m.u.configure.x, 500 + B); /* told again where it is */
	assert_frame_on_host(500 + B, 300 + B, 100, 80);
	/* A request of its own, not one the host made, still counts. */
	harness_configure(&h, W1, 250, 250, 100, 80);
	assert_frame_on_host(250, 250, 100, 80);
}
END_TEST

Suite *suite_place(void)
{
	Suite *s = suite_create("place");
	TCase *tc = tcase_create("place");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, DAEMON_TEST_TIMEOUT_S);
	tcase_add_test(tc, test_place_new_window_lies_wholly_on_the_screen);
	tcase_add_test(tc, test_place_new_window_is_left_to_the_window_manager);
	tcase_add_test(tc, test_place_position_the_application_asked_for_is_kept);
	tcase_add_test(tc, test_place_full_screen_without_a_window_manager_is_refused_and_told);
	tcase_add_test(tc, test_place_late_echo_of_an_older_host_geometry_does_not_undo_the_newer);
	tcase_add_test(tc, test_place_window_wider_than_the_screen_starts_at_its_left);
	tcase_add_test(tc, test_place_managed_window_keeps_part_of_itself_on_the_screen);
	tcase_add_test(tc, test_place_override_redirect_window_stays_wholly_on_the_screen);
	tcase_add_test(tc, test_place_screen_covering_override_redirect_is_shown_managed);
	tcase_add_test(tc, test_place_override_redirect_grown_to_cover_the_screen_becomes_managed);
	tcase_add_test(tc,
		       test_place_override_redirect_windows_tiling_the_screen_are_shown_managed);
	tcase_add_test(tc, test_place_override_redirect_moved_to_tile_the_screen_becomes_managed);
	tcase_add_test(tc, test_place_host_resize_is_clamped_to_the_protocol_and_sent_to_the_agent);
	suite_add_tcase(s, tc);
	return s;
}

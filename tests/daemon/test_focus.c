/* Focus: a guest's new window must not take the keyboard from the user. It is mapped with
 * _NET_WM_USER_TIME 0 (EWMH: the window manager neither focuses nor raises it) and WM_HINTS input,
 * unless one of the guest's frames has the focus, when it gets the time of the user's last input
 * there. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <xcb/xcb_icccm.h>

#include "common/mono.h"
#include "suites.h"
#include "tests/daemon/harness.h"

#define W1 0x400001u
#define W2 0x400002u
#define W3 0x400003u

static struct harness h;

static void setup(void)
{
	ck_assert_int_eq(harness_start(&h, "focus", NULL), 0);
	ck_assert_int_eq(harness_connect(&h), 0);
}

static void teardown(void)
{
	harness_stop(&h);
}

static xcb_window_t frame(uint32_t id)
{
	struct window *w = window_find(daemon_windows(h.d), id);
	ck_assert_ptr_nonnull(w);
	return window_frame(w);
}

static xcb_atom_t atom(const char *name)
{
	xcb_intern_atom_reply_t *r =
	    xcb_intern_atom_reply(h.x, xcb_intern_atom(h.x, 0, (uint16_t)strlen(name), name), NULL);
	ck_assert_ptr_nonnull(r);
	xcb_atom_t a = r->atom;
	free(r);
	return a;
}

/* The frame's _NET_WM_USER_TIME, or -1 if it has none. */
static int64_t user_time(uint32_t id)
{
	xcb_flush(h.x);
	xcb_get_property_reply_t *r = xcb_get_property_reply(
	    h.x,
	    xcb_get_property(h.x, 0, frame(id), atom("_NET_WM_USER_TIME"), XCB_ATOM_CARDINAL, 0, 1),
	    NULL);
	ck_assert_ptr_nonnull(r);
	int64_t t = -1;
	if (r->format == 32 && xcb_get_property_value_length(r) == 4)
		t = *(const uint32_t *)xcb_get_property_value(r);
	free(r);
	return t;
}

static void map_new(uint32_t id)
{
	harness_create(&h, id, 100, 100, 80, 60, false);
	harness_map(&h, id);
}

/* A key press on the frame, as the server would deliver it, at the given time. */
static void key_on(uint32_t id, xcb_timestamp_t time)
{
	xcb_key_press_event_t e = {.response_type = XCB_KEY_PRESS,
				   .detail = 38,
				   .time = time,

				   .event = frame(id),
				   .same_screen = 1};
	xcb_send_event(h.x, 0, frame(id), XCB_EVENT_MASK_KEY_PRESS, (const char *)&e);
	harness_run_for(&h, 50);
}

START_TEST(test_focus_new_window_is_mapped_with_user_time_zero_and_input)
{
	map_new(W1);
	ck_assert_int_eq(user_time(W1), 0);
	xcb_icccm_wm_hints_t hints;
	ck_assert(xcb_icccm_get_wm_hints_reply(h.x, xcb_icccm_get_wm_hints(h.x, frame(W1)), &hints,
					       NULL));
	ck_assert(hints.flags & XCB_ICCCM_WM_HINT_INPUT);
	ck_assert_int_eq(hints.input, 1);
	ck_assert(!(hints.flags & XCB_ICCCM_WM_HINT_X_URGENCY));
	/* Asking for attention makes the window urgent, and keeps it able to take input. */
	struct proto_msg m = {.type = PROTO_MSG_WINDOW_FLAGS, .window = W1};
	m.u.flags = (struct proto_window_flags){PROTO_FLAG_DEMANDS_ATTENTION, 0};
	harness_send(&h, &m, NULL, 0);
	ck_assert(xcb_icccm_get_wm_hints_reply(h.x, xcb_icccm_get_wm_hints(h.x, frame(W1)), &hints,
					       NULL));
	ck_assert(hints.flags & XCB_ICCCM_WM_HINT_X_URGENCY);
	ck_assert_int_eq(hints.input, 1);
}
END_TEST

START_TEST(test_focus_in_the_guest_lets_its_new_window_have_the_user_time)
{
	map_new(W1);
	harness_run_for(&h, 50);
	xcb_set_input_focus(h.x, XCB_INPUT_FOCUS_NONE, frame(W1), XCB_CURRENT_TIME);
	harness_run_for(&h, 100);
	ck_assert(window_table_focused(daemon_windows(h.d)));
	key_on(W1, 123456);
	map_new(W2);
	ck_assert_int_eq(user_time(W2), 123456);
	/* The focus leaves the guest: its next window may not take it. */
	xcb_set_input_focus(h.x, XCB_INPUT_FOCUS_NONE, XCB_NONE, XCB_CURRENT_TIME);
	harness_run_for(&h, 100);
	ck_assert(!window_table_focused(daemon_windows(h.d)));
	map_new(W3);
	ck_assert_int_eq(user_time(W3), 0);
}
END_TEST

/* Keys on a window without the focus (a synthetic event, say) do not set the user time. */
START_TEST(test_focus_input_without_the_focus_gives_no_user_time)
{
	map_new(W1);
	harness_run_for(&h, 50);
	key_on(W1, 999);
	map_new(W2);
	ck_assert_int_eq(user_time(W2), 0);
}
END_TEST

Suite *suite_focus(void)
{
	Suite *s = suite_create("focus");
	TCase *tc = tcase_create("focus");
	tcase_set_timeout(tc, DAEMON_TEST_TIMEOUT_S);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_focus_new_window_is_mapped_with_user_time_zero_and_input);
	tcase_add_test(tc, test_focus_in_the_guest_lets_its_new_window_have_the_user_time);
	tcase_add_test(tc, test_focus_input_without_the_focus_gives_no_user_time);
	suite_add_tcase(s, tc);
	return s;
}

/* What Qubes' own agent sends and Qubes' daemon accepts, handled as Qubes' daemon does: windows
 * past the protocol's size are clamped, MAP's override_redirect counts at every map, a docked
 * window is never shown framed, and the window manager's _NET_WM_STATE goes back as WINDOW_FLAGS. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "tests/daemon/harness.h"

#define W1 0x400001u

static struct harness h;

static void setup(void)
{
	ck_assert_int_eq(harness_start(&h, "qubes", NULL), 0);
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

static xcb_get_window_attributes_reply_t *frame_attributes(void)
{
	xcb_flush(h.x);
	xcb_get_window_attributes_reply_t *a = xcb_get_window_attributes_reply(
	    h.x, xcb_get_window_attributes(h.x, window_frame(win())), NULL);
	ck_assert_ptr_nonnull(a);
	return a;
}

static void map_with(bool override_redirect)
{
	struct proto_msg m = {.type = PROTO_MSG_MAP, .window = W1};
	m.u.map = (struct proto_map_info){0, override_redirect};
	harness_send(&h, &m, NULL, 0);
}

START_TEST(test_qubes_window_past_the_protocol_is_clamped_not_lost)
{
	/* X allows 32767; Qubes' agent announces the window as it is. */
	harness_create(&h, W1, 10, 10, 20000, 7000, false);
	int32_t x, y;
	uint32_t width, height;
	window_geometry(win(), &x, &y, &width, &height);
	ck_assert_uint_eq(width, PROTO_MAX_WINDOW_WIDTH);
	ck_assert_uint_eq(height, PROTO_MAX_WINDOW_HEIGHT);
	harness_map(&h, W1);
	ck_assert(window_mapped(win()));
	harness_configure(&h, W1, 0, 0, 30000, 0);
	window_geometry(win(), &x, &y, &width, &height);
	ck_assert_uint_eq(width, PROTO_MAX_WINDOW_WIDTH);
	ck_assert_uint_eq(height, 1);
}
END_TEST

START_TEST(test_qubes_map_reads_override_redirect_again)
{
	harness_create(&h, W1, 100, 100, 200, 100, false);
	map_with(true); /* Tk's wm overrideredirect after the window was made */
	ck_assert(window_override_redirect(win()));
	xcb_get_window_attributes_reply_t *a = frame_attributes();
	ck_assert(a->override_redirect);
	ck_assert_uint_eq(a->map_state, XCB_MAP_STATE_VIEWABLE);
	free(a);

	struct proto_msg m = {.type = PROTO_MSG_UNMAP, .window = W1};
	harness_send(&h, &m, NULL, 0);
	map_with(false);
	a = frame_attributes();
	ck_assert(!a->override_redirect);
	free(a);

	/* The screen-cover rule applies to the new value too. */
	harness_send(&h, &m, NULL, 0);
	harness_configure(&h, W1, 0, 0, HARNESS_SCREEN_W, HARNESS_SCREEN_H);
	map_with(true);
	ck_assert(!window_override_redirect(win()));
}
END_TEST

START_TEST(test_qubes_docked_window_is_never_shown_framed)
{
	harness_create(&h, W1, 0, 0, 24, 24, true);
	struct proto_msg m = {.type = PROTO_MSG_DOCK, .window = W1};
	harness_send(&h, &m, NULL, 0);
	ck_assert(!window_override_redirect(win()));
	harness_map(&h, W1);
	ck_assert(!window_mapped(win()));
	xcb_get_window_attributes_reply_t *a = frame_attributes();
	ck_assert_uint_eq(a->map_state, XCB_MAP_STATE_UNMAPPED);
	free(a);
}
END_TEST

static void set_state(const char *const *names, unsigned n)
{
	xcb_atom_t atoms[4];
	ck_assert_uint_le(n, 4);
	for (unsigned i = 0; i < n; i++) {
		xcb_intern_atom_reply_t *r = xcb_intern_atom_reply(
		    h.x, xcb_intern_atom(h.x, 0, (uint16_t)strlen(names[i]), names[i]), NULL);
		ck_assert_ptr_nonnull(r);
		atoms[i] = r->atom;
		free(r);
	}
	xcb_intern_atom_reply_t *r =
	    xcb_intern_atom_reply(h.x, xcb_intern_atom(h.x, 0, 13, "_NET_WM_STATE"), NULL);
	ck_assert_ptr_nonnull(r);
	/* As a window manager would: a property on the frame it manages. */
	xcb_change_property(h.x, XCB_PROP_MODE_REPLACE, window_frame(win()), r->atom,
			    XCB_ATOM_ATOM, 32, n, atoms);
	free(r);
	xcb_flush(h.x);
}

START_TEST(test_qubes_window_manager_state_is_acknowledged)
{
	harness_create(&h, W1, 100, 100, 200, 100, false);
	harness_map(&h, W1);
	static const char *const full[] = {"_NET_WM_STATE_ABOVE", "_NET_WM_STATE_FULLSCREEN"};
	set_state(full, 2);
	struct proto_msg m;
	ck_assert_int_eq(harness_expect(&h, PROTO_MSG_WINDOW_FLAGS, W1, &m, 3000), 1);
	ck_assert_uint_eq(m.u.flags.flags_set, PROTO_FLAG_FULLSCREEN);
	ck_assert_uint_eq(m.u.flags.flags_unset, 0);

	static const char *const attention[] = {"_NET_WM_STATE_DEMANDS_ATTENTION"};
	set_state(attention, 1);
	ck_assert_int_eq(harness_expect(&h, PROTO_MSG_WINDOW_FLAGS, W1, &m, 3000), 1);
	ck_assert_uint_eq(m.u.flags.flags_set, PROTO_FLAG_DEMANDS_ATTENTION);
	ck_assert_uint_eq(m.u.flags.flags_unset, PROTO_FLAG_FULLSCREEN);

	/* A change of states the protocol does not carry sends nothing. */
	static const char *const same[] = {"_NET_WM_STATE_DEMANDS_ATTENTION", "_NET_WM_STATE_ABOVE"};
	set_state(same, 2);
	ck_assert_int_eq(harness_expect(&h, PROTO_MSG_WINDOW_FLAGS, W1, &m, 500), 0);
}
END_TEST

START_TEST(test_qubes_flags_unsetting_minimize_still_count)
{
	harness_create(&h, W1, 100, 100, 200, 100, false);
	harness_map(&h, W1);
	struct proto_msg m = {.type = PROTO_MSG_WINDOW_FLAGS, .window = W1};
	m.u.flags = (struct proto_window_flags){PROTO_FLAG_DEMANDS_ATTENTION, PROTO_FLAG_MINIMIZE};
	harness_send(&h, &m, NULL, 0);
	xcb_get_property_reply_t *r = xcb_get_property_reply(
	    h.x,
	    xcb_get_property(h.x, 0, window_frame(win()), XCB_ATOM_WM_HINTS, XCB_ATOM_WM_HINTS, 0,
			     9),
	    NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_ge(xcb_get_property_value_length(r), 4);
	uint32_t flags = *(const uint32_t *)xcb_get_property_value(r);
	free(r);
	ck_assert_uint_ne(flags & (1u << 8), 0); /* XUrgencyHint */
}
END_TEST

Suite *suite_qubes(void)
{
	Suite *s = suite_create("qubes");
	TCase *tc = tcase_create("qubes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, DAEMON_TEST_TIMEOUT_S);
	tcase_add_test(tc, test_qubes_window_past_the_protocol_is_clamped_not_lost);
	tcase_add_test(tc, test_qubes_map_reads_override_redirect_again);
	tcase_add_test(tc, test_qubes_docked_window_is_never_shown_framed);
	tcase_add_test(tc, test_qubes_window_manager_state_is_acknowledged);
	tcase_add_test(tc, test_qubes_flags_unsetting_minimize_still_count);
	suite_add_tcase(s, tc);
	return s;
}

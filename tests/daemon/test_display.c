/* The display's cursors: one per glyph, made once and kept (so a guest repeating a CURSOR message
 * never makes the daemon load a theme file again), none past the cursor font. */
#include <stdlib.h>

#include "gui-daemon/display.h"
#include "suites.h"

START_TEST(test_cursor_is_made_once_per_glyph)
{
	xcb_connection_t *x = xcb_connect(NULL, NULL);
	ck_assert(!xcb_connection_has_error(x));
	struct display *dp;
	char why[128];
	ck_assert_int_eq(display_create(x, xcb_setup_roots_iterator(xcb_get_setup(x)).data, false,
					&dp, why, sizeof(why)),
			 0);
	xcb_cursor_t text = display_cursor(dp, 152);
	ck_assert_uint_ne(text, XCB_NONE);
	ck_assert_uint_eq(display_cursor(dp, 152), text);
	xcb_cursor_t hand = display_cursor(dp, 60);
	ck_assert_uint_ne(hand, XCB_NONE);
	ck_assert_uint_ne(hand, text);
	ck_assert_uint_eq(display_cursor(dp, 154), XCB_NONE);
	ck_assert_uint_eq(display_cursor(dp, 0xffff), XCB_NONE);
	/* Every cursor the daemon made is a real one on the server. */
	xcb_window_t w = xcb_generate_id(x);
	const xcb_screen_t *s = display_screen(dp);
	ck_assert_ptr_null(xcb_request_check(
	    x, xcb_create_window_checked(x, XCB_COPY_FROM_PARENT, w, s->root, 0, 0, 10, 10, 0,
					 XCB_WINDOW_CLASS_INPUT_OUTPUT, XCB_COPY_FROM_PARENT,
					 XCB_CW_CURSOR, &text)));
	ck_assert_ptr_null(
	    xcb_request_check(x, xcb_change_window_attributes_checked(x, w, XCB_CW_CURSOR, &hand)));
	xcb_destroy_window(x, w);
	display_destroy(dp);
	xcb_disconnect(x);
}
END_TEST

Suite *suite_display(void)
{
	Suite *s = suite_create("display");
	TCase *tc = tcase_create("cursors");
	tcase_set_timeout(tc, DAEMON_TEST_TIMEOUT_S);
	tcase_add_test(tc, test_cursor_is_made_once_per_glyph);
	suite_add_tcase(s, tc);
	return s;
}

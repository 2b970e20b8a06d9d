/* Cursor names into what the wire carries: a glyph of the X cursor font, or the default. */
#include "gui-agent/cursor.h"
#include "suites.h"

START_TEST(test_cursor_font_names_map_to_their_glyph)
{
	ck_assert_uint_eq(cursor_from_name("X_cursor"), PROTO_CURSOR_X11 + 0);
	ck_assert_uint_eq(cursor_from_name("xterm"), PROTO_CURSOR_X11 + 152);
	ck_assert_uint_eq(cursor_from_name("watch"), PROTO_CURSOR_X11 + 150);
}
END_TEST

START_TEST(test_toolkit_aliases_map_to_the_same_glyph)
{
	ck_assert_uint_eq(cursor_from_name("text"), cursor_from_name("xterm"));
	ck_assert_uint_eq(cursor_from_name("pointer"), cursor_from_name("hand2"));
	ck_assert_uint_eq(cursor_from_name("ew-resize"), cursor_from_name("sb_h_double_arrow"));
	ck_assert_uint_eq(cursor_from_name("default"), cursor_from_name("left_ptr"));
}
END_TEST

START_TEST(test_unknown_names_are_the_default)
{
	ck_assert_uint_eq(cursor_from_name("no-such-cursor"), PROTO_CURSOR_DEFAULT);
	ck_assert_uint_eq(cursor_from_name(""), PROTO_CURSOR_DEFAULT);
	ck_assert_uint_eq(cursor_from_name("XTERM"), PROTO_CURSOR_DEFAULT);
}
END_TEST

Suite *suite_cursor(void)
{
	Suite *s = suite_create("cursor");
	TCase *tc = tcase_create("names");
	tcase_add_test(tc, test_cursor_font_names_map_to_their_glyph);
	tcase_add_test(tc, test_toolkit_aliases_map_to_the_same_glyph);
	tcase_add_test(tc, test_unknown_names_are_the_default);
	suite_add_tcase(s, tc);
	return s;
}

/* The X cursor font's names for CURSOR values: one for each value the validator accepts, none for
 * anything else, and back again. */
#include <string.h>

#include "fixtures.h"

START_TEST(test_cursor_names_are_the_cursor_fonts)
{
	ck_assert_str_eq(proto_cursor_name(PROTO_CURSOR_X11 + 0), "X_cursor");
	ck_assert_str_eq(proto_cursor_name(PROTO_CURSOR_X11 + 60), "hand2");
	ck_assert_str_eq(proto_cursor_name(PROTO_CURSOR_X11 + 68), "left_ptr");
	ck_assert_str_eq(proto_cursor_name(PROTO_CURSOR_X11 + 152), "xterm");
	ck_assert_uint_eq(proto_cursor_from_name("sb_h_double_arrow"), PROTO_CURSOR_X11 + 108);
	ck_assert_uint_eq(proto_cursor_from_name("watch"), PROTO_CURSOR_X11 + 150);
}
END_TEST

START_TEST(test_every_valid_cursor_has_a_name_and_no_other_value_does)
{
	unsigned named = 0;
	for (uint32_t c = 0; c < PROTO_CURSOR_X11_MAX + 4; c++) {
		struct proto_cursor m = {.cursor = c};
		struct proto_error err;
		const char *name = proto_cursor_name(c);
		bool valid = proto_validate_cursor(&m, &err) == PROTO_OK;
		if (c == PROTO_CURSOR_DEFAULT || !valid) {
			ck_assert_msg(!name, "0x%x has a name", c);
			continue;
		}
		ck_assert_msg(name && *name, "0x%x has no name", c);
		ck_assert_msg(!strchr(name, '/'), "0x%x's name is a path",
			      c); /* a theme file name */
		ck_assert_uint_eq(proto_cursor_from_name(name), c);
		named++;
	}
	ck_assert_uint_eq(named, (PROTO_CURSOR_X11_MAX - PROTO_CURSOR_X11) / 2);
	ck_assert_ptr_null(proto_cursor_name(0xffffffffu));
}
END_TEST

START_TEST(test_other_names_are_the_default_cursor)
{
	ck_assert_uint_eq(proto_cursor_from_name(""), PROTO_CURSOR_DEFAULT);
	ck_assert_uint_eq(proto_cursor_from_name("text"), PROTO_CURSOR_DEFAULT);
	ck_assert_uint_eq(proto_cursor_from_name("XTERM"), PROTO_CURSOR_DEFAULT);
	ck_assert_uint_eq(proto_cursor_from_name("xterm "), PROTO_CURSOR_DEFAULT);
}
END_TEST

Suite *suite_cursor(void)
{
	Suite *s = suite_create("cursor");
	TCase *tc = tcase_create("names");
	tcase_add_test(tc, test_cursor_names_are_the_cursor_fonts);
	tcase_add_test(tc, test_every_valid_cursor_has_a_name_and_no_other_value_does);
	tcase_add_test(tc, test_other_names_are_the_default_cursor);
	suite_add_tcase(s, tc);
	return s;
}

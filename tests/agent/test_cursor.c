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

/* What GTK 3 (CSS names and its X fallbacks), Qt 5 (its names, then CSS and X ones) and Firefox
 * (CSS names, then hash names) ask Xcursor for: every one shows as some glyph, not the default. */
START_TEST(test_toolkit_names_all_map_to_a_glyph)
{
	static const char *const toolkit[] = {
	    "default",
	    "context-menu",
	    "help",
	    "pointer",
	    "progress",
	    "wait",
	    "cell",
	    "crosshair",
	    "text",
	    "vertical-text",
	    "alias",
	    "copy",
	    "move",
	    "no-drop",
	    "not-allowed",
	    "grab",
	    "grabbing",
	    "all-scroll",
	    "col-resize",
	    "row-resize",
	    "n-resize",
	    "e-resize",
	    "s-resize",
	    "w-resize",
	    "ne-resize",
	    "nw-resize",
	    "se-resize",
	    "sw-resize",
	    "ew-resize",
	    "ns-resize",
	    "nesw-resize",
	    "nwse-resize",
	    "zoom-in",
	    "zoom-out",
	    "dnd-none",
	    "dnd-copy",
	    "dnd-link",
	    "dnd-move",
	    "dnd-ask",
	    "ibeam",
	    "size_ver",
	    "size_hor",
	    "size_bdiag",
	    "size_fdiag",
	    "size_all",
	    "split_v",
	    "split_h",
	    "pointing_hand",
	    "forbidden",
	    "whats_this",
	    "left_ptr_watch",
	    "openhand",
	    "closedhand",
	    "up_arrow",
	    "hand",
	    "hand1",
	    "hand2",
	    "left_ptr",
	    "watch",
	    "fleur",
	    "xterm",
	    "question_arrow",
	    "crossed_circle",
	    "sb_h_double_arrow",
	    "sb_v_double_arrow",
	    "top_side",
	    "bottom_right_corner",
	    "left_ptr_help",
	    "08e8e1c95fe2fc01f976f1e063a24ccd",
	    "14fef782d02440884392942c11205230",
	};
	for (size_t i = 0; i < sizeof(toolkit) / sizeof(toolkit[0]); i++)
		ck_assert_msg(cursor_from_name(toolkit[i]) != PROTO_CURSOR_DEFAULT, "'%s'",
			      toolkit[i]);
}
END_TEST

/* The QA run's old-style I-beam and hand: a text field and a link show the text and hand shapes,
 * each to the glyph whose host-theme cursor the daemon shows. */
START_TEST(test_text_links_and_resizing_map_to_their_shapes)
{
	ck_assert_uint_eq(cursor_from_name("vertical-text"), PROTO_CURSOR_X11 + 152);
	ck_assert_uint_eq(cursor_from_name("pointing_hand"), PROTO_CURSOR_X11 + 60);
	ck_assert_uint_eq(cursor_from_name("e29285e634086352946a0e7090d73106"),
			  PROTO_CURSOR_X11 + 60);
	ck_assert_uint_eq(cursor_from_name("progress"), cursor_from_name("watch"));
	ck_assert_uint_eq(cursor_from_name("not-allowed"), cursor_from_name("X_cursor"));
	ck_assert_uint_eq(cursor_from_name("nwse-resize"), cursor_from_name("bottom_right_corner"));
	ck_assert_uint_eq(cursor_from_name("nesw-resize"), cursor_from_name("bottom_left_corner"));
	ck_assert_uint_eq(cursor_from_name("row-resize"), cursor_from_name("sb_v_double_arrow"));
	ck_assert_uint_eq(cursor_from_name("grab"), cursor_from_name("hand1"));
	ck_assert_uint_eq(cursor_from_name("grabbing"), cursor_from_name("fleur"));
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
	tcase_add_test(tc, test_toolkit_names_all_map_to_a_glyph);
	tcase_add_test(tc, test_text_links_and_resizing_map_to_their_shapes);
	tcase_add_test(tc, test_unknown_names_are_the_default);
	suite_add_tcase(s, tc);
	return s;
}

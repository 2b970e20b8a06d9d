/* Properties into wire form: titles cut at character boundaries, size hints clamped into what the
 * daemon accepts, urgency and _NET_WM_STATE into WINDOW_FLAGS. */
#include <stdlib.h>
#include <string.h>
#include <xcb/xcb_icccm.h>

#include "gui-agent/props.h"
#include "harness.h"
#include "suites.h"

START_TEST(test_copy_utf8_short_text_is_kept)
{
	char out[8];
	props_copy_utf8(out, sizeof(out), "abc", 3, true);
	ck_assert_str_eq(out, "abc");
}
END_TEST

START_TEST(test_copy_utf8_stops_at_a_nul)
{
	char out[8];
	props_copy_utf8(out, sizeof(out), "ab\0cd", 5, false);
	ck_assert_str_eq(out, "ab");
}
END_TEST

START_TEST(test_copy_utf8_cut_ends_in_an_ellipsis_on_a_boundary)
{
	/* "aé" repeated: a cut inside the two bytes of é must back off to the character start. */
	char out[8];
	const char *s = "a\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
	props_copy_utf8(out, sizeof(out), s, strlen(s), true);
	/* 7 bytes of room: 4 for text, 3 for U+2026; byte 4 continues é, so 3 bytes of text. */
	ck_assert_str_eq(out, "a\xc3\xa9\xe2\x80\xa6");
}
END_TEST

START_TEST(test_copy_utf8_cut_without_mark_fills_the_field)
{
	char out[4];
	props_copy_utf8(out, sizeof(out), "abcdef", 6, false);
	ck_assert_str_eq(out, "abc");
}
END_TEST

START_TEST(test_size_hints_clamped_to_the_protocol)
{
	xcb_size_hints_t s = {0};
	s.flags = XCB_ICCCM_SIZE_HINT_P_MIN_SIZE | XCB_ICCCM_SIZE_HINT_P_MAX_SIZE |
		  XCB_ICCCM_SIZE_HINT_P_RESIZE_INC | XCB_ICCCM_SIZE_HINT_BASE_SIZE;
	s.min_width = -5;
	s.min_height = 40;
	s.max_width = 100000;
	s.max_height = 300;
	s.width_inc = 100000;
	s.height_inc = 8;
	s.base_width = 20;
	s.base_height = -1;
	struct proto_window_hints h;
	props_size_hints_to_wire(&s, &h);
	ck_assert_uint_eq(h.flags, PROTO_HINT_PMINSIZE | PROTO_HINT_PMAXSIZE |
				       PROTO_HINT_PRESIZEINC | PROTO_HINT_PBASESIZE);
	ck_assert_uint_eq(h.min_width, 0);
	ck_assert_uint_eq(h.min_height, 40);
	ck_assert_uint_eq(h.max_width, PROTO_MAX_WINDOW_WIDTH);
	ck_assert_uint_eq(h.max_height, 300);
	ck_assert_uint_eq(h.width_inc, PROTO_MAX_WINDOW_WIDTH - 1);
	ck_assert_uint_eq(h.height_inc, 8);
	ck_assert_uint_eq(h.base_width, 20);
	ck_assert_uint_eq(h.base_height, 0);
}
END_TEST

START_TEST(test_size_hints_zero_maximum_means_none)
{
	xcb_size_hints_t s = {0};
	s.flags = XCB_ICCCM_SIZE_HINT_P_MAX_SIZE | XCB_ICCCM_SIZE_HINT_P_POSITION;
	s.max_width = 0;
	s.max_height = 200;
	struct proto_window_hints h;
	props_size_hints_to_wire(&s, &h);
	ck_assert_uint_eq(h.flags, PROTO_HINT_PPOSITION);
	ck_assert_uint_eq(h.max_width, 0);
	ck_assert_uint_eq(h.max_height, 0);
}
END_TEST

START_TEST(test_size_hints_unknown_flags_do_not_travel)
{
	xcb_size_hints_t s = {0};
	s.flags = XCB_ICCCM_SIZE_HINT_P_ASPECT | XCB_ICCCM_SIZE_HINT_P_WIN_GRAVITY;
	s.min_aspect_num = 3;
	struct proto_window_hints h;
	props_size_hints_to_wire(&s, &h);
	ck_assert_uint_eq(h.flags, 0);
}
END_TEST

START_TEST(test_flags_from_urgency_and_net_state)
{
	struct props p;
	props_init(&p);
	ck_assert(p.input_hint);
	ck_assert_uint_eq(props_flags(&p), 0);
	p.urgent = true;
	ck_assert_uint_eq(props_flags(&p), PROTO_FLAG_DEMANDS_ATTENTION);
	p.urgent = false;
	p.net_state = PROTO_FLAG_FULLSCREEN | PROTO_FLAG_DEMANDS_ATTENTION;
	ck_assert_uint_eq(props_flags(&p), PROTO_FLAG_FULLSCREEN | PROTO_FLAG_DEMANDS_ATTENTION);
}
END_TEST

/* ---- Read from a real window ------------------------------------------------------------------
 */

START_TEST(test_read_all_converts_a_window_properties)
{
	struct harness h;
	harness_open(&h, false, false);
	xcb_window_t id = harness_window(&h, 0, 0, 50, 50);
	/* A Latin-1 WM_NAME (é as one byte) and the class. */
	xcb_change_property(h.client, XCB_PROP_MODE_REPLACE, id, XCB_ATOM_WM_NAME, XCB_ATOM_STRING,
			    8, 5, "caf\xe9!");
	xcb_change_property(h.client, XCB_PROP_MODE_REPLACE, id, XCB_ATOM_WM_CLASS, XCB_ATOM_STRING,
			    8, 10, "term\0Term\0");
	xcb_size_hints_t sh = {0};
	xcb_icccm_size_hints_set_min_size(&sh, 64, 48);
	xcb_icccm_size_hints_set_max_size(&sh, 0, 0);
	xcb_icccm_set_wm_normal_hints(h.client, id, &sh);
	xcb_icccm_wm_hints_t wh = {0};
	xcb_icccm_wm_hints_set_urgency(&wh);
	xcb_icccm_wm_hints_set_input(&wh, 0);
	xcb_icccm_set_wm_hints(h.client, id, &wh);
	xcb_atom_t protocols[] = {harness_atom(&h, "WM_DELETE_WINDOW")};
	xcb_icccm_set_wm_protocols(h.client, id, harness_atom(&h, "WM_PROTOCOLS"), 1, protocols);
	xcb_atom_t fs = harness_atom(&h, "_NET_WM_STATE_FULLSCREEN");
	xcb_change_property(h.client, XCB_PROP_MODE_REPLACE, id, harness_atom(&h, "_NET_WM_STATE"),
			    XCB_ATOM_ATOM, 32, 1, &fs);
	harness_sync_client(&h);

	struct props p;
	props_init(&p);
	props_read_all(h.xc, id, &p);
	ck_assert_str_eq(p.name.data, "caf\xc3\xa9!");
	ck_assert_str_eq(p.wmclass.res_name, "term");
	ck_assert_str_eq(p.wmclass.res_class, "Term");
	ck_assert_uint_eq(p.hints.flags, PROTO_HINT_PMINSIZE);
	ck_assert_uint_eq(p.hints.min_width, 64);
	ck_assert_uint_eq(p.hints.min_height, 48);
	ck_assert(p.urgent);
	ck_assert(!p.input_hint);
	ck_assert(p.delete_window);
	ck_assert(!p.take_focus);
	ck_assert_uint_eq(props_flags(&p), PROTO_FLAG_FULLSCREEN | PROTO_FLAG_DEMANDS_ATTENTION);
	harness_close(&h);
}
END_TEST

START_TEST(test_update_reports_only_what_changed_on_the_wire)
{
	struct harness h;
	harness_open(&h, false, false);
	xcb_window_t id = harness_window(&h, 0, 0, 50, 50);
	struct props p;
	props_init(&p);
	props_read_all(h.xc, id, &p);

	xcb_atom_t net_name = harness_atom(&h, "_NET_WM_NAME");
	xcb_change_property(h.client, XCB_PROP_MODE_REPLACE, id, net_name,
			    harness_atom(&h, "UTF8_STRING"), 8, 5, "title");
	harness_sync_client(&h);
	ck_assert_uint_eq(props_update(h.xc, id, net_name, &p), PROPS_NAME);
	ck_assert_str_eq(p.name.data, "title");
	/* The same value again changes nothing. */
	ck_assert_uint_eq(props_update(h.xc, id, net_name, &p), 0);
	/* WM_NAME is shadowed by _NET_WM_NAME. */
	xcb_change_property(h.client, XCB_PROP_MODE_REPLACE, id, XCB_ATOM_WM_NAME, XCB_ATOM_STRING,
			    8, 5, "other");
	harness_sync_client(&h);
	ck_assert_uint_eq(props_update(h.xc, id, XCB_ATOM_WM_NAME, &p), 0);

	xcb_icccm_wm_hints_t wh = {0};
	xcb_icccm_wm_hints_set_urgency(&wh);
	xcb_icccm_set_wm_hints(h.client, id, &wh);
	harness_sync_client(&h);
	ck_assert_uint_eq(props_update(h.xc, id, XCB_ATOM_WM_HINTS, &p), PROPS_FLAGS);
	/* The transient-for does not travel by itself (it rides on MAP). */
	xcb_window_t t = h.root;
	xcb_icccm_set_wm_transient_for(h.client, id, t);
	harness_sync_client(&h);
	ck_assert_uint_eq(props_update(h.xc, id, XCB_ATOM_WM_TRANSIENT_FOR, &p), 0);
	ck_assert_uint_eq(p.transient_for, t);
	harness_close(&h);
}
END_TEST

START_TEST(test_net_state_request_rewrites_the_property)
{
	struct harness h;
	harness_open(&h, false, false);
	xcb_window_t id = harness_window(&h, 0, 0, 50, 50);
	xcb_atom_t state = harness_atom(&h, "_NET_WM_STATE");
	xcb_atom_t other = harness_atom(&h, "_NET_WM_STATE_STICKY");
	xcb_atom_t fs = harness_atom(&h, "_NET_WM_STATE_FULLSCREEN");
	xcb_change_property(h.client, XCB_PROP_MODE_REPLACE, id, state, XCB_ATOM_ATOM, 32, 1,
			    &other);
	harness_sync_client(&h);
	struct props p;
	props_init(&p);
	props_read_all(h.xc, id, &p);
	uint32_t set, unset;
	props_state_request(h.xc, &p, 1 /* add */, fs, XCB_NONE, &set, &unset);
	ck_assert_uint_eq(set, PROTO_FLAG_FULLSCREEN);
	ck_assert_uint_eq(unset, 0);
	props_set_net_state(h.xc, id, set, unset);
	xcb_flush(h.xc->x);
	ck_assert_uint_eq(props_update(h.xc, id, state, &p), PROPS_FLAGS);
	ck_assert_uint_eq(p.net_state, PROTO_FLAG_FULLSCREEN);
	/* The state the agent does not act on is kept. */
	xcb_get_property_reply_t *r = xcb_get_property_reply(
	    h.client, xcb_get_property(h.client, 0, id, state, XCB_ATOM_ATOM, 0, 8), NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(xcb_get_property_value_length(r), 8);
	const xcb_atom_t *a = xcb_get_property_value(r);
	ck_assert_uint_eq(a[0], other);
	ck_assert_uint_eq(a[1], fs);
	free(r);
	props_state_request(h.xc, &p, 2 /* toggle */, fs, XCB_NONE, &set, &unset);
	ck_assert_uint_eq(set, 0);
	ck_assert_uint_eq(unset, PROTO_FLAG_FULLSCREEN);
	props_state_request(h.xc, &p, 3 /* no such action */, fs, XCB_NONE, &set, &unset);
	ck_assert_uint_eq(set | unset, 0);
	props_state_request(h.xc, &p, 2 /* toggle */, fs, XCB_NONE, &set, &unset);
	props_set_net_state(h.xc, id, set, unset);
	xcb_flush(h.xc->x);
	ck_assert_uint_eq(props_update(h.xc, id, state, &p), PROPS_FLAGS);
	ck_assert_uint_eq(p.net_state, 0);
	harness_close(&h);
}
END_TEST

Suite *suite_props(void)
{
	Suite *s = suite_create("props");
	TCase *tc = tcase_create("pure");
	tcase_add_test(tc, test_copy_utf8_short_text_is_kept);
	tcase_add_test(tc, test_copy_utf8_stops_at_a_nul);
	tcase_add_test(tc, test_copy_utf8_cut_ends_in_an_ellipsis_on_a_boundary);
	tcase_add_test(tc, test_copy_utf8_cut_without_mark_fills_the_field);
	tcase_add_test(tc, test_size_hints_clamped_to_the_protocol);
	tcase_add_test(tc, test_size_hints_zero_maximum_means_none);
	tcase_add_test(tc, test_size_hints_unknown_flags_do_not_travel);
	tcase_add_test(tc, test_flags_from_urgency_and_net_state);
	suite_add_tcase(s, tc);
	tc = harness_tcase("x");
	tcase_add_test(tc, test_read_all_converts_a_window_properties);
	tcase_add_test(tc, test_update_reports_only_what_changed_on_the_wire);
	tcase_add_test(tc, test_net_state_request_rewrites_the_property);
	suite_add_tcase(s, tc);
	return s;
}

/* SEAM_MONITOR_LAYOUT: only where the hello agreed it, only from the daemon; monitors within the
 * screen, entries past count empty (the per-field bounds are rows of test_bounds.c). */
#include "fixtures.h"

/* The layout as the agent decodes it. */
static enum proto_verdict decode(const struct proto_msg *m, struct proto_error *err)
{
	struct proto_peer peer = fixture_peer_seam();
	struct proto_msg out;
	return fixture_roundtrip(&peer, PROTO_FROM_DAEMON, m, 0, &out, err);
}

START_TEST(test_monitor_layout_needs_the_agreed_feature)
{
	fixture_assert_daemon_feature(PROTO_MSG_SEAM_MONITOR_LAYOUT, PROTO_SEAM_FEATURE_MONITORS);
}
END_TEST

START_TEST(test_monitor_layout_refuses_leftovers_past_count)
{
	struct proto_msg m;
	struct proto_error err;
	fixture_valid(PROTO_MSG_SEAM_MONITOR_LAYOUT, PROTO_FROM_DAEMON, &m);
	m.u.monitors.count = 1;
	m.u.monitors.primary = 0;
	ck_assert_int_eq(decode(&m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "monitors");
	m.u.monitors.monitors[1] = (struct proto_seam_monitor){0};
	ck_assert_int_eq(decode(&m, &err), PROTO_OK);
	m.u.monitors.monitors[PROTO_MONITORS_MAX - 1].mm_height = 1;
	ck_assert_int_eq(decode(&m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "monitors");
}
END_TEST

START_TEST(test_monitor_layout_monitor_must_fit_without_wrapping)
{
	struct proto_msg m;
	struct proto_error err;
	fixture_valid(PROTO_MSG_SEAM_MONITOR_LAYOUT, PROTO_FROM_DAEMON, &m);
	/* x + width wraps to a small number in 32 bits: still refused */
	m.u.monitors.monitors[1].x = UINT32_MAX - 500u;
	ck_assert_int_eq(decode(&m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "monitor.x");
	/* the full sixteen, each a column of the screen, pass */
	fixture_valid(PROTO_MSG_SEAM_MONITOR_LAYOUT, PROTO_FROM_DAEMON, &m);
	m.u.monitors.count = PROTO_MONITORS_MAX;
	for (uint32_t i = 0; i < PROTO_MONITORS_MAX; i++)
		m.u.monitors.monitors[i] =
		    (struct proto_seam_monitor){i * 125u, 0, 125, 1200, 0, 0};
	ck_assert_int_eq(decode(&m, &err), PROTO_OK);
}
END_TEST

/* The agent fitting the host's layout to a smaller X server, and the daemon making RandR's
 * monitors into a layout: what comes out always passes the validator. */
START_TEST(test_monitor_layout_fit_clips_drops_and_keeps_the_primary)
{
	struct proto_seam_monitor_layout l = {
	    .width = 3840, .height = 1080, .count = 3, .primary = 2};
	l.monitors[0] = (struct proto_seam_monitor){0, 0, 1920, 1080, 527, 296};
	l.monitors[1] = (struct proto_seam_monitor){1920, 0, 1920, 1080, 99999, 0};
	l.monitors[2] = (struct proto_seam_monitor){2500, 100, 1000, 500, 0, 0};
	proto_monitor_layout_fit(&l, 2400, 1000);
	ck_assert_uint_eq(l.width, 2400);
	ck_assert_uint_eq(l.height, 1000);
	ck_assert_uint_eq(l.count, 2); /* the third lay wholly past the new edge */
	ck_assert_uint_eq(l.primary, 0);
	ck_assert_uint_eq(l.monitors[0].height, 1000);
	ck_assert_uint_eq(l.monitors[1].x, 1920);
	ck_assert_uint_eq(l.monitors[1].width, 480);
	ck_assert_uint_eq(l.monitors[1].mm_width, 0); /* past the bound: unknown */
	ck_assert_uint_eq(l.monitors[2].width, 0);
	ck_assert_int_eq(proto_validate_seam_monitor_layout(&l, NULL), 0);

	/* a hostile count and sizes past the protocol's: one monitor, the screen at the bound */
	l = (struct proto_seam_monitor_layout){.count = UINT32_MAX, .primary = UINT32_MAX};
	proto_monitor_layout_fit(&l, UINT32_MAX, 0);
	ck_assert_uint_eq(l.width, PROTO_SCREEN_MAX_DIM);
	ck_assert_uint_eq(l.height, 1);
	ck_assert_uint_eq(l.count, 1);
	ck_assert_uint_eq(l.monitors[0].width, PROTO_SCREEN_MAX_DIM);
	ck_assert_int_eq(proto_validate_seam_monitor_layout(&l, NULL), 0);
}
END_TEST

Suite *suite_monitor_layout(void)
{
	Suite *s = suite_create("monitor_layout");
	TCase *tc = tcase_create("monitor_layout");
	tcase_add_test(tc, test_monitor_layout_needs_the_agreed_feature);
	tcase_add_test(tc, test_monitor_layout_refuses_leftovers_past_count);
	tcase_add_test(tc, test_monitor_layout_monitor_must_fit_without_wrapping);
	tcase_add_test(tc, test_monitor_layout_fit_clips_drops_and_keeps_the_primary);
	suite_add_tcase(s, tc);
	return s;
}

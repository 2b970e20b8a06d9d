/* SEAM_MONITOR_LAYOUT: only where the hello agreed it, only from the daemon; monitors within the
 * screen, entries past count empty (the per-field bounds are rows of test_bounds.c). */
#include "fixtures.h"

static enum proto_verdict decode(const struct proto_peer *peer, enum proto_dir from,
				 const struct proto_msg *m, struct proto_error *err)
{
	struct proto_msg out;
	return fixture_roundtrip(peer, from, m, 0, &out, err);
}

START_TEST(test_monitor_layout_needs_the_agreed_feature)
{
	struct proto_msg m;
	struct proto_error err;
	fixture_valid(PROTO_MSG_SEAM_MONITOR_LAYOUT, PROTO_FROM_DAEMON, &m);
	struct proto_peer peer = fixture_peer_seam();
	ck_assert_int_eq(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_OK);
	/* an agent that agreed every other feature, and a Qubes agent */
	peer.seam_features = PROTO_SEAM_FEATURES_KNOWN & ~PROTO_SEAM_FEATURE_MONITORS;
	ck_assert_int_ne(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_OK);
	struct proto_peer qubes = fixture_peer_qubes();
	ck_assert_int_ne(decode(&qubes, PROTO_FROM_DAEMON, &m, &err), PROTO_OK);
	/* the guest never tells the host its layout */
	peer = fixture_peer_seam();
	ck_assert_int_eq(decode(&peer, PROTO_FROM_AGENT, &m, &err), PROTO_FATAL);
}
END_TEST

START_TEST(test_monitor_layout_refuses_leftovers_past_count)
{
	struct proto_msg m;
	struct proto_error err;
	struct proto_peer peer = fixture_peer_seam();
	fixture_valid(PROTO_MSG_SEAM_MONITOR_LAYOUT, PROTO_FROM_DAEMON, &m);
	m.u.monitors.count = 1;
	m.u.monitors.primary = 0;
	ck_assert_int_eq(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "monitors");
	m.u.monitors.monitors[1] = (struct proto_seam_monitor){0};
	ck_assert_int_eq(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_OK);
	m.u.monitors.monitors[PROTO_MONITORS_MAX - 1].mm_height = 1;
	ck_assert_int_eq(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "monitors");
}
END_TEST

START_TEST(test_monitor_layout_monitor_must_fit_without_wrapping)
{
	struct proto_msg m;
	struct proto_error err;
	struct proto_peer peer = fixture_peer_seam();
	fixture_valid(PROTO_MSG_SEAM_MONITOR_LAYOUT, PROTO_FROM_DAEMON, &m);
	/* x + width wraps to a small number in 32 bits: still refused */
	m.u.monitors.monitors[1].x = UINT32_MAX - 500u;
	ck_assert_int_eq(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "monitor.x");
	/* the full sixteen, each a column of the screen, pass */
	fixture_valid(PROTO_MSG_SEAM_MONITOR_LAYOUT, PROTO_FROM_DAEMON, &m);
	m.u.monitors.count = PROTO_MONITORS_MAX;
	for (uint32_t i = 0; i < PROTO_MONITORS_MAX; i++)
		m.u.monitors.monitors[i] =
		    (struct proto_seam_monitor){i * 125u, 0, 125, 1200, 0, 0};
	ck_assert_int_eq(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_OK);
}
END_TEST

Suite *suite_monitor_layout(void)
{
	Suite *s = suite_create("monitor_layout");
	TCase *tc = tcase_create("monitor_layout");
	tcase_add_test(tc, test_monitor_layout_needs_the_agreed_feature);
	tcase_add_test(tc, test_monitor_layout_refuses_leftovers_past_count);
	tcase_add_test(tc, test_monitor_layout_monitor_must_fit_without_wrapping);
	suite_add_tcase(s, tc);
	return s;
}

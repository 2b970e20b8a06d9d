/* SEAM_DISPLAY_SETTINGS: only where the hello agreed it, only from the daemon, and "unknown" (0)
 * passes beside the bounded values (the bounds themselves are rows of test_bounds.c). */
#include "fixtures.h"

/* What a receiver with peer's state makes of m, sent from from. */
#define decode(peer, from, m, err) fixture_roundtrip(peer, from, m, 0, &out, err)

START_TEST(test_display_settings_need_the_agreed_feature)
{
	fixture_assert_daemon_feature(PROTO_MSG_SEAM_DISPLAY_SETTINGS,
				      PROTO_SEAM_FEATURE_DISPLAY_SETTINGS);
}
END_TEST

START_TEST(test_display_settings_unknown_values_pass)
{
	struct proto_msg m, out;
	struct proto_error err;
	fixture_valid(PROTO_MSG_SEAM_DISPLAY_SETTINGS, PROTO_FROM_DAEMON, &m);
	m.u.display_settings = (struct proto_seam_display_settings){0, 0};
	struct proto_peer peer = fixture_peer_seam();
	ck_assert_int_eq(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_OK);
	m.u.display_settings.dpi_1024 = 1; /* not 0, and far below the least */
	ck_assert_int_eq(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "dpi_1024");
}
END_TEST

Suite *suite_display_settings(void)
{
	Suite *s = suite_create("display_settings");
	TCase *tc = tcase_create("display_settings");
	tcase_add_test(tc, test_display_settings_need_the_agreed_feature);
	tcase_add_test(tc, test_display_settings_unknown_values_pass);
	suite_add_tcase(s, tc);
	return s;
}

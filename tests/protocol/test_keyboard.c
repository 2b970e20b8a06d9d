/* The keyboard extension (SEAM_KEYBOARD, SEAM_KEYSYMS): only where the hello agreed it, only from
 * the daemon, and every value bounded before the agent hands it to setxkbmap or the X server. */
#include <string.h>

#include "fixtures.h"

static enum proto_verdict decode(const struct proto_peer *peer, enum proto_dir from,
				 const struct proto_msg *m, struct proto_error *err)
{
	struct proto_msg out;
	return fixture_roundtrip(peer, from, m, 0, &out, err);
}

START_TEST(test_keyboard_needs_the_agreed_feature)
{
	struct proto_msg m;
	struct proto_error err;
	fixture_valid(PROTO_MSG_SEAM_KEYBOARD, PROTO_FROM_DAEMON, &m);
	struct proto_peer peer = fixture_peer_seam();
	ck_assert_int_eq(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_OK);
	peer.seam_features = PROTO_SEAM_FEATURE_MEMFD; /* an agent that did not agree it */
	ck_assert_int_ne(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_OK);
	struct proto_peer qubes = fixture_peer_qubes();
	ck_assert_int_ne(decode(&qubes, PROTO_FROM_DAEMON, &m, &err), PROTO_OK);
	/* never from a guest */
	peer = fixture_peer_seam();
	ck_assert_int_eq(decode(&peer, PROTO_FROM_AGENT, &m, &err), PROTO_FATAL);
}
END_TEST

START_TEST(test_keyboard_names_that_could_be_options_or_paths_are_dropped)
{
	static const struct {
		const char *layout;
		const char *field;
	} bad[] = {
	    {"-display", "layout"}, {"de us", "layout"}, {"../../etc", "layout"},
	    {"de;rm", "layout"},    {"de\\n", "layout"}, {"", "layout"},
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct proto_msg m;
		struct proto_error err;
		fixture_valid(PROTO_MSG_SEAM_KEYBOARD, PROTO_FROM_DAEMON, &m);
		strcpy(m.u.keyboard.layout, bad[i].layout);
		struct proto_peer peer = fixture_peer_seam();
		ck_assert_msg(decode(&peer, PROTO_FROM_DAEMON, &m, &err) == PROTO_DROP,
			      "layout '%s' accepted", bad[i].layout);
		ck_assert_str_eq(err.field, bad[i].field);
	}
	struct proto_msg m;
	struct proto_error err;
	fixture_valid(PROTO_MSG_SEAM_KEYBOARD, PROTO_FROM_DAEMON, &m);
	memset(m.u.keyboard.options, 'a', sizeof(m.u.keyboard.options)); /* no NUL */
	struct proto_peer peer = fixture_peer_seam();
	ck_assert_int_eq(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "options");
}
END_TEST

START_TEST(test_keysyms_bounds)
{
	struct proto_msg m;
	struct proto_error err;
	struct proto_peer peer = fixture_peer_seam();
	fixture_valid(PROTO_MSG_SEAM_KEYSYMS, PROTO_FROM_DAEMON, &m);
	ck_assert_int_eq(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_OK);
	m.u.keysyms.first_keycode = 7;
	ck_assert_int_eq(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "first_keycode");
	fixture_valid(PROTO_MSG_SEAM_KEYSYMS, PROTO_FROM_DAEMON, &m);
	m.u.keysyms.first_keycode = 255; /* two keycodes from 255 pass the last one */
	ck_assert_int_eq(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "count");
	fixture_valid(PROTO_MSG_SEAM_KEYSYMS, PROTO_FROM_DAEMON, &m);
	m.u.keysyms.keysyms_per_keycode = 3; /* 2 x 3 != the 8 keysyms that follow */
	ck_assert_int_eq(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "count");
	fixture_valid(PROTO_MSG_SEAM_KEYSYMS, PROTO_FROM_DAEMON, &m);
	m.u.keysyms.keysyms_per_keycode = PROTO_KEYSYMS_PER_KEYCODE_MAX + 1;
	ck_assert_int_eq(decode(&peer, PROTO_FROM_DAEMON, &m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "keysyms_per_keycode");
}
END_TEST

Suite *suite_keyboard(void)
{
	Suite *s = suite_create("keyboard");
	TCase *tc = tcase_create("keyboard");
	tcase_add_test(tc, test_keyboard_needs_the_agreed_feature);
	tcase_add_test(tc, test_keyboard_names_that_could_be_options_or_paths_are_dropped);
	tcase_add_test(tc, test_keysyms_bounds);
	suite_add_tcase(s, tc);
	return s;
}

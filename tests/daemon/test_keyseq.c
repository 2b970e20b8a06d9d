/* Key sequences: what the options accept, and matching against the private X server's keyboard. */
#include <check.h>
#include <string.h>

#include "common/xconn.h"
#include "gui-daemon/keyseq.h"
#include "suites.h"

#define CTRL_SHIFT (XCB_MOD_MASK_CONTROL | XCB_MOD_MASK_SHIFT)

START_TEST(test_keyseq_parses_modifiers_and_a_key)
{
	struct keyseq k;
	ck_assert_int_eq(keyseq_parse("Ctrl-Shift-c", &k), 0);
	ck_assert_uint_eq(k.mods, CTRL_SHIFT);
	ck_assert_uint_eq(k.keysym, 'c');
	ck_assert_int_eq(keyseq_parse("control-ALT-super-9", &k), 0);
	ck_assert_uint_eq(k.mods, XCB_MOD_MASK_CONTROL | XCB_MOD_MASK_1 | XCB_MOD_MASK_4);
	ck_assert_uint_eq(k.keysym, '9');
	ck_assert_int_eq(keyseq_parse("Mod1-Mod4-v", &k), 0);
	ck_assert_uint_eq(k.mods, XCB_MOD_MASK_1 | XCB_MOD_MASK_4);
}
END_TEST

START_TEST(test_keyseq_none_disables)
{
	struct keyseq k;
	ck_assert_int_eq(keyseq_parse("none", &k), 0);
	ck_assert_uint_eq(k.keysym, 0);
	ck_assert_int_eq(keyseq_parse("disable", &k), 0);
	ck_assert_uint_eq(k.keysym, 0);
	ck_assert(!keyseq_match(&k, 54, CTRL_SHIFT));
}
END_TEST

START_TEST(test_keyseq_refuses_what_is_not_a_sequence)
{
	static const char *const bad[] = {
	    "c",	    /* a plain key would take it from every guest */
	    "Ctrl-C",	    /* keys are lower-case letters or digits */
	    "Ctrl-Shift-",  /* no key */
	    "Ctrl-Hyper-c", /* no such modifier */
	    "Ctrl-cc",	    /* one key */
	    "",
	    "Ctrl-Shift-Ctrl-Shift-Ctrl-Shift-Ctrl-Shift-Ctrl-Shift-Ctrl-Shift-c", /* too long */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct keyseq k;
		memset(&k, 0xff, sizeof(k));
		ck_assert_msg(keyseq_parse(bad[i], &k) < 0, "accepted '%s'", bad[i]);
		ck_assert_uint_eq(k.keysym, 0); /* cleared: never half a sequence */
	}
}
END_TEST

START_TEST(test_keyseq_matches_its_keycode_with_exactly_its_modifiers)
{
	xcb_connection_t *x;
	xcb_screen_t *screen;
	char why[128];
	ck_assert_int_eq(xconn_open(NULL, 3, &x, &screen, why, sizeof(why)), 0);
	struct keyseq k;
	ck_assert_int_eq(keyseq_parse("Ctrl-Shift-c", &k), 0);
	ck_assert(!keyseq_match(&k, 54, CTRL_SHIFT)); /* not resolved yet: matches nothing */
	ck_assert_int_eq(keyseq_resolve(&k, x), 0);
	ck_assert_uint_ge(k.nkeycodes, 1);
	uint8_t kc = k.keycodes[0];
	ck_assert(keyseq_match(&k, kc, CTRL_SHIFT));
	/* CapsLock and NumLock (Mod2) do not count; other modifiers do. */
	ck_assert(keyseq_match(&k, kc, CTRL_SHIFT | XCB_MOD_MASK_LOCK | XCB_MOD_MASK_2));
	ck_assert(!keyseq_match(&k, kc, XCB_MOD_MASK_CONTROL));
	ck_assert(!keyseq_match(&k, kc, CTRL_SHIFT | XCB_MOD_MASK_1));
	ck_assert(!keyseq_match(&k, (uint8_t)(kc + 1), CTRL_SHIFT));
	/* A digit sits on another key. */
	struct keyseq d;
	ck_assert_int_eq(keyseq_parse("Ctrl-Shift-1", &d), 0);
	ck_assert_int_eq(keyseq_resolve(&d, x), 0);
	ck_assert_uint_ge(d.nkeycodes, 1);
	ck_assert_uint_ne(d.keycodes[0], kc);
	xcb_disconnect(x);
}
END_TEST

Suite *suite_keyseq(void)
{
	Suite *s = suite_create("keyseq");
	TCase *tc = tcase_create("keyseq");
	tcase_set_timeout(tc, DAEMON_TEST_TIMEOUT_S);
	tcase_add_test(tc, test_keyseq_parses_modifiers_and_a_key);
	tcase_add_test(tc, test_keyseq_none_disables);
	tcase_add_test(tc, test_keyseq_refuses_what_is_not_a_sequence);
	tcase_add_test(tc, test_keyseq_matches_its_keycode_with_exactly_its_modifiers);
	suite_add_tcase(s, tc);
	return s;
}

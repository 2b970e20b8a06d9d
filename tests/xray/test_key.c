/* seam-xray's --key parser (xray/key.h): the keys it takes, the ones it refuses. */
#include <check.h>
#include <stdlib.h>

#include "xray/key.h"

START_TEST(test_parse_default_is_pause_alone)
{
	struct xray_key k;
	ck_assert_int_eq(xray_key_parse(XRAY_KEY_DEFAULT, &k), 0);
	ck_assert_uint_eq(k.keysym, 0xff13);
	ck_assert_uint_eq(k.mods, 0);
	ck_assert_str_eq(k.name, "Pause");
}
END_TEST

START_TEST(test_parse_modifiers_and_named_keys)
{
	struct xray_key k;
	ck_assert_int_eq(xray_key_parse("Super-Escape", &k), 0);
	ck_assert_uint_eq(k.keysym, 0xff1b);
	ck_assert_uint_eq(k.mods, XCB_MOD_MASK_4);
	ck_assert_int_eq(xray_key_parse("ctrl-ALT-shift-x", &k), 0);
	ck_assert_uint_eq(k.keysym, 'x');
	ck_assert_uint_eq(k.mods, XCB_MOD_MASK_CONTROL | XCB_MOD_MASK_1 | XCB_MOD_MASK_SHIFT);
	ck_assert_int_eq(xray_key_parse("scroll_lock", &k), 0);
	ck_assert_uint_eq(k.keysym, 0xff14);
	ck_assert_int_eq(xray_key_parse("F12", &k), 0);
	ck_assert_uint_eq(k.keysym, 0xffc9);
	ck_assert_int_eq(xray_key_parse("Alt-F1", &k), 0);
	ck_assert_uint_eq(k.keysym, 0xffbe);
	ck_assert_int_eq(xray_key_parse("Super-space", &k), 0);
	ck_assert_uint_eq(k.keysym, ' ');
}
END_TEST

/* A key that types text, alone, would be taken from every application. */
START_TEST(test_parse_refuses_typing_keys_alone)
{
	static const char *const bad[] = {"x", "7", "space", "Tab", "Return"};
	struct xray_key k;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(xray_key_parse(bad[i], &k) != 0, "%s was taken", bad[i]);
}
END_TEST

START_TEST(test_parse_refuses_malformed_specs)
{
	static const char *const bad[] = {"",
					  "Ctrl-",
					  "Ctrl",
					  "Hyper-x",
					  "Ctrl-X",
					  "Ctrl-xy",
					  "F0",
					  "F13",
					  "F1x",
					  "Pausee",
					  "-",
					  "Ctrl-é",
					  "Super-Escape-Super-Escape-Super-Escape-"
					  "Super-Escape-Super-Escape"};
	struct xray_key k;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(xray_key_parse(bad[i], &k) != 0, "'%s' was taken", bad[i]);
		ck_assert_uint_eq(k.keysym, 0);
	}
}
END_TEST

START_TEST(test_key_is_matches_resolved_keycodes_only)
{
	struct xray_key k;
	ck_assert_int_eq(xray_key_parse("Pause", &k), 0);
	ck_assert(!xray_key_is(&k, 127));
	k.keycodes[0] = 127;
	k.nkeycodes = 1;
	ck_assert(xray_key_is(&k, 127));
	ck_assert(!xray_key_is(&k, 128));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("xray_key");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, test_parse_default_is_pause_alone);
	tcase_add_test(tc, test_parse_modifiers_and_named_keys);
	tcase_add_test(tc, test_parse_refuses_typing_keys_alone);
	tcase_add_test(tc, test_parse_refuses_malformed_specs);
	tcase_add_test(tc, test_key_is_matches_resolved_keycodes_only);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* The one rule for domain names (and seam-run's host-name form of it) and the label palette. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/domain.h"
#include "suites.h"

/* ---- labels ---------------------------------------------------------------------------------- */

static const struct {
	const char *name;
	int index;
	uint32_t rgb;
} palette[] = {
    {"red", 1, 0xcc0000},  {"orange", 2, 0xf57900}, {"yellow", 3, 0xedd400}, {"green", 4, 0x73d216},
    {"gray", 5, 0x555753}, {"blue", 6, 0x3465a4},   {"purple", 7, 0x75507b}, {"black", 8, 0x000000},
};

#define PALETTE_LEN ((int)(sizeof(palette) / sizeof(palette[0])))

START_TEST(test_domain_label_parses_palette_name)
{
	struct domain_label l;
	ck_assert_int_eq(domain_label_parse(palette[_i].name, &l), 0);
	ck_assert_int_eq(l.index, palette[_i].index);
	ck_assert_uint_eq(l.rgb, palette[_i].rgb);
	ck_assert_str_eq(l.name, palette[_i].name);
}
END_TEST

START_TEST(test_domain_label_parses_hex)
{
	struct domain_label l;
	ck_assert_int_eq(domain_label_parse("0x123456", &l), 0);
	ck_assert_int_eq(l.index, 0);
	ck_assert_uint_eq(l.rgb, 0x123456);
	ck_assert_str_eq(l.name, "0x123456");
	ck_assert_int_eq(domain_label_parse("0x000000", &l), 0);
	ck_assert_uint_eq(l.rgb, 0);
	ck_assert_int_eq(domain_label_parse("0xffffff", &l), 0);
	ck_assert_uint_eq(l.rgb, 0xffffff);
}
END_TEST

START_TEST(test_domain_label_normalises_hex_case)
{
	struct domain_label l;
	ck_assert_int_eq(domain_label_parse("0XABcdEF", &l), 0);
	ck_assert_int_eq(l.index, 0);
	ck_assert_uint_eq(l.rgb, 0xabcdef);
	ck_assert_str_eq(l.name, "0xabcdef");
}
END_TEST

START_TEST(test_domain_label_rejects_bad_hex)
{
	static const char *const bad[] = {
	    "0x12345",	 "0x1234567", "0xgggggg",  "0x",       "0x12345g",
	    " 0x123456", "0x+12345",  "0x-12345",  "0x 12345", "x123456",
	    "00x12345",	 "#123456",   "0x123456 ", "123456",   "0x0x1234",
	};
	struct domain_label l;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(domain_label_parse(bad[i], &l) == -EINVAL, "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(test_domain_label_rejects_other_strings)
{
	static const char *const bad[] = {"",	  "Red",  "RED",  "red ",  " red", "re",
					  "redd", "pink", "grey", "white", "0",	   "1"};
	struct domain_label l;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(domain_label_parse(bad[i], &l) == -EINVAL, "accepted \"%s\"", bad[i]);
	ck_assert_int_eq(domain_label_parse(NULL, &l), -EINVAL);
}
END_TEST

START_TEST(test_domain_label_leaves_out_untouched_on_error)
{
	struct domain_label l, before;
	memset(&l, 0xa5, sizeof(l));
	before = l;
	ck_assert_int_eq(domain_label_parse("0x12345g", &l), -EINVAL);
	ck_assert_int_eq(domain_label_parse("Red", &l), -EINVAL);
	ck_assert_mem_eq(&l, &before, sizeof(l));
}
END_TEST

Suite *suite_domain_labels(void)
{
	Suite *s = suite_create("labels");
	TCase *tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_domain_label_parses_palette_name, 0, PALETTE_LEN);
	tcase_add_test(tc, test_domain_label_parses_hex);
	tcase_add_test(tc, test_domain_label_normalises_hex_case);
	tcase_add_test(tc, test_domain_label_rejects_bad_hex);
	tcase_add_test(tc, test_domain_label_rejects_other_strings);
	tcase_add_test(tc, test_domain_label_leaves_out_untouched_on_error);
	suite_add_tcase(s, tc);
	return s;
}

/* ---- names ----------------------------------------------------------------------------------- */

START_TEST(test_domain_name_accepts_qube_names)
{
	ck_assert(domain_name_valid("work"));
	ck_assert(domain_name_valid("a"));
	ck_assert(domain_name_valid("Work"));
	ck_assert(domain_name_valid("sys-net"));
	ck_assert(domain_name_valid("my.vm_2"));
	ck_assert(domain_name_valid("disp1234"));
}
END_TEST

START_TEST(test_domain_name_accepts_32_bytes)
{
	ck_assert(domain_name_valid("abcdefghijklmnopqrstuvwxyz012345"));
}
END_TEST

START_TEST(test_domain_name_rejects_33_bytes)
{
	ck_assert(!domain_name_valid("abcdefghijklmnopqrstuvwxyz0123456"));
}
END_TEST

START_TEST(test_domain_name_rejects_empty_and_null)
{
	ck_assert(!domain_name_valid(""));
	ck_assert(!domain_name_valid(NULL));
}
END_TEST

START_TEST(test_domain_name_rejects_leading_punctuation)
{
	ck_assert(domain_name_valid("1work")); /* seam-run domains may start with a digit */
	ck_assert(domain_name_valid("2048"));
	ck_assert(!domain_name_valid("-work"));
	ck_assert(!domain_name_valid("_work"));
	ck_assert(!domain_name_valid(".work"));
}
END_TEST

START_TEST(test_domain_name_rejects_spaces)
{
	ck_assert(!domain_name_valid("my vm"));
	ck_assert(!domain_name_valid(" work"));
	ck_assert(!domain_name_valid("work "));
}
END_TEST

START_TEST(test_domain_name_rejects_brackets)
{
	ck_assert(!domain_name_valid("[dom0]"));
	ck_assert(!domain_name_valid("work]"));
}
END_TEST

START_TEST(test_domain_name_rejects_other_bytes)
{
	ck_assert(!domain_name_valid("w\xc3\xb6rk"));
	ck_assert(!domain_name_valid("work\n"));
	ck_assert(!domain_name_valid("a/b"));
	ck_assert(!domain_name_valid("a:b"));
}
END_TEST

Suite *suite_domain_names(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("valid");
	tcase_add_test(tc, test_domain_name_accepts_qube_names);
	tcase_add_test(tc, test_domain_name_accepts_32_bytes);
	tcase_add_test(tc, test_domain_name_rejects_33_bytes);
	tcase_add_test(tc, test_domain_name_rejects_empty_and_null);
	tcase_add_test(tc, test_domain_name_rejects_leading_punctuation);
	tcase_add_test(tc, test_domain_name_rejects_spaces);
	tcase_add_test(tc, test_domain_name_rejects_brackets);
	tcase_add_test(tc, test_domain_name_rejects_other_bytes);
	suite_add_tcase(s, tc);
	return s;
}

/* ---- seam-run's names: host names in lower case ------------------------------------------ */

START_TEST(test_domain_hostname_accepts_the_pattern)
{
	ck_assert(domain_name_is_hostname("work"));
	ck_assert(domain_name_is_hostname("a"));
	ck_assert(domain_name_is_hostname("0day"));
	ck_assert(domain_name_is_hostname("my-domain-2"));
	ck_assert(domain_name_is_hostname("abcdefghijklmnopqrstuvwxyz012345")); /* 32 */
}
END_TEST

START_TEST(test_domain_hostname_rejects_everything_else)
{
	const char *bad[] = {"",
			     "-a",
			     "Work",
			     "a_b",
			     "a.b",
			     "a/b",
			     "../x",
			     "a b",
			     "\xc3\xa9",
			     "a\n",
			     "abcdefghijklmnopqrstuvwxyz0123456" /* 33 */};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!domain_name_is_hostname(bad[i]), "'%s' accepted", bad[i]);
	ck_assert(!domain_name_is_hostname(NULL));
}
END_TEST

/* Every host name is a name: the narrower rule never lets through what the wider one refuses. */
START_TEST(test_domain_hostname_is_a_subset_of_names)
{
	char s[3] = "";
	for (int a = 1; a < 256; a++)
		for (int b = 0; b < 256; b++) {
			s[0] = (char)a;
			s[1] = (char)b;
			if (domain_name_is_hostname(s))
				ck_assert_msg(domain_name_valid(s), "%02x %02x", a, b);
		}
}
END_TEST

Suite *suite_domain_hostnames(void)
{
	Suite *s = suite_create("hostnames");
	TCase *tc = tcase_create("valid");
	tcase_add_test(tc, test_domain_hostname_accepts_the_pattern);
	tcase_add_test(tc, test_domain_hostname_rejects_everything_else);
	tcase_add_test(tc, test_domain_hostname_is_a_subset_of_names);
	suite_add_tcase(s, tc);
	return s;
}

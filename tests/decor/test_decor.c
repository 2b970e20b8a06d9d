/* Tests of window-decor's pure part: labels, domain names, titles and classes, icon tint. */
#include <stdio.h>
#include <string.h>

#include "suites.h"
#include "window-decor/decor.h"

#define FFFD "\xef\xbf\xbd"

static char out[512];

/* Sanitizes in[0..len) into a large buffer and checks the result and its returned length. */
static void expect_title(const char *in, size_t len, const char *want)
{
	memset(out, 'Z', sizeof(out));
	size_t n = decor_sanitize_title(in, len, out, sizeof(out));
	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(n, strlen(want));
}

#define EXPECT_TITLE(lit, want) expect_title(lit, sizeof(lit) - 1, want)

static void expect_class(const char *in, size_t len, const char *want)
{
	memset(out, 'Z', sizeof(out));
	size_t n = decor_format_class("work", in, len, out, sizeof(out));
	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(n, strlen(want));
}

#define EXPECT_CLASS(lit, want) expect_class(lit, sizeof(lit) - 1, want)

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

START_TEST(test_decor_label_parses_palette_name)
{
	struct decor_label l;
	ck_assert_int_eq(decor_label_parse(palette[_i].name, &l), 0);
	ck_assert_int_eq(l.index, palette[_i].index);
	ck_assert_uint_eq(l.rgb, palette[_i].rgb);
	ck_assert_str_eq(l.name, palette[_i].name);
}
END_TEST

START_TEST(test_decor_label_parses_hex)
{
	struct decor_label l;
	ck_assert_int_eq(decor_label_parse("0x123456", &l), 0);
	ck_assert_int_eq(l.index, 0);
	ck_assert_uint_eq(l.rgb, 0x123456);
	ck_assert_str_eq(l.name, "0x123456");
	ck_assert_int_eq(decor_label_parse("0x000000", &l), 0);
	ck_assert_uint_eq(l.rgb, 0);
	ck_assert_int_eq(decor_label_parse("0xffffff", &l), 0);
	ck_assert_uint_eq(l.rgb, 0xffffff);
}
END_TEST

START_TEST(test_decor_label_normalises_hex_case)
{
	struct decor_label l;
	ck_assert_int_eq(decor_label_parse("0XABcdEF", &l), 0);
	ck_assert_int_eq(l.index, 0);
	ck_assert_uint_eq(l.rgb, 0xabcdef);
	ck_assert_str_eq(l.name, "0xabcdef");
}
END_TEST

START_TEST(test_decor_label_rejects_bad_hex)
{
	static const char *const bad[] = {
	    "0x12345",	 "0x1234567", "0xgggggg",  "0x",       "0x12345g",
	    " 0x123456", "0x+12345",  "0x-12345",  "0x 12345", "x123456",
	    "00x12345",	 "#123456",   "0x123456 ", "123456",   "0x0x1234",
	};
	struct decor_label l;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(decor_label_parse(bad[i], &l) == -1, "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(test_decor_label_rejects_other_strings)
{
	static const char *const bad[] = {"",	  "Red",  "RED",  "red ",  " red", "re",
					  "redd", "pink", "grey", "white", "0",	   "1"};
	struct decor_label l;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(decor_label_parse(bad[i], &l) == -1, "accepted \"%s\"", bad[i]);
	ck_assert_int_eq(decor_label_parse(NULL, &l), -1);
}
END_TEST

START_TEST(test_decor_label_leaves_out_untouched_on_error)
{
	struct decor_label l, before;
	memset(&l, 0xa5, sizeof(l));
	before = l;
	ck_assert_int_eq(decor_label_parse("0x12345g", &l), -1);
	ck_assert_int_eq(decor_label_parse("Red", &l), -1);
	ck_assert_mem_eq(&l, &before, sizeof(l));
}
END_TEST

Suite *suite_decor_labels(void)
{
	Suite *s = suite_create("labels");
	TCase *tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_decor_label_parses_palette_name, 0, PALETTE_LEN);
	tcase_add_test(tc, test_decor_label_parses_hex);
	tcase_add_test(tc, test_decor_label_normalises_hex_case);
	tcase_add_test(tc, test_decor_label_rejects_bad_hex);
	tcase_add_test(tc, test_decor_label_rejects_other_strings);
	tcase_add_test(tc, test_decor_label_leaves_out_untouched_on_error);
	suite_add_tcase(s, tc);
	return s;
}

/* ---- names ----------------------------------------------------------------------------------- */

START_TEST(test_decor_name_accepts_qube_names)
{
	ck_assert(decor_name_valid("work"));
	ck_assert(decor_name_valid("a"));
	ck_assert(decor_name_valid("Work"));
	ck_assert(decor_name_valid("sys-net"));
	ck_assert(decor_name_valid("my.vm_2"));
	ck_assert(decor_name_valid("disp1234"));
}
END_TEST

START_TEST(test_decor_name_accepts_32_bytes)
{
	ck_assert(decor_name_valid("abcdefghijklmnopqrstuvwxyz012345"));
}
END_TEST

START_TEST(test_decor_name_rejects_33_bytes)
{
	ck_assert(!decor_name_valid("abcdefghijklmnopqrstuvwxyz0123456"));
}
END_TEST

START_TEST(test_decor_name_rejects_empty_and_null)
{
	ck_assert(!decor_name_valid(""));
	ck_assert(!decor_name_valid(NULL));
}
END_TEST

START_TEST(test_decor_name_rejects_leading_punctuation)
{
	ck_assert(decor_name_valid("1work")); /* seam-run domains may start with a digit */
	ck_assert(decor_name_valid("2048"));
	ck_assert(!decor_name_valid("-work"));
	ck_assert(!decor_name_valid("_work"));
	ck_assert(!decor_name_valid(".work"));
}
END_TEST

START_TEST(test_decor_name_rejects_spaces)
{
	ck_assert(!decor_name_valid("my vm"));
	ck_assert(!decor_name_valid(" work"));
	ck_assert(!decor_name_valid("work "));
}
END_TEST

START_TEST(test_decor_name_rejects_brackets)
{
	ck_assert(!decor_name_valid("[dom0]"));
	ck_assert(!decor_name_valid("work]"));
}
END_TEST

START_TEST(test_decor_name_rejects_other_bytes)
{
	ck_assert(!decor_name_valid("w\xc3\xb6rk"));
	ck_assert(!decor_name_valid("work\n"));
	ck_assert(!decor_name_valid("a/b"));
	ck_assert(!decor_name_valid("a:b"));
}
END_TEST

Suite *suite_decor_names(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("valid");
	tcase_add_test(tc, test_decor_name_accepts_qube_names);
	tcase_add_test(tc, test_decor_name_accepts_32_bytes);
	tcase_add_test(tc, test_decor_name_rejects_33_bytes);
	tcase_add_test(tc, test_decor_name_rejects_empty_and_null);
	tcase_add_test(tc, test_decor_name_rejects_leading_punctuation);
	tcase_add_test(tc, test_decor_name_rejects_spaces);
	tcase_add_test(tc, test_decor_name_rejects_brackets);
	tcase_add_test(tc, test_decor_name_rejects_other_bytes);
	suite_add_tcase(s, tc);
	return s;
}

/* ---- titles ---------------------------------------------------------------------------------- */

START_TEST(test_decor_title_keeps_plain_ascii)
{
	EXPECT_TITLE("Mozilla Firefox ~ [1/2] {x} 100%", "Mozilla Firefox ~ [1/2] {x} 100%");
}
END_TEST

START_TEST(test_decor_title_keeps_two_byte_char)
{
	EXPECT_TITLE("caf\xc3\xa9", "caf\xc3\xa9");
}
END_TEST

START_TEST(test_decor_title_keeps_three_byte_char)
{
	EXPECT_TITLE("5 \xe2\x82\xac", "5 \xe2\x82\xac");
}
END_TEST

START_TEST(test_decor_title_keeps_four_byte_char)
{
	EXPECT_TITLE("hi \xf0\x9f\x98\x80", "hi \xf0\x9f\x98\x80");
}
END_TEST

/* The first and last code point of every well-formed row of RFC 3629's table. */
START_TEST(test_decor_title_keeps_range_boundaries)
{
	static const char *const ok[] = {
	    "\xc2\xa0",		"\xdf\xbf",	    "\xe0\xa0\x80",	"\xe0\xbf\xbf",
	    "\xe1\x80\x80",	"\xec\xbf\xbf",	    "\xed\x80\x80",	"\xed\x9f\xbf",
	    "\xee\x80\x80",	"\xef\xbf\xbf",	    "\xf0\x90\x80\x80", "\xf0\xbf\xbf\xbf",
	    "\xf1\x80\x80\x80", "\xf3\xbf\xbf\xbf", "\xf4\x80\x80\x80", "\xf4\x8f\xbf\xbf",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		expect_title(ok[i], strlen(ok[i]), ok[i]);
}
END_TEST

START_TEST(test_decor_title_replaces_stray_continuation)
{
	EXPECT_TITLE("a\x80"
		     "b",
		     "a" FFFD "b");
	EXPECT_TITLE("\xbf\xbf", FFFD FFFD);
}
END_TEST

START_TEST(test_decor_title_replaces_invalid_lead_byte)
{
	static const char *const bad[] = {"\xc0", "\xc1", "\xf5", "\xf8", "\xfc", "\xfe", "\xff"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_title(bad[i], 1, FFFD);
}
END_TEST

START_TEST(test_decor_title_replaces_overlong_two_byte)
{
	EXPECT_TITLE("\xc0\x80", FFFD FFFD);
	EXPECT_TITLE("\xc1\xbf", FFFD FFFD);
}
END_TEST

START_TEST(test_decor_title_replaces_overlong_three_byte)
{
	EXPECT_TITLE("\xe0\x80\x80", FFFD FFFD FFFD);
	EXPECT_TITLE("\xe0\x9f\xbf", FFFD FFFD FFFD);
}
END_TEST

START_TEST(test_decor_title_replaces_overlong_four_byte)
{
	EXPECT_TITLE("\xf0\x80\x80\x80", FFFD FFFD FFFD FFFD);
	EXPECT_TITLE("\xf0\x8f\xbf\xbf", FFFD FFFD FFFD FFFD);
}
END_TEST

START_TEST(test_decor_title_replaces_surrogates)
{
	EXPECT_TITLE("\xed\xa0\x80", FFFD FFFD FFFD);
	EXPECT_TITLE("\xed\xbf\xbf", FFFD FFFD FFFD);
}
END_TEST

START_TEST(test_decor_title_replaces_code_point_above_max)
{
	EXPECT_TITLE("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD);
	EXPECT_TITLE("\xf7\xbf\xbf\xbf", FFFD FFFD FFFD FFFD);
}
END_TEST

/* One U+FFFD for the whole truncated sequence (its maximal subpart). */
START_TEST(test_decor_title_replaces_truncated_sequence_at_end)
{
	EXPECT_TITLE("a\xe2\x82", "a" FFFD);
	EXPECT_TITLE("\xf0\x9f\x98", FFFD);
	EXPECT_TITLE("a\xc3", "a" FFFD);
}
END_TEST

/* The byte that breaks a sequence is decoded afresh, so nothing valid after it is lost. */
START_TEST(test_decor_title_replaces_interrupted_sequence)
{
	EXPECT_TITLE("\xe2\x82"
		     "b",
		     FFFD "b");
	EXPECT_TITLE("\xe2\xc3\xa9", FFFD "\xc3\xa9");
	EXPECT_TITLE("\xf0\x9f\xe2\x82\xac", FFFD "\xe2\x82\xac");
}
END_TEST

/* U+202E RIGHT-TO-LEFT OVERRIDE would show "exe.txt" as "txt.exe". */
START_TEST(test_decor_title_removes_bidi_override)
{
	EXPECT_TITLE("invoice\xe2\x80\xaetxt.exe", "invoicetxt.exe");
}
END_TEST

static const char *const bidi[] = {
    "\xe2\x80\xaa", /* U+202A LRE */
    "\xe2\x80\xab", /* U+202B RLE */
    "\xe2\x80\xac", /* U+202C PDF */
    "\xe2\x80\xad", /* U+202D LRO */
    "\xe2\x80\xae", /* U+202E RLO */
    "\xe2\x81\xa6", /* U+2066 LRI */
    "\xe2\x81\xa7", /* U+2067 RLI */
    "\xe2\x81\xa8", /* U+2068 FSI */
    "\xe2\x81\xa9", /* U+2069 PDI */
    "\xe2\x80\x8e", /* U+200E LRM */
    "\xe2\x80\x8f", /* U+200F RLM */
    "\xd8\x9c",	    /* U+061C ALM */
};

#define BIDI_LEN ((int)(sizeof(bidi) / sizeof(bidi[0])))

START_TEST(test_decor_title_removes_each_bidi_control)
{
	char in[16];
	snprintf(in, sizeof(in), "a%sb%s", bidi[_i], bidi[_i]);
	expect_title(in, strlen(in), "ab");
}
END_TEST

/* The code points next to the removed ranges stay. */
START_TEST(test_decor_title_keeps_neighbours_of_bidi_controls)
{
	EXPECT_TITLE("\xe2\x80\xa9", "\xe2\x80\xa9"); /* U+2029 */
	EXPECT_TITLE("\xe2\x80\xaf", "\xe2\x80\xaf"); /* U+202F */
	EXPECT_TITLE("\xe2\x81\xa5", "\xe2\x81\xa5"); /* U+2065 */
	EXPECT_TITLE("\xe2\x81\xaa", "\xe2\x81\xaa"); /* U+206A */
	EXPECT_TITLE("\xe2\x80\x8d", "\xe2\x80\x8d"); /* U+200D */
	EXPECT_TITLE("\xe2\x80\x90", "\xe2\x80\x90"); /* U+2010 */
	EXPECT_TITLE("\xd8\x9b", "\xd8\x9b");	      /* U+061B */
	EXPECT_TITLE("\xd8\x9d", "\xd8\x9d");	      /* U+061D */
}
END_TEST

START_TEST(test_decor_title_turns_controls_into_spaces)
{
	EXPECT_TITLE("a\nb", "a b");
	EXPECT_TITLE("a\tb", "a b");
	EXPECT_TITLE("a\x1b[31mb", "a [31mb");
	EXPECT_TITLE("\x01\x1f\x7f", "   ");
	EXPECT_TITLE("a\r\nb", "a  b");
	EXPECT_TITLE("a\xc2\x85"
		     "b",
		     "a b");			/* U+0085 NEL */
	EXPECT_TITLE("\xc2\x80\xc2\x9f", "  "); /* U+0080, U+009F */
}
END_TEST

/* Builds n ASCII bytes followed by tail into in, and the expected first `keep` bytes into want. */
static size_t build(char *in, size_t n, const char *tail, char *want, size_t keep)
{
	memset(in, 'a', n);
	strcpy(in + n, tail);
	memcpy(want, in, keep);
	want[keep] = '\0';
	return n + strlen(tail);
}

/* 126 bytes + a 3-byte character would be 129: the character goes whole, never in part. */
START_TEST(test_decor_title_truncates_at_char_boundary)
{
	char in[300], want[300];

	expect_title(in, build(in, 126, "\xe2\x82\xac", want, 126), want);
	ck_assert_uint_eq(strlen(out), 126);
}
END_TEST

START_TEST(test_decor_title_never_splits_char_at_max)
{
	char in[300], want[300];

	expect_title(in, build(in, 125, "\xf0\x9f\x98\x80", want, 125), want);
	expect_title(in, build(in, 124, "\xe2\x82\xac", want, 127), want);
	expect_title(in, build(in, 125, "\xc3\xa9", want, 127), want);
	expect_title(in, build(in, 126, "\xc3\xa9", want, 126), want);
}
END_TEST

START_TEST(test_decor_title_never_splits_replacement_at_max)
{
	char in[300], want[300];

	expect_title(in, build(in, 125, "\xff", want, 125), want);
	/* A control becomes one byte, so it still fits in the last place. */
	size_t len = build(in, 126, "\n", want, 126);
	expect_title(in, len, strcat(want, " "));
}
END_TEST

START_TEST(test_decor_title_cuts_long_ascii_at_max)
{
	char in[300], want[300];

	expect_title(in, build(in, 250, "", want, DECOR_TITLE_MAX), want);
}
END_TEST

START_TEST(test_decor_title_removed_chars_do_not_count)
{
	char in[600], want[300];
	size_t n = 0;

	for (int i = 0; i < 100; i++, n += 3)
		memcpy(in + n, bidi[4], 3);
	memset(in + n, 'a', 127);
	memset(want, 'a', 127);
	want[127] = '\0';
	expect_title(in, n + 127, want);
}
END_TEST

START_TEST(test_decor_title_respects_small_cap)
{
	char buf[8];

	memset(buf, 'Z', sizeof(buf));
	ck_assert_uint_eq(decor_sanitize_title("abc", 3, buf, 1), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(decor_sanitize_title("\xc3\xa9", 2, buf, 2), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(decor_sanitize_title("\xc3\xa9\xc3\xa9", 4, buf, 4), 2);
	ck_assert_str_eq(buf, "\xc3\xa9");
	ck_assert_uint_eq(decor_sanitize_title("a\xc3\xa9", 3, buf, 3), 1);
	ck_assert_str_eq(buf, "a");
	ck_assert_uint_eq(decor_sanitize_title("a\xc3\xa9", 3, buf, 4), 3);
	ck_assert_str_eq(buf, "a\xc3\xa9");
	ck_assert_uint_eq(decor_sanitize_title("a\xff", 2, buf, 4), 1);
	ck_assert_str_eq(buf, "a");
}
END_TEST

START_TEST(test_decor_title_cap_zero_writes_nothing)
{
	char buf[4] = "ZZZ";
	ck_assert_uint_eq(decor_sanitize_title("abc", 3, buf, 0), 0);
	ck_assert_str_eq(buf, "ZZZ");
}
END_TEST

START_TEST(test_decor_title_stops_at_nul)
{
	EXPECT_TITLE("ab\0cd", "ab");
	EXPECT_TITLE("a\xe2\0\xe2\x82\xac", "a" FFFD);
	EXPECT_TITLE("\0abc", "");
}
END_TEST

START_TEST(test_decor_title_stops_at_in_len)
{
	expect_title("abcdef", 3, "abc");
	expect_title("\xe2\x82\xac", 2, FFFD);
	expect_title("abc", 0, "");
	expect_title(NULL, 5, "");
}
END_TEST

START_TEST(test_decor_format_title_prefixes_name)
{
	ck_assert_uint_eq(decor_format_title("work", "xterm", 5, out, sizeof(out)), 12);
	ck_assert_str_eq(out, "[work] xterm");
	ck_assert_uint_eq(decor_format_title("work", "", 0, out, sizeof(out)), 7);
	ck_assert_str_eq(out, "[work] ");
	ck_assert_uint_eq(decor_format_title("work", NULL, 0, out, sizeof(out)), 7);
	ck_assert_str_eq(out, "[work] ");
}
END_TEST

/* The guest cannot remove the prefix: whatever it sends comes after "[NAME] ". */
START_TEST(test_decor_format_title_keeps_real_prefix_before_forged_one)
{
	static const char *const forged[] = {
	    "[dom0] xterm",
	    "\n[dom0] xterm",
	    "\r[dom0] xterm",
	    "\xe2\x80\xae]0mod[ xterm",
	    "\xe2\x81\xa7[dom0] xterm\xe2\x81\xa9",
	    "\x08\x08\x08\x08\x08\x08\x08[dom0] xterm",
	};
	for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
		size_t n =
		    decor_format_title("work", forged[i], strlen(forged[i]), out, sizeof(out));
		ck_assert_uint_eq(n, strlen(out));
		ck_assert_msg(strncmp(out, "[work] ", 7) == 0, "got \"%s\"", out);
	}
	decor_format_title("work", forged[0], strlen(forged[0]), out, sizeof(out));
	ck_assert_str_eq(out, "[work] [dom0] xterm");
	decor_format_title("work", forged[1], strlen(forged[1]), out, sizeof(out));
	ck_assert_str_eq(out, "[work]  [dom0] xterm");
	decor_format_title("work", forged[4], strlen(forged[4]), out, sizeof(out));
	ck_assert_str_eq(out, "[work] [dom0] xterm");
}
END_TEST

START_TEST(test_decor_format_title_fits_longest_name_and_title)
{
	static const char name[] = "abcdefghijklmnopqrstuvwxyz012345"; /* DECOR_NAME_MAX */
	char title[300], buf[DECOR_FULL_TITLE_SIZE];

	memset(title, 'x', sizeof(title));
	ck_assert_uint_eq(decor_format_title(name, title, sizeof(title), buf, sizeof(buf)),
			  DECOR_FULL_TITLE_SIZE - 1);
	ck_assert_uint_eq(strlen(buf), DECOR_FULL_TITLE_SIZE - 1);
	ck_assert_int_eq(buf[DECOR_FULL_TITLE_SIZE - 2], 'x');
}
END_TEST

START_TEST(test_decor_format_title_truncates_in_small_cap)
{
	char buf[16];

	memset(buf, 'Z', sizeof(buf));
	ck_assert_uint_eq(decor_format_title("work", "xterm", 5, buf, 1), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(decor_format_title("work", "xterm", 5, buf, 4), 3);
	ck_assert_str_eq(buf, "[wo");
	ck_assert_uint_eq(decor_format_title("work", "xterm", 5, buf, 7), 6);
	ck_assert_str_eq(buf, "[work]");
	ck_assert_uint_eq(decor_format_title("work", "xterm", 5, buf, 8), 7);
	ck_assert_str_eq(buf, "[work] ");
	ck_assert_uint_eq(decor_format_title("work", "x\xc3\xa9", 3, buf, 10), 8);
	ck_assert_str_eq(buf, "[work] x");
	ck_assert_uint_eq(decor_format_title("work", "x\xc3\xa9", 3, buf, 11), 10);
	ck_assert_str_eq(buf, "[work] x\xc3\xa9");
}
END_TEST

START_TEST(test_decor_format_title_cap_zero_writes_nothing)
{
	char buf[4] = "ZZZ";
	ck_assert_uint_eq(decor_format_title("work", "xterm", 5, buf, 0), 0);
	ck_assert_str_eq(buf, "ZZZ");
}
END_TEST

Suite *suite_decor_titles(void)
{
	Suite *s = suite_create("titles");
	TCase *tc = tcase_create("utf8");
	tcase_add_test(tc, test_decor_title_keeps_plain_ascii);
	tcase_add_test(tc, test_decor_title_keeps_two_byte_char);
	tcase_add_test(tc, test_decor_title_keeps_three_byte_char);
	tcase_add_test(tc, test_decor_title_keeps_four_byte_char);
	tcase_add_test(tc, test_decor_title_keeps_range_boundaries);
	tcase_add_test(tc, test_decor_title_replaces_stray_continuation);
	tcase_add_test(tc, test_decor_title_replaces_invalid_lead_byte);
	tcase_add_test(tc, test_decor_title_replaces_overlong_two_byte);
	tcase_add_test(tc, test_decor_title_replaces_overlong_three_byte);
	tcase_add_test(tc, test_decor_title_replaces_overlong_four_byte);
	tcase_add_test(tc, test_decor_title_replaces_surrogates);
	tcase_add_test(tc, test_decor_title_replaces_code_point_above_max);
	tcase_add_test(tc, test_decor_title_replaces_truncated_sequence_at_end);
	tcase_add_test(tc, test_decor_title_replaces_interrupted_sequence);
	suite_add_tcase(s, tc);

	tc = tcase_create("filter");
	tcase_add_test(tc, test_decor_title_removes_bidi_override);
	tcase_add_loop_test(tc, test_decor_title_removes_each_bidi_control, 0, BIDI_LEN);
	tcase_add_test(tc, test_decor_title_keeps_neighbours_of_bidi_controls);
	tcase_add_test(tc, test_decor_title_turns_controls_into_spaces);
	suite_add_tcase(s, tc);

	tc = tcase_create("bounds");
	tcase_add_test(tc, test_decor_title_truncates_at_char_boundary);
	tcase_add_test(tc, test_decor_title_never_splits_char_at_max);
	tcase_add_test(tc, test_decor_title_never_splits_replacement_at_max);
	tcase_add_test(tc, test_decor_title_cuts_long_ascii_at_max);
	tcase_add_test(tc, test_decor_title_removed_chars_do_not_count);
	tcase_add_test(tc, test_decor_title_respects_small_cap);
	tcase_add_test(tc, test_decor_title_cap_zero_writes_nothing);
	tcase_add_test(tc, test_decor_title_stops_at_nul);
	tcase_add_test(tc, test_decor_title_stops_at_in_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, test_decor_format_title_prefixes_name);
	tcase_add_test(tc, test_decor_format_title_keeps_real_prefix_before_forged_one);
	tcase_add_test(tc, test_decor_format_title_fits_longest_name_and_title);
	tcase_add_test(tc, test_decor_format_title_truncates_in_small_cap);
	tcase_add_test(tc, test_decor_format_title_cap_zero_writes_nothing);
	suite_add_tcase(s, tc);
	return s;
}

/* ---- classes --------------------------------------------------------------------------------- */

START_TEST(test_decor_class_prefixes_name)
{
	EXPECT_CLASS("Firefox", "work:Firefox");
	EXPECT_CLASS("", "work:");
	expect_class(NULL, 3, "work:");
}
END_TEST

START_TEST(test_decor_class_keeps_forged_prefix_behind_name)
{
	EXPECT_CLASS("dom0:xterm", "work:dom0:xterm");
}
END_TEST

START_TEST(test_decor_class_keeps_printable_ascii)
{
	char in[64];
	for (int i = 0; i < 63; i++)
		in[i] = (char)(0x20 + i);
	in[63] = '\0';
	char want[80] = "work:";
	strcat(want, in);
	expect_class(in, 63, want);
	EXPECT_CLASS("~}|{", "work:~}|{");
}
END_TEST

START_TEST(test_decor_class_replaces_non_ascii)
{
	EXPECT_CLASS("caf\xc3\xa9", "work:caf__");
	EXPECT_CLASS("\xe2\x80\xae"
		     "x",
		     "work:___x");
	EXPECT_CLASS("\xff\x80", "work:__");
}
END_TEST

START_TEST(test_decor_class_replaces_controls)
{
	EXPECT_CLASS("a\tb\x7f"
		     "c\x1b\n",
		     "work:a_b_c__");
	EXPECT_CLASS("\x01\x1f", "work:__");
}
END_TEST

START_TEST(test_decor_class_bounds_length)
{
	char in[100], want[80] = "work:";
	memset(in, 'x', sizeof(in));
	memset(want + 5, 'x', 63);
	want[68] = '\0';
	expect_class(in, sizeof(in), want);
	ck_assert_uint_eq(strlen(out), 68);
}
END_TEST

START_TEST(test_decor_class_stops_at_nul)
{
	EXPECT_CLASS("xterm\0evil", "work:xterm");
	expect_class("xterm", 2, "work:xt");
}
END_TEST

START_TEST(test_decor_class_fits_longest_name_and_class)
{
	static const char name[] = "abcdefghijklmnopqrstuvwxyz012345"; /* DECOR_NAME_MAX */
	char in[100], buf[DECOR_FULL_CLASS_SIZE];

	memset(in, 'x', sizeof(in));
	ck_assert_uint_eq(decor_format_class(name, in, sizeof(in), buf, sizeof(buf)),
			  DECOR_FULL_CLASS_SIZE - 1);
	ck_assert_uint_eq(strlen(buf), DECOR_FULL_CLASS_SIZE - 1);
}
END_TEST

START_TEST(test_decor_class_truncates_in_small_cap)
{
	char buf[16];

	memset(buf, 'Z', sizeof(buf));
	ck_assert_uint_eq(decor_format_class("work", "xterm", 5, buf, 1), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(decor_format_class("work", "xterm", 5, buf, 3), 2);
	ck_assert_str_eq(buf, "wo");
	ck_assert_uint_eq(decor_format_class("work", "xterm", 5, buf, 5), 4);
	ck_assert_str_eq(buf, "work");
	ck_assert_uint_eq(decor_format_class("work", "xterm", 5, buf, 6), 5);
	ck_assert_str_eq(buf, "work:");
	ck_assert_uint_eq(decor_format_class("work", "xterm", 5, buf, 8), 7);
	ck_assert_str_eq(buf, "work:xt");
}
END_TEST

START_TEST(test_decor_class_cap_zero_writes_nothing)
{
	char buf[4] = "ZZZ";
	ck_assert_uint_eq(decor_format_class("work", "xterm", 5, buf, 0), 0);
	ck_assert_str_eq(buf, "ZZZ");
}
END_TEST

Suite *suite_decor_classes(void)
{
	Suite *s = suite_create("classes");
	TCase *tc = tcase_create("format");
	tcase_add_test(tc, test_decor_class_prefixes_name);
	tcase_add_test(tc, test_decor_class_keeps_forged_prefix_behind_name);
	tcase_add_test(tc, test_decor_class_keeps_printable_ascii);
	tcase_add_test(tc, test_decor_class_replaces_non_ascii);
	tcase_add_test(tc, test_decor_class_replaces_controls);
	tcase_add_test(tc, test_decor_class_bounds_length);
	tcase_add_test(tc, test_decor_class_stops_at_nul);
	tcase_add_test(tc, test_decor_class_fits_longest_name_and_class);
	tcase_add_test(tc, test_decor_class_truncates_in_small_cap);
	tcase_add_test(tc, test_decor_class_cap_zero_writes_nothing);
	suite_add_tcase(s, tc);
	return s;
}

/* ---- tint ------------------------------------------------------------------------------------ */

START_TEST(test_decor_tint_gray_with_red_has_red_hue)
{
	uint32_t t = decor_tint_pixel(0xff808080, 0xcc0000);
	unsigned r = t >> 16 & 0xff, g = t >> 8 & 0xff, b = t & 0xff;
	ck_assert_uint_gt(r, g);
	ck_assert_uint_eq(g, b);
}
END_TEST

START_TEST(test_decor_tint_preserves_alpha)
{
	static const uint32_t alphas[] = {0x00000000, 0x01000000, 0x80000000, 0xff000000};
	for (size_t i = 0; i < sizeof(alphas) / sizeof(alphas[0]); i++) {
		uint32_t t = decor_tint_pixel(alphas[i] | 0x336699, 0x3465a4);
		ck_assert_uint_eq(t & 0xff000000u, alphas[i]);
	}
}
END_TEST

START_TEST(test_decor_tint_keeps_white_and_black)
{
	for (int i = 0; i < PALETTE_LEN; i++) {
		ck_assert_uint_eq(decor_tint_pixel(0xffffffff, palette[i].rgb), 0xffffffff);
		ck_assert_uint_eq(decor_tint_pixel(0xff000000, palette[i].rgb), 0xff000000);
	}
}
END_TEST

START_TEST(test_decor_tint_maps_label_color_to_itself)
{
	for (int i = 0; i < PALETTE_LEN; i++)
		ck_assert_uint_eq(decor_tint_pixel(0xff000000 | palette[i].rgb, palette[i].rgb),
				  0xff000000 | palette[i].rgb);
}
END_TEST

/*
 * Worked by hand with the formula in decor.c: sum = max + min, w = 255 - |sum - 255|,
 * out_c = round((sum_p + w_p * (2 * c_label - sum_label) / w_label) / 2); the same values come out
 * of Python's colorsys.hls_to_rgb(h_label, l_pixel, s_label) * 255, rounded.
 *
 * 0xff808080 with red 0xcc0000: sum_p = 256, w_p = 254; sum_l = 204, w_l = 204.
 *   r = (256 + 254 * 204 / 204) / 2 = 255;  g = b = (256 + 254 * -204 / 204) / 2 = 1.
 * 0xff404040 with blue 0x3465a4: sum_p = 128 = w_p; sum_l = 216 = w_l.
 *   r = (128 + 128 * -112 / 216) / 2 = 30.81 -> 31 (0x1f); g = (128 + 128 * -14 / 216) / 2 = 59.85
 *   -> 60 (0x3c); b = (128 + 128 * 112 / 216) / 2 = 97.19 -> 97 (0x61).
 * 0xffc0c0c0 with green 0x73d216: sum_p = 384, w_p = 126; sum_l = 232 = w_l.
 *   r = (384 + 126 * -2 / 232) / 2 = 191.46 -> 191 (0xbf); g = (384 + 126 * 188 / 232) / 2 =
 *   243.05 -> 243 (0xf3); b = (384 + 126 * -188 / 232) / 2 = 140.95 -> 141 (0x8d).
 */
START_TEST(test_decor_tint_fixed_values)
{
	ck_assert_uint_eq(decor_tint_pixel(0xff808080, 0xcc0000), 0xffff0101);
	ck_assert_uint_eq(decor_tint_pixel(0x80808080, 0xcc0000), 0x80ff0101);
	ck_assert_uint_eq(decor_tint_pixel(0xff404040, 0x3465a4), 0xff1f3c61);
	ck_assert_uint_eq(decor_tint_pixel(0xffc0c0c0, 0x73d216), 0xffbff38d);
}
END_TEST

/* Black has no saturation: the pixel keeps only its lightness, (164 + 52) / 2 = 108 = 0x6c. */
START_TEST(test_decor_tint_with_black_gives_gray)
{
	ck_assert_uint_eq(decor_tint_pixel(0xff3465a4, 0x000000), 0xff6c6c6c);
	ck_assert_uint_eq(decor_tint_pixel(0xff3465a4, 0xffffff), 0xff6c6c6c);
	ck_assert_uint_eq(decor_tint_pixel(0xff3465a4, 0x808080), 0xff6c6c6c);
}
END_TEST

Suite *suite_decor_tint(void)
{
	Suite *s = suite_create("tint");
	TCase *tc = tcase_create("pixel");
	tcase_add_test(tc, test_decor_tint_gray_with_red_has_red_hue);
	tcase_add_test(tc, test_decor_tint_preserves_alpha);
	tcase_add_test(tc, test_decor_tint_keeps_white_and_black);
	tcase_add_test(tc, test_decor_tint_maps_label_color_to_itself);
	tcase_add_test(tc, test_decor_tint_fixed_values);
	tcase_add_test(tc, test_decor_tint_with_black_gives_gray);
	suite_add_tcase(s, tc);
	return s;
}

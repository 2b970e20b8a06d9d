/* Tests of window-decor's title sanitizing and "[NAME] title" formatting. */
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

/* The first and last code point of every well-formed row of RFC 3629's table (the first of the
 * two-byte row that shows: U+0080-U+009F are controls and U+00A0 a blank). */
START_TEST(test_decor_title_keeps_range_boundaries)
{
	static const char *const ok[] = {
	    "\xc2\xa1",		"\xdf\xbf",	    "\xe0\xa0\x80",	"\xe0\xbf\xbf",
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

/* The code points next to the removed, blank and bracket ranges stay. */
START_TEST(test_decor_title_keeps_neighbours_of_filtered_ranges)
{
	static const char *const kept[] = {
	    "\xe2\x80\x90",	/* U+2010 */
	    "\xe2\x80\xa7",	/* U+2027 */
	    "\xe2\x81\xb0",	/* U+2070 */
	    "\xe2\x81\x9e",	/* U+205E */
	    "\xd8\x9b",		/* U+061B */
	    "\xd8\x9d",		/* U+061D */
	    "\xc2\xac",		/* U+00AC */
	    "\xc2\xae",		/* U+00AE */
	    "\xe3\x80\x81",	/* U+3001 */
	    "\xe3\x80\x92",	/* U+3012 */
	    "\xef\xbc\xbc",	/* U+FF3C */
	    "\xef\xbf\xbc",	/* U+FFFC */
	    "\xe2\xa0\x81",	/* U+2801 */
	    "\xf3\x9f\xbf\xbf", /* U+DFFFF, below the tags */
	};
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		expect_title(kept[i], strlen(kept[i]), kept[i]);
}
END_TEST

START_TEST(test_decor_title_turns_controls_into_spaces)
{
	EXPECT_TITLE("a\nb", "a b");
	EXPECT_TITLE("a\tb", "a b");
	EXPECT_TITLE("a\x1b[31mb", "a [31mb");
	EXPECT_TITLE("a\x01\x1f\x7f"
		     "b",
		     "a b");
	EXPECT_TITLE("a\r\nb", "a b");
	EXPECT_TITLE("a\xc2\x85"
		     "b",
		     "a b"); /* U+0085 NEL */
	EXPECT_TITLE("a\xc2\x80\xc2\x9f"
		     "b",
		     "a b"); /* U+0080, U+009F */
}
END_TEST

/* The blanks a guest could pad a title with, each. */
static const char *const blanks[] = {
    " ",
    "\t",
    "\xc2\xa0",	    /* U+00A0 no-break space */
    "\xe1\x9a\x80", /* U+1680 */
    "\xe2\x80\x80", /* U+2000 */
    "\xe2\x80\x85", /* U+2005 */
    "\xe2\x80\x8a", /* U+200A */
    "\xe2\x80\xa8", /* U+2028 line separator */
    "\xe2\x80\xa9", /* U+2029 paragraph separator */
    "\xe2\x80\xaf", /* U+202F narrow no-break space */
    "\xe2\x81\x9f", /* U+205F */
    "\xe3\x80\x80", /* U+3000 ideographic space */
    "\xe2\xa0\x80", /* U+2800 braille blank */
};

#define BLANKS_LEN ((int)(sizeof(blanks) / sizeof(blanks[0])))

START_TEST(test_decor_title_collapses_each_blank)
{
	char in[64];
	snprintf(in, sizeof(in), "%sa%s%s%sb%s", blanks[_i], blanks[_i], blanks[_i], blanks[_i],
		 blanks[_i]);
	expect_title(in, strlen(in), "a b");
}
END_TEST

/* Sixty no-break spaces pushed "[good]" to where a window manager's middle ellipsis showed it
 * next to the host's "[evil]". */
START_TEST(test_decor_title_collapses_sixty_no_break_spaces)
{
	char in[200] = "x";
	for (int i = 0; i < 60; i++)
		strcat(in, "\xc2\xa0");
	strcat(in, "[good] Unlock vault");
	decor_format_title("evil", in, strlen(in), out, sizeof(out));
	ck_assert_str_eq(out, "[evil] x [good] Unlock vault");
	/* A mixed run, zero-width characters inside it, is one space too. */
	EXPECT_TITLE("a \xe2\x80\x8b\t\xe3\x80\x80\xef\xbb\xbf\xc2\xa0"
		     "b",
		     "a b");
}
END_TEST

START_TEST(test_decor_title_keeps_no_blank_at_either_end)
{
	EXPECT_TITLE("\xc2\xa0\t  a b \xe2\x80\xa8", "a b");
	EXPECT_TITLE("\xe2\x80\x8b \xe2\x80\x8b", "");
	EXPECT_TITLE("\n\n\n", "");
}
END_TEST

/* Zero-width and other invisible code points, each. */
static const char *const invisible[] = {
    "\xe2\x80\x8b",	/* U+200B zero-width space */
    "\xe2\x80\x8c",	/* U+200C zero-width non-joiner */
    "\xe2\x80\x8d",	/* U+200D zero-width joiner */
    "\xe2\x81\xa0",	/* U+2060 word joiner */
    "\xe2\x81\xa4",	/* U+2064 invisible plus */
    "\xe2\x81\xaf",	/* U+206F */
    "\xef\xbb\xbf",	/* U+FEFF byte order mark */
    "\xc2\xad",		/* U+00AD soft hyphen */
    "\xcd\x8f",		/* U+034F combining grapheme joiner */
    "\xe1\xa0\x8e",	/* U+180E Mongolian vowel separator */
    "\xe3\x85\xa4",	/* U+3164 Hangul filler */
    "\xef\xbe\xa0",	/* U+FFA0 halfwidth Hangul filler */
    "\xef\xb8\x8f",	/* U+FE0F variation selector 16 */
    "\xef\xbf\xb9",	/* U+FFF9 interlinear annotation anchor */
    "\xf3\xa0\x81\x81", /* U+E0041 tag latin capital A */
    "\xf0\x9b\xb2\xa0", /* U+1BCA0 shorthand format letter overlap */
};

#define INVISIBLE_LEN ((int)(sizeof(invisible) / sizeof(invisible[0])))

START_TEST(test_decor_title_removes_each_invisible)
{
	char in[32];
	snprintf(in, sizeof(in), "%sa%sb%s", invisible[_i], invisible[_i], invisible[_i]);
	expect_title(in, strlen(in), "ab");
}
END_TEST

/* Brackets that draw like '[' and ']', and what they become. */
static const char *const brackets[][2] = {
    {"\xef\xbc\xbb", "("}, /* U+FF3B fullwidth [ */
    {"\xef\xbc\xbd", ")"}, /* U+FF3D fullwidth ] */
    {"\xe2\x9f\xa6", "("}, /* U+27E6 white [ */
    {"\xe2\x9f\xa7", ")"}, /* U+27E7 */
    {"\xe3\x80\x9a", "("}, /* U+301A */
    {"\xe3\x80\x9b", ")"}, /* U+301B */
    {"\xe3\x80\x90", "("}, /* U+3010 black lenticular */
    {"\xe3\x80\x91", ")"}, /* U+3011 */
    {"\xe3\x80\x94", "("}, /* U+3014 tortoise shell */
    {"\xe3\x80\x95", ")"}, /* U+3015 */
    {"\xe3\x80\x8c", "("}, /* U+300C corner */
    {"\xe3\x80\x8d", ")"}, /* U+300D */
    {"\xe2\x81\x85", "("}, /* U+2045 with quill */
    {"\xe2\x81\x86", ")"}, /* U+2046 */
    {"\xe2\x8c\x88", "("}, /* U+2308 left ceiling */
    {"\xe2\x8c\x8b", ")"}, /* U+230B right floor */
    {"\xe2\x8e\xa1", "("}, /* U+23A1 left bracket upper corner */
    {"\xe2\x8e\xa6", ")"}, /* U+23A6 right bracket lower corner */
    {"\xe2\xa6\x8b", "("}, /* U+298B with underbar */
    {"\xe2\xa6\x90", ")"}, /* U+2990 with tick */
    {"\xef\xb9\x9d", "("}, /* U+FE5D small tortoise shell */
    {"\xef\xb9\x9e", ")"}, /* U+FE5E */
    {"\xef\xbd\xa2", "("}, /* U+FF62 halfwidth corner */
    {"\xef\xbd\xa3", ")"}, /* U+FF63 */
    {"\xe2\xb9\x95", "("}, /* U+2E55 with stroke */
    {"\xe2\xb9\x98", ")"}, /* U+2E58 with double stroke */
};

#define BRACKETS_LEN ((int)(sizeof(brackets) / sizeof(brackets[0])))

START_TEST(test_decor_title_maps_each_look_alike_bracket)
{
	char in[32], want[8];
	snprintf(in, sizeof(in), "a%sb", brackets[_i][0]);
	snprintf(want, sizeof(want), "a%sb", brackets[_i][1]);
	expect_title(in, strlen(in), want);
}
END_TEST

START_TEST(test_decor_title_forged_prefix_in_fullwidth_brackets)
{
	static const char in[] = "\xef\xbc\xbbgood\xef\xbc\xbd Unlock vault";
	decor_format_title("evil", in, sizeof(in) - 1, out, sizeof(out));
	ck_assert_str_eq(out, "[evil] (good) Unlock vault");
	EXPECT_TITLE("\xe2\x9f\xa6good\xe2\x9f\xa7 \xe3\x80\x9agood\xe3\x80\x9b "
		     "\xe3\x80\x90good\xe3\x80\x91",
		     "(good) (good) (good)");
	/* ASCII brackets are the guest's own, as in Qubes: they come after the host's prefix. */
	EXPECT_TITLE("[No Name] - VIM", "[No Name] - VIM");
}
END_TEST

/* What comes out goes through unchanged: a title re-sent by a guest stays what the host shows. */
START_TEST(test_decor_title_sanitizing_twice_changes_nothing)
{
	static const char in[] = " \xe2\x80\xae\xef\xbc\xbbx\xef\xbc\xbd\xc2\xa0\xc2\xa0"
				 "\xe2\x80\x8by\n\xff\xe3\x80\x80z\xe2\x80\xa8";
	char once[DECOR_TITLE_MAX + 1], twice[DECOR_TITLE_MAX + 1];
	size_t n = decor_sanitize_title(in, sizeof(in) - 1, once, sizeof(once));
	ck_assert_str_eq(once, "(x) y " FFFD " z");
	ck_assert_uint_eq(decor_sanitize_title(once, n, twice, sizeof(twice)), n);
	ck_assert_str_eq(twice, once);
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
	/* A control becomes one byte, so it still fits with a character after it; a blank goes
	 * only with the character after it, so a title cut there ends without it. */
	size_t len = build(in, 125, "\nb", want, 125);
	expect_title(in, len, strcat(want, " b"));
	expect_title(in, build(in, 126, " \xc3\xa9", want, 126), want);
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
	ck_assert_str_eq(out, "[work] [dom0] xterm");
	decor_format_title("work", forged[4], strlen(forged[4]), out, sizeof(out));
	ck_assert_str_eq(out, "[work] [dom0] xterm");
}
END_TEST

START_TEST(test_decor_format_title_fits_longest_name_and_title)
{
	static const char name[] = "abcdefghijklmnopqrstuvwxyz012345"; /* DOMAIN_NAME_MAX */
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
	tcase_add_test(tc, test_decor_title_keeps_neighbours_of_filtered_ranges);
	tcase_add_test(tc, test_decor_title_turns_controls_into_spaces);
	tcase_add_loop_test(tc, test_decor_title_collapses_each_blank, 0, BLANKS_LEN);
	tcase_add_test(tc, test_decor_title_collapses_sixty_no_break_spaces);
	tcase_add_test(tc, test_decor_title_keeps_no_blank_at_either_end);
	tcase_add_loop_test(tc, test_decor_title_removes_each_invisible, 0, INVISIBLE_LEN);
	tcase_add_loop_test(tc, test_decor_title_maps_each_look_alike_bracket, 0, BRACKETS_LEN);
	tcase_add_test(tc, test_decor_title_forged_prefix_in_fullwidth_brackets);
	tcase_add_test(tc, test_decor_title_sanitizing_twice_changes_nothing);
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

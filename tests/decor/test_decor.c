/* Tests of window-decor's pure part: classes and icon tint (titles are in test_titles.c). */
#include <stdio.h>
#include <string.h>

#include "suites.h"
#include "window-decor/decor.h"

static char out[512];

static void expect_class(const char *in, size_t len, const char *want)
{
	memset(out, 'Z', sizeof(out));
	size_t n = decor_format_class("work", in, len, out, sizeof(out));
	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(n, strlen(want));
}

#define EXPECT_CLASS(lit, want) expect_class(lit, sizeof(lit) - 1, want)

/* The palette's colors, which icons are tinted with (common/domain.c owns the palette). */
static const uint32_t palette_rgb[] = {0xcc0000, 0xf57900, 0xedd400, 0x73d216,
				       0x555753, 0x3465a4, 0x75507b, 0x000000};

#define PALETTE_LEN ((int)(sizeof(palette_rgb) / sizeof(palette_rgb[0])))

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
	static const char name[] = "abcdefghijklmnopqrstuvwxyz012345"; /* DOMAIN_NAME_MAX */
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
		ck_assert_uint_eq(decor_tint_pixel(0xffffffff, palette_rgb[i]), 0xffffffff);
		ck_assert_uint_eq(decor_tint_pixel(0xff000000, palette_rgb[i]), 0xff000000);
	}
}
END_TEST

START_TEST(test_decor_tint_maps_label_color_to_itself)
{
	for (int i = 0; i < PALETTE_LEN; i++)
		ck_assert_uint_eq(decor_tint_pixel(0xff000000 | palette_rgb[i], palette_rgb[i]),
				  0xff000000 | palette_rgb[i]);
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

/* Rows of pixels are tinted one by one as decor_tint_pixel() tints them, in place too. */
START_TEST(test_decor_tint_pixels_match_the_pixel_function)
{
	uint32_t in[64], tinted[64];
	for (uint32_t i = 0; i < 64; i++)
		in[i] = (i * 0x04000000u) | (i * 0x0b1d37u & 0xffffffu);
	decor_tint_pixels(in, tinted, 64, 0x3465a4);
	for (uint32_t i = 0; i < 64; i++)
		ck_assert_uint_eq(tinted[i], decor_tint_pixel(in[i], 0x3465a4));
	decor_tint_pixels(in, in, 64, 0x3465a4);
	ck_assert_mem_eq(in, tinted, sizeof(in));
	decor_tint_pixels(in, tinted, 0, 0xcc0000); /* nothing to do */
	ck_assert_mem_eq(in, tinted, sizeof(in));
}
END_TEST

START_TEST(test_decor_plain_icon_is_the_label_with_a_darker_border)
{
	uint32_t icon[DECOR_PLAIN_ICON_WORDS];
	decor_plain_icon(icon, 0xcc0000);
	ck_assert_uint_eq(icon[0], 32);
	ck_assert_uint_eq(icon[1], 32);
	ck_assert_uint_eq(icon[2], 0xff7f0000); /* corner: 0xcc * 5 / 8 = 0x7f */
	ck_assert_uint_eq(icon[2 + 32 + 1], 0xffcc0000);
	ck_assert_uint_eq(icon[2 + 16 * 32 + 16], 0xffcc0000);
	ck_assert_uint_eq(icon[2 + 32 * 32 - 1], 0xff7f0000);
	const uint32_t *small = icon + 2 + 32 * 32;
	ck_assert_uint_eq(small[0], 16);
	ck_assert_uint_eq(small[1], 16);
	ck_assert_uint_eq(small[2 + 5 * 16], 0xff7f0000); /* left edge */
	ck_assert_uint_eq(small[2 + 5 * 16 + 5], 0xffcc0000);
	/* Tinting the plain icon with its own label changes nothing: it is the label's look. */
	uint32_t tinted[DECOR_PLAIN_ICON_WORDS];
	decor_tint_pixels(icon + 2, tinted, 32 * 32, 0xcc0000);
	ck_assert_mem_eq(tinted, icon + 2, 32 * 32 * 4);
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
	tcase_add_test(tc, test_decor_tint_pixels_match_the_pixel_function);
	tcase_add_test(tc, test_decor_plain_icon_is_the_label_with_a_darker_border);
	suite_add_tcase(s, tc);
	return s;
}

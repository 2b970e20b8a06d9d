/* Window icons from the guest: _NET_WM_ICON's images chosen for SEAM_ICON (the sizes task bars and
 * alt-tab show first, nothing past the protocol's bounds, nothing read past a broken image). The
 * messages a daemon receives are in test_announce.c. */
#include <stdlib.h>
#include <string.h>

#include "gui-agent/props.h"
#include "suites.h"

static uint32_t pixels[PROTO_ICON_MAX_PIXELS];

/* A _NET_WM_ICON of these sizes (w, h pairs), each image's pixels its index in the top byte and
 * its position below. Returns the words written to prop. */
static size_t make_prop(uint32_t *prop, const uint32_t (*sizes)[2], unsigned n)
{
	size_t o = 0;
	for (unsigned i = 0; i < n; i++) {
		prop[o++] = sizes[i][0];
		prop[o++] = sizes[i][1];
		for (uint32_t p = 0; p < sizes[i][0] * sizes[i][1]; p++)
			prop[o++] = (i << 24) | p;
	}
	return o;
}

static uint32_t *big_prop(void)
{
	uint32_t *p = malloc(PROPS_ICON_READ_LONGS * 4u);
	ck_assert_ptr_nonnull(p);
	return p;
}

START_TEST(test_icon_task_bar_sizes_come_first_largest_first)
{
	static const uint32_t sizes[][2] = {{16, 16}, {256, 256}, {48, 48},  {128, 128},
					    {32, 32}, {64, 64},	  {300, 300}};
	uint32_t *prop = big_prop();
	size_t n = make_prop(prop, sizes, 7);
	struct proto_seam_icon icon;
	props_icon_to_wire(prop, n, &icon, pixels);
	/* 128, 64, 48, 32: four images; 256 is past the room left, 300 past the size. */
	ck_assert_uint_eq(icon.count, 4);
	const uint32_t want[] = {128, 64, 48, 32}, index[] = {3, 5, 2, 4};
	size_t at = 0;
	for (unsigned i = 0; i < 4; i++) {
		ck_assert_uint_eq(icon.sizes[i].width, want[i]);
		ck_assert_uint_eq(icon.sizes[i].height, want[i]);
		ck_assert_uint_eq(pixels[at], index[i] << 24);
		ck_assert_uint_eq(pixels[at + want[i] * want[i] - 1],
				  (index[i] << 24) | (want[i] * want[i] - 1));
		at += want[i] * want[i];
	}
	free(prop);
}
END_TEST

START_TEST(test_icon_only_a_large_image_is_taken_when_it_fits)
{
	static const uint32_t sizes[][2] = {{256, 256}, {300, 20}};
	uint32_t *prop = big_prop();
	size_t n = make_prop(prop, sizes, 2);
	struct proto_seam_icon icon;
	props_icon_to_wire(prop, n, &icon, pixels);
	ck_assert_uint_eq(icon.count, 1);
	ck_assert_uint_eq(icon.sizes[0].width, 256);
	ck_assert_uint_eq(pixels[PROTO_ICON_MAX_PIXELS - 1], PROTO_ICON_MAX_PIXELS - 1);
	free(prop);
}
END_TEST

START_TEST(test_icon_broken_properties_stop_the_reading)
{
	uint32_t prop[64];
	struct proto_seam_icon icon;
	/* A 4x4 claims 16 pixels, 10 follow: nothing. */
	prop[0] = 4, prop[1] = 4;
	props_icon_to_wire(prop, 12, &icon, pixels);
	ck_assert_uint_eq(icon.count, 0);
	/* A 2x2, then a 0x5 and a 1x1 after it: only the 2x2. */
	static const uint32_t sizes[][2] = {{2, 2}, {0, 5}};
	size_t n = make_prop(prop, sizes, 2);
	prop[n++] = 1, prop[n++] = 1, prop[n++] = 0xffffffff;
	props_icon_to_wire(prop, n, &icon, pixels);
	ck_assert_uint_eq(icon.count, 1);
	ck_assert_uint_eq(icon.sizes[0].width, 2);
	/* Sizes whose product overflows 32 bits are no shorter for it. */
	prop[0] = 0x10000, prop[1] = 0x10000;
	props_icon_to_wire(prop, 40, &icon, pixels);
	ck_assert_uint_eq(icon.count, 0);
	/* Nothing, or one word. */
	props_icon_to_wire(prop, 0, &icon, pixels);
	ck_assert_uint_eq(icon.count, 0);
	props_icon_to_wire(prop, 1, &icon, pixels);
	ck_assert_uint_eq(icon.count, 0);
}
END_TEST

START_TEST(test_icon_at_most_four_images)
{
	static const uint32_t sizes[][2] = {{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {6, 6}};
	uint32_t prop[256];
	size_t n = make_prop(prop, sizes, 6);
	struct proto_seam_icon icon;
	props_icon_to_wire(prop, n, &icon, pixels);
	ck_assert_uint_eq(icon.count, PROTO_ICON_MAX_IMAGES);
	ck_assert_uint_eq(icon.sizes[0].width, 6);
	ck_assert_uint_eq(icon.sizes[3].width, 3);
}
END_TEST

Suite *suite_icon(void)
{
	Suite *s = suite_create("icon");
	TCase *tc = tcase_create("pure");
	tcase_add_test(tc, test_icon_task_bar_sizes_come_first_largest_first);
	tcase_add_test(tc, test_icon_only_a_large_image_is_taken_when_it_fits);
	tcase_add_test(tc, test_icon_broken_properties_stop_the_reading);
	tcase_add_test(tc, test_icon_at_most_four_images);
	suite_add_tcase(s, tc);
	return s;
}

/* Damage into fetches (damage_coalesce): bands of whole rows, near rectangles sharing one. */
#include "gui-agent/damage.h"
#include "suites.h"

/* A region of n rectangles {x, y, w, h}. */
static void region(pixman_region32_t *r, const int (*rects)[4], unsigned n)
{
	pixman_region32_init(r);
	for (unsigned i = 0; i < n; i++)
		pixman_region32_union_rect(r, r, rects[i][0], rects[i][1], (unsigned)rects[i][2],
					   (unsigned)rects[i][3]);
}

static void assert_band(const struct damage_band *b, uint32_t y, uint32_t rows, int32_t rx,
			uint32_t rw)
{
	ck_assert_uint_eq(b->y, y);
	ck_assert_uint_eq(b->rows, rows);
	ck_assert_int_eq(b->rect.x, rx);
	ck_assert_int_eq(b->rect.y, (int32_t)y);
	ck_assert_uint_eq(b->rect.width, rw);
	ck_assert_uint_eq(b->rect.height, rows);
}

START_TEST(test_coalesce_nothing_damaged_gives_no_band)
{
	pixman_region32_t r;
	pixman_region32_init(&r);
	struct damage_band out[4];
	ck_assert_uint_eq(damage_coalesce(&r, 100, 100, 4, out), 0);
	pixman_region32_fini(&r);
}
END_TEST

START_TEST(test_coalesce_one_rectangle_is_its_rows)
{
	static const int rects[][4] = {{30, 5, 10, 5}};
	pixman_region32_t r;
	region(&r, rects, 1);
	struct damage_band out[4];
	ck_assert_uint_eq(damage_coalesce(&r, 100, 100, 4, out), 1);
	/* Rows 5..9 are fetched whole; the daemon repaints only x 30..39. */
	assert_band(&out[0], 5, 5, 30, 10);
	pixman_region32_fini(&r);
}
END_TEST

START_TEST(test_coalesce_gap_under_band_gap_merges)
{
	/* Rows 0..9 and 20..29: a gap of 10 rows, under DAMAGE_BAND_GAP. */
	static const int rects[][4] = {{10, 0, 5, 10}, {50, 20, 20, 10}};
	pixman_region32_t r;
	region(&r, rects, 2);
	struct damage_band out[4];
	ck_assert_uint_eq(damage_coalesce(&r, 100, 100, 4, out), 1);
	/* One band over both, widened to both rectangles' columns. */
	assert_band(&out[0], 0, 30, 10, 60);
	pixman_region32_fini(&r);
}
END_TEST

START_TEST(test_coalesce_gap_of_exactly_band_gap_merges)
{
	static const int rects[][4] = {{0, 0, 5, 10}, {0, 10 + DAMAGE_BAND_GAP, 5, 1}};
	pixman_region32_t r;
	region(&r, rects, 2);
	struct damage_band out[4];
	ck_assert_uint_eq(damage_coalesce(&r, 100, 100, 4, out), 1);
	assert_band(&out[0], 0, 11 + DAMAGE_BAND_GAP, 0, 5);
	pixman_region32_fini(&r);
}
END_TEST

START_TEST(test_coalesce_far_bands_stay_apart)
{
	/* Rows 0..9 and 100..104: far apart, two fetches. */
	static const int rects[][4] = {{10, 0, 5, 10}, {50, 100, 20, 5}};
	pixman_region32_t r;
	region(&r, rects, 2);
	struct damage_band out[4];
	ck_assert_uint_eq(damage_coalesce(&r, 200, 200, 4, out), 2);
	assert_band(&out[0], 0, 10, 10, 5);
	assert_band(&out[1], 100, 5, 50, 20);
	pixman_region32_fini(&r);
}
END_TEST

START_TEST(test_coalesce_more_bands_than_slots_gives_one_extent)
{
	static const int rects[][4] = {{10, 0, 5, 1}, {20, 100, 5, 1}, {30, 200, 5, 1}};
	pixman_region32_t r;
	region(&r, rects, 3);
	struct damage_band out[4];
	ck_assert_uint_eq(damage_coalesce(&r, 300, 300, 3, out), 3);
	ck_assert_uint_eq(damage_coalesce(&r, 300, 300, 2, out), 1);
	assert_band(&out[0], 0, 201, 10, 25);
	pixman_region32_fini(&r);
}
END_TEST

START_TEST(test_coalesce_clips_to_the_buffer)
{
	/* A window larger than its buffer (past the protocol's bounds), or damage past its edge. */
	static const int rects[][4] = {{-5, -5, 20, 20}, {90, 90, 50, 50}};
	pixman_region32_t r;
	region(&r, rects, 2);
	struct damage_band out[4];
	ck_assert_uint_eq(damage_coalesce(&r, 100, 100, 4, out), 2);
	assert_band(&out[0], 0, 15, 0, 15);
	assert_band(&out[1], 90, 10, 90, 10);
	pixman_region32_fini(&r);
}
END_TEST

START_TEST(test_coalesce_damage_outside_the_buffer_gives_nothing)
{
	static const int rects[][4] = {{200, 200, 5, 5}};
	pixman_region32_t r;
	region(&r, rects, 1);
	struct damage_band out[4];
	ck_assert_uint_eq(damage_coalesce(&r, 100, 100, 4, out), 0);
	pixman_region32_fini(&r);
}
END_TEST

Suite *suite_damage(void)
{
	Suite *s = suite_create("damage");
	TCase *tc = tcase_create("coalesce");
	tcase_add_test(tc, test_coalesce_nothing_damaged_gives_no_band);
	tcase_add_test(tc, test_coalesce_one_rectangle_is_its_rows);
	tcase_add_test(tc, test_coalesce_gap_under_band_gap_merges);
	tcase_add_test(tc, test_coalesce_gap_of_exactly_band_gap_merges);
	tcase_add_test(tc, test_coalesce_far_bands_stay_apart);
	tcase_add_test(tc, test_coalesce_more_bands_than_slots_gives_one_extent);
	tcase_add_test(tc, test_coalesce_clips_to_the_buffer);
	tcase_add_test(tc, test_coalesce_damage_outside_the_buffer_gives_nothing);
	suite_add_tcase(s, tc);
	return s;
}

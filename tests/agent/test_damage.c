/* Damage into fetches (damage_coalesce): bands of whole rows, near rectangles sharing one. */
#include "gui-agent/damage.h"
#include "suites.h"

#define MAX_RECTS 4

/* One case: damaged rectangles {x, y, w, h} of a width x height buffer, max bands, and the bands
 * expected {y, rows, rect x, rect width} (the rect's y and height are the band's rows). */
struct coalesce_case {
	const char *why;
	int rects[MAX_RECTS][4];
	unsigned nrects;
	uint32_t width, height;
	unsigned max;
	int32_t bands[MAX_RECTS][4];
	unsigned nbands;
};

static const struct coalesce_case cases[] = {
    {"nothing damaged gives no band", {{0}}, 0, 100, 100, 4, {{0}}, 0},
    {"one rectangle is fetched as whole rows; the daemon repaints only its columns",
     {{30, 5, 10, 5}},
     1,
     100,
     100,
     4,
     {{5, 5, 30, 10}},
     1},
    {"a gap of 10 rows (under DAMAGE_BAND_GAP) merges, widened to both rectangles' columns",
     {{10, 0, 5, 10}, {50, 20, 20, 10}},
     2,
     100,
     100,
     4,
     {{0, 30, 10, 60}},
     1},
    {"a gap of exactly DAMAGE_BAND_GAP rows merges",
     {{0, 0, 5, 10}, {0, 10 + DAMAGE_BAND_GAP, 5, 1}},
     2,
     100,
     100,
     4,
     {{0, 11 + DAMAGE_BAND_GAP, 0, 5}},
     1},
    {"a gap of DAMAGE_BAND_GAP + 1 rows does not",
     {{0, 0, 5, 10}, {0, 11 + DAMAGE_BAND_GAP, 5, 1}},
     2,
     100,
     100,
     4,
     {{0, 10, 0, 5}, {11 + DAMAGE_BAND_GAP, 1, 0, 5}},
     2},
    {"far bands stay apart",
     {{10, 0, 5, 10}, {50, 100, 20, 5}},
     2,
     200,
     200,
     4,
     {{0, 10, 10, 5}, {100, 5, 50, 20}},
     2},
    {"as many bands as slots: each its own",
     {{10, 0, 5, 1}, {20, 100, 5, 1}, {30, 200, 5, 1}},
     3,
     300,
     300,
     3,
     {{0, 1, 10, 5}, {100, 1, 20, 5}, {200, 1, 30, 5}},
     3},
    {"more bands than slots: one band over them all",
     {{10, 0, 5, 1}, {20, 100, 5, 1}, {30, 200, 5, 1}},
     3,
     300,
     300,
     2,
     {{0, 201, 10, 25}},
     1},
    {"damage past the buffer's edges is clipped",
     {{-5, -5, 20, 20}, {90, 90, 50, 50}},
     2,
     100,
     100,
     4,
     {{0, 15, 0, 15}, {90, 10, 90, 10}},
     2},
    {"damage outside the buffer gives nothing", {{200, 200, 5, 5}}, 1, 100, 100, 4, {{0}}, 0},
};

START_TEST(test_coalesce)
{
	const struct coalesce_case *c = &cases[_i];
	pixman_region32_t r;
	pixman_region32_init(&r);
	for (unsigned i = 0; i < c->nrects; i++)
		pixman_region32_union_rect(&r, &r, c->rects[i][0], c->rects[i][1],
					   (unsigned)c->rects[i][2], (unsigned)c->rects[i][3]);
	struct damage_band out[MAX_RECTS];
	unsigned n = damage_coalesce(&r, c->width, c->height, c->max, out);
	ck_assert_msg(n == c->nbands, "%s: %u bands, expected %u", c->why, n, c->nbands);
	for (unsigned i = 0; i < n; i++) {
		const int32_t *want = c->bands[i];
		const struct damage_band *b = &out[i];
		ck_assert_msg(b->y == (uint32_t)want[0] && b->rows == (uint32_t)want[1] &&
				  b->rect.x == want[2] && b->rect.width == (uint32_t)want[3] &&
				  b->rect.y == want[0] && b->rect.height == (uint32_t)want[1],
			      "%s: band %u is rows %u+%u, rect %d,%d %ux%u", c->why, i, b->y,
			      b->rows, b->rect.x, b->rect.y, b->rect.width, b->rect.height);
	}
	pixman_region32_fini(&r);
}
END_TEST

Suite *suite_damage(void)
{
	Suite *s = suite_create("damage");
	TCase *tc = tcase_create("coalesce");
	tcase_add_loop_test(tc, test_coalesce, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	suite_add_tcase(s, tc);
	return s;
}

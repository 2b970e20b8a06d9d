/* Damage into fetches (damage_coalesce in gui-agent/damage.h): pure, so that it can be tested
 * without an X server. */
#include "gui-agent/damage.h"

static struct damage_band band(int x1, int y1, int x2, int y2)
{
	return (struct damage_band){
	    (uint32_t)y1, (uint32_t)(y2 - y1), {x1, y1, (uint32_t)(x2 - x1), (uint32_t)(y2 - y1)}};
}

unsigned damage_coalesce(pixman_region32_t *dirty, uint32_t width, uint32_t height, unsigned max,
			 struct damage_band *out)
{
	pixman_region32_intersect_rect(dirty, dirty, 0, 0, width, height);
	int n;
	const pixman_box32_t *r = pixman_region32_rectangles(dirty, &n);
	if (n == 0 || max == 0)
		return 0;
	/* pixman sorts rectangles by y1: a band ends where the next rectangle starts further down
	 * than the gap. */
	unsigned bands = 1;
	for (int i = 1, y2 = r[0].y2; i < n; i++) {
		bands += r[i].y1 > y2 + DAMAGE_BAND_GAP;
		y2 = r[i].y2 > y2 ? r[i].y2 : y2;
	}
	if (bands > max) {
		const pixman_box32_t *e = pixman_region32_extents(dirty);
		out[0] = band(e->x1, e->y1, e->x2, e->y2);
		return 1;
	}
	unsigned k = 0;
	for (int i = 0; i < n;) {
		int x1 = r[i].x1, y1 = r[i].y1, x2 = r[i].x2, y2 = r[i].y2;
		for (i++; i < n && r[i].y1 <= y2 + DAMAGE_BAND_GAP; i++) {
			x1 = r[i].x1 < x1 ? r[i].x1 : x1;
			x2 = r[i].x2 > x2 ? r[i].x2 : x2;
			y2 = r[i].y2 > y2 ? r[i].y2 : y2;
		}
		out[k++] = band(x1, y1, x2, y2);
	}
	return k;
}

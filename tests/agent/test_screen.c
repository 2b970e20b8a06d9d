/* The guest's screen following the host's: the layout fitted to the guest server's limits. The
 * test's Xvfb (1280x1024, as Debian 12 builds it) cannot grow past its first size, cannot switch
 * its output off and does not list the monitors a client sets, so resizing and monitors are tested
 * on Xorg's dummy driver in tests/integration/screen.sh. */
#include <stdlib.h>

#include "gui-agent/screen.h"
#include "harness.h"
#include "suites.h"

START_TEST(test_fit_clamps_to_the_server_and_drops_monitors_past_it)
{
	struct proto_seam_monitor_layout host = {
	    .width = 3840, .height = 1080, .count = 2, .primary = 1};
	host.monitors[0] = (struct proto_seam_monitor){0, 0, 1920, 1080, 0, 0};
	host.monitors[1] = (struct proto_seam_monitor){1920, 0, 1920, 1080, 0, 0};
	struct proto_seam_monitor_layout l;
	screen_fit(&host, 64, 64, 1920, 1200, &l);
	ck_assert_uint_eq(l.width, 1920);
	ck_assert_uint_eq(l.height, 1080);
	ck_assert_uint_eq(l.count, 1); /* the second lay wholly past the server's largest */
	ck_assert_uint_eq(l.primary, 0);
	ck_assert_uint_eq(l.monitors[1].width, 0);

	/* smaller than the server's least: the screen grows to it, the monitors stay */
	host = (struct proto_seam_monitor_layout){.width = 10, .height = 10, .count = 1};
	host.monitors[0] = (struct proto_seam_monitor){0, 0, 10, 10, 0, 0};
	screen_fit(&host, 64, 48, 1920, 1200, &l);
	ck_assert_uint_eq(l.width, 64);
	ck_assert_uint_eq(l.height, 48);
	ck_assert_uint_eq(l.monitors[0].width, 10);
	ck_assert_int_eq(proto_validate_seam_monitor_layout(&l, NULL), 0);
}
END_TEST

static void root_size(struct harness *h, uint32_t *w, uint32_t *hgt)
{
	harness_sync_agent(h);
	xcb_get_geometry_reply_t *g =
	    xcb_get_geometry_reply(h->client, xcb_get_geometry(h->client, h->root), NULL);
	ck_assert_ptr_nonnull(g);
	*w = g->width, *hgt = g->height;
	free(g);
}

START_TEST(test_layout_past_the_server_is_fitted_to_its_largest)
{
	struct harness h;
	harness_open(&h, false, false);
	struct screen *sc;
	ck_assert_int_eq(screen_create(h.xc, &sc), 0);
	/* Unfitted, 4000x3000 would be refused by the server (-EIO). */
	struct proto_seam_monitor_layout l = {.width = 4000, .height = 3000, .count = 2};
	l.monitors[0] = (struct proto_seam_monitor){0, 0, 2000, 3000, 0, 0};
	l.monitors[1] = (struct proto_seam_monitor){2000, 0, 2000, 3000, 0, 0};
	ck_assert_int_eq(screen_set_layout(sc, &l), 0);
	uint32_t w, hgt;
	root_size(&h, &w, &hgt);
	ck_assert_uint_eq(w, 1280);
	ck_assert_uint_eq(hgt, 1024);
	screen_destroy(sc);
	harness_close(&h);
}
END_TEST

Suite *suite_screen(void)
{
	Suite *s = suite_create("screen");
	TCase *pure = tcase_create("screen_fit");
	tcase_add_test(pure, test_fit_clamps_to_the_server_and_drops_monitors_past_it);
	suite_add_tcase(s, pure);
	TCase *tc = harness_tcase("screen");
	tcase_add_test(tc, test_layout_past_the_server_is_fitted_to_its_largest);
	suite_add_tcase(s, tc);
	return s;
}

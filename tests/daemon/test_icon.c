/* Window icons on the host: a frame shows the guest's icon tinted with the guest's label color
 * (decor_tint_pixel() of every pixel the guest sent), or the plain label icon where the guest gave
 * none or took its icon away; a guest that floods icons has them dropped past the daemon's rate,
 * but its latest is shown once the rate allows. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/mono.h"
#include "common/xconn.h"
#include "suites.h"
#include "tests/daemon/harness.h"
#include "window-decor/decor.h"

#define W1 0x400001u

static struct harness h;
static xcb_atom_t net_wm_icon;

static void setup(void)
{
	ck_assert_int_eq(harness_start(&h, "icon", NULL), 0);
	ck_assert_int_eq(harness_connect(&h), 0);
	net_wm_icon = xconn_intern(h.x, "_NET_WM_ICON");
	ck_assert_uint_ne(net_wm_icon, XCB_ATOM_NONE);
}

static void teardown(void)
{
	harness_stop(&h);
}

static xcb_window_t frame_of(uint32_t id)
{
	struct window *w = window_find(daemon_windows(h.d), id);
	ck_assert_ptr_nonnull(w);
	return window_frame(w);
}

/* The frame's _NET_WM_ICON (CARDINAL/32), malloc'ed, with its length in words. */
static uint32_t *host_icon(xcb_window_t frame, uint32_t *words)
{
	xcb_get_property_reply_t *r = xcb_get_property_reply(
	    h.x, xcb_get_property(h.x, 0, frame, net_wm_icon, XCB_ATOM_CARDINAL, 0, 1u << 20),
	    NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->format, 32);
	*words = (uint32_t)xcb_get_property_value_length(r) / 4u;
	uint32_t *out = malloc((size_t)*words * 4u + 4u);
	memcpy(out, xcb_get_property_value(r), (size_t)*words * 4u);
	free(r);
	return out;
}

static void assert_plain(xcb_window_t frame)
{
	uint32_t plain[DECOR_PLAIN_ICON_WORDS], n;
	decor_plain_icon(plain, h.opts.label.rgb);
	uint32_t *got = host_icon(frame, &n);
	ck_assert_uint_eq(n, DECOR_PLAIN_ICON_WORDS);
	ck_assert_mem_eq(got, plain, sizeof(plain));
	free(got);
}

/* A SEAM_ICON with these sizes and their pixels, image after image. */
static void send_icon(uint32_t id, uint32_t count, const struct proto_seam_icon_size *sizes,
		      const uint32_t *pixels)
{
	struct proto_msg m = {.type = PROTO_MSG_SEAM_ICON, .window = id};
	uint32_t n = 0;
	m.u.icon.count = count;
	for (uint32_t i = 0; i < count; i++) {
		m.u.icon.sizes[i] = sizes[i];
		n += sizes[i].width * sizes[i].height;
	}
	m.data = (const uint8_t *)pixels;
	m.data_len = n * 4u;
	harness_send(&h, &m, NULL, 0);
}

START_TEST(test_icon_a_window_without_one_shows_the_plain_label_icon)
{
	harness_create(&h, W1, 10, 10, 200, 100, false);
	harness_map(&h, W1);
	assert_plain(frame_of(W1));
}
END_TEST

START_TEST(test_icon_the_guests_icon_is_shown_tinted)
{
	harness_create(&h, W1, 10, 10, 200, 100, false);
	harness_map(&h, W1);
	/* A 16x16 of every hue and alpha, and a 4x2 of pure colors, white and black. */
	static uint32_t px[16 * 16 + 4 * 2];
	for (uint32_t i = 0; i < 16 * 16; i++)
		px[i] = (i << 24) | ((i * 0x0b1d37u) & 0xffffffu);
	const uint32_t pure[] = {0xffff0000, 0xff00ff00, 0xff0000ff, 0xffffffff,
				 0xff000000, 0x80cc0000, 0x00123456, 0xff73d216};
	memcpy(px + 16 * 16, pure, sizeof(pure));
	const struct proto_seam_icon_size sizes[] = {{16, 16}, {4, 2}};
	send_icon(W1, 2, sizes, px);

	uint32_t n;
	uint32_t *got = host_icon(frame_of(W1), &n);
	ck_assert_uint_eq(n, 2 + 16 * 16 + 2 + 4 * 2);
	ck_assert_uint_eq(got[0], 16);
	ck_assert_uint_eq(got[1], 16);
	for (uint32_t i = 0; i < 16 * 16; i++)
		ck_assert_uint_eq(got[2 + i], decor_tint_pixel(px[i], h.opts.label.rgb));
	const uint32_t *small = got + 2 + 16 * 16;
	ck_assert_uint_eq(small[0], 4);
	ck_assert_uint_eq(small[1], 2);
	for (uint32_t i = 0; i < 8; i++) {
		ck_assert_uint_eq(small[2 + i], decor_tint_pixel(pure[i], h.opts.label.rgb));
		/* Only the label's hue is left: green, blue and red alike become purple. */
		if ((pure[i] & 0xffffffu) != 0xffffff && (pure[i] & 0xffffffu) != 0)
			ck_assert_uint_ne(small[2 + i], pure[i]);
	}
	free(got);

	/* The guest takes its icon away: the plain one is back. */
	send_icon(W1, 0, NULL, NULL);
	assert_plain(frame_of(W1));
}
END_TEST

START_TEST(test_icon_the_largest_icon_is_shown)
{
	harness_create(&h, W1, 10, 10, 200, 100, false);
	static uint32_t px[PROTO_ICON_MAX_PIXELS];
	for (uint32_t i = 0; i < PROTO_ICON_MAX_PIXELS; i++)
		px[i] = 0xff000000u | i;
	const struct proto_seam_icon_size sizes[] = {{256, 256}};
	send_icon(W1, 1, sizes, px);
	uint32_t n;
	uint32_t *got = host_icon(frame_of(W1), &n);
	ck_assert_uint_eq(n, 2 + PROTO_ICON_MAX_PIXELS);
	ck_assert_uint_eq(got[2 + 255 * 256 + 255],
			  decor_tint_pixel(px[255 * 256 + 255], h.opts.label.rgb));
	free(got);
}
END_TEST

/* Icons in a loop: the first second's worth is shown, the rest only at the refill rate. The
 * frame's PropertyNotify events count the icons that reached the host. */
START_TEST(test_icon_a_flood_is_limited)
{
	harness_create(&h, W1, 10, 10, 200, 100, false);
	xcb_window_t frame = frame_of(W1);
	uint32_t n;
	free(host_icon(frame, &n)); /* the plain icon is on the server before anyone watches */
	xcb_connection_t *watch = xcb_connect(NULL, NULL);
	ck_assert(!xcb_connection_has_error(watch));
	uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
	xcb_change_window_attributes(watch, frame, XCB_CW_EVENT_MASK, &mask);
	free(xcb_get_input_focus_reply(watch, xcb_get_input_focus(watch), NULL));

	static uint32_t px[PROTO_ICON_MAX_PIXELS];
	const struct proto_seam_icon_size sizes[] = {{256, 256}};
	const unsigned sent = 100;
	int64_t start = mono_ms();
	for (unsigned i = 0; i < sent; i++) {
		px[0] = i;
		send_icon(W1, 1, sizes, px);
	}
	int64_t elapsed = mono_ms() - start;
	free(host_icon(frame, &n)); /* every change is on the server now */
	free(xcb_get_input_focus_reply(watch, xcb_get_input_focus(watch), NULL));
	unsigned shown = 0;
	xcb_generic_event_t *ev;
	while ((ev = xcb_poll_for_event(watch))) {
		if ((ev->response_type & 0x7f) == XCB_PROPERTY_NOTIFY &&
		    ((xcb_property_notify_event_t *)ev)->atom == net_wm_icon)
			shown++;
		free(ev);
	}
	xcb_disconnect(watch);
	unsigned burst = ICON_PIXELS_PER_SECOND / PROTO_ICON_MAX_PIXELS;
	unsigned most = burst + (unsigned)(elapsed * burst / 1000) + 1;
	ck_assert_uint_ge(shown, burst);
	ck_assert_msg(shown <= most && shown < sent, "%u of %u icons shown in %lld ms", shown, sent,
		      (long long)elapsed);
}
END_TEST

/* Past the budget, a window's latest icon waits instead of being dropped: a flood never leaves an
 * older icon on the frame. */
START_TEST(test_icon_the_last_of_a_flood_is_shown)
{
	harness_create(&h, W1, 10, 10, 200, 100, false);
	xcb_window_t frame = frame_of(W1);
	static uint32_t px[PROTO_ICON_MAX_PIXELS];
	const struct proto_seam_icon_size sizes[] = {{256, 256}};
	unsigned burst = ICON_PIXELS_PER_SECOND / PROTO_ICON_MAX_PIXELS;
	for (unsigned i = 0; i < 2 * burst; i++) {
		px[0] = 0xff000000u | i;
		send_icon(W1, 1, sizes, px);
	}
	const uint32_t last = 0xff3a7bd5u;
	px[0] = last;
	send_icon(W1, 1, sizes, px);
	uint32_t n, *got = host_icon(frame, &n);
	ck_assert_uint_eq(n, 2 + PROTO_ICON_MAX_PIXELS);
	ck_assert_uint_ne(got[2], decor_tint_pixel(last, h.opts.label.rgb)); /* not yet */
	free(got);
	/* One icon's refill is 1/16 s: the poll loop wakes for it by itself. */
	harness_run_for(&h, 300);
	got = host_icon(frame, &n);
	ck_assert_uint_eq(n, 2 + PROTO_ICON_MAX_PIXELS);
	ck_assert_uint_eq(got[2], decor_tint_pixel(last, h.opts.label.rgb));
	free(got);
}
END_TEST

Suite *suite_icon(void)
{
	Suite *s = suite_create("icon");
	TCase *tc = tcase_create("icon");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, DAEMON_TEST_TIMEOUT_S);
	tcase_add_test(tc, test_icon_a_window_without_one_shows_the_plain_label_icon);
	tcase_add_test(tc, test_icon_the_guests_icon_is_shown_tinted);
	tcase_add_test(tc, test_icon_the_largest_icon_is_shown);
	tcase_add_test(tc, test_icon_a_flood_is_limited);
	tcase_add_test(tc, test_icon_the_last_of_a_flood_is_shown);
	suite_add_tcase(s, tc);
	return s;
}

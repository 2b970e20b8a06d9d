/* wm: the events its listeners see for a window's life, and how it answers ConfigureRequest. */
#include <stdlib.h>
#include <string.h>
#include <xcb/xcb_icccm.h>

#include "gui-agent/wm.h"
#include "harness.h"
#include "suites.h"

#define MAX_SEEN 32

/* What a listener saw: the event and the window as it was then. */
struct seen {
	enum wm_event_type type;
	xcb_window_t id;
	int32_t x, y;
	uint32_t width, height;
	bool mapped, resized, x_gone;
	unsigned changed;
	char name[128];
};

struct recorder {
	struct seen ev[MAX_SEEN];
	unsigned n;
	xcb_window_t only; /* record this window's events only (XCB_NONE: all) */
};

static void record(void *ctx, const struct wm_event *ev)
{
	struct recorder *r = ctx;
	const struct wm_window *w = ev->window;
	if ((r->only != XCB_NONE && w->id != r->only) || r->n == MAX_SEEN)
		return;
	struct seen *s = &r->ev[r->n++];
	*s = (struct seen){ev->type,  w->id,	 w->x,	      w->y,	  w->width,
			   w->height, w->mapped, ev->resized, ev->x_gone, ev->changed};
	memcpy(s->name, w->props.name.data, sizeof(s->name));
}

struct want {
	struct recorder *r;
	unsigned n;
};

static bool seen_n(void *ctx)
{
	struct want *w = ctx;
	return w->r->n >= w->n;
}

static void wait_events(struct harness *h, struct recorder *r, unsigned n)
{
	struct want w = {r, n};
	ck_assert_msg(harness_pump(h, seen_n, &w, 5000), "saw %u events, waited for %u", r->n, n);
}

START_TEST(test_listeners_see_a_window_life_in_order)
{
	struct harness h;
	harness_open(&h, true, false);
	struct recorder r = {0};
	unsigned slot;
	ck_assert_int_eq(wm_listen(h.wm, record, &r, &slot), 0);
	wm_scan(h.wm);
	ck_assert_uint_eq(wm_count(h.wm), 0);

	xcb_window_t id = harness_window(&h, 10, 20, 100, 80);
	wait_events(&h, &r, 1);
	ck_assert_int_eq(r.ev[0].type, WM_CREATED);
	ck_assert_uint_eq(r.ev[0].id, id);
	ck_assert_int_eq(r.ev[0].x, 10);
	ck_assert_int_eq(r.ev[0].y, 20);
	ck_assert_uint_eq(r.ev[0].width, 100);
	ck_assert_uint_eq(r.ev[0].height, 80);
	ck_assert(!r.ev[0].mapped);
	ck_assert_ptr_nonnull(wm_find(h.wm, id));
	ck_assert_uint_eq(wm_count(h.wm), 1);

	xcb_map_window(h.client, id);
	wait_events(&h, &r, 2);
	ck_assert_int_eq(r.ev[1].type, WM_MAPPED);
	ck_assert(r.ev[1].mapped);

	uint32_t size[] = {150, 90};
	xcb_configure_window(h.client, id, XCB_CONFIG_WINDOW_WIDTH | XCB_CONFIG_WINDOW_HEIGHT,
			     size);
	wait_events(&h, &r, 3);
	ck_assert_int_eq(r.ev[2].type, WM_CONFIGURED);
	ck_assert(r.ev[2].resized);
	ck_assert_int_eq(r.ev[2].x, 10);
	ck_assert_int_eq(r.ev[2].y, 20);
	ck_assert_uint_eq(r.ev[2].width, 150);
	ck_assert_uint_eq(r.ev[2].height, 90);

	xcb_change_property(h.client, XCB_PROP_MODE_REPLACE, id, XCB_ATOM_WM_NAME, XCB_ATOM_STRING,
			    8, 5, "hello");
	wait_events(&h, &r, 4);
	ck_assert_int_eq(r.ev[3].type, WM_PROPERTY);
	ck_assert_uint_eq(r.ev[3].changed, PROPS_NAME);
	ck_assert_str_eq(r.ev[3].name, "hello");

	/* A mapped window is unmapped on its way out. */
	xcb_destroy_window(h.client, id);
	wait_events(&h, &r, 6);
	ck_assert_int_eq(r.ev[4].type, WM_UNMAPPED);
	ck_assert(!r.ev[4].mapped);
	ck_assert_int_eq(r.ev[5].type, WM_DESTROYED);
	ck_assert(r.ev[5].x_gone);
	ck_assert_ptr_null(wm_find(h.wm, id));
	ck_assert_uint_eq(wm_count(h.wm), 0);
	ck_assert_uint_eq(r.n, 6);
	wm_unlisten(h.wm, slot);
	harness_close(&h);
}
END_TEST

START_TEST(test_a_move_is_configured_without_resize_and_a_restack_is_not_reported)
{
	struct harness h;
	harness_open(&h, true, false);
	struct recorder r = {0};
	unsigned slot;
	ck_assert_int_eq(wm_listen(h.wm, record, &r, &slot), 0);
	xcb_window_t id = harness_window(&h, 0, 0, 40, 30);
	harness_window(&h, 0, 0, 40, 30); /* something to restack against */
	wait_events(&h, &r, 2);
	uint32_t above = XCB_STACK_MODE_ABOVE;
	xcb_configure_window(h.client, id, XCB_CONFIG_WINDOW_STACK_MODE, &above);
	int32_t pos[] = {33, 44};
	xcb_configure_window(h.client, id, XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y, pos);
	wait_events(&h, &r, 3);
	harness_pump(&h, NULL, NULL, 200); /* room for a wrong extra event */
	ck_assert_uint_eq(r.n, 3);
	ck_assert_int_eq(r.ev[2].type, WM_CONFIGURED);
	ck_assert(!r.ev[2].resized);
	ck_assert_int_eq(r.ev[2].x, 33);
	ck_assert_int_eq(r.ev[2].y, 44);
	ck_assert_uint_eq(r.ev[2].id, id);
	wm_unlisten(h.wm, slot);
	harness_close(&h);
}
END_TEST

START_TEST(test_each_listener_has_its_own_data_slot)
{
	struct harness h;
	harness_open(&h, true, false);
	struct recorder r0 = {0}, r1 = {0};
	unsigned s0, s1;
	ck_assert_int_eq(wm_listen(h.wm, record, &r0, &s0), 0);
	ck_assert_int_eq(wm_listen(h.wm, record, &r1, &s1), 0);
	ck_assert_uint_ne(s0, s1);
	xcb_window_t id = harness_window(&h, 0, 0, 40, 30);
	wait_events(&h, &r1, 1);
	ck_assert_uint_eq(r0.n, 1);
	const struct wm_window *w = wm_find(h.wm, id);
	ck_assert_ptr_nonnull(w);
	wm_window_set_data(h.wm, w, s0, &r0);
	ck_assert_ptr_eq(wm_window_data(w, s0), &r0);
	ck_assert_ptr_null(wm_window_data(w, s1));
	/* A listener that leaves leaves nothing behind, and its slot is free again. */
	wm_unlisten(h.wm, s0);
	ck_assert_ptr_null(wm_window_data(w, s0));
	unsigned again;
	ck_assert_int_eq(wm_listen(h.wm, record, &r0, &again), 0);
	ck_assert_uint_eq(again, s0);
	wm_unlisten(h.wm, again);
	wm_unlisten(h.wm, s1);
	harness_close(&h);
}
END_TEST

/* The order listeners run in, seen through a log shared by two of them. */
struct order_log {
	unsigned who[16];
	enum wm_event_type what[16];
	unsigned n;
};
struct order_listener {
	struct order_log *log;
	unsigned me;
};

static void log_order(void *ctx, const struct wm_event *ev)
{
	struct order_listener *l = ctx;
	if (l->log->n < 16) {
		l->log->who[l->log->n] = l->me;
		l->log->what[l->log->n++] = ev->type;
	}
}

struct order_wait {
	struct order_log *log;
	unsigned n;
};

static bool logged(void *ctx)
{
	struct order_wait *w = ctx;
	return w->log->n >= w->n;
}

START_TEST(test_listener_order_nests)
{
	struct harness h;
	harness_open(&h, true, false);
	struct order_log log = {0};
	struct order_listener a = {&log, 0}, b = {&log, 1};
	unsigned sa, sb;
	ck_assert_int_eq(wm_listen(h.wm, log_order, &a, &sa), 0);
	ck_assert_int_eq(wm_listen(h.wm, log_order, &b, &sb), 0);
	xcb_window_t id = harness_window(&h, 0, 0, 40, 30);
	struct order_wait created = {&log, 2}, destroyed = {&log, 4};
	ck_assert(harness_pump(&h, logged, &created, 5000));
	xcb_destroy_window(h.client, id);
	ck_assert(harness_pump(&h, logged, &destroyed, 5000));
	ck_assert_int_eq(log.what[0], WM_CREATED);
	ck_assert_uint_eq(log.who[0], 0);
	ck_assert_uint_eq(log.who[1], 1);
	ck_assert_int_eq(log.what[2], WM_DESTROYED);
	ck_assert_uint_eq(log.who[2], 1);
	ck_assert_uint_eq(log.who[3], 0);
	wm_unlisten(h.wm, sb);
	wm_unlisten(h.wm, sa);
	harness_close(&h);
}
END_TEST

/* ---- ConfigureRequest -------------------------------------------------------------------------
 */

static void geometry(struct harness *h, xcb_window_t id, xcb_get_geometry_reply_t *out)
{
	xcb_get_geometry_reply_t *g =
	    xcb_get_geometry_reply(h->client, xcb_get_geometry(h->client, id), NULL);
	ck_assert_ptr_nonnull(g);
	*out = *g;
	free(g);
}

struct synthetic {
	xcb_window_t id;
	bool seen;
	int16_t x, y;
	uint16_t width, height;
};

static void client_event(void *ctx, const xcb_generic_event_t *ev)
{
	struct synthetic *s = ctx;
	const xcb_configure_notify_event_t *c = (const void *)ev;
	if (ev->response_type == (XCB_CONFIGURE_NOTIFY | 0x80) && c->window == s->id) {
		s->seen = true;
		s->x = c->x;
		s->y = c->y;
		s->width = c->width;
		s->height = c->height;
	}
}

static bool synthetic_seen(void *ctx)
{
	return ((struct synthetic *)ctx)->seen;
}

START_TEST(test_configure_request_is_granted_without_border)
{
	struct harness h;
	harness_open(&h, true, false);
	xcb_window_t id = harness_window(&h, 0, 0, 40, 30);
	harness_pump(&h, NULL, NULL, 100);
	uint32_t v[] = {300, 200, 7};
	xcb_configure_window(
	    h.client, id,
	    XCB_CONFIG_WINDOW_WIDTH | XCB_CONFIG_WINDOW_HEIGHT | XCB_CONFIG_WINDOW_BORDER_WIDTH, v);
	harness_pump(&h, NULL, NULL, 300);
	harness_sync_client(&h);
	xcb_get_geometry_reply_t g;
	geometry(&h, id, &g);
	ck_assert_uint_eq(g.width, 300);
	ck_assert_uint_eq(g.height, 200);
	ck_assert_uint_eq(g.border_width, 0);
	harness_close(&h);
}
END_TEST

START_TEST(test_configure_request_is_clamped_to_the_protocol)
{
	struct harness h;
	harness_open(&h, true, false);
	xcb_window_t wide = harness_window(&h, 0, 0, 40, 30);
	xcb_window_t tall = harness_window(&h, 0, 0, 40, 30);
	harness_pump(&h, NULL, NULL, 100);
	uint32_t v1[] = {PROTO_MAX_WINDOW_WIDTH + 1000, 10};
	uint32_t v2[] = {10, PROTO_MAX_WINDOW_HEIGHT + 1000};
	uint16_t wh = XCB_CONFIG_WINDOW_WIDTH | XCB_CONFIG_WINDOW_HEIGHT;
	xcb_configure_window(h.client, wide, wh, v1);
	xcb_configure_window(h.client, tall, wh, v2);
	harness_pump(&h, NULL, NULL, 300);
	harness_sync_client(&h);
	xcb_get_geometry_reply_t g;
	geometry(&h, wide, &g);
	ck_assert_uint_eq(g.width, PROTO_MAX_WINDOW_WIDTH);
	ck_assert_uint_eq(g.height, 10);
	geometry(&h, tall, &g);
	ck_assert_uint_eq(g.width, 10);
	ck_assert_uint_eq(g.height, PROTO_MAX_WINDOW_HEIGHT);
	harness_close(&h);
}
END_TEST

/* A client's window at (5, 5), 40x30, asks for mask/values: did the client get a synthetic
 * ConfigureNotify within ms (*s says what it said)? */
static bool synthetic_after(uint16_t mask, const uint32_t *values, struct synthetic *s, int ms)
{
	struct harness h;
	harness_open(&h, true, false);
	xcb_window_t id = harness_window(&h, 5, 5, 40, 30);
	harness_pump(&h, NULL, NULL, 100);
	*s = (struct synthetic){.id = id};
	h.client_event = client_event;
	h.client_ctx = s;
	xcb_configure_window(h.client, id, mask, values);
	bool seen = harness_pump(&h, synthetic_seen, s, ms);
	harness_close(&h);
	return seen;
}

START_TEST(test_configure_request_move_only_gets_a_synthetic_notify)
{
	struct synthetic s;
	uint32_t pos[] = {70, 80};
	ck_assert_msg(synthetic_after(XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y, pos, &s, 5000),
		      "no synthetic ConfigureNotify");
	/* ICCCM 4.1.5: root coordinates, and the size the window has. */
	ck_assert_int_eq(s.x, 70);
	ck_assert_int_eq(s.y, 80);
	ck_assert_uint_eq(s.width, 40);
	ck_assert_uint_eq(s.height, 30);
}
END_TEST

START_TEST(test_configure_request_resize_gets_no_synthetic_notify)
{
	struct synthetic s;
	uint32_t size[] = {41, 30};
	ck_assert(
	    !synthetic_after(XCB_CONFIG_WINDOW_WIDTH | XCB_CONFIG_WINDOW_HEIGHT, size, &s, 500));
}
END_TEST

/* A resize and, at once, a move: when the agent handles the move, the resize's ConfigureNotify is
 * still queued behind it. The synthetic notify the move gets must carry the size the window has
 * now, not the size the agent's table still holds (a candidate cause of issue #17's xterm that
 * came up at 1x1 characters). */
START_TEST(test_a_synthetic_notify_after_a_resize_tells_the_new_size)
{
	struct harness h;
	harness_open(&h, true, false);
	xcb_window_t id = harness_window(&h, 5, 5, 40, 30);
	harness_pump(&h, NULL, NULL, 100);
	struct synthetic s = {.id = id};
	h.client_event = client_event;
	h.client_ctx = &s;
	uint32_t size[] = {300, 200}, pos[] = {70, 80};
	xcb_configure_window(h.client, id, XCB_CONFIG_WINDOW_WIDTH | XCB_CONFIG_WINDOW_HEIGHT,
			     size);
	xcb_configure_window(h.client, id, XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y, pos);
	harness_sync_client(&h); /* both requests reach the agent before it handles either */
	ck_assert_msg(harness_pump(&h, synthetic_seen, &s, 5000), "no synthetic ConfigureNotify");
	ck_assert_int_eq(s.x, 70);
	ck_assert_int_eq(s.y, 80);
	ck_assert_uint_eq(s.width, 300);
	ck_assert_uint_eq(s.height, 200);
	harness_close(&h);
}
END_TEST

START_TEST(test_the_host_geometry_request_applies_and_a_no_op_says_so)
{
	struct harness h;
	harness_open(&h, true, false);
	struct recorder r = {0};
	unsigned slot;
	ck_assert_int_eq(wm_listen(h.wm, record, &r, &slot), 0);
	xcb_window_t id = harness_window(&h, 5, 6, 40, 30);
	wait_events(&h, &r, 1);
	const struct wm_window *w = wm_find(h.wm, id);
	struct proto_configure same = {5, 6, 40, 30, 0};
	ck_assert(!wm_request_geometry(h.wm, w, &same));
	struct proto_configure c = {50, 60, 70, 80, 0};
	ck_assert(wm_request_geometry(h.wm, w, &c));
	wait_events(&h, &r, 2);
	ck_assert_int_eq(r.ev[1].type, WM_CONFIGURED);
	ck_assert_int_eq(r.ev[1].x, 50);
	ck_assert_int_eq(r.ev[1].y, 60);
	ck_assert_uint_eq(r.ev[1].width, 70);
	ck_assert_uint_eq(r.ev[1].height, 80);
	wm_unlisten(h.wm, slot);
	harness_close(&h);
}
END_TEST

Suite *suite_wm(void)
{
	Suite *s = suite_create("wm");
	TCase *tc = harness_tcase("events");
	tcase_add_test(tc, test_listeners_see_a_window_life_in_order);
	tcase_add_test(tc, test_a_move_is_configured_without_resize_and_a_restack_is_not_reported);
	tcase_add_test(tc, test_each_listener_has_its_own_data_slot);
	tcase_add_test(tc, test_listener_order_nests);
	tcase_add_test(tc, test_the_host_geometry_request_applies_and_a_no_op_says_so);
	suite_add_tcase(s, tc);
	tc = harness_tcase("configure_request");
	tcase_add_test(tc, test_configure_request_is_granted_without_border);
	tcase_add_test(tc, test_configure_request_is_clamped_to_the_protocol);
	tcase_add_test(tc, test_configure_request_move_only_gets_a_synthetic_notify);
	tcase_add_test(tc, test_configure_request_resize_gets_no_synthetic_notify);
	tcase_add_test(tc, test_a_synthetic_notify_after_a_resize_tells_the_new_size);
	suite_add_tcase(s, tc);
	return s;
}

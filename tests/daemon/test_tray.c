/* Tray icons on the host: DOCK is refused for a mapped window, a window larger than a tray icon,
 * and past the number of icons a guest may have; a docked window keeps the host's size whatever
 * the guest asks, is never mapped by the guest's MAP, shows its pixels tinted with the label
 * color, and is handed to the host's tray (SYSTEM_TRAY_REQUEST_DOCK), now or when a tray starts. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/mono.h"
#include "common/xconn.h"
#include "shm/shmbuf.h"
#include "suites.h"
#include "tests/daemon/harness.h"
#include "window-decor/decor.h"

#define W1    0x400001u
#define ICON  24u
#define COLOR 0x20c040u

static struct harness h;
/* A stand-in for the host's tray: its own connection, owning _NET_SYSTEM_TRAY_S0 on demand. */
static xcb_connection_t *tray_x;
static xcb_window_t tray_win;

static void setup(void)
{
	ck_assert_int_eq(harness_start(&h, "tray", NULL), 0);
	ck_assert_int_eq(harness_connect(&h), 0);
	tray_x = xcb_connect(NULL, NULL);
	ck_assert(!xcb_connection_has_error(tray_x));
}

static void teardown(void)
{
	xcb_disconnect(tray_x);
	harness_stop(&h);
}

static struct window *win(uint32_t id)
{
	return window_find(daemon_windows(h.d), id);
}

static void dock(uint32_t id)
{
	struct proto_msg m = {.type = PROTO_MSG_DOCK, .window = id};
	harness_send(&h, &m, NULL, 0);
}

/* The stand-in tray takes the selection, and says so to the root (MANAGER) if announce. */
static void start_tray(bool announce)
{
	const xcb_screen_t *s = xcb_setup_roots_iterator(xcb_get_setup(tray_x)).data;
	tray_win = xcb_generate_id(tray_x);
	xcb_create_window(tray_x, 0, tray_win, s->root, 0, 0, 1, 1, 0, XCB_WINDOW_CLASS_INPUT_ONLY,
			  XCB_COPY_FROM_PARENT, 0, NULL);
	xcb_atom_t sel = xconn_intern(tray_x, "_NET_SYSTEM_TRAY_S0");
	xcb_set_selection_owner(tray_x, tray_win, sel, XCB_CURRENT_TIME);
	if (announce) {
		xcb_client_message_event_t ev = {.response_type = XCB_CLIENT_MESSAGE,
						 .format = 32,
						 .window = s->root,
						 .type = xconn_intern(tray_x, "MANAGER")};
		ev.data.data32[1] = sel;
		ev.data.data32[2] = tray_win;
		xcb_send_event(tray_x, 0, s->root, XCB_EVENT_MASK_STRUCTURE_NOTIFY,
			       (const char *)&ev);
	}
	free(xcb_get_input_focus_reply(tray_x, xcb_get_input_focus(tray_x),
				       NULL)); /* a round trip */
}

/* The window id of the next SYSTEM_TRAY_REQUEST_DOCK the stand-in tray received, or 0. */
static xcb_window_t dock_request(int timeout_ms)
{
	xcb_atom_t opcode = xconn_intern(tray_x, "_NET_SYSTEM_TRAY_OPCODE");
	int64_t end = mono_ms() + timeout_ms;
	while (mono_ms() < end) {
		harness_run_for(&h, 20);
		xcb_generic_event_t *ev;
		while ((ev = xcb_poll_for_event(tray_x))) {
			const xcb_client_message_event_t *e = (const void *)ev;
			xcb_window_t id = 0;
			if ((ev->response_type & 0x7f) == XCB_CLIENT_MESSAGE && e->type == opcode &&
			    e->data.data32[1] == 0)
				id = e->data.data32[2];
			free(ev);
			if (id)
				return id;
		}
	}
	return 0;
}

START_TEST(test_tray_dock_of_a_mapped_window_is_refused)
{
	harness_create(&h, W1, 10, 10, ICON, ICON, false);
	harness_map(&h, W1);
	dock(W1);
	ck_assert(!window_docked(win(W1)));
	ck_assert(window_mapped(win(W1)));
	ck_assert_uint_eq(tray_count(daemon_tray(h.d)), 0);
}
END_TEST

START_TEST(test_tray_dock_of_a_window_larger_than_an_icon_is_refused)
{
	harness_create(&h, W1, 10, 10, TRAY_ICON_MAX_SIZE + 1, ICON, false);
	dock(W1);
	ck_assert(!window_docked(win(W1)));
	harness_create(&h, W1 + 1, 10, 10, ICON, TRAY_ICON_MAX_SIZE + 1, false);
	dock(W1 + 1);
	ck_assert(!window_docked(win(W1 + 1)));
	harness_create(&h, W1 + 2, 10, 10, TRAY_ICON_MAX_SIZE, TRAY_ICON_MAX_SIZE, false);
	dock(W1 + 2);
	ck_assert(window_docked(win(W1 + 2)));
}
END_TEST

START_TEST(test_tray_docks_at_most_the_icon_limit)
{
	for (uint32_t i = 0; i < TRAY_MAX_ICONS + 4; i++) {
		harness_create(&h, W1 + i, 10, 10, ICON, ICON, false);
		dock(W1 + i);
		ck_assert(window_docked(win(W1 + i)) == (i < TRAY_MAX_ICONS));
	}
	ck_assert_uint_eq(tray_count(daemon_tray(h.d)), TRAY_MAX_ICONS);
	/* An icon destroyed makes room for another. */
	harness_destroy(&h, W1);
	harness_create(&h, W1 + 100, 10, 10, ICON, ICON, false);
	dock(W1 + 100);
	ck_assert(window_docked(win(W1 + 100)));
	ck_assert_uint_eq(tray_count(daemon_tray(h.d)), TRAY_MAX_ICONS);
}
END_TEST

START_TEST(test_tray_docked_window_keeps_the_hosts_size)
{
	harness_create(&h, W1, 10, 10, ICON, ICON, false);
	dock(W1);
	harness_configure(&h, W1, 0, 0, 3000, 3000);
	struct proto_msg m;
	ck_assert_int_eq(harness_expect(&h, PROTO_MSG_CONFIGURE, W1, &m, 2000), 1);
	ck_assert_uint_eq(m.u.configure.width, ICON);
	ck_assert_uint_eq(m.u.configure.height, ICON);
	int32_t x, y;
	uint32_t w, ht;
	window_geometry(win(W1), &x, &y, &w, &ht);
	ck_assert_uint_eq(w, ICON);
	ck_assert_uint_eq(ht, ICON);
	xcb_get_geometry_reply_t *g =
	    xcb_get_geometry_reply(h.x, xcb_get_geometry(h.x, window_frame(win(W1))), NULL);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->width, ICON); /* no border around a tray icon */
	ck_assert_uint_eq(g->height, ICON);
	free(g);
}
END_TEST

START_TEST(test_tray_docked_window_is_never_mapped_by_the_guest)
{
	harness_create(&h, W1, 10, 10, ICON, ICON, false);
	dock(W1);
	harness_map_override_redirect(&h, W1);
	harness_map(&h, W1);
	ck_assert(!window_mapped(win(W1)));
	xcb_get_window_attributes_reply_t *a = xcb_get_window_attributes_reply(
	    h.x, xcb_get_window_attributes(h.x, window_frame(win(W1))), NULL);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->map_state, XCB_MAP_STATE_UNMAPPED);
	ck_assert(a->override_redirect); /* the host's window manager never manages it */
	free(a);
}
END_TEST

START_TEST(test_tray_icon_goes_to_the_hosts_tray)
{
	start_tray(false);
	harness_create(&h, W1, 10, 10, ICON, ICON, false);
	dock(W1);
	ck_assert_uint_eq(dock_request(2000), window_frame(win(W1)));
}
END_TEST

START_TEST(test_tray_started_later_gets_the_icons)
{
	harness_create(&h, W1, 10, 10, ICON, ICON, false);
	dock(W1);
	harness_create(&h, W1 + 1, 10, 10, ICON, ICON, false);
	dock(W1 + 1);
	start_tray(true);
	xcb_window_t a = dock_request(2000), b = dock_request(2000);
	xcb_window_t f1 = window_frame(win(W1)), f2 = window_frame(win(W1 + 1));
	ck_assert((a == f1 && b == f2) || (a == f2 && b == f1));
}
END_TEST

START_TEST(test_tray_icon_pixels_are_tinted)
{
	struct shmbuf *buf;
	ck_assert_int_eq(shmbuf_create(SHMBUF_MEMFD, ICON, ICON, 0, &buf), 0);
	uint32_t *px = shmbuf_data(buf);
	for (size_t i = 0; i < (size_t)ICON * ICON; i++)
		px[i] = COLOR;
	harness_create(&h, W1, 10, 10, ICON, ICON, false);
	struct proto_msg m = {.type = PROTO_MSG_SEAM_WINDOW_DUMP_FD, .window = W1};
	m.u.dump_fd = (struct proto_seam_window_dump_fd){ICON, ICON, ICON * 4u, 0};
	int fds[1] = {dup(shmbuf_fd(buf))};
	harness_send(&h, &m, fds, 1);
	dock(W1);
	/* Shown as a tray would: mapped by the host, not the guest. */
	xcb_map_window(h.x, window_frame(win(W1)));
	m = (struct proto_msg){.type = PROTO_MSG_SHMIMAGE, .window = W1};
	m.u.shmimage = (struct proto_shmimage){0, 0, ICON, ICON};
	harness_send(&h, &m, NULL, 0);
	harness_run_for(&h, 300);
	xcb_get_image_reply_t *r = xcb_get_image_reply(
	    h.x,
	    xcb_get_image(h.x, XCB_IMAGE_FORMAT_Z_PIXMAP, window_content(win(W1)), 5, 5, 1, 1, ~0u),
	    NULL);
	ck_assert_ptr_nonnull(r);
	uint32_t got = *(const uint32_t *)xcb_get_image_data(r) & 0xffffffu;
	free(r);
	ck_assert_uint_eq(got, decor_tint_pixel(COLOR, h.opts.label.rgb) & 0xffffffu);
	ck_assert_uint_ne(got, COLOR);
	shmbuf_release(buf);
}
END_TEST

Suite *suite_tray(void)
{
	Suite *s = suite_create("tray");
	TCase *tc = tcase_create("tray");
	tcase_set_timeout(tc, DAEMON_TEST_TIMEOUT_S);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_tray_dock_of_a_mapped_window_is_refused);
	tcase_add_test(tc, test_tray_dock_of_a_window_larger_than_an_icon_is_refused);
	tcase_add_test(tc, test_tray_docks_at_most_the_icon_limit);
	tcase_add_test(tc, test_tray_docked_window_keeps_the_hosts_size);
	tcase_add_test(tc, test_tray_docked_window_is_never_mapped_by_the_guest);
	tcase_add_test(tc, test_tray_icon_goes_to_the_hosts_tray);
	tcase_add_test(tc, test_tray_started_later_gets_the_icons);
	tcase_add_test(tc, test_tray_icon_pixels_are_tinted);
	suite_add_tcase(s, tc);
	return s;
}

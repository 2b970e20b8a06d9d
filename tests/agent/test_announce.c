/* The window messages the daemon receives, in docs/protocol.md section 3's order: a window is
 * announced when first shown (a never-mapped window, like xclip's, never is), then its title
 * change, resize, unmap and destruction; an id reused before the daemon echoed it; the replay of a
 * mapped window to a new daemon; its icon where the daemon agreed icons (before MAP, again when it
 * changes, not when rewritten the same, count 0 when it goes). */
#include <stdlib.h>
#include <string.h>

#include "gui-agent/announce.h"
#include "gui-agent/damage.h"
#include "harness.h"
#include "suites.h"

struct env {
	struct harness h;
	struct damage *damage;
	struct announce *announce;
};

/* With a fake daemon that offers these PROTO_SEAM_FEATURE_*. */
static void env_open_offering(struct env *e, uint32_t features)
{
	harness_open_offering(&e->h, true, features);
	/* damage before announce: see wm_listener_fn. */
	ck_assert_int_eq(damage_create(e->h.xc, e->h.wm, e->h.link, &e->damage), 0);
	ck_assert_int_eq(announce_create(e->h.xc, e->h.wm, e->h.link, e->damage, &e->announce), 0);
	announce_link_ready(e->announce);
}

static void env_open(struct env *e)
{
	env_open_offering(e, PROTO_SEAM_FEATURE_MEMFD);
}

static void env_close(struct env *e)
{
	announce_destroy(e->announce);
	damage_destroy(e->damage);
	harness_close(&e->h);
}

/* The types of the messages received since *from, which moves past them. */
static void expect(struct env *e, unsigned *from, xcb_window_t id, const uint32_t *types,
		   unsigned n)
{
	ck_assert_msg(harness_wait_msgs(&e->h, *from + n, 5000), "%u messages, waited for %u",
		      e->h.nmsgs - *from, n);
	harness_pump(&e->h, NULL, NULL, 100); /* room for a wrong extra message */
	ck_assert_uint_eq(e->h.nmsgs - *from, n);
	for (unsigned i = 0; i < n; i++) {
		const struct proto_msg *m = &e->h.msgs[*from + i].m;
		ck_assert_msg(m->type == types[i], "message %u is %s, expected %s", i,
			      proto_type_name(m->type), proto_type_name(types[i]));
		ck_assert_uint_eq(m->window, id);
	}
	*from += n;
}

/* Section 3.1: a window shown for the first time, everything the daemon needs before its MAP. */
static const uint32_t shown[] = {
    PROTO_MSG_CREATE,  PROTO_MSG_CONFIGURE,    PROTO_MSG_SEAM_WINDOW_DUMP_FD,
    PROTO_MSG_WMCLASS, PROTO_MSG_WINDOW_HINTS, PROTO_MSG_MAP,
    PROTO_MSG_WMNAME};
#define NSHOWN (sizeof(shown) / sizeof(shown[0]))

/* A client's new window, mapped and announced; *from is set past its messages. */
static xcb_window_t new_window(struct env *e, unsigned *from, int16_t x, int16_t y, uint16_t w,
			       uint16_t h)
{
	*from = e->h.nmsgs;
	xcb_window_t id = harness_window(&e->h, x, y, w, h);
	expect(e, from, id, NULL, 0); /* nothing until it is shown */
	xcb_map_window(e->h.client, id);
	expect(e, from, id, shown, NSHOWN);
	return id;
}

START_TEST(test_a_never_mapped_window_is_never_announced)
{
	struct env e;
	env_open(&e);
	unsigned from = e.h.nmsgs;
	xcb_window_t id = harness_window(&e.h, 0, 0, 1, 1);
	xcb_change_property(e.h.client, XCB_PROP_MODE_REPLACE, id, XCB_ATOM_WM_NAME,
			    XCB_ATOM_STRING, 8, 4, "clip");
	harness_sync_client(&e.h);
	expect(&e, &from, id, NULL, 0);
	ck_assert(!announce_known(e.announce, wm_find(e.h.wm, id)));
	xcb_destroy_window(e.h.client, id);
	harness_sync_client(&e.h);
	expect(&e, &from, id, NULL, 0); /* no DESTROY for a window the daemon never knew */
	env_close(&e);
}
END_TEST

START_TEST(test_a_window_life_reaches_the_daemon_in_order)
{
	struct env e;
	env_open(&e);
	unsigned from;
	xcb_window_t id = new_window(&e, &from, 10, 20, 64, 48);
	const struct proto_msg *c = &e.h.msgs[from - NSHOWN].m;
	ck_assert_int_eq(c->u.create.x, 10);
	ck_assert_int_eq(c->u.create.y, 20);
	ck_assert_uint_eq(c->u.create.width, 64);
	ck_assert_uint_eq(c->u.create.height, 48);
	ck_assert(announce_known(e.announce, wm_find(e.h.wm, id)));
	const struct proto_msg *d = &e.h.msgs[from - NSHOWN + 2].m;
	ck_assert_uint_eq(d->u.dump_fd.width, 64);
	ck_assert_uint_eq(d->u.dump_fd.height, 48);
	ck_assert_uint_eq(d->u.dump_fd.stride, 64 * 4);

	xcb_change_property(e.h.client, XCB_PROP_MODE_REPLACE, id, XCB_ATOM_WM_NAME,
			    XCB_ATOM_STRING, 8, 3, "new");
	static const uint32_t titled[] = {PROTO_MSG_WMNAME};
	expect(&e, &from, id, titled, 1);
	ck_assert_str_eq(e.h.msgs[from - 1].m.u.wmname.data, "new");

	uint32_t size[] = {80, 48};
	xcb_configure_window(e.h.client, id, XCB_CONFIG_WINDOW_WIDTH | XCB_CONFIG_WINDOW_HEIGHT,
			     size);
	/* The daemon hears of the new size before it gets the buffer of that size. */
	static const uint32_t resized[] = {PROTO_MSG_CONFIGURE, PROTO_MSG_SEAM_WINDOW_DUMP_FD};
	expect(&e, &from, id, resized, 2);
	ck_assert_uint_eq(e.h.msgs[from - 1].m.u.dump_fd.width, 80);

	xcb_unmap_window(e.h.client, id);
	static const uint32_t unmapped[] = {PROTO_MSG_UNMAP};
	expect(&e, &from, id, unmapped, 1);

	/* Shown again: known already, so only what section 3.5 says (a new buffer, since an
	 * unmapped window has none). */
	xcb_map_window(e.h.client, id);
	static const uint32_t remapped[] = {PROTO_MSG_SEAM_WINDOW_DUMP_FD, PROTO_MSG_MAP,
					    PROTO_MSG_WMNAME};
	expect(&e, &from, id, remapped, 3);
	xcb_unmap_window(e.h.client, id);
	expect(&e, &from, id, unmapped, 1);

	xcb_destroy_window(e.h.client, id);
	static const uint32_t destroyed[] = {PROTO_MSG_DESTROY};
	expect(&e, &from, id, destroyed, 1);
	env_close(&e);
}
END_TEST

START_TEST(test_a_reused_id_waits_for_the_destroy_echo)
{
	struct env e;
	env_open(&e);
	unsigned from;
	xcb_window_t id = new_window(&e, &from, 0, 0, 30, 30);
	xcb_destroy_window(e.h.client, id);
	static const uint32_t destroyed[] = {PROTO_MSG_UNMAP, PROTO_MSG_DESTROY};
	expect(&e, &from, id, destroyed, 2);

	/* The client may use the id again at once; the daemon may still talk of the old one. */
	uint32_t mask = 0;
	xcb_create_window(e.h.client, XCB_COPY_FROM_PARENT, id, e.h.root, 0, 0, 30, 30, 0,
			  XCB_WINDOW_CLASS_INPUT_OUTPUT, XCB_COPY_FROM_PARENT, XCB_CW_EVENT_MASK,
			  &mask);
	harness_sync_client(&e.h);
	expect(&e, &from, id, NULL, 0);
	const struct wm_window *w = wm_find(e.h.wm, id);
	ck_assert_ptr_nonnull(w);
	ck_assert(!announce_known(e.announce, w));

	announce_destroy_echo(e.announce, id);
	expect(&e, &from, id, NULL, 0); /* echoed, but not shown yet */
	xcb_map_window(e.h.client, id);
	expect(&e, &from, id, shown, NSHOWN);
	ck_assert(announce_known(e.announce, w));
	env_close(&e);
}
END_TEST

START_TEST(test_a_new_daemon_gets_a_mapped_window_in_replay_order)
{
	struct env e;
	env_open(&e);
	xcb_window_t id = harness_window(&e.h, 0, 0, 30, 30);
	xcb_map_window(e.h.client, id);
	harness_wait_msgs(&e.h, e.h.nmsgs + NSHOWN, 5000);
	announce_link_down(e.announce);
	ck_assert(!announce_known(e.announce, wm_find(e.h.wm, id)));
	unsigned from = e.h.nmsgs;
	announce_link_ready(e.announce);
	/* Section 3.9: everything, the buffer before the MAP. */
	expect(&e, &from, id, shown, NSHOWN);
	env_close(&e);
}
END_TEST

/* Whether the client's window has _NET_WM_STATE_FULLSCREEN, as the application reads it. */
static bool guest_fullscreen(struct env *e, xcb_window_t id)
{
	harness_pump(&e->h, NULL, NULL, 50);
	xcb_atom_t state = harness_atom(&e->h, "_NET_WM_STATE");
	xcb_atom_t full = harness_atom(&e->h, "_NET_WM_STATE_FULLSCREEN");
	xcb_get_property_reply_t *r = xcb_get_property_reply(
	    e->h.client, xcb_get_property(e->h.client, 0, id, state, XCB_ATOM_ATOM, 0, 32), NULL);
	bool on = false;
	if (r) {
		const xcb_atom_t *a = xcb_get_property_value(r);
		for (int i = 0; i < xcb_get_property_value_length(r) / 4; i++)
			on |= a[i] == full;
	}
	free(r);
	return on;
}

/* A client's EWMH request, as GTK's gtk_window_fullscreen() sends it. */
static void ask_fullscreen(struct env *e, xcb_window_t id, bool on)
{
	xcb_client_message_event_t ev = {.response_type = XCB_CLIENT_MESSAGE,
					 .format = 32,
					 .window = id,
					 .type = harness_atom(&e->h, "_NET_WM_STATE")};
	ev.data.data32[0] = on;
	ev.data.data32[1] = harness_atom(&e->h, "_NET_WM_STATE_FULLSCREEN");
	ev.data.data32[3] = 1;
	xcb_send_event(e->h.client, 0, e->h.root,
		       XCB_EVENT_MASK_SUBSTRUCTURE_REDIRECT | XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY,
		       (const char *)&ev);
	xcb_flush(e->h.client);
}

START_TEST(test_full_screen_is_the_hosts_to_grant)
{
	struct env e;
	env_open(&e);
	unsigned from;
	xcb_window_t id = new_window(&e, &from, 10, 20, 64, 48);
	static const uint32_t flags[] = {PROTO_MSG_WINDOW_FLAGS};
	ask_fullscreen(&e, id, true);
	expect(&e, &from, id, flags, 1);
	ck_assert_uint_eq(e.h.msgs[from - 1].m.u.flags.flags_set, PROTO_FLAG_FULLSCREEN);
	/* Until the host answers, the application is not told it is full screen. */
	ck_assert(!guest_fullscreen(&e, id));
	struct proto_window_flags yes = {PROTO_FLAG_FULLSCREEN, 0};
	announce_host_flags(e.announce, wm_find(e.h.wm, id), &yes);
	ck_assert(guest_fullscreen(&e, id));
	expect(&e, &from, id, NULL, 0); /* nothing echoed back to the daemon */

	ask_fullscreen(&e, id, false);
	expect(&e, &from, id, flags, 1);
	ck_assert_uint_eq(e.h.msgs[from - 1].m.u.flags.flags_unset, PROTO_FLAG_FULLSCREEN);
	ck_assert(guest_fullscreen(&e, id));
	/* The host may also end it on its own (the user's key), or refuse a request. */
	struct proto_window_flags no = {0, PROTO_FLAG_FULLSCREEN};
	announce_host_flags(e.announce, wm_find(e.h.wm, id), &no);
	ck_assert(!guest_fullscreen(&e, id));
	expect(&e, &from, id, NULL, 0);
	/* Two answers before the agent has read the notify of the first: the last one holds. */
	announce_host_flags(e.announce, wm_find(e.h.wm, id), &yes);
	announce_host_flags(e.announce, wm_find(e.h.wm, id), &no);
	ck_assert(!guest_fullscreen(&e, id));
	env_close(&e);
}
END_TEST

/* ---- Icons (SEAM_ICON) ---------------------------------------------------------------------- */

#define ICON_WORDS (2 + 16 * 16 + 2 + 32 * 32)

static void set_icon(struct env *e, xcb_window_t id, const uint32_t prop[ICON_WORDS])
{
	xcb_change_property(e->h.client, XCB_PROP_MODE_REPLACE, id,
			    harness_atom(&e->h, "_NET_WM_ICON"), XCB_ATOM_CARDINAL, 32, ICON_WORDS,
			    prop);
	harness_sync_client(&e->h);
}

/* A _NET_WM_ICON of a 16x16 and a 32x32 image (pixels: the image's index in the top byte, the
 * position below) on a new window, then shown; *from is set before the showing. */
static xcb_window_t show_with_icon(struct env *e, uint32_t prop[ICON_WORDS], unsigned *from)
{
	size_t o = 0;
	for (uint32_t i = 0, size = 16; i < 2; i++, size *= 2) {
		prop[o++] = size;
		prop[o++] = size;
		for (uint32_t p = 0; p < size * size; p++)
			prop[o++] = (i << 24) | p;
	}
	xcb_window_t id = harness_window(&e->h, 10, 10, 100, 80);
	set_icon(e, id, prop);
	*from = e->h.nmsgs;
	xcb_map_window(e->h.client, id);
	harness_sync_client(&e->h);
	return id;
}

/* The SEAM_ICON messages received since *from (moved past them); the last in *last. */
static unsigned icons_since(struct env *e, unsigned *from, const struct harness_msg **last)
{
	harness_pump(&e->h, NULL, NULL, 300);
	unsigned count = 0;
	const struct harness_msg *m;
	while ((m = harness_find_msg(&e->h, PROTO_MSG_SEAM_ICON, from))) {
		*last = m;
		count++;
	}
	*from = e->h.nmsgs;
	return count;
}

START_TEST(test_icon_travels_before_map_then_on_change)
{
	struct env e;
	env_open_offering(&e, PROTO_SEAM_FEATURE_MEMFD | PROTO_SEAM_FEATURE_ICONS);
	uint32_t prop[ICON_WORDS];
	unsigned from;
	xcb_window_t id = show_with_icon(&e, prop, &from);
	const struct harness_msg *icon = NULL;
	ck_assert_uint_eq(icons_since(&e, &from, &icon), 1);
	ck_assert_uint_eq(icon->m.window, id);
	ck_assert_uint_eq(icon->m.u.icon.count, 2);
	ck_assert_uint_eq(icon->m.u.icon.sizes[0].width, 32);
	ck_assert_uint_eq(icon->m.data_len, (1024 + 256) * 4);
	ck_assert_mem_eq(icon->m.data, prop + 2 + 256 + 2, 1024 * 4);
	ck_assert_mem_eq(icon->m.data + 1024 * 4, prop + 2, 256 * 4);
	/* Before the MAP, so that the frame shows it at once. */
	unsigned at = 0;
	const struct harness_msg *map = harness_find_msg(&e.h, PROTO_MSG_MAP, &at);
	ck_assert_ptr_nonnull(map);
	ck_assert(icon < map);

	/* Rewritten the same: nothing. A pixel changes: sent again. */
	set_icon(&e, id, prop);
	ck_assert_uint_eq(icons_since(&e, &from, &icon), 0);
	prop[2 + 5] = 0xff00ff00;
	set_icon(&e, id, prop);
	ck_assert_uint_eq(icons_since(&e, &from, &icon), 1);
	ck_assert_uint_eq(((const uint32_t *)icon->m.data)[1024 + 5], 0xff00ff00);

	/* Removed: count 0. */
	xcb_delete_property(e.h.client, id, harness_atom(&e.h, "_NET_WM_ICON"));
	harness_sync_client(&e.h);
	ck_assert_uint_eq(icons_since(&e, &from, &icon), 1);
	ck_assert_uint_eq(icon->m.u.icon.count, 0);
	ck_assert_uint_eq(icon->m.data_len, 0);
	env_close(&e);
}
END_TEST

/* A daemon that did not offer icons (a Qubes daemon, an older Seam one) never receives one. */
START_TEST(test_icon_never_sent_to_a_daemon_without_the_feature)
{
	struct env e;
	env_open(&e);
	uint32_t prop[ICON_WORDS];
	unsigned from;
	xcb_window_t id = show_with_icon(&e, prop, &from);
	ck_assert(harness_wait_msgs(&e.h, from + NSHOWN, 5000));
	prop[3] = 1;
	set_icon(&e, id, prop);
	const struct harness_msg *icon = NULL;
	ck_assert_uint_eq(icons_since(&e, &from, &icon), 0);
	env_close(&e);
}
END_TEST

Suite *suite_announce(void)
{
	Suite *s = suite_create("announce");
	TCase *tc = harness_tcase("messages");
	tcase_add_test(tc, test_a_never_mapped_window_is_never_announced);
	tcase_add_test(tc, test_a_window_life_reaches_the_daemon_in_order);
	tcase_add_test(tc, test_a_reused_id_waits_for_the_destroy_echo);
	tcase_add_test(tc, test_a_new_daemon_gets_a_mapped_window_in_replay_order);
	tcase_add_test(tc, test_full_screen_is_the_hosts_to_grant);
	tcase_add_test(tc, test_icon_travels_before_map_then_on_change);
	tcase_add_test(tc, test_icon_never_sent_to_a_daemon_without_the_feature);
	suite_add_tcase(s, tc);
	return s;
}

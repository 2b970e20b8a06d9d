/* The guest's system tray: the agent owns _NET_SYSTEM_TRAY_S0; a client's dock request puts its
 * icon in an embedder of the agent's (XEMBED_EMBEDDED_NOTIFY tells the client), which the daemon
 * hears of with DOCK where other windows have MAP; the embedder takes the size the host gives and
 * keeps its place, and the icon follows its size; the icon's end takes the embedder with it; no
 * more than TRAY_MAX_ICONS icons are docked. */
#include <stdlib.h>
#include <string.h>

#include "gui-agent/announce.h"
#include "gui-agent/damage.h"
#include "gui-agent/tray.h"
#include "harness.h"
#include "suites.h"

struct env {
	struct harness h;
	struct damage *damage;
	struct announce *announce;
	struct tray *tray;
	xcb_atom_t xembed;
	unsigned embedded_notifies; /* XEMBED_EMBEDDED_NOTIFY the client received */
};

static bool tray_event(void *ctx, const xcb_generic_event_t *ev)
{
	return tray_handle_event(ctx, ev);
}

static void client_event(void *ctx, const xcb_generic_event_t *ev)
{
	struct env *e = ctx;
	const xcb_client_message_event_t *c = (const void *)ev;
	if ((ev->response_type & 0x7f) == XCB_CLIENT_MESSAGE && c->type == e->xembed &&
	    c->data.data32[1] == 0)
		e->embedded_notifies++;
}

static void env_open(struct env *e)
{
	memset(e, 0, sizeof(*e));
	harness_open(&e->h, true, true);
	ck_assert_int_eq(damage_create(e->h.xc, e->h.wm, e->h.link, &e->damage), 0);
	ck_assert_int_eq(announce_create(e->h.xc, e->h.wm, e->h.link, e->damage, &e->announce), 0);
	ck_assert_int_eq(tray_create(e->h.xc, e->h.wm, &e->tray), 0);
	announce_set_tray(e->announce, e->tray);
	announce_link_ready(e->announce);
	e->h.agent_event = tray_event;
	e->h.agent_ctx = e->tray;
	e->h.client_event = client_event;
	e->h.client_ctx = e;
	e->xembed = harness_atom(&e->h, "_XEMBED");
	harness_sync_agent(&e->h); /* the selection is taken */
}

static void env_close(struct env *e)
{
	tray_destroy(e->tray);
	announce_destroy(e->announce);
	damage_destroy(e->damage);
	harness_close(&e->h);
}

static xcb_window_t parent_of(struct env *e, xcb_window_t w)
{
	xcb_query_tree_reply_t *r =
	    xcb_query_tree_reply(e->h.client, xcb_query_tree(e->h.client, w), NULL);
	xcb_window_t p = r ? r->parent : XCB_NONE;
	free(r);
	return p;
}

/* A client's icon window, and its dock request to the guest's tray, as GTK sends it. */
static xcb_window_t request_dock(struct env *e)
{
	xcb_window_t icon = harness_window(&e->h, 0, 0, 16, 16);
	xcb_window_t owner =
	    harness_selection_owner(&e->h, harness_atom(&e->h, "_NET_SYSTEM_TRAY_S0"));
	xcb_client_message_event_t ev = {.response_type = XCB_CLIENT_MESSAGE,
					 .format = 32,
					 .window = owner,
					 .type = harness_atom(&e->h, "_NET_SYSTEM_TRAY_OPCODE")};
	ev.data.data32[1] = 0; /* SYSTEM_TRAY_REQUEST_DOCK */
	ev.data.data32[2] = icon;
	xcb_send_event(e->h.client, 0, owner, XCB_EVENT_MASK_NO_EVENT, (const char *)&ev);
	harness_sync_client(&e->h);
	return icon;
}

struct embedded {
	struct env *e;
	xcb_window_t icon;
};

static bool is_embedded(void *ctx)
{
	struct embedded *x = ctx;
	xcb_window_t p = parent_of(x->e, x->icon);
	return p != XCB_NONE && p != x->e->h.root;
}

/* The icon's embedder, once the icon is in one. */
static xcb_window_t embedder_of(struct env *e, xcb_window_t icon)
{
	struct embedded x = {e, icon};
	ck_assert_msg(harness_pump(&e->h, is_embedded, &x, 3000), "the icon was not embedded");
	return parent_of(e, icon);
}

START_TEST(test_tray_owns_the_guests_system_tray)
{
	struct env e;
	env_open(&e);
	xcb_window_t owner =
	    harness_selection_owner(&e.h, harness_atom(&e.h, "_NET_SYSTEM_TRAY_S0"));
	ck_assert_uint_ne(owner, XCB_NONE);
	env_close(&e);
}
END_TEST

static bool got_notify(void *ctx)
{
	return ((struct env *)ctx)->embedded_notifies > 0;
}

START_TEST(test_tray_icon_is_embedded_and_announced_with_dock)
{
	struct env e;
	env_open(&e);
	unsigned from = e.h.nmsgs;
	xcb_window_t icon = request_dock(&e);
	xcb_window_t emb = embedder_of(&e, icon);
	ck_assert_uint_eq(parent_of(&e, emb), e.h.root);
	ck_assert(harness_pump(&e.h, got_notify, &e, 3000));
	ck_assert(tray_docked(e.tray, wm_find(e.h.wm, emb)));
	ck_assert(harness_wait_msgs(&e.h, from + 1, 3000));
	harness_pump(&e.h, NULL, NULL, 300);
	unsigned at = from;
	const struct harness_msg *create = harness_find_msg(&e.h, PROTO_MSG_CREATE, &at);
	ck_assert_ptr_nonnull(create);
	ck_assert_uint_eq(create->m.window, emb);
	const struct harness_msg *dock = harness_find_msg(&e.h, PROTO_MSG_DOCK, &at);
	ck_assert_ptr_nonnull(dock);
	ck_assert_uint_eq(dock->m.window, emb);
	at = from;
	ck_assert_ptr_null(harness_find_msg(&e.h, PROTO_MSG_MAP, &at));
	env_close(&e);
}
END_TEST

struct sized {
	struct env *e;
	xcb_window_t w;
	uint16_t width, height;
};

static bool has_size(void *ctx)
{
	struct sized *s = ctx;
	xcb_get_geometry_reply_t *g =
	    xcb_get_geometry_reply(s->e->h.client, xcb_get_geometry(s->e->h.client, s->w), NULL);
	bool yes = g && g->width == s->width && g->height == s->height;
	free(g);
	return yes;
}

START_TEST(test_tray_embedder_takes_the_hosts_size_and_keeps_its_place)
{
	struct env e;
	env_open(&e);
	xcb_window_t icon = request_dock(&e);
	xcb_window_t emb = embedder_of(&e, icon);
	struct sized full = {&e, icon, TRAY_EMBEDDER_SIZE, TRAY_EMBEDDER_SIZE};
	ck_assert_msg(harness_pump(&e.h, has_size, &full, 3000),
		      "the icon is not the embedder's size");
	const struct wm_window *w = wm_find(e.h.wm, emb);
	ck_assert_ptr_nonnull(w);
	int32_t x = w->x, y = w->y;
	/* The host's tray at the top right of the host's screen, 22 pixels high. */
	struct proto_configure c = {1200, 1, 22, 22, 0};
	tray_keep_place(e.tray, w, &c);
	ck_assert_int_eq(c.x, x);
	ck_assert_int_eq(c.y, y);
	ck_assert(wm_request_geometry(e.h.wm, w, &c));
	struct sized small = {&e, icon, 22, 22};
	ck_assert_msg(harness_pump(&e.h, has_size, &small, 3000), "the icon did not follow");
	ck_assert_int_eq(wm_find(e.h.wm, emb)->x, x);
	/* The client resizing its icon itself is put back (the embedder sizes it). */
	uint32_t big[] = {64, 64};
	xcb_configure_window(e.h.client, icon, XCB_CONFIG_WINDOW_WIDTH | XCB_CONFIG_WINDOW_HEIGHT,
			     big);
	harness_sync_client(&e.h);
	harness_pump(&e.h, NULL, NULL, 200);
	ck_assert(harness_pump(&e.h, has_size, &small, 3000));
	env_close(&e);
}
END_TEST

struct gone {
	struct env *e;
	xcb_window_t id;
};

static bool destroy_sent(void *ctx)
{
	struct gone *g = ctx;
	unsigned at = 0;
	const struct harness_msg *m;
	while ((m = harness_find_msg(&g->e->h, PROTO_MSG_DESTROY, &at)))
		if (m->m.window == g->id)
			return true;
	return false;
}

START_TEST(test_tray_icon_gone_takes_its_embedder)
{
	struct env e;
	env_open(&e);
	xcb_window_t icon = request_dock(&e);
	xcb_window_t emb = embedder_of(&e, icon);
	ck_assert(harness_pump(&e.h, got_notify, &e, 3000));
	harness_pump(&e.h, NULL, NULL, 200);
	xcb_destroy_window(e.h.client, icon);
	harness_sync_client(&e.h);
	struct gone g = {&e, emb};
	ck_assert_msg(harness_pump(&e.h, destroy_sent, &g, 3000), "no DESTROY of the embedder");
	ck_assert_ptr_null(wm_find(e.h.wm, emb));
	env_close(&e);
}
END_TEST

START_TEST(test_tray_docks_at_most_the_icon_limit)
{
	struct env e;
	env_open(&e);
	xcb_window_t icons[TRAY_MAX_ICONS + 2];
	for (unsigned i = 0; i < TRAY_MAX_ICONS + 2; i++)
		icons[i] = request_dock(&e);
	embedder_of(&e, icons[TRAY_MAX_ICONS - 1]);
	harness_pump(&e.h, NULL, NULL, 300);
	unsigned embedded = 0;
	for (unsigned i = 0; i < TRAY_MAX_ICONS + 2; i++)
		embedded += parent_of(&e, icons[i]) != e.h.root;
	ck_assert_uint_eq(embedded, TRAY_MAX_ICONS);
	env_close(&e);
}
END_TEST

Suite *suite_tray(void)
{
	Suite *s = suite_create("tray");
	TCase *tc = harness_tcase("tray");
	tcase_add_test(tc, test_tray_owns_the_guests_system_tray);
	tcase_add_test(tc, test_tray_icon_is_embedded_and_announced_with_dock);
	tcase_add_test(tc, test_tray_embedder_takes_the_hosts_size_and_keeps_its_place);
	tcase_add_test(tc, test_tray_icon_gone_takes_its_embedder);
	tcase_add_test(tc, test_tray_docks_at_most_the_icon_limit);
	suite_add_tcase(s, tc);
	return s;
}

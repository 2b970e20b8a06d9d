/* The host's DPI and scale in the guest: Xft.dpi replaces the guest's own in RESOURCE_MANAGER
 * (every other resource kept), and the agent publishes Xft/DPI and the scale as the guest's
 * XSETTINGS manager, unless a guest desktop's own manager holds the selection. */
#include <stdlib.h>
#include <string.h>

#include "gui-agent/dpi.h"
#include "harness.h"
#include "suites.h"

/* The guest's RESOURCE_MANAGER as a NUL-terminated string (the caller frees it). */
static char *resources(struct harness *h)
{
	harness_sync_agent(h);
	xcb_get_property_reply_t *r = xcb_get_property_reply(
	    h->client,
	    xcb_get_property(h->client, 0, h->root, XCB_ATOM_RESOURCE_MANAGER, XCB_ATOM_STRING, 0,
			     1 << 16),
	    NULL);
	ck_assert_ptr_nonnull(r);
	size_t n = (size_t)xcb_get_property_value_length(r);
	char *s = calloc(1, n + 1);
	memcpy(s, xcb_get_property_value(r), n);
	free(r);
	return s;
}

static void set_resources(struct harness *h, const char *db)
{
	xcb_change_property(h->client, XCB_PROP_MODE_REPLACE, h->root, XCB_ATOM_RESOURCE_MANAGER,
			    XCB_ATOM_STRING, 8, (uint32_t)strlen(db), db);
	harness_sync_client(h);
}

/* The integer setting name of the manager's _XSETTINGS_SETTINGS (LSBFirst, as the agent writes
 * it), or -1 if it has none. *serial: the settings' serial. */
static int64_t xsetting(struct harness *h, xcb_window_t owner, const char *name, uint32_t *serial)
{
	xcb_atom_t prop = harness_atom(h, "_XSETTINGS_SETTINGS");
	xcb_get_property_reply_t *r = xcb_get_property_reply(
	    h->client, xcb_get_property(h->client, 0, owner, prop, prop, 0, 1024), NULL);
	ck_assert_ptr_nonnull(r);
	const uint8_t *p = xcb_get_property_value(r);
	size_t len = (size_t)xcb_get_property_value_length(r), off = 12;
	ck_assert_uint_ge(len, 12);
	ck_assert_uint_eq(p[0], 0);
	memcpy(serial, p + 4, 4);
	uint32_t count;
	memcpy(&count, p + 8, 4);
	int64_t v = -1;
	for (uint32_t i = 0; i < count; i++) {
		ck_assert_uint_eq(p[off], 0); /* integers only */
		size_t n = p[off + 2], padded = (n + 3) & ~(size_t)3;
		ck_assert_uint_le(off + 4 + padded + 8, len);
		int32_t value;
		memcpy(&value, p + off + 4 + padded + 4, 4);
		if (n == strlen(name) && !memcmp(p + off + 4, name, n))
			v = value;
		off += 4 + padded + 8;
	}
	free(r);
	return v;
}

/* Whether the client saw MANAGER for selection on the root. */
static bool saw_manager(struct harness *h, xcb_atom_t selection)
{
	harness_sync_client(h);
	xcb_atom_t manager = harness_atom(h, "MANAGER");
	bool seen = false;
	xcb_generic_event_t *ev;
	while ((ev = xcb_poll_for_event(h->client))) {
		const xcb_client_message_event_t *e = (const void *)ev;
		if ((ev->response_type & 0x7f) == XCB_CLIENT_MESSAGE && e->type == manager &&
		    e->data.data32[1] == selection)
			seen = true;
		free(ev);
	}
	return seen;
}

START_TEST(test_settings_reach_resources_and_xsettings)
{
	struct harness h;
	harness_open(&h, false, false);
	uint32_t mask = XCB_EVENT_MASK_STRUCTURE_NOTIFY;
	xcb_change_window_attributes(h.client, h.root, XCB_CW_EVENT_MASK, &mask);
	set_resources(&h, "Xft.antialias:\t1\nXft.dpi:\t96\n*background:\tgrey");
	struct dpi *d;
	ck_assert_int_eq(dpi_create(h.xc, &d), 0);
	xcb_atom_t sel = harness_atom(&h, "_XSETTINGS_S0");

	dpi_set(d, &(struct proto_seam_display_settings){192u * 1024u, 0});
	char *db = resources(&h);
	ck_assert_str_eq(db, "Xft.antialias:\t1\n*background:\tgrey\nXft.dpi:\t192\n");
	free(db);
	ck_assert_uint_eq(harness_selection_owner(&h, sel), h.xc->stub);
	ck_assert(saw_manager(&h, sel));
	uint32_t serial1, serial2;
	ck_assert_int_eq(xsetting(&h, h.xc->stub, "Xft/DPI", &serial1), 196608);
	ck_assert_int_eq(xsetting(&h, h.xc->stub, "Gdk/WindowScalingFactor", &serial1), -1);

	dpi_set(d, &(struct proto_seam_display_settings){144u * 1024u + 512u, 2});
	db = resources(&h);
	ck_assert_str_eq(db, "Xft.antialias:\t1\n*background:\tgrey\nXft.dpi:\t144.500\n");
	free(db);
	ck_assert_int_eq(xsetting(&h, h.xc->stub, "Xft/DPI", &serial2), 144 * 1024 + 512);
	ck_assert_int_eq(xsetting(&h, h.xc->stub, "Gdk/WindowScalingFactor", &serial2), 2);
	ck_assert_int_eq(xsetting(&h, h.xc->stub, "Gdk/UnscaledDPI", &serial2), 72 * 1024 + 256);
	ck_assert_uint_gt(serial2, serial1);
	ck_assert(!saw_manager(&h, sel)); /* announced once: the owner did not change */

	dpi_destroy(d);
	harness_sync_agent(&h);
	ck_assert_uint_eq(harness_selection_owner(&h, sel), XCB_NONE);
	xcb_delete_property(h.client, h.root, XCB_ATOM_RESOURCE_MANAGER);
	harness_close(&h);
}
END_TEST

/* A guest desktop's settings manager keeps the selection: only the resource is set. One that
 * starts later takes it over, and the agent lets it. */
START_TEST(test_a_guest_settings_manager_is_left_alone)
{
	struct harness h;
	harness_open(&h, false, false);
	xcb_atom_t sel = harness_atom(&h, "_XSETTINGS_S0");
	xcb_window_t theirs = harness_window(&h, 0, 0, 1, 1);
	xcb_set_selection_owner(h.client, theirs, sel, XCB_CURRENT_TIME);
	harness_sync_client(&h);
	struct dpi *d;
	ck_assert_int_eq(dpi_create(h.xc, &d), 0);
	dpi_set(d, &(struct proto_seam_display_settings){120u * 1024u, 0});
	char *db = resources(&h);
	ck_assert_str_eq(db, "Xft.dpi:\t120\n");
	free(db);
	ck_assert_uint_eq(harness_selection_owner(&h, sel), theirs);

	/* Their manager ends; the agent manages; a new one takes over. */
	xcb_set_selection_owner(h.client, XCB_NONE, sel, XCB_CURRENT_TIME);
	harness_sync_client(&h);
	dpi_set(d, &(struct proto_seam_display_settings){120u * 1024u, 0});
	harness_sync_agent(&h); /* the server has the agent's request before the client asks */
	ck_assert_uint_eq(harness_selection_owner(&h, sel), h.xc->stub);
	xcb_set_selection_owner(h.client, theirs, sel, XCB_CURRENT_TIME);
	harness_sync_client(&h);
	harness_sync_agent(&h);
	bool cleared = false;
	xcb_generic_event_t *ev;
	while ((ev = xcb_poll_for_event(h.xc->x))) {
		cleared |= dpi_handle_event(d, ev);
		free(ev);
	}
	ck_assert(cleared);
	dpi_set(d, &(struct proto_seam_display_settings){96u * 1024u, 0});
	harness_sync_agent(&h);
	ck_assert_uint_eq(harness_selection_owner(&h, sel), theirs);
	db = resources(&h);
	ck_assert_str_eq(db, "Xft.dpi:\t96\n");
	free(db);
	dpi_destroy(d);
	xcb_delete_property(h.client, h.root, XCB_ATOM_RESOURCE_MANAGER);
	harness_close(&h);
}
END_TEST

Suite *suite_dpi(void)
{
	Suite *s = suite_create("dpi");
	TCase *tc = harness_tcase("dpi");
	tcase_add_test(tc, test_settings_reach_resources_and_xsettings);
	tcase_add_test(tc, test_a_guest_settings_manager_is_left_alone);
	suite_add_tcase(s, tc);
	return s;
}

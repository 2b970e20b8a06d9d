/* The host's DPI and window scale reach the agent: Xft.dpi from the root's RESOURCE_MANAGER and
 * Xft/DPI and Gdk/WindowScalingFactor from a host XSETTINGS manager, at the hello and at each
 * change; and the parsers take only what the formats allow. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "gui-daemon/dpi.h"
#include "suites.h"
#include "tests/daemon/harness.h"

static struct harness h;

static void setup(void)
{
	ck_assert_int_eq(harness_start(&h, "dpi", NULL), 0);
}

static void teardown(void)
{
	harness_stop(&h);
}

/* A host client (xrdb, a settings daemon): its own connection, as on a real desktop. */
static xcb_connection_t *host_client(void)
{
	xcb_connection_t *c = xcb_connect(NULL, NULL);
	ck_assert(!xcb_connection_has_error(c));
	return c;
}

static xcb_window_t root_of(xcb_connection_t *c)
{
	return xcb_setup_roots_iterator(xcb_get_setup(c)).data->root;
}

static void set_resources(xcb_connection_t *c, const char *db)
{
	xcb_change_property(c, XCB_PROP_MODE_REPLACE, root_of(c), XCB_ATOM_RESOURCE_MANAGER,
			    XCB_ATOM_STRING, 8, (uint32_t)strlen(db), db);
	xcb_flush(c);
}

static xcb_atom_t atom(xcb_connection_t *c, const char *name)
{
	xcb_intern_atom_reply_t *r =
	    xcb_intern_atom_reply(c, xcb_intern_atom(c, 0, (uint16_t)strlen(name), name), NULL);
	ck_assert_ptr_nonnull(r);
	xcb_atom_t a = r->atom;
	free(r);
	return a;
}

/* Little-endian XSETTINGS with a string, Xft/DPI and (if scale) Gdk/WindowScalingFactor. */
static size_t xsettings(uint8_t *b, int32_t dpi_1024, int32_t scale)
{
	size_t n = 0;
	memset(b, 0, 256);
	b[0] = 0; /* LSBFirst */
	n = 4;
	b[n] = 7, n += 4; /* serial */
	uint32_t count = scale ? 3 : 2;
	memcpy(b + n, &count, 4), n += 4;
	/* Net/ThemeName "Adwaita" */
	b[n] = 1, b[n + 2] = 13, n += 4;
	memcpy(b + n, "Net/ThemeName", 13), n += 16;
	n += 4; /* last change */
	b[n] = 7, n += 4;
	memcpy(b + n, "Adwaita", 7), n += 8;
	b[n] = 0, b[n + 2] = 7, n += 4;
	memcpy(b + n, "Xft/DPI", 7), n += 8;
	n += 4;
	memcpy(b + n, &dpi_1024, 4), n += 4;
	if (scale) {
		b[n] = 0, b[n + 2] = 23, n += 4;
		memcpy(b + n, "Gdk/WindowScalingFactor", 23), n += 24;
		n += 4;
		memcpy(b + n, &scale, 4), n += 4;
	}
	return n;
}

static void expect_settings(uint32_t dpi_1024, uint32_t scale)
{
	struct proto_msg m;
	ck_assert_int_eq(harness_expect(&h, PROTO_MSG_SEAM_DISPLAY_SETTINGS, 0, &m, 3000), 1);
	ck_assert_uint_eq(m.u.display_settings.dpi_1024, dpi_1024);
	ck_assert_uint_eq(m.u.display_settings.scale, scale);
}

START_TEST(test_host_xft_dpi_is_sent_at_hello_and_on_change)
{
	xcb_connection_t *c = host_client();
	set_resources(c, "Xcursor.size:\t24\nXft.dpi:\t192\nXft.antialias:\t1\n");
	ck_assert_int_eq(harness_connect(&h), 0);
	expect_settings(192u * 1024u, 0);
	set_resources(c, "Xft.dpi:\t144\n");
	expect_settings(144u * 1024u, 0);
	/* A change elsewhere in the database says nothing new: no message. */
	set_resources(c, "Xft.dpi:\t144\nXterm*faceSize: 11\n");
	struct proto_msg m;
	ck_assert_int_eq(harness_expect(&h, PROTO_MSG_SEAM_DISPLAY_SETTINGS, 0, &m, 300), 0);
	xcb_delete_property(c, root_of(c), XCB_ATOM_RESOURCE_MANAGER);
	xcb_disconnect(c);
}
END_TEST

START_TEST(test_host_xsettings_manager_is_followed)
{
	xcb_connection_t *c = host_client();
	set_resources(c, "Xft.dpi:\t96\n");
	ck_assert_int_eq(harness_connect(&h), 0);
	expect_settings(96u * 1024u, 0);
	/* A settings manager starts (ICCCM: own the selection, then MANAGER to the root). */
	xcb_window_t w = xcb_generate_id(c);
	xcb_create_window(c, 0, w, root_of(c), 0, 0, 1, 1, 0, XCB_WINDOW_CLASS_INPUT_ONLY, 0, 0,
			  NULL);
	uint8_t b[256];
	size_t n = xsettings(b, 120 * 1024, 2);
	xcb_atom_t prop = atom(c, "_XSETTINGS_SETTINGS"), sel = atom(c, "_XSETTINGS_S0");
	xcb_change_property(c, XCB_PROP_MODE_REPLACE, w, prop, prop, 8, (uint32_t)n, b);
	xcb_set_selection_owner(c, w, sel, XCB_CURRENT_TIME);
	xcb_client_message_event_t ev = {.response_type = XCB_CLIENT_MESSAGE,
					 .format = 32,
					 .window = root_of(c),
					 .type = atom(c, "MANAGER")};
	ev.data.data32[0] = XCB_CURRENT_TIME, ev.data.data32[1] = sel, ev.data.data32[2] = w;
	xcb_send_event(c, 0, root_of(c), XCB_EVENT_MASK_STRUCTURE_NOTIFY, (const char *)&ev);
	xcb_flush(c);
	expect_settings(120u * 1024u, 2);
	/* Its settings change. */
	n = xsettings(b, 192 * 1024, 0);
	xcb_change_property(c, XCB_PROP_MODE_REPLACE, w, prop, prop, 8, (uint32_t)n, b);
	xcb_flush(c);
	expect_settings(192u * 1024u, 0);
	/* It ends: the resource speaks again. */
	xcb_destroy_window(c, w);
	xcb_flush(c);
	expect_settings(96u * 1024u, 0);
	xcb_delete_property(c, root_of(c), XCB_ATOM_RESOURCE_MANAGER);
	xcb_disconnect(c);
}
END_TEST

START_TEST(test_resource_parser)
{
	const char *db = "Xft.dpix:\t300\nXft.dpi :  96.5\n";
	ck_assert_uint_eq(dpi_parse_resources(db, strlen(db)), 98816);
	db = "Xft.antialias:\t1\n";
	ck_assert_uint_eq(dpi_parse_resources(db, strlen(db)), 0);
	db = "Xft.dpi:\tlarge\n";
	ck_assert_uint_eq(dpi_parse_resources(db, strlen(db)), 0);
	db = "Xft.dpi:\t192"; /* not NUL-terminated within len: read only len bytes */
	ck_assert_uint_eq(dpi_parse_resources(db, 11), 19u * 1024u);
}
END_TEST

START_TEST(test_xsettings_parser_is_bounded)
{
	uint8_t b[256];
	int32_t dpi, scale;
	size_t n = xsettings(b, 144 * 1024, 2);
	dpi_parse_xsettings(b, n, &dpi, &scale);
	ck_assert_int_eq(dpi, 144 * 1024);
	ck_assert_int_eq(scale, 2);
	/* Cut anywhere: nothing past the end is read (ASan), and a cut setting is not taken. */
	for (size_t cut = 0; cut < n; cut++) {
		uint8_t *p = malloc(cut ? cut : 1);
		memcpy(p, b, cut);
		dpi_parse_xsettings(p, cut, &dpi, &scale);
		ck_assert_int_eq(scale, 0);
		free(p);
	}
	/* A count far past the data, a string longer than the property, an unknown type. */
	memset(b + 8, 0xff, 4);
	dpi_parse_xsettings(b, n, &dpi, &scale);
	ck_assert_int_eq(dpi, 144 * 1024);
	n = xsettings(b, 144 * 1024, 2);
	memset(b + 36, 0xff, 4); /* Net/ThemeName's length */
	dpi_parse_xsettings(b, n, &dpi, &scale);
	ck_assert_int_eq(dpi, 0);
	n = xsettings(b, 144 * 1024, 2);
	b[12] = 9;
	dpi_parse_xsettings(b, n, &dpi, &scale);
	ck_assert_int_eq(dpi, 0);
}
END_TEST

Suite *suite_dpi(void)
{
	Suite *s = suite_create("dpi");
	TCase *tc = tcase_create("dpi");
	tcase_set_timeout(tc, DAEMON_TEST_TIMEOUT_S);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_host_xft_dpi_is_sent_at_hello_and_on_change);
	tcase_add_test(tc, test_host_xsettings_manager_is_followed);
	suite_add_tcase(s, tc);
	TCase *parse = tcase_create("parse");
	tcase_add_test(parse, test_resource_parser);
	tcase_add_test(parse, test_xsettings_parser_is_bounded);
	suite_add_tcase(s, parse);
	return s;
}

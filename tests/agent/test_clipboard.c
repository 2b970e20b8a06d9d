/* The clipboard: what the agent serves after a paste from the host, when it stops, and what it
 * sends the daemon from the guest's CLIPBOARD (nothing, the text, or "too large"). */
#include <stdlib.h>
#include <string.h>

#include "gui-agent/clipboard.h"
#include "harness.h"
#include "suites.h"

/* A guest application: owns CLIPBOARD and answers requests with data, or asks for the answer to
 * a request it made. */
struct app {
	struct harness *h;
	xcb_window_t win;
	xcb_atom_t clipboard, utf8, prop;
	const uint8_t *data; /* what it serves */
	uint32_t len;
	bool refuse_utf8; /* serve STRING only */
	bool notified;	  /* SelectionNotify for a request it made */
	xcb_atom_t notified_property;
};

static void app_event(void *ctx, const xcb_generic_event_t *ev)
{
	struct app *a = ctx;
	uint8_t type = ev->response_type & 0x7f;
	if (type == XCB_SELECTION_NOTIFY) {
		const xcb_selection_notify_event_t *n = (const void *)ev;
		a->notified = true;
		a->notified_property = n->property;
		return;
	}
	if (type != XCB_SELECTION_REQUEST)
		return;
	const xcb_selection_request_event_t *e = (const void *)ev;
	xcb_selection_notify_event_t n = {.response_type = XCB_SELECTION_NOTIFY,
					  .time = e->time,
					  .requestor = e->requestor,
					  .selection = e->selection,
					  .target = e->target,
					  .property = XCB_NONE};
	bool ok = e->target == XCB_ATOM_STRING || (e->target == a->utf8 && !a->refuse_utf8);
	if (ok) {
		xcb_change_property(a->h->client, XCB_PROP_MODE_REPLACE, e->requestor, e->property,
				    e->target, 8, a->len, a->data);
		n.property = e->property;
	}
	xcb_send_event(a->h->client, 0, e->requestor, XCB_EVENT_MASK_NO_EVENT, (const char *)&n);
	xcb_flush(a->h->client);
}

static void app_open(struct app *a, struct harness *h)
{
	*a = (struct app){.h = h};
	a->win = harness_window(h, 0, 0, 10, 10);
	a->clipboard = harness_atom(h, "CLIPBOARD");
	a->utf8 = harness_atom(h, "UTF8_STRING");
	a->prop = harness_atom(h, "SEAM_TEST_PASTE");
	h->client_event = app_event;
	h->client_ctx = a;
}

static void app_own(struct app *a, const void *data, uint32_t len)
{
	a->data = data;
	a->len = len;
	xcb_set_selection_owner(a->h->client, a->win, a->clipboard, XCB_CURRENT_TIME);
	harness_sync_client(a->h);
}

static bool app_notified(void *ctx)
{
	return ((struct app *)ctx)->notified;
}

/* Paste selection as target into the app's window; the property's reply (the caller frees it),
 * or NULL if the owner refused. */
static xcb_get_property_reply_t *app_paste_from(struct app *a, xcb_atom_t selection,
						xcb_atom_t target)
{
	a->notified = false;
	xcb_convert_selection(a->h->client, a->win, selection, target, a->prop, XCB_CURRENT_TIME);
	ck_assert_msg(harness_pump(a->h, app_notified, a, 5000), "no SelectionNotify");
	if (a->notified_property == XCB_NONE)
		return NULL;
	xcb_get_property_reply_t *r = xcb_get_property_reply(
	    a->h->client,
	    xcb_get_property(a->h->client, 1, a->win, a->prop, XCB_GET_PROPERTY_TYPE_ANY, 0, 1024),
	    NULL);
	ck_assert_ptr_nonnull(r);
	return r;
}

static xcb_get_property_reply_t *app_paste(struct app *a, xcb_atom_t target)
{
	return app_paste_from(a, a->clipboard, target);
}

/* selection, pasted as UTF8_STRING, holds exactly text. */
static void assert_pastes(struct app *a, xcb_atom_t selection, const char *text)
{
	xcb_get_property_reply_t *r = app_paste_from(a, selection, a->utf8);
	ck_assert_msg(r != NULL, "the selection's owner refused UTF8_STRING");
	ck_assert_int_eq(xcb_get_property_value_length(r), (int)strlen(text));
	ck_assert_mem_eq(xcb_get_property_value(r), text, strlen(text));
	free(r);
}

/* The host pastes text; the agent owns the selections before anyone asks. */
static void host_paste(struct harness *h, const char *text)
{
	ck_assert_int_eq(clipboard_set(h->clipboard, (const uint8_t *)text, strlen(text)), 0);
	harness_sync_agent(h);
}

/* The app takes selection; the agent's SelectionClear is pumped. */
static void app_take(struct app *a, xcb_atom_t selection)
{
	xcb_set_selection_owner(a->h->client, a->win, selection, XCB_CURRENT_TIME);
	harness_sync_client(a->h);
	harness_pump(a->h, NULL, NULL, 100);
}

/* The CLIPBOARD_DATA the daemon got after a CLIPBOARD_REQ. */
static const struct harness_msg *request(struct harness *h)
{
	unsigned before = h->nmsgs;
	clipboard_request(h->clipboard);
	ck_assert_msg(harness_wait_msgs(h, before + 1, 5000), "no CLIPBOARD_DATA");
	unsigned from = before;
	const struct harness_msg *m = harness_find_msg(h, PROTO_MSG_CLIPBOARD_DATA, &from);
	ck_assert_ptr_nonnull(m);
	return m;
}

START_TEST(test_serves_what_the_host_pasted)
{
	struct harness h;
	harness_open(&h, false, true);
	struct app a;
	app_open(&a, &h);
	uint32_t len;
	ck_assert_ptr_null(clipboard_served(h.clipboard, &len));
	static const char text[] = "from the host \xe2\x9c\x93";
	ck_assert_int_eq(clipboard_set(h.clipboard, (const uint8_t *)text, sizeof(text) - 1), 0);
	harness_sync_agent(&h); /* the agent owns CLIPBOARD before the app asks */
	const uint8_t *served = clipboard_served(h.clipboard, &len);
	ck_assert_uint_eq(len, sizeof(text) - 1);
	ck_assert_mem_eq(served, text, len);

	xcb_get_property_reply_t *r = app_paste(&a, a.utf8);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->type, a.utf8);
	ck_assert_int_eq(xcb_get_property_value_length(r), (int)(sizeof(text) - 1));
	ck_assert_mem_eq(xcb_get_property_value(r), text, sizeof(text) - 1);
	free(r);

	r = app_paste(&a, harness_atom(&h, "TARGETS"));
	ck_assert_ptr_nonnull(r);
	const xcb_atom_t *t = xcb_get_property_value(r);
	int n = xcb_get_property_value_length(r) / 4;
	bool utf8 = false, string = false;
	for (int i = 0; i < n; i++) {
		utf8 |= t[i] == a.utf8;
		string |= t[i] == XCB_ATOM_STRING;
	}
	ck_assert(utf8 && string);
	free(r);

	/* Targets it has no text for are refused. */
	ck_assert_ptr_null(app_paste(&a, harness_atom(&h, "image/png")));
	harness_close(&h);
}
END_TEST

START_TEST(test_a_paste_owns_primary_and_clipboard)
{
	struct harness h;
	harness_open(&h, false, true);
	struct app a;
	app_open(&a, &h);
	static const char text[] = "both selections";
	host_paste(&h, text);
	ck_assert_uint_eq(harness_selection_owner(&h, a.clipboard), h.xc->stub);
	ck_assert_uint_eq(harness_selection_owner(&h, XCB_ATOM_PRIMARY), h.xc->stub);
	assert_pastes(&a, a.clipboard, text);
	assert_pastes(&a, XCB_ATOM_PRIMARY, text);
	/* A middle click in xterm asks for PRIMARY as STRING first in some locales. */
	xcb_get_property_reply_t *r = app_paste_from(&a, XCB_ATOM_PRIMARY, XCB_ATOM_STRING);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(xcb_get_property_value_length(r), (int)(sizeof(text) - 1));
	free(r);
	harness_close(&h);
}
END_TEST

/* A guest application that selects text (PRIMARY) leaves the pasted CLIPBOARD alone, and the
 * other way round; the text goes when both are gone. */
START_TEST(test_losing_one_selection_keeps_the_other)
{
	struct harness h;
	harness_open(&h, false, true);
	struct app a;
	app_open(&a, &h);
	host_paste(&h, "kept");
	a.data = (const uint8_t *)"selected";
	a.len = 8;
	app_take(&a, XCB_ATOM_PRIMARY);
	assert_pastes(&a, a.clipboard, "kept");
	uint32_t len;
	ck_assert_ptr_nonnull(clipboard_served(h.clipboard, &len));

	/* A new paste takes PRIMARY back. */
	host_paste(&h, "again");
	assert_pastes(&a, XCB_ATOM_PRIMARY, "again");
	app_take(&a, a.clipboard);
	ck_assert_ptr_nonnull(clipboard_served(h.clipboard, &len));
	assert_pastes(&a, XCB_ATOM_PRIMARY, "again");

	app_take(&a, XCB_ATOM_PRIMARY);
	for (int i = 0; i < 100 && clipboard_served(h.clipboard, &len); i++)
		harness_pump(&h, NULL, NULL, 20);
	ck_assert_ptr_null(clipboard_served(h.clipboard, &len));
	harness_close(&h);
}
END_TEST

START_TEST(test_a_guest_copy_ends_the_paste)
{
	struct harness h;
	harness_open(&h, false, true);
	struct app a;
	app_open(&a, &h);
	host_paste(&h, "x");
	app_take(&a, XCB_ATOM_PRIMARY);
	app_own(&a, "mine", 4);
	uint32_t len = 1;
	for (int i = 0; i < 100 && clipboard_served(h.clipboard, &len); i++)
		harness_pump(&h, NULL, NULL, 20);
	ck_assert_ptr_null(clipboard_served(h.clipboard, &len));
	ck_assert_uint_eq(len, 0);
	harness_close(&h);
}
END_TEST

START_TEST(test_request_without_owner_sends_nothing)
{
	struct harness h;
	harness_open(&h, false, true);
	const struct harness_msg *m = request(&h);
	ck_assert_uint_eq(m->m.data_len, 0);
	harness_close(&h);
}
END_TEST

START_TEST(test_request_sends_the_guest_text)
{
	struct harness h;
	harness_open(&h, false, true);
	struct app a;
	app_open(&a, &h);
	app_own(&a, "guest text", 10);
	const struct harness_msg *m = request(&h);
	ck_assert_uint_eq(m->m.data_len, 10);
	ck_assert_mem_eq(m->data, "guest text", 10);
	harness_close(&h);
}
END_TEST

START_TEST(test_request_falls_back_to_string)
{
	struct harness h;
	harness_open(&h, false, true);
	struct app a;
	app_open(&a, &h);
	a.refuse_utf8 = true;
	app_own(&a, "latin", 5);
	const struct harness_msg *m = request(&h);
	ck_assert_uint_eq(m->m.data_len, 5);
	ck_assert_mem_eq(m->data, "latin", 5);
	harness_close(&h);
}
END_TEST

START_TEST(test_request_of_too_much_says_oversize)
{
	struct harness h;
	harness_open(&h, false, true);
	struct app a;
	app_open(&a, &h);
	uint32_t big = PROTO_CLIPBOARD_MAX + 4000;
	uint8_t *data = malloc(big);
	ck_assert_ptr_nonnull(data);
	memset(data, 'a', big);
	app_own(&a, data, big);
	const struct harness_msg *m = request(&h);
	ck_assert_uint_eq(m->m.data_len, PROTO_CLIPBOARD_OVERSIZE_MARK);
	free(data);
	harness_close(&h);
}
END_TEST

START_TEST(test_request_of_exactly_the_limit_passes)
{
	struct harness h;
	harness_open(&h, false, true);
	struct app a;
	app_open(&a, &h);
	uint8_t *data = malloc(PROTO_CLIPBOARD_MAX);
	ck_assert_ptr_nonnull(data);
	memset(data, 'b', PROTO_CLIPBOARD_MAX);
	app_own(&a, data, PROTO_CLIPBOARD_MAX);
	const struct harness_msg *m = request(&h);
	ck_assert_uint_eq(m->m.data_len, PROTO_CLIPBOARD_MAX);
	ck_assert_uint_eq(m->data[PROTO_CLIPBOARD_MAX - 1], 'b');
	free(data);
	harness_close(&h);
}
END_TEST

Suite *suite_clipboard(void)
{
	Suite *s = suite_create("clipboard");
	TCase *tc = harness_tcase("state");
	tcase_add_test(tc, test_serves_what_the_host_pasted);
	tcase_add_test(tc, test_a_paste_owns_primary_and_clipboard);
	tcase_add_test(tc, test_losing_one_selection_keeps_the_other);
	tcase_add_test(tc, test_a_guest_copy_ends_the_paste);
	tcase_add_test(tc, test_request_without_owner_sends_nothing);
	tcase_add_test(tc, test_request_sends_the_guest_text);
	tcase_add_test(tc, test_request_falls_back_to_string);
	tcase_add_test(tc, test_request_of_too_much_says_oversize);
	tcase_add_test(tc, test_request_of_exactly_the_limit_passes);
	suite_add_tcase(s, tc);
	return s;
}

/* The guest's CLIPBOARD, only ever on the daemon's request (the user's copy and paste keys on the
 * host): CLIPBOARD_REQ reads it, CLIPBOARD_DATA makes the agent its owner. PRIMARY is never read. */
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "gui-agent/agent.h"

/* What a property read may return: one byte past the protocol's limit says "larger than that". */
#define CLIP_READ_LONGS ((PROTO_CLIPBOARD_OVERSIZE_MARK + 3u) / 4u)

static void send_data(struct agent *a, const uint8_t *data, uint32_t len)
{
	struct proto_msg m = {.type = PROTO_MSG_CLIPBOARD_DATA};
	m.data = data;
	m.data_len = len;
	conn_send(a, &m, NULL, 0);
}

void clipboard_request(struct agent *a)
{
	xcb_get_selection_owner_reply_t *o = xcb_get_selection_owner_reply(
		a->x, xcb_get_selection_owner(a->x, a->atoms[ATOM_CLIPBOARD]), NULL);
	bool owned = o && o->owner != XCB_NONE;
	free(o);
	if (!owned) {
		send_data(a, NULL, 0); /* nothing to copy */
		return;
	}
	a->clip_target = a->atoms[ATOM_UTF8_STRING];
	xcb_convert_selection(a->x, a->stub, a->atoms[ATOM_CLIPBOARD], a->clip_target,
			      a->atoms[ATOM_SEAM_SELECTION], XCB_CURRENT_TIME);
	a->clip_converting = true;
}

void clipboard_selection_notify(struct agent *a, const xcb_selection_notify_event_t *e)
{
	if (!a->clip_converting || e->requestor != a->stub ||
	    e->selection != a->atoms[ATOM_CLIPBOARD])
		return;
	if (e->property == XCB_NONE) {
		/* The owner has no UTF8_STRING: ask once more for plain STRING. */
		if (a->clip_target == a->atoms[ATOM_UTF8_STRING]) {
			a->clip_target = XCB_ATOM_STRING;
			xcb_convert_selection(a->x, a->stub, a->atoms[ATOM_CLIPBOARD], XCB_ATOM_STRING,
					      a->atoms[ATOM_SEAM_SELECTION], XCB_CURRENT_TIME);
			return;
		}
		a->clip_converting = false;
		send_data(a, NULL, 0);
		return;
	}
	a->clip_converting = false;
	xcb_get_property_reply_t *r = xcb_get_property_reply(
		a->x,
		xcb_get_property(a->x, 1, a->stub, a->atoms[ATOM_SEAM_SELECTION],
				 XCB_GET_PROPERTY_TYPE_ANY, 0, CLIP_READ_LONGS),
		NULL);
	if (!r || r->format != 8 || r->type == a->atoms[ATOM_INCR]) {
		/* INCR transfers are for data far past the limit: report it as oversized. */
		if (r && r->type == a->atoms[ATOM_INCR]) {
			uint8_t *big = calloc(1, PROTO_CLIPBOARD_OVERSIZE_MARK);
			if (big)
				send_data(a, big, PROTO_CLIPBOARD_OVERSIZE_MARK);
			free(big);
		} else {
			send_data(a, NULL, 0);
		}
		free(r);
		return;
	}
	uint32_t len = (uint32_t)xcb_get_property_value_length(r);
	if (len > PROTO_CLIPBOARD_OVERSIZE_MARK || r->bytes_after)
		len = PROTO_CLIPBOARD_OVERSIZE_MARK;
	send_data(a, xcb_get_property_value(r), len);
	log_debug("clipboard: sent %u bytes to the daemon", len);
	free(r);
}

void clipboard_set(struct agent *a, const uint8_t *data, uint32_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	if (!copy)
		return;
	memcpy(copy, data, len);
	free(a->clip_data);
	a->clip_data = copy;
	a->clip_len = len;
	xcb_set_selection_owner(a->x, a->stub, a->atoms[ATOM_CLIPBOARD], XCB_CURRENT_TIME);
	log_debug("clipboard: %u bytes pasted from the host, the agent owns CLIPBOARD", len);
}

void clipboard_selection_request(struct agent *a, const xcb_selection_request_event_t *e)
{
	xcb_selection_notify_event_t n = {
		.response_type = XCB_SELECTION_NOTIFY,
		.time = e->time,
		.requestor = e->requestor,
		.selection = e->selection,
		.target = e->target,
		.property = XCB_NONE, /* refused unless set below */
	};
	xcb_atom_t prop = e->property != XCB_NONE ? e->property : e->target;
	const xcb_atom_t *at = a->atoms;
	if (e->owner == a->stub && e->selection == at[ATOM_CLIPBOARD] && a->clip_data) {
		if (e->target == at[ATOM_TARGETS]) {
			xcb_atom_t targets[] = {at[ATOM_TARGETS], at[ATOM_UTF8_STRING], at[ATOM_TEXT],
						XCB_ATOM_STRING};
			xcb_change_property(a->x, XCB_PROP_MODE_REPLACE, e->requestor, prop,
					    XCB_ATOM_ATOM, 32, 4, targets);
			n.property = prop;
		} else if (e->target == at[ATOM_UTF8_STRING] || e->target == at[ATOM_TEXT] ||
			   e->target == XCB_ATOM_STRING) {
			/* The daemon sent validated UTF-8; STRING requesters get the same bytes. */
			xcb_atom_t type =
				e->target == XCB_ATOM_STRING ? XCB_ATOM_STRING : at[ATOM_UTF8_STRING];
			xcb_change_property(a->x, XCB_PROP_MODE_REPLACE, e->requestor, prop, type, 8,
					    a->clip_len, a->clip_data);
			n.property = prop;
		}
	}
	xcb_send_event(a->x, 0, e->requestor, XCB_EVENT_MASK_NO_EVENT, (const char *)&n);
}

void clipboard_selection_clear(struct agent *a, const xcb_selection_clear_event_t *e)
{
	if (e->owner != a->stub || e->selection != a->atoms[ATOM_CLIPBOARD])
		return;
	/* Another guest application took the clipboard: ours is no longer what it holds. */
	free(a->clip_data);
	a->clip_data = NULL;
	a->clip_len = 0;
}

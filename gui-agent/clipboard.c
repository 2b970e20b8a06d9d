/* The guest's CLIPBOARD and PRIMARY on the daemon's request (gui-agent/clipboard.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "gui-agent/clipboard.h"

/* What a property read may return: one byte past the protocol's limit says "larger than that". */
#define CLIP_READ_LONGS ((PROTO_CLIPBOARD_OVERSIZE_MARK + 3u) / 4u)

struct clipboard {
	const struct xctx *xc;
	struct link *link;
	uint8_t *data; /* what the host pasted; NULL when the agent owns neither selection */
	uint32_t len;
	/* Which selections still serve data: a guest application taking one leaves the other. */
	bool owns_clipboard, owns_primary;
	bool converting;   /* a CLIPBOARD_REQ waits for the owner's answer */
	xcb_atom_t target; /* the target asked for (UTF8_STRING, then STRING) */
};

int clipboard_create(const struct xctx *xc, struct link *l, struct clipboard **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	(*out)->xc = xc;
	(*out)->link = l;
	return 0;
}

void clipboard_destroy(struct clipboard *cb)
{
	if (!cb)
		return;
	free(cb->data);
	free(cb);
}

const uint8_t *clipboard_served(const struct clipboard *cb, uint32_t *len)
{
	*len = cb->data ? cb->len : 0;
	return cb->data;
}

static void send_data(struct clipboard *cb, const uint8_t *data, uint32_t len)
{
	struct proto_msg m = {.type = PROTO_MSG_CLIPBOARD_DATA};
	m.data = data;
	m.data_len = len;
	link_send(cb->link, &m, NULL, 0);
}

/* A copy of len bytes (more_follow: and more than that) within what the agreed version carries.
 * From 1.8 a copy past the maximum goes as PROTO_CLIPBOARD_OVERSIZE_MARK bytes, which a daemon
 * reads as "too large" and refuses with a notice; before 1.8 there is no such signal, and Qubes'
 * 4.2 daemon ends the guest's GUI on a longer message, so an oversized copy is not sent at all
 * (an empty one instead) and the log says why. Never a silently truncated copy. */
static void send_text(struct clipboard *cb, const uint8_t *data, uint32_t len, bool more_follow)
{
	uint32_t version = link_version(cb->link);
	uint32_t max = proto_clipboard_max(version);
	uint32_t fits = max == PROTO_CLIPBOARD_OVERSIZE_MARK ? PROTO_CLIPBOARD_MAX : max;
	if (!more_follow && len <= fits) {
		send_data(cb, data, len);
		log_debug("clipboard: sent %u bytes to the daemon", len);
		return;
	}
	if (max == PROTO_CLIPBOARD_OVERSIZE_MARK) {
		uint8_t *mark = calloc(1, PROTO_CLIPBOARD_OVERSIZE_MARK);
		if (mark) {
			if (data)
				memcpy(mark, data, len < fits ? len : fits);
			send_data(cb, mark, PROTO_CLIPBOARD_OVERSIZE_MARK);
			free(mark);
		} else {
			send_data(cb, NULL, 0);
		}
		log_info("clipboard: the copy is larger than %u bytes: sent as oversized",
			 PROTO_CLIPBOARD_MAX);
		return;
	}
	send_data(cb, NULL, 0);
	log_warn("clipboard: the copy is larger than the %u bytes protocol %u.%u carries: not sent",
		 max, PROTO_VERSION_MAJOR(version), PROTO_VERSION_MINOR(version));
}

static void convert(struct clipboard *cb, xcb_atom_t target)
{
	const xcb_atom_t *at = cb->xc->atoms;
	cb->target = target;
	xcb_convert_selection(cb->xc->x, cb->xc->stub, at[XCTX_CLIPBOARD], target,
			      at[XCTX_SEAM_SELECTION], XCB_CURRENT_TIME);
}

void clipboard_request(struct clipboard *cb)
{
	xcb_connection_t *x = cb->xc->x;
	xcb_get_selection_owner_reply_t *o = xcb_get_selection_owner_reply(
	    x, xcb_get_selection_owner(x, cb->xc->atoms[XCTX_CLIPBOARD]), NULL);
	bool owned = o && o->owner != XCB_NONE;
	free(o);
	if (!owned) {
		send_data(cb, NULL, 0); /* nothing to copy */
		return;
	}
	convert(cb, cb->xc->atoms[XCTX_UTF8_STRING]);
	cb->converting = true;
}

/* The owner's answer is in the agent's window's SEAM_SELECTION property: send it, or say it is
 * too large. */
static void send_converted(struct clipboard *cb)
{
	xcb_connection_t *x = cb->xc->x;
	const xcb_atom_t *at = cb->xc->atoms;
	xcb_get_property_reply_t *r =
	    xcb_get_property_reply(x,
				   xcb_get_property(x, 1, cb->xc->stub, at[XCTX_SEAM_SELECTION],
						    XCB_GET_PROPERTY_TYPE_ANY, 0, CLIP_READ_LONGS),
				   NULL);
	if (!r || r->format != 8 || r->type == at[XCTX_INCR]) {
		/* INCR transfers are for data far past the limit: report it as oversized. */
		if (r && r->type == at[XCTX_INCR]) {
			send_text(cb, NULL, 0, true);
		} else {
			send_data(cb, NULL, 0);
		}
		free(r);
		return;
	}
	uint32_t len = (uint32_t)xcb_get_property_value_length(r);
	send_text(cb, xcb_get_property_value(r), len, r->bytes_after != 0);
	free(r);
}

static void selection_notify(struct clipboard *cb, const xcb_selection_notify_event_t *e)
{
	if (!cb->converting || e->requestor != cb->xc->stub ||
	    e->selection != cb->xc->atoms[XCTX_CLIPBOARD])
		return;
	if (e->property == XCB_NONE) {
		/* The owner has no UTF8_STRING: ask once more for plain STRING. */
		if (cb->target == cb->xc->atoms[XCTX_UTF8_STRING]) {
			convert(cb, XCB_ATOM_STRING);
			return;
		}
		cb->converting = false;
		send_data(cb, NULL, 0);
		return;
	}
	cb->converting = false;
	send_converted(cb);
}

int clipboard_set(struct clipboard *cb, const uint8_t *data, uint32_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	if (!copy) {
		log_warn("clipboard: out of memory for %u bytes pasted from the host", len);
		return -ENOMEM;
	}
	memcpy(copy, data, len);
	free(cb->data);
	cb->data = copy;
	cb->len = len;
	/* Both selections, as Qubes' agent does: Ctrl+V and Shift+Insert read CLIPBOARD (or
	 * PRIMARY, in xterm), a middle click reads PRIMARY. */
	xcb_set_selection_owner(cb->xc->x, cb->xc->stub, cb->xc->atoms[XCTX_CLIPBOARD],
				XCB_CURRENT_TIME);
	xcb_set_selection_owner(cb->xc->x, cb->xc->stub, XCB_ATOM_PRIMARY, XCB_CURRENT_TIME);
	cb->owns_clipboard = cb->owns_primary = true;
	log_debug("clipboard: %u bytes pasted from the host, the agent owns CLIPBOARD and PRIMARY",
		  len);
	return 0;
}

/* The flag saying whether the agent serves selection, or NULL for a selection it never owns. */
static bool *owned_flag(struct clipboard *cb, xcb_atom_t selection)
{
	if (selection == cb->xc->atoms[XCTX_CLIPBOARD])
		return &cb->owns_clipboard;
	if (selection == XCB_ATOM_PRIMARY)
		return &cb->owns_primary;
	return NULL;
}

static void selection_request(struct clipboard *cb, const xcb_selection_request_event_t *e)
{
	xcb_selection_notify_event_t n = {
	    .response_type = XCB_SELECTION_NOTIFY,
	    .time = e->time,
	    .requestor = e->requestor,
	    .selection = e->selection,
	    .target = e->target,
	    .property = XCB_NONE, /* refused unless set below */
	};
	xcb_connection_t *x = cb->xc->x;
	xcb_atom_t prop = e->property != XCB_NONE ? e->property : e->target;
	const xcb_atom_t *at = cb->xc->atoms;
	const bool *owned = owned_flag(cb, e->selection);
	if (e->owner == cb->xc->stub && owned && *owned && cb->data) {
		if (e->target == at[XCTX_TARGETS]) {
			xcb_atom_t targets[] = {at[XCTX_TARGETS], at[XCTX_UTF8_STRING],
						at[XCTX_TEXT], XCB_ATOM_STRING};
			xcb_change_property(x, XCB_PROP_MODE_REPLACE, e->requestor, prop,
					    XCB_ATOM_ATOM, 32, 4, targets);
			n.property = prop;
		} else if (e->target == at[XCTX_UTF8_STRING] || e->target == at[XCTX_TEXT] ||
			   e->target == XCB_ATOM_STRING) {
			/* The daemon sent validated UTF-8; STRING requesters get the same bytes. */
			xcb_atom_t type =
			    e->target == XCB_ATOM_STRING ? XCB_ATOM_STRING : at[XCTX_UTF8_STRING];
			xcb_change_property(x, XCB_PROP_MODE_REPLACE, e->requestor, prop, type, 8,
					    cb->len, cb->data);
			n.property = prop;
		}
	}
	xcb_send_event(x, 0, e->requestor, XCB_EVENT_MASK_NO_EVENT, (const char *)&n);
}

static void selection_clear(struct clipboard *cb, const xcb_selection_clear_event_t *e)
{
	bool *owned = owned_flag(cb, e->selection);
	if (e->owner != cb->xc->stub || !owned)
		return;
	/* Another guest application took this selection: ours is no longer what it holds. The
	 * text stays served by the other selection until that one goes too. */
	*owned = false;
	if (cb->owns_clipboard || cb->owns_primary)
		return;
	free(cb->data);
	cb->data = NULL;
	cb->len = 0;
}

bool clipboard_handle_event(struct clipboard *cb, const xcb_generic_event_t *ev)
{
	switch (ev->response_type & 0x7f) {
	case XCB_SELECTION_NOTIFY:
		selection_notify(cb, (const xcb_selection_notify_event_t *)ev);
		return true;
	case XCB_SELECTION_REQUEST:
		selection_request(cb, (const xcb_selection_request_event_t *)ev);
		return true;
	case XCB_SELECTION_CLEAR:
		selection_clear(cb, (const xcb_selection_clear_event_t *)ev);
		return true;
	default:
		return false;
	}
}

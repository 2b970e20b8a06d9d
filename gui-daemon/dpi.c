/* The host's DPI and window scale for the agent (gui-daemon/dpi.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xconn.h"
#include "gui-daemon/dpi.h"

struct dpi {
	struct display *dp;
	struct session *session;
	xcb_atom_t settings; /* _XSETTINGS_SETTINGS, on the manager's window */
	xcb_atom_t manager;  /* MANAGER, the ICCCM announcement of a new selection owner */
	xcb_window_t owner;  /* the host's XSETTINGS manager's window, or XCB_NONE */
	struct proto_seam_display_settings sent;
	bool have_sent;
};

static void watch_owner(struct dpi *d)
{
	xcb_connection_t *x = display_x(d->dp);
	xcb_get_selection_owner_reply_t *r = xcb_get_selection_owner_reply(
	    x, xcb_get_selection_owner(x, display_atom(d->dp, DISPLAY_XSETTINGS)), NULL);
	d->owner = r ? r->owner : XCB_NONE;
	free(r);
	if (d->owner == XCB_NONE)
		return;
	/* Its settings' changes, and its end. Only this client's mask on that window changes. */
	uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE | XCB_EVENT_MASK_STRUCTURE_NOTIFY;
	xcb_change_window_attributes(x, d->owner, XCB_CW_EVENT_MASK, &mask);
}

int dpi_create(struct display *dp, struct session *s, struct dpi **out)
{
	struct dpi *d = calloc(1, sizeof(*d));
	*out = d;
	if (!d)
		return -ENOMEM;
	d->dp = dp;
	d->session = s;
	xcb_connection_t *x = display_x(dp);
	d->settings = xconn_intern(x, "_XSETTINGS_SETTINGS");
	d->manager = xconn_intern(x, "MANAGER");
	/* RESOURCE_MANAGER's changes, and MANAGER, which a new settings manager sends to the root
	 * with StructureNotify: added to what other components listen to there. */
	display_add_root_events(dp,
				XCB_EVENT_MASK_PROPERTY_CHANGE | XCB_EVENT_MASK_STRUCTURE_NOTIFY);
	watch_owner(d);
	return 0;
}

void dpi_destroy(struct dpi *d)
{
	free(d);
}

/* Digits, then an optional fraction, as Xft reads a double: 1024ths, or 0 if none. */
static uint32_t parse_dpi_value(const char *p, const char *end)
{
	uint64_t whole = 0, frac = 0, scale = 1;
	const char *start = p;
	for (; p < end && *p >= '0' && *p <= '9' && whole < 100000; p++)
		whole = whole * 10 + (uint64_t)(*p - '0');
	if (p == start)
		return 0;
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9' && scale < 1000; p++)
			frac = frac * 10 + (uint64_t)(*p - '0'), scale *= 10;
	uint64_t v = whole * 1024u + (frac * 1024u + scale / 2) / scale;
	return v > UINT32_MAX ? 0 : (uint32_t)v;
}

uint32_t dpi_parse_resources(const char *db, size_t len)
{
	static const char name[] = "Xft.dpi";
	const char *end = db + len;
	for (const char *line = db; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *eol = nl ? nl : end;
		const char *p = line;
		if ((size_t)(eol - p) > sizeof(name) - 1 && !memcmp(p, name, sizeof(name) - 1)) {
			p += sizeof(name) - 1;
			while (p < eol && (*p == ' ' || *p == '\t'))
				p++;
			if (p < eol && *p == ':') {
				for (p++; p < eol && (*p == ' ' || *p == '\t'); p++)
					;
				return parse_dpi_value(p, eol);
			}
		}
		line = eol + 1;
	}
	return 0;
}

static uint32_t rd32(const uint8_t *p, bool msb)
{
	return msb ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
		   : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static size_t pad4(size_t n)
{
	return (n + 3u) & ~(size_t)3u;
}

/* The XSETTINGS wire format (freedesktop.org XSETTINGS specification): byte order, 3 unused,
 * serial, count, then per setting type (0 integer, 1 string, 2 color), 1 unused, name length,
 * the name padded to 4, the serial of its last change, the value. Every length is checked
 * against what is left before it is used. */
void dpi_parse_xsettings(const uint8_t *p, size_t len, int32_t *dpi_1024, int32_t *scale)
{
	*dpi_1024 = 0;
	*scale = 0;
	if (len < 12 || p[0] > 1)
		return;
	bool msb = p[0] == 1;
	uint32_t count = rd32(p + 8, msb);
	size_t off = 12;
	for (uint32_t i = 0; i < count && i < DPI_XSETTINGS_MAX && len - off >= 4; i++) {
		uint8_t type = p[off];
		size_t name_len = msb ? (size_t)(p[off + 2] << 8 | p[off + 3])
				      : (size_t)(p[off + 3] << 8 | p[off + 2]);
		const uint8_t *name = p + off + 4;
		if (len - off - 4 < pad4(name_len) + 4)
			return;
		size_t value = off + 4 + pad4(name_len) + 4, value_len;
		if (type == 0 || type == 2) {
			value_len = type == 0 ? 4 : 8;
		} else if (type == 1 && len - value >= 4) {
			uint32_t n = rd32(p + value, msb);
			if (n > len)
				return;
			value_len = 4 + pad4(n);
		} else {
			return;
		}
		if (len - value < value_len)
			return;
		if (type == 0) {
			int32_t v = (int32_t)rd32(p + value, msb);
			if (name_len == 7 && !memcmp(name, "Xft/DPI", 7))
				*dpi_1024 = v;
			else if (name_len == 23 && !memcmp(name, "Gdk/WindowScalingFactor", 23))
				*scale = v;
		}
		off = value + value_len;
	}
}

/* The property's value (format 8), or NULL; the caller frees the reply. */
static xcb_get_property_reply_t *read_property(struct dpi *d, xcb_window_t w, xcb_atom_t atom)
{
	xcb_connection_t *x = display_x(d->dp);
	xcb_get_property_reply_t *r = xcb_get_property_reply(
	    x, xcb_get_property(x, 0, w, atom, XCB_GET_PROPERTY_TYPE_ANY, 0, DPI_PROPERTY_MAX / 4),
	    NULL);
	if (r && r->format != 8) {
		free(r);
		return NULL;
	}
	return r;
}

/* What the host says now: its settings manager's values where it has them (what GTK applications
 * on the host follow), else the resource (what Xft, xterm and Qt read). Out-of-bounds values
 * count as not said. */
static struct proto_seam_display_settings host_settings(struct dpi *d)
{
	struct proto_seam_display_settings s = {0, 0};
	int32_t xs_dpi = 0, xs_scale = 0;
	xcb_get_property_reply_t *r;
	if (d->owner != XCB_NONE && (r = read_property(d, d->owner, d->settings))) {
		dpi_parse_xsettings(xcb_get_property_value(r),
				    (size_t)xcb_get_property_value_length(r), &xs_dpi, &xs_scale);
		free(r);
	}
	if ((r = read_property(d, display_screen(d->dp)->root, XCB_ATOM_RESOURCE_MANAGER))) {
		s.dpi_1024 = dpi_parse_resources(xcb_get_property_value(r),
						 (size_t)xcb_get_property_value_length(r));
		free(r);
	}
	if (xs_dpi > 0)
		s.dpi_1024 = (uint32_t)xs_dpi;
	if (xs_scale > 0)
		s.scale = (uint32_t)xs_scale;
	struct proto_error err;
	if (proto_validate_seam_display_settings(&s, &err)) {
		log_warn("dpi: the host's %s cannot be told to the guest (%s)", err.field,
			 err.text);
		if (!strcmp(err.field, "scale"))
			s.scale = 0;
		else
			s.dpi_1024 = 0;
		if (proto_validate_seam_display_settings(&s, &err))
			s = (struct proto_seam_display_settings){0, 0};
	}
	return s;
}

static void send_if_changed(struct dpi *d)
{
	if (!session_has_feature(d->session, PROTO_SEAM_FEATURE_DISPLAY_SETTINGS))
		return;
	struct proto_seam_display_settings s = host_settings(d);
	if (d->have_sent ? !memcmp(&s, &d->sent, sizeof(s)) : !s.dpi_1024 && !s.scale)
		return;
	struct proto_msg m = {.type = PROTO_MSG_SEAM_DISPLAY_SETTINGS};
	m.u.display_settings = s;
	if (session_send(d->session, &m))
		return;
	d->sent = s;
	d->have_sent = true;
	log_info("dpi: %u.%03u dpi, scale %u sent to the guest", s.dpi_1024 / 1024u,
		 (s.dpi_1024 % 1024u) * 1000u / 1024u, s.scale);
}

void dpi_agent_ready(struct dpi *d)
{
	d->have_sent = false; /* a new agent knows nothing yet */
	send_if_changed(d);
}

bool dpi_event(struct dpi *d, const xcb_generic_event_t *ev)
{
	xcb_window_t root = display_screen(d->dp)->root;
	switch (ev->response_type & 0x7f) {
	case XCB_PROPERTY_NOTIFY: {
		const xcb_property_notify_event_t *e = (const void *)ev;
		if (!(e->window == root && e->atom == XCB_ATOM_RESOURCE_MANAGER) &&
		    !(e->window == d->owner && e->atom == d->settings))
			return false;
		break;
	}
	case XCB_CLIENT_MESSAGE: {
		const xcb_client_message_event_t *e = (const void *)ev;
		if (e->window != root || e->type != d->manager || e->format != 32 ||
		    e->data.data32[1] != display_atom(d->dp, DISPLAY_XSETTINGS))
			return false;
		watch_owner(d);
		break;
	}
	case XCB_DESTROY_NOTIFY: {
		const xcb_destroy_notify_event_t *e = (const void *)ev;
		if (d->owner == XCB_NONE || e->window != d->owner)
			return false;
		/* Another manager may have taken over already (it announces with MANAGER). */
		watch_owner(d);
		break;
	}
	default:
		return false;
	}
	send_if_changed(d);
	return true;
}

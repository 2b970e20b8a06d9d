/* The host's DPI and window scale in the guest (gui-agent/dpi.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xconn.h"
#include "gui-agent/dpi.h"

/* One published setting on the wire at most: header, a name of up to 24 bytes, serial, value. */
#define XSETTING_MAX_LEN (4u + 24u + 4u + 4u)

struct dpi {
	const struct xctx *xc;
	xcb_atom_t selection; /* _XSETTINGS_S<screen> */
	xcb_atom_t
	    settings;	    /* _XSETTINGS_SETTINGS, on the agent's window while it owns the above */
	xcb_atom_t manager; /* MANAGER */
	bool owned;
	bool foreign_logged; /* another manager's ownership was logged once */
	uint32_t serial;     /* of the published settings, one more at each change */
};

int dpi_create(const struct xctx *xc, struct dpi **out)
{
	struct dpi *d = calloc(1, sizeof(*d));
	*out = d;
	if (!d)
		return -ENOMEM;
	d->xc = xc;
	char name[32];
	snprintf(name, sizeof(name), "_XSETTINGS_S%d", xconn_screen_number(xc->x, xc->screen));
	const char *const names[] = {name, "_XSETTINGS_SETTINGS", "MANAGER"};
	xcb_atom_t atoms[3];
	xconn_intern_atoms(xc->x, names, 3, atoms);
	d->selection = atoms[0], d->settings = atoms[1], d->manager = atoms[2];
	return 0;
}

/* The XSETTINGS selection's owner now, or XCB_NONE. */
static xcb_window_t owner(struct dpi *d)
{
	xcb_connection_t *x = d->xc->x;
	xcb_get_selection_owner_reply_t *r =
	    xcb_get_selection_owner_reply(x, xcb_get_selection_owner(x, d->selection), NULL);
	xcb_window_t w = r ? r->owner : XCB_NONE;
	free(r);
	return w;
}

void dpi_destroy(struct dpi *d)
{
	if (!d)
		return;
	/* Applications fall back to their defaults, as at any manager's end. A manager that took
	 * over meanwhile keeps the selection: None would clear anyone's. */
	if (d->owned && owner(d) == d->xc->stub)
		xcb_set_selection_owner(d->xc->x, XCB_NONE, d->selection, XCB_CURRENT_TIME);
	free(d);
}

/* "Xft.dpi:\t<dpi>" with the fraction, if any, to a thousandth. */
static int format_dpi(char *out, size_t size, uint32_t dpi_1024)
{
	if (dpi_1024 % 1024u == 0)
		return snprintf(out, size, "Xft.dpi:\t%u\n", dpi_1024 / 1024u);
	return snprintf(out, size, "Xft.dpi:\t%u.%03u\n", dpi_1024 / 1024u,
			(dpi_1024 % 1024u) * 1000u / 1024u);
}

/* RESOURCE_MANAGER with its Xft.dpi lines replaced by ours, everything else kept in order. */
static void set_resource(struct dpi *d, uint32_t dpi_1024)
{
	xcb_connection_t *x = d->xc->x;
	xcb_get_property_reply_t *r =
	    xcb_get_property_reply(x,
				   xcb_get_property(x, 0, d->xc->root, XCB_ATOM_RESOURCE_MANAGER,
						    XCB_ATOM_STRING, 0, DPI_RESOURCES_MAX / 4),
				   NULL);
	if (!r)
		return;
	size_t len = r->format == 8 ? (size_t)xcb_get_property_value_length(r) : 0;
	if (r->bytes_after) {
		log_warn("dpi: the guest's resources are over %u bytes: Xft.dpi not set",
			 DPI_RESOURCES_MAX);
		free(r);
		return;
	}
	char line[48];
	int n = format_dpi(line, sizeof(line), dpi_1024);
	char *db = malloc(len + (size_t)n + 1);
	if (!db) {
		free(r);
		return;
	}
	static const char key[] = "Xft.dpi:";
	const char *src = xcb_get_property_value(r), *end = src + len;
	size_t out = 0;
	while (src < end) {
		const char *nl = memchr(src, '\n', (size_t)(end - src));
		size_t l = nl ? (size_t)(nl - src) + 1 : (size_t)(end - src);
		if (l < sizeof(key) - 1 || memcmp(src, key, sizeof(key) - 1)) {
			memcpy(db + out, src, l);
			out += l;
			if (!nl)
				db[out++] = '\n';
		}
		src += l;
	}
	free(r);
	memcpy(db + out, line, (size_t)n);
	out += (size_t)n;
	xcb_change_property(x, XCB_PROP_MODE_REPLACE, d->xc->root, XCB_ATOM_RESOURCE_MANAGER,
			    XCB_ATOM_STRING, 8, (uint32_t)out, db);
	free(db);
}

static size_t put32(uint8_t *b, size_t off, uint32_t v)
{
	b[off] = (uint8_t)v, b[off + 1] = (uint8_t)(v >> 8), b[off + 2] = (uint8_t)(v >> 16),
	b[off + 3] = (uint8_t)(v >> 24);
	return off + 4;
}

/* One integer setting in the XSETTINGS format (LSBFirst): type 0, name padded to 4, the serial
 * of its last change, the value. */
static size_t put_int(uint8_t *b, size_t off, const char *name, uint32_t serial, int32_t v)
{
	size_t n = strlen(name);
	b[off] = 0, b[off + 1] = 0, b[off + 2] = (uint8_t)n, b[off + 3] = 0;
	memset(b + off + 4, 0, (n + 3u) & ~(size_t)3u);
	memcpy(b + off + 4, name, n);
	off += 4 + ((n + 3u) & ~(size_t)3u);
	off = put32(b, off, serial);
	return put32(b, off, (uint32_t)v);
}

/* Is the selection ours to hold? Not while another manager has it. */
static bool may_own(struct dpi *d)
{
	xcb_window_t w = owner(d);
	if (w == XCB_NONE || w == d->xc->stub)
		return true;
	d->owned = false;
	if (!d->foreign_logged)
		log_info("dpi: the guest runs its own XSETTINGS manager: only Xft.dpi is set");
	d->foreign_logged = true;
	return false;
}

static void publish(struct dpi *d, const struct proto_seam_display_settings *s)
{
	if (!may_own(d))
		return;
	xcb_connection_t *x = d->xc->x;
	uint8_t b[12 + 3 * XSETTING_MAX_LEN];
	uint32_t serial = ++d->serial, count = 0;
	size_t off = 12;
	if (s->dpi_1024)
		off = put_int(b, off, "Xft/DPI", serial, (int32_t)s->dpi_1024), count++;
	if (s->scale) {
		off = put_int(b, off, "Gdk/WindowScalingFactor", serial, (int32_t)s->scale),
		count++;
		/* GTK scales windows by the factor, and fonts by it too unless told the DPI
		 * before scaling. */
		if (s->dpi_1024)
			off = put_int(b, off, "Gdk/UnscaledDPI", serial,
				      (int32_t)(s->dpi_1024 / s->scale)),
			count++;
	}
	memset(b, 0, 4); /* LSBFirst, 3 unused */
	put32(b, 4, serial);
	put32(b, 8, count);
	xcb_change_property(x, XCB_PROP_MODE_REPLACE, d->xc->stub, d->settings, d->settings, 8,
			    (uint32_t)off, b);
	if (d->owned)
		return; /* applications watch the property */
	/* ICCCM 2.8: own the manager selection, then tell the root's listeners (GTK waits for
	 * MANAGER when it started before any manager). */
	xcb_set_selection_owner(x, d->xc->stub, d->selection, XCB_CURRENT_TIME);
	xcb_client_message_event_t ev = {.response_type = XCB_CLIENT_MESSAGE,
					 .format = 32,
					 .window = d->xc->root,
					 .type = d->manager};
	ev.data.data32[0] = XCB_CURRENT_TIME;
	ev.data.data32[1] = d->selection;
	ev.data.data32[2] = d->xc->stub;
	xcb_send_event(x, 0, d->xc->root, XCB_EVENT_MASK_STRUCTURE_NOTIFY, (const char *)&ev);
	d->owned = true;
	log_info("dpi: the agent is the guest's XSETTINGS manager");
}

void dpi_set(struct dpi *d, const struct proto_seam_display_settings *s)
{
	if (!s->dpi_1024 && !s->scale)
		return;
	if (s->dpi_1024)
		set_resource(d, s->dpi_1024);
	publish(d, s);
	xcb_flush(d->xc->x);
	log_info("dpi: the host's %u dpi, scale %u, set in the guest", s->dpi_1024 / 1024u,
		 s->scale);
}

bool dpi_handle_event(struct dpi *d, const xcb_generic_event_t *ev)
{
	if ((ev->response_type & 0x7f) != XCB_SELECTION_CLEAR)
		return false;
	const xcb_selection_clear_event_t *e = (const void *)ev;
	if (e->selection != d->selection || e->owner != d->xc->stub)
		return false;
	/* A guest desktop's own manager took over: it has the last word from now on. */
	d->owned = false;
	xcb_delete_property(d->xc->x, d->xc->stub, d->settings);
	log_info("dpi: another XSETTINGS manager took over in the guest");
	return true;
}

/* The guest's screen size and monitors (gui-agent/screen.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <sys/uio.h>
#include <xcb/randr.h>
#include <xcb/xcbext.h>

#include "common/log.h"
#include "common/xconn.h"
#include "gui-agent/screen.h"

/* The screen's physical size for RRSetScreenSize, which refuses 0: 96 dpi, X's customary
 * default. What applications take as the DPI is the host's Xft.dpi (gui-agent/dpi.h). */
#define SCREEN_MM(px) ((px)*254u / 960u > 0 ? (px)*254u / 960u : 1u)

struct screen {
	const struct xctx *xc;
	bool randr;	      /* RandR 1.2: RRSetScreenSize, RRSetCrtcConfig */
	bool monitors;	      /* RandR 1.5: RRSetMonitor, RRDeleteMonitor */
	bool limit_logged;    /* the server's smaller limit was said once */
	bool unlisted_logged; /* a server that does not list the monitors set was said once */
	uint32_t min_w, min_h, max_w, max_h;
	xcb_atom_t names[PROTO_MONITORS_MAX]; /* SEAM-0 ... */
	uint32_t nset;			      /* the SEAM-n monitors set now */
};

int screen_create(const struct xctx *xc, struct screen **out)
{
	struct screen *sc = calloc(1, sizeof(*sc));
	*out = sc;
	if (!sc)
		return -ENOMEM;
	sc->xc = xc;
	xcb_connection_t *x = xc->x;
	const xcb_query_extension_reply_t *ext = xcb_get_extension_data(x, &xcb_randr_id);
	xcb_randr_query_version_reply_t *v =
	    ext && ext->present
		? xcb_randr_query_version_reply(x, xcb_randr_query_version(x, 1, 5), NULL)
		: NULL;
	sc->randr = v && (v->major_version > 1 || v->minor_version >= 2);
	sc->monitors = v && (v->major_version > 1 || v->minor_version >= 5);
	free(v);
	/* Without a range the screen stays as it is. */
	sc->min_w = sc->max_w = xc->screen->width_in_pixels;
	sc->min_h = sc->max_h = xc->screen->height_in_pixels;
	xcb_randr_get_screen_size_range_reply_t *r =
	    sc->randr ? xcb_randr_get_screen_size_range_reply(
			    x, xcb_randr_get_screen_size_range(x, xc->root), NULL)
		      : NULL;
	if (r) {
		sc->min_w = r->min_width, sc->min_h = r->min_height;
		sc->max_w = r->max_width, sc->max_h = r->max_height;
	}
	free(r);
	if (sc->monitors) {
		const char *names[PROTO_MONITORS_MAX];
		char buf[PROTO_MONITORS_MAX][16];
		for (unsigned i = 0; i < PROTO_MONITORS_MAX; i++) {
			snprintf(buf[i], sizeof(buf[i]), "SEAM-%u", i);
			names[i] = buf[i];
		}
		if (xconn_intern_atoms(x, names, PROTO_MONITORS_MAX, sc->names))
			sc->monitors = false;
	}
	return 0;
}

void screen_destroy(struct screen *sc)
{
	free(sc);
}

static uint32_t clamp(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void screen_fit(const struct proto_seam_monitor_layout *host, uint32_t min_w, uint32_t min_h,
		uint32_t max_w, uint32_t max_h, struct proto_seam_monitor_layout *out)
{
	*out = *host;
	proto_monitor_layout_fit(out, clamp(host->width, min_w, max_w),
				 clamp(host->height, min_h, max_h));
}

/* Switch off every CRTC the server drives: none is ever shown, and an active one larger than the
 * new size would make the server refuse it. set_outputs() lights those the layout needs again. */
static void outputs_off(struct screen *sc)
{
	xcb_connection_t *x = sc->xc->x;
	xcb_randr_get_screen_resources_current_reply_t *res =
	    xcb_randr_get_screen_resources_current_reply(
		x, xcb_randr_get_screen_resources_current(x, sc->xc->root), NULL);
	if (!res)
		return;
	const xcb_randr_crtc_t *crtcs = xcb_randr_get_screen_resources_current_crtcs(res);
	int n = xcb_randr_get_screen_resources_current_crtcs_length(res);
	for (int i = 0; i < n; i++) {
		xcb_randr_get_crtc_info_reply_t *c = xcb_randr_get_crtc_info_reply(
		    x, xcb_randr_get_crtc_info(x, crtcs[i], res->config_timestamp), NULL);
		if (c && c->mode != XCB_NONE)
			free(xcb_randr_set_crtc_config_reply(
			    x,
			    xcb_randr_set_crtc_config(x, crtcs[i], XCB_CURRENT_TIME,
						      res->config_timestamp, 0, 0, XCB_NONE,
						      XCB_RANDR_ROTATION_ROTATE_0, 0, NULL),
			    NULL));
		free(c);
	}
	free(res);
}

static int set_size(struct screen *sc, uint32_t w, uint32_t h)
{
	xcb_connection_t *x = sc->xc->x;
	xcb_get_geometry_reply_t *g =
	    xcb_get_geometry_reply(x, xcb_get_geometry(x, sc->xc->root), NULL);
	bool same = g && g->width == w && g->height == h;
	free(g);
	if (same)
		return 0;
	xcb_generic_error_t *e = xcb_request_check(
	    x, xcb_randr_set_screen_size_checked(x, sc->xc->root, (uint16_t)w, (uint16_t)h,
						 SCREEN_MM(w), SCREEN_MM(h)));
	if (e) {
		log_warn("screen: the guest X server refused the size %ux%u (X error %u)", w, h,
			 e->error_code);
		free(e);
		return -EIO;
	}
	return 0;
}

/* A mode of width x height among the server's, made (RRCreateMode) if it has none: the dummy
 * driver takes any. XCB_NONE if the server refused it. */
static xcb_randr_mode_t find_mode(struct screen *sc,
				  const xcb_randr_get_screen_resources_current_reply_t *res,
				  uint32_t w, uint32_t h)
{
	xcb_connection_t *x = sc->xc->x;
	const xcb_randr_mode_info_t *modes = xcb_randr_get_screen_resources_current_modes(res);
	int n = xcb_randr_get_screen_resources_current_modes_length(res);
	for (int i = 0; i < n; i++)
		if (modes[i].width == w && modes[i].height == h && !modes[i].mode_flags)
			return modes[i].id;
	char name[32];
	int len = snprintf(name, sizeof(name), "SEAM-%ux%u", w, h);
	uint64_t clock = (uint64_t)w * h * 60u; /* 60 Hz, no blanking: nothing scans it out */
	xcb_randr_mode_info_t info = {.width = (uint16_t)w,
				      .height = (uint16_t)h,
				      .dot_clock =
					  clock > UINT32_MAX ? UINT32_MAX : (uint32_t)clock,
				      .htotal = (uint16_t)w,
				      .vtotal = (uint16_t)h,
				      .name_len = (uint16_t)len};
	xcb_randr_create_mode_reply_t *r = xcb_randr_create_mode_reply(
	    x, xcb_randr_create_mode(x, sc->xc->root, info, (uint32_t)len, name), NULL);
	xcb_randr_mode_t mode = r ? r->mode : XCB_NONE;
	free(r);
	return mode;
}

/* Each monitor as an output of its own, lit at its place with a mode of its size, as on a real
 * desk: what GTK 3 needs (it lists only monitors backed by a connected output). Xorg's dummy
 * driver has 16 CRTCs, output n on CRTC n, connected once given a mode. False where the server
 * has too few (Xvfb's one output cannot be moved): then the monitors are set without outputs. */
static bool set_outputs(struct screen *sc, const struct proto_seam_monitor_layout *l)
{
	xcb_connection_t *x = sc->xc->x;
	xcb_randr_get_screen_resources_current_reply_t *res =
	    xcb_randr_get_screen_resources_current_reply(
		x, xcb_randr_get_screen_resources_current(x, sc->xc->root), NULL);
	if (!res)
		return false;
	const xcb_randr_crtc_t *crtcs = xcb_randr_get_screen_resources_current_crtcs(res);
	const xcb_randr_output_t *outputs = xcb_randr_get_screen_resources_current_outputs(res);
	bool ok = (uint32_t)xcb_randr_get_screen_resources_current_crtcs_length(res) >= l->count &&
		  (uint32_t)xcb_randr_get_screen_resources_current_outputs_length(res) >= l->count;
	for (uint32_t i = 0; ok && i < l->count; i++) {
		const struct proto_seam_monitor *m = &l->monitors[i];
		xcb_randr_mode_t mode = find_mode(sc, res, m->width, m->height);
		xcb_randr_output_t out = outputs[i];
		xcb_randr_add_output_mode(x, out, mode);
		xcb_randr_set_crtc_config_reply_t *r = xcb_randr_set_crtc_config_reply(
		    x,
		    xcb_randr_set_crtc_config(x, crtcs[i], XCB_CURRENT_TIME, res->config_timestamp,
					      (int16_t)m->x, (int16_t)m->y, mode,
					      XCB_RANDR_ROTATION_ROTATE_0, 1, &out),
		    NULL);
		ok = mode != XCB_NONE && r && r->status == XCB_RANDR_SET_CONFIG_SUCCESS;
		free(r);
	}
	if (ok)
		xcb_randr_set_output_primary(x, sc->xc->root, outputs[l->primary]);
	free(res);
	return ok;
}

/* RRSetMonitor, sent by hand: Debian 12's libxcb (1.15) xcb_randr_set_monitor() sends a wrong
 * request length and the connection closes (XCB_CONN_CLOSED_REQ_LEN_EXCEED). The request is its
 * 8-byte header (window) and the 24-byte monitor without outputs. */
static void set_monitor(xcb_connection_t *x, xcb_window_t root, xcb_randr_monitor_info_t *info)
{
	xcb_randr_set_monitor_request_t req = {.window = root};
	struct iovec parts[4] = {{0}, {0}, {&req, sizeof(req)}, {info, sizeof(*info)}};
	xcb_protocol_request_t pr = {
	    .count = 2, .ext = &xcb_randr_id, .opcode = XCB_RANDR_SET_MONITOR, .isvoid = 1};
	xcb_send_request(x, 0, parts + 2, &pr);
}

static void set_monitors(struct screen *sc, const struct proto_seam_monitor_layout *l)
{
	xcb_connection_t *x = sc->xc->x;
	/* Xorg keeps a monitor set again under its name as it was: each is deleted, then set. */
	for (uint32_t i = 0; i < sc->nset; i++)
		xcb_randr_delete_monitor(x, sc->xc->root, sc->names[i]);
	for (uint32_t i = 0; i < l->count; i++) {
		const struct proto_seam_monitor *m = &l->monitors[i];
		xcb_randr_monitor_info_t info = {.name = sc->names[i],
						 .primary = i == l->primary,
						 .x = (int16_t)m->x,
						 .y = (int16_t)m->y,
						 .width = (uint16_t)m->width,
						 .height = (uint16_t)m->height,
						 .width_in_millimeters = m->mm_width,
						 .height_in_millimeters = m->mm_height};
		set_monitor(x, sc->xc->root, &info);
	}
	sc->nset = l->count;
	if (sc->unlisted_logged)
		return;
	/* Debian 12's Xvfb accepts RRSetMonitor and lists nothing: say once that the guest's
	 * applications see the screen as one monitor there. */
	xcb_randr_get_monitors_reply_t *r =
	    xcb_randr_get_monitors_reply(x, xcb_randr_get_monitors(x, sc->xc->root, 1), NULL);
	bool listed = false;
	for (xcb_randr_monitor_info_iterator_t it = r ? xcb_randr_get_monitors_monitors_iterator(r)
						      : (xcb_randr_monitor_info_iterator_t){0};
	     it.rem; xcb_randr_monitor_info_next(&it))
		listed |= it.data->name == sc->names[0];
	if (r && !listed) {
		log_warn("screen: the guest X server does not list the host's monitors (Xvfb does "
			 "not; Xorg with the dummy driver does: seam-guest-session --server xorg)");
		sc->unlisted_logged = true;
	}
	free(r);
}

int screen_set_layout(struct screen *sc, const struct proto_seam_monitor_layout *host)
{
	if (!sc->randr) {
		if (!sc->limit_logged)
			log_warn("screen: the guest X server lacks RandR 1.2: its screen cannot "
				 "follow the host's");
		sc->limit_logged = true;
		return -ENOTSUP;
	}
	struct proto_seam_monitor_layout l;
	screen_fit(host, sc->min_w, sc->min_h, sc->max_w, sc->max_h, &l);
	if ((l.width != host->width || l.height != host->height) && !sc->limit_logged) {
		log_warn("screen: the host's screen is %ux%u, the guest X server's can be %ux%u to "
			 "%ux%u: the guest's is %ux%u (Xvfb cannot grow past its first size; "
			 "Xorg with the dummy driver can: seam-guest-session --server xorg)",
			 host->width, host->height, sc->min_w, sc->min_h, sc->max_w, sc->max_h,
			 l.width, l.height);
		sc->limit_logged = true;
	}
	outputs_off(sc);
	int rc = set_size(sc, l.width, l.height);
	if (rc)
		return rc;
	if (set_outputs(sc, &l)) {
		/* The outputs' own monitors: the agent's go. */
		for (uint32_t i = 0; sc->monitors && i < sc->nset; i++)
			xcb_randr_delete_monitor(sc->xc->x, sc->xc->root, sc->names[i]);
		sc->nset = 0;
	} else if (sc->monitors) {
		set_monitors(sc, &l);
	}
	xcb_flush(sc->xc->x);
	log_info("screen: the guest's screen is %ux%u with %u monitor%s", l.width, l.height,
		 l.count, l.count == 1 ? "" : "s");
	return 0;
}

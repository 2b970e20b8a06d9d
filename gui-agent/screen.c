/* The guest's screen size and monitors (gui-agent/screen.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <xcb/randr.h>

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
	bool outputs_off;     /* the server's own outputs were switched off */
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
 * new size would make the server refuse it. Its monitor goes with it; the agent's replace it. */
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
	sc->outputs_off = true;
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

static void set_monitors(struct screen *sc, const struct proto_seam_monitor_layout *l)
{
	xcb_connection_t *x = sc->xc->x;
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
		xcb_randr_set_monitor(x, sc->xc->root, &info);
	}
	for (uint32_t i = l->count; i < sc->nset; i++)
		xcb_randr_delete_monitor(x, sc->xc->root, sc->names[i]);
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
	if (!sc->outputs_off)
		outputs_off(sc);
	int rc = set_size(sc, l.width, l.height);
	if (rc)
		return rc;
	if (sc->monitors)
		set_monitors(sc, &l);
	xcb_flush(sc->xc->x);
	log_info("screen: the guest's screen is %ux%u with %u monitor%s", l.width, l.height,
		 l.count, l.count == 1 ? "" : "s");
	return 0;
}

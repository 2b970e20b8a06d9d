/* The host's screen and monitors for the guest (gui-daemon/screen.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xcb/randr.h>

#include "common/log.h"
#include "gui-daemon/screen.h"

struct screen {
	struct display *dp;
	struct session *session;
	struct window_table *windows;
	uint8_t randr_event; /* RandR's first event, 0 without RandR 1.2 */
	bool monitors;	     /* RandR 1.5: RRGetMonitors */
	bool changed;	     /* a RandR event since the last flush */
	struct proto_seam_monitor_layout now, sent;
	bool have_sent;
};

/* The screen's size now (the root's), and its monitors where RandR 1.5 lists them. */
static void read_layout(struct screen *sc, struct proto_seam_monitor_layout *out)
{
	xcb_connection_t *x = display_x(sc->dp);
	xcb_window_t root = display_screen(sc->dp)->root;
	uint32_t w, h;
	display_size(sc->dp, &w, &h);
	xcb_get_geometry_reply_t *g = xcb_get_geometry_reply(x, xcb_get_geometry(x, root), NULL);
	if (g) {
		w = g->width;
		h = g->height;
	}
	free(g);
	*out = (struct proto_seam_monitor_layout){0};
	xcb_randr_get_monitors_reply_t *r =
	    sc->monitors ? xcb_randr_get_monitors_reply(x, xcb_randr_get_monitors(x, root, 1), NULL)
			 : NULL;
	if (r) {
		xcb_randr_monitor_info_iterator_t it = xcb_randr_get_monitors_monitors_iterator(r);
		for (; it.rem && out->count < PROTO_MONITORS_MAX;
		     xcb_randr_monitor_info_next(&it)) {
			const xcb_randr_monitor_info_t *m = it.data;
			/* A monitor left or above the screen's origin is cut there. */
			int32_t x1 = m->x < 0 ? 0 : m->x, y1 = m->y < 0 ? 0 : m->y;
			int32_t x2 = m->x + m->width, y2 = m->y + m->height;
			if (x2 <= x1 || y2 <= y1)
				continue;
			if (m->primary)
				out->primary = out->count;
			out->monitors[out->count++] =
			    (struct proto_seam_monitor){(uint32_t)x1,
							(uint32_t)y1,
							(uint32_t)(x2 - x1),
							(uint32_t)(y2 - y1),
							m->width_in_millimeters,
							m->height_in_millimeters};
		}
		free(r);
	}
	proto_monitor_layout_fit(out, w, h);
}

int screen_create(struct display *dp, struct session *s, struct window_table *windows,
		  struct screen **out)
{
	struct screen *sc = calloc(1, sizeof(*sc));
	*out = sc;
	if (!sc)
		return -ENOMEM;
	sc->dp = dp;
	sc->session = s;
	sc->windows = windows;
	xcb_connection_t *x = display_x(dp);
	const xcb_query_extension_reply_t *ext = xcb_get_extension_data(x, &xcb_randr_id);
	xcb_randr_query_version_reply_t *v =
	    ext && ext->present
		? xcb_randr_query_version_reply(x, xcb_randr_query_version(x, 1, 5), NULL)
		: NULL;
	if (v && (v->major_version > 1 || v->minor_version >= 2)) {
		sc->randr_event = ext->first_event;
		sc->monitors = v->major_version > 1 || v->minor_version >= 5;
		/* RandR says nothing of monitors a client sets (RRSetMonitor); xrandr
		 * --setmonitor, as a desktop's tools do, ends with the root's ConfigureNotify. */
		display_add_root_events(dp, XCB_EVENT_MASK_STRUCTURE_NOTIFY);
		xcb_randr_select_input(x, display_screen(dp)->root,
				       XCB_RANDR_NOTIFY_MASK_SCREEN_CHANGE |
					   XCB_RANDR_NOTIFY_MASK_CRTC_CHANGE |
					   XCB_RANDR_NOTIFY_MASK_OUTPUT_CHANGE);
	} else {
		log_info("screen: the host X server lacks RandR 1.2: the guest's screen stays the "
			 "host's size at connection");
	}
	free(v);
	read_layout(sc, &sc->now);
	display_set_size(dp, sc->now.width, sc->now.height);
	return 0;
}

void screen_destroy(struct screen *sc)
{
	free(sc);
}

static void send_layout(struct screen *sc)
{
	if (!session_has_feature(sc->session, PROTO_SEAM_FEATURE_MONITORS))
		return;
	if (sc->have_sent && !memcmp(&sc->now, &sc->sent, sizeof(sc->now)))
		return;
	struct proto_msg m = {.type = PROTO_MSG_SEAM_MONITOR_LAYOUT};
	m.u.monitors = sc->now;
	if (session_send(sc->session, &m))
		return;
	sc->sent = sc->now;
	sc->have_sent = true;
	log_info("screen: %ux%u with %u monitor%s sent to the guest", sc->now.width, sc->now.height,
		 sc->now.count, sc->now.count == 1 ? "" : "s");
}

void screen_agent_ready(struct screen *sc)
{
	sc->have_sent = false; /* a new agent knows nothing yet */
	send_layout(sc);
}

bool screen_event(struct screen *sc, const xcb_generic_event_t *ev)
{
	if (!sc->randr_event)
		return false;
	uint8_t type = ev->response_type & 0x7f;
	if (type == XCB_CONFIGURE_NOTIFY &&
	    ((const xcb_configure_notify_event_t *)ev)->window == display_screen(sc->dp)->root) {
		sc->changed = true;
		return false; /* others may want the root's changes too */
	}
	if (type != sc->randr_event + XCB_RANDR_SCREEN_CHANGE_NOTIFY &&
	    type != sc->randr_event + XCB_RANDR_NOTIFY)
		return false;
	sc->changed = true;
	return true;
}

void screen_flush(struct screen *sc)
{
	if (!sc->changed)
		return;
	sc->changed = false;
	struct proto_seam_monitor_layout l;
	read_layout(sc, &l);
	if (!memcmp(&l, &sc->now, sizeof(l)))
		return;
	bool resized = l.width != sc->now.width || l.height != sc->now.height;
	sc->now = l;
	log_info("screen: the host screen is now %ux%u with %u monitor%s", l.width, l.height,
		 l.count, l.count == 1 ? "" : "s");
	/* The guest first, so that the windows' new places fall within its screen too. */
	send_layout(sc);
	if (resized) {
		display_set_size(sc->dp, l.width, l.height);
		window_table_screen_changed(sc->windows);
	}
}

/* The probe: one process with two X connections, one to the guest display (where it draws, as an
 * application does) and one to the host display (where it watches the forwarded window with
 * Damage and reads the pixel back with GetImage on each notification). One poll loop serves
 * both; nothing polls busily: the loop sleeps until the host server reports damage. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <time.h>
#include <unistd.h>

#include <xcb/xcbext.h>

#include "common/mono.h"
#include "common/xconn.h"
#include "bench/bench.h"

int probe_open(struct probe *p, const char *guest, const char *host)
{
	*p = (struct probe){.shmid = -1};
	char why[200];
	if (xconn_open(guest, 1, &p->g, &p->gscreen, why, sizeof(why)) ||
	    xconn_open(host, 1, &p->h, &p->hscreen, why, sizeof(why))) {
		bench_note("the probe cannot connect to %s or %s: %s", guest, host, why);
		return -EIO;
	}
	const xcb_query_extension_reply_t *d = xcb_get_extension_data(p->h, &xcb_damage_id);
	if (!d || !d->present) {
		bench_note("the host display %s lacks DAMAGE", host);
		return -ENOTSUP;
	}
	p->damage_event = d->first_event;
	free(xcb_damage_query_version_reply(p->h, xcb_damage_query_version(p->h, 1, 1), NULL));
	const xcb_query_extension_reply_t *s = xcb_get_extension_data(p->g, &xcb_shm_id);
	p->shm = s && s->present;
	p->g_net_wm_name = xconn_intern(p->g, "_NET_WM_NAME");
	p->g_utf8 = xconn_intern(p->g, "UTF8_STRING");
	p->h_net_wm_name = xconn_intern(p->h, "_NET_WM_NAME");
	/* Windows appearing on the host wake probe_find. */
	uint32_t mask = XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY;
	xcb_change_window_attributes(p->h, p->hscreen->root, XCB_CW_EVENT_MASK, &mask);
	p->gc = xcb_generate_id(p->g);
	uint32_t gcv[] = {0, 0};
	xcb_create_gc(p->g, p->gc, p->gscreen->root, XCB_GC_FOREGROUND | XCB_GC_GRAPHICS_EXPOSURES,
		      gcv);
	xcb_flush(p->h);
	xcb_flush(p->g);
	return 0;
}

static void drop_pictures(struct probe *p)
{
	if (p->img && p->shm) {
		xcb_shm_detach(p->g, p->seg);
		shmdt(p->img);
	} else {
		free(p->img);
	}
	p->img = NULL;
	p->img_w = p->img_h = 0;
}

void probe_close(struct probe *p)
{
	if (p->g && !xcb_connection_has_error(p->g))
		drop_pictures(p);
	if (p->g)
		xcb_disconnect(p->g);
	if (p->h)
		xcb_disconnect(p->h);
	p->g = p->h = NULL;
}

/* ICCCM WM_NORMAL_HINTS: user-specified position and size, so that nothing moves the window. */
static void set_hints(struct probe *p, xcb_window_t win, int16_t x, int16_t y, uint16_t w,
		      uint16_t h)
{
	uint32_t hints[18] = {1 | 2 | 4 | 8, (uint32_t)x, (uint32_t)y, w, h};
	xcb_change_property(p->g, XCB_PROP_MODE_REPLACE, win, XCB_ATOM_WM_NORMAL_HINTS,
			    XCB_ATOM_WM_SIZE_HINTS, 32, 18, hints);
}

int probe_window(struct probe *p, struct pwin *w, const char *title, int16_t x, int16_t y,
		 uint16_t width, uint16_t height, uint32_t color)
{
	*w = (struct pwin){.w = width, .h = height};
	w->gw = xcb_generate_id(p->g);
	uint32_t values[] = {color, XCB_EVENT_MASK_STRUCTURE_NOTIFY};
	xcb_create_window(p->g, XCB_COPY_FROM_PARENT, w->gw, p->gscreen->root, x, y, width, height,
			  0, XCB_WINDOW_CLASS_INPUT_OUTPUT, XCB_COPY_FROM_PARENT,
			  XCB_CW_BACK_PIXEL | XCB_CW_EVENT_MASK, values);
	uint16_t len = (uint16_t)strlen(title);
	xcb_change_property(p->g, XCB_PROP_MODE_REPLACE, w->gw, XCB_ATOM_WM_NAME, XCB_ATOM_STRING,
			    8, len, title);
	xcb_change_property(p->g, XCB_PROP_MODE_REPLACE, w->gw, p->g_net_wm_name, p->g_utf8, 8, len,
			    title);
	static const char cls[] = "seam-bench\0SeamBench";
	xcb_change_property(p->g, XCB_PROP_MODE_REPLACE, w->gw, XCB_ATOM_WM_CLASS, XCB_ATOM_STRING,
			    8, sizeof(cls), cls);
	set_hints(p, w->gw, x, y, width, height);
	xcb_map_window(p->g, w->gw);
	xcb_flush(p->g);
	return xcb_connection_has_error(p->g) ? -EIO : 0;
}

void probe_window_destroy(struct probe *p, struct pwin *w)
{
	if (w->dmg)
		xcb_damage_destroy(p->h, w->dmg);
	if (w->pending)
		xcb_discard_reply(p->h, w->seq);
	if (w->gw)
		xcb_destroy_window(p->g, w->gw);
	xcb_flush(p->h);
	xcb_flush(p->g);
	*w = (struct pwin){0};
}

/* The title of a host window from a property reply, compared with `want`. */
/* The title is want, or with want "*SUFFIX", ends with SUFFIX. */
static bool title_is(xcb_get_property_reply_t *r, const char *want)
{
	if (!r)
		return false;
	int n = xcb_get_property_value_length(r);
	const char *v = xcb_get_property_value(r);
	if (want[0] == '*') {
		int k = (int)strlen(want + 1);
		return n >= k && memcmp(v + n - k, want + 1, (size_t)k) == 0;
	}
	return n == (int)strlen(want) && memcmp(v, want, (size_t)n) == 0;
}

/* The window inside top that shows a width x height content: Seam's content child inside its
 * frame, or the top-level itself (xpra, nxagent). */
static xcb_window_t content_of(struct probe *p, xcb_window_t top, uint16_t width, uint16_t height)
{
	xcb_query_tree_reply_t *t = xcb_query_tree_reply(p->h, xcb_query_tree(p->h, top), NULL);
	xcb_window_t found = top;
	if (!t)
		return top;
	xcb_window_t *kids = xcb_query_tree_children(t);
	int n = xcb_query_tree_children_length(t);
	for (int i = 0; i < n && found == top; i++) {
		xcb_get_geometry_reply_t *g =
		    xcb_get_geometry_reply(p->h, xcb_get_geometry(p->h, kids[i]), NULL);
		xcb_get_window_attributes_reply_t *a = xcb_get_window_attributes_reply(
		    p->h, xcb_get_window_attributes(p->h, kids[i]), NULL);
		if (g && a && g->width == width && g->height == height &&
		    a->map_state == XCB_MAP_STATE_VIEWABLE &&
		    a->_class == XCB_WINDOW_CLASS_INPUT_OUTPUT)
			found = kids[i];
		free(g);
		free(a);
	}
	free(t);
	return found;
}

/* One pass over the host's top-level windows (pipelined): the viewable one titled `want`. */
static xcb_window_t scan(struct probe *p, const char *want)
{
	xcb_query_tree_reply_t *t =
	    xcb_query_tree_reply(p->h, xcb_query_tree(p->h, p->hscreen->root), NULL);
	if (!t)
		return XCB_NONE;
	xcb_window_t *kids = xcb_query_tree_children(t);
	int n = xcb_query_tree_children_length(t);
	xcb_get_property_cookie_t *ck = malloc(sizeof(*ck) * 2 * (size_t)(n ? n : 1));
	xcb_get_window_attributes_cookie_t *ak = malloc(sizeof(*ak) * (size_t)(n ? n : 1));
	xcb_window_t found = XCB_NONE;
	if (!ck || !ak)
		goto out;
	uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE | XCB_EVENT_MASK_STRUCTURE_NOTIFY;
	for (int i = 0; i < n; i++) {
		/* Title changes of any top-level wake the wait below. */
		xcb_change_window_attributes(p->h, kids[i], XCB_CW_EVENT_MASK, &mask);
		ck[2 * i] = xcb_get_property(p->h, 0, kids[i], p->h_net_wm_name,
					     XCB_GET_PROPERTY_TYPE_ANY, 0, 64);
		ck[2 * i + 1] = xcb_get_property(p->h, 0, kids[i], XCB_ATOM_WM_NAME,
						 XCB_GET_PROPERTY_TYPE_ANY, 0, 64);
		ak[i] = xcb_get_window_attributes(p->h, kids[i]);
	}
	for (int i = 0; i < n; i++) {
		xcb_get_property_reply_t *a = xcb_get_property_reply(p->h, ck[2 * i], NULL);
		xcb_get_property_reply_t *b = xcb_get_property_reply(p->h, ck[2 * i + 1], NULL);
		xcb_get_window_attributes_reply_t *at =
		    xcb_get_window_attributes_reply(p->h, ak[i], NULL);
		if (!found && at && at->map_state == XCB_MAP_STATE_VIEWABLE &&
		    (title_is(a, want) || title_is(b, want)))
			found = kids[i];
		free(a);
		free(b);
		free(at);
	}
out:
	free(ck);
	free(ak);
	free(t);
	return found;
}

/* Sleep until the deadline or until fd is readable. */
static void wait_fds(struct probe *p, int64_t deadline)
{
	int64_t left = deadline - mono_ns();
	if (left <= 0)
		return;
	struct timespec ts = {left / 1000000000, left % 1000000000};
	struct pollfd pfd[2] = {{.fd = xcb_get_file_descriptor(p->h), .events = POLLIN},
				{.fd = xcb_get_file_descriptor(p->g), .events = POLLIN}};
	ppoll(pfd, 2, &ts, NULL);
}

static void drain_guest(struct probe *p)
{
	xcb_generic_event_t *ev;
	while ((ev = xcb_poll_for_event(p->g)))
		free(ev);
}

int probe_find(struct probe *p, struct pwin *w, const char *host_title, int64_t deadline)
{
	for (;;) {
		/* Events only say that something changed; the scan says what is there. */
		xcb_generic_event_t *ev;
		while ((ev = xcb_poll_for_event(p->h)))
			free(ev);
		drain_guest(p);
		xcb_window_t top = scan(p, host_title);
		if (top) {
			w->hw = content_of(p, top, w->w, w->h);
			w->dmg = xcb_generate_id(p->h);
			xcb_damage_create(p->h, w->dmg, w->hw, XCB_DAMAGE_REPORT_LEVEL_NON_EMPTY);
			xcb_flush(p->h);
			bench_debug("found '%s': host window 0x%x (content 0x%x)", host_title, top,
				    w->hw);
			return 0;
		}
		xcb_flush(p->h);
		if (xcb_connection_has_error(p->h) || xcb_connection_has_error(p->g))
			return -EIO;
		if (mono_ns() >= deadline)
			return -ETIMEDOUT;
		if (!xcb_poll_for_queued_event(p->h))
			wait_fds(p, deadline);
	}
}

int probe_gone(struct probe *p, const char *host_title, int64_t deadline)
{
	while (scan(p, host_title)) {
		if (mono_ns() >= deadline)
			return -ETIMEDOUT;
		bench_sleep_ms(20);
	}
	return 0;
}

void probe_watch(struct pwin *w, int16_t px, int16_t py)
{
	w->px = px;
	w->py = py;
	/* Read once at the start: what is there already counts too. */
	w->dirty = true;
}

void probe_fill(struct probe *p, struct pwin *w, int16_t x, int16_t y, uint16_t width,
		uint16_t height, uint32_t color)
{
	xcb_change_gc(p->g, p->gc, XCB_GC_FOREGROUND, &color);
	xcb_rectangle_t r = {x, y, width, height};
	xcb_poly_fill_rectangle(p->g, w->gw, p->gc, 1, &r);
	xcb_flush(p->g);
}

int probe_pictures(struct probe *p, uint16_t width, uint16_t height)
{
	if (p->img && p->img_w == width && p->img_h == height)
		return 0;
	drop_pictures(p);
	size_t one = (size_t)width * height * 4u;
	if (p->shm) {
		p->shmid = shmget(IPC_PRIVATE, one * 2, IPC_CREAT | 0600);
		void *a = p->shmid >= 0 ? shmat(p->shmid, NULL, 0) : (void *)-1;
		if (a != (void *)-1) {
			p->seg = xcb_generate_id(p->g);
			xcb_generic_error_t *e = xcb_request_check(
			    p->g, xcb_shm_attach_checked(p->g, p->seg, (uint32_t)p->shmid, 1));
			if (e) {
				free(e);
				shmdt(a);
				a = (void *)-1;
			}
		}
		if (p->shmid >= 0)
			shmctl(p->shmid, IPC_RMID, NULL); /* freed when both sides let go */
		if (a == (void *)-1) {
			bench_debug(
			    "no MIT-SHM segment for the guest: pictures go through the socket");
			p->shm = false;
		} else {
			p->img = a;
		}
	}
	if (!p->img && !(p->img = malloc(one * 2)))
		return -ENOMEM;
	p->img_w = width;
	p->img_h = height;
	/* Picture 1 is picture 0 inverted: every pixel changes from one frame to the next. The
	 * marker corner is 0 in both, a color no marker has. */
	uint32_t *a = (uint32_t *)p->img, *b = (uint32_t *)(p->img + one);
	for (uint32_t y = 0; y < height; y++) {
		for (uint32_t x = 0; x < width; x++) {
			uint32_t v =
			    ((x * 3u) & 0xffu) << 16 | ((y * 5u) & 0xffu) << 8 | ((x ^ y) & 0xffu);
			bool corner = x + PROBE_MARKER >= width && y + PROBE_MARKER >= height;
			a[(size_t)y * width + x] = corner ? 0 : v;
			b[(size_t)y * width + x] = corner ? 0 : v ^ 0xffffffu;
		}
	}
	return 0;
}

void probe_frame(struct probe *p, struct pwin *w, unsigned k, uint32_t marker)
{
	size_t one = (size_t)p->img_w * p->img_h * 4u;
	if (p->shm) {
		xcb_shm_put_image(p->g, w->gw, p->gc, p->img_w, p->img_h, 0, 0, w->w, w->h, 0, 0,
				  24, XCB_IMAGE_FORMAT_Z_PIXMAP, 0, p->seg,
				  (uint32_t)(one * (k % 2)));
	} else {
		uint32_t max = xcb_get_maximum_request_length(p->g) * 4u - 64u;
		uint32_t rows = max / (w->w * 4u);
		const uint8_t *src = p->img + one * (k % 2);
		for (uint32_t y = 0; rows && y < w->h; y += rows) {
			uint32_t n = w->h - y < rows ? w->h - y : rows;
			xcb_put_image(p->g, XCB_IMAGE_FORMAT_Z_PIXMAP, w->gw, p->gc, w->w,
				      (uint16_t)n, 0, (int16_t)y, 0, 24, n * w->w * 4u,
				      src + (size_t)y * w->w * 4u);
		}
	}
	probe_fill(p, w, (int16_t)(w->w - PROBE_MARKER), (int16_t)(w->h - PROBE_MARKER),
		   PROBE_MARKER, PROBE_MARKER, marker);
}

void probe_guest_sync(struct probe *p)
{
	free(xcb_get_input_focus_reply(p->g, xcb_get_input_focus(p->g), NULL));
}

/* Take one host event: a notification for w's damage asks for a new reading. */
static void host_event(struct probe *p, struct pwin *w, xcb_generic_event_t *ev)
{
	uint8_t type = ev->response_type & 0x7f;
	if (type == p->damage_event + XCB_DAMAGE_NOTIFY) {
		const xcb_damage_notify_event_t *d = (const xcb_damage_notify_event_t *)ev;
		if (d->damage == w->dmg)
			w->dirty = true;
	} else if (type == 0) {
		const xcb_generic_error_t *e = (const xcb_generic_error_t *)ev;
		bench_debug("host X error %u on request %u.%u", e->error_code, e->major_code,
			    e->minor_code);
	}
}

/* 1: the reading arrived (or failed: -1), 0: not yet. */
static int take_reply(struct probe *p, struct pwin *w, uint32_t *pixel, int64_t *t)
{
	void *reply = NULL;
	xcb_generic_error_t *err = NULL;
	if (!xcb_poll_for_reply(p->h, w->seq, &reply, &err))
		return 0;
	*t = mono_ns();
	w->pending = false;
	if (err || !reply) {
		bench_debug("GetImage of host window 0x%x failed (X error %u)", w->hw,
			    err ? err->error_code : 0);
		free(err);
		free(reply);
		return -1;
	}
	xcb_get_image_reply_t *r = reply;
	const uint8_t *d = xcb_get_image_data(r);
	*pixel = xcb_get_image_data_length(r) >= 4
		     ? ((uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16)
		     : 0;
	free(r);
	return 1;
}

int probe_next(struct probe *p, struct pwin *w, int64_t deadline, uint32_t *pixel, int64_t *t)
{
	for (;;) {
		int r;
		if (w->pending && (r = take_reply(p, w, pixel, t)))
			return r;
		xcb_generic_event_t *ev =
		    xcb_poll_for_event(p->h); /* reads the socket if need be */
		if (ev) {
			host_event(p, w, ev);
			free(ev);
			continue;
		}
		/* That read may have brought the reply, or more events behind it. */
		if (w->pending && (r = take_reply(p, w, pixel, t)))
			return r;
		if ((ev = xcb_poll_for_queued_event(p->h))) {
			host_event(p, w, ev);
			free(ev);
			continue;
		}
		if (w->dirty && !w->pending) {
			/* Subtract first: whatever is drawn after it notifies again, and whatever
			 * was drawn before it is in the image read next. */
			xcb_damage_subtract(p->h, w->dmg, XCB_NONE, XCB_NONE);
			w->seq = xcb_get_image(p->h, XCB_IMAGE_FORMAT_Z_PIXMAP, w->hw, w->px, w->py,
					       1, 1, ~0u)
				     .sequence;
			xcb_flush(p->h);
			w->pending = true;
			w->dirty = false;
			continue;
		}
		drain_guest(p);
		if (xcb_connection_has_error(p->h) || xcb_connection_has_error(p->g))
			return -1;
		if (mono_ns() >= deadline)
			return 0;
		wait_fds(p, deadline);
	}
}

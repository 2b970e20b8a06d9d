/* The pixel path (gui-agent/damage.h): window buffers, dumps, acknowledgements and fetches. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xcb/composite.h>
#include <xcb/shm.h>
#include <xcb/xcbext.h>

#include "common/log.h"
#include "common/mono.h"
#include "gui-agent/capture.h"
#include "gui-agent/damage.h"
#include "shm/surface.h"

/* How often a window whose buffer could not be made tries again. */
#define DAMAGE_RETRY_MS 1000
/* Buffer failures repeat while their windows retry: one is logged every this many ms, the rest at
 * debug level. */
#define DAMAGE_ERROR_QUIET_MS 10000

/* A window buffer attached to the guest X server as an MIT-SHM segment. Reference-counted: the
 * window's current buffer holds one reference, and every dump not yet acknowledged holds one on
 * the buffer it sent and one on the buffer it replaced. */
struct damage_buf {
	struct shm_surface *surface;
	xcb_shm_seg_t seg;   /* XCB_NONE for the guest driver's memfd: nothing to fetch into */
	uint64_t drv_serial; /* the driver's pixmap serial (gui-agent/capture.h), or 0 */
	uint64_t serial; /* never reused, so that a late GetImage reply cannot hit a newer buffer */
	unsigned refs;
};

/* A dump sent and not yet acknowledged by WINDOW_DUMP_ACK. */
struct damage_dump {
	struct damage_buf *buf;
	struct damage_buf *replaced; /* released with this dump's acknowledgement, or NULL */
};

/* What damage keeps for one window (its wm data slot). */
struct damage_win {
	xcb_damage_damage_t damage;
	xcb_pixmap_t pixmap;	   /* the named composite pixmap, or XCB_NONE */
	struct damage_buf *buf;	   /* current buffer, or NULL */
	pixman_region32_t dirty;   /* damage not yet fetched, window coordinates */
	struct damage_dump *dumps; /* FIFO of dumps awaiting acknowledgement */
	unsigned dump_head, dump_count, dump_cap;
	int64_t dump_retry_at; /* no buffer could be made: when to try again (0: not waiting) */
	bool known;	       /* between damage_start() and damage_stop() */
};

/* A GetImage whose reply has not been seen: its SHMIMAGE goes out once the pixels are in place. */
struct damage_fetch {
	unsigned int sequence;
	xcb_window_t window;
	uint64_t buf_serial;
	struct proto_shmimage rect;
};

struct damage {
	const struct xctx *xc;
	struct wm *wm;
	struct link *link;
	unsigned slot;
	uint64_t next_serial;
	struct damage_fetch fetches[DAMAGE_MAX_INFLIGHT]; /* ring */
	unsigned fetch_head, fetch_count;
	int64_t buf_error_at;	 /* when a buffer failure was last logged (retries repeat them) */
	bool dump_retries;	 /* some window waits to try making its buffer again */
	struct capture *capture; /* the guest driver's memfds, or NULL: ShmGetImage only */
	uint64_t shm_gets;	 /* ShmGetImage requests made, for the exit's log line */
	uint64_t drv_updates;	 /* SHMIMAGEs sent straight from the driver's memfds */
};

static struct damage_win *win(const struct damage *d, const struct wm_window *w)
{
	return w ? wm_window_data(w, d->slot) : NULL;
}

static enum log_level buf_error_level(struct damage *d)
{
	int64_t now = mono_ms();
	if (d->buf_error_at && now - d->buf_error_at < DAMAGE_ERROR_QUIET_MS)
		return LOG_DEBUG;
	d->buf_error_at = now;
	return LOG_ERROR;
}

/* ---- Buffers ------------------------------------------------------------------------------- */

static struct damage_buf *buf_create(struct damage *d, uint32_t width, uint32_t height)
{
	struct damage_buf *b = calloc(1, sizeof(*b));
	if (!b) {
		log_msg(buf_error_level(d), "out of memory for a %ux%u window buffer", width,
			height);
		return NULL;
	}
	char why[256];
	int rc = link_surface_create(d->link, width, height, &b->surface, why, sizeof(why));
	if (rc) {
		log_msg(buf_error_level(d), "%s", why);
		free(b);
		return NULL;
	}
	/* xcb closes the fd it sends; the surface keeps its own. */
	int fd = fcntl(shm_surface_fd(b->surface), F_DUPFD_CLOEXEC, 3);
	if (fd < 0) {
		log_error("cannot duplicate a window buffer's memfd: %s", strerror(errno));
		shm_surface_destroy(b->surface);
		free(b);
		return NULL;
	}
	b->seg = xcb_generate_id(d->xc->x);
	xcb_shm_attach_fd(d->xc->x, b->seg, fd, 0);
	b->serial = ++d->next_serial;
	b->refs = 1;
	return b;
}

/* The driver's path is over: its socket failed, or it gave a buffer this channel cannot carry (a
 * memfd on vchan, grants on unix:, pages granted to another domain: the driver is set up for
 * another transport). ShmGetImage from now on, said once. */
static void capture_off(struct damage *d, const char *why)
{
	log_warn("%s; capture: ShmGetImage from now on", why);
	capture_close(d->capture);
	d->capture = NULL;
}

/* The guest driver's memfd or grant pages holding w's pixels now, or NULL (ShmGetImage then):
 * not the driver's, a pixmap of another size than the window (a border, or a resize on its way).
 * NULL with *same when it is the pixmap cur already maps (nothing is mapped again). */
static struct damage_buf *buf_from_driver(struct damage *d, const struct wm_window *w,
					  const struct damage_buf *cur, bool *same)
{
	*same = false;
	if (!d->capture)
		return NULL;
	struct capture_buf cb;
	char why[256];
	int rc = capture_window(d->capture, w->id, &cb, why, sizeof(why));
	if (rc == -ENOENT)
		return NULL;
	if (rc) {
		capture_off(d, why);
		return NULL;
	}
	const struct proto_drv_reply *r = &cb.r;
	struct damage_buf *b = NULL;
	if (r->width != wm_wire_width(w) || r->height != wm_wire_height(w)) {
		log_debug("window 0x%x: the driver's pixmap is %ux%u, the window %ux%u", w->id,
			  r->width, r->height, wm_wire_width(w), wm_wire_height(w));
	} else if (cur && cur->drv_serial == r->serial) {
		*same = true;
	} else if (!(b = calloc(1, sizeof(*b)))) {
		log_error("out of memory");
	} else {
		if (cb.fd >= 0) {
			rc = link_surface_adopt(d->link, cb.fd, r->width, r->height, r->stride,
						&b->surface, why, sizeof(why));
			cb.fd = -1; /* the adoption owns it in every case */
		} else {
			rc = link_surface_adopt_grants(d->link, cb.domid, cb.refs, cb.nrefs,
						       r->width, r->height, &b->surface, why,
						       sizeof(why));
		}
		if (rc == -EOPNOTSUPP || rc == -EPERM) {
			capture_off(d, why);
		} else if (rc) {
			log_msg(buf_error_level(d), "window 0x%x: %s", w->id, why);
		} else {
			b->seg = XCB_NONE;
			b->drv_serial = r->serial;
			b->serial = ++d->next_serial;
			b->refs = 1;
		}
		if (rc) {
			free(b);
			b = NULL;
		}
	}
	capture_buf_clear(&cb);
	return b;
}

static void buf_unref(struct damage *d, struct damage_buf *b)
{
	if (!b || --b->refs)
		return;
	/* Requests are processed in order: a GetImage into this segment issued earlier completes
	 * before the detach, and the server's own mapping keeps the memory until then. */
	if (b->seg != XCB_NONE)
		xcb_shm_detach(d->xc->x, b->seg);
	shm_surface_destroy(b->surface);
	free(b);
}

static bool buf_fits(const struct damage_buf *b, const struct wm_window *w)
{
	return shm_surface_width(b->surface) == wm_wire_width(w) &&
	       shm_surface_height(b->surface) == wm_wire_height(w);
}

/* ---- Windows ------------------------------------------------------------------------------- */

static void drop_pixmap(struct damage *d, struct damage_win *dw)
{
	if (dw->pixmap != XCB_NONE)
		xcb_free_pixmap(d->xc->x, dw->pixmap);
	dw->pixmap = XCB_NONE;
}

/* Release the oldest pending dump (there is one). */
static void pop_dump(struct damage *d, struct damage_win *dw)
{
	struct damage_dump p = dw->dumps[dw->dump_head];
	dw->dump_head = (dw->dump_head + 1) % dw->dump_cap;
	dw->dump_count--;
	buf_unref(d, p.buf);
	buf_unref(d, p.replaced);
}

static void drop_pending(struct damage *d, struct damage_win *dw)
{
	while (dw->dump_count)
		pop_dump(d, dw);
	dw->dump_head = 0;
}

static void window_created(struct damage *d, const struct wm_window *w)
{
	struct damage_win *dw = calloc(1, sizeof(*dw));
	if (!dw) {
		log_error("out of memory for window 0x%x's damage: it stays blank", w->id);
		return;
	}
	dw->damage = xcb_generate_id(d->xc->x);
	xcb_damage_create(d->xc->x, dw->damage, w->id, XCB_DAMAGE_REPORT_LEVEL_RAW_RECTANGLES);
	dw->pixmap = XCB_NONE;
	pixman_region32_init(&dw->dirty);
	wm_window_set_data(d->wm, w, d->slot, dw);
}

/* The window is gone (destroyed or reparented away, or the agent ends): free everything, X
 * resources included unless x_gone (the X server freed them with the window). */
static void window_destroyed(struct damage *d, const struct wm_window *w, bool x_gone)
{
	struct damage_win *dw = win(d, w);
	if (!dw)
		return;
	if (!x_gone)
		xcb_damage_destroy(d->xc->x, dw->damage);
	/* A named pixmap outlives its window: free it in every case. */
	drop_pixmap(d, dw);
	drop_pending(d, dw);
	buf_unref(d, dw->buf);
	free(dw->dumps);
	pixman_region32_fini(&dw->dirty);
	free(dw);
	wm_window_set_data(d->wm, w, d->slot, NULL);
}

static void window_unmapped(struct damage *d, struct damage_win *dw)
{
	/* An unmapped window has no composite pixmap; the next MAP sends a fresh buffer. */
	drop_pixmap(d, dw);
	pixman_region32_clear(&dw->dirty);
	buf_unref(d, dw->buf);
	dw->buf = NULL;
}

static void repaint(struct damage_win *dw, const struct wm_window *w)
{
	pixman_region32_fini(&dw->dirty);
	pixman_region32_init_rect(&dw->dirty, 0, 0, w->width, w->height);
}

/* The composite pixmap changed with the size or border: a new buffer (and a dump) if the size
 * changed, and a full repaint. */
static void window_resized(struct damage *d, struct damage_win *dw, const struct wm_window *w)
{
	drop_pixmap(d, dw); /* named again at the next fetch */
	if (!w->mapped)
		return;
	/* The driver's memfd goes with the old pixmap even when the size stays (a border change).
	 */
	if (!dw->buf || !buf_fits(dw->buf, w) || dw->buf->drv_serial)
		damage_dump(d, w);
	repaint(dw, w);
}

static void on_wm(void *ctx, const struct wm_event *ev)
{
	struct damage *d = ctx;
	struct damage_win *dw = win(d, ev->window);
	switch (ev->type) {
	case WM_CREATED:
		window_created(d, ev->window);
		break;
	case WM_UNMAPPED:
		if (dw)
			window_unmapped(d, dw);
		break;
	case WM_CONFIGURED:
		if (dw && ev->resized)
			window_resized(d, dw, ev->window);
		break;
	case WM_DESTROYED:
		window_destroyed(d, ev->window, ev->x_gone);
		break;
	default:
		break;
	}
}

int damage_create(const struct xctx *xc, struct wm *wm, struct link *l, struct damage **out)
{
	*out = NULL;
	struct damage *d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	*d = (struct damage){.xc = xc, .wm = wm, .link = l};
	int rc = wm_listen(wm, on_wm, d, &d->slot);
	if (rc) {
		free(d);
		return rc;
	}
	*out = d;
	return 0;
}

void damage_set_capture(struct damage *d, struct capture *c)
{
	capture_close(d->capture);
	d->capture = c;
}

static void destroy_window(void *ctx, const struct wm_window *w)
{
	window_destroyed(ctx, w, false);
}

void damage_destroy(struct damage *d)
{
	if (!d)
		return;
	wm_for_each(d->wm, destroy_window, d);
	wm_unlisten(d->wm, d->slot);
	log_info("capture: %llu ShmGetImage requests, %llu updates from the guest driver's buffers",
		 (unsigned long long)d->shm_gets, (unsigned long long)d->drv_updates);
	capture_close(d->capture);
	free(d);
}

/* ---- Dumps --------------------------------------------------------------------------------- */

void damage_start(struct damage *d, const struct wm_window *w)
{
	struct damage_win *dw = win(d, w);
	if (dw)
		dw->known = true;
}

void damage_stop(struct damage *d, const struct wm_window *w)
{
	struct damage_win *dw = win(d, w);
	if (!dw)
		return;
	dw->known = false;
	drop_pending(d, dw);
}

void damage_repaint(struct damage *d, const struct wm_window *w)
{
	struct damage_win *dw = win(d, w);
	if (dw)
		repaint(dw, w);
}

/* Room for one more pending dump, made before the dump is sent so that every dump sent has its
 * entry (the acknowledgements pop them in order). */
static bool reserve_dump(struct damage_win *dw)
{
	if (dw->dump_count < dw->dump_cap)
		return true;
	unsigned cap = dw->dump_cap ? dw->dump_cap * 2 : 4;
	struct damage_dump *p = malloc(cap * sizeof(*p));
	if (!p)
		return false;
	for (unsigned i = 0; i < dw->dump_count; i++)
		p[i] = dw->dumps[(dw->dump_head + i) % dw->dump_cap];
	free(dw->dumps);
	dw->dumps = p;
	dw->dump_cap = cap;
	dw->dump_head = 0;
	return true;
}

/* The message that offers a buffer: grant refs in a WINDOW_DUMP, or the memfd beside a
 * SEAM_WINDOW_DUMP_FD, as the surface's export says. */
static int send_dump(struct damage *d, const struct wm_window *w, const struct damage_buf *b)
{
	struct shmbuf_export ex;
	shm_surface_export(b->surface, &ex);
	uint32_t bw = wm_wire_width(w), bh = wm_wire_height(w);
	struct proto_msg m = {.type = PROTO_MSG_SEAM_WINDOW_DUMP_FD, .window = w->id};
	if (ex.kind == SHMBUF_GRANT) {
		m.type = PROTO_MSG_WINDOW_DUMP;
		m.u.dump = (struct proto_window_dump_hdr){PROTO_WINDOW_DUMP_TYPE_GRANT_REFS, bw, bh,
							  PROTO_BPP};
		m.data = (const uint8_t *)ex.refs;
		m.data_len = ex.nrefs * 4u;
		return link_send(d->link, &m, NULL, 0);
	}
	m.u.dump_fd =
	    (struct proto_seam_window_dump_fd){bw, bh, ex.stride, PROTO_SEAM_FORMAT_XRGB8888};
	return link_send(d->link, &m, &ex.fd, 1);
}

void damage_dump(struct damage *d, const struct wm_window *w)
{
	struct damage_win *dw = win(d, w);
	if (!dw || !dw->known || !w->mapped || !link_ready(d->link) || !link_buffers(d->link))
		return;
	struct damage_buf *replaced = NULL;
	/* The driver's memfd, if it holds the window's pixels; a new pixmap has a new serial. */
	bool same;
	struct damage_buf *drv = buf_from_driver(d, w, dw->buf, &same);
	if (!same && (drv || (dw->buf && (!buf_fits(dw->buf, w) || dw->buf->drv_serial)))) {
		replaced = dw->buf; /* the window's reference moves to the new dump's entry */
		dw->buf = drv;
	}
	if (!dw->buf && !(dw->buf = buf_create(d, wm_wire_width(w), wm_wire_height(w)))) {
		buf_unref(d, replaced);
		/* damage_retry_dumps() tries again: a raised limit or freed memory brings the
		 * window back without anyone touching it. */
		dw->dump_retry_at = mono_ms() + DAMAGE_RETRY_MS;
		d->dump_retries = true;
		return;
	}
	dw->dump_retry_at = 0;
	if (!reserve_dump(dw) || send_dump(d, w, dw->buf)) {
		buf_unref(d, replaced);
		return;
	}
	dw->dumps[(dw->dump_head + dw->dump_count++) % dw->dump_cap] =
	    (struct damage_dump){dw->buf, replaced};
	dw->buf->refs++;
	log_debug("window 0x%x: dumped a %ux%u buffer", w->id, wm_wire_width(w), wm_wire_height(w));
}

struct retry_scan {
	struct damage *d;
	int64_t now, next;
	bool waiting;
};

static void retry_window(void *ctx, const struct wm_window *w)
{
	struct retry_scan *s = ctx;
	struct damage_win *dw = win(s->d, w);
	if (!dw)
		return;
	/* A reconnection announces and dumps every window afresh. */
	if (!dw->dump_retry_at || dw->buf || !w->mapped || !dw->known || !link_ready(s->d->link)) {
		dw->dump_retry_at = 0;
		return;
	}
	if (dw->dump_retry_at <= s->now) {
		damage_dump(s->d, w);
		if (dw->buf) {
			repaint(dw, w);
			return;
		}
	}
	s->waiting = true;
	int64_t left = dw->dump_retry_at > s->now ? dw->dump_retry_at - s->now : DAMAGE_RETRY_MS;
	if (s->next < 0 || left < s->next)
		s->next = left;
}

int damage_retry_dumps(struct damage *d)
{
	if (!d->dump_retries)
		return -1;
	struct retry_scan s = {d, mono_ms(), -1, false};
	wm_for_each(d->wm, retry_window, &s);
	d->dump_retries = s.waiting;
	return (int)s.next;
}

void damage_ack(struct damage *d, const struct wm_window *w)
{
	struct damage_win *dw = win(d, w);
	if (!dw || !dw->dump_count) {
		log_debug("WINDOW_DUMP_ACK for 0x%x with no dump pending: ignored", w->id);
		return;
	}
	pop_dump(d, dw);
}

/* ---- Damage and fetches -------------------------------------------------------------------- */

void damage_notify(struct damage *d, const xcb_damage_notify_event_t *ev)
{
	const struct wm_window *w = wm_find(d->wm, ev->drawable);
	struct damage_win *dw = win(d, w);
	/* Without a buffer there is nowhere to put pixels; the next dump repaints everything. */
	if (!dw || !w->mapped || !dw->buf)
		return;
	pixman_region32_union_rect(&dw->dirty, &dw->dirty, ev->area.x, ev->area.y, ev->area.width,
				   ev->area.height);
}

static void fetch_band(struct damage *d, const struct wm_window *w, struct damage_win *dw,
		       const struct damage_band *band)
{
	struct damage_buf *b = dw->buf;
	uint32_t stride = shm_surface_stride(b->surface);
	/* The composite pixmap includes the border; the window's own pixels start at (bw, bw). */
	int16_t off = (int16_t)w->border;
	xcb_shm_get_image_cookie_t ck =
	    xcb_shm_get_image(d->xc->x, dw->pixmap, off, (int16_t)(off + band->y),
			      (uint16_t)shm_surface_width(b->surface), (uint16_t)band->rows, ~0u,
			      XCB_IMAGE_FORMAT_Z_PIXMAP, b->seg, band->y * stride);
	d->fetches[(d->fetch_head + d->fetch_count++) % DAMAGE_MAX_INFLIGHT] =
	    (struct damage_fetch){ck.sequence, w->id, b->serial, band->rect};
	d->shm_gets++;
}

/* The guest server drew into the driver's memfd, which the daemon maps: the pixels are in place
 * as the damage arrives, so the rectangles go out at once. */
static void send_window(struct damage *d, const struct wm_window *w, struct damage_win *dw)
{
	struct damage_band bands[DAMAGE_MAX_INFLIGHT];
	unsigned n =
	    damage_coalesce(&dw->dirty, shm_surface_width(dw->buf->surface),
			    shm_surface_height(dw->buf->surface), DAMAGE_MAX_INFLIGHT, bands);
	for (unsigned i = 0; i < n; i++) {
		struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = w->id};
		m.u.shmimage = bands[i].rect;
		link_send(d->link, &m, NULL, 0);
	}
	d->drv_updates += n;
	pixman_region32_clear(&dw->dirty);
	xcb_damage_subtract(d->xc->x, dw->damage, XCB_NONE, XCB_NONE);
}

static void fetch_window(struct damage *d, const struct wm_window *w, struct damage_win *dw)
{
	struct damage_band bands[DAMAGE_MAX_INFLIGHT];
	unsigned n = damage_coalesce(&dw->dirty, shm_surface_width(dw->buf->surface),
				     shm_surface_height(dw->buf->surface),
				     DAMAGE_MAX_INFLIGHT - d->fetch_count, bands);
	if (n == 0)
		return;
	if (dw->pixmap == XCB_NONE) {
		dw->pixmap = xcb_generate_id(d->xc->x);
		xcb_composite_name_window_pixmap(d->xc->x, w->id, dw->pixmap);
	}
	for (unsigned i = 0; i < n; i++)
		fetch_band(d, w, dw, &bands[i]);
	pixman_region32_clear(&dw->dirty);
	/* Raw-rectangle damage still accumulates in the server; keep its region empty. */
	xcb_damage_subtract(d->xc->x, dw->damage, XCB_NONE, XCB_NONE);
}

static void flush_window(void *ctx, const struct wm_window *w)
{
	struct damage *d = ctx;
	struct damage_win *dw = win(d, w);
	if (!dw || !pixman_region32_not_empty(&dw->dirty))
		return;
	if (!w->mapped || !dw->buf || !dw->known || !link_ready(d->link)) {
		pixman_region32_clear(&dw->dirty);
		return;
	}
	if (dw->buf->drv_serial) {
		send_window(d, w, dw);
		return;
	}
	if (d->fetch_count == DAMAGE_MAX_INFLIGHT)
		return; /* stays dirty until replies free a slot */
	fetch_window(d, w, dw);
}

void damage_flush(struct damage *d)
{
	wm_for_each(d->wm, flush_window, d);
}

void damage_poll_replies(struct damage *d)
{
	while (d->fetch_count) {
		struct damage_fetch f = d->fetches[d->fetch_head];
		void *reply = NULL;
		xcb_generic_error_t *err = NULL;
		if (!xcb_poll_for_reply(d->xc->x, f.sequence, &reply, &err))
			return;
		d->fetch_head = (d->fetch_head + 1) % DAMAGE_MAX_INFLIGHT;
		d->fetch_count--;
		if (err) {
			/* The window was resized or unmapped meanwhile; its next dump repaints. */
			log_debug("ShmGetImage of 0x%x failed: X error %u", f.window,
				  err->error_code);
			free(err);
			continue;
		}
		free(reply);
		const struct wm_window *w = wm_find(d->wm, f.window);
		struct damage_win *dw = win(d, w);
		if (!reply || !dw || !dw->buf || dw->buf->serial != f.buf_serial || !w->mapped ||
		    !dw->known || !link_ready(d->link))
			continue; /* the pixels went to a buffer the daemon no longer shows */
		shm_surface_commit(dw->buf->surface, (uint32_t)f.rect.x, (uint32_t)f.rect.y,
				   f.rect.width, f.rect.height);
		struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = w->id};
		m.u.shmimage = f.rect;
		link_send(d->link, &m, NULL, 0);
	}
}

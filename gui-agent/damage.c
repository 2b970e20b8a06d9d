/* The pixel path: window buffers, their dumps and acknowledgements, and damage.
 *
 * Each mapped window has a sealed memfd buffer attached to the guest X server as an MIT-SHM
 * segment. Damage (raw rectangles) is gathered per window in a pixman region; after each batch of
 * X events the damaged rows are fetched with ShmGetImage from the window's composite pixmap
 * straight into place in the buffer (full rows, so that they land at offset y * stride), and the
 * SHMIMAGE naming the damaged rectangle goes out only when the server has answered, that is when
 * the pixels are in the buffer. The agent itself never touches a pixel.
 *
 * Over vchan (Xen) no fd can travel: each buffer also has grant pages shared read-only with the
 * host's domain, listed in a WINDOW_DUMP, and the agent copies the damaged rows from the memfd into
 * them before each SHMIMAGE (one copy more; the guest X server cannot write into grant pages).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xcb/composite.h>
#include <xcb/damage.h>
#include <xcb/shm.h>
#include <xcb/xcbext.h>

#include "common/log.h"
#include "gui-agent/agent.h"
#include "shm/shmbuf.h"

/* Buffer failures repeat while their windows retry: log one every 10 s, the rest at debug. */
#define BUF_ERROR_QUIET_MS 10000

static enum log_level buf_error_level(struct agent *a)
{
	int64_t now = agent_now_ms();
	if (a->buf_error_at && now - a->buf_error_at < BUF_ERROR_QUIET_MS)
		return LOG_DEBUG;
	a->buf_error_at = now;
	return LOG_ERROR;
}

/* How often a window whose buffer could not be made tries again. */
#define DUMP_RETRY_MS 1000

static struct agent_buf *buf_create(struct agent *a, uint32_t width, uint32_t height)
{
	struct agent_buf *b = calloc(1, sizeof(*b));
	if (!b) {
		log_msg(buf_error_level(a), "out of memory for a %ux%u window buffer", width,
			height);
		return NULL;
	}
	int rc = shmbuf_create(SHMBUF_MEMFD, width, height, 0, &b->sb);
	if (rc) {
		log_msg(buf_error_level(a), "cannot create a %ux%u window buffer: %s", width, height,
			strerror(-rc));
		free(b);
		return NULL;
	}
	/* xcb closes the fd it sends; the buffer keeps its own. */
	int fd = fcntl(shmbuf_fd(b->sb), F_DUPFD_CLOEXEC, 3);
	if (fd < 0) {
		log_error("cannot duplicate a window buffer's memfd: %s", strerror(errno));
		shmbuf_release(b->sb);
		free(b);
		return NULL;
	}
	if (!a->unix_transport) {
		rc = shmbuf_create(SHMBUF_GRANT, width, height, a->peer_domid, &b->grant);
		if (rc) {
			if (rc == -ENOSPC)
				log_msg(buf_error_level(a),
					"cannot grant a %ux%u window buffer (%llu pages): gntalloc's "
					"limit is reached; raise it, e.g. echo 65536 > "
					"/sys/module/xen_gntalloc/parameters/limit (or load xen-gntalloc "
					"with limit=65536)",
					width, height,
					(unsigned long long)PROTO_NUM_PAGES((uint64_t)width * height * 4u));
			else
				log_msg(buf_error_level(a), "cannot grant a %ux%u window buffer: %s",
					width, height, strerror(-rc));
			close(fd);
			shmbuf_release(b->sb);
			free(b);
			return NULL;
		}
	}
	b->seg = xcb_generate_id(a->x);
	xcb_shm_attach_fd(a->x, b->seg, fd, 0);
	b->width = width;
	b->height = height;
	b->stride = shmbuf_stride(b->sb);
	b->serial = ++a->next_serial;
	b->refs = 1;
	return b;
}

static void buf_unref(struct agent *a, struct agent_buf *b)
{
	if (!b || --b->refs)
		return;
	/* Requests are processed in order: a GetImage into this segment issued earlier completes
	 * before the detach, and the server's own mapping keeps the memory until then. */
	xcb_shm_detach(a->x, b->seg);
	shmbuf_release(b->grant);
	shmbuf_release(b->sb);
	free(b);
}

void damage_window_init(struct agent *a, struct agent_window *w)
{
	w->damage = xcb_generate_id(a->x);
	xcb_damage_create(a->x, w->damage, w->id, XCB_DAMAGE_REPORT_LEVEL_RAW_RECTANGLES);
	w->pixmap = XCB_NONE;
	pixman_region32_init(&w->dirty);
}

static void drop_pixmap(struct agent *a, struct agent_window *w)
{
	if (w->pixmap != XCB_NONE)
		xcb_free_pixmap(a->x, w->pixmap);
	w->pixmap = XCB_NONE;
}

void damage_drop_pending(struct agent *a, struct agent_window *w)
{
	while (w->dump_count)
		damage_ack(a, w);
	w->dump_head = 0;
}

void damage_window_fini(struct agent *a, struct agent_window *w, bool x_gone)
{
	if (!x_gone)
		xcb_damage_destroy(a->x, w->damage);
	/* A named pixmap outlives its window: free it in every case. */
	drop_pixmap(a, w);
	damage_drop_pending(a, w);
	buf_unref(a, w->buf);
	w->buf = NULL;
	free(w->dumps);
	w->dumps = NULL;
	w->dump_cap = 0;
	pixman_region32_fini(&w->dirty);
}

void damage_window_unmapped(struct agent *a, struct agent_window *w)
{
	/* An unmapped window has no composite pixmap; the next MAP sends a fresh buffer. */
	drop_pixmap(a, w);
	pixman_region32_clear(&w->dirty);
	buf_unref(a, w->buf);
	w->buf = NULL;
}

void damage_all(struct agent_window *w)
{
	pixman_region32_fini(&w->dirty);
	pixman_region32_init_rect(&w->dirty, 0, 0, w->width, w->height);
}

void damage_window_resized(struct agent *a, struct agent_window *w)
{
	/* The server made a new backing pixmap; name it again at the next fetch. */
	drop_pixmap(a, w);
	if (!w->mapped)
		return;
	if (!w->buf || (w->buf->width != agent_clamp_size(w->width, PROTO_MAX_WINDOW_WIDTH) ||
			w->buf->height != agent_clamp_size(w->height, PROTO_MAX_WINDOW_HEIGHT)))
		damage_dump(a, w);
	damage_all(w);
}

/* Room for one more pending dump, made before the dump is sent so that every dump sent has its
 * entry (the acknowledgements pop them in order). */
static bool reserve_dump(struct agent_window *w)
{
	if (w->dump_count < w->dump_cap)
		return true;
	unsigned cap = w->dump_cap ? w->dump_cap * 2 : 4;
	struct agent_dump *p = malloc(cap * sizeof(*p));
	if (!p)
		return false;
	for (unsigned i = 0; i < w->dump_count; i++)
		p[i] = w->dumps[(w->dump_head + i) % w->dump_cap];
	free(w->dumps);
	w->dumps = p;
	w->dump_cap = cap;
	w->dump_head = 0;
	return true;
}

void damage_dump(struct agent *a, struct agent_window *w)
{
	if ((!a->memfd && a->unix_transport) || !w->mapped || !w->announced || a->state != CONN_READY)
		return;
	uint32_t bw = agent_clamp_size(w->width, PROTO_MAX_WINDOW_WIDTH),
		 bh = agent_clamp_size(w->height, PROTO_MAX_WINDOW_HEIGHT);
	struct agent_buf *replaced = NULL;
	if (w->buf && (w->buf->width != bw || w->buf->height != bh)) {
		replaced = w->buf; /* the window's reference moves to the new dump's entry */
		w->buf = NULL;
	}
	if (!w->buf && !(w->buf = buf_create(a, bw, bh))) {
		buf_unref(a, replaced);
		/* damage_retry_dumps() tries again: a raised limit or freed memory brings the window
		 * back without anyone touching it. */
		w->dump_retry_at = agent_now_ms() + DUMP_RETRY_MS;
		a->dump_retries = true;
		return;
	}
	w->dump_retry_at = 0;
	struct proto_msg m = {.type = PROTO_MSG_SEAM_WINDOW_DUMP_FD, .window = w->id};
	int fd = shmbuf_fd(w->buf->sb);
	bool sent;
	if (w->buf->grant) {
		struct shmbuf_export ex;
		shmbuf_export(w->buf->grant, &ex);
		m.type = PROTO_MSG_WINDOW_DUMP;
		m.u.dump = (struct proto_window_dump_hdr){PROTO_WINDOW_DUMP_TYPE_GRANT_REFS, bw, bh,
							  PROTO_BPP};
		m.data = (const uint8_t *)ex.refs;
		m.data_len = ex.nrefs * 4u;
		sent = reserve_dump(w) && conn_send(a, &m, NULL, 0);
	} else {
		m.u.dump_fd = (struct proto_seam_window_dump_fd){bw, bh, w->buf->stride,
								 PROTO_SEAM_FORMAT_XRGB8888};
		sent = reserve_dump(w) && conn_send(a, &m, &fd, 1);
	}
	if (!sent) {
		buf_unref(a, replaced);
		return;
	}
	w->dumps[(w->dump_head + w->dump_count++) % w->dump_cap] =
	    (struct agent_dump){w->buf, replaced};
	w->buf->refs++;
	log_debug("window 0x%x: dumped a %ux%u buffer", w->id, bw, bh);
}

int damage_retry_dumps(struct agent *a)
{
	if (!a->dump_retries)
		return -1;
	int64_t now = agent_now_ms(), next = -1;
	bool waiting = false;
	for (unsigned i = 0; i < AGENT_WINDOW_BUCKETS; i++) {
		for (struct agent_window *w = a->table[i]; w; w = w->next) {
			/* A reconnection announces and dumps every window afresh. */
			if (!w->dump_retry_at || w->buf || !w->mapped || !w->announced ||
			    a->state != CONN_READY) {
				w->dump_retry_at = 0;
				continue;
			}
			if (w->dump_retry_at <= now) {
				damage_dump(a, w);
				if (w->buf) {
					damage_all(w);
					continue;
				}
			}
			waiting = true;
			int64_t left = w->dump_retry_at > now ? w->dump_retry_at - now : DUMP_RETRY_MS;
			if (next < 0 || left < next)
				next = left;
		}
	}
	a->dump_retries = waiting;
	return (int)next;
}

void damage_ack(struct agent *a, struct agent_window *w)
{
	if (!w->dump_count) {
		log_debug("WINDOW_DUMP_ACK for 0x%x with no dump pending: ignored", w->id);
		return;
	}
	struct agent_dump d = w->dumps[w->dump_head];
	w->dump_head = (w->dump_head + 1) % w->dump_cap;
	w->dump_count--;
	buf_unref(a, d.buf);
	buf_unref(a, d.replaced);
}

void damage_notify(struct agent *a, const xcb_damage_notify_event_t *ev)
{
	struct agent_window *w = wm_find(a, ev->drawable);
	/* Without a buffer there is nowhere to put pixels; the next dump repaints everything. */
	if (!w || !w->mapped || !w->buf)
		return;
	pixman_region32_union_rect(&w->dirty, &w->dirty, ev->area.x, ev->area.y, ev->area.width,
				   ev->area.height);
}

static void fetch_band(struct agent *a, struct agent_window *w, int x1, int y1, int x2, int y2)
{
	struct agent_buf *b = w->buf;
	/* The composite pixmap includes the border; the window's own pixels start at (bw, bw). */
	int16_t off = (int16_t)w->border;
	xcb_shm_get_image_cookie_t ck = xcb_shm_get_image(
	    a->x, w->pixmap, off, (int16_t)(off + y1), (uint16_t)b->width, (uint16_t)(y2 - y1), ~0u,
	    XCB_IMAGE_FORMAT_Z_PIXMAP, b->seg, (uint32_t)y1 * b->stride);
	struct agent_fetch *f =
	    &a->fetches[(a->fetch_head + a->fetch_count++) % AGENT_MAX_INFLIGHT];
	*f = (struct agent_fetch){
	    ck.sequence, w->id, b->serial, {x1, y1, (uint32_t)(x2 - x1), (uint32_t)(y2 - y1)}};
}

/* Fetch a window's damage: its rectangles grouped into bands of rows; if the bands outnumber the
 * free request slots, one band covering them all. */
static void fetch_window(struct agent *a, struct agent_window *w)
{
	struct agent_buf *b = w->buf;
	pixman_region32_intersect_rect(&w->dirty, &w->dirty, 0, 0, b->width, b->height);
	int n;
	const pixman_box32_t *r = pixman_region32_rectangles(&w->dirty, &n);
	if (n == 0)
		return;
	if (w->pixmap == XCB_NONE) {
		w->pixmap = xcb_generate_id(a->x);
		xcb_composite_name_window_pixmap(a->x, w->id, w->pixmap);
	}
	/* pixman sorts rectangles by y1: a band ends where the next rectangle starts further down
	 * than the gap. */
	unsigned bands = 1;
	for (int i = 1, y2 = r[0].y2; i < n; i++) {
		bands += r[i].y1 > y2 + AGENT_BAND_GAP;
		y2 = r[i].y2 > y2 ? r[i].y2 : y2;
	}
	if (bands > AGENT_MAX_INFLIGHT - a->fetch_count) {
		const pixman_box32_t *e = pixman_region32_extents(&w->dirty);
		fetch_band(a, w, e->x1, e->y1, e->x2, e->y2);
	} else {
		int i = 0;
		while (i < n) {
			int x1 = r[i].x1, y1 = r[i].y1, x2 = r[i].x2, y2 = r[i].y2;
			for (i++; i < n && r[i].y1 <= y2 + AGENT_BAND_GAP; i++) {
				x1 = r[i].x1 < x1 ? r[i].x1 : x1;
				x2 = r[i].x2 > x2 ? r[i].x2 : x2;
				y2 = r[i].y2 > y2 ? r[i].y2 : y2;
			}
			fetch_band(a, w, x1, y1, x2, y2);
		}
	}
	pixman_region32_clear(&w->dirty);
	/* Raw-rectangle damage still accumulates in the server; keep its region empty. */
	xcb_damage_subtract(a->x, w->damage, XCB_NONE, XCB_NONE);
}

void damage_flush(struct agent *a)
{
	for (unsigned i = 0; i < AGENT_WINDOW_BUCKETS; i++) {
		for (struct agent_window *w = a->table[i]; w; w = w->next) {
			if (!pixman_region32_not_empty(&w->dirty))
				continue;
			if (!w->mapped || !w->buf || !w->announced || a->state != CONN_READY) {
				pixman_region32_clear(&w->dirty);
				continue;
			}
			if (a->fetch_count == AGENT_MAX_INFLIGHT)
				return; /* the rest stays dirty until replies free a slot */
			fetch_window(a, w);
		}
	}
}

void damage_poll_replies(struct agent *a)
{
	while (a->fetch_count) {
		struct agent_fetch f = a->fetches[a->fetch_head];
		void *reply = NULL;
		xcb_generic_error_t *err = NULL;
		if (!xcb_poll_for_reply(a->x, f.sequence, &reply, &err))
			return;
		a->fetch_head = (a->fetch_head + 1) % AGENT_MAX_INFLIGHT;
		a->fetch_count--;
		if (err) {
			/* The window was resized or unmapped meanwhile; its next dump repaints. */
			log_debug("ShmGetImage of 0x%x failed: X error %u", f.window,
				  err->error_code);
			free(err);
			continue;
		}
		free(reply);
		struct agent_window *w = wm_find(a, f.window);
		if (!reply || !w || !w->buf || w->buf->serial != f.buf_serial || !w->mapped ||
		    !w->announced || a->state != CONN_READY)
			continue; /* the pixels went to a buffer the daemon no longer shows */
		if (w->buf->grant) {
			/* The rows are in the memfd; the host reads the grant pages. */
			const uint8_t *src = shmbuf_data(w->buf->sb);
			uint8_t *dst = shmbuf_data(w->buf->grant);
			size_t off = (size_t)f.rect.y * w->buf->stride + (size_t)f.rect.x * 4u;
			for (uint32_t r = 0; r < f.rect.height; r++, off += w->buf->stride)
				memcpy(dst + off, src + off, (size_t)f.rect.width * 4u);
		}
		struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = w->id};
		m.u.shmimage = f.rect;
		conn_send(a, &m, NULL, 0);
	}
}

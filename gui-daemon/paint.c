/* Window pixels (gui-daemon/paint.h): the server draws from the guest's memory (or the host's
 * staging copy of grant pages, kept by shm/surface.c), so the daemon copies no pixel itself but
 * where MIT-SHM fd passing is missing. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pixman.h>
#include <xcb/shm.h>

#include "common/log.h"
#include "common/mono.h"
#include "gui-daemon/paint.h"
#include "shm/surface.h"
#include "window-decor/decor.h"

/* Room left in an X request for put_image's own header. */
#define PUT_IMAGE_HEADER_BYTES 64u
/* A window's pending damage in more rectangles than this is drawn as their bounding box: a guest
 * cannot make a frame cost more requests by scattering its damage. */
#define PAINT_MAX_RECTS 16

struct paint {
	struct display *dp;
	struct shmbuf_pool *pool;
	/* A guest can offer bad buffers or odd sizes as often as it likes; it makes windows at
	 * will, so these lines are limited per daemon, not per window. */
	struct log_limit refused_limit, unmapped_limit, dropped_limit, segment_limit;
	int64_t frame_us;	    /* 1 s / max_fps */
	int64_t last_frame_us;	    /* the grid's slot of the last frame drawn */
	struct paint_window *dirty; /* windows with pending damage */
	uint64_t draws;
};

struct paint_window {
	struct paint *paint;
	uint32_t id;
	xcb_window_t content;
	struct shm_surface *surface;   /* NULL: nothing to show yet */
	xcb_shm_seg_t seg;	       /* 0 if not attached (put_image fallback, or no surface) */
	pixman_region32_t pending;     /* damage not drawn yet, in content coordinates */
	uint32_t visible_w, visible_h; /* the content's size, as last given */
	bool tint;		       /* drawn tinted (a tray icon) */
	uint32_t tint_rgb;	       /* with this label color */
	bool dirty;		       /* on the paint's dirty list */
	struct paint_window *next_dirty;
};

int paint_create(struct display *dp, uint64_t max_bytes, uint32_t domid, uint32_t max_fps,
		 struct paint **out)
{
	*out = NULL;
	struct paint *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->dp = dp;
	p->frame_us = 1000000 / (max_fps ? max_fps : 1);
	/* Grant refs are looked up in the channel's domain: the guest's word never names one. */
	struct shmbuf_limits lim = {max_bytes, SHMBUF_DEFAULT_MAX_BUFFERS};
	int rc = shmbuf_pool_create(&lim, domid, &p->pool);
	if (rc) {
		free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void paint_destroy(struct paint *p)
{
	if (!p)
		return;
	shmbuf_pool_destroy(p->pool);
	free(p);
}

uint64_t paint_shm_bytes(const struct paint *p)
{
	return shmbuf_pool_bytes(p->pool);
}

uint32_t paint_shm_buffers(const struct paint *p)
{
	return shmbuf_pool_count(p->pool);
}

int paint_window_create(struct paint *p, uint32_t id, xcb_window_t content,
			struct paint_window **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	**out = (struct paint_window){.paint = p, .id = id, .content = content};
	pixman_region32_init(&(*out)->pending);
	return 0;
}

void paint_window_tint(struct paint_window *pw, uint32_t label_rgb)
{
	pw->tint = true;
	pw->tint_rgb = label_rgb;
}

static void release(struct paint_window *pw)
{
	if (pw->seg)
		xcb_shm_detach(display_x(pw->paint->dp), pw->seg);
	pw->seg = 0;
	shm_surface_destroy(pw->surface);
	pw->surface = NULL;
}

void paint_window_destroy(struct paint_window *pw)
{
	if (!pw)
		return;
	for (struct paint_window **d = &pw->paint->dirty; *d; d = &(*d)->next_dirty) {
		if (*d == pw) {
			*d = pw->next_dirty;
			break;
		}
	}
	release(pw);
	pixman_region32_fini(&pw->pending);
	free(pw);
}

/* Attach a memfd to the host X server; the server gets its own copy of the fd. 0 if it failed. */
static xcb_shm_seg_t attach(struct paint *p, int fd)
{
	xcb_connection_t *x = display_x(p->dp);
	int dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (dupfd < 0)
		return 0;
	xcb_shm_seg_t seg = xcb_generate_id(x);
	xcb_generic_error_t *e = xcb_request_check(x, xcb_shm_attach_fd_checked(x, seg, dupfd, 1));
	if (e) {
		log_limited(&p->segment_limit, LOG_WARN,
			    "the host X server refused a shared segment (error %u)", e->error_code);
		free(e);
		return 0;
	}
	return seg;
}

int paint_take(struct paint_window *pw, const struct shmbuf_export *offer)
{
	struct paint *p = pw->paint;
	struct shm_surface *s;
	char why[160];
	int rc = shm_surface_import(p->pool, offer, &s, why, sizeof(why));
	if (rc) {
		log_limited(&p->refused_limit, LOG_WARN, "window 0x%x: refused its buffer: %s",
			    pw->id, why);
		release(pw);
		return rc;
	}
	xcb_shm_seg_t seg = 0;
	if (display_shm_fd_passing(p->dp))
		seg = attach(p, shm_surface_fd(s));
	/* Without a segment the daemon draws the pixels itself: they must be mapped. */
	if (!seg && !shm_surface_pixels(s)) {
		log_limited(&p->unmapped_limit, LOG_WARN, "window 0x%x: cannot map its buffer",
			    pw->id);
		shm_surface_destroy(s);
		return -ENOMEM;
	}
	release(pw);
	pw->surface = s;
	pw->seg = seg;
	return 0;
}

/* Draw through the X socket in bands that fit a request (no MIT-SHM fd passing). */
static void put_image(struct paint_window *pw, const uint8_t *src, uint32_t stride, int32_t x,
		      int32_t y, uint32_t width, uint32_t height)
{
	struct paint *p = pw->paint;
	xcb_connection_t *x11 = display_x(p->dp);
	uint32_t max_bytes = xcb_get_maximum_request_length(x11) * 4u - PUT_IMAGE_HEADER_BYTES;
	uint32_t rows = max_bytes / (width * 4u);
	uint8_t *band = rows ? malloc((size_t)width * 4u * (rows < height ? rows : height)) : NULL;
	if (!band) {
		log_limited(&p->dropped_limit, LOG_WARN, "window 0x%x: %ux%u pixels not drawn: %s",
			    pw->id, width, height,
			    rows ? "out of memory" : "a row does not fit an X request");
		return;
	}
	for (uint32_t r = 0; r < height; r += rows) {
		uint32_t n = height - r < rows ? height - r : rows;
		for (uint32_t i = 0; i < n; i++)
			memcpy(band + (size_t)i * width * 4u,
			       src + (size_t)(y + r + i) * stride + (size_t)x * 4u,
			       (size_t)width * 4u);
		if (pw->tint) /* malloc'd: aligned for words */
			decor_tint_pixels((const uint32_t *)band, (uint32_t *)band,
					  (size_t)n * width, pw->tint_rgb);
		xcb_put_image(x11, XCB_IMAGE_FORMAT_Z_PIXMAP, pw->content, display_gc(p->dp),
			      (uint16_t)width, (uint16_t)n, (int16_t)x, (int16_t)(y + r), 0, 24,
			      n * width * 4u, band);
	}
	free(band);
}

/* Clip a rectangle to (0, 0, cw, ch): false if nothing is left. */
static bool clip(int32_t x, int32_t y, uint32_t *width, uint32_t *height, uint32_t cw, uint32_t ch)
{
	if (x < 0 || y < 0 || (uint32_t)x >= cw || (uint32_t)y >= ch)
		return false;
	if (*width > cw - (uint32_t)x)
		*width = cw - (uint32_t)x;
	if (*height > ch - (uint32_t)y)
		*height = ch - (uint32_t)y;
	return *width && *height;
}

/* Draw a rectangle of the content from the buffer, clipped to the buffer and the visible size. */
static void draw(struct paint_window *pw, int32_t x, int32_t y, uint32_t width, uint32_t height)
{
	struct shm_surface *s = pw->surface;
	if (!s)
		return;
	/* Clip to the buffer and to the window: the guest paints nowhere else. */
	uint32_t bw = shm_surface_width(s), bh = shm_surface_height(s);
	if (!clip(x, y, &width, &height, bw < pw->visible_w ? bw : pw->visible_w,
		  bh < pw->visible_h ? bh : pw->visible_h))
		return;
	pw->paint->draws++;
	shm_surface_sync(s, (uint32_t)x, (uint32_t)y, width, height);
	/* Tinted pixels pass through the daemon: the server would show the guest's own. */
	if (pw->seg && !pw->tint) {
		xcb_shm_put_image(display_x(pw->paint->dp), pw->content, display_gc(pw->paint->dp),
				  (uint16_t)bw, (uint16_t)bh, (uint16_t)x, (uint16_t)y,
				  (uint16_t)width, (uint16_t)height, (int16_t)x, (int16_t)y, 24,
				  XCB_IMAGE_FORMAT_Z_PIXMAP, 0, pw->seg, 0);
		return;
	}
	const uint8_t *pixels = shm_surface_pixels(s);
	if (!pixels) {
		log_limited(&pw->paint->dropped_limit, LOG_WARN,
			    "window 0x%x: %ux%u pixels not drawn: its buffer is not mapped", pw->id,
			    width, height);
		return;
	}
	put_image(pw, pixels, shm_surface_stride(s), x, y, width, height);
}

void paint_rect(struct paint_window *pw, uint32_t visible_w, uint32_t visible_h, int32_t x,
		int32_t y, uint32_t width, uint32_t height)
{
	pw->visible_w = visible_w;
	pw->visible_h = visible_h;
	/* Only the visible part is kept, so the region's numbers stay within the protocol's. */
	if (!pw->surface || !clip(x, y, &width, &height, visible_w, visible_h))
		return;
	pixman_region32_union_rect(&pw->pending, &pw->pending, x, y, width, height);
	if (pixman_region32_n_rects(&pw->pending) > PAINT_MAX_RECTS) {
		pixman_box32_t box = *pixman_region32_extents(&pw->pending);
		pixman_region32_reset(&pw->pending, &box);
	}
	if (!pw->dirty) {
		pw->dirty = true;
		pw->next_dirty = pw->paint->dirty;
		pw->paint->dirty = pw;
	}
}

int paint_timeout_ms(const struct paint *p)
{
	if (!p->dirty)
		return -1;
	int64_t left = p->frame_us - (mono_us() - p->last_frame_us);
	return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

void paint_flush(struct paint *p)
{
	if (!p->dirty)
		return;
	int64_t now = mono_us();
	if (now - p->last_frame_us < p->frame_us)
		return;
	/* The frames keep to a grid of frame_us with one frame of slack (a bucket of two): a guest
	 * drawing at the host's rate, a little early or late each time, has every frame shown,
	 * while over any period at most one frame more than max_fps allows is drawn. */
	p->last_frame_us = p->last_frame_us + p->frame_us > now - p->frame_us
			       ? p->last_frame_us + p->frame_us
			       : now - p->frame_us;
	while (p->dirty) {
		struct paint_window *pw = p->dirty;
		p->dirty = pw->next_dirty;
		pw->next_dirty = NULL;
		pw->dirty = false;
		int n;
		const pixman_box32_t *box = pixman_region32_rectangles(&pw->pending, &n);
		for (int i = 0; i < n; i++)
			draw(pw, box[i].x1, box[i].y1, (uint32_t)(box[i].x2 - box[i].x1),
			     (uint32_t)(box[i].y2 - box[i].y1));
		pixman_region32_clear(&pw->pending);
	}
}

uint64_t paint_draws(const struct paint *p)
{
	return p->draws;
}

/* Window buffers and pixels: a guest's checked memfd goes to the host X server as a read-only
 * MIT-SHM segment and damaged rectangles are drawn from it by the server (no copy by the daemon);
 * grant buffers are copied into a memfd of the daemon's; xcb_put_image only where MIT-SHM fd
 * passing is missing. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xcb/shm.h>

#include "common/log.h"
#include "gui-daemon/daemon.h"

/* Attach a memfd to the host X server; the server gets its own copy of the fd. 0 if it failed. */
static xcb_shm_seg_t attach(struct daemon *d, int fd)
{
	int dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (dupfd < 0)
		return 0;
	xcb_shm_seg_t seg = xcb_generate_id(d->x);
	xcb_generic_error_t *e =
		xcb_request_check(d->x, xcb_shm_attach_fd_checked(d->x, seg, dupfd, 1));
	if (e) {
		log_warn("the host X server refused a shared segment (error %u)", e->error_code);
		free(e);
		return 0;
	}
	return seg;
}

void daemon_paint_release(struct daemon *d, struct dwin *w)
{
	if (w->seg)
		xcb_shm_detach(d->x, w->seg);
	w->seg = 0;
	shmbuf_release(w->buf);
	shmbuf_release(w->staging);
	w->buf = w->staging = NULL;
}

/* Switch the window to a buffer that passed its checks. */
static int adopt(struct daemon *d, struct dwin *w, struct shmbuf *buf, struct shmbuf *staging)
{
	xcb_shm_seg_t seg = 0;
	int fd = shmbuf_fd(staging ? staging : buf);
	if (d->shm_fd_passing)
		seg = attach(d, fd);
	if (!seg && !staging && shmbuf_map(buf)) {
		static struct log_limit lim;
		log_limited(&lim, LOG_WARN, "window 0x%x: cannot map its buffer", w->id);
		shmbuf_release(buf);
		return -1;
	}
	daemon_paint_release(d, w);
	w->buf = buf;
	w->staging = staging;
	w->seg = seg;
	return 0;
}

int daemon_paint_take_memfd(struct daemon *d, struct dwin *w, int fd,
			    const struct proto_seam_window_dump_fd *m)
{
	struct shmbuf *buf;
	char why[160];
	if (shmbuf_import_memfd(d->pool, fd, m->width, m->height, m->stride, &buf, why,
				sizeof(why))) {
		static struct log_limit lim;
		log_limited(&lim, LOG_WARN, "window 0x%x: refused its buffer: %s", w->id, why);
		daemon_paint_release(d, w);
		return -1;
	}
	return adopt(d, w, buf, NULL);
}

int daemon_paint_take_grants(struct daemon *d, struct dwin *w, const struct proto_window_dump_hdr *m,
			     const uint32_t *refs, uint32_t nrefs)
{
	struct shmbuf *buf, *staging;
	char why[160];
	if (shmbuf_import_grants(d->pool, refs, nrefs, m->width, m->height, &buf, why,
				 sizeof(why))) {
		static struct log_limit lim;
		log_limited(&lim, LOG_WARN, "window 0x%x: refused its grant buffer: %s", w->id,
			    why);
		daemon_paint_release(d, w);
		return -1;
	}
	int rc = shmbuf_map(buf);
	if (rc) {
		static struct log_limit lim;
		log_limited(&lim, LOG_WARN, "window 0x%x: cannot map the guest's grants (error %d)",
			    w->id, rc);
		shmbuf_release(buf);
		daemon_paint_release(d, w);
		return -1;
	}
	/* The X server cannot take grant pages as an fd: the damaged rows are copied into this. */
	if (shmbuf_create(SHMBUF_MEMFD, m->width, m->height, 0, &staging)) {
		shmbuf_release(buf);
		return -1;
	}
	return adopt(d, w, buf, staging);
}

/* Draw through the X socket in bands that fit a request (no MIT-SHM fd passing). */
static void put_image(struct daemon *d, struct dwin *w, const uint8_t *src, uint32_t stride,
		      int32_t x, int32_t y, uint32_t width, uint32_t height)
{
	uint32_t max_bytes = xcb_get_maximum_request_length(d->x) * 4u - 64u;
	uint32_t rows = max_bytes / (width * 4u);
	if (rows == 0)
		return;
	uint8_t *band = malloc((size_t)width * 4u * (rows < height ? rows : height));
	if (!band)
		return;
	for (uint32_t r = 0; r < height; r += rows) {
		uint32_t n = height - r < rows ? height - r : rows;
		for (uint32_t i = 0; i < n; i++)
			memcpy(band + (size_t)i * width * 4u,
			       src + (size_t)(y + r + i) * stride + (size_t)x * 4u, (size_t)width * 4u);
		xcb_put_image(d->x, XCB_IMAGE_FORMAT_Z_PIXMAP, w->content, d->gc, (uint16_t)width,
			      (uint16_t)n, (int16_t)x, (int16_t)(y + r), 0, 24,
			      n * width * 4u, band);
	}
	free(band);
}

void daemon_paint_rect(struct daemon *d, struct dwin *w, int32_t x, int32_t y, uint32_t width,
		       uint32_t height)
{
	if (!w->buf || !w->mapped)
		return;
	/* Clip to the buffer and to the window: the guest paints nowhere else. */
	uint32_t bw = shmbuf_width(w->buf), bh = shmbuf_height(w->buf);
	uint32_t cw = bw < w->w ? bw : w->w, ch = bh < w->h ? bh : w->h;
	if (x < 0 || y < 0 || (uint32_t)x >= cw || (uint32_t)y >= ch)
		return;
	if (width > cw - (uint32_t)x)
		width = cw - (uint32_t)x;
	if (height > ch - (uint32_t)y)
		height = ch - (uint32_t)y;
	if (!width || !height)
		return;
	uint32_t stride = shmbuf_stride(w->buf);
	if (w->staging) {
		const uint8_t *src = shmbuf_data(w->buf);
		uint8_t *dst = shmbuf_data(w->staging);
		for (uint32_t r = 0; r < height; r++)
			memcpy(dst + (size_t)(y + r) * stride + (size_t)x * 4u,
			       src + (size_t)(y + r) * stride + (size_t)x * 4u, (size_t)width * 4u);
	}
	if (w->seg)
		xcb_shm_put_image(d->x, w->content, d->gc, (uint16_t)bw, (uint16_t)bh, (uint16_t)x,
				  (uint16_t)y, (uint16_t)width, (uint16_t)height, (int16_t)x,
				  (int16_t)y, 24, XCB_IMAGE_FORMAT_Z_PIXMAP, 0, w->seg, 0);
	else
		put_image(d, w, shmbuf_data(w->staging ? w->staging : w->buf), stride, x, y, width,
			  height);
}

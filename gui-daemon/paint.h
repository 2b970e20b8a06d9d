/* Window pixels: the surface a guest offered for a window (shm/surface.h hides whether it is a
 * memfd or grant pages) goes to the host X server as a read-only MIT-SHM segment, and damaged
 * rectangles are drawn from it by the server; xcb_put_image only where MIT-SHM fd passing is
 * missing. The guest's shared memory is counted in one pool per daemon. */
#ifndef SEAM_DAEMON_PAINT_H
#define SEAM_DAEMON_PAINT_H

#include <stdint.h>

#include <xcb/xcb.h>

#include "gui-daemon/display.h"
#include "shm/shmbuf.h"

/* One per daemon: the display, the guest's buffer pool, the damage waiting for the next frame, the
 * rate limits of what a guest can make the painter say again and again. */
struct paint;
/* One per window: its surface and segment, and its damage not drawn yet. */
struct paint_window;

/* max_bytes: most shared memory the guest may have mapped; domid: the guest's Xen domain, whose
 * grants alone are mapped (0 where there are none); max_fps: most frames a second drawn (at least
 * 1). 0 or -ENOMEM. The caller owns *out. */
int paint_create(struct display *dp, uint64_t max_bytes, uint32_t domid, uint32_t max_fps,
		 struct paint **out);
/* Every window's paint_window must be destroyed first. NULL allowed. */
void paint_destroy(struct paint *p);
/* The guest's shared memory in use: bytes and buffers (both 0 once every window let go). */
uint64_t paint_shm_bytes(const struct paint *p);
uint32_t paint_shm_buffers(const struct paint *p);

/* ---- Frames: damage is merged per window and drawn at most max_fps times a second -------------
 */
/* Milliseconds until paint_flush() has damage to draw, 0 if now, -1 if there is none. */
int paint_timeout_ms(const struct paint *p);
/* Draw every window's pending damage if a frame interval has passed since the last frame. */
void paint_flush(struct paint *p);
/* Rectangles drawn so far (requests to the host X server), for tests. */
uint64_t paint_draws(const struct paint *p);

/* A window whose pixels go into content (a host window of the caller's). 0 or -ENOMEM. */
int paint_window_create(struct paint *p, uint32_t id, xcb_window_t content,
			struct paint_window **out);
/* Release its buffer and free it. NULL allowed. */
void paint_window_destroy(struct paint_window *pw);

/* Show the window's pixels tinted with label_rgb (decor_tint_pixel), from now on: a tray icon's.
 * The daemon then tints each drawn pixel itself and draws through the X socket: for small windows
 * only (a tray icon is at most TRAY_ICON_MAX_SIZE square), where that costs little. */
void paint_window_tint(struct paint_window *pw, uint32_t label_rgb);

/* The guest offered a new buffer for the window (SHMBUF_MEMFD: the fd is owned by this call in
 * every case; SHMBUF_GRANT: the refs are copied). 0 when the window now shows it; -errno when
 * refused (logged, rate-limited): a buffer that failed its checks leaves the window with none, one
 * that could not be mapped leaves the previous one. */
int paint_take(struct paint_window *pw, const struct shmbuf_export *offer);
/* Damage: repaint a rectangle of the content from the buffer at the next frame (paint_flush),
 * clipped then to the buffer and to the visible size (the content's, the latest given). A band that
 * cannot be drawn through the X socket is dropped and logged. */
void paint_rect(struct paint_window *pw, uint32_t visible_w, uint32_t visible_h, int32_t x,
		int32_t y, uint32_t width, uint32_t height);

#endif

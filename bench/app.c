/* The applications seam-bench runs inside a guest (it starts itself with these arguments):
 *   --app TITLE 0xRRGGBB  a window that paints itself in that color when exposed, as any
 *                         application does, then waits to be killed (the start-up figure);
 *   --flood               a 1280x720 window repainted with new pictures as fast as the guest
 *                         server takes them (the second guest of the scaling figure). */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#include "common/xconn.h"
#include "bench/bench.h"

/* Must match measure.c's APP_* and the flooding window's place beside the probe window. */
#define APP_X	40
#define APP_Y	560
#define APP_W	320
#define APP_H	200
#define FLOOD_X 700
#define FLOOD_Y 40
#define FLOOD_W 1280
#define FLOOD_H 720

static xcb_window_t make_window(xcb_connection_t *c, xcb_screen_t *s, const char *title, int16_t x,
				int16_t y, uint16_t w, uint16_t h)
{
	xcb_window_t win = xcb_generate_id(c);
	uint32_t values[] = {XCB_EVENT_MASK_EXPOSURE | XCB_EVENT_MASK_STRUCTURE_NOTIFY};
	xcb_create_window(c, XCB_COPY_FROM_PARENT, win, s->root, x, y, w, h, 0,
			  XCB_WINDOW_CLASS_INPUT_OUTPUT, XCB_COPY_FROM_PARENT, XCB_CW_EVENT_MASK,
			  values);
	xcb_change_property(c, XCB_PROP_MODE_REPLACE, win, XCB_ATOM_WM_NAME, XCB_ATOM_STRING, 8,
			    (uint32_t)strlen(title), title);
	uint32_t hints[18] = {1 | 2 | 4 | 8, (uint32_t)x, (uint32_t)y, w, h};
	xcb_change_property(c, XCB_PROP_MODE_REPLACE, win, XCB_ATOM_WM_NORMAL_HINTS,
			    XCB_ATOM_WM_SIZE_HINTS, 32, 18, hints);
	xcb_map_window(c, win);
	return win;
}

static int app(xcb_connection_t *c, xcb_screen_t *s, const char *title, uint32_t color)
{
	xcb_window_t win = make_window(c, s, title, APP_X, APP_Y, APP_W, APP_H);
	xcb_gcontext_t gc = xcb_generate_id(c);
	xcb_create_gc(c, gc, win, XCB_GC_FOREGROUND, &color);
	xcb_flush(c);
	xcb_generic_event_t *ev;
	while ((ev = xcb_wait_for_event(c))) {
		if ((ev->response_type & 0x7f) == XCB_EXPOSE) {
			xcb_rectangle_t r = {0, 0, APP_W, APP_H};
			xcb_poly_fill_rectangle(c, win, gc, 1, &r);
			xcb_flush(c);
		}
		free(ev);
	}
	return 0;
}

static int flood(xcb_connection_t *c, xcb_screen_t *s)
{
	xcb_window_t win =
	    make_window(c, s, "seam-bench-flood", FLOOD_X, FLOOD_Y, FLOOD_W, FLOOD_H);
	xcb_gcontext_t gc = xcb_generate_id(c);
	xcb_create_gc(c, gc, win, 0, NULL);
	size_t one = (size_t)FLOOD_W * FLOOD_H * 4u;
	int id = shmget(IPC_PRIVATE, one * 2, IPC_CREAT | 0600);
	uint8_t *img = id >= 0 ? shmat(id, NULL, 0) : (void *)-1;
	if (img == (void *)-1) {
		fprintf(stderr, "seam-bench --flood: no shared memory\n");
		return 1;
	}
	xcb_shm_seg_t seg = xcb_generate_id(c);
	xcb_generic_error_t *e =
	    xcb_request_check(c, xcb_shm_attach_checked(c, seg, (uint32_t)id, 1));
	shmctl(id, IPC_RMID, NULL);
	if (e) {
		fprintf(stderr, "seam-bench --flood: the guest server refused MIT-SHM\n");
		return 1;
	}
	uint32_t *px = (uint32_t *)img;
	for (size_t i = 0; i < one / 4; i++) {
		px[i] = (uint32_t)(i * 2654435761u) & 0xffffffu;
		px[i + one / 4] = px[i] ^ 0xffffffu;
	}
	for (unsigned k = 0; !xcb_connection_has_error(c); k++) {
		xcb_shm_put_image(c, win, gc, FLOOD_W, FLOOD_H, 0, 0, FLOOD_W, FLOOD_H, 0, 0, 24,
				  XCB_IMAGE_FORMAT_Z_PIXMAP, 0, seg, (uint32_t)(one * (k % 2)));
		/* One frame at a time: the server's queue stays short, as with a real player. */
		free(xcb_get_input_focus_reply(c, xcb_get_input_focus(c), NULL));
		xcb_generic_event_t *ev;
		while ((ev = xcb_poll_for_event(c)))
			free(ev);
	}
	return 0;
}

int bench_app_main(int argc, char **argv)
{
	xcb_connection_t *c;
	xcb_screen_t *screen;
	char why[200];
	if (xconn_open(NULL, 1, &c, &screen, why, sizeof(why))) {
		fprintf(stderr, "seam-bench %s: %s\n", argv[1], why);
		return 1;
	}
	int rc;
	if (strcmp(argv[1], "--app") == 0 && argc == 4)
		rc = app(c, screen, argv[2], (uint32_t)strtoul(argv[3], NULL, 16));
	else if (strcmp(argv[1], "--flood") == 0 && argc == 2)
		rc = flood(c, screen);
	else
		rc = 2;
	xcb_disconnect(c);
	return rc;
}

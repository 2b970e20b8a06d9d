/* seam-xen-latency: the Xen lab's small-update latency probe (xcb only).
 *
 *   seam-xen-latency app TITLE        in the guest: a 64x64 window; each key press fills a 16x16
 *                                     square at (24, 24) with the next color of a cycle
 *   seam-xen-latency probe TITLE N    on the host: find the forwarded window whose title contains
 *                                     TITLE, then N times: press a key over it (XTest) and time
 *                                     until the host pixel at (32, 32) of its content changes
 *
 * seam-bench times a fill drawn by one process on the guest display and seen on the host display.
 * Across a Xen domain boundary no process sees both displays, so this probe times the round trip
 * that starts and ends on the host: input forwarded to the guest, the guest's repaint, the damaged
 * rows forwarded back. Both halves cross the boundary, so the figure is an upper bound on the
 * one-way small-update latency. It prints:
 *   "latency: N samples, median M ms, p90 P ms, min L ms, missed K"
 * Exit 0 when at least half the samples arrived.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xcb/xcb.h>
#include <xcb/xtest.h>

#include "common/mono.h"

#define BORDER 3
#define SPOT 32
#define KEYCODE 65 /* space on the usual evdev keymap; any key does */
#define SAMPLE_TIMEOUT_MS 3000

static xcb_connection_t *x;
static xcb_screen_t *screen;

static int app(const char *title)
{
	xcb_window_t win = xcb_generate_id(x);
	uint32_t values[] = {screen->white_pixel,
			     XCB_EVENT_MASK_EXPOSURE | XCB_EVENT_MASK_KEY_PRESS};
	xcb_create_window(x, XCB_COPY_FROM_PARENT, win, screen->root, 10, 300, 64, 64, 0,
			  XCB_WINDOW_CLASS_INPUT_OUTPUT, XCB_COPY_FROM_PARENT,
			  XCB_CW_BACK_PIXEL | XCB_CW_EVENT_MASK, values);
	xcb_change_property(x, XCB_PROP_MODE_REPLACE, win, XCB_ATOM_WM_NAME, XCB_ATOM_STRING, 8,
			    (uint32_t)strlen(title), title);
	xcb_gcontext_t gc = xcb_generate_id(x);
	uint32_t color = 0x204060;
	xcb_create_gc(x, gc, win, XCB_GC_FOREGROUND, &color);
	xcb_map_window(x, win);
	xcb_flush(x);
	static const uint32_t cycle[] = {0xff0000, 0x00ff00, 0x0000ff, 0xffff00};
	unsigned n = 0;
	xcb_generic_event_t *ev;
	while ((ev = xcb_wait_for_event(x))) {
		uint8_t type = ev->response_type & 0x7f;
		if (type == XCB_KEY_PRESS)
			color = cycle[n++ % 4];
		if (type == XCB_KEY_PRESS || type == XCB_EXPOSE) {
			xcb_change_gc(x, gc, XCB_GC_FOREGROUND, &color);
			xcb_rectangle_t r = {24, 24, 16, 16};
			xcb_poly_fill_rectangle(x, win, gc, 1, &r);
			xcb_flush(x);
		}
		free(ev);
	}
	return 0;
}

static bool title_has(xcb_window_t w, const char *needle)
{
	xcb_get_property_reply_t *r = xcb_get_property_reply(
	    x, xcb_get_property(x, 0, w, XCB_ATOM_WM_NAME, XCB_GET_PROPERTY_TYPE_ANY, 0, 256), NULL);
	bool found = false;
	if (r) {
		int len = xcb_get_property_value_length(r);
		char buf[1025];
		if (len > 1024)
			len = 1024;
		memcpy(buf, xcb_get_property_value(r), (size_t)len);
		buf[len] = '\0';
		found = strstr(buf, needle) != NULL;
		free(r);
	}
	return found;
}

static xcb_window_t find(const char *needle)
{
	xcb_query_tree_reply_t *t = xcb_query_tree_reply(x, xcb_query_tree(x, screen->root), NULL);
	xcb_window_t found = XCB_NONE;
	if (!t)
		return found;
	xcb_window_t *kids = xcb_query_tree_children(t);
	for (int i = 0; i < xcb_query_tree_children_length(t) && !found; i++)
		if (title_has(kids[i], needle))
			found = kids[i];
	free(t);
	return found;
}

static bool pixel(xcb_window_t w, uint32_t *out)
{
	xcb_get_image_reply_t *r = xcb_get_image_reply(
	    x, xcb_get_image(x, XCB_IMAGE_FORMAT_Z_PIXMAP, w, BORDER + SPOT, BORDER + SPOT, 1, 1, ~0u),
	    NULL);
	if (!r)
		return false;
	memcpy(out, xcb_get_image_data(r), 4);
	*out &= 0xffffff;
	free(r);
	return true;
}

static int cmp(const void *a, const void *b)
{
	double d = *(const double *)a - *(const double *)b;
	return d < 0 ? -1 : d > 0;
}

static int probe(const char *title, int n)
{
	xcb_window_t w = XCB_NONE;
	for (int i = 0; i < 300 && !w; i++) {
		w = find(title);
		if (!w)
			usleep(100000);
	}
	if (!w) {
		fprintf(stderr, "latency: no window titled '%s'\n", title);
		return 1;
	}
	xcb_translate_coordinates_reply_t *tr = xcb_translate_coordinates_reply(
	    x, xcb_translate_coordinates(x, w, screen->root, BORDER + SPOT, BORDER + SPOT), NULL);
	if (!tr)
		return 1;
	/* Off the window first: a pointer already there (over an earlier probe's window) would not
	 * move, and the guest would not learn where it is. */
	xcb_test_fake_input(x, XCB_MOTION_NOTIFY, 0, XCB_CURRENT_TIME, screen->root, 0, 0, 0);
	xcb_flush(x);
	usleep(200000);
	xcb_test_fake_input(x, XCB_MOTION_NOTIFY, 0, XCB_CURRENT_TIME, screen->root, tr->dst_x,
			    tr->dst_y, 0);
	free(tr);
	xcb_flush(x);
	usleep(300000);
	double *s = calloc((size_t)n, sizeof(*s));
	int got = 0, missed = 0;
	for (int i = 0; i < n && s; i++) {
		uint32_t before, p;
		if (!pixel(w, &before))
			return 1;
		double t0 = (mono_ns() / 1e6);
		xcb_test_fake_input(x, XCB_KEY_PRESS, KEYCODE, XCB_CURRENT_TIME, XCB_NONE, 0, 0, 0);
		xcb_test_fake_input(x, XCB_KEY_RELEASE, KEYCODE, XCB_CURRENT_TIME, XCB_NONE, 0, 0, 0);
		xcb_flush(x);
		bool changed = false;
		while ((mono_ns() / 1e6) - t0 < SAMPLE_TIMEOUT_MS) {
			if (!pixel(w, &p))
				return 1;
			if (p != before) {
				changed = true;
				break;
			}
			usleep(500);
		}
		if (changed)
			s[got++] = (mono_ns() / 1e6) - t0;
		else
			missed++;
		if (missed >= 5 && got == 0) {
			/* Nothing arrives: the input or the pixels are lost, not slow. */
			printf("latency: the first %d samples never arrived\n", missed);
			free(s);
			return 1;
		}
		usleep(50000);
	}
	if (!got) {
		printf("latency: no sample arrived (%d missed)\n", missed);
		return 1;
	}
	qsort(s, (size_t)got, sizeof(*s), cmp);
	printf("latency: %d samples, median %.1f ms, p90 %.1f ms, min %.1f ms, missed %d\n", got,
	       s[got / 2], s[(got * 9) / 10 < got ? (got * 9) / 10 : got - 1], s[0], missed);
	free(s);
	return got * 2 >= n ? 0 : 1;
}

int main(int argc, char **argv)
{
	bool is_app = argc == 3 && !strcmp(argv[1], "app");
	bool is_probe = argc == 4 && !strcmp(argv[1], "probe");
	if (!is_app && !is_probe) {
		fprintf(stderr, "usage: seam-xen-latency app TITLE | probe TITLE N\n");
		return 2;
	}
	x = xcb_connect(NULL, NULL);
	if (xcb_connection_has_error(x)) {
		fprintf(stderr, "latency: cannot open the display\n");
		return 1;
	}
	screen = xcb_setup_roots_iterator(xcb_get_setup(x)).data;
	return is_app ? app(argv[2]) : probe(argv[2], atoi(argv[3]));
}

/* seam-xprobe: what the integration tests ask of a host X server, answered with xcb.
 *
 *   seam-xprobe find TITLE-SUBSTRING [TIMEOUT_S]   wait for a window whose _NET_WM_NAME or WM_NAME
 *                                                   contains it; print "ID X Y W H" (root coords)
 *   seam-xprobe gone TITLE-SUBSTRING [TIMEOUT_S]    wait until no window has such a title
 *   seam-xprobe hidden TITLE-SUBSTRING [TIMEOUT_S]  wait until no such window is viewable
 *   seam-xprobe frame ID BORDER 0xRRGGBB           every pixel of the window's border ring has that
 *                                                   color (all four sides)
 *   seam-xprobe pattern ID BORDER [WxH]            the content (inside the border) is the test
 *                                                   client's pattern: R = x, G = y, B = x ^ y
 *   seam-xprobe solid ID BORDER 0xRRGGBB [TIMEOUT_S] the content is all that color (waits for it)
 *   seam-xprobe count TITLE-SUBSTRING              print how many windows have such a title
 *   seam-xprobe close ID                           send WM_DELETE_WINDOW, as a window manager does
 *   seam-xprobe fullscreen ID on|off               ask the window manager (EWMH) to put the window
 *                                                   in full screen or take it out, as a pager does
 *   seam-xprobe title ID                           print the window's title bytes as they are
 *   seam-xprobe cursor X Y                         move the pointer to X,Y (root) and print the
 *                                                   cursor there as "WxH+XHOT+YHOT SUM" (SUM: a
 *                                                   hash of its ARGB pixels)
 *   seam-xprobe cursor-ref X Y NAME                print, the same way, the cursor libxcb-cursor
 *                                                   loads for NAME from this display's cursor theme
 *                                                   (font:N: glyph N of the X cursor font, black on
 *                                                   white), shown on a window put under X,Y
 *   seam-xprobe icon ID [tint 0xRRGGBB]            print the window's _NET_WM_ICON, one line per
 *                                                   image: "W H" and its pixels in hex (tinted
 *                                                   with the label color by window-decor's tint)
 *   seam-xprobe pixels ID [tint 0xRRGGBB]          print the window's pixels: "W H" and each pixel
 *                                                   as 0xRRGGBB in hex (tinted with the label color
 *                                                   by window-decor's tint), on one line
 *   seam-xprobe icon ID plain 0xRRGGBB             the window's icon is window-decor's plain icon
 *                                                   of that label color
 *
 * The display is $DISPLAY. Exit 0 when the check holds, 1 with a line on stderr when it does not.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xcb/xcb.h>
#include <xcb/xcb_cursor.h>
#include <xcb/xfixes.h>

#include "common/mono.h"
#include "window-decor/decor.h"

static xcb_connection_t *x;
static xcb_screen_t *screen;

static xcb_atom_t atom(const char *name)
{
	xcb_intern_atom_reply_t *r =
		xcb_intern_atom_reply(x, xcb_intern_atom(x, 0, (uint16_t)strlen(name), name), NULL);
	xcb_atom_t a = r ? r->atom : XCB_ATOM_NONE;
	free(r);
	return a;
}

/* The window's title (UTF-8 name preferred), malloc'd, or NULL. */
static char *title_of(xcb_window_t w)
{
	static xcb_atom_t net_wm_name;
	if (!net_wm_name)
		net_wm_name = atom("_NET_WM_NAME");
	xcb_atom_t props[] = {net_wm_name, XCB_ATOM_WM_NAME};
	for (int i = 0; i < 2; i++) {
		xcb_get_property_reply_t *r = xcb_get_property_reply(
			x, xcb_get_property(x, 0, w, props[i], XCB_GET_PROPERTY_TYPE_ANY, 0, 256),
			NULL);
		if (r && xcb_get_property_value_length(r) > 0) {
			int n = xcb_get_property_value_length(r);
			char *s = malloc((size_t)n + 1);
			memcpy(s, xcb_get_property_value(r), (size_t)n);
			s[n] = '\0';
			free(r);
			return s;
		}
		free(r);
	}
	return NULL;
}

static bool viewable(xcb_window_t w);
static bool only_viewable;

/* Depth-first over the tree (window managers put clients two levels down): the matches. */
static int search(xcb_window_t w, const char *needle, xcb_window_t *found, int depth)
{
	int n = 0;
	char *t = title_of(w);
	if (t && strstr(t, needle) && (!only_viewable || viewable(w))) {
		if (found && !*found)
			*found = w;
		n++;
	}
	free(t);
	if (depth >= 3)
		return n;
	xcb_query_tree_reply_t *r = xcb_query_tree_reply(x, xcb_query_tree(x, w), NULL);
	if (!r)
		return n;
	xcb_window_t *kids = xcb_query_tree_children(r);
	for (int i = 0; i < xcb_query_tree_children_length(r); i++)
		n += search(kids[i], needle, found, depth + 1);
	free(r);
	return n;
}

static bool viewable(xcb_window_t w)
{
	xcb_get_window_attributes_reply_t *a =
		xcb_get_window_attributes_reply(x, xcb_get_window_attributes(x, w), NULL);
	bool v = a && a->map_state == XCB_MAP_STATE_VIEWABLE;
	free(a);
	return v;
}

static int cmd_find(const char *needle, double timeout)
{
	double end = (mono_ns() / 1e9) + timeout;
	do {
		xcb_window_t w = 0;
		search(screen->root, needle, &w, 0);
		if (w && viewable(w)) {
			xcb_get_geometry_reply_t *g =
				xcb_get_geometry_reply(x, xcb_get_geometry(x, w), NULL);
			xcb_translate_coordinates_reply_t *t = xcb_translate_coordinates_reply(
				x, xcb_translate_coordinates(x, w, screen->root, 0, 0), NULL);
			if (g && t) {
				printf("0x%x %d %d %u %u\n", w, t->dst_x, t->dst_y, g->width, g->height);
				free(g);
				free(t);
				return 0;
			}
			free(g);
			free(t);
		}
		usleep(20000);
	} while ((mono_ns() / 1e9) < end);
	fprintf(stderr, "xprobe: no viewable window titled '*%s*' after %.0f s\n", needle, timeout);
	return 1;
}

static int cmd_gone(const char *needle, double timeout)
{
	double end = (mono_ns() / 1e9) + timeout;
	do {
		if (search(screen->root, needle, NULL, 0) == 0)
			return 0;
		usleep(20000);
	} while ((mono_ns() / 1e9) < end);
	fprintf(stderr, "xprobe: a window titled '*%s*' is still there after %.0f s\n", needle,
		timeout);
	return 1;
}

/* The window's pixels as 0x00RRGGBB, row-major; *w, *h set. The window must be viewable. */
static uint32_t *grab(xcb_window_t win, uint32_t *w, uint32_t *h)
{
	xcb_get_geometry_reply_t *g = xcb_get_geometry_reply(x, xcb_get_geometry(x, win), NULL);
	if (!g)
		return NULL;
	*w = g->width, *h = g->height;
	free(g);
	xcb_get_image_reply_t *img = xcb_get_image_reply(
		x, xcb_get_image(x, XCB_IMAGE_FORMAT_Z_PIXMAP, win, 0, 0, (uint16_t)*w, (uint16_t)*h, ~0u),
		NULL);
	if (!img || (uint32_t)xcb_get_image_data_length(img) < *w * *h * 4u) {
		free(img);
		return NULL;
	}
	uint32_t *px = malloc((size_t)*w * *h * 4u);
	const uint32_t *src = (const uint32_t *)xcb_get_image_data(img);
	for (size_t i = 0; i < (size_t)*w * *h; i++)
		px[i] = src[i] & 0xffffffu;
	free(img);
	return px;
}

static int cmd_frame(xcb_window_t win, uint32_t b, uint32_t color)
{
	uint32_t w, h;
	uint32_t *px = grab(win, &w, &h);
	if (!px) {
		fprintf(stderr, "xprobe: cannot read window 0x%x\n", win);
		return 1;
	}
	const char *side = NULL;
	uint32_t bad = 0, bx = 0, by = 0;
	for (uint32_t y = 0; y < h && !side; y++)
		for (uint32_t xx = 0; xx < w && !side; xx++) {
			bool ring = y < b || y >= h - b || xx < b || xx >= w - b;
			if (ring && px[y * w + xx] != color) {
				side = y < b ? "top" : y >= h - b ? "bottom" : xx < b ? "left" : "right";
				bad = px[y * w + xx], bx = xx, by = y;
			}
		}
	free(px);
	if (side) {
		fprintf(stderr, "xprobe: frame of 0x%x: %s side pixel (%u,%u) is 0x%06x, not 0x%06x\n",
			win, side, bx, by, bad, color);
		return 1;
	}
	printf("frame ok: %ux%u, %u px of 0x%06x on every side\n", w, h, b, color);
	return 0;
}

static uint32_t pattern_at(uint32_t px, uint32_t py)
{
	return (px & 0xff) << 16 | (py & 0xff) << 8 | ((px ^ py) & 0xff);
}

static int check_content(xcb_window_t win, uint32_t b, bool pattern, uint32_t color, bool quiet)
{
	uint32_t w, h;
	uint32_t *px = grab(win, &w, &h);
	if (!px || w <= 2 * b || h <= 2 * b) {
		if (!quiet)
			fprintf(stderr, "xprobe: cannot read the content of 0x%x\n", win);
		free(px);
		return 1;
	}
	for (uint32_t y = b; y < h - b; y++)
		for (uint32_t xx = b; xx < w - b; xx++) {
			uint32_t want = pattern ? pattern_at(xx - b, y - b) : color;
			if (px[y * w + xx] != want) {
				if (!quiet)
					fprintf(stderr,
						"xprobe: content pixel (%u,%u) is 0x%06x, expected "
						"0x%06x\n",
						xx - b, y - b, px[y * w + xx], want);
				free(px);
				return 1;
			}
		}
	if (!quiet)
		printf("content ok: %ux%u %s\n", w - 2 * b, h - 2 * b,
		       pattern ? "pattern" : "solid");
	free(px);
	return 0;
}

/* Wait for the content to match (pixels arrive a moment after the window appears). */
static int cmd_content(xcb_window_t win, uint32_t b, bool pattern, uint32_t color, double timeout)
{
	double end = (mono_ns() / 1e9) + timeout;
	while ((mono_ns() / 1e9) < end) {
		if (check_content(win, b, pattern, color, true) == 0)
			return check_content(win, b, pattern, color, false);
		usleep(20000);
	}
	return check_content(win, b, pattern, color, false);
}

static int cmd_close(xcb_window_t win)
{
	xcb_client_message_event_t ev = {.response_type = XCB_CLIENT_MESSAGE, .format = 32,
					 .window = win, .type = atom("WM_PROTOCOLS")};
	ev.data.data32[0] = atom("WM_DELETE_WINDOW");
	ev.data.data32[1] = XCB_CURRENT_TIME;
	xcb_send_event(x, 0, win, XCB_EVENT_MASK_NO_EVENT, (const char *)&ev);
	/* A round trip: the server has handled the event before this client goes away. */
	free(xcb_get_input_focus_reply(x, xcb_get_input_focus(x), NULL));
	xcb_disconnect(x);
	return 0;
}

static int cmd_fullscreen(xcb_window_t win, bool on)
{
	xcb_client_message_event_t ev = {.response_type = XCB_CLIENT_MESSAGE, .format = 32,
					 .window = win, .type = atom("_NET_WM_STATE")};
	ev.data.data32[0] = on;
	ev.data.data32[1] = atom("_NET_WM_STATE_FULLSCREEN");
	ev.data.data32[3] = 2; /* the source: a pager, the user's own action */
	xcb_send_event(x, 0, screen->root,
		       XCB_EVENT_MASK_SUBSTRUCTURE_REDIRECT | XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY,
		       (const char *)&ev);
	free(xcb_get_input_focus_reply(x, xcb_get_input_focus(x), NULL)); /* a round trip */
	xcb_disconnect(x);
	return 0;
}

static int cmd_cursor(int16_t px, int16_t py)
{
	xcb_xfixes_query_version_reply_t *v = xcb_xfixes_query_version_reply(
		x, xcb_xfixes_query_version(x, XCB_XFIXES_MAJOR_VERSION, XCB_XFIXES_MINOR_VERSION),
		NULL);
	free(v);
	xcb_warp_pointer(x, XCB_NONE, screen->root, 0, 0, 0, 0, px, py);
	free(xcb_get_input_focus_reply(x, xcb_get_input_focus(x), NULL)); /* a round trip */
	usleep(100000);
	xcb_xfixes_get_cursor_image_reply_t *c =
		xcb_xfixes_get_cursor_image_reply(x, xcb_xfixes_get_cursor_image(x), NULL);
	if (!c)
		return 1;
	/* FNV-1a over the pixels: equal images, equal sums. */
	uint32_t sum = 2166136261u;
	const uint32_t *argb = xcb_xfixes_get_cursor_image_cursor_image(c);
	for (int i = 0; i < xcb_xfixes_get_cursor_image_cursor_image_length(c); i++)
		sum = (sum ^ argb[i]) * 16777619u;
	printf("%ux%u+%u+%u %08x\n", c->width, c->height, c->xhot, c->yhot, sum);
	free(c);
	return 0;
}

static int cmd_cursor_ref(int16_t px, int16_t py, const char *name)
{
	xcb_cursor_t cursor = XCB_NONE;
	xcb_cursor_context_t *ctx = NULL;
	if (!strncmp(name, "font:", 5)) {
		uint16_t glyph = (uint16_t)atoi(name + 5);
		xcb_font_t font = xcb_generate_id(x);
		xcb_open_font(x, font, 6, "cursor");
		cursor = xcb_generate_id(x);
		xcb_create_glyph_cursor(x, cursor, font, font, glyph, glyph + 1, 0, 0, 0, 0xffff,
					0xffff, 0xffff);
	} else if (xcb_cursor_context_new(x, screen, &ctx) == 0) {
		cursor = xcb_cursor_load_cursor(ctx, name);
	}
	if (cursor == XCB_NONE) {
		fprintf(stderr, "xprobe: the cursor theme has no '%s'\n", name);
		return 1;
	}
	xcb_window_t w = xcb_generate_id(x);
	uint32_t values[] = {1, cursor}; /* override-redirect: no window manager moves it */
	xcb_create_window(x, XCB_COPY_FROM_PARENT, w, screen->root, (int16_t)(px - 20),
			  (int16_t)(py - 20), 40, 40, 0, XCB_WINDOW_CLASS_INPUT_OUTPUT,
			  XCB_COPY_FROM_PARENT, XCB_CW_OVERRIDE_REDIRECT | XCB_CW_CURSOR, values);
	xcb_map_window(x, w);
	int rc = cmd_cursor(px, py);
	xcb_destroy_window(x, w);
	xcb_flush(x);
	if (ctx)
		xcb_cursor_context_free(ctx);
	return rc;
}

static uint32_t num(const char *s)
{
	return (uint32_t)strtoul(s, NULL, 0);
}

/* The window's _NET_WM_ICON: printed (how: NULL, or "tint" with rgb), or compared with the plain
 * icon of rgb (how: "plain"). */
static int cmd_icon(xcb_window_t win, const char *how, uint32_t rgb)
{
	xcb_get_property_reply_t *r = xcb_get_property_reply(
	    x, xcb_get_property(x, 0, win, atom("_NET_WM_ICON"), XCB_ATOM_CARDINAL, 0, 1u << 20),
	    NULL);
	if (!r || r->format != 32 || xcb_get_property_value_length(r) < 8) {
		fprintf(stderr, "xprobe: 0x%x has no _NET_WM_ICON\n", win);
		free(r);
		return 1;
	}
	const uint32_t *v = xcb_get_property_value(r);
	size_t n = (size_t)xcb_get_property_value_length(r) / 4u;
	if (how && !strcmp(how, "plain")) {
		uint32_t plain[DECOR_PLAIN_ICON_WORDS];
		decor_plain_icon(plain, rgb);
		bool same = n == DECOR_PLAIN_ICON_WORDS && !memcmp(v, plain, sizeof(plain));
		free(r);
		if (!same)
			fprintf(stderr, "xprobe: 0x%x's icon is not the plain 0x%06x one\n", win,
				rgb);
		return same ? 0 : 1;
	}
	bool tint = how && !strcmp(how, "tint");
	for (size_t at = 0; n - at >= 2;) {
		uint64_t area = (uint64_t)v[at] * v[at + 1];
		if (!area || area > n - at - 2)
			break;
		printf("%u %u", v[at], v[at + 1]);
		for (size_t i = 0; i < area; i++)
			printf(" %08x",
			       tint ? decor_tint_pixel(v[at + 2 + i], rgb) : v[at + 2 + i]);
		printf("\n");
		at += 2 + (size_t)area;
	}
	free(r);
	return 0;
}

/* The window's pixels, on one line (tinted with rgb if tint). */
static int cmd_pixels(xcb_window_t win, bool tint, uint32_t rgb)
{
	uint32_t w, h;
	uint32_t *px = grab(win, &w, &h);
	if (!px) {
		fprintf(stderr, "xprobe: cannot read window 0x%x\n", win);
		return 1;
	}
	printf("%u %u", w, h);
	for (size_t i = 0; i < (size_t)w * h; i++)
		printf(" %06x", tint ? decor_tint_pixel(px[i], rgb) & 0xffffffu : px[i]);
	printf("\n");
	free(px);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: seam-xprobe find|gone|count|frame|pattern|solid ...\n");
		return 2;
	}
	x = xcb_connect(NULL, NULL);
	if (xcb_connection_has_error(x)) {
		fprintf(stderr, "xprobe: cannot connect to DISPLAY\n");
		return 1;
	}
	screen = xcb_setup_roots_iterator(xcb_get_setup(x)).data;
	const char *cmd = argv[1];
	double timeout = 10;
	if (!strcmp(cmd, "hidden")) {
		only_viewable = true;
		cmd = "gone";
	}
	if (!strcmp(cmd, "find") || !strcmp(cmd, "gone")) {
		if (argc > 3)
			timeout = atof(argv[3]);
		return !strcmp(cmd, "find") ? cmd_find(argv[2], timeout) : cmd_gone(argv[2], timeout);
	}
	if (!strcmp(cmd, "count")) {
		printf("%d\n", search(screen->root, argv[2], NULL, 0));
		return 0;
	}
	if (!strcmp(cmd, "title")) {
		char *t = title_of(num(argv[2]));
		if (!t)
			return 1;
		fputs(t, stdout);
		free(t);
		return 0;
	}
	if (!strcmp(cmd, "icon") && (argc == 3 || argc == 5))
		return cmd_icon(num(argv[2]), argc == 5 ? argv[3] : NULL,
				argc == 5 ? num(argv[4]) : 0);
	if (!strcmp(cmd, "pixels") && (argc == 3 || argc == 5))
		return cmd_pixels(num(argv[2]), argc == 5, argc == 5 ? num(argv[4]) : 0);
	if (!strcmp(cmd, "cursor") && argc == 4)
		return cmd_cursor((int16_t)atoi(argv[2]), (int16_t)atoi(argv[3]));
	if (!strcmp(cmd, "cursor-ref") && argc == 5)
		return cmd_cursor_ref((int16_t)atoi(argv[2]), (int16_t)atoi(argv[3]), argv[4]);
	if (!strcmp(cmd, "close"))
		return cmd_close(num(argv[2]));
	if (!strcmp(cmd, "fullscreen") && argc == 4)
		return cmd_fullscreen(num(argv[2]), !strcmp(argv[3], "on"));
	if (!strcmp(cmd, "frame") && argc == 5)
		return cmd_frame(num(argv[2]), num(argv[3]), num(argv[4]));
	if (!strcmp(cmd, "pattern") && argc >= 4)
		return cmd_content(num(argv[2]), num(argv[3]), true, 0, 10);
	if (!strcmp(cmd, "solid") && argc >= 5)
		return cmd_content(num(argv[2]), num(argv[3]), false, num(argv[4]),
				   argc > 5 ? atof(argv[5]) : 10);
	fprintf(stderr, "xprobe: bad command line\n");
	return 2;
}

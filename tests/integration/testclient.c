/* seam-testclient: a deterministic X client for Seam's integration tests (xcb only).
 *
 *   seam-testclient [--title T] [--size WxH] [--pos X,Y] [--color 0xRRGGBB] [--pattern]
 *                   [--log FILE] [--override-redirect] [--no-delete]
 *
 * It shows one window and paints a known picture on every Expose: a solid colour, or with
 * --pattern the pixel 0x00RRGGBB at (x, y) with R = x & 0xff, G = y & 0xff, B = (x ^ y) & 0xff.
 * It logs one line per event to --log (default stdout), flushed at once:
 *   ready 0xWINDOW                  once the window is mapped
 *   key press KEYCODE STATE         key release KEYCODE STATE
 *   text C                          after a key press that types a printable ASCII character
 *   button press BUTTON X Y         button release BUTTON X Y      (window coordinates)
 *   motion X Y                      configure X Y W H
 *   focus in                        focus out
 *   repaint 0xRRGGBB                after SIGUSR1 (colours cycle red, green, blue)
 *   close requested                 on WM_DELETE_WINDOW, after which it exits 0
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <xcb/xcb.h>

#define KEYSYM_SHIFTED 1 /* index of the shifted level in a keycode's keysyms */

struct client {
	xcb_connection_t *x;
	xcb_screen_t *screen;
	xcb_window_t win;
	xcb_gcontext_t gc;
	xcb_atom_t wm_protocols, wm_delete;
	uint16_t width, height;
	bool pattern;
	uint32_t color;
	unsigned repaints;
	FILE *log;
	/* Keyboard mapping, for "text C". */
	xcb_keycode_t min_keycode;
	uint8_t syms_per_code;
	xcb_keysym_t *syms;
	int nsyms;
};

static void logf_(struct client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(struct client *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(c->log, fmt, ap);
	va_end(ap);
	fputc('\n', c->log);
	fflush(c->log);
}

static xcb_atom_t atom(xcb_connection_t *x, const char *name)
{
	xcb_intern_atom_reply_t *r =
	    xcb_intern_atom_reply(x, xcb_intern_atom(x, 0, (uint16_t)strlen(name), name), NULL);
	xcb_atom_t a = r ? r->atom : XCB_NONE;
	free(r);
	return a;
}

static void load_keymap(struct client *c)
{
	const xcb_setup_t *s = xcb_get_setup(c->x);
	uint8_t count = (uint8_t)(s->max_keycode - s->min_keycode + 1);
	xcb_get_keyboard_mapping_reply_t *r = xcb_get_keyboard_mapping_reply(
	    c->x, xcb_get_keyboard_mapping(c->x, s->min_keycode, count), NULL);
	if (!r)
		return;
	free(c->syms);
	c->nsyms = xcb_get_keyboard_mapping_keysyms_length(r);
	c->syms = malloc((size_t)c->nsyms * sizeof(*c->syms));
	if (c->syms)
		memcpy(c->syms, xcb_get_keyboard_mapping_keysyms(r), (size_t)c->nsyms * 4);
	else
		c->nsyms = 0;
	c->min_keycode = s->min_keycode;
	c->syms_per_code = r->keysyms_per_keycode;
	free(r);
}

/* The printable ASCII character a key types with this state, or 0. */
static char key_text(const struct client *c, xcb_keycode_t kc, uint16_t state)
{
	if (!c->syms || kc < c->min_keycode)
		return 0;
	int base = (kc - c->min_keycode) * c->syms_per_code;
	if (base + c->syms_per_code > c->nsyms)
		return 0;
	xcb_keysym_t sym = c->syms[base];
	if ((state & XCB_MOD_MASK_SHIFT) && c->syms_per_code > KEYSYM_SHIFTED &&
	    c->syms[base + KEYSYM_SHIFTED])
		sym = c->syms[base + KEYSYM_SHIFTED];
	if (sym < 0x20 || sym > 0x7e)
		return 0;
	char ch = (char)sym;
	if ((state & XCB_MOD_MASK_LOCK) && ch >= 'a' && ch <= 'z')
		ch = (char)(ch - 'a' + 'A');
	return ch;
}

static void paint_pattern(struct client *c)
{
	uint32_t w = c->width, h = c->height;
	/* Rows per PutImage: what fits in the largest request, less the request's own header. */
	uint64_t max_bytes = (uint64_t)xcb_get_maximum_request_length(c->x) * 4 - 64;
	uint32_t rows = (uint32_t)(max_bytes / ((uint64_t)w * 4));
	if (rows == 0)
		rows = 1;
	if (rows > h)
		rows = h;
	uint32_t *band = malloc((size_t)w * rows * 4);
	if (!band)
		return;
	for (uint32_t y0 = 0; y0 < h; y0 += rows) {
		uint32_t n = h - y0 < rows ? h - y0 : rows;
		for (uint32_t y = y0; y < y0 + n; y++)
			for (uint32_t x = 0; x < w; x++)
				band[(size_t)(y - y0) * w + x] =
				    ((x & 0xff) << 16) | ((y & 0xff) << 8) | ((x ^ y) & 0xff);
		xcb_put_image(c->x, XCB_IMAGE_FORMAT_Z_PIXMAP, c->win, c->gc, (uint16_t)w,
			      (uint16_t)n, 0, (int16_t)y0, 0, c->screen->root_depth, w * n * 4,
			      (const uint8_t *)band);
	}
	free(band);
}

static void paint(struct client *c)
{
	if (c->pattern) {
		paint_pattern(c);
	} else {
		xcb_change_gc(c->x, c->gc, XCB_GC_FOREGROUND, &c->color);
		xcb_rectangle_t r = {0, 0, c->width, c->height};
		xcb_poly_fill_rectangle(c->x, c->win, c->gc, 1, &r);
	}
	xcb_flush(c->x);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: seam-testclient [--title T] [--size WxH] [--pos X,Y] [--color 0xRRGGBB]\n"
		"                       [--pattern] [--log FILE] [--override-redirect] "
		"[--no-delete]\n");
}

static void set_string(struct client *c, xcb_atom_t prop, xcb_atom_t type, const char *s,
		       size_t len)
{
	xcb_change_property(c->x, XCB_PROP_MODE_REPLACE, c->win, prop, type, 8, (uint32_t)len, s);
}

/* Returns the exit status, or -1 to keep going. */
static int handle(struct client *c, xcb_generic_event_t *ev)
{
	switch (ev->response_type & 0x7f) {
	case XCB_EXPOSE:
		if (((xcb_expose_event_t *)ev)->count == 0)
			paint(c);
		break;
	case XCB_MAP_NOTIFY:
		logf_(c, "ready 0x%x", c->win);
		break;
	case XCB_CONFIGURE_NOTIFY: {
		xcb_configure_notify_event_t *e = (void *)ev;
		c->width = e->width;
		c->height = e->height;
		logf_(c, "configure %d %d %u %u", e->x, e->y, e->width, e->height);
		break;
	}
	case XCB_KEY_PRESS:
	case XCB_KEY_RELEASE: {
		xcb_key_press_event_t *e = (void *)ev;
		bool press = (ev->response_type & 0x7f) == XCB_KEY_PRESS;
		logf_(c, "key %s %u %u", press ? "press" : "release", e->detail, e->state);
		char ch = press ? key_text(c, e->detail, e->state) : 0;
		if (ch)
			logf_(c, "text %c", ch);
		break;
	}
	case XCB_BUTTON_PRESS:
	case XCB_BUTTON_RELEASE: {
		xcb_button_press_event_t *e = (void *)ev;
		logf_(c, "button %s %u %d %d",
		      (ev->response_type & 0x7f) == XCB_BUTTON_PRESS ? "press" : "release",
		      e->detail, e->event_x, e->event_y);
		break;
	}
	case XCB_MOTION_NOTIFY: {
		xcb_motion_notify_event_t *e = (void *)ev;
		logf_(c, "motion %d %d", e->event_x, e->event_y);
		break;
	}
	case XCB_FOCUS_IN:
	case XCB_FOCUS_OUT: {
		xcb_focus_in_event_t *e = (void *)ev;
		if (e->detail != XCB_NOTIFY_DETAIL_POINTER)
			logf_(c, "focus %s",
			      (ev->response_type & 0x7f) == XCB_FOCUS_IN ? "in" : "out");
		break;
	}
	case XCB_CLIENT_MESSAGE: {
		xcb_client_message_event_t *e = (void *)ev;
		if (e->type == c->wm_protocols && e->format == 32 &&
		    e->data.data32[0] == c->wm_delete) {
			logf_(c, "close requested");
			return 0;
		}
		break;
	}
	case XCB_MAPPING_NOTIFY:
		load_keymap(c);
		break;
	default:
		break;
	}
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"title", required_argument, NULL, 't'},
	    {"size", required_argument, NULL, 's'},
	    {"pos", required_argument, NULL, 'p'},
	    {"color", required_argument, NULL, 'c'},
	    {"pattern", no_argument, NULL, 'P'},
	    {"log", required_argument, NULL, 'l'},
	    {"override-redirect", no_argument, NULL, 'o'},
	    {"no-delete", no_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct client cl = {.width = 200, .height = 150, .color = 0x808080, .log = stdout};
	struct client *c = &cl;
	const char *title = "seam-testclient", *log_path = NULL;
	int px = 0, py = 0, opt;
	bool pos = false, override = false, no_delete = false;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		char *end;
		switch (opt) {
		case 't':
			title = optarg;
			break;
		case 's': {
			unsigned w, h;
			char extra;
			if (sscanf(optarg, "%ux%u%c", &w, &h, &extra) != 2 || !w || !h ||
			    w > 32767 || h > 32767) {
				fprintf(stderr, "seam-testclient: --size '%s': expected WxH\n",
					optarg);
				return 2;
			}
			c->width = (uint16_t)w;
			c->height = (uint16_t)h;
			break;
		}
		case 'p': {
			char extra;
			if (sscanf(optarg, "%d,%d%c", &px, &py, &extra) != 2) {
				fprintf(stderr, "seam-testclient: --pos '%s': expected X,Y\n",
					optarg);
				return 2;
			}
			pos = true;
			break;
		}
		case 'c':
			errno = 0;
			c->color = (uint32_t)strtoul(optarg, &end, 0);
			if (errno || *end || end == optarg || c->color > 0xffffff) {
				fprintf(stderr,
					"seam-testclient: --color '%s': expected 0xRRGGBB\n",
					optarg);
				return 2;
			}
			break;
		case 'P':
			c->pattern = true;
			break;
		case 'l':
			log_path = optarg;
			break;
		case 'o':
			override = true;
			break;
		case 'n':
			no_delete = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (log_path && !(c->log = fopen(log_path, "w"))) {
		fprintf(stderr, "seam-testclient: %s: %s\n", log_path, strerror(errno));
		return 1;
	}

	int scr;
	c->x = xcb_connect(NULL, &scr);
	if (xcb_connection_has_error(c->x)) {
		fprintf(stderr, "seam-testclient: cannot open the X display %s\n",
			getenv("DISPLAY") ? getenv("DISPLAY") : "(DISPLAY not set)");
		return 1;
	}
	xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(c->x));
	for (int i = 0; i < scr && it.rem; i++)
		xcb_screen_next(&it);
	c->screen = it.data;
	c->wm_protocols = atom(c->x, "WM_PROTOCOLS");
	c->wm_delete = atom(c->x, "WM_DELETE_WINDOW");
	xcb_atom_t net_wm_name = atom(c->x, "_NET_WM_NAME"), utf8 = atom(c->x, "UTF8_STRING");
	load_keymap(c);

	/* No background: the server never clears the window, so the only pixels it ever has are the
	 * ones painted here. */
	c->win = xcb_generate_id(c->x);
	uint32_t values[3] = {XCB_BACK_PIXMAP_NONE, override ? 1u : 0u,
			      XCB_EVENT_MASK_EXPOSURE | XCB_EVENT_MASK_KEY_PRESS |
				  XCB_EVENT_MASK_KEY_RELEASE | XCB_EVENT_MASK_BUTTON_PRESS |
				  XCB_EVENT_MASK_BUTTON_RELEASE | XCB_EVENT_MASK_POINTER_MOTION |
				  XCB_EVENT_MASK_STRUCTURE_NOTIFY | XCB_EVENT_MASK_FOCUS_CHANGE};
	xcb_create_window(
	    c->x, XCB_COPY_FROM_PARENT, c->win, c->screen->root, (int16_t)px, (int16_t)py, c->width,
	    c->height, 0, XCB_WINDOW_CLASS_INPUT_OUTPUT, c->screen->root_visual,
	    XCB_CW_BACK_PIXMAP | XCB_CW_OVERRIDE_REDIRECT | XCB_CW_EVENT_MASK, values);
	c->gc = xcb_generate_id(c->x);
	xcb_create_gc(c->x, c->gc, c->win, 0, NULL);
	set_string(c, XCB_ATOM_WM_NAME, XCB_ATOM_STRING, title, strlen(title));
	set_string(c, net_wm_name, utf8, title, strlen(title));
	static const char wm_class[] = "seam-testclient\0SeamTestClient";
	set_string(c, XCB_ATOM_WM_CLASS, XCB_ATOM_STRING, wm_class, sizeof(wm_class));
	if (!no_delete)
		xcb_change_property(c->x, XCB_PROP_MODE_REPLACE, c->win, c->wm_protocols,
				    XCB_ATOM_ATOM, 32, 1, &c->wm_delete);
	if (pos) {
		/* WM_NORMAL_HINTS (18 CARD32): USPosition | USSize, then x, y, width, height. */
		uint32_t hints[18] = {(1u << 0) | (1u << 1), (uint32_t)px, (uint32_t)py, c->width,
				      c->height};
		xcb_change_property(c->x, XCB_PROP_MODE_REPLACE, c->win, XCB_ATOM_WM_NORMAL_HINTS,
				    XCB_ATOM_WM_SIZE_HINTS, 32, 18, hints);
	}
	xcb_map_window(c->x, c->win);
	xcb_flush(c->x);

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int sfd = signalfd(-1, &set, SFD_CLOEXEC);
	static const uint32_t cycle[] = {0xff0000, 0x00ff00, 0x0000ff};

	for (;;) {
		xcb_generic_event_t *ev;
		while ((ev = xcb_poll_for_event(c->x))) {
			int rc = handle(c, ev);
			free(ev);
			if (rc >= 0) {
				xcb_disconnect(c->x);
				return rc;
			}
		}
		if (xcb_connection_has_error(c->x)) {
			fprintf(stderr, "seam-testclient: lost the X connection\n");
			return 1;
		}
		xcb_flush(c->x);
		struct pollfd p[2] = {{.fd = xcb_get_file_descriptor(c->x), .events = POLLIN},
				      {.fd = sfd, .events = POLLIN}};
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return 1;
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				c->pattern = false;
				c->color = cycle[c->repaints++ % 3];
				paint(c);
				logf_(c, "repaint 0x%06x", c->color);
			}
		}
	}
}

/* seam-xray: the trusted path. Grabs a secure-attention key on the host display; while it is
 * held, shows over every window which domain owns it (xray/overlay.h), and nothing when it is
 * released. Runs in the user's session on the host, next to the window manager. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/log.h"
#include "common/mono.h"
#include "common/xconn.h"
#include "xray/key.h"
#include "xray/overlay.h"
#include "xray/scan.h"

#define PROG "seam-xray"
/* Xvfb (21.1) can drop a client that connects just as another leaves: try a few times. */
#define X_CONNECT_TRIES 3u
/* A held key repeats as a release and a press with the same time, sent together; a release not
 * followed by such a press within this time is the real one. */
#define REPEAT_WAIT_MS 30

struct options {
	const char *display;
	struct xray_key key;
	bool list;
	int verbose;
};

struct xray {
	xcb_connection_t *x;
	xcb_screen_t *screen;
	struct xray_atoms atoms;
	struct xray_key key;
	struct xray_overlay *overlay;
	struct xray_target targets[XRAY_SCAN_MAX];
	bool held;	      /* the key is down: the overlays are to be shown */
	bool stale;	      /* a window changed while shown: scan and show again */
	bool release_pending; /* a release came; a repeat's press may still cancel it */
	xcb_timestamp_t release_time;
	int64_t release_deadline_ms;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: seam-xray [options]\n"
		"While a key is held, shows over every window on the host display which domain\n"
		"owns it: the guest's name in its label color, or dom0/host. No guest receives\n"
		"the key, and no window can cover what it shows.\n"
		"\n"
		"  -k, --key KEY      the key to hold (default %s): [MODIFIER-]...KEY with\n"
		"                     modifiers Ctrl, Shift, Alt, Super, and KEY one of Pause,\n"
		"                     Scroll_Lock, Print, Escape, Menu, Break, Insert, Home, End,\n"
		"                     Delete, F1..F12, or with a modifier a letter, digit, space,\n"
		"                     Tab or Return; e.g. Super-Escape\n"
		"  --display DISPLAY  the host X display (default: $DISPLAY)\n"
		"  --list             print each window's owner once, then exit (no key)\n"
		"  -v                 more log output (twice: debug)\n"
		"  -h, --help         this text\n",
		XRAY_KEY_DEFAULT);
}

/* 0 to run, 1 after -h, or CLI_USAGE_STATUS after a usage error (said on stderr). */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {
	    {"key", required_argument, NULL, 'k'},
	    {"display", required_argument, NULL, 'd'},
	    {"list", no_argument, NULL, 'l'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *key = XRAY_KEY_DEFAULT;
	*o = (struct options){0};
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":k:vh", longs, NULL)) != -1) {
		switch (c) {
		case 'k':
			key = optarg;
			break;
		case 'd':
			o->display = optarg;
			break;
		case 'l':
			o->list = true;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case ':':
			return cli_usage_error(PROG, "%s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error(PROG, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(PROG, "unexpected argument '%s'", argv[optind]);
	if (xray_key_parse(key, &o->key))
		return cli_usage_error(PROG,
				       "--key '%s': expected e.g. Pause or Super-Escape (a letter, "
				       "digit, space, Tab or Return needs a modifier)",
				       key);
	return 0;
}

static int list_windows(struct xray *xr)
{
	int n = xray_scan(xr->x, xr->screen, &xr->atoms, xr->targets, XRAY_SCAN_MAX);
	if (n < 0)
		return 1;
	for (int i = 0; i < n; i++) {
		const struct xray_target *t = &xr->targets[i];
		printf("0x%08x %d %d %ux%u %s", t->window, t->x, t->y, t->width, t->height,
		       t->guest ? t->name : XRAY_HOST_TEXT);
		if (t->guest)
			printf(" 0x%06x", t->rgb);
		putchar('\n');
	}
	return 0;
}

/* Root's structure events only while shown: then every window change is seen. */
static void watch_root(struct xray *xr, bool on)
{
	uint32_t mask = on ? XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY : 0;
	xcb_change_window_attributes(xr->x, xr->screen->root, XCB_CW_EVENT_MASK, &mask);
}

static void show(struct xray *xr)
{
	int n = xray_scan(xr->x, xr->screen, &xr->atoms, xr->targets, XRAY_SCAN_MAX);
	if (n < 0 || xray_overlay_show(xr->overlay, xr->targets, (unsigned)n)) {
		log_error("could not read the windows on the screen");
		return;
	}
	log_debug("showing the owners of %d windows", n);
}

/* The window a structure event is about (the one that changed), or XCB_NONE. */
static xcb_window_t changed_window(const xcb_generic_event_t *ev)
{
	switch (ev->response_type & 0x7f) {
	case XCB_CONFIGURE_NOTIFY:
		return ((const xcb_configure_notify_event_t *)ev)->window;
	case XCB_MAP_NOTIFY:
		return ((const xcb_map_notify_event_t *)ev)->window;
	case XCB_UNMAP_NOTIFY:
		return ((const xcb_unmap_notify_event_t *)ev)->window;
	case XCB_DESTROY_NOTIFY:
		return ((const xcb_destroy_notify_event_t *)ev)->window;
	case XCB_CIRCULATE_NOTIFY:
		return ((const xcb_circulate_notify_event_t *)ev)->window;
	case XCB_REPARENT_NOTIFY:
		return ((const xcb_reparent_notify_event_t *)ev)->window;
	case XCB_GRAVITY_NOTIFY:
		return ((const xcb_gravity_notify_event_t *)ev)->window;
	default:
		return XCB_NONE;
	}
}

/* A new keyboard mapping may move the key: find it and grab it again. */
static int regrab(struct xray *xr)
{
	char why[160];
	xray_key_ungrab(&xr->key, xr->x, xr->screen->root);
	if (xray_key_resolve(&xr->key, xr->x)) {
		log_error("no key of the new keyboard mapping gives %s", xr->key.name);
		return -ENOENT;
	}
	int rc = xray_key_grab(&xr->key, xr->x, xr->screen->root, why, sizeof(why));
	if (rc)
		log_error("%s", why);
	return rc;
}

/* One event. 0, or -1 to stop. */
static int handle(struct xray *xr, xcb_generic_event_t *ev)
{
	uint8_t type = ev->response_type & 0x7f;
	if (type == XCB_KEY_PRESS || type == XCB_KEY_RELEASE) {
		const xcb_key_press_event_t *k = (const void *)ev;
		if (!xray_key_is(&xr->key, k->detail))
			return 0; /* another key typed while ours is held: grabbed, dropped */
		if (type == XCB_KEY_RELEASE) {
			xr->release_pending = true;
			xr->release_time = k->time;
			xr->release_deadline_ms = mono_ms() + REPEAT_WAIT_MS;
		} else if (xr->release_pending && k->time == xr->release_time) {
			xr->release_pending = false; /* a repeat: still held */
		} else if (!xr->held) {
			xr->release_pending = false;
			xr->held = xr->stale = true;
			watch_root(xr, true);
		}
		return 0;
	}
	if (type == XCB_MAPPING_NOTIFY) {
		const xcb_mapping_notify_event_t *m = (const void *)ev;
		return m->request == XCB_MAPPING_KEYBOARD && regrab(xr) ? -1 : 0;
	}
	if (type == 0) {
		const xcb_generic_error_t *e = (const void *)ev;
		log_debug("X error %u on request %u", e->error_code, e->major_code);
		return 0;
	}
	xcb_window_t w = changed_window(ev);
	if (xr->held && w != XCB_NONE && !xray_scan_is_own(xr->x, w))
		xr->stale = true;
	return 0;
}

/* After a batch of events: show again what changed, hide after the real release. */
static void settle(struct xray *xr)
{
	if (xr->release_pending && mono_ms() >= xr->release_deadline_ms) {
		xr->release_pending = xr->held = xr->stale = false;
		watch_root(xr, false);
		xray_overlay_hide(xr->overlay);
		log_debug("released");
	}
	if (xr->held && xr->stale) {
		xr->stale = false;
		show(xr);
	}
}

static int run(struct xray *xr, int sfd)
{
	for (;;) {
		xcb_generic_event_t *ev;
		while ((ev = xcb_poll_for_event(xr->x))) {
			int rc = handle(xr, ev);
			free(ev);
			if (rc)
				return 1;
		}
		if (xcb_connection_has_error(xr->x)) {
			log_error("lost the X connection");
			return 1;
		}
		settle(xr);
		/* settle() asks the server, which may have queued events meanwhile. */
		if ((ev = xcb_poll_for_queued_event(xr->x))) {
			int rc = handle(xr, ev);
			free(ev);
			if (rc)
				return 1;
			continue;
		}
		xcb_flush(xr->x);
		int timeout = -1;
		if (xr->release_pending) {
			int64_t left = xr->release_deadline_ms - mono_ms();
			timeout = left > 0 ? (int)left : 0;
		}
		struct pollfd fds[2] = {{xcb_get_file_descriptor(xr->x), POLLIN, 0},
					{sfd, POLLIN, 0}};
		if (poll(fds, 2, timeout) < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			return 1;
		}
		if (fds[1].revents & POLLIN)
			return 0;
	}
}

static int start(struct xray *xr, const struct options *o)
{
	char why[256];
	int rc = xray_key_resolve(&xr->key, xr->x);
	if (rc) {
		log_error("%s", rc == -ENOENT ? "no key of this keyboard gives the key to grab"
					      : "the X server did not send its keyboard mapping");
		return 1;
	}
	if (xray_key_grab(&xr->key, xr->x, xr->screen->root, why, sizeof(why))) {
		log_error("%s; choose another with --key", why);
		return 1;
	}
	if (xray_overlay_create(xr->x, xr->screen, &xr->overlay, why, sizeof(why))) {
		log_error("%s", why);
		return 1;
	}
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		log_error("signalfd: %s", strerror(errno));
		return 1;
	}
	log_info("hold %s to see which domain owns each window", o->key.name);
	rc = run(xr, sfd);
	close(sfd);
	return rc;
}

int main(int argc, char **argv)
{
	struct options opts;
	int rc = parse_options(argc, argv, &opts);
	if (rc)
		return rc == 1 ? 0 : rc;
	log_init(PROG, NULL, log_level_for_verbosity(opts.verbose));
	struct xray *xr = calloc(1, sizeof(*xr));
	if (!xr) {
		log_error("out of memory");
		return 1;
	}
	char why[256];
	if (xconn_open(opts.display, X_CONNECT_TRIES, &xr->x, &xr->screen, why, sizeof(why))) {
		log_error("%s", why);
		free(xr);
		return 1;
	}
	xr->key = opts.key;
	if (xray_scan_atoms(xr->x, &xr->atoms))
		rc = 1;
	else if (opts.list)
		rc = list_windows(xr);
	else
		rc = start(xr, &opts);
	xray_overlay_destroy(xr->overlay);
	xcb_disconnect(xr->x);
	free(xr);
	return rc;
}

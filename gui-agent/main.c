/* seam-gui-agent: options, X set-up (extensions, window manager selection) and the poll loop. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <xcb/composite.h>
#include <xcb/damage.h>
#include <xcb/shm.h>
#include <xcb/xfixes.h>
#include <xcb/xtest.h>

#include "common/log.h"
#include "gui-agent/agent.h"

/* Same order as enum agent_atom. */
static const char *const atom_names[ATOM_COUNT] = {
    "WM_PROTOCOLS",
    "WM_DELETE_WINDOW",
    "WM_TAKE_FOCUS",
    "WM_STATE",
    "WM_CHANGE_STATE",
    "UTF8_STRING",
    "_NET_WM_NAME",
    "_NET_SUPPORTED",
    "_NET_SUPPORTING_WM_CHECK",
    "_NET_ACTIVE_WINDOW",
    "_NET_WM_STATE",
    "_NET_WM_STATE_FULLSCREEN",
    "_NET_WM_STATE_DEMANDS_ATTENTION",
    "_NET_WM_WINDOW_TYPE",
    "CLIPBOARD",
    "TARGETS",
    "TEXT",
    "INCR",
    "SEAM_SELECTION",
};

/* Default --close-timeout: long enough for a client to ask "save changes?", short enough that a
 * hung client does not keep a window the user closed. */
#define DEFAULT_CLOSE_TIMEOUT_S 5
#define MAX_CLOSE_TIMEOUT_S	3600

struct options {
	const char *channel;
	const char *display;
	int close_timeout_s;
	int verbose;
};

int64_t agent_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: seam-gui-agent --channel unix:PATH|vchan:DOMID:PORT [--display D]\n"
	    "                      [--close-timeout SECONDS] [-v [-v]] [-h]\n"
	    "The guest side of Seam: the window manager of the guest X server ($DISPLAY or\n"
	    "--display), forwarding its windows to the host daemon on the channel.\n"
	    "  --close-timeout S  after the host closes a window, kill its client if the window\n"
	    "                     still exists S seconds after WM_DELETE_WINDOW (default %d)\n"
	    "  -v                 log more (-v: info, -v -v: debug)\n",
	    DEFAULT_CLOSE_TIMEOUT_S);
}

/* 0: run; 1: -h was answered; -1: a usage error was printed. */
static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
	    {"channel", required_argument, NULL, 'c'},
	    {"display", required_argument, NULL, 'd'},
	    {"close-timeout", required_argument, NULL, 't'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	*o = (struct options){.close_timeout_s = DEFAULT_CLOSE_TIMEOUT_S};
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->channel = optarg;
			break;
		case 'd':
			o->display = optarg;
			break;
		case 't': {
			char *end;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 0 || v > MAX_CLOSE_TIMEOUT_S) {
				fprintf(
				    stderr,
				    "seam-gui-agent: --close-timeout '%s': expected whole seconds "
				    "0..%d\n",
				    optarg, MAX_CLOSE_TIMEOUT_S);
				return -1;
			}
			o->close_timeout_s = (int)v;
			break;
		}
		case 'v':
			o->verbose++;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case ':':
			fprintf(stderr, "seam-gui-agent: %s needs an argument (see -h)\n",
				argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "seam-gui-agent: unknown option '%s' (see -h)\n",
				argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "seam-gui-agent: unexpected argument '%s' (see -h)\n",
			argv[optind]);
		return -1;
	}
	if (!o->channel) {
		fprintf(stderr,
			"seam-gui-agent: --channel unix:PATH or vchan:DOMID:PORT is required "
			"(see -h)\n");
		return -1;
	}
	return 0;
}

/* Each extension the agent needs, with the version it asks for. Returns 0, or -1 with the
 * missing one logged. */
static int check_extensions(struct agent *a, const char *dpy)
{
	xcb_connection_t *x = a->x;
	xcb_extension_t *exts[] = {&xcb_composite_id, &xcb_damage_id, &xcb_xfixes_id, &xcb_shm_id,
				   &xcb_test_id};
	const char *names[] = {"Composite", "DAMAGE", "XFIXES", "MIT-SHM", "XTEST"};
	for (unsigned i = 0; i < 5; i++)
		xcb_prefetch_extension_data(x, exts[i]);
	for (unsigned i = 0; i < 5; i++) {
		const xcb_query_extension_reply_t *e = xcb_get_extension_data(x, exts[i]);
		if (!e) {
			log_error("the connection to the X server on %s broke (xcb error %d) while "
				  "asking for the %s extension",
				  dpy, xcb_connection_has_error(x), names[i]);
			return -1;
		}
		if (!e->present) {
			log_error("the X server on %s lacks the %s extension", dpy, names[i]);
			return -1;
		}
	}
	a->damage_event = xcb_get_extension_data(x, &xcb_damage_id)->first_event;
	a->xfixes_event = xcb_get_extension_data(x, &xcb_xfixes_id)->first_event;
	a->shm_opcode = xcb_get_extension_data(x, &xcb_shm_id)->major_opcode;

	/* Damage and XFixes need the version handshake before use; the others are checked for the
	 * requests the agent makes: NameWindowPixmap (Composite 0.2), cursor names (XFixes 2),
	 * AttachFd (MIT-SHM 1.2). */
	xcb_composite_query_version_reply_t *cv =
	    xcb_composite_query_version_reply(x, xcb_composite_query_version(x, 0, 4), NULL);
	xcb_damage_query_version_reply_t *dv =
	    xcb_damage_query_version_reply(x, xcb_damage_query_version(x, 1, 1), NULL);
	xcb_xfixes_query_version_reply_t *fv =
	    xcb_xfixes_query_version_reply(x, xcb_xfixes_query_version(x, 5, 0), NULL);
	xcb_shm_query_version_reply_t *sv =
	    xcb_shm_query_version_reply(x, xcb_shm_query_version(x), NULL);
	xcb_test_get_version_reply_t *tv =
	    xcb_test_get_version_reply(x, xcb_test_get_version(x, 2, 2), NULL);
	const char *missing = NULL;
	if (!cv || (cv->major_version == 0 && cv->minor_version < 2))
		missing = "Composite 0.2 (NameWindowPixmap)";
	else if (!dv || dv->major_version < 1)
		missing = "DAMAGE 1.0";
	else if (!fv || fv->major_version < 2)
		missing = "XFIXES 2.0 (cursor names)";
	else if (!sv || sv->major_version < 1 || (sv->major_version == 1 && sv->minor_version < 2))
		missing = "MIT-SHM 1.2 (fd passing)";
	else if (!tv)
		missing = "XTEST";
	free(cv);
	free(dv);
	free(fv);
	free(sv);
	free(tv);
	if (missing) {
		log_error("the X server on %s lacks %s", dpy, missing);
		return -1;
	}
	return 0;
}

static int intern_atoms(struct agent *a)
{
	xcb_intern_atom_cookie_t ck[ATOM_COUNT];
	for (unsigned i = 0; i < ATOM_COUNT; i++)
		ck[i] = xcb_intern_atom(a->x, 0, (uint16_t)strlen(atom_names[i]), atom_names[i]);
	int rc = 0;
	for (unsigned i = 0; i < ATOM_COUNT; i++) {
		xcb_intern_atom_reply_t *r = xcb_intern_atom_reply(a->x, ck[i], NULL);
		if (!r)
			rc = -1;
		else
			a->atoms[i] = r->atom;
		free(r);
	}
	if (rc)
		log_error("interning atoms failed: the X connection broke");
	return rc;
}

/* Select SubstructureRedirect on the root (only one client may), announce an EWMH window manager
 * named "Seam" and redirect every top-level window off screen. */
static int become_wm(struct agent *a, const char *dpy)
{
	xcb_connection_t *x = a->x;
	uint32_t mask = XCB_EVENT_MASK_SUBSTRUCTURE_REDIRECT | XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY |
			XCB_EVENT_MASK_PROPERTY_CHANGE;
	xcb_generic_error_t *err = xcb_request_check(
	    x, xcb_change_window_attributes_checked(x, a->root, XCB_CW_EVENT_MASK, &mask));
	if (err) {
		if (err->error_code == XCB_ACCESS)
			log_error("another window manager is running on %s", dpy);
		else
			log_error("cannot select events on the root window of %s (X error %u)", dpy,
				  err->error_code);
		free(err);
		return -1;
	}
	err = xcb_request_check(x, xcb_composite_redirect_subwindows_checked(
				       x, a->root, XCB_COMPOSITE_REDIRECT_MANUAL));
	if (err) {
		log_error(
		    "cannot redirect the windows of %s: another compositing manager is running "
		    "(X error %u)",
		    dpy, err->error_code);
		free(err);
		return -1;
	}

	/* The check window is InputOnly, so the agent never tracks it as a client window. */
	a->stub = xcb_generate_id(x);
	uint32_t ovr = 1;
	xcb_create_window(x, 0, a->stub, a->root, -1, -1, 1, 1, 0, XCB_WINDOW_CLASS_INPUT_ONLY,
			  XCB_COPY_FROM_PARENT, XCB_CW_OVERRIDE_REDIRECT, &ovr);
	const xcb_atom_t *at = a->atoms;
	xcb_change_property(x, XCB_PROP_MODE_REPLACE, a->stub, at[ATOM_NET_SUPPORTING_WM_CHECK],
			    XCB_ATOM_WINDOW, 32, 1, &a->stub);
	xcb_change_property(x, XCB_PROP_MODE_REPLACE, a->stub, at[ATOM_NET_WM_NAME],
			    at[ATOM_UTF8_STRING], 8, 4, "Seam");
	xcb_change_property(x, XCB_PROP_MODE_REPLACE, a->root, at[ATOM_NET_SUPPORTING_WM_CHECK],
			    XCB_ATOM_WINDOW, 32, 1, &a->stub);
	xcb_atom_t supported[] = {at[ATOM_NET_SUPPORTING_WM_CHECK],
				  at[ATOM_NET_WM_NAME],
				  at[ATOM_NET_WM_STATE],
				  at[ATOM_NET_WM_STATE_FULLSCREEN],
				  at[ATOM_NET_WM_STATE_DEMANDS_ATTENTION],
				  at[ATOM_NET_ACTIVE_WINDOW],
				  at[ATOM_NET_WM_WINDOW_TYPE]};
	xcb_change_property(x, XCB_PROP_MODE_REPLACE, a->root, at[ATOM_NET_SUPPORTED],
			    XCB_ATOM_ATOM, 32, sizeof(supported) / sizeof(supported[0]), supported);
	return 0;
}

static int setup_x(struct agent *a, const char *display)
{
	int screen_no;
	a->x = xcb_connect(display, &screen_no);
	const char *dpy = display ? display : getenv("DISPLAY");
	if (!dpy)
		dpy = "(no DISPLAY set)";
	if (xcb_connection_has_error(a->x)) {
		log_error("cannot open the X display %s", dpy);
		return -1;
	}
	xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(a->x));
	for (int i = 0; i < screen_no && it.rem; i++)
		xcb_screen_next(&it);
	if (!it.rem) {
		log_error("the X display %s has no screen %d", dpy, screen_no);
		return -1;
	}
	a->screen = it.data;
	a->root = a->screen->root;
	if (check_extensions(a, dpy) || intern_atoms(a) || become_wm(a, dpy) || input_init(a))
		return -1;
	cursor_init(a);
	wm_scan(a);
	xcb_flush(a->x);
	log_info("managing %s (%ux%u, depth %u)", dpy, a->screen->width_in_pixels,
		 a->screen->height_in_pixels, a->screen->root_depth);
	return 0;
}

/* Errors of requests without replies. Most concern windows that vanished meanwhile; an MIT-SHM
 * error means pixels stop flowing, which deserves a warning. */
static void x_error(struct agent *a, const xcb_generic_error_t *e)
{
	if (e->major_code == a->shm_opcode)
		log_warn("MIT-SHM request %u failed: X error %u (resource 0x%x)", e->minor_code,
			 e->error_code, e->resource_id);
	else
		log_debug("X request %u.%u failed: X error %u (resource 0x%x)", e->major_code,
			  e->minor_code, e->error_code, e->resource_id);
}

static void handle_x_event(struct agent *a, xcb_generic_event_t *ev)
{
	uint8_t type = ev->response_type & 0x7f;
	if (type == 0)
		x_error(a, (const xcb_generic_error_t *)ev);
	else if (type == a->damage_event + XCB_DAMAGE_NOTIFY)
		damage_notify(a, (const xcb_damage_notify_event_t *)ev);
	else if (type == a->xfixes_event + XCB_XFIXES_CURSOR_NOTIFY)
		cursor_notify(a, ev);
	else if (type == XCB_SELECTION_NOTIFY)
		clipboard_selection_notify(a, (const xcb_selection_notify_event_t *)ev);
	else if (type == XCB_SELECTION_REQUEST)
		clipboard_selection_request(a, (const xcb_selection_request_event_t *)ev);
	else if (type == XCB_SELECTION_CLEAR)
		clipboard_selection_clear(a, (const xcb_selection_clear_event_t *)ev);
	else
		wm_handle_event(a, ev);
}

/* The one loop: X events, the channel, close deadlines, dump retries and signals. Nothing wakes it when
 * nothing happens. Returns the exit status. */
static int run(struct agent *a, int sigfd)
{
	int xfd = xcb_get_file_descriptor(a->x);
	for (;;) {
		xcb_generic_event_t *ev;
		while ((ev = xcb_poll_for_event(a->x))) {
			handle_x_event(a, ev);
			free(ev);
		}
		if (xcb_connection_has_error(a->x)) {
			log_error("lost the connection to the X server");
			return 1;
		}
		damage_poll_replies(a);
		int retry = damage_retry_dumps(a);
		damage_flush(a);
		int timeout = input_deadlines(a);
		if (retry >= 0 && (timeout < 0 || retry < timeout))
			timeout = retry;
		xcb_flush(a->x);
		/* Round trips made above may have read events into xcb's queue, where poll() cannot
		 * see them: handle them before sleeping. */
		if ((ev = xcb_poll_for_queued_event(a->x))) {
			handle_x_event(a, ev);
			free(ev);
			continue;
		}
		int ct = chan_timeout_ms(a->chan);
		if (ct >= 0 && (timeout < 0 || ct < timeout))
			timeout = ct;
		struct pollfd p[3] = {
		    {.fd = xfd, .events = POLLIN}, {.fd = -1}, {.fd = sigfd, .events = POLLIN}};
		chan_pollfd(a->chan, &p[1]);
		if (poll(p, 3, timeout) < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			return 1;
		}
		if (p[2].revents & POLLIN) {
			struct signalfd_siginfo si;
			if (read(sigfd, &si, sizeof(si)) == sizeof(si))
				log_info("signal %u: exiting", si.ssi_signo);
			return 0;
		}
		unsigned cev = chan_dispatch(a->chan, p[1].revents);
		if (cev & CHAN_EV_CONNECTED)
			conn_connected(a);
		if (cev & (CHAN_EV_CONNECTED | CHAN_EV_INPUT | CHAN_EV_DISCONNECTED))
			conn_input(a);
		if (cev & CHAN_EV_DISCONNECTED)
			conn_disconnected(a);
	}
}

int main(int argc, char **argv)
{
	struct options o;
	int rc = parse_args(argc, argv, &o);
	if (rc)
		return rc > 0 ? 0 : 2;
	log_init("seam-gui-agent", NULL,
		 o.verbose >= 2	  ? LOG_DEBUG
		 : o.verbose == 1 ? LOG_INFO
				  : LOG_WARN);

	static struct agent agent;
	struct agent *a = &agent;
	a->close_timeout_ms = o.close_timeout_s * 1000;
	a->unix_transport = strncmp(o.channel, "unix:", 5) == 0;
	if (!a->unix_transport)
		a->peer_domid = (uint32_t)strtoul(o.channel + strlen("vchan:"), NULL, 10);
	struct chan_config cfg = {.sock_gid = -1, .frame = conn_frame, .frame_ctx = a};
	rc = chan_open(o.channel, CHAN_GUEST, &cfg, &a->chan);
	if (rc == -EINVAL)
		return 2; /* chan_open said which part of the address is wrong */
	if (rc) {
		log_error("cannot open the channel %s: %s", o.channel, strerror(-rc));
		return 1;
	}

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	signal(SIGPIPE, SIG_IGN);
	if (sigfd < 0) {
		log_error("signalfd: %s", strerror(errno));
		chan_close(a->chan);
		return 1;
	}

	rc = setup_x(a, o.display) ? 1 : run(a, sigfd);

	wm_free_all(a);
	cursor_free(a);
	free(a->modmap);
	free(a->zombies);
	chan_close(a->chan);
	if (a->x)
		xcb_disconnect(a->x);
	close(sigfd);
	return rc;
}

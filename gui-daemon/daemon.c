/* One guest's daemon, assembled (gui-daemon/daemon.h), and its loop. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/log.h"
#include "gui-daemon/daemon.h"
#include "gui-daemon/input.h"

struct daemon {
	xcb_connection_t *x;
	struct display *display;
	struct session *session;
	struct paint *paint;
	struct window_table *windows;
	struct clipboard *clipboard;
	struct keyboard *keyboard;
	struct icon *icon;
	struct dpi *dpi;
	struct notify *notify;
	struct screen *screen;
	struct input *input;
	struct conn *conn;
	struct tray *tray;
	struct log_limit x_error_limit; /* a guest's requests can fail on the host at will */
};

int daemon_create(const struct options *o, xcb_connection_t *x, xcb_screen_t *screen,
		  struct daemon **out, char *why, size_t why_len)
{
	*out = NULL;
	struct daemon *d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	d->x = x;
	int rc = display_create(x, screen, o->no_mit_shm, &d->display, why, why_len);
	if (!rc)
		rc = session_create(o->channel, d->display, &d->session, why, why_len);
	if (rc) {
		daemon_destroy(d);
		return rc;
	}
	struct clipboard_config clip = {o->name, o->runtime_dir, o->clipboard_limit, o->copy_keys,
					o->paste_keys};
	/* Grant refs are looked up in the channel's domain: the guest's word never names one. */
	rc = paint_create(d->display, o->max_shm_bytes, session_peer_domid(d->session), o->max_fps,
			  &d->paint);
	struct window_policy policy = {o->max_windows, o->allow_fullscreen};
	if (!rc)
		rc = window_table_create(d->display, d->paint, d->session, o->name, &o->label,
					 &policy, &d->windows);
	if (!rc)
		rc = clipboard_create(&clip, d->display, d->session, &d->clipboard);
	if (!rc)
		rc = keyboard_create(d->display, d->session, &d->keyboard);
	if (!rc)
		rc = icon_create(d->display, &o->label, &d->icon);
	if (!rc)
		rc = dpi_create(d->display, d->session, &d->dpi);
	if (!rc)
		rc = notify_create(o->name, &d->notify);
	if (!o->notifications)
		session_withhold(d->session, PROTO_SEAM_FEATURE_NOTIFY);
	if (!rc)
		rc = screen_create(d->display, d->session, d->windows, &d->screen);
	if (!rc)
		rc = input_create(d->display, d->windows, d->clipboard, d->session, &d->input);
	if (!rc)
		rc = conn_create(d->session, d->windows, d->clipboard, d->keyboard, d->icon, d->dpi,
				 d->notify, d->screen, &d->conn);
	if (!rc)
		rc = tray_create(d->display, d->windows, &d->tray);
	if (!rc)
		conn_set_tray(d->conn, d->tray);
	if (rc) {
		snprintf(why, why_len, "%s",
			 rc == -EIO ? "cannot intern _NET_WM_ICON or the tray's atoms on the host"
				    : "out of memory");
		daemon_destroy(d);
		return rc;
	}
	*out = d;
	return 0;
}

void daemon_destroy(struct daemon *d)
{
	if (!d)
		return;
	conn_destroy(d->conn);
	tray_destroy(d->tray);
	input_destroy(d->input);
	icon_destroy(d->icon);
	screen_destroy(d->screen);
	dpi_destroy(d->dpi);
	notify_destroy(d->notify);
	keyboard_destroy(d->keyboard);
	clipboard_destroy(d->clipboard);
	window_table_destroy(d->windows);
	paint_destroy(d->paint);
	session_destroy(d->session);
	display_destroy(d->display);
	free(d);
}

static void x_event(struct daemon *d, xcb_generic_event_t *ev)
{
	if (ev->response_type == 0) {
		/* An X error caused by a guest-driven request never ends the daemon. */
		xcb_generic_error_t *e = (xcb_generic_error_t *)ev;
		log_limited(&d->x_error_limit, LOG_DEBUG,
			    "X error %u on request %u.%u (resource 0x%x)", e->error_code,
			    e->major_code, e->minor_code, e->resource_id);
	} else if (!keyboard_event(d->keyboard, ev) && !dpi_event(d->dpi, ev) &&
		   !tray_event(d->tray, ev) && !screen_event(d->screen, ev)) {
		input_event(d->input, ev);
	}
	free(ev);
}

/* The events poll said are on the socket (readable), or only those a round trip or a flush
 * already read into xcb's queue (which needs no read that would find nothing). */
static void handle_x(struct daemon *d, bool readable)
{
	xcb_generic_event_t *ev;
	while ((ev = readable ? xcb_poll_for_event(d->x) : xcb_poll_for_queued_event(d->x)))
		x_event(d, ev);
}

int daemon_turn(struct daemon *d, int sigfd, int timeout_ms)
{
	struct pollfd pfd[3];
	pfd[0] = (struct pollfd){.fd = xcb_get_file_descriptor(d->x), .events = POLLIN};
	session_pollfd(d->session, &pfd[1]);
	pfd[2] = (struct pollfd){.fd = sigfd, .events = POLLIN};
	int chan_ms = session_timeout_ms(d->session);
	int timeout =
	    timeout_ms < 0 || (chan_ms >= 0 && chan_ms < timeout_ms) ? chan_ms : timeout_ms;
	int paint_ms = paint_timeout_ms(d->paint);
	if (paint_ms >= 0 && (timeout < 0 || paint_ms < timeout))
		timeout = paint_ms;
	int notify_ms = notify_timeout_ms(d->notify);
	if (notify_ms >= 0 && (timeout < 0 || notify_ms < timeout))
		timeout = notify_ms;
	int icon_ms = icon_timeout_ms(d->icon);
	if (icon_ms >= 0 && (timeout < 0 || icon_ms < timeout))
		timeout = icon_ms;
	if (conn_backlog(d->conn))
		timeout = 0;
	/* A round trip or a flush that had to wait may have read events into xcb's queue, where
	 * poll() cannot see them: handle them now and do not sleep this turn. */
	xcb_generic_event_t *queued = xcb_poll_for_queued_event(d->x);
	if (queued) {
		x_event(d, queued);
		timeout = 0;
	}
	if (poll(pfd, 3, timeout) < 0 && errno != EINTR) {
		int rc = -errno;
		log_error("poll: %s", strerror(-rc));
		return rc;
	}
	if (pfd[2].revents) {
		struct signalfd_siginfo si;
		if (read(sigfd, &si, sizeof(si)) == sizeof(si))
			log_info("signal %u: exiting", si.ssi_signo);
		return 1;
	}
	/* Host input first: a guest flooding messages cannot starve the user's events. */
	handle_x(d, pfd[0].revents != 0);
	conn_turn(d->conn, pfd[1].revents);
	handle_x(d, false);
	/* The host screen's changes, once for all of a turn's RandR events. */
	screen_flush(d->screen);
	/* A guest's damage, merged since the last frame, is drawn once a frame interval passed. */
	paint_flush(d->paint);
	notify_tick(d->notify);
	/* Icons that waited for the tint budget: a guest's latest icon is never left unshown. */
	icon_tick(d->icon);
	if (xcb_connection_has_error(d->x)) {
		log_error("lost the connection to the host X server");
		return -EPIPE;
	}
	xcb_flush(d->x);
	return 0;
}

int daemon_run(struct daemon *d, int sigfd)
{
	int rc;
	while (!(rc = daemon_turn(d, sigfd, -1)))
		;
	return rc;
}

struct session *daemon_session(const struct daemon *d)
{
	return d->session;
}

struct conn *daemon_conn(const struct daemon *d)
{
	return d->conn;
}

struct window_table *daemon_windows(const struct daemon *d)
{
	return d->windows;
}

struct paint *daemon_paint(const struct daemon *d)
{
	return d->paint;
}

struct clipboard *daemon_clipboard(const struct daemon *d)
{
	return d->clipboard;
}

struct tray *daemon_tray(const struct daemon *d)
{
	return d->tray;
}

/* The agent's top layer (gui-agent/agent.h): it owns every component, and is the only place that
 * knows them all: X events and daemon messages are routed here, and the link's ready and down
 * events reach the components that care. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xcb/damage.h>
#include <xcb/xfixes.h>

#include "common/log.h"
#include "gui-agent/agent.h"
#include "gui-agent/announce.h"
#include "gui-agent/capture.h"
#include "gui-agent/clipboard.h"
#include "gui-agent/cursor.h"
#include "gui-agent/damage.h"
#include "gui-agent/dpi.h"
#include "gui-agent/input.h"
#include "gui-agent/link.h"
#include "gui-agent/notify.h"
#include "gui-agent/tray.h"
#include "gui-agent/screen.h"
#include "gui-agent/wm.h"
#include "gui-agent/xctx.h"

struct agent {
	struct xctx *xc;
	struct keyboard *keyboard;
	struct dpi *dpi;
	struct screen *screen;
	struct link *link;
	struct wm *wm;
	struct damage *damage;
	struct cursor *cursor;
	struct input *input;
	struct clipboard *clipboard;
	struct announce *announce;
	bool x_readable; /* the last poll said the X socket has bytes (true before the first) */
	struct notify *notify; /* NULL without --notifications or a session bus */
	struct tray *tray;
};

/* ---- The daemon's messages ------------------------------------------------------------------ */

static void link_ready_cb(void *ctx)
{
	struct agent *a = ctx;
	log_info("ready: %s, sending %u windows", link_mode(a->link), wm_count(a->wm));
	announce_link_ready(a->announce);
}

static void link_seam_cb(void *ctx)
{
	struct agent *a = ctx;
	announce_link_seam(a->announce);
	notify_link_seam(a->notify);
}

static void link_buffers_cb(void *ctx)
{
	struct agent *a = ctx;
	announce_link_buffers(a->announce);
}

static void link_down_cb(void *ctx)
{
	struct agent *a = ctx;
	announce_link_down(a->announce);
	cursor_link_down(a->cursor);
	notify_link_down(a->notify);
}

/* A message about one of the windows the daemon knows. */
static void window_message(struct agent *a, const struct wm_window *w, const struct proto_msg *m)
{
	switch (m->type) {
	case PROTO_MSG_KEYPRESS:
		input_keypress(a->input, w, &m->u.keypress);
		break;
	case PROTO_MSG_BUTTON:
		input_button(a->input, w, &m->u.button);
		break;
	case PROTO_MSG_MOTION:
		input_motion(a->input, w, &m->u.motion);
		break;
	case PROTO_MSG_CROSSING:
		input_crossing(a->input, w, &m->u.crossing);
		break;
	case PROTO_MSG_FOCUS:
		input_focus(a->input, w, &m->u.focus);
		break;
	case PROTO_MSG_CONFIGURE: {
		struct proto_configure c = m->u.configure;
		tray_keep_place(a->tray, w, &c);
		/* Nothing will change, so no ConfigureNotify: answer from what the window has. */
		if (!wm_request_geometry(a->wm, w, &c))
			announce_configure(a->announce, w);
		break;
	}
	case PROTO_MSG_CLOSE:
		input_close(a->input, w);
		break;
	case PROTO_MSG_WINDOW_DUMP_ACK:
		damage_ack(a->damage, w);
		break;
	case PROTO_MSG_WINDOW_FLAGS:
		announce_host_flags(a->announce, w, &m->u.flags);
		break;
	default:
		/* MAP (Qubes' daemon sends it as its host window is mapped: the guest window is
		 * shown already), RESIZE (obsolete): nothing to do. */
		break;
	}
}

static void link_message_cb(void *ctx, const struct proto_msg *m)
{
	struct agent *a = ctx;
	switch (m->type) {
	case PROTO_MSG_KEYMAP_NOTIFY:
		input_keymap(a->input, &m->u.keymap);
		return;
	case PROTO_MSG_CLIPBOARD_REQ:
		clipboard_request(a->clipboard);
		return;
	case PROTO_MSG_CLIPBOARD_DATA:
		clipboard_set(a->clipboard, m->data, m->data_len);
		return;
	case PROTO_MSG_EXECUTE:
		log_warn("daemon sent EXECUTE: never executed");
		return;
	case PROTO_MSG_SEAM_HELLO:
		log_debug("a second Seam hello: not answered");
		return;
	case PROTO_MSG_DESTROY:
		announce_destroy_echo(a->announce, m->window);
		return;
	case PROTO_MSG_SEAM_KEYBOARD:
		keyboard_set_layout(a->keyboard, &m->u.keyboard);
		return;
	case PROTO_MSG_SEAM_KEYSYMS:
		keyboard_set_keysyms(a->keyboard, &m->u.keysyms, m->data);
		return;
	case PROTO_MSG_SEAM_DISPLAY_SETTINGS:
		dpi_set(a->dpi, &m->u.display_settings);
		return;
	case PROTO_MSG_SEAM_MONITOR_LAYOUT:
		screen_set_layout(a->screen, &m->u.monitors);
		return;
	default:
		break;
	}
	const struct wm_window *w = wm_find(a->wm, m->window);
	if (!w || !announce_known(a->announce, w)) {
		log_debug("%s for unknown window 0x%x ignored", proto_type_name(m->type),
			  m->window);
		return;
	}
	window_message(a, w, m);
}

/* ---- X events ------------------------------------------------------------------------------- */

/* Errors of requests without replies. Most concern windows that vanished meanwhile; an MIT-SHM
 * error means pixels stop flowing, which deserves a warning. */
static void x_error(const struct agent *a, const xcb_generic_error_t *e)
{
	if (e->major_code == a->xc->shm_opcode)
		log_warn("MIT-SHM request %u failed: X error %u (resource 0x%x)", e->minor_code,
			 e->error_code, e->resource_id);
	else
		log_debug("X request %u.%u failed: X error %u (resource 0x%x)", e->major_code,
			  e->minor_code, e->error_code, e->resource_id);
}

static void handle_x_event(struct agent *a, const xcb_generic_event_t *ev)
{
	uint8_t type = ev->response_type & 0x7f;
	if (type == 0) {
		x_error(a, (const xcb_generic_error_t *)ev);
	} else if (type == a->xc->damage_event + XCB_DAMAGE_NOTIFY) {
		damage_notify(a->damage, (const xcb_damage_notify_event_t *)ev);
	} else if (type == a->xc->xfixes_event + XCB_XFIXES_CURSOR_NOTIFY) {
		cursor_notify(a->cursor, (const xcb_xfixes_cursor_notify_event_t *)ev);
	} else if (type == XCB_MAPPING_NOTIFY) {
		const xcb_mapping_notify_event_t *e = (const void *)ev;
		if (e->request == XCB_MAPPING_MODIFIER || e->request == XCB_MAPPING_KEYBOARD)
			input_mapping_changed(a->input);
	} else if (!dpi_handle_event(a->dpi, ev) && !clipboard_handle_event(a->clipboard, ev) &&
		   !tray_handle_event(a->tray, ev)) {
		wm_handle_event(a->wm, ev);
	}
}

/* ---- Life cycle ----------------------------------------------------------------------------- */

/* The components, bottom up; wm's listeners in the order wm_listener_fn asks for. */
static int create_components(struct agent *a, const struct options *o)
{
	char why[512] = "";
	int rc;
	if ((rc = xctx_open(o->display, &a->xc, why, sizeof(why))) ||
	    (rc = keyboard_create(a->xc, &a->keyboard)) || (rc = dpi_create(a->xc, &a->dpi)) ||
	    (rc = screen_create(a->xc, &a->screen)) ||
	    (rc = wm_create(a->xc, &a->wm, why, sizeof(why))) ||
	    (rc = damage_create(a->xc, a->wm, a->link, &a->damage)) ||
	    (rc = cursor_create(a->xc, a->wm, a->link, &a->cursor)) ||
	    (rc = input_create(a->xc, a->wm, a->cursor, a->keyboard, o->close_timeout_s * 1000,
			       &a->input, why, sizeof(why))) ||
	    (rc = clipboard_create(a->xc, a->link, &a->clipboard)) ||
	    (rc = announce_create(a->xc, a->wm, a->link, a->damage, &a->announce)) ||
	    (rc = tray_create(a->xc, a->wm, &a->tray))) {
		if (!why[0])
			snprintf(why, sizeof(why), "cannot set up the agent: %s", strerror(-rc));
		log_error("%s", why);
		return rc;
	}
	announce_set_tray(a->announce, a->tray);
	return 0;
}

/* The capture path, chosen once: the guest driver's memfds (unix:) or grant pages (vchan:) where
 * its socket answers, ShmGetImage otherwise (and from the first buffer the channel cannot carry:
 * damage.c). */
static void choose_capture(struct agent *a, const struct options *o)
{
	char why[256] = "";
	struct capture *c = NULL;
	if (o->driver_socket && strcmp(o->driver_socket, "none") == 0)
		snprintf(why, sizeof(why), "--driver-socket none");
	else if (!capture_open(o->driver_socket, a->xc->display, a->xc->screen->root, &c, why,
			       sizeof(why))) {
		log_info("capture: guest driver");
		damage_set_capture(a->damage, c);
		return;
	}
	/* A socket named on the command line that goes unused is a mistake worth seeing. */
	bool named = o->driver_socket && strcmp(o->driver_socket, "none");
	log_msg(named ? LOG_WARN : LOG_INFO, "capture: ShmGetImage (%s)", why);
}

int agent_create(const struct options *o, struct agent **out)
{
	*out = NULL;
	struct agent *a = calloc(1, sizeof(*a));
	if (!a) {
		log_error("out of memory");
		return -ENOMEM;
	}
	a->x_readable = true;
	struct link_handlers h = {.ready = link_ready_cb,
				  .buffers = link_buffers_cb,
				  .seam = link_seam_cb,
				  .message = link_message_cb,
				  .down = link_down_cb,
				  .ctx = a};
	int rc = link_open(o->channel, &h, &a->link);
	if (rc) {
		if (rc != -EINVAL) /* on -EINVAL the channel said which part is wrong */
			log_error("cannot open the channel %s: %s", o->channel, strerror(-rc));
		free(a);
		return rc;
	}
	rc = create_components(a, o);
	if (rc) {
		agent_destroy(a);
		return rc;
	}
	char why[160];
	if (o->notifications) {
		rc = notify_create(a->link, &a->notify, why, sizeof(why));
		if (rc == 0)
			link_offer(a->link, PROTO_SEAM_FEATURE_NOTIFY);
		else if (rc == -ENOMEM)
			log_error("out of memory");
		else /* seam-run says so already when the domain has no bus */
			log_info("%s", why);
	}
	choose_capture(a, o);
	wm_scan(a->wm);
	xcb_flush(a->xc->x);
	const xcb_screen_t *s = a->xc->screen;
	log_info("managing %s (%ux%u, depth %u)", a->xc->display, s->width_in_pixels,
		 s->height_in_pixels, s->root_depth);
	*out = a;
	return 0;
}

void agent_destroy(struct agent *a)
{
	if (!a)
		return;
	notify_destroy(a->notify);
	tray_destroy(a->tray);
	announce_destroy(a->announce);
	clipboard_destroy(a->clipboard);
	input_destroy(a->input);
	cursor_destroy(a->cursor);
	damage_destroy(a->damage);
	wm_destroy(a->wm);
	screen_destroy(a->screen);
	dpi_destroy(a->dpi);
	keyboard_destroy(a->keyboard);
	link_close(a->link);
	xctx_close(a->xc);
	free(a);
}

/* ---- The poll loop's turns ------------------------------------------------------------------ */

static int earliest(int a, int b)
{
	return a >= 0 && (b < 0 || a < b) ? a : b;
}

int agent_prepare(struct agent *a, struct pollfd fds[AGENT_NFDS], int *timeout)
{
	xcb_connection_t *x = a->xc->x;
	/* The socket is read only when poll said so; otherwise only xcb's queue is looked at (a
	 * read there would only say EAGAIN: docs/performance.md). */
	bool readable = a->x_readable;
	a->x_readable = false;
	for (;;) {
		xcb_generic_event_t *ev;
		while ((ev = readable ? xcb_poll_for_event(x) : xcb_poll_for_queued_event(x))) {
			handle_x_event(a, ev);
			free(ev);
		}
		readable = false;
		if (xcb_connection_has_error(x)) {
			log_error("lost the connection to the X server");
			return -EPIPE;
		}
		damage_poll_replies(a->damage);
		int retry = damage_retry_dumps(a->damage);
		damage_flush(a->damage);
		*timeout = earliest(retry, input_deadlines(a->input));
		xcb_flush(x);
		/* Round trips made above may have read events into xcb's queue, where poll()
		 * cannot see them: handle them before sleeping. */
		if (!(ev = xcb_poll_for_queued_event(x)))
			break;
		handle_x_event(a, ev);
		free(ev);
	}
	*timeout = earliest(link_timeout_ms(a->link), *timeout);
	*timeout = earliest(notify_timeout_ms(a->notify), *timeout);
	fds[0] = (struct pollfd){.fd = xcb_get_file_descriptor(x), .events = POLLIN};
	link_pollfd(a->link, &fds[1]);
	notify_pollfd(a->notify, &fds[2]);
	return 0;
}

void agent_dispatch(struct agent *a, const struct pollfd fds[AGENT_NFDS])
{
	a->x_readable = fds[0].revents != 0;
	link_dispatch(a->link, fds[1].revents);
	/* sd-bus reads what is there and keeps what it read: process it whatever poll() said. */
	notify_dispatch(a->notify);
}

/* Host X events on the guest's windows (gui-daemon/input.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "gui-daemon/input.h"

/* Bit 0 of a crossing event's same_screen_focus: the window (or an inferior) has the focus. */
#define CROSSING_FOCUS 1u

struct input {
	struct display *dp;
	struct window_table *windows;
	struct clipboard *clipboard;
	struct session *session;
};

int input_create(struct display *dp, struct window_table *windows, struct clipboard *clipboard,
		 struct session *s, struct input **out)
{
	struct input *in = calloc(1, sizeof(*in));
	*out = in;
	if (!in)
		return -ENOMEM;
	*in = (struct input){dp, windows, clipboard, s};
	return 0;
}

void input_destroy(struct input *in)
{
	free(in);
}

/* A coordinate of an event on the frame or the content, made relative to the content. */
static int32_t content_coord(const struct window *w, int16_t event_coord, xcb_window_t event_window)
{
	return event_window == window_frame(w) ? event_coord - (int32_t)window_inset(w)
					       : event_coord;
}

static void send_keymap(struct input *in)
{
	xcb_connection_t *x = display_x(in->dp);
	xcb_query_keymap_reply_t *r = xcb_query_keymap_reply(x, xcb_query_keymap(x), NULL);
	if (!r)
		return;
	struct proto_msg m = {.type = PROTO_MSG_KEYMAP_NOTIFY, .window = 0};
	memcpy(m.u.keymap.keys, r->keys, sizeof(m.u.keymap.keys));
	m.u.keymap.keys[0] = 0; /* keycodes below 8 do not exist */
	free(r);
	session_send(in->session, &m);
}

static void key(struct input *in, const xcb_key_press_event_t *e, bool press)
{
	struct window *w = window_by_host(in->windows, e->event);
	if (!w)
		return;
	if (press)
		window_host_user_time(w, e->time);
	if (clipboard_key(in->clipboard, window_id(w), e->detail, e->state, press))
		return;
	struct proto_msg m = {.type = PROTO_MSG_KEYPRESS, .window = window_id(w)};
	m.u.keypress = (struct proto_keypress){
	    press ? PROTO_X_KEY_PRESS : PROTO_X_KEY_RELEASE, content_coord(w, e->event_x, e->event),
	    content_coord(w, e->event_y, e->event), e->state & PROTO_X_STATE_MAX, e->detail};
	session_send(in->session, &m);
}

static void button(struct input *in, const xcb_button_press_event_t *e, bool press)
{
	struct window *w = window_by_host(in->windows, e->event);
	if (!w || e->detail == 0)
		return;
	if (press)
		window_host_user_time(w, e->time);
	struct proto_msg m = {.type = PROTO_MSG_BUTTON, .window = window_id(w)};
	m.u.button = (struct proto_button){press ? PROTO_X_BUTTON_PRESS : PROTO_X_BUTTON_RELEASE,
					   content_coord(w, e->event_x, e->event),
					   content_coord(w, e->event_y, e->event),
					   e->state & PROTO_X_STATE_MAX, e->detail};
	session_send(in->session, &m);
}

static void motion(struct input *in, const xcb_motion_notify_event_t *e)
{
	struct window *w = window_by_host(in->windows, e->event);
	if (!w)
		return;
	struct proto_msg m = {.type = PROTO_MSG_MOTION, .window = window_id(w)};
	m.u.motion = (struct proto_motion){content_coord(w, e->event_x, e->event),
					   content_coord(w, e->event_y, e->event),
					   e->state & PROTO_X_STATE_MAX, 0};
	session_send(in->session, &m);
}

static void crossing(struct input *in, const xcb_enter_notify_event_t *e, bool enter)
{
	struct window *w = window_by_host(in->windows, e->event);
	if (!w || e->event != window_frame(w) || e->mode > PROTO_X_CROSSING_MODE_MAX ||
	    e->detail > PROTO_X_CROSSING_DETAIL_MAX)
		return;
	if (enter)
		send_keymap(in);
	struct proto_msg m = {.type = PROTO_MSG_CROSSING, .window = window_id(w)};
	m.u.crossing = (struct proto_crossing){enter ? PROTO_X_ENTER_NOTIFY : PROTO_X_LEAVE_NOTIFY,
					       e->event_x - (int32_t)window_inset(w),
					       e->event_y - (int32_t)window_inset(w),
					       e->state & PROTO_X_STATE_MAX,
					       e->mode,
					       e->detail,
					       (e->same_screen_focus & CROSSING_FOCUS) != 0};
	session_send(in->session, &m);
}

static void focus(struct input *in, const xcb_focus_in_event_t *e, bool focus_in)
{
	struct window *w = window_by_host(in->windows, e->event);
	/* Grabs and ungrabs by the window manager are not focus changes the guest should see. */
	if (!w || (e->mode != XCB_NOTIFY_MODE_NORMAL && e->mode != XCB_NOTIFY_MODE_WHILE_GRABBED) ||
	    e->detail > PROTO_X_FOCUS_DETAIL_MAX)
		return;
	/* The frame itself, not the pointer's window under PointerRoot focus, gained or lost the
	 * keyboard (a FocusOut to the content would stay in the window: it is not selected). */
	if (e->event == window_frame(w) && e->detail <= XCB_NOTIFY_DETAIL_NONLINEAR_VIRTUAL &&
	    e->detail != XCB_NOTIFY_DETAIL_INFERIOR)
		window_host_focus(w, focus_in);
	if (focus_in)
		send_keymap(in);
	struct proto_msg m = {.type = PROTO_MSG_FOCUS, .window = window_id(w)};
	m.u.focus = (struct proto_focus){focus_in ? PROTO_X_FOCUS_IN : PROTO_X_FOCUS_OUT,
					 XCB_NOTIFY_MODE_NORMAL, e->detail};
	session_send(in->session, &m);
}

static void client_message(struct input *in, const xcb_client_message_event_t *e)
{
	struct window *w = window_by_host(in->windows, e->window);
	if (!w || e->type != display_wm_protocols(in->dp) || e->format != 32 ||
	    e->data.data32[0] != display_wm_delete_window(in->dp))
		return;
	log_debug("window 0x%x: the user asked to close it", window_id(w));
	struct proto_msg m = {.type = PROTO_MSG_CLOSE, .window = window_id(w)};
	session_send(in->session, &m);
}

void input_event(struct input *in, const xcb_generic_event_t *ev)
{
	uint8_t type = ev->response_type & 0x7f;
	switch (type) {
	case XCB_EXPOSE: {
		const xcb_expose_event_t *e = (const xcb_expose_event_t *)ev;
		struct window *w = window_by_host(in->windows, e->window);
		if (w && e->window == window_content(w))
			window_repaint(w, e->x, e->y, e->width, e->height);
		break;
	}
	case XCB_KEY_PRESS:
	case XCB_KEY_RELEASE:
		key(in, (const xcb_key_press_event_t *)ev, type == XCB_KEY_PRESS);
		break;
	case XCB_BUTTON_PRESS:
	case XCB_BUTTON_RELEASE:
		button(in, (const xcb_button_press_event_t *)ev, type == XCB_BUTTON_PRESS);
		break;
	case XCB_MOTION_NOTIFY:
		motion(in, (const xcb_motion_notify_event_t *)ev);
		break;
	case XCB_ENTER_NOTIFY:
	case XCB_LEAVE_NOTIFY:
		crossing(in, (const xcb_enter_notify_event_t *)ev, type == XCB_ENTER_NOTIFY);
		break;
	case XCB_FOCUS_IN:
	case XCB_FOCUS_OUT:
		focus(in, (const xcb_focus_in_event_t *)ev, type == XCB_FOCUS_IN);
		break;
	case XCB_CONFIGURE_NOTIFY: {
		const xcb_configure_notify_event_t *e = (const xcb_configure_notify_event_t *)ev;
		struct window *w = window_by_host(in->windows, e->window);
		if (w && e->window == window_frame(w) && e->event == window_frame(w))
			window_host_configured(w, e->sequence);
		break;
	}
	case XCB_CLIENT_MESSAGE:
		client_message(in, (const xcb_client_message_event_t *)ev);
		break;
	case XCB_PROPERTY_NOTIFY: {
		const xcb_property_notify_event_t *e = (const xcb_property_notify_event_t *)ev;
		struct window *w = window_by_host(in->windows, e->window);
		if (w && e->window == window_frame(w) &&
		    e->atom == display_atom(in->dp, DISPLAY_NET_WM_STATE))
			window_host_state_changed(w);
		break;
	}
	default:
		break;
	}
}

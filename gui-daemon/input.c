/* Host X events on the guest's windows: the user's input goes to the guest (coordinates relative to
 * the content, inside the frame), the window manager's moves and resizes go back as CONFIGURE,
 * exposures are repainted from the buffer. */
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "gui-daemon/daemon.h"

#define B ((int32_t)DECOR_BORDER)
/* Bit 0 of a crossing event's same_screen_focus: the window (or an inferior) has the focus. */
#define CROSSING_FOCUS 1u

static int32_t content_x(const struct dwin *w, int16_t event_x, xcb_window_t event_window)
{
	return event_window == w->frame ? event_x - B : event_x;
}

static void send_keymap(struct daemon *d)
{
	xcb_query_keymap_reply_t *r = xcb_query_keymap_reply(d->x, xcb_query_keymap(d->x), NULL);
	if (!r)
		return;
	struct proto_msg m = {.type = PROTO_MSG_KEYMAP_NOTIFY, .window = 0};
	memcpy(m.u.keymap.keys, r->keys, sizeof(m.u.keymap.keys));
	m.u.keymap.keys[0] = 0; /* keycodes below 8 do not exist */
	free(r);
	daemon_send(d, &m);
}

static void key(struct daemon *d, xcb_key_press_event_t *e, bool press)
{
	struct dwin *w = daemon_window_by_host(d, e->event);
	if (!w || daemon_clipboard_key(d, w, e->detail, e->state, press))
		return;
	struct proto_msg m = {.type = PROTO_MSG_KEYPRESS, .window = w->id};
	m.u.keypress = (struct proto_keypress){
		press ? PROTO_X_KEY_PRESS : PROTO_X_KEY_RELEASE, content_x(w, e->event_x, e->event),
		content_x(w, e->event_y, e->event), e->state & PROTO_X_STATE_MAX, e->detail};
	daemon_send(d, &m);
}

static void button(struct daemon *d, xcb_button_press_event_t *e, bool press)
{
	struct dwin *w = daemon_window_by_host(d, e->event);
	if (!w || e->detail == 0)
		return;
	struct proto_msg m = {.type = PROTO_MSG_BUTTON, .window = w->id};
	m.u.button = (struct proto_button){
		press ? PROTO_X_BUTTON_PRESS : PROTO_X_BUTTON_RELEASE,
		content_x(w, e->event_x, e->event), content_x(w, e->event_y, e->event),
		e->state & PROTO_X_STATE_MAX, e->detail};
	daemon_send(d, &m);
}

static void motion(struct daemon *d, xcb_motion_notify_event_t *e)
{
	struct dwin *w = daemon_window_by_host(d, e->event);
	if (!w)
		return;
	struct proto_msg m = {.type = PROTO_MSG_MOTION, .window = w->id};
	m.u.motion = (struct proto_motion){content_x(w, e->event_x, e->event),
					   content_x(w, e->event_y, e->event),
					   e->state & PROTO_X_STATE_MAX, 0};
	daemon_send(d, &m);
}

static void crossing(struct daemon *d, xcb_enter_notify_event_t *e, bool enter)
{
	struct dwin *w = daemon_window_by_host(d, e->event);
	if (!w || e->event != w->frame || e->mode > PROTO_X_CROSSING_MODE_MAX ||
	    e->detail > PROTO_X_CROSSING_DETAIL_MAX)
		return;
	if (enter)
		send_keymap(d);
	struct proto_msg m = {.type = PROTO_MSG_CROSSING, .window = w->id};
	m.u.crossing = (struct proto_crossing){
		enter ? PROTO_X_ENTER_NOTIFY : PROTO_X_LEAVE_NOTIFY, e->event_x - B, e->event_y - B,
		e->state & PROTO_X_STATE_MAX, e->mode, e->detail,
		(e->same_screen_focus & CROSSING_FOCUS) != 0};
	daemon_send(d, &m);
}

static void focus(struct daemon *d, xcb_focus_in_event_t *e, bool in)
{
	struct dwin *w = daemon_window_by_host(d, e->event);
	/* Grabs and ungrabs by the window manager are not focus changes the guest should see. */
	if (!w || (e->mode != XCB_NOTIFY_MODE_NORMAL && e->mode != XCB_NOTIFY_MODE_WHILE_GRABBED) ||
	    e->detail > PROTO_X_FOCUS_DETAIL_MAX)
		return;
	if (in)
		send_keymap(d);
	struct proto_msg m = {.type = PROTO_MSG_FOCUS, .window = w->id};
	m.u.focus = (struct proto_focus){in ? PROTO_X_FOCUS_IN : PROTO_X_FOCUS_OUT,
					 XCB_NOTIFY_MODE_NORMAL, e->detail};
	daemon_send(d, &m);
}

static void client_message(struct daemon *d, xcb_client_message_event_t *e)
{
	struct dwin *w = daemon_window_by_host(d, e->window);
	if (!w || e->type != d->wm_protocols || e->format != 32 ||
	    e->data.data32[0] != d->wm_delete_window)
		return;
	log_debug("window 0x%x: the user asked to close it", w->id);
	struct proto_msg m = {.type = PROTO_MSG_CLOSE, .window = w->id};
	daemon_send(d, &m);
}

void daemon_input_event(struct daemon *d, xcb_generic_event_t *ev)
{
	switch (ev->response_type & 0x7f) {
	case XCB_EXPOSE: {
		xcb_expose_event_t *e = (xcb_expose_event_t *)ev;
		struct dwin *w = daemon_window_by_host(d, e->window);
		if (w && e->window == w->content)
			daemon_paint_rect(d, w, e->x, e->y, e->width, e->height);
		break;
	}
	case XCB_KEY_PRESS:
	case XCB_KEY_RELEASE:
		key(d, (xcb_key_press_event_t *)ev, (ev->response_type & 0x7f) == XCB_KEY_PRESS);
		break;
	case XCB_BUTTON_PRESS:
	case XCB_BUTTON_RELEASE:
		button(d, (xcb_button_press_event_t *)ev,
		       (ev->response_type & 0x7f) == XCB_BUTTON_PRESS);
		break;
	case XCB_MOTION_NOTIFY:
		motion(d, (xcb_motion_notify_event_t *)ev);
		break;
	case XCB_ENTER_NOTIFY:
	case XCB_LEAVE_NOTIFY:
		crossing(d, (xcb_enter_notify_event_t *)ev,
			 (ev->response_type & 0x7f) == XCB_ENTER_NOTIFY);
		break;
	case XCB_FOCUS_IN:
	case XCB_FOCUS_OUT:
		focus(d, (xcb_focus_in_event_t *)ev, (ev->response_type & 0x7f) == XCB_FOCUS_IN);
		break;
	case XCB_CONFIGURE_NOTIFY: {
		xcb_configure_notify_event_t *e = (xcb_configure_notify_event_t *)ev;
		struct dwin *w = daemon_window_by_host(d, e->window);
		if (w && e->window == w->frame && e->event == w->frame)
			daemon_window_host_configured(d, w, e->sequence);
		break;
	}
	case XCB_CLIENT_MESSAGE:
		client_message(d, (xcb_client_message_event_t *)ev);
		break;
	default:
		break;
	}
}

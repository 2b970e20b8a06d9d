/* What the host and its window manager do to a guest's windows (gui-daemon/window.h): the focus,
 * full screen, and moves and resizes, told to the guest. */
#include <stdlib.h>

#include "common/mono.h"
#include "gui-daemon/window_impl.h"

/* The host tells the guest where its window now is (the window manager or the user moved it). */
void window_tell_geometry(struct window *w)
{
	struct proto_msg m = {.type = PROTO_MSG_CONFIGURE, .window = w->id};
	m.u.configure = (struct proto_configure){w->x, w->y, w->w, w->h, w->override_redirect};
	w->told[w->told_next] = m.u.configure;
	w->told_ms[w->told_next] = mono_ms();
	w->told_next = (w->told_next + 1) % WINDOW_ECHOES;
	session_send(w->table->session, &m);
}

/* m is a geometry the host told the guest a moment ago, but no longer has. */
bool window_late_echo(const struct window *w, const struct proto_configure *m)
{
	int64_t now = mono_ms();
	for (unsigned i = 0; i < WINDOW_ECHOES; i++) {
		const struct proto_configure *t = &w->told[i];
		if (w->told_ms[i] && now - w->told_ms[i] <= WINDOW_ECHO_MS && t->x == m->x &&
		    t->y == m->y && t->width == m->width && t->height == m->height)
			return true;
	}
	return false;
}

/* Tell the guest the full-screen state its window has on the host (Qubes' agents wait for this
 * before they show the state to the application). */
static void tell_fullscreen(struct window *w)
{
	uint32_t on = w->host_flags & PROTO_FLAG_FULLSCREEN;
	struct proto_msg m = {.type = PROTO_MSG_WINDOW_FLAGS, .window = w->id};
	m.u.flags = (struct proto_window_flags){on, PROTO_FLAG_FULLSCREEN & ~on};
	session_send(w->table->session, &m);
}

/* The host's window manager says (EWMH _NET_SUPPORTED) that it makes windows full screen. */
static bool wm_does_fullscreen(const struct window_table *t)
{
	xcb_connection_t *x = t->x;
	/* A window manager lists a few hundred atoms at most. */
	xcb_get_property_reply_t *r = xcb_get_property_reply(
	    x,
	    xcb_get_property(x, 0, display_screen(t->dp)->root,
			     display_atom(t->dp, DISPLAY_NET_SUPPORTED), XCB_ATOM_ATOM, 0, 1024),
	    NULL);
	bool yes = false;
	if (r && r->format == 32) {
		const xcb_atom_t *a = xcb_get_property_value(r);
		int n = xcb_get_property_value_length(r) / 4;
		for (int i = 0; i < n && !yes; i++)
			yes = a[i] == display_atom(t->dp, DISPLAY_NET_WM_STATE_FULLSCREEN);
	}
	free(r);
	return yes;
}

/* The guest asks for full screen (on) or to leave it. The host's window manager does it, as for a
 * host application; the frame stays (the content is inset in it), unless the table allows
 * frameless full screen (see window_host_state_changed). Going full screen takes the user's
 * action: one of the guest's windows must have the focus (F11 in a browser), so a guest cannot
 * cover the screen while the user works elsewhere. The guest learns the outcome from the window's
 * state on the host, and at once when nothing will change. */
void window_request_fullscreen(struct window *w, bool on)
{
	struct window_table *t = w->table;
	if (!w->mapped) {
		w->want_fullscreen = on; /* asked for as it is mapped */
		return;
	}
	w->want_fullscreen = false;
	const char *refused = NULL;
	if (on == ((w->host_flags & PROTO_FLAG_FULLSCREEN) != 0))
		refused = NULL; /* nothing to do but answer */
	else if (w->override_redirect || w->docked)
		refused = "it is not managed";
	else if (on && !t->focused)
		refused = "the user is not working in the domain";
	else if (!wm_does_fullscreen(t))
		refused = "the host's window manager does not do full screen";
	else {
		xcb_client_message_event_t ev = {
		    .response_type = XCB_CLIENT_MESSAGE,
		    .format = 32,
		    .window = w->frame,
		    .type = display_atom(t->dp, DISPLAY_NET_WM_STATE),
		};
		ev.data.data32[0] = on; /* _NET_WM_STATE_ADD (1) or _REMOVE (0) */
		ev.data.data32[1] = display_atom(t->dp, DISPLAY_NET_WM_STATE_FULLSCREEN);
		ev.data.data32[3] = 1; /* the source: an application */
		xcb_send_event(t->x, 0, display_screen(t->dp)->root,
			       XCB_EVENT_MASK_SUBSTRUCTURE_REDIRECT |
				   XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY,
			       (const char *)&ev);
		log_limited(&t->flags_limit, LOG_INFO, "window 0x%x asked to %s full screen", w->id,
			    on ? "go" : "leave");
		return;
	}
	if (refused)
		log_limited(&t->flags_limit, LOG_INFO, "window 0x%x asked for full screen: %s",
			    w->id, refused);
	tell_fullscreen(w);
}

void window_host_focus(struct window *w, bool in)
{
	struct window_table *t = w->table;
	if (in)
		t->focused = w;
	else if (t->focused == w)
		t->focused = NULL;
}

bool window_table_focused(const struct window_table *t)
{
	return t->focused != NULL;
}

void window_host_user_time(struct window *w, xcb_timestamp_t time)
{
	if (w->table->focused == w && time)
		w->table->user_time = time;
}

/* The frame's geometry as the host has it (a window manager or the user moved or resized it):
 * the content follows inside it, and the guest is told. force: place the content again even if
 * nothing seems to have changed (its inset did). */
static void sync_host_geometry(struct window *w, bool force)
{
	xcb_connection_t *x = w->table->x;
	uint32_t in = window_inset(w);
	/* The frame may sit inside a window manager's decoration: ask where it is on the root. */
	xcb_translate_coordinates_reply_t *t = xcb_translate_coordinates_reply(
	    x, xcb_translate_coordinates(x, w->frame, display_screen(w->table->dp)->root, 0, 0),
	    NULL);
	xcb_get_geometry_reply_t *g =
	    xcb_get_geometry_reply(x, xcb_get_geometry(x, w->frame), NULL);
	if (t && g && g->width > 2 * in && g->height > 2 * in) {
		int32_t nx = t->dst_x + (int32_t)in, ny = t->dst_y + (int32_t)in;
		uint32_t cw = g->width - 2 * in, ch = g->height - 2 * in;
		if (cw > PROTO_MAX_WINDOW_WIDTH)
			cw = PROTO_MAX_WINDOW_WIDTH;
		if (ch > PROTO_MAX_WINDOW_HEIGHT)
			ch = PROTO_MAX_WINDOW_HEIGHT;
		if (force || nx != w->x || ny != w->y || cw != w->w || ch != w->h) {
			if (force || cw != w->w || ch != w->h) {
				uint32_t cv[] = {in, in, cw, ch};
				xcb_configure_window(x, w->content,
						     XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y |
							 XCB_CONFIG_WINDOW_WIDTH |
							 XCB_CONFIG_WINDOW_HEIGHT,
						     cv);
			}
			w->x = nx, w->y = ny, w->w = cw, w->h = ch;
			window_tell_geometry(w);
		}
	}
	free(t);
	free(g);
}

void window_host_state_changed(struct window *w)
{
	struct window_table *t = w->table;
	xcb_connection_t *x = t->x;
	xcb_atom_t state = display_atom(t->dp, DISPLAY_NET_WM_STATE);
	/* A window manager lists a handful of states; 32 atoms is far more than any sets. */
	xcb_get_property_reply_t *r = xcb_get_property_reply(
	    x, xcb_get_property(x, 0, w->frame, state, XCB_ATOM_ATOM, 0, 32), NULL);
	uint32_t now = 0;
	if (r && r->format == 32) {
		const xcb_atom_t *a = xcb_get_property_value(r);
		int n = xcb_get_property_value_length(r) / 4;
		for (int i = 0; i < n; i++) {
			if (a[i] == display_atom(t->dp, DISPLAY_NET_WM_STATE_FULLSCREEN))
				now |= PROTO_FLAG_FULLSCREEN;
			else if (a[i] ==
				 display_atom(t->dp, DISPLAY_NET_WM_STATE_DEMANDS_ATTENTION))
				now |= PROTO_FLAG_DEMANDS_ATTENTION;
		}
	}
	free(r);
	if (now == w->host_flags)
		return;
	struct proto_msg m = {.type = PROTO_MSG_WINDOW_FLAGS, .window = w->id};
	m.u.flags = (struct proto_window_flags){now & ~w->host_flags, w->host_flags & ~now};
	w->host_flags = now;
	session_send(t->session, &m);
	bool frameless = t->allow_fullscreen && (now & PROTO_FLAG_FULLSCREEN);
	if (frameless != w->frameless) {
		w->frameless = frameless;
		log_limited(&t->flags_limit, LOG_INFO, "window 0x%x: full screen %s its frame",
			    w->id, frameless ? "without" : "with");
		sync_host_geometry(w, true);
	}
}

void window_host_configured(struct window *w, uint16_t event_seq)
{
	/* Generated before the server saw our last configure of this frame: it describes a geometry
	 * we have already replaced, and sending it to the guest would undo the guest's request. */
	if ((int16_t)(event_seq - w->config_seq) < 0)
		return;
	sync_host_geometry(w, false);
}

/* The guest's windows on the host (gui-daemon/window.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pixman.h>
#include <xcb/xcb_icccm.h>

#include "common/log.h"
#include "common/mono.h"
#include "gui-daemon/window.h"

#define B DECOR_BORDER
/* The geometries the host last told the guest, and for how long an agent's CONFIGURE equal to one
 * of them is its late echo (sent before it had the newer one), not a request: a window manager
 * making a window full screen and back, or the user dragging an edge, sends several in a row. */
#define WINDOW_ECHOES  4u
#define WINDOW_ECHO_MS 1000
/* Buckets of the id hash: a guest at the default limit has four windows a bucket. */
#define WINDOW_HASH_SIZE 256u

struct window {
	struct window_table *table;
	uint32_t id;			 /* the guest's window id: only a key into the table */
	xcb_window_t frame;		 /* label-colored, holds the content; what the WM manages */
	xcb_window_t content;		 /* child of frame at (B, B): guest pixels only */
	int32_t x, y;			 /* content position on the host root, as last agreed */
	uint32_t w, h;			 /* content size */
	int32_t guest_x, guest_y;	 /* where the guest last put it, before any clamping */
	struct proto_window_hints hints; /* the guest's size hints, as last sent */
	bool override_redirect;
	bool mapped;
	bool shown;	      /* mapped once: the host has placed it, and it stays where it is */
	bool want_fullscreen; /* asked for before it was mapped: asked for once it is */
	bool frameless;	      /* full screen without the frame (the table allows it) */
	bool docked;	      /* a tray icon (DOCK): never shown framed */
	bool urgent;	      /* the guest asked for attention: the WM_HINTS urgency it shows */
	uint32_t host_flags;  /* PROTO_FLAG_* the frame's _NET_WM_STATE had when last read */
	uint16_t config_seq;  /* sequence of our last configure of the frame (events before it are
				 stale) */
	struct proto_configure told[WINDOW_ECHOES]; /* the host's last CONFIGUREs to the guest */
	int64_t told_ms[WINDOW_ECHOES];		    /* when (mono_ms) */
	unsigned told_next;
	struct paint_window *paint;
	struct window *next; /* hash chain */
};

struct window_table {
	struct display *dp;
	xcb_connection_t *x;
	struct paint *paint;
	struct session *session;
	const char *name;
	struct domain_label label;
	uint32_t max_windows;
	bool allow_fullscreen;
	struct window *buckets[WINDOW_HASH_SIZE];
	uint32_t count;
	struct log_limit refused_limit;	 /* a guest can ask for windows past its limit at will */
	struct log_limit override_limit; /* and for popups that would cover the screen */
	/* What else a guest's windows make the table say, as often as the guest likes. */
	struct log_limit host_limit, flags_limit, debug_limit;
	bool said_docked; /* the log said once why docked windows stay hidden */
	/* The guest's frame that has the host's keyboard focus (NULL: none has), and the time of
	 * the user's last key or button there: a window the guest maps may take the focus only
	 * while the user is working in the guest (see window_map). */
	struct window *focused;
	xcb_timestamp_t user_time;
};

static unsigned slot(uint32_t id)
{
	return (id * 2654435761u) >> 24 & (WINDOW_HASH_SIZE - 1);
}

int window_table_create(struct display *dp, struct paint *paint, struct session *s,
			const char *name, const struct domain_label *label,
			const struct window_policy *policy, struct window_table **out)
{
	struct window_table *t = calloc(1, sizeof(*t));
	*out = t;
	if (!t)
		return -ENOMEM;
	t->dp = dp;
	t->x = display_x(dp);
	t->paint = paint;
	t->session = s;
	t->name = name;
	t->label = *label;
	t->max_windows = policy->max_windows;
	t->allow_fullscreen = policy->allow_fullscreen;
	return 0;
}

void window_table_destroy(struct window_table *t)
{
	if (!t)
		return;
	window_destroy_all(t);
	free(t);
}

uint32_t window_count(const struct window_table *t)
{
	return t->count;
}

struct window *window_find(const struct window_table *t, uint32_t id)
{
	for (struct window *w = t->buckets[slot(id)]; w; w = w->next)
		if (w->id == id)
			return w;
	return NULL;
}

struct window *window_by_host(const struct window_table *t, xcb_window_t xw)
{
	for (unsigned i = 0; i < WINDOW_HASH_SIZE; i++)
		for (struct window *w = t->buckets[i]; w; w = w->next)
			if (w->frame == xw || w->content == xw)
				return w;
	return NULL;
}

static void sync_host_geometry(struct window *w, bool force);

static int32_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	return (int32_t)(v < lo ? lo : v > hi ? hi : v);
}

uint32_t window_inset(const struct window *w)
{
	return w->frameless ? 0 : B;
}

/* Where the content may go (see window.h): whole, or a managed window later on. */
static void place(const struct window *w, int32_t *x, int32_t *y, bool whole)
{
	const xcb_screen_t *screen = display_screen(w->table->dp);
	int64_t sw = screen->width_in_pixels, sh = screen->height_in_pixels, in = window_inset(w);
	int64_t fw = (int64_t)w->w + 2 * in, fh = (int64_t)w->h + 2 * in;
	if (w->override_redirect || whole) {
		*x = clamp(*x, in, fw <= sw ? sw - fw + in : in);
		*y = clamp(*y, in, fh <= sh ? sh - fh + in : in);
	} else {
		*x = clamp(*x, WINDOW_MIN_VISIBLE - fw + in, sw - WINDOW_MIN_VISIBLE + in);
		*y = clamp(*y, in, sh - WINDOW_MIN_VISIBLE + in);
	}
}

static void apply_geometry(struct window *w)
{
	xcb_connection_t *x = w->table->x;
	int32_t in = (int32_t)window_inset(w);
	uint32_t fv[] = {(uint32_t)(w->x - in), (uint32_t)(w->y - in), w->w + 2 * (uint32_t)in,
			 w->h + 2 * (uint32_t)in};
	w->config_seq =
	    (uint16_t)xcb_configure_window(x, w->frame,
					   XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y |
					       XCB_CONFIG_WINDOW_WIDTH | XCB_CONFIG_WINDOW_HEIGHT,
					   fv)
		.sequence;
	uint32_t cv[] = {w->w, w->h};
	xcb_configure_window(x, w->content, XCB_CONFIG_WINDOW_WIDTH | XCB_CONFIG_WINDOW_HEIGHT, cv);
}

/* The guest application chose the window's place: USPosition, or PPosition anywhere but the
 * screen's origin (toolkits write PPosition 0,0 for a window they never placed). */
static bool guest_placed(const struct window *w)
{
	return (w->hints.flags & PROTO_HINT_USPOSITION) ||
	       ((w->hints.flags & PROTO_HINT_PPOSITION) && (w->guest_x || w->guest_y));
}

/* WM_NORMAL_HINTS of the frame: the guest's size hints (content sizes plus the border) and static
 * gravity (a window manager puts the frame itself, not its decoration, where asked, so positions
 * mean the same on both sides and do not drift by a title bar each round). A position only where
 * one is meant: the guest application's own (clamped to the screen), or, once the window has been
 * shown, where it is. Otherwise the window manager places a new window as it places any other:
 * beside the others, and a dialog over its parent. */
static void set_normal_hints(struct window *w)
{
	const struct proto_window_hints *m = &w->hints;
	int32_t in = (int32_t)window_inset(w);
	xcb_size_hints_t hints = {0};
	xcb_icccm_size_hints_set_win_gravity(&hints, XCB_GRAVITY_STATIC);
	if (w->shown || guest_placed(w))
		xcb_icccm_size_hints_set_position(&hints, (m->flags & PROTO_HINT_USPOSITION) != 0,
						  w->x - in, w->y - in);
	xcb_icccm_size_hints_set_size(&hints, 0, (int32_t)w->w + 2 * in, (int32_t)w->h + 2 * in);
	if (m->flags & PROTO_HINT_PMINSIZE)
		xcb_icccm_size_hints_set_min_size(&hints, (int32_t)m->min_width + 2 * in,
						  (int32_t)m->min_height + 2 * in);
	if (m->flags & PROTO_HINT_PMAXSIZE)
		xcb_icccm_size_hints_set_max_size(&hints, (int32_t)m->max_width + 2 * in,
						  (int32_t)m->max_height + 2 * in);
	if (m->flags & PROTO_HINT_PRESIZEINC)
		xcb_icccm_size_hints_set_resize_inc(&hints, (int32_t)m->width_inc,
						    (int32_t)m->height_inc);
	if (m->flags & PROTO_HINT_PBASESIZE)
		xcb_icccm_size_hints_set_base_size(&hints, (int32_t)m->base_width + 2 * in,
						   (int32_t)m->base_height + 2 * in);
	xcb_icccm_set_wm_normal_hints(w->table->x, w->frame, &hints);
}

/* The screen area, in pixels, that the guest's override-redirect windows cover together once w
 * is shown at its geometry: their frames' union, clipped to the screen, so that several popups
 * tiling the screen count as much as one that covers it. */
static uint64_t override_redirect_cover(const struct window *w)
{
	const struct window_table *t = w->table;
	const xcb_screen_t *s = display_screen(t->dp);
	pixman_region32_t r;
	pixman_region32_init_rect(&r, w->x - (int32_t)B, w->y - (int32_t)B, w->w + 2 * B,
				  w->h + 2 * B);
	for (unsigned i = 0; i < WINDOW_HASH_SIZE; i++)
		for (const struct window *o = t->buckets[i]; o; o = o->next)
			if (o != w && o->override_redirect && o->mapped)
				pixman_region32_union_rect(&r, &r, o->x - (int32_t)B,
							   o->y - (int32_t)B, o->w + 2 * B,
							   o->h + 2 * B);
	pixman_region32_intersect_rect(&r, &r, 0, 0, s->width_in_pixels, s->height_in_pixels);
	int n;
	const pixman_box32_t *box = pixman_region32_rectangles(&r, &n);
	uint64_t area = 0;
	for (int i = 0; i < n; i++)
		area += (uint64_t)(box[i].x2 - box[i].x1) * (uint64_t)(box[i].y2 - box[i].y1);
	pixman_region32_fini(&r);
	return area;
}

static bool override_redirect_allowed(const struct window *w)
{
	const xcb_screen_t *s = display_screen(w->table->dp);
	uint64_t screen = (uint64_t)s->width_in_pixels * s->height_in_pixels;
	return override_redirect_cover(w) * 100u <= screen * WINDOW_MAX_OVERRIDE_REDIRECT_PERCENT;
}

/* An override-redirect window that would make the guest's popups cover too much of the screen
 * becomes a managed one (re-mapped, since the attribute counts only when a window is mapped). */
static void protect_override_redirect(struct window *w)
{
	if (!w->override_redirect || override_redirect_allowed(w))
		return;
	log_limited(&w->table->override_limit, LOG_INFO,
		    "window 0x%x: an override-redirect window of %ux%u would make the guest's "
		    "override-redirect windows cover most of the screen: shown as a managed window",
		    w->id, w->w, w->h);
	w->override_redirect = false;
	xcb_connection_t *x = w->table->x;
	uint32_t off = 0;
	if (w->mapped)
		xcb_unmap_window(x, w->frame);
	xcb_change_window_attributes(x, w->frame, XCB_CW_OVERRIDE_REDIRECT, &off);
	if (w->mapped)
		xcb_map_window(x, w->frame);
}

/* ICCCM WM_HINTS: input, so that the user can give the window the keyboard (the daemon takes
 * its keys on the frame), and urgency when the guest asked for attention. */
static void set_wm_hints(struct window *w)
{
	xcb_icccm_wm_hints_t hints = {0};
	xcb_icccm_wm_hints_set_input(&hints, 1);
	if (w->urgent)
		xcb_icccm_wm_hints_set_urgency(&hints);
	xcb_icccm_set_wm_hints(w->table->x, w->frame, &hints);
}

/* EWMH focus-stealing prevention, as window managers understand it: _NET_WM_USER_TIME 0 on a
 * window being mapped says it was not mapped by the user's action, so the window manager neither
 * focuses it nor raises it over the focused window. Only while the user works in one of the
 * guest's windows does a new one carry the time of the user's last input there, and the window
 * manager may focus it as it would any new window of the application in use. */
static void set_user_time(struct window *w)
{
	struct window_table *t = w->table;
	uint32_t time = t->focused ? t->user_time : 0;
	xcb_atom_t atom = display_atom(t->dp, DISPLAY_NET_WM_USER_TIME);
	if (t->focused && !time)
		xcb_delete_property(t->x, w->frame,
				    atom); /* no input seen yet: the WM's own rule */
	else
		xcb_change_property(t->x, XCB_PROP_MODE_REPLACE, w->frame, atom, XCB_ATOM_CARDINAL,
				    32, 1, &time);
}

/* The frame and its content on the host, with the trust properties. 0, or -EIO if a property could
 * not be set (the windows are then destroyed). */
static int create_host_windows(struct window *w)
{
	struct window_table *t = w->table;
	xcb_connection_t *x = t->x;
	w->frame = xcb_generate_id(x);
	uint32_t fmask = XCB_CW_BACK_PIXEL | XCB_CW_OVERRIDE_REDIRECT | XCB_CW_EVENT_MASK;
	uint32_t fvals[] = {
	    t->label.rgb, /* TrueColor depth 24: the pixel is 0xRRGGBB */
	    w->override_redirect,
	    XCB_EVENT_MASK_KEY_PRESS | XCB_EVENT_MASK_KEY_RELEASE | XCB_EVENT_MASK_BUTTON_PRESS |
		XCB_EVENT_MASK_BUTTON_RELEASE | XCB_EVENT_MASK_POINTER_MOTION |
		XCB_EVENT_MASK_ENTER_WINDOW | XCB_EVENT_MASK_LEAVE_WINDOW |
		XCB_EVENT_MASK_FOCUS_CHANGE | XCB_EVENT_MASK_STRUCTURE_NOTIFY |
		XCB_EVENT_MASK_PROPERTY_CHANGE,
	};
	xcb_create_window(x, XCB_COPY_FROM_PARENT, w->frame, display_screen(t->dp)->root,
			  (int16_t)(w->x - (int32_t)B), (int16_t)(w->y - (int32_t)B),
			  (uint16_t)(w->w + 2 * B), (uint16_t)(w->h + 2 * B), 0,
			  XCB_WINDOW_CLASS_INPUT_OUTPUT, XCB_COPY_FROM_PARENT, fmask, fvals);
	/* The content has no background: nothing is painted there but the guest's pixels. */
	w->content = xcb_generate_id(x);
	uint32_t cvals[] = {XCB_BACK_PIXMAP_NONE, XCB_EVENT_MASK_EXPOSURE};
	xcb_create_window(x, XCB_COPY_FROM_PARENT, w->content, w->frame, B, B, (uint16_t)w->w,
			  (uint16_t)w->h, 0, XCB_WINDOW_CLASS_INPUT_OUTPUT, XCB_COPY_FROM_PARENT,
			  XCB_CW_BACK_PIXMAP | XCB_CW_EVENT_MASK, cvals);
	xcb_map_window(x, w->content);

	xcb_atom_t delete_window = display_wm_delete_window(t->dp);
	xcb_change_property(x, XCB_PROP_MODE_REPLACE, w->frame, display_wm_protocols(t->dp),
			    XCB_ATOM_ATOM, 32, 1, &delete_window);
	/* Without its name and label a frame would not say whose window it is: none rather than
	 * that. */
	if (decor_x_set_identity(x, w->frame, t->name, &t->label) ||
	    decor_x_set_title(x, w->frame, t->name, "", 0)) {
		log_limited(&t->host_limit, LOG_ERROR,
			    "window 0x%x: cannot set its name and label on the host: not shown",
			    w->id);
		xcb_destroy_window(x, w->frame);
		return -EIO;
	}
	set_normal_hints(w);
	set_wm_hints(w);
	protect_override_redirect(w);
	return 0;
}

int window_create(struct window_table *t, uint32_t id, const struct proto_create *m)
{
	if (t->count >= t->max_windows) {
		log_limited(&t->refused_limit, LOG_WARN,
			    "refused window 0x%x: the guest already has %u windows (the limit)", id,
			    t->count);
		return -EMFILE;
	}
	struct window *w = calloc(1, sizeof(*w));
	if (!w) {
		log_limited(&t->host_limit, LOG_ERROR, "out of memory for window 0x%x", id);
		return -ENOMEM;
	}
	w->table = t;
	w->id = id;
	w->w = m->width;
	w->h = m->height;
	w->override_redirect = m->override_redirect;
	w->x = w->guest_x = m->x;
	w->y = w->guest_y = m->y;
	place(w, &w->x, &w->y, true);
	int rc = create_host_windows(w);
	if (!rc && paint_window_create(t->paint, id, w->content, &w->paint)) {
		log_limited(&t->host_limit, LOG_ERROR, "out of memory for window 0x%x", id);
		xcb_destroy_window(t->x, w->frame);
		rc = -ENOMEM;
	}
	if (rc) {
		free(w);
		return rc;
	}
	unsigned s = slot(id);
	w->next = t->buckets[s];
	t->buckets[s] = w;
	t->count++;
	log_limited(&t->debug_limit, LOG_DEBUG, "window 0x%x: %ux%u at %d,%d%s", id, w->w, w->h,
		    w->x, w->y, w->override_redirect ? " (override-redirect)" : "");
	return 0;
}

void window_destroy(struct window *w)
{
	struct window_table *t = w->table;
	for (struct window **p = &t->buckets[slot(w->id)]; *p; p = &(*p)->next) {
		if (*p == w) {
			*p = w->next;
			break;
		}
	}
	t->count--;
	if (t->focused == w)
		t->focused = NULL;
	paint_window_destroy(w->paint);
	xcb_destroy_window(t->x, w->frame);
	free(w);
}

void window_destroy_all(struct window_table *t)
{
	for (unsigned i = 0; i < WINDOW_HASH_SIZE; i++)
		while (t->buckets[i])
			window_destroy(t->buckets[i]);
	xcb_flush(t->x);
}

uint32_t window_id(const struct window *w)
{
	return w->id;
}

xcb_window_t window_frame(const struct window *w)
{
	return w->frame;
}

xcb_window_t window_content(const struct window *w)
{
	return w->content;
}

void window_geometry(const struct window *w, int32_t *x, int32_t *y, uint32_t *width,
		     uint32_t *height)
{
	*x = w->x;
	*y = w->y;
	*width = w->w;
	*height = w->h;
}

bool window_override_redirect(const struct window *w)
{
	return w->override_redirect;
}

bool window_mapped(const struct window *w)
{
	return w->mapped;
}

/* The host tells the guest where its window now is (the window manager or the user moved it). */
static void tell_geometry(struct window *w)
{
	struct proto_msg m = {.type = PROTO_MSG_CONFIGURE, .window = w->id};
	m.u.configure = (struct proto_configure){w->x, w->y, w->w, w->h, w->override_redirect};
	w->told[w->told_next] = m.u.configure;
	w->told_ms[w->told_next] = mono_ms();
	w->told_next = (w->told_next + 1) % WINDOW_ECHOES;
	session_send(w->table->session, &m);
}

/* m is a geometry the host told the guest a moment ago, but no longer has. */
static bool late_echo(const struct window *w, const struct proto_configure *m)
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

void window_configure(struct window *w, const struct proto_configure *m)
{
	/* The agent confirming a geometry the host already has (often our own CONFIGURE echoed). */
	if (w->mapped && m->x == w->x && m->y == w->y && m->width == w->w && m->height == w->h)
		return;
	/* An older one, echoed after the host changed again: the host's newer geometry stands, and
	 * the guest hears it once more in case it really wanted the older one. */
	if (w->mapped && late_echo(w, m)) {
		log_limited(
		    &w->table->debug_limit, LOG_DEBUG,
		    "window 0x%x: a late echo of %ux%u at %d,%d: the host's geometry stands", w->id,
		    m->width, m->height, m->x, m->y);
		tell_geometry(w);
		return;
	}
	w->w = m->width;
	w->h = m->height;
	w->x = w->guest_x = m->x;
	w->y = w->guest_y = m->y;
	place(w, &w->x, &w->y, !w->mapped);
	/* Placed first: whether the popups cover the screen depends on where this one lies. */
	protect_override_redirect(w);
	apply_geometry(w);
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
static void request_fullscreen(struct window *w, bool on)
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

/* MAP carries override_redirect again, and it counts (as in Qubes' daemon): a client may turn a
 * managed window into a popup between two maps (Tk's wm overrideredirect, a reused menu). The
 * attribute counts when a window is mapped, so it is set while the frame is unmapped, and the
 * rule for popups that would cover the screen applies to the new value. */
static void set_override_redirect(struct window *w, bool on)
{
	if (w->override_redirect == on)
		return;
	w->override_redirect = on;
	uint32_t v = on;
	xcb_change_window_attributes(w->table->x, w->frame, XCB_CW_OVERRIDE_REDIRECT, &v);
	log_limited(&w->table->debug_limit, LOG_DEBUG, "window 0x%x: now %s", w->id,
		    on ? "override-redirect" : "managed");
}

void window_map(struct window *w, const struct proto_map_info *m)
{
	if (w->mapped || w->docked)
		return;
	xcb_connection_t *x = w->table->x;
	set_override_redirect(w, m->override_redirect);
	struct window *parent = m->transient_for ? window_find(w->table, m->transient_for) : NULL;
	if (parent)
		xcb_icccm_set_wm_transient_for(x, w->frame, parent->frame);
	place(w, &w->x, &w->y, true);
	protect_override_redirect(w);
	apply_geometry(w);
	set_user_time(w);
	if (!w->override_redirect)
		set_normal_hints(w); /* where it goes: see there */
	xcb_map_window(x, w->frame);
	if (w->override_redirect) {
		uint32_t above = XCB_STACK_MODE_ABOVE;
		xcb_configure_window(x, w->frame, XCB_CONFIG_WINDOW_STACK_MODE, &above);
	}
	w->mapped = w->shown = true;
	if (w->want_fullscreen)
		request_fullscreen(w, true);
}

void window_unmap(struct window *w)
{
	if (!w->mapped)
		return;
	xcb_unmap_window(w->table->x, w->frame);
	w->mapped = false;
}

void window_title(struct window *w, const struct proto_wmname *m)
{
	if (decor_x_set_title(w->table->x, w->frame, w->table->name, m->data,
			      strnlen(m->data, sizeof(m->data))))
		log_limited(&w->table->host_limit, LOG_WARN,
			    "window 0x%x: cannot set its title on the host", w->id);
}

void window_class(struct window *w, const struct proto_wmclass *m)
{
	if (w->mapped)
		return; /* ICCCM: WM_CLASS is fixed while a window is mapped */
	decor_x_set_class(w->table->x, w->frame, w->table->name, m->res_name,
			  strnlen(m->res_name, sizeof(m->res_name)), m->res_class,
			  strnlen(m->res_class, sizeof(m->res_class)));
}

void window_hints(struct window *w, const struct proto_window_hints *m)
{
	w->hints = *m;
	set_normal_hints(w);
}

void window_flags(struct window *w, const struct proto_window_flags *m)
{
	if (m->flags_set & PROTO_FLAG_DEMANDS_ATTENTION ||
	    m->flags_unset & PROTO_FLAG_DEMANDS_ATTENTION) {
		w->urgent = (m->flags_set & PROTO_FLAG_DEMANDS_ATTENTION) != 0;
		set_wm_hints(w);
	}
	if (m->flags_set & PROTO_FLAG_FULLSCREEN)
		request_fullscreen(w, true);
	else if (m->flags_unset & PROTO_FLAG_FULLSCREEN)
		request_fullscreen(w, false);
}

void window_dock(struct window *w)
{
	struct window_table *t = w->table;
	if (w->mapped)
		return; /* Qubes' daemon refuses to dock a mapped window too */
	w->docked = true;
	set_override_redirect(w, false);
	if (t->said_docked)
		return;
	t->said_docked = true;
	xcb_connection_t *x = t->x;
	xcb_get_selection_owner_reply_t *o = xcb_get_selection_owner_reply(
	    x, xcb_get_selection_owner(x, display_atom(t->dp, DISPLAY_SYSTEM_TRAY)), NULL);
	bool tray = o && o->owner != XCB_NONE;
	free(o);
	if (tray)
		log_info("window 0x%x is a tray icon: tray icons are not forwarded yet, so it "
			 "stays hidden",
			 w->id);
	else
		log_info("window 0x%x is a tray icon, and the host has no system tray: it stays "
			 "hidden",
			 w->id);
}

void window_cursor(struct window *w, const struct proto_cursor *m)
{
	xcb_cursor_t cursor = XCB_NONE; /* PROTO_CURSOR_DEFAULT: the parent's (the desktop's) */
	/* Validated: an even glyph in the X cursor font; the mask is the next glyph. */
	if (m->cursor != PROTO_CURSOR_DEFAULT)
		cursor = display_cursor(w->table->dp, (uint16_t)(m->cursor - PROTO_CURSOR_X11));
	xcb_change_window_attributes(w->table->x, w->content, XCB_CW_CURSOR, &cursor);
}

int window_take_buffer(struct window *w, const struct shmbuf_export *offer)
{
	return paint_take(w->paint, offer);
}

void window_repaint(struct window *w, int32_t x, int32_t y, uint32_t width, uint32_t height)
{
	if (w->mapped)
		paint_rect(w->paint, w->w, w->h, x, y, width, height);
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
			tell_geometry(w);
		}
	}
	free(t);
	free(g);
}

void window_host_configured(struct window *w, uint16_t event_seq)
{
	/* Generated before the server saw our last configure of this frame: it describes a geometry
	 * we have already replaced, and sending it to the guest would undo the guest's request. */
	if ((int16_t)(event_seq - w->config_seq) < 0)
		return;
	sync_host_geometry(w, false);
}

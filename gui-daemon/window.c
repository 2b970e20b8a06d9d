/* The guest's windows on the host (gui-daemon/window.h). */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <pixman.h>
#include <xcb/xcb_icccm.h>

#include "common/log.h"
#include "gui-daemon/window_impl.h"

static unsigned slot(uint32_t id)
{
	return (id * 2654435761u) >> 24 & (WINDOW_HASH_SIZE - 1);
}

/* The table's three hash chains (by id, frame and content): link is the offset of the chain's
 * next pointer in struct window. */
static struct window **link_of(struct window *w, size_t link)
{
	return (struct window **)((char *)w + link);
}

static void chain(struct window **head, struct window *w, size_t link)
{
	*link_of(w, link) = *head;
	*head = w;
}

static void unchain(struct window **head, struct window *w, size_t link)
{
	for (struct window **p = head; *p; p = link_of(*p, link))
		if (*p == w) {
			*p = *link_of(w, link);
			return;
		}
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
	for (struct window *w = t->frame_buckets[slot(xw)]; w; w = w->frame_next)
		if (w->frame == xw)
			return w;
	for (struct window *w = t->content_buckets[slot(xw)]; w; w = w->content_next)
		if (w->content == xw)
			return w;
	return NULL;
}

static int32_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	return (int32_t)(v < lo ? lo : v > hi ? hi : v);
}

uint32_t window_inset(const struct window *w)
{
	return w->frameless || w->docked ? 0 : B;
}

/* Where the content may go (see window.h): whole, or a managed window later on. */
static void place(const struct window *w, int32_t *x, int32_t *y, bool whole)
{
	uint32_t screen_w, screen_h;
	display_size(w->table->dp, &screen_w, &screen_h);
	int64_t sw = screen_w, sh = screen_h, in = window_inset(w);
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
	uint32_t sw, sh;
	display_size(t->dp, &sw, &sh);
	pixman_region32_t r;
	pixman_region32_init_rect(&r, w->x - (int32_t)B, w->y - (int32_t)B, w->w + 2 * B,
				  w->h + 2 * B);
	for (unsigned i = 0; i < WINDOW_HASH_SIZE; i++)
		for (const struct window *o = t->buckets[i]; o; o = o->next)
			if (o != w && o->override_redirect && o->mapped)
				pixman_region32_union_rect(&r, &r, o->x - (int32_t)B,
							   o->y - (int32_t)B, o->w + 2 * B,
							   o->h + 2 * B);
	pixman_region32_intersect_rect(&r, &r, 0, 0, sw, sh);
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
	uint32_t sw, sh;
	display_size(w->table->dp, &sw, &sh);
	uint64_t screen = (uint64_t)sw * sh;
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
	chain(&t->buckets[slot(id)], w, offsetof(struct window, next));
	chain(&t->frame_buckets[slot(w->frame)], w, offsetof(struct window, frame_next));
	chain(&t->content_buckets[slot(w->content)], w, offsetof(struct window, content_next));
	t->count++;
	log_limited(&t->debug_limit, LOG_DEBUG, "window 0x%x: %ux%u at %d,%d%s", id, w->w, w->h,
		    w->x, w->y, w->override_redirect ? " (override-redirect)" : "");
	return 0;
}

void window_destroy(struct window *w)
{
	struct window_table *t = w->table;
	unchain(&t->buckets[slot(w->id)], w, offsetof(struct window, next));
	unchain(&t->frame_buckets[slot(w->frame)], w, offsetof(struct window, frame_next));
	unchain(&t->content_buckets[slot(w->content)], w, offsetof(struct window, content_next));
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

void window_configure(struct window *w, const struct proto_configure *m)
{
	/* The host's tray sizes and places a tray icon; the guest hears that again if it asked for
	 * another size (its position in the guest is its own). */
	if (w->docked) {
		if (m->width != w->w || m->height != w->h)
			window_tell_geometry(w);
		return;
	}
	/* The agent confirming a geometry the host already has (often our own CONFIGURE echoed). */
	if (w->mapped && m->x == w->x && m->y == w->y && m->width == w->w && m->height == w->h)
		return;
	/* An older one, echoed after the host changed again: the host's newer geometry stands, and
	 * the guest hears it once more in case it really wanted the older one. */
	if (w->mapped && window_late_echo(w, m)) {
		log_limited(
		    &w->table->debug_limit, LOG_DEBUG,
		    "window 0x%x: a late echo of %ux%u at %d,%d: the host's geometry stands", w->id,
		    m->width, m->height, m->x, m->y);
		window_tell_geometry(w);
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

void window_table_screen_changed(struct window_table *t)
{
	for (unsigned i = 0; i < WINDOW_HASH_SIZE; i++)
		for (struct window *w = t->buckets[i]; w; w = w->next) {
			int32_t x = w->x, y = w->y;
			/* An unmapped window is placed again when it is mapped. */
			if (!w->mapped)
				continue;
			place(w, &x, &y, true);
			if (x == w->x && y == w->y)
				continue;
			w->x = x;
			w->y = y;
			apply_geometry(w);
			window_tell_geometry(w);
		}
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
		window_request_fullscreen(w, true);
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
		window_request_fullscreen(w, true);
	else if (m->flags_unset & PROTO_FLAG_FULLSCREEN)
		window_request_fullscreen(w, false);
}

int window_dock(struct window *w)
{
	struct window_table *t = w->table;
	if (w->mapped)
		return -EBUSY; /* Qubes' daemon refuses to dock a mapped window too */
	w->docked = true;
	set_override_redirect(w, false);
	/* Only the host's X attribute: the window manager never frames or places a tray icon, even
	 * when a tray that goes away maps it back on the root (tray.c hides it then). */
	uint32_t on = 1;
	xcb_change_window_attributes(t->x, w->frame, XCB_CW_OVERRIDE_REDIRECT, &on);
	apply_geometry(w); /* the content at the frame's origin: a tray icon has no border */
	uint32_t origin[] = {0, 0};
	xcb_configure_window(t->x, w->content, XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y, origin);
	/* An XEMBED embedder (a GtkSocket) sizes a foreign window by its minimum size hint. */
	xcb_size_hints_t hints = {0};
	xcb_icccm_size_hints_set_min_size(&hints, (int32_t)w->w, (int32_t)w->h);
	xcb_icccm_size_hints_set_base_size(&hints, (int32_t)w->w, (int32_t)w->h);
	xcb_icccm_set_wm_normal_hints(t->x, w->frame, &hints);
	paint_window_tint(w->paint, t->label.rgb);
	return 0;
}

bool window_docked(const struct window *w)
{
	return w->docked;
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
	/* A docked window is mapped by the host's tray, not by the guest. */
	if (w->mapped || w->docked)
		paint_rect(w->paint, w->w, w->h, x, y, width, height);
}

/* The guest's windows on the host: a table keyed by the guest's id, each shown as a label-colored
 * frame the daemon owns with the guest's pixels confined to a child inside it. */
#include <stdlib.h>
#include <string.h>

#include <xcb/xcb_icccm.h>

#include "common/log.h"
#include "gui-daemon/daemon.h"

#define B DECOR_BORDER
/* A managed window keeps at least this much of itself on the screen. */
#define MIN_VISIBLE 32
/* An override-redirect window (it bypasses the window manager) may cover at most this share of the
 * screen, in percent; a larger one could pose as the whole desktop, so it is shown managed. */
#define MAX_OVERRIDE_REDIRECT_PERCENT 90u

static unsigned slot(uint32_t id)
{
	return (id * 2654435761u) >> 24 & (DAEMON_HASH_SIZE - 1);
}

struct dwin *daemon_window_find(struct daemon *d, uint32_t id)
{
	for (struct dwin *w = d->windows[slot(id)]; w; w = w->next)
		if (w->id == id)
			return w;
	return NULL;
}

struct dwin *daemon_window_by_host(struct daemon *d, xcb_window_t xw)
{
	for (unsigned i = 0; i < DAEMON_HASH_SIZE; i++)
		for (struct dwin *w = d->windows[i]; w; w = w->next)
			if (w->frame == xw || w->content == xw)
				return w;
	return NULL;
}

static int32_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	return (int32_t)(v < lo ? lo : v > hi ? hi : v);
}

/* Where the content may go: an override-redirect window (a menu), and any window when it first
 * appears, lies wholly on the screen with its frame; later a managed one (which the user may drag
 * partly off the screen) keeps at least part of itself reachable. */
static void place(struct daemon *d, struct dwin *w, int32_t *x, int32_t *y, bool whole)
{
	int64_t sw = d->screen->width_in_pixels, sh = d->screen->height_in_pixels;
	int64_t fw = (int64_t)w->w + 2 * B, fh = (int64_t)w->h + 2 * B;
	if (w->override_redirect || whole) {
		*x = clamp(*x, B, fw <= sw ? sw - fw + B : B);
		*y = clamp(*y, B, fh <= sh ? sh - fh + B : B);
	} else {
		*x = clamp(*x, MIN_VISIBLE - fw + B, sw - MIN_VISIBLE + B);
		*y = clamp(*y, B, sh - MIN_VISIBLE + B);
	}
}

static void apply_geometry(struct daemon *d, struct dwin *w)
{
	uint32_t fv[] = {(uint32_t)(w->x - (int32_t)B), (uint32_t)(w->y - (int32_t)B), w->w + 2 * B,
			 w->h + 2 * B};
	w->config_seq = (uint16_t)xcb_configure_window(d->x, w->frame,
						       XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y |
							       XCB_CONFIG_WINDOW_WIDTH |
							       XCB_CONFIG_WINDOW_HEIGHT,
						       fv)
				.sequence;
	uint32_t cv[] = {w->w, w->h};
	xcb_configure_window(d->x, w->content, XCB_CONFIG_WINDOW_WIDTH | XCB_CONFIG_WINDOW_HEIGHT, cv);
}

/* Static gravity: a window manager puts the frame itself (not its decoration) where the guest
 * asked, so positions mean the same on both sides and do not drift by a title bar each round. */
static void set_position_hint(struct daemon *d, struct dwin *w)
{
	xcb_size_hints_t hints = {0};
	xcb_icccm_size_hints_set_win_gravity(&hints, XCB_GRAVITY_STATIC);
	xcb_icccm_size_hints_set_position(&hints, 0, w->x - (int32_t)B, w->y - (int32_t)B);
	xcb_icccm_size_hints_set_size(&hints, 0, (int32_t)(w->w + 2 * B), (int32_t)(w->h + 2 * B));
	xcb_icccm_set_wm_normal_hints(d->x, w->frame, &hints);
}

static bool override_redirect_allowed(const struct daemon *d, uint32_t w, uint32_t h)
{
	uint64_t screen = (uint64_t)d->screen->width_in_pixels * d->screen->height_in_pixels;
	return (uint64_t)w * h * 100u <= screen * MAX_OVERRIDE_REDIRECT_PERCENT;
}

/* An override-redirect window that has grown too large becomes a managed one (re-mapped, since
 * the attribute counts only when a window is mapped). */
static void protect_override_redirect(struct daemon *d, struct dwin *w)
{
	if (!w->override_redirect || override_redirect_allowed(d, w->w, w->h))
		return;
	log_info("window 0x%x: an override-redirect window of %ux%u would cover most of the screen: "
		 "shown as a managed window",
		 w->id, w->w, w->h);
	w->override_redirect = false;
	uint32_t off = 0;
	if (w->mapped)
		xcb_unmap_window(d->x, w->frame);
	xcb_change_window_attributes(d->x, w->frame, XCB_CW_OVERRIDE_REDIRECT, &off);
	if (w->mapped)
		xcb_map_window(d->x, w->frame);
}

void daemon_window_create(struct daemon *d, uint32_t id, const struct proto_create *m)
{
	if (d->nwindows >= d->opts.max_windows) {
		static struct log_limit lim;
		log_limited(&lim, LOG_WARN,
			    "refused window 0x%x: the guest already has %u windows (the limit)", id,
			    d->nwindows);
		return;
	}
	struct dwin *w = calloc(1, sizeof(*w));
	if (!w) {
		log_error("out of memory for window 0x%x", id);
		return;
	}
	w->id = id;
	w->w = m->width;
	w->h = m->height;
	w->override_redirect = m->override_redirect;
	w->x = m->x;
	w->y = m->y;
	place(d, w, &w->x, &w->y, true);

	w->frame = xcb_generate_id(d->x);
	uint32_t fmask = XCB_CW_BACK_PIXEL | XCB_CW_OVERRIDE_REDIRECT | XCB_CW_EVENT_MASK;
	uint32_t fvals[] = {
		d->opts.label.rgb, /* TrueColor depth 24: the pixel is 0xRRGGBB */
		w->override_redirect,
		XCB_EVENT_MASK_KEY_PRESS | XCB_EVENT_MASK_KEY_RELEASE |
			XCB_EVENT_MASK_BUTTON_PRESS | XCB_EVENT_MASK_BUTTON_RELEASE |
			XCB_EVENT_MASK_POINTER_MOTION | XCB_EVENT_MASK_ENTER_WINDOW |
			XCB_EVENT_MASK_LEAVE_WINDOW | XCB_EVENT_MASK_FOCUS_CHANGE |
			XCB_EVENT_MASK_STRUCTURE_NOTIFY,
	};
	xcb_create_window(d->x, XCB_COPY_FROM_PARENT, w->frame, d->screen->root,
			  (int16_t)(w->x - (int32_t)B), (int16_t)(w->y - (int32_t)B),
			  (uint16_t)(w->w + 2 * B), (uint16_t)(w->h + 2 * B), 0,
			  XCB_WINDOW_CLASS_INPUT_OUTPUT, XCB_COPY_FROM_PARENT, fmask, fvals);
	/* The content has no background: nothing is painted there but the guest's pixels. */
	w->content = xcb_generate_id(d->x);
	uint32_t cvals[] = {XCB_BACK_PIXMAP_NONE, XCB_EVENT_MASK_EXPOSURE};
	xcb_create_window(d->x, XCB_COPY_FROM_PARENT, w->content, w->frame, B, B, (uint16_t)w->w,
			  (uint16_t)w->h, 0, XCB_WINDOW_CLASS_INPUT_OUTPUT, XCB_COPY_FROM_PARENT,
			  XCB_CW_BACK_PIXMAP | XCB_CW_EVENT_MASK, cvals);
	xcb_map_window(d->x, w->content);

	xcb_change_property(d->x, XCB_PROP_MODE_REPLACE, w->frame, d->wm_protocols, XCB_ATOM_ATOM,
			    32, 1, &d->wm_delete_window);
	decor_x_set_identity(d->x, w->frame, d->opts.name, &d->opts.label);
	decor_x_set_title(d->x, w->frame, d->opts.name, "", 0);
	set_position_hint(d, w);
	protect_override_redirect(d, w);

	unsigned s = slot(id);
	w->next = d->windows[s];
	d->windows[s] = w;
	d->nwindows++;
	log_debug("window 0x%x: %ux%u at %d,%d%s", id, w->w, w->h, w->x, w->y,
		  w->override_redirect ? " (override-redirect)" : "");
}

void daemon_window_destroy(struct daemon *d, struct dwin *w)
{
	for (struct dwin **p = &d->windows[slot(w->id)]; *p; p = &(*p)->next) {
		if (*p == w) {
			*p = w->next;
			break;
		}
	}
	d->nwindows--;
	daemon_paint_release(d, w);
	xcb_destroy_window(d->x, w->frame);
	free(w);
}

void daemon_window_destroy_all(struct daemon *d)
{
	for (unsigned i = 0; i < DAEMON_HASH_SIZE; i++)
		while (d->windows[i])
			daemon_window_destroy(d, d->windows[i]);
	xcb_flush(d->x);
}

void daemon_window_configure(struct daemon *d, struct dwin *w, const struct proto_configure *m)
{
	/* The agent confirming a geometry the host already has (often our own CONFIGURE echoed). */
	if (w->mapped && m->x == w->x && m->y == w->y && m->width == w->w && m->height == w->h)
		return;
	w->w = m->width;
	w->h = m->height;
	protect_override_redirect(d, w);
	w->x = m->x;
	w->y = m->y;
	place(d, w, &w->x, &w->y, !w->mapped);
	apply_geometry(d, w);
}

void daemon_window_map(struct daemon *d, struct dwin *w, const struct proto_map_info *m)
{
	if (w->mapped)
		return;
	struct dwin *parent = m->transient_for ? daemon_window_find(d, m->transient_for) : NULL;
	if (parent)
		xcb_icccm_set_wm_transient_for(d->x, w->frame, parent->frame);
	place(d, w, &w->x, &w->y, true);
	apply_geometry(d, w);
	xcb_map_window(d->x, w->frame);
	if (w->override_redirect) {
		uint32_t above = XCB_STACK_MODE_ABOVE;
		xcb_configure_window(d->x, w->frame, XCB_CONFIG_WINDOW_STACK_MODE, &above);
	}
	w->mapped = true;
}

void daemon_window_unmap(struct daemon *d, struct dwin *w)
{
	if (!w->mapped)
		return;
	xcb_unmap_window(d->x, w->frame);
	w->mapped = false;
}

void daemon_window_title(struct daemon *d, struct dwin *w, const struct proto_wmname *m)
{
	decor_x_set_title(d->x, w->frame, d->opts.name, m->data, strnlen(m->data, sizeof(m->data)));
}

void daemon_window_class(struct daemon *d, struct dwin *w, const struct proto_wmclass *m)
{
	if (w->mapped)
		return; /* ICCCM: WM_CLASS is fixed while a window is mapped */
	decor_x_set_class(d->x, w->frame, d->opts.name, m->res_name,
			  strnlen(m->res_name, sizeof(m->res_name)), m->res_class,
			  strnlen(m->res_class, sizeof(m->res_class)));
}

void daemon_window_hints(struct daemon *d, struct dwin *w, const struct proto_window_hints *m)
{
	/* Sizes describe the content; the frame adds its border on each side. */
	xcb_size_hints_t hints = {0};
	xcb_icccm_size_hints_set_win_gravity(&hints, XCB_GRAVITY_STATIC);
	/* The guest's placement always counts (else a window manager places by its own policy and
	 * the guest window follows); it is the user's when the guest says so. */
	xcb_icccm_size_hints_set_position(&hints, (m->flags & PROTO_HINT_USPOSITION) != 0,
					  w->x - (int32_t)B, w->y - (int32_t)B);
	xcb_icccm_size_hints_set_size(&hints, 0, (int32_t)(w->w + 2 * B), (int32_t)(w->h + 2 * B));
	if (m->flags & PROTO_HINT_PMINSIZE)
		xcb_icccm_size_hints_set_min_size(&hints, (int32_t)(m->min_width + 2 * B),
						  (int32_t)(m->min_height + 2 * B));
	if (m->flags & PROTO_HINT_PMAXSIZE)
		xcb_icccm_size_hints_set_max_size(&hints, (int32_t)(m->max_width + 2 * B),
						  (int32_t)(m->max_height + 2 * B));
	if (m->flags & PROTO_HINT_PRESIZEINC)
		xcb_icccm_size_hints_set_resize_inc(&hints, (int32_t)m->width_inc,
						    (int32_t)m->height_inc);
	if (m->flags & PROTO_HINT_PBASESIZE)
		xcb_icccm_size_hints_set_base_size(&hints, (int32_t)(m->base_width + 2 * B),
						   (int32_t)(m->base_height + 2 * B));
	xcb_icccm_set_wm_normal_hints(d->x, w->frame, &hints);
}

void daemon_window_flags(struct daemon *d, struct dwin *w, const struct proto_window_flags *m)
{
	/* A guest cannot take focus or raise itself: asking for attention is what it may do. */
	if (m->flags_set & PROTO_FLAG_DEMANDS_ATTENTION || m->flags_unset & PROTO_FLAG_DEMANDS_ATTENTION) {
		xcb_icccm_wm_hints_t hints = {0};
		xcb_icccm_wm_hints_set_input(&hints, 1);
		if (m->flags_set & PROTO_FLAG_DEMANDS_ATTENTION)
			xcb_icccm_wm_hints_set_urgency(&hints);
		xcb_icccm_set_wm_hints(d->x, w->frame, &hints);
	}
	if (m->flags_set & PROTO_FLAG_FULLSCREEN)
		log_info("window 0x%x asked for full screen: not allowed", w->id);
}

void daemon_window_cursor(struct daemon *d, struct dwin *w, const struct proto_cursor *m)
{
	xcb_cursor_t cursor = XCB_NONE; /* PROTO_CURSOR_DEFAULT: the parent's (the desktop's) */
	if (m->cursor != PROTO_CURSOR_DEFAULT) {
		/* Validated: an even glyph in the X cursor font; the mask is the next glyph. */
		unsigned i = (m->cursor - PROTO_CURSOR_X11) / 2;
		if (!d->cursor_font) {
			d->cursor_font = xcb_generate_id(d->x);
			xcb_open_font(d->x, d->cursor_font, 6, "cursor");
		}
		if (!d->cursors[i]) {
			d->cursors[i] = xcb_generate_id(d->x);
			uint16_t glyph = (uint16_t)(m->cursor - PROTO_CURSOR_X11);
			xcb_create_glyph_cursor(d->x, d->cursors[i], d->cursor_font, d->cursor_font,
						glyph, glyph + 1, 0, 0, 0, 0xffff, 0xffff, 0xffff);
		}
		cursor = d->cursors[i];
	}
	xcb_change_window_attributes(d->x, w->content, XCB_CW_CURSOR, &cursor);
}

void daemon_window_host_configured(struct daemon *d, struct dwin *w, uint16_t event_seq)
{
	/* Generated before the server saw our last configure of this frame: it describes a geometry
	 * we have already replaced, and sending it to the guest would undo the guest's request. */
	if ((int16_t)(event_seq - w->config_seq) < 0)
		return;
	/* The frame may sit inside a window manager's decoration: ask where it is on the root. */
	xcb_translate_coordinates_reply_t *t = xcb_translate_coordinates_reply(
		d->x, xcb_translate_coordinates(d->x, w->frame, d->screen->root, 0, 0), NULL);
	xcb_get_geometry_reply_t *g =
		xcb_get_geometry_reply(d->x, xcb_get_geometry(d->x, w->frame), NULL);
	if (t && g && g->width > 2 * B && g->height > 2 * B) {
		int32_t x = t->dst_x + (int32_t)B, y = t->dst_y + (int32_t)B;
		uint32_t cw = g->width - 2 * B, ch = g->height - 2 * B;
		if (cw > PROTO_MAX_WINDOW_WIDTH)
			cw = PROTO_MAX_WINDOW_WIDTH;
		if (ch > PROTO_MAX_WINDOW_HEIGHT)
			ch = PROTO_MAX_WINDOW_HEIGHT;
		if (x != w->x || y != w->y || cw != w->w || ch != w->h) {
			bool resized = cw != w->w || ch != w->h;
			w->x = x, w->y = y, w->w = cw, w->h = ch;
			if (resized) {
				uint32_t cv[] = {cw, ch};
				xcb_configure_window(d->x, w->content,
						     XCB_CONFIG_WINDOW_WIDTH | XCB_CONFIG_WINDOW_HEIGHT,
						     cv);
			}
			struct proto_msg m = {.type = PROTO_MSG_CONFIGURE, .window = w->id};
			m.u.configure = (struct proto_configure){x, y, cw, ch, w->override_redirect};
			daemon_send(d, &m);
		}
	}
	free(t);
	free(g);
}

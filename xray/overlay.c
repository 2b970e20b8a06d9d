/* seam-xray's overlays (xray/overlay.h): one override-redirect window per target, its border and
 * inside painted by the X server from the window's attributes, and a child window whose
 * background is the owner's name, drawn with the core font and scaled up with RENDER. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xcb/render.h>

#include "xray/overlay.h"

/* The core font every X server has. */
#define FONT "fixed"
/* The largest scale of a label (the font's pixels become squares this big). */
#define MAX_SCALE 12u
/* Most of a label's text: a domain name or XRAY_HOST_TEXT. */
#define TEXT_MAX (DOMAIN_NAME_MAX + 1)
/* A label color darker than this (luma, 0..255) is drawn on white, others on black. */
#define DARK_LUMA 48u

/* The overlays' WM_NAME, so that people and tests can tell them in a window list. */
#define OVERLAY_TITLE "seam-xray"

/* Colors are written as pixels as they are: the root visual is TrueColor with 8 bits a channel
 * (checked at create). */
struct xray_overlay {
	xcb_connection_t *x;
	xcb_screen_t *screen;
	xcb_font_t font;
	xcb_gcontext_t gc;
	xcb_render_pictformat_t format; /* the root visual's */
	xcb_window_t *windows;		/* shown, bottom to top */
	unsigned n;
	bool shown;
};

/* How one overlay looks. */
struct look {
	const char *text;
	uint32_t border_rgb, inside_rgb, text_rgb;
	unsigned border;
};

static struct look look_of(const struct xray_target *t)
{
	if (!t->guest)
		return (struct look){XRAY_HOST_TEXT, XRAY_HOST_BORDER_RGB, XRAY_HOST_INSIDE_RGB,
				     XRAY_HOST_TEXT_RGB, XRAY_HOST_BORDER};
	unsigned r = (t->rgb >> 16) & 0xff, g = (t->rgb >> 8) & 0xff, b = t->rgb & 0xff;
	unsigned luma = (299 * r + 587 * g + 114 * b) / 1000;
	return (struct look){t->name, t->rgb, luma < DARK_LUMA ? 0xffffffu : 0x000000u, t->rgb,
			     XRAY_GUEST_BORDER};
}

static xcb_render_pictformat_t root_format(xcb_connection_t *x, const xcb_screen_t *s)
{
	xcb_render_query_pict_formats_reply_t *r =
	    xcb_render_query_pict_formats_reply(x, xcb_render_query_pict_formats(x), NULL);
	if (!r)
		return XCB_NONE;
	xcb_render_pictformat_t f = XCB_NONE;
	for (xcb_render_pictscreen_iterator_t si =
		 xcb_render_query_pict_formats_screens_iterator(r);
	     si.rem && !f; xcb_render_pictscreen_next(&si))
		for (xcb_render_pictdepth_iterator_t di =
			 xcb_render_pictscreen_depths_iterator(si.data);
		     di.rem && !f; xcb_render_pictdepth_next(&di))
			for (xcb_render_pictvisual_iterator_t vi =
				 xcb_render_pictdepth_visuals_iterator(di.data);
			     vi.rem; xcb_render_pictvisual_next(&vi))
				if (vi.data->visual == s->root_visual)
					f = vi.data->format;
	free(r);
	return f;
}

static bool truecolor_root(const xcb_screen_t *s)
{
	for (xcb_depth_iterator_t di = xcb_screen_allowed_depths_iterator(s); di.rem;
	     xcb_depth_next(&di))
		for (xcb_visualtype_iterator_t vi = xcb_depth_visuals_iterator(di.data); vi.rem;
		     xcb_visualtype_next(&vi))
			if (vi.data->visual_id == s->root_visual)
				return vi.data->_class == XCB_VISUAL_CLASS_TRUE_COLOR &&
				       vi.data->red_mask == 0xff0000 &&
				       vi.data->green_mask == 0x00ff00 &&
				       vi.data->blue_mask == 0x0000ff;
	return false;
}

int xray_overlay_create(xcb_connection_t *x, xcb_screen_t *screen, struct xray_overlay **out,
			char *why, size_t why_len)
{
	if (!truecolor_root(screen)) {
		snprintf(why, why_len, "the screen is not TrueColor with 8 bits a channel");
		return -ENOTSUP;
	}
	xcb_render_query_version_reply_t *v =
	    xcb_render_query_version_reply(x, xcb_render_query_version(x, 0, 11), NULL);
	if (!v) {
		snprintf(why, why_len, "the X server has no RENDER extension");
		return -ENOTSUP;
	}
	free(v);
	struct xray_overlay *o = calloc(1, sizeof(*o));
	if (!o || !(o->windows = calloc(XRAY_SCAN_MAX, sizeof(*o->windows)))) {
		free(o);
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	o->x = x;
	o->screen = screen;
	o->format = root_format(x, screen);
	o->font = xcb_generate_id(x);
	xcb_generic_error_t *e =
	    xcb_request_check(x, xcb_open_font_checked(x, o->font, strlen(FONT), FONT));
	if (e || !o->format) {
		snprintf(why, why_len,
			 e ? "the X server has no font '" FONT "'"
			   : "RENDER has no format for the root visual");
		free(e);
		free(o->windows);
		free(o);
		return -ENOTSUP;
	}
	o->gc = xcb_generate_id(x);
	uint32_t font_value = o->font;
	xcb_create_gc(x, o->gc, screen->root, XCB_GC_FONT, &font_value);
	*out = o;
	return 0;
}

/* The text's size in the font at scale 1. */
static void text_size(struct xray_overlay *o, const char *text, unsigned len, uint16_t *w,
		      uint16_t *h, uint16_t *ascent)
{
	xcb_char2b_t wide[TEXT_MAX];
	for (unsigned i = 0; i < len; i++)
		wide[i] = (xcb_char2b_t){0, (uint8_t)text[i]};
	xcb_query_text_extents_reply_t *r = xcb_query_text_extents_reply(
	    o->x, xcb_query_text_extents(o->x, o->font, len, wide), NULL);
	*w = r && r->overall_width > 0 ? (uint16_t)r->overall_width : 1;
	*ascent = r ? (uint16_t)r->font_ascent : 1;
	*h = r ? (uint16_t)(r->font_ascent + r->font_descent) : 1;
	free(r);
}

/* The label: a child of win, centered in its inside (iw x ih), the text as big as fits. */
static void add_label(struct xray_overlay *o, xcb_window_t win, const struct look *l, uint16_t iw,
		      uint16_t ih)
{
	xcb_connection_t *x = o->x;
	unsigned len = (unsigned)strnlen(l->text, TEXT_MAX - 1);
	uint16_t tw, th, ascent;
	text_size(o, l->text, len, &tw, &th, &ascent);
	unsigned scale = MAX_SCALE;
	if (scale > iw * 4u / 5u / tw)
		scale = iw * 4u / 5u / tw;
	if (scale > ih * 3u / 5u / th)
		scale = ih * 3u / 5u / th;
	if (!scale)
		scale = 1;
	uint16_t lw = (uint16_t)(tw * scale), lh = (uint16_t)(th * scale);
	uint8_t depth = o->screen->root_depth;

	xcb_pixmap_t small = xcb_generate_id(x), big = xcb_generate_id(x);
	xcb_create_pixmap(x, depth, small, o->screen->root, tw, th);
	xcb_create_pixmap(x, depth, big, o->screen->root, lw, lh);
	uint32_t colors[] = {l->text_rgb, l->inside_rgb};
	xcb_change_gc(x, o->gc, XCB_GC_FOREGROUND | XCB_GC_BACKGROUND, colors);
	xcb_image_text_8(x, (uint8_t)len, small, o->gc, 0, (int16_t)ascent, l->text);

	/* Nearest-neighbour scaling: RENDER maps each target pixel (x, y) to (x/s, y/s). */
	xcb_render_picture_t src = xcb_generate_id(x), dst = xcb_generate_id(x);
	xcb_render_create_picture(x, src, small, o->format, 0, NULL);
	xcb_render_create_picture(x, dst, big, o->format, 0, NULL);
	xcb_render_transform_t scale_down = {.matrix11 = 1 << 16,
					     .matrix22 = 1 << 16,
					     .matrix33 = (xcb_render_fixed_t)(scale << 16)};
	xcb_render_set_picture_transform(x, src, scale_down);
	xcb_render_set_picture_filter(x, src, 7, "nearest", 0, NULL);
	xcb_render_composite(x, XCB_RENDER_PICT_OP_SRC, src, XCB_NONE, dst, 0, 0, 0, 0, 0, 0, lw,
			     lh);
	xcb_render_free_picture(x, src);
	xcb_render_free_picture(x, dst);
	xcb_free_pixmap(x, small);

	xcb_window_t label = xcb_generate_id(x);
	uint32_t values[] = {big};
	xcb_create_window(x, XCB_COPY_FROM_PARENT, label, win, (int16_t)((iw - lw) / 2),
			  (int16_t)((ih - lh) / 2), lw, lh, 0, XCB_WINDOW_CLASS_INPUT_OUTPUT,
			  XCB_COPY_FROM_PARENT, XCB_CW_BACK_PIXMAP, values);
	/* The window keeps the pixmap as its background. */
	xcb_free_pixmap(x, big);
	xcb_map_window(x, label);
}

/* One overlay over t: the X border is the thick border, the background the inside. */
static xcb_window_t add_overlay(struct xray_overlay *o, const struct xray_target *t)
{
	struct look l = look_of(t);
	unsigned b = l.border;
	if (b > t->width / 6u)
		b = t->width / 6u;
	if (b > t->height / 6u)
		b = t->height / 6u;
	uint16_t iw = (uint16_t)(t->width - 2 * b), ih = (uint16_t)(t->height - 2 * b);
	xcb_window_t win = xcb_generate_id(o->x);
	uint32_t values[] = {l.inside_rgb, l.border_rgb, 1};
	xcb_create_window(
	    o->x, XCB_COPY_FROM_PARENT, win, o->screen->root, t->x, t->y, iw ? iw : 1, ih ? ih : 1,
	    (uint16_t)b, XCB_WINDOW_CLASS_INPUT_OUTPUT, XCB_COPY_FROM_PARENT,
	    XCB_CW_BACK_PIXEL | XCB_CW_BORDER_PIXEL | XCB_CW_OVERRIDE_REDIRECT, values);
	xcb_change_property(o->x, XCB_PROP_MODE_REPLACE, win, XCB_ATOM_WM_NAME, XCB_ATOM_STRING, 8,
			    strlen(OVERLAY_TITLE), OVERLAY_TITLE);
	if (iw && ih)
		add_label(o, win, &l, iw, ih);
	xcb_map_window(o->x, win);
	return win;
}

int xray_overlay_show(struct xray_overlay *o, const struct xray_target *t, unsigned n)
{
	xcb_window_t *old = o->windows;
	unsigned nold = o->n;
	xcb_window_t *fresh = calloc(XRAY_SCAN_MAX, sizeof(*fresh));
	if (!fresh)
		return -ENOMEM;
	if (n > XRAY_SCAN_MAX)
		n = XRAY_SCAN_MAX;
	/* Mapping puts each override-redirect window on top: bottom to top keeps the order. */
	for (unsigned i = 0; i < n; i++)
		fresh[i] = add_overlay(o, &t[i]);
	for (unsigned i = 0; i < nold; i++)
		xcb_destroy_window(o->x, old[i]);
	free(old);
	o->windows = fresh;
	o->n = n;
	o->shown = true;
	xcb_flush(o->x);
	return 0;
}

void xray_overlay_hide(struct xray_overlay *o)
{
	for (unsigned i = 0; i < o->n; i++)
		xcb_destroy_window(o->x, o->windows[i]);
	o->n = 0;
	o->shown = false;
	xcb_flush(o->x);
}

bool xray_overlay_shown(const struct xray_overlay *o)
{
	return o->shown;
}

void xray_overlay_destroy(struct xray_overlay *o)
{
	if (!o)
		return;
	xray_overlay_hide(o);
	xcb_free_gc(o->x, o->gc);
	xcb_close_font(o->x, o->font);
	xcb_flush(o->x);
	free(o->windows);
	free(o);
}

/* ICCCM and EWMH properties in wire form (gui-agent/props.h). */
#include <stdlib.h>
#include <string.h>

#include "gui-agent/props.h"

/* Bytes of a title read from the server: a title is cut to 127 bytes anyway, and Latin-1 text
 * at most doubles in UTF-8. */
#define TITLE_READ_LONGS 64u
/* Atoms read from _NET_WM_STATE: more states than EWMH defines. */
#define STATE_READ_LONGS 32u
/* How many properties props_read_all() reads. */
#define PROPS_READ 9u

static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026 */

void props_init(struct props *p)
{
	memset(p, 0, sizeof(*p));
	p->input_hint = true;
}

void props_copy_utf8(char *dst, size_t cap, const char *s, size_t len, bool mark)
{
	const char *nul = memchr(s, '\0', len);
	if (nul)
		len = (size_t)(nul - s);
	memset(dst, 0, cap);
	if (len < cap) {
		memcpy(dst, s, len);
		return;
	}
	size_t cut = cap - 1 - (mark ? sizeof(ellipsis) - 1 : 0);
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--; /* s[cut] continues a character that began before it */
	memcpy(dst, s, cut);
	if (mark)
		memcpy(dst + cut, ellipsis, sizeof(ellipsis) - 1);
}

/* Text of a STRING (ISO 8859-1), UTF8_STRING or COMPOUND_TEXT property as UTF-8 in out (cap
 * bytes). COMPOUND_TEXT is kept for its ASCII characters only; anything else becomes '?'. */
static size_t text_to_utf8(const struct xctx *xc, const xcb_get_property_reply_t *r, char *out,
			   size_t cap)
{
	const unsigned char *p = xcb_get_property_value(r);
	size_t n = (size_t)xcb_get_property_value_length(r), o = 0;
	if (r->format != 8)
		return 0;
	if (r->type == xc->atoms[XCTX_UTF8_STRING]) {
		n = n < cap ? n : cap;
		memcpy(out, p, n);
		return n;
	}
	for (size_t i = 0; i < n && o + 2 <= cap; i++) {
		unsigned char c = p[i];
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (r->type == XCB_ATOM_STRING) {
			out[o++] = (char)(0xc0 | (c >> 6));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[o++] = '?';
		}
	}
	return o;
}

static xcb_get_property_cookie_t get_prop(const struct xctx *xc, xcb_window_t id, xcb_atom_t prop,
					  xcb_atom_t type, uint32_t longs)
{
	return xcb_get_property(xc->x, 0, id, prop, type, 0, longs);
}

static xcb_get_property_reply_t *reply(const struct xctx *xc, xcb_get_property_cookie_t c)
{
	return xcb_get_property_reply(xc->x, c, NULL);
}

/* Prefer _NET_WM_NAME (UTF-8) over WM_NAME. */
static unsigned apply_name(const struct xctx *xc, struct props *p,
			   const xcb_get_property_reply_t *net,
			   const xcb_get_property_reply_t *icccm)
{
	char text[TITLE_READ_LONGS * 4 * 2];
	size_t len = 0;
	if (net && net->type == xc->atoms[XCTX_UTF8_STRING] && xcb_get_property_value_length(net))
		len = text_to_utf8(xc, net, text, sizeof(text));
	else if (icccm && icccm->type != XCB_NONE)
		len = text_to_utf8(xc, icccm, text, sizeof(text));
	struct proto_wmname name;
	props_copy_utf8(name.data, sizeof(name.data), text, len, true);
	if (memcmp(&name, &p->name, sizeof(name)) == 0)
		return 0;
	p->name = name;
	return PROPS_NAME;
}

static unsigned apply_class(struct props *p, xcb_get_property_reply_t *r)
{
	struct proto_wmclass c;
	memset(&c, 0, sizeof(c));
	xcb_icccm_get_wm_class_reply_t cls;
	if (r && xcb_icccm_get_wm_class_from_reply(&cls, r)) {
		/* WM_CLASS is "instance\0class\0"; the helper terminates both inside the reply. */
		props_copy_utf8(c.res_name, sizeof(c.res_name), cls.instance_name,
				strlen(cls.instance_name), false);
		props_copy_utf8(c.res_class, sizeof(c.res_class), cls.class_name,
				strlen(cls.class_name), false);
	}
	if (memcmp(&c, &p->wmclass, sizeof(c)) == 0)
		return 0;
	p->wmclass = c;
	return PROPS_CLASS;
}

static uint32_t clamp_i32(int32_t v, uint32_t lo, uint32_t hi)
{
	return v < (int32_t)lo ? lo : (uint32_t)v > hi ? hi : (uint32_t)v;
}

void props_size_hints_to_wire(const xcb_size_hints_t *s, struct proto_window_hints *out)
{
	struct proto_window_hints h;
	memset(&h, 0, sizeof(h));
	uint32_t f = s->flags & PROTO_HINT_ALL;
	if (f & PROTO_HINT_PMINSIZE) {
		h.min_width = clamp_i32(s->min_width, 0, PROTO_MAX_WINDOW_WIDTH);
		h.min_height = clamp_i32(s->min_height, 0, PROTO_MAX_WINDOW_HEIGHT);
	}
	if (f & PROTO_HINT_PMAXSIZE) {
		if (s->max_width < 1 || s->max_height < 1) {
			f &= ~PROTO_HINT_PMAXSIZE; /* "no maximum" written as 0 by some toolkits */
		} else {
			h.max_width = clamp_i32(s->max_width, 1, PROTO_MAX_WINDOW_WIDTH);
			h.max_height = clamp_i32(s->max_height, 1, PROTO_MAX_WINDOW_HEIGHT);
		}
	}
	if (f & PROTO_HINT_PRESIZEINC) {
		h.width_inc = clamp_i32(s->width_inc, 0, PROTO_MAX_WINDOW_WIDTH - 1);
		h.height_inc = clamp_i32(s->height_inc, 0, PROTO_MAX_WINDOW_HEIGHT - 1);
	}
	if (f & PROTO_HINT_PBASESIZE) {
		h.base_width = clamp_i32(s->base_width, 0, PROTO_MAX_WINDOW_WIDTH);
		h.base_height = clamp_i32(s->base_height, 0, PROTO_MAX_WINDOW_HEIGHT);
	}
	h.flags = f;
	*out = h;
}

static unsigned apply_hints(struct props *p, xcb_get_property_reply_t *r)
{
	struct proto_window_hints h;
	memset(&h, 0, sizeof(h));
	xcb_size_hints_t s;
	if (r && xcb_icccm_get_wm_size_hints_from_reply(&s, r))
		props_size_hints_to_wire(&s, &h);
	if (memcmp(&h, &p->hints, sizeof(h)) == 0)
		return 0;
	p->hints = h;
	return PROPS_HINTS;
}

/* WM_HINTS: urgency (a flag on the wire) and the input flag (the agent's focus only). */
static unsigned apply_wm_hints(struct props *p, xcb_get_property_reply_t *r)
{
	xcb_icccm_wm_hints_t h;
	bool urgent = false, input = true;
	if (r && xcb_icccm_get_wm_hints_from_reply(&h, r)) {
		urgent = xcb_icccm_wm_hints_get_urgency(&h) != 0;
		if (h.flags & XCB_ICCCM_WM_HINT_INPUT)
			input = h.input != 0;
	}
	p->input_hint = input;
	if (urgent == p->urgent)
		return 0;
	p->urgent = urgent;
	return PROPS_FLAGS;
}

static void apply_transient(struct props *p, xcb_get_property_reply_t *r)
{
	xcb_window_t t = XCB_NONE;
	if (!r || !xcb_icccm_get_wm_transient_for_from_reply(&t, r))
		t = XCB_NONE;
	p->transient_for = t;
}

/* The atoms of an ATOM property of format 32, or none. */
static const xcb_atom_t *atom_list(const xcb_get_property_reply_t *r, int *n)
{
	*n = 0;
	if (!r || r->type != XCB_ATOM_ATOM || r->format != 32)
		return NULL;
	*n = xcb_get_property_value_length(r) / 4;
	return xcb_get_property_value(r);
}

static void apply_type(struct props *p, const xcb_get_property_reply_t *r)
{
	int n;
	const xcb_atom_t *a = atom_list(r, &n);
	p->type = n > 0 ? a[0] : XCB_NONE;
}

static void apply_protocols(const struct xctx *xc, struct props *p,
			    const xcb_get_property_reply_t *r)
{
	int n;
	const xcb_atom_t *a = atom_list(r, &n);
	p->delete_window = p->take_focus = false;
	for (int i = 0; i < n; i++) {
		p->delete_window |= a[i] == xc->atoms[XCTX_WM_DELETE_WINDOW];
		p->take_focus |= a[i] == xc->atoms[XCTX_WM_TAKE_FOCUS];
	}
}

static uint32_t state_bit(const struct xctx *xc, xcb_atom_t atom)
{
	if (atom == xc->atoms[XCTX_NET_WM_STATE_FULLSCREEN])
		return PROTO_FLAG_FULLSCREEN;
	if (atom == xc->atoms[XCTX_NET_WM_STATE_DEMANDS_ATTENTION])
		return PROTO_FLAG_DEMANDS_ATTENTION;
	return 0;
}

/* _NET_WM_STATE: fullscreen and demands-attention. */
static unsigned apply_net_state(const struct xctx *xc, struct props *p,
				const xcb_get_property_reply_t *r)
{
	uint32_t bits = 0;
	int n;
	const xcb_atom_t *a = atom_list(r, &n);
	for (int i = 0; i < n; i++)
		bits |= state_bit(xc, a[i]);
	if (bits == p->net_state)
		return 0;
	p->net_state = bits;
	return PROPS_FLAGS;
}

uint32_t props_flags(const struct props *p)
{
	uint32_t f = p->net_state & PROTO_FLAG_FULLSCREEN;
	if (p->urgent || (p->net_state & PROTO_FLAG_DEMANDS_ATTENTION))
		f |= PROTO_FLAG_DEMANDS_ATTENTION;
	return f;
}

void props_read_all(const struct xctx *xc, xcb_window_t id, struct props *p)
{
	const xcb_atom_t *at = xc->atoms;
	xcb_get_property_cookie_t c[PROPS_READ] = {
	    get_prop(xc, id, at[XCTX_NET_WM_NAME], at[XCTX_UTF8_STRING], TITLE_READ_LONGS),
	    get_prop(xc, id, XCB_ATOM_WM_NAME, XCB_GET_PROPERTY_TYPE_ANY, TITLE_READ_LONGS),
	    xcb_icccm_get_wm_class(xc->x, id),
	    xcb_icccm_get_wm_normal_hints(xc->x, id),
	    xcb_icccm_get_wm_hints(xc->x, id),
	    xcb_icccm_get_wm_transient_for(xc->x, id),
	    get_prop(xc, id, at[XCTX_NET_WM_WINDOW_TYPE], XCB_ATOM_ATOM, 1),
	    xcb_icccm_get_wm_protocols(xc->x, id, at[XCTX_WM_PROTOCOLS]),
	    get_prop(xc, id, at[XCTX_NET_WM_STATE], XCB_ATOM_ATOM, STATE_READ_LONGS),
	};
	xcb_get_property_reply_t *r[PROPS_READ];
	for (unsigned i = 0; i < PROPS_READ; i++)
		r[i] = reply(xc, c[i]);
	apply_name(xc, p, r[0], r[1]);
	apply_class(p, r[2]);
	apply_hints(p, r[3]);
	apply_wm_hints(p, r[4]);
	apply_transient(p, r[5]);
	apply_type(p, r[6]);
	apply_protocols(xc, p, r[7]);
	apply_net_state(xc, p, r[8]);
	for (unsigned i = 0; i < PROPS_READ; i++)
		free(r[i]);
}

unsigned props_update(const struct xctx *xc, xcb_window_t id, xcb_atom_t atom, struct props *p)
{
	const xcb_atom_t *at = xc->atoms;
	xcb_get_property_reply_t *r = NULL;
	unsigned changed = 0;
	if (atom == XCB_ATOM_WM_NAME || atom == at[XCTX_NET_WM_NAME]) {
		xcb_get_property_cookie_t cn =
		    get_prop(xc, id, at[XCTX_NET_WM_NAME], at[XCTX_UTF8_STRING], TITLE_READ_LONGS);
		xcb_get_property_cookie_t ci =
		    get_prop(xc, id, XCB_ATOM_WM_NAME, XCB_GET_PROPERTY_TYPE_ANY, TITLE_READ_LONGS);
		xcb_get_property_reply_t *net = reply(xc, cn);
		r = reply(xc, ci);
		changed = apply_name(xc, p, net, r);
		free(net);
	} else if (atom == XCB_ATOM_WM_CLASS) {
		r = reply(xc, xcb_icccm_get_wm_class(xc->x, id));
		changed = apply_class(p, r);
	} else if (atom == XCB_ATOM_WM_NORMAL_HINTS) {
		r = reply(xc, xcb_icccm_get_wm_normal_hints(xc->x, id));
		changed = apply_hints(p, r);
	} else if (atom == XCB_ATOM_WM_HINTS) {
		r = reply(xc, xcb_icccm_get_wm_hints(xc->x, id));
		changed = apply_wm_hints(p, r);
	} else if (atom == XCB_ATOM_WM_TRANSIENT_FOR) {
		r = reply(xc, xcb_icccm_get_wm_transient_for(xc->x, id));
		apply_transient(p, r);
	} else if (atom == at[XCTX_NET_WM_WINDOW_TYPE]) {
		r = reply(xc, get_prop(xc, id, atom, XCB_ATOM_ATOM, 1));
		apply_type(p, r);
	} else if (atom == at[XCTX_WM_PROTOCOLS]) {
		r = reply(xc, xcb_icccm_get_wm_protocols(xc->x, id, atom));
		apply_protocols(xc, p, r);
	} else if (atom == at[XCTX_NET_WM_STATE]) {
		r = reply(xc, get_prop(xc, id, atom, XCB_ATOM_ATOM, STATE_READ_LONGS));
		changed = apply_net_state(xc, p, r);
	} else if (atom == at[XCTX_NET_WM_ICON]) {
		changed = PROPS_ICON; /* read by whoever sends it: see props_read_icon() */
	}
	free(r);
	return changed;
}

void props_state_request(const struct xctx *xc, const struct props *p, uint32_t action,
			 xcb_atom_t p1, xcb_atom_t p2, uint32_t *set, uint32_t *unset)
{
	enum { REMOVE = 0, ADD = 1, TOGGLE = 2 };
	uint32_t req = state_bit(xc, p1) | state_bit(xc, p2);
	*set = action == ADD ? req : action == TOGGLE ? req & ~p->net_state : 0;
	*unset = action == REMOVE ? req : action == TOGGLE ? req & p->net_state : 0;
}

void props_set_net_state(const struct xctx *xc, xcb_window_t id, uint32_t set, uint32_t unset)
{
	/* From the property as the server has it, not from the last PropertyNotify handled: two
	 * answers of the host can come before the agent has read the notify of the first. */
	const xcb_atom_t *at = xc->atoms;
	xcb_get_property_reply_t *r =
	    reply(xc, get_prop(xc, id, at[XCTX_NET_WM_STATE], XCB_ATOM_ATOM, STATE_READ_LONGS));
	xcb_atom_t out[STATE_READ_LONGS + 2];
	unsigned n = 0;
	uint32_t now = 0;
	int len;
	const xcb_atom_t *a = atom_list(r, &len);
	for (int i = 0; i < len && n < STATE_READ_LONGS; i++) {
		now |= state_bit(xc, a[i]);
		if (!state_bit(xc, a[i]))
			out[n++] = a[i];
	}
	free(r);
	uint32_t bits = (now | set) & ~unset;
	if (bits == now)
		return;
	if (bits & PROTO_FLAG_FULLSCREEN)
		out[n++] = at[XCTX_NET_WM_STATE_FULLSCREEN];
	if (bits & PROTO_FLAG_DEMANDS_ATTENTION)
		out[n++] = at[XCTX_NET_WM_STATE_DEMANDS_ATTENTION];
	xcb_change_property(xc->x, XCB_PROP_MODE_REPLACE, id, at[XCTX_NET_WM_STATE], XCB_ATOM_ATOM,
			    32, n, out);
}

/* The images of _NET_WM_ICON looked at: more sizes than any icon theme ships. */
#define ICON_CANDIDATES 64u
/* Images of at most this size come first: what task bars and alt-tab show. */
#define ICON_PREFERRED_SIZE 128u

struct icon_candidate {
	size_t offset; /* of the image's pixels in the property */
	uint32_t width, height;
};

/* Preferred sizes first, then larger ones; the larger first within each. */
static bool icon_before(const struct icon_candidate *a, const struct icon_candidate *b)
{
	bool big_a = a->width > ICON_PREFERRED_SIZE || a->height > ICON_PREFERRED_SIZE;
	bool big_b = b->width > ICON_PREFERRED_SIZE || b->height > ICON_PREFERRED_SIZE;
	if (big_a != big_b)
		return !big_a;
	return (uint64_t)a->width * a->height > (uint64_t)b->width * b->height;
}

void props_icon_to_wire(const uint32_t *words, size_t n, struct proto_seam_icon *icon,
			uint32_t pixels[PROTO_ICON_MAX_PIXELS])
{
	struct icon_candidate c[ICON_CANDIDATES];
	unsigned nc = 0;
	size_t at = 0;
	while (nc < ICON_CANDIDATES && n - at >= 2) {
		uint32_t w = words[at], h = words[at + 1];
		uint64_t area = (uint64_t)w * h;
		if (!area || area > n - at - 2)
			break; /* nothing sensible follows an empty or truncated image */
		if (w <= PROTO_ICON_MAX_SIZE && h <= PROTO_ICON_MAX_SIZE) {
			/* Insertion sort: a few entries. */
			struct icon_candidate e = {at + 2, w, h};
			unsigned i = nc++;
			while (i > 0 && icon_before(&e, &c[i - 1])) {
				c[i] = c[i - 1];
				i--;
			}
			c[i] = e;
		}
		at += 2 + (size_t)area;
	}
	memset(icon, 0, sizeof(*icon));
	size_t used = 0;
	for (unsigned i = 0; i < nc && icon->count < PROTO_ICON_MAX_IMAGES; i++) {
		size_t area = (size_t)c[i].width * c[i].height;
		if (used + area > PROTO_ICON_MAX_PIXELS)
			continue;
		icon->sizes[icon->count++] = (struct proto_seam_icon_size){c[i].width, c[i].height};
		memcpy(pixels + used, words + c[i].offset, area * 4u);
		used += area;
	}
}

void props_read_icon(const struct xctx *xc, xcb_window_t id, struct proto_seam_icon *icon,
		     uint32_t pixels[PROTO_ICON_MAX_PIXELS])
{
	xcb_get_property_reply_t *r = reply(xc, get_prop(xc, id, xc->atoms[XCTX_NET_WM_ICON],
							 XCB_ATOM_CARDINAL, PROPS_ICON_READ_LONGS));
	if (r && r->format == 32)
		props_icon_to_wire(xcb_get_property_value(r),
				   (size_t)xcb_get_property_value_length(r) / 4u, icon, pixels);
	else
		memset(icon, 0, sizeof(*icon));
	free(r);
}

/* ICCCM and EWMH properties of the guest's windows, turned into the wire's fixed-size forms:
 * titles, classes, size hints, urgency and state flags, transient-for, type and protocols. */
#include <stdlib.h>
#include <string.h>
#include <xcb/xcb_icccm.h>

#include "common/log.h"
#include "gui-agent/agent.h"

/* Bytes of a title read from the server: a title is cut to 127 bytes anyway, and Latin-1 text
 * at most doubles in UTF-8. */
#define TITLE_READ_LONGS 64u
/* Atoms read from _NET_WM_STATE: more states than EWMH defines. */
#define STATE_READ_LONGS 32u

static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026 */

/* Copy len bytes of UTF-8 (up to a NUL) into a NUL-terminated field of cap bytes, cutting at a
 * character boundary; with mark, a cut string ends in U+2026 within the same bound. */
static void copy_utf8(char *dst, size_t cap, const char *s, size_t len, bool mark)
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
static size_t text_to_utf8(struct agent *a, const xcb_get_property_reply_t *r, char *out,
			   size_t cap)
{
	const unsigned char *p = xcb_get_property_value(r);
	size_t n = (size_t)xcb_get_property_value_length(r), o = 0;
	if (r->format != 8)
		return 0;
	if (r->type == a->atoms[ATOM_UTF8_STRING]) {
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

static xcb_get_property_cookie_t get_prop(struct agent *a, struct agent_window *w, xcb_atom_t prop,
					  xcb_atom_t type, uint32_t longs)
{
	return xcb_get_property(a->x, 0, w->id, prop, type, 0, longs);
}

/* Prefer _NET_WM_NAME (UTF-8) over WM_NAME. Returns true if the title changed. */
static bool apply_name(struct agent *a, struct agent_window *w, xcb_get_property_reply_t *net,
		       xcb_get_property_reply_t *icccm)
{
	char text[TITLE_READ_LONGS * 4 * 2];
	size_t len = 0;
	if (net && net->type == a->atoms[ATOM_UTF8_STRING] && xcb_get_property_value_length(net))
		len = text_to_utf8(a, net, text, sizeof(text));
	else if (icccm && icccm->type != XCB_NONE)
		len = text_to_utf8(a, icccm, text, sizeof(text));
	struct proto_wmname name;
	copy_utf8(name.data, sizeof(name.data), text, len, true);
	if (memcmp(&name, &w->name, sizeof(name)) == 0)
		return false;
	w->name = name;
	return true;
}

static bool apply_class(struct agent_window *w, xcb_get_property_reply_t *r)
{
	struct proto_wmclass c;
	memset(&c, 0, sizeof(c));
	xcb_icccm_get_wm_class_reply_t cls;
	if (r && xcb_icccm_get_wm_class_from_reply(&cls, r)) {
		/* WM_CLASS is "instance\0class\0"; the helper terminates both inside the reply. */
		copy_utf8(c.res_name, sizeof(c.res_name), cls.instance_name,
			  strlen(cls.instance_name), false);
		copy_utf8(c.res_class, sizeof(c.res_class), cls.class_name, strlen(cls.class_name),
			  false);
	}
	if (memcmp(&c, &w->wmclass, sizeof(c)) == 0)
		return false;
	w->wmclass = c;
	return true;
}

static uint32_t clamp_i32(int32_t v, uint32_t lo, uint32_t hi)
{
	return v < (int32_t)lo ? lo : (uint32_t)v > hi ? hi : (uint32_t)v;
}

/* The XSizeHints fields that travel, clamped into what the daemon accepts. */
static bool apply_hints(struct agent_window *w, xcb_get_property_reply_t *r)
{
	struct proto_window_hints h;
	memset(&h, 0, sizeof(h));
	xcb_size_hints_t s;
	if (r && xcb_icccm_get_wm_size_hints_from_reply(&s, r)) {
		uint32_t f = s.flags & PROTO_HINT_ALL;
		if (f & PROTO_HINT_PMINSIZE) {
			h.min_width = clamp_i32(s.min_width, 0, PROTO_MAX_WINDOW_WIDTH);
			h.min_height = clamp_i32(s.min_height, 0, PROTO_MAX_WINDOW_HEIGHT);
		}
		if (f & PROTO_HINT_PMAXSIZE) {
			if (s.max_width < 1 || s.max_height < 1) {
				f &= ~PROTO_HINT_PMAXSIZE; /* "no maximum" written as 0 by some
							      toolkits */
			} else {
				h.max_width = clamp_i32(s.max_width, 1, PROTO_MAX_WINDOW_WIDTH);
				h.max_height = clamp_i32(s.max_height, 1, PROTO_MAX_WINDOW_HEIGHT);
			}
		}
		if (f & PROTO_HINT_PRESIZEINC) {
			h.width_inc = clamp_i32(s.width_inc, 0, PROTO_MAX_WINDOW_WIDTH - 1);
			h.height_inc = clamp_i32(s.height_inc, 0, PROTO_MAX_WINDOW_HEIGHT - 1);
		}
		if (f & PROTO_HINT_PBASESIZE) {
			h.base_width = clamp_i32(s.base_width, 0, PROTO_MAX_WINDOW_WIDTH);
			h.base_height = clamp_i32(s.base_height, 0, PROTO_MAX_WINDOW_HEIGHT);
		}
		h.flags = f;
	}
	if (memcmp(&h, &w->hints, sizeof(h)) == 0)
		return false;
	w->hints = h;
	return true;
}

/* WM_HINTS: urgency and the input flag. Returns true if the urgency changed. */
static bool apply_wm_hints(struct agent_window *w, xcb_get_property_reply_t *r)
{
	xcb_icccm_wm_hints_t h;
	bool urgent = false, input = true;
	if (r && xcb_icccm_get_wm_hints_from_reply(&h, r)) {
		urgent = xcb_icccm_wm_hints_get_urgency(&h) != 0;
		if (h.flags & XCB_ICCCM_WM_HINT_INPUT)
			input = h.input != 0;
	}
	w->input_hint = input;
	if (urgent == w->urgent)
		return false;
	w->urgent = urgent;
	return true;
}

static void apply_transient(struct agent_window *w, xcb_get_property_reply_t *r)
{
	xcb_window_t t = XCB_NONE;
	if (!r || !xcb_icccm_get_wm_transient_for_from_reply(&t, r))
		t = XCB_NONE;
	w->transient_for = t;
}

static void apply_type(struct agent_window *w, xcb_get_property_reply_t *r)
{
	w->type = XCB_NONE;
	if (r && r->type == XCB_ATOM_ATOM && r->format == 32 &&
	    xcb_get_property_value_length(r) >= 4)
		w->type = *(xcb_atom_t *)xcb_get_property_value(r);
}

static void apply_protocols(struct agent *a, struct agent_window *w, xcb_get_property_reply_t *r)
{
	w->delete_window = w->take_focus = false;
	if (!r || r->type != XCB_ATOM_ATOM || r->format != 32)
		return;
	const xcb_atom_t *p = xcb_get_property_value(r);
	int n = xcb_get_property_value_length(r) / 4;
	for (int i = 0; i < n; i++) {
		w->delete_window |= p[i] == a->atoms[ATOM_WM_DELETE_WINDOW];
		w->take_focus |= p[i] == a->atoms[ATOM_WM_TAKE_FOCUS];
	}
}

static uint32_t state_bit(struct agent *a, xcb_atom_t atom)
{
	if (atom == a->atoms[ATOM_NET_WM_STATE_FULLSCREEN])
		return PROTO_FLAG_FULLSCREEN;
	if (atom == a->atoms[ATOM_NET_WM_STATE_DEMANDS_ATTENTION])
		return PROTO_FLAG_DEMANDS_ATTENTION;
	return 0;
}

/* _NET_WM_STATE: fullscreen and demands-attention. Returns true if either changed. */
static bool apply_net_state(struct agent *a, struct agent_window *w, xcb_get_property_reply_t *r)
{
	uint32_t bits = 0;
	if (r && r->type == XCB_ATOM_ATOM && r->format == 32) {
		const xcb_atom_t *p = xcb_get_property_value(r);
		int n = xcb_get_property_value_length(r) / 4;
		for (int i = 0; i < n; i++)
			bits |= state_bit(a, p[i]);
	}
	if (bits == w->net_state)
		return false;
	w->net_state = bits;
	return true;
}

uint32_t props_flags(const struct agent_window *w)
{
	uint32_t f = w->net_state & PROTO_FLAG_FULLSCREEN;
	if (w->urgent || (w->net_state & PROTO_FLAG_DEMANDS_ATTENTION))
		f |= PROTO_FLAG_DEMANDS_ATTENTION;
	return f;
}

static xcb_get_property_reply_t *reply(struct agent *a, xcb_get_property_cookie_t c)
{
	return xcb_get_property_reply(a->x, c, NULL);
}

void props_read_all(struct agent *a, struct agent_window *w)
{
	const xcb_atom_t *at = a->atoms;
	xcb_get_property_cookie_t c[9] = {
	    get_prop(a, w, at[ATOM_NET_WM_NAME], at[ATOM_UTF8_STRING], TITLE_READ_LONGS),
	    get_prop(a, w, XCB_ATOM_WM_NAME, XCB_GET_PROPERTY_TYPE_ANY, TITLE_READ_LONGS),
	    xcb_icccm_get_wm_class(a->x, w->id),
	    xcb_icccm_get_wm_normal_hints(a->x, w->id),
	    xcb_icccm_get_wm_hints(a->x, w->id),
	    xcb_icccm_get_wm_transient_for(a->x, w->id),
	    get_prop(a, w, at[ATOM_NET_WM_WINDOW_TYPE], XCB_ATOM_ATOM, 1),
	    xcb_icccm_get_wm_protocols(a->x, w->id, at[ATOM_WM_PROTOCOLS]),
	    get_prop(a, w, at[ATOM_NET_WM_STATE], XCB_ATOM_ATOM, STATE_READ_LONGS),
	};
	xcb_get_property_reply_t *r[9];
	for (unsigned i = 0; i < 9; i++)
		r[i] = reply(a, c[i]);
	apply_name(a, w, r[0], r[1]);
	apply_class(w, r[2]);
	apply_hints(w, r[3]);
	apply_wm_hints(w, r[4]);
	apply_transient(w, r[5]);
	apply_type(w, r[6]);
	apply_protocols(a, w, r[7]);
	apply_net_state(a, w, r[8]);
	for (unsigned i = 0; i < 9; i++)
		free(r[i]);
}

void props_changed(struct agent *a, struct agent_window *w, xcb_atom_t atom)
{
	const xcb_atom_t *at = a->atoms;
	xcb_get_property_reply_t *r = NULL;
	if (atom == XCB_ATOM_WM_NAME || atom == at[ATOM_NET_WM_NAME]) {
		xcb_get_property_cookie_t cn =
		    get_prop(a, w, at[ATOM_NET_WM_NAME], at[ATOM_UTF8_STRING], TITLE_READ_LONGS);
		xcb_get_property_cookie_t ci =
		    get_prop(a, w, XCB_ATOM_WM_NAME, XCB_GET_PROPERTY_TYPE_ANY, TITLE_READ_LONGS);
		xcb_get_property_reply_t *net = reply(a, cn);
		r = reply(a, ci);
		if (apply_name(a, w, net, r))
			conn_send_wmname(a, w);
		free(net);
	} else if (atom == XCB_ATOM_WM_CLASS) {
		r = reply(a, xcb_icccm_get_wm_class(a->x, w->id));
		if (apply_class(w, r))
			conn_send_wmclass(a, w);
	} else if (atom == XCB_ATOM_WM_NORMAL_HINTS) {
		r = reply(a, xcb_icccm_get_wm_normal_hints(a->x, w->id));
		if (apply_hints(w, r))
			conn_send_hints(a, w);
	} else if (atom == XCB_ATOM_WM_HINTS) {
		r = reply(a, xcb_icccm_get_wm_hints(a->x, w->id));
		if (apply_wm_hints(w, r))
			conn_send_flags(a, w);
	} else if (atom == XCB_ATOM_WM_TRANSIENT_FOR) {
		r = reply(a, xcb_icccm_get_wm_transient_for(a->x, w->id));
		apply_transient(w, r);
	} else if (atom == at[ATOM_NET_WM_WINDOW_TYPE]) {
		r = reply(a, get_prop(a, w, atom, XCB_ATOM_ATOM, 1));
		apply_type(w, r);
	} else if (atom == at[ATOM_WM_PROTOCOLS]) {
		r = reply(a, xcb_icccm_get_wm_protocols(a->x, w->id, atom));
		apply_protocols(a, w, r);
	} else if (atom == at[ATOM_NET_WM_STATE]) {
		r = reply(a, get_prop(a, w, atom, XCB_ATOM_ATOM, STATE_READ_LONGS));
		if (apply_net_state(a, w, r))
			conn_send_flags(a, w);
	}
	free(r);
}

void props_net_wm_state_request(struct agent *a, struct agent_window *w, uint32_t action,
				xcb_atom_t p1, xcb_atom_t p2)
{
	enum { REMOVE = 0, ADD = 1, TOGGLE = 2 };
	uint32_t req = state_bit(a, p1) | state_bit(a, p2);
	if (!req || action > TOGGLE)
		return;
	uint32_t bits = action == ADD	   ? w->net_state | req
			: action == REMOVE ? w->net_state & ~req
					   : w->net_state ^ req;
	/* Rewrite the property, keeping the states the agent does not act on; the PropertyNotify
	 * that follows updates w->net_state and tells the daemon. */
	const xcb_atom_t *at = a->atoms;
	xcb_get_property_reply_t *r =
	    reply(a, get_prop(a, w, at[ATOM_NET_WM_STATE], XCB_ATOM_ATOM, STATE_READ_LONGS));
	xcb_atom_t out[STATE_READ_LONGS + 2];
	unsigned n = 0;
	if (r && r->type == XCB_ATOM_ATOM && r->format == 32) {
		const xcb_atom_t *p = xcb_get_property_value(r);
		int len = xcb_get_property_value_length(r) / 4;
		for (int i = 0; i < len && n < STATE_READ_LONGS; i++)
			if (!state_bit(a, p[i]))
				out[n++] = p[i];
	}
	free(r);
	if (bits & PROTO_FLAG_FULLSCREEN)
		out[n++] = at[ATOM_NET_WM_STATE_FULLSCREEN];
	if (bits & PROTO_FLAG_DEMANDS_ATTENTION)
		out[n++] = at[ATOM_NET_WM_STATE_DEMANDS_ATTENTION];
	xcb_change_property(a->x, XCB_PROP_MODE_REPLACE, w->id, at[ATOM_NET_WM_STATE],
			    XCB_ATOM_ATOM, 32, n, out);
}

/* The host's input replayed in the guest (gui-agent/input.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xcb/xtest.h>

#include "common/log.h"
#include "common/mono.h"
#include "gui-agent/input.h"

/* The modifiers brought in line with the host's state before each key: the ones whose state
 * changes what a key types or means (NumLock and the others follow their own keys). */
static const struct {
	unsigned row; /* modifier mapping row: Shift, Lock, Control, Mod1 */
	uint16_t mask;
} synced_mods[] = {
    {0, XCB_MOD_MASK_SHIFT},
    {1, XCB_MOD_MASK_LOCK},
    {2, XCB_MOD_MASK_CONTROL},
    {3, XCB_MOD_MASK_1},
};

/* A window asked to close, and when its client is killed if the window is still there. */
struct input_close {
	xcb_window_t id;
	int64_t deadline; /* mono_ms() */
};

struct input {
	const struct xctx *xc;
	struct wm *wm;
	struct cursor *cursor;
	struct keyboard *keyboard;
	unsigned slot;
	int close_timeout_ms;
	xcb_window_t focus; /* the window the host last focused, or XCB_NONE */
	/* Keyboard: the modifier mapping, 8 rows of keycodes_per_modifier keycodes. */
	xcb_keycode_t *modmap;
	unsigned keycodes_per_modifier;
	struct input_close *closes;
	unsigned ncloses, closes_cap;
};

static int load_modmap(struct input *in)
{
	xcb_connection_t *x = in->xc->x;
	xcb_get_modifier_mapping_reply_t *r =
	    xcb_get_modifier_mapping_reply(x, xcb_get_modifier_mapping(x), NULL);
	if (!r)
		return -EIO;
	size_t n = (size_t)r->keycodes_per_modifier * 8;
	xcb_keycode_t *m = malloc(n ? n : 1);
	if (!m) {
		free(r);
		return -ENOMEM;
	}
	memcpy(m, xcb_get_modifier_mapping_keycodes(r), n);
	free(in->modmap);
	in->modmap = m;
	in->keycodes_per_modifier = r->keycodes_per_modifier;
	free(r);
	return 0;
}

void input_mapping_changed(struct input *in)
{
	int rc = load_modmap(in);
	if (rc)
		log_warn("cannot read the guest's new modifier mapping: %s", strerror(-rc));
}

static void forget_close(struct input *in, xcb_window_t id)
{
	for (unsigned i = 0; i < in->ncloses; i++) {
		if (in->closes[i].id == id) {
			in->closes[i] = in->closes[--in->ncloses];
			return;
		}
	}
}

static void on_wm(void *ctx, const struct wm_event *ev)
{
	struct input *in = ctx;
	if (ev->type != WM_UNMAPPED && ev->type != WM_DESTROYED)
		return;
	if (in->focus == ev->window->id)
		in->focus = XCB_NONE;
	if (ev->type == WM_DESTROYED)
		forget_close(in, ev->window->id);
}

int input_create(const struct xctx *xc, struct wm *wm, struct cursor *cursor,
		 struct keyboard *keyboard, int close_timeout_ms, struct input **out, char *why,
		 size_t why_len)
{
	*out = NULL;
	struct input *in = calloc(1, sizeof(*in));
	if (!in) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	*in = (struct input){.xc = xc,
			     .wm = wm,
			     .cursor = cursor,
			     .keyboard = keyboard,
			     .close_timeout_ms = close_timeout_ms};
	int rc = load_modmap(in);
	if (rc) {
		snprintf(why, why_len, "cannot read the guest's modifier mapping: %s",
			 strerror(-rc));
		free(in);
		return rc;
	}
	rc = wm_listen(wm, on_wm, in, &in->slot);
	if (rc) {
		snprintf(why, why_len, "too many window listeners");
		free(in->modmap);
		free(in);
		return rc;
	}
	*out = in;
	return 0;
}

void input_destroy(struct input *in)
{
	if (!in)
		return;
	wm_unlisten(in->wm, in->slot);
	free(in->modmap);
	free(in->closes);
	free(in);
}

static void fake(struct input *in, uint8_t type, uint8_t detail, int16_t x, int16_t y)
{
	xcb_test_fake_input(in->xc->x, type, detail, XCB_CURRENT_TIME, in->xc->root, x, y, 0);
}

static int16_t to_root(int32_t origin, int32_t rel)
{
	int32_t v = origin + rel;
	return (int16_t)(v < PROTO_COORD_MIN   ? PROTO_COORD_MIN
			 : v > PROTO_COORD_MAX ? PROTO_COORD_MAX
					       : v);
}

/* Move the guest pointer to (x, y) in w, absolutely. */
static void move_to(struct input *in, const struct wm_window *w, int32_t x, int32_t y)
{
	fake(in, XCB_MOTION_NOTIFY, 0, to_root(w->x, x), to_root(w->y, y));
}

static bool keymap(struct input *in, uint8_t keys[32])
{
	xcb_connection_t *x = in->xc->x;
	xcb_query_keymap_reply_t *r = xcb_query_keymap_reply(x, xcb_query_keymap(x), NULL);
	if (!r)
		return false;
	memcpy(keys, r->keys, 32);
	free(r);
	return true;
}

static bool key_down(const uint8_t keys[32], unsigned kc)
{
	return (keys[kc / 8] >> (kc % 8)) & 1;
}

/* Press or release modifier keys until the guest's Shift, Lock, Control and Mod1 (in have) match
 * the host state that came with a key event (want). */
static void sync_modifiers(struct input *in, uint32_t want, uint16_t have)
{
	uint8_t keys[32];
	bool have_keys = false;
	for (unsigned i = 0; i < sizeof(synced_mods) / sizeof(synced_mods[0]); i++) {
		uint16_t bit = synced_mods[i].mask;
		if (!((have ^ want) & bit))
			continue;
		const xcb_keycode_t *row =
		    in->modmap + synced_mods[i].row * in->keycodes_per_modifier;
		xcb_keycode_t first = 0;
		for (unsigned k = 0; k < in->keycodes_per_modifier && !first; k++)
			first = row[k];
		if (!first)
			continue; /* no key gives this modifier in the guest */
		if (bit == XCB_MOD_MASK_LOCK) {
			fake(in, XCB_KEY_PRESS, first, 0, 0); /* Lock toggles */
			fake(in, XCB_KEY_RELEASE, first, 0, 0);
		} else if (want & bit) {
			fake(in, XCB_KEY_PRESS, first, 0, 0);
		} else {
			if (!have_keys && !(have_keys = keymap(in, keys)))
				return;
			for (unsigned k = 0; k < in->keycodes_per_modifier; k++)
				if (row[k] && key_down(keys, row[k]))
					fake(in, XCB_KEY_RELEASE, row[k], 0, 0);
		}
	}
}

void input_keypress(struct input *in, const struct wm_window *w, const struct proto_keypress *k)
{
	(void)w; /* keys go where the guest's focus is, which FOCUS put on w */
	xcb_connection_t *x = in->xc->x;
	xcb_query_pointer_reply_t *p =
	    xcb_query_pointer_reply(x, xcb_query_pointer(x, in->xc->root), NULL);
	if (p) {
		keyboard_sync_group(in->keyboard, k->state, p->mask);
		sync_modifiers(in, k->state, p->mask);
		free(p);
	}
	bool press = k->type == PROTO_X_KEY_PRESS;
	uint8_t g = keyboard_guest_keycode(in->keyboard, (uint8_t)k->keycode, press);
	if (g)
		fake(in, press ? XCB_KEY_PRESS : XCB_KEY_RELEASE, g, 0, 0);
}

/* Guest windows overlap in ways the host's stacking does not show; XTest delivers to whatever is
 * topmost in the guest, so the window the host pointer is over goes on top first. */
static void raise_window(struct input *in, const struct wm_window *w)
{
	uint32_t above = XCB_STACK_MODE_ABOVE;
	xcb_configure_window(in->xc->x, w->id, XCB_CONFIG_WINDOW_STACK_MODE, &above);
}

void input_button(struct input *in, const struct wm_window *w, const struct proto_button *b)
{
	if (b->type == PROTO_X_BUTTON_PRESS)
		raise_window(in, w);
	move_to(in, w, b->x, b->y);
	fake(in, b->type == PROTO_X_BUTTON_PRESS ? XCB_BUTTON_PRESS : XCB_BUTTON_RELEASE,
	     (uint8_t)b->button, 0, 0);
	cursor_enter(in->cursor, w);
}

void input_motion(struct input *in, const struct wm_window *w, const struct proto_motion *m)
{
	move_to(in, w, m->x, m->y);
	cursor_enter(in->cursor, w);
}

void input_crossing(struct input *in, const struct wm_window *w, const struct proto_crossing *c)
{
	if (c->type == PROTO_X_ENTER_NOTIFY) {
		raise_window(in, w);
		move_to(in, w, c->x, c->y);
		cursor_enter(in->cursor, w);
	} else {
		cursor_leave(in->cursor, w);
	}
}

static void send_wm_protocol(struct input *in, const struct wm_window *w, enum xctx_atom protocol)
{
	const xcb_atom_t *at = in->xc->atoms;
	xcb_client_message_event_t ev = {.response_type = XCB_CLIENT_MESSAGE,
					 .format = 32,
					 .window = w->id,
					 .type = at[XCTX_WM_PROTOCOLS]};
	ev.data.data32[0] = at[protocol];
	ev.data.data32[1] = XCB_CURRENT_TIME;
	xcb_send_event(in->xc->x, 0, w->id, XCB_EVENT_MASK_NO_EVENT, (const char *)&ev);
}

void input_focus(struct input *in, const struct wm_window *w, const struct proto_focus *f)
{
	xcb_connection_t *x = in->xc->x;
	if (f->type == PROTO_X_FOCUS_OUT) {
		/* Only if w still has it: the host may already have focused another of our windows.
		 */
		if (in->focus == w->id) {
			in->focus = XCB_NONE;
			xcb_set_input_focus(x, XCB_INPUT_FOCUS_POINTER_ROOT, XCB_NONE,
					    XCB_CURRENT_TIME);
		}
		return;
	}
	if (!w->mapped)
		return;
	in->focus = w->id;
	raise_window(in, w);
	if (w->props.input_hint)
		xcb_set_input_focus(x, XCB_INPUT_FOCUS_POINTER_ROOT, w->id, XCB_CURRENT_TIME);
	if (w->props.take_focus)
		send_wm_protocol(in, w, XCTX_WM_TAKE_FOCUS);
	xcb_change_property(x, XCB_PROP_MODE_REPLACE, in->xc->root,
			    in->xc->atoms[XCTX_NET_ACTIVE_WINDOW], XCB_ATOM_WINDOW, 32, 1, &w->id);
}

void input_keymap(struct input *in, const struct proto_keymap_notify *k)
{
	uint8_t keys[32];
	if (!keymap(in, keys))
		return;
	for (unsigned kc = PROTO_X_KEYCODE_MIN; kc <= PROTO_X_KEYCODE_MAX; kc++)
		if (key_down(keys, kc) && !key_down(k->keys, kc))
			fake(in, XCB_KEY_RELEASE, (uint8_t)kc, 0, 0);
}

/* Remember when to kill w's client, unless a deadline runs already. */
static void set_deadline(struct input *in, xcb_window_t id)
{
	for (unsigned i = 0; i < in->ncloses; i++)
		if (in->closes[i].id == id)
			return;
	if (in->ncloses == in->closes_cap) {
		unsigned cap = in->closes_cap ? in->closes_cap * 2 : 8;
		struct input_close *p = realloc(in->closes, cap * sizeof(*p));
		if (!p) {
			log_warn("out of memory: window 0x%x's client will not be killed if it "
				 "ignores WM_DELETE_WINDOW",
				 id);
			return;
		}
		in->closes = p;
		in->closes_cap = cap;
	}
	in->closes[in->ncloses++] = (struct input_close){id, mono_ms() + in->close_timeout_ms};
}

void input_close(struct input *in, const struct wm_window *w)
{
	if (!w->props.delete_window) {
		log_info("window 0x%x does not take WM_DELETE_WINDOW: killing its client", w->id);
		xcb_kill_client(in->xc->x, w->id);
		return;
	}
	send_wm_protocol(in, w, XCTX_WM_DELETE_WINDOW);
	set_deadline(in, w->id);
	log_info("window 0x%x: asked its client to close it", w->id);
}

int input_deadlines(struct input *in)
{
	if (!in->ncloses)
		return -1;
	int64_t now = mono_ms(), next = -1;
	for (unsigned i = 0; i < in->ncloses;) {
		struct input_close *c = &in->closes[i];
		if (c->deadline > now) {
			if (next < 0 || c->deadline - now < next)
				next = c->deadline - now;
			i++;
			continue;
		}
		log_info("window 0x%x still exists %d s after WM_DELETE_WINDOW: killing its client",
			 c->id, in->close_timeout_ms / 1000);
		xcb_kill_client(in->xc->x, c->id);
		*c = in->closes[--in->ncloses];
	}
	return (int)next;
}

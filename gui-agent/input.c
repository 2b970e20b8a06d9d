/* The host's input replayed in the guest with XTest, and the host's focus, geometry and close
 * requests applied to the guest's windows. Coordinates from the daemon are window-relative and
 * already bounded by protocol/; the agent turns them into root coordinates. */
#include <stdlib.h>
#include <string.h>
#include <xcb/xtest.h>

#include "common/log.h"
#include "gui-agent/agent.h"

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

static int load_modmap(struct agent *a)
{
	xcb_get_modifier_mapping_reply_t *r =
	    xcb_get_modifier_mapping_reply(a->x, xcb_get_modifier_mapping(a->x), NULL);
	if (!r) {
		log_error("cannot read the guest's modifier mapping");
		return -1;
	}
	size_t n = (size_t)r->keycodes_per_modifier * 8;
	xcb_keycode_t *m = malloc(n ? n : 1);
	if (!m) {
		free(r);
		return -1;
	}
	memcpy(m, xcb_get_modifier_mapping_keycodes(r), n);
	free(a->modmap);
	a->modmap = m;
	a->keycodes_per_modifier = r->keycodes_per_modifier;
	free(r);
	return 0;
}

int input_init(struct agent *a)
{
	return load_modmap(a);
}

void input_mapping_changed(struct agent *a)
{
	load_modmap(a);
}

static void fake(struct agent *a, uint8_t type, uint8_t detail, int16_t x, int16_t y)
{
	xcb_test_fake_input(a->x, type, detail, XCB_CURRENT_TIME, a->root, x, y, 0);
}

static int16_t to_root(int32_t origin, int32_t rel)
{
	int32_t v = origin + rel;
	return (int16_t)(v < PROTO_COORD_MIN   ? PROTO_COORD_MIN
			 : v > PROTO_COORD_MAX ? PROTO_COORD_MAX
					       : v);
}

/* Move the guest pointer to (x, y) in w, absolutely. */
static void move_to(struct agent *a, const struct agent_window *w, int32_t x, int32_t y)
{
	fake(a, XCB_MOTION_NOTIFY, 0, to_root(w->x, x), to_root(w->y, y));
}

static bool keymap(struct agent *a, uint8_t keys[32])
{
	xcb_query_keymap_reply_t *r = xcb_query_keymap_reply(a->x, xcb_query_keymap(a->x), NULL);
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

/* Press or release modifier keys until the guest's Shift, Lock, Control and Mod1 match the host
 * state that came with a key event. */
static void sync_modifiers(struct agent *a, uint32_t want)
{
	xcb_query_pointer_reply_t *p =
	    xcb_query_pointer_reply(a->x, xcb_query_pointer(a->x, a->root), NULL);
	if (!p)
		return;
	uint16_t have = p->mask;
	free(p);
	uint8_t keys[32];
	bool have_keys = false;
	for (unsigned i = 0; i < sizeof(synced_mods) / sizeof(synced_mods[0]); i++) {
		uint16_t bit = synced_mods[i].mask;
		if (!((have ^ want) & bit))
			continue;
		const xcb_keycode_t *row =
		    a->modmap + synced_mods[i].row * a->keycodes_per_modifier;
		xcb_keycode_t first = 0;
		for (unsigned k = 0; k < a->keycodes_per_modifier && !first; k++)
			first = row[k];
		if (!first)
			continue; /* no key gives this modifier in the guest */
		if (bit == XCB_MOD_MASK_LOCK) {
			fake(a, XCB_KEY_PRESS, first, 0, 0); /* Lock toggles */
			fake(a, XCB_KEY_RELEASE, first, 0, 0);
		} else if (want & bit) {
			fake(a, XCB_KEY_PRESS, first, 0, 0);
		} else {
			if (!have_keys && !(have_keys = keymap(a, keys)))
				return;
			for (unsigned k = 0; k < a->keycodes_per_modifier; k++)
				if (row[k] && key_down(keys, row[k]))
					fake(a, XCB_KEY_RELEASE, row[k], 0, 0);
		}
	}
}

void input_keypress(struct agent *a, struct agent_window *w, const struct proto_keypress *k)
{
	(void)w; /* keys go where the guest's focus is, which FOCUS put on w */
	sync_modifiers(a, k->state);
	fake(a, k->type == PROTO_X_KEY_PRESS ? XCB_KEY_PRESS : XCB_KEY_RELEASE, (uint8_t)k->keycode,
	     0, 0);
}

/* Guest windows overlap in ways the host's stacking does not show; XTest delivers to whatever is
 * topmost in the guest, so the window the host pointer is over goes on top first. */
static void raise_window(struct agent *a, const struct agent_window *w)
{
	uint32_t above = XCB_STACK_MODE_ABOVE;
	xcb_configure_window(a->x, w->id, XCB_CONFIG_WINDOW_STACK_MODE, &above);
}

void input_button(struct agent *a, struct agent_window *w, const struct proto_button *b)
{
	if (b->type == PROTO_X_BUTTON_PRESS)
		raise_window(a, w);
	move_to(a, w, b->x, b->y);
	fake(a, b->type == PROTO_X_BUTTON_PRESS ? XCB_BUTTON_PRESS : XCB_BUTTON_RELEASE,
	     (uint8_t)b->button, 0, 0);
	cursor_set_window(a, w);
}

void input_motion(struct agent *a, struct agent_window *w, const struct proto_motion *m)
{
	move_to(a, w, m->x, m->y);
	cursor_set_window(a, w);
}

void input_crossing(struct agent *a, struct agent_window *w, const struct proto_crossing *c)
{
	if (c->type == PROTO_X_ENTER_NOTIFY) {
		raise_window(a, w);
		move_to(a, w, c->x, c->y);
		cursor_set_window(a, w);
	} else if (a->pointer_window == w->id) {
		cursor_set_window(a, NULL);
	}
}

void input_focus(struct agent *a, struct agent_window *w, const struct proto_focus *f)
{
	xcb_connection_t *x = a->x;
	if (f->type == PROTO_X_FOCUS_OUT) {
		/* Only if w still has it: the host may already have focused another of our windows.
		 */
		if (a->focus == w->id) {
			a->focus = XCB_NONE;
			xcb_set_input_focus(x, XCB_INPUT_FOCUS_POINTER_ROOT, XCB_NONE,
					    XCB_CURRENT_TIME);
		}
		return;
	}
	if (!w->mapped)
		return;
	a->focus = w->id;
	raise_window(a, w);
	if (w->input_hint)
		xcb_set_input_focus(x, XCB_INPUT_FOCUS_POINTER_ROOT, w->id, XCB_CURRENT_TIME);
	if (w->take_focus) {
		xcb_client_message_event_t ev = {.response_type = XCB_CLIENT_MESSAGE,
						 .format = 32,
						 .window = w->id,
						 .type = a->atoms[ATOM_WM_PROTOCOLS]};
		ev.data.data32[0] = a->atoms[ATOM_WM_TAKE_FOCUS];
		ev.data.data32[1] = XCB_CURRENT_TIME;
		xcb_send_event(x, 0, w->id, XCB_EVENT_MASK_NO_EVENT, (const char *)&ev);
	}
	xcb_change_property(x, XCB_PROP_MODE_REPLACE, a->root, a->atoms[ATOM_NET_ACTIVE_WINDOW],
			    XCB_ATOM_WINDOW, 32, 1, &w->id);
}

void input_keymap(struct agent *a, const struct proto_keymap_notify *k)
{
	uint8_t keys[32];
	if (!keymap(a, keys))
		return;
	for (unsigned kc = PROTO_X_KEYCODE_MIN; kc <= PROTO_X_KEYCODE_MAX; kc++)
		if (key_down(keys, kc) && !key_down(k->keys, kc))
			fake(a, XCB_KEY_RELEASE, (uint8_t)kc, 0, 0);
}

void input_configure(struct agent *a, struct agent_window *w, const struct proto_configure *c)
{
	/* protocol/ bounded the size to 16384 x 6144 and the position to INT16. */
	if (c->x == w->x && c->y == w->y && c->width == w->width && c->height == w->height) {
		/* Nothing will change, so no ConfigureNotify: answer from what the window has. */
		conn_send_configure(a, w);
		return;
	}
	uint32_t v[4] = {(uint32_t)c->x, (uint32_t)c->y, c->width, c->height};
	xcb_configure_window(a->x, w->id,
			     XCB_CONFIG_WINDOW_X | XCB_CONFIG_WINDOW_Y | XCB_CONFIG_WINDOW_WIDTH |
				 XCB_CONFIG_WINDOW_HEIGHT,
			     v);
}

void input_close(struct agent *a, struct agent_window *w)
{
	if (!w->delete_window) {
		log_info("window 0x%x does not take WM_DELETE_WINDOW: killing its client", w->id);
		xcb_kill_client(a->x, w->id);
		return;
	}
	xcb_client_message_event_t ev = {.response_type = XCB_CLIENT_MESSAGE,
					 .format = 32,
					 .window = w->id,
					 .type = a->atoms[ATOM_WM_PROTOCOLS]};
	ev.data.data32[0] = a->atoms[ATOM_WM_DELETE_WINDOW];
	ev.data.data32[1] = XCB_CURRENT_TIME;
	xcb_send_event(a->x, 0, w->id, XCB_EVENT_MASK_NO_EVENT, (const char *)&ev);
	if (!w->close_deadline)
		w->close_deadline = agent_now_ms() + a->close_timeout_ms;
	log_info("window 0x%x: asked its client to close it", w->id);
}

int input_deadlines(struct agent *a)
{
	int64_t now = 0, next = -1;
	for (unsigned i = 0; i < AGENT_WINDOW_BUCKETS; i++) {
		for (struct agent_window *w = a->table[i]; w; w = w->next) {
			if (!w->close_deadline)
				continue;
			if (!now)
				now = agent_now_ms();
			if (w->close_deadline <= now) {
				log_info("window 0x%x still exists %d s after WM_DELETE_WINDOW: "
					 "killing its client",
					 w->id, a->close_timeout_ms / 1000);
				xcb_kill_client(a->x, w->id);
				w->close_deadline = 0;
			} else if (next < 0 || w->close_deadline - now < next) {
				next = w->close_deadline - now;
			}
		}
	}
	return (int)next;
}

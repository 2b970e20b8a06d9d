/* The host's keyboard for the agent (gui-daemon/keyboard.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xconn.h"
#include "gui-daemon/keyboard.h"

struct keyboard {
	struct display *dp;
	struct session *session;
	xcb_atom_t rules_names; /* _XKB_RULES_NAMES */
};

int keyboard_create(struct display *dp, struct session *s, struct keyboard **out)
{
	struct keyboard *kb = calloc(1, sizeof(*kb));
	*out = kb;
	if (!kb)
		return -ENOMEM;
	kb->dp = dp;
	kb->session = s;
	xcb_connection_t *x = display_x(dp);
	kb->rules_names = xconn_intern(x, "_XKB_RULES_NAMES");
	/* setxkbmap rewrites _XKB_RULES_NAMES after every new keymap. Only this client's mask on
	 * the root changes; nothing else of the daemon's listens there. */
	uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
	xcb_change_window_attributes(x, display_screen(dp)->root, XCB_CW_EVENT_MASK, &mask);
	return 0;
}

void keyboard_destroy(struct keyboard *kb)
{
	free(kb);
}

static bool agreed(const struct keyboard *kb)
{
	return session_has_feature(kb->session, PROTO_SEAM_FEATURE_KEYBOARD);
}

/* Copy one NUL-separated field of _XKB_RULES_NAMES; false if it does not fit. */
static bool take_field(const char **p, const char *end, char *out, size_t size)
{
	size_t n = strnlen(*p, (size_t)(end - *p));
	if (n >= size)
		return false;
	memcpy(out, *p, n);
	out[n] = '\0';
	*p += n < (size_t)(end - *p) ? n + 1 : n;
	return true;
}

static void send_layout(struct keyboard *kb)
{
	xcb_connection_t *x = display_x(kb->dp);
	xcb_get_property_reply_t *r =
	    xcb_get_property_reply(x,
				   xcb_get_property(x, 0, display_screen(kb->dp)->root,
						    kb->rules_names, XCB_ATOM_STRING, 0, 1024),
				   NULL);
	struct proto_msg m = {.type = PROTO_MSG_SEAM_KEYBOARD};
	struct proto_seam_keyboard *k = &m.u.keyboard;
	bool ok = r && r->format == 8 && xcb_get_property_value_length(r) > 0;
	if (ok) {
		const char *p = xcb_get_property_value(r);
		const char *end = p + xcb_get_property_value_length(r);
		ok = take_field(&p, end, k->rules, sizeof(k->rules)) &&
		     take_field(&p, end, k->model, sizeof(k->model)) &&
		     take_field(&p, end, k->layout, sizeof(k->layout)) &&
		     take_field(&p, end, k->variant, sizeof(k->variant)) &&
		     take_field(&p, end, k->options, sizeof(k->options));
	}
	free(r);
	/* The host's names are the host's own, but the agent refuses what does not validate: check
	 * here so the log says so on the side that can fix it. */
	struct proto_error err;
	if (!ok || proto_validate_seam_keyboard(k, &err)) {
		log_warn("keyboard: the host's layout cannot be told to the guest (%s): the guest "
			 "keeps its own",
			 ok ? err.text : "no usable _XKB_RULES_NAMES on the root");
		return;
	}
	session_send(kb->session, &m);
	log_info("keyboard: layout '%s' (variant '%s', options '%s') sent to the guest", k->layout,
		 k->variant, k->options);
}

static void send_keysyms(struct keyboard *kb)
{
	xcb_connection_t *x = display_x(kb->dp);
	const xcb_setup_t *setup = xcb_get_setup(x);
	unsigned lo = setup->min_keycode, hi = setup->max_keycode;
	if (lo < 8 || hi < lo)
		return;
	xcb_get_keyboard_mapping_reply_t *r = xcb_get_keyboard_mapping_reply(
	    x, xcb_get_keyboard_mapping(x, (xcb_keycode_t)lo, (uint8_t)(hi - lo + 1)), NULL);
	if (!r)
		return;
	unsigned have = r->keysyms_per_keycode;
	/* Levels past the protocol's bound are left out: no layout in use reaches them. */
	unsigned kpk = have < PROTO_KEYSYMS_PER_KEYCODE_MAX ? have : PROTO_KEYSYMS_PER_KEYCODE_MAX;
	unsigned count = hi - lo + 1;
	if (kpk == 0) {
		free(r);
		return;
	}
	uint32_t *syms = malloc((size_t)count * kpk * 4u);
	if (!syms) {
		free(r);
		return;
	}
	const xcb_keysym_t *src = xcb_get_keyboard_mapping_keysyms(r);
	for (unsigned i = 0; i < count; i++)
		memcpy(syms + (size_t)i * kpk, src + (size_t)i * have, kpk * 4u);
	free(r);
	struct proto_msg m = {.type = PROTO_MSG_SEAM_KEYSYMS};
	m.u.keysyms = (struct proto_seam_keysyms){lo, count, kpk};
	m.data = (const uint8_t *)syms;
	m.data_len = count * kpk * 4u;
	session_send(kb->session, &m);
	free(syms);
}

void keyboard_agent_ready(struct keyboard *kb)
{
	if (!agreed(kb))
		return;
	send_layout(kb);
	send_keysyms(kb);
}

bool keyboard_event(struct keyboard *kb, const xcb_generic_event_t *ev)
{
	uint8_t type = ev->response_type & 0x7f;
	if (type == XCB_MAPPING_NOTIFY) {
		const xcb_mapping_notify_event_t *e = (const void *)ev;
		if (e->request == XCB_MAPPING_KEYBOARD && agreed(kb))
			send_keysyms(kb);
		return false; /* others may want it too */
	}
	if (type == XCB_PROPERTY_NOTIFY) {
		const xcb_property_notify_event_t *e = (const void *)ev;
		if (e->window != display_screen(kb->dp)->root || e->atom != kb->rules_names)
			return false;
		/* A new keymap: its layout, then its keysyms, which put back nothing the rules
		 * give. */
		if (agreed(kb)) {
			send_layout(kb);
			send_keysyms(kb);
		}
		return true;
	}
	return false;
}

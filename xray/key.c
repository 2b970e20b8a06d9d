/* seam-xray's secure-attention key (xray/key.h): the option's text, the keycodes, the grab. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xconn.h"
#include "xray/key.h"

/* Longer than any spec of the four modifiers and a key name. */
#define KEY_SPEC_MAX sizeof(((struct xray_key *)0)->name)
/* The X protocol's BadAccess: another client holds the grab. */
#define X_BAD_ACCESS 10
/* Lock-like modifiers the grab must ignore: CapsLock, and NumLock where X servers put it (Mod2). */
static const uint16_t lock_variants[] = {0, XCB_MOD_MASK_LOCK, XCB_MOD_MASK_2,
					 XCB_MOD_MASK_LOCK | XCB_MOD_MASK_2};
#define N_VARIANTS (sizeof(lock_variants) / sizeof(lock_variants[0]))

/* Keys by name, with their X keysyms; typing says whether the key alone enters text. */
static const struct named_key {
	const char *name;
	uint32_t keysym;
	bool typing;
} named_keys[] = {
    {"Pause", 0xff13, false},  {"Scroll_Lock", 0xff14, false}, {"Print", 0xff61, false},
    {"Escape", 0xff1b, false}, {"Menu", 0xff67, false},	       {"Break", 0xff6b, false},
    {"Insert", 0xff63, false}, {"Home", 0xff50, false},	       {"End", 0xff57, false},
    {"Delete", 0xffff, false}, {"space", 0x0020, true},	       {"Tab", 0xff09, true},
    {"Return", 0xff0d, true},
};
/* F1 is 0xffbe; F2..F12 follow it. */
#define KEYSYM_F1 0xffbeu

/* The key part of a spec: 0 with *sym and *typing, or -EINVAL. */
static int parse_key_name(const char *s, uint32_t *sym, bool *typing)
{
	if (strlen(s) == 1 && ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))) {
		*sym = (uint32_t)s[0];
		*typing = true;
		return 0;
	}
	for (size_t i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++)
		if (!strcasecmp(s, named_keys[i].name)) {
			*sym = named_keys[i].keysym;
			*typing = named_keys[i].typing;
			return 0;
		}
	if ((s[0] == 'F' || s[0] == 'f') && s[1] >= '1' && s[1] <= '9') {
		char *end;
		long n = strtol(s + 1, &end, 10);
		if (!*end && n >= 1 && n <= 12) {
			*sym = KEYSYM_F1 + (uint32_t)(n - 1);
			*typing = false;
			return 0;
		}
	}
	return -EINVAL;
}

int xray_key_parse(const char *spec, struct xray_key *out)
{
	memset(out, 0, sizeof(*out));
	char buf[KEY_SPEC_MAX];
	if (strlen(spec) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", spec);
	struct xray_key k = {0};
	bool typing = false, have_key = false;
	char *save = NULL, *part = strtok_r(buf, "-", &save), *next;
	for (; part; part = next) {
		next = strtok_r(NULL, "-", &save);
		int rc =
		    next ? xconn_modifier(part, &k.mods) : parse_key_name(part, &k.keysym, &typing);
		if (rc)
			return rc;
		have_key = !next;
	}
	if (!have_key || (typing && !k.mods))
		return -EINVAL;
	snprintf(k.name, sizeof(k.name), "%s", spec);
	*out = k;
	return 0;
}

int xray_key_resolve(struct xray_key *k, xcb_connection_t *x)
{
	int n = xconn_keycodes(x, k->keysym, k->keycodes, XRAY_KEY_KEYCODES);
	k->nkeycodes = n > 0 ? (unsigned)n : 0;
	return n < 0 ? n : n ? 0 : -ENOENT;
}

void xray_key_ungrab(const struct xray_key *k, xcb_connection_t *x, xcb_window_t root)
{
	for (unsigned i = 0; i < k->nkeycodes; i++)
		for (unsigned v = 0; v < N_VARIANTS; v++)
			xcb_ungrab_key(x, k->keycodes[i], root, k->mods | lock_variants[v]);
	xcb_flush(x);
}

int xray_key_grab(const struct xray_key *k, xcb_connection_t *x, xcb_window_t root, char *why,
		  size_t why_len)
{
	xcb_void_cookie_t cookies[XRAY_KEY_KEYCODES * N_VARIANTS];
	unsigned n = 0;
	for (unsigned i = 0; i < k->nkeycodes; i++)
		for (unsigned v = 0; v < N_VARIANTS; v++)
			cookies[n++] = xcb_grab_key_checked(x, 0, root, k->mods | lock_variants[v],
							    k->keycodes[i], XCB_GRAB_MODE_ASYNC,
							    XCB_GRAB_MODE_ASYNC);
	int rc = 0;
	for (unsigned i = 0; i < n; i++) {
		xcb_generic_error_t *e = xcb_request_check(x, cookies[i]);
		if (e && !rc)
			rc = e->error_code == X_BAD_ACCESS ? -EBUSY : -EIO;
		free(e);
	}
	if (rc) {
		/* Ungrabbing releases only this client's grabs: another client's stay. */
		xray_key_ungrab(k, x, root);
		snprintf(why, why_len,
			 rc == -EBUSY ? "the key %s is already grabbed by another client"
				      : "the X server refused to grab the key %s",
			 k->name);
	}
	return rc;
}

bool xray_key_is(const struct xray_key *k, uint8_t keycode)
{
	for (unsigned i = 0; i < k->nkeycodes; i++)
		if (k->keycodes[i] == keycode)
			return true;
	return false;
}

/* Opening an X connection (common/xconn.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/xconn.h"

/* Most atoms interned in one call: no caller needs more. */
#define XCONN_MAX_ATOMS 128u

int xconn_open(const char *display, unsigned tries, xcb_connection_t **x, xcb_screen_t **screen,
	       char *why, size_t why_len)
{
	*x = NULL;
	*screen = NULL;
	const char *name = display && *display ? display : getenv("DISPLAY");
	if (!name || !*name) {
		if (why_len)
			snprintf(why, why_len, "no X display: set DISPLAY or name one");
		return -ENOENT;
	}
	if (tries == 0)
		tries = 1;
	int screen_no = 0;
	xcb_connection_t *c = NULL;
	for (unsigned i = 0; i < tries; i++) {
		if (c) {
			xcb_disconnect(c);
			usleep(50000);
		}
		c = xcb_connect(name, &screen_no);
		if (!xcb_connection_has_error(c))
			break;
	}
	if (xcb_connection_has_error(c)) {
		xcb_disconnect(c);
		if (why_len)
			snprintf(why, why_len, "cannot connect to the X display '%s'", name);
		return -ECONNREFUSED;
	}
	xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(c));
	for (int i = 0; i < screen_no && it.rem; i++)
		xcb_screen_next(&it);
	if (screen_no < 0 || !it.rem) {
		xcb_disconnect(c);
		if (why_len)
			snprintf(why, why_len, "the X display '%s' has no screen %d", name,
				 screen_no);
		return -ENODEV;
	}
	*x = c;
	*screen = it.data;
	return 0;
}

int xconn_intern_atoms(xcb_connection_t *x, const char *const *names, unsigned n, xcb_atom_t *out)
{
	xcb_intern_atom_cookie_t cookies[XCONN_MAX_ATOMS];
	if (n > XCONN_MAX_ATOMS)
		return -EINVAL;
	for (unsigned i = 0; i < n; i++)
		cookies[i] = xcb_intern_atom(x, 0, (uint16_t)strlen(names[i]), names[i]);
	int rc = 0;
	for (unsigned i = 0; i < n; i++) {
		xcb_intern_atom_reply_t *r = xcb_intern_atom_reply(x, cookies[i], NULL);
		out[i] = r ? r->atom : XCB_ATOM_NONE;
		if (!r)
			rc = -EIO;
		free(r);
	}
	return rc;
}

xcb_atom_t xconn_intern(xcb_connection_t *x, const char *name)
{
	xcb_atom_t a;
	xconn_intern_atoms(x, &name, 1, &a);
	return a;
}

int xconn_screen_number(xcb_connection_t *x, const xcb_screen_t *screen)
{
	int n = 0;
	for (xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(x));
	     it.rem && it.data->root != screen->root; xcb_screen_next(&it))
		n++;
	return n;
}

int xconn_modifier(const char *name, uint16_t *mods)
{
	if (!strcasecmp(name, "ctrl") || !strcasecmp(name, "control"))
		*mods |= XCB_MOD_MASK_CONTROL;
	else if (!strcasecmp(name, "shift"))
		*mods |= XCB_MOD_MASK_SHIFT;
	else if (!strcasecmp(name, "alt") || !strcasecmp(name, "mod1"))
		*mods |= XCB_MOD_MASK_1;
	else if (!strcasecmp(name, "super") || !strcasecmp(name, "mod4"))
		*mods |= XCB_MOD_MASK_4;
	else
		return -EINVAL;
	return 0;
}

int xconn_keycodes(xcb_connection_t *x, uint32_t keysym, uint8_t *out, unsigned max)
{
	const xcb_setup_t *setup = xcb_get_setup(x);
	uint8_t first = setup->min_keycode, count = (uint8_t)(setup->max_keycode - first + 1);
	xcb_get_keyboard_mapping_reply_t *r =
	    xcb_get_keyboard_mapping_reply(x, xcb_get_keyboard_mapping(x, first, count), NULL);
	if (!r)
		return -EIO;
	const xcb_keysym_t *syms = xcb_get_keyboard_mapping_keysyms(r);
	unsigned per = r->keysyms_per_keycode, n = 0;
	for (unsigned code = 0; code < count && n < max; code++) {
		const xcb_keysym_t *row = syms + (size_t)code * per;
		for (unsigned level = 0; level < per; level++)
			if (row[level] == keysym) {
				out[n++] = (uint8_t)(first + code);
				break;
			}
	}
	free(r);
	return (int)n;
}

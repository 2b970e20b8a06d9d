/* The X part of window-decor: puts the host's trust properties (name, label, sanitized title and
 * class) on host windows with xcb. */
#include <stdlib.h>
#include <string.h>

#include "window-decor/decor.h"

/* Atoms that X does not predefine; interned on each call (these run per window, not per frame),
 * with all requests sent before the first reply is awaited, so one round trip per call. */
enum atom_id {
	ATOM_UTF8_STRING,
	ATOM_NET_WM_NAME,
	ATOM_NET_WM_ICON_NAME,
	ATOM_QUBES_VMNAME,
	ATOM_QUBES_LABEL,
	ATOM_QUBES_LABEL_COLOR,
	ATOM_COUNT,
};

static const char *const atom_names[ATOM_COUNT] = {
    [ATOM_UTF8_STRING] = "UTF8_STRING",
    [ATOM_NET_WM_NAME] = "_NET_WM_NAME",
    [ATOM_NET_WM_ICON_NAME] = "_NET_WM_ICON_NAME",
    [ATOM_QUBES_VMNAME] = "_QUBES_VMNAME",
    [ATOM_QUBES_LABEL] = "_QUBES_LABEL",
    [ATOM_QUBES_LABEL_COLOR] = "_QUBES_LABEL_COLOR",
};

/* Interns the atoms ids[0..n) into atoms[ids[i]]. Returns 0, or -1 if any failed (every reply is
 * still collected, so none is left queued in xcb). */
static int intern_atoms(xcb_connection_t *c, const enum atom_id *ids, size_t n,
			xcb_atom_t atoms[ATOM_COUNT])
{
	xcb_intern_atom_cookie_t cookies[ATOM_COUNT];
	int ret = 0;

	for (size_t i = 0; i < n; i++) {
		const char *name = atom_names[ids[i]];
		cookies[i] = xcb_intern_atom(c, 0, (uint16_t)strlen(name), name);
	}
	for (size_t i = 0; i < n; i++) {
		xcb_intern_atom_reply_t *r = xcb_intern_atom_reply(c, cookies[i], NULL);
		if (r && r->atom != XCB_ATOM_NONE)
			atoms[ids[i]] = r->atom;
		else
			ret = -1;
		free(r);
	}
	return ret;
}

static void set_prop(xcb_connection_t *c, xcb_window_t w, xcb_atom_t prop, xcb_atom_t type,
		     uint8_t format, size_t len, const void *data)
{
	xcb_change_property(c, XCB_PROP_MODE_REPLACE, w, prop, type, format, (uint32_t)len, data);
}

int decor_x_set_identity(xcb_connection_t *c, xcb_window_t w, const char *name,
			 const struct decor_label *label)
{
	static const enum atom_id ids[] = {ATOM_QUBES_VMNAME, ATOM_QUBES_LABEL,
					   ATOM_QUBES_LABEL_COLOR};
	xcb_atom_t atoms[ATOM_COUNT];

	if (intern_atoms(c, ids, sizeof(ids) / sizeof(ids[0]), atoms) < 0)
		return -1;
	uint8_t index = (uint8_t)label->index;
	uint32_t rgb = label->rgb;
	set_prop(c, w, atoms[ATOM_QUBES_VMNAME], XCB_ATOM_STRING, 8, strlen(name), name);
	set_prop(c, w, atoms[ATOM_QUBES_LABEL], XCB_ATOM_CARDINAL, 8, 1, &index);
	set_prop(c, w, atoms[ATOM_QUBES_LABEL_COLOR], XCB_ATOM_CARDINAL, 32, 1, &rgb);
	return 0;
}

int decor_x_set_title(xcb_connection_t *c, xcb_window_t w, const char *name,
		      const char *guest_title, size_t title_len)
{
	static const enum atom_id ids[] = {ATOM_UTF8_STRING, ATOM_NET_WM_NAME,
					   ATOM_NET_WM_ICON_NAME};
	xcb_atom_t atoms[ATOM_COUNT];
	char title[DECOR_FULL_TITLE_SIZE];

	if (intern_atoms(c, ids, sizeof(ids) / sizeof(ids[0]), atoms) < 0)
		return -1;
	size_t len = decor_format_title(name, guest_title, title_len, title, sizeof(title));
	xcb_atom_t utf8 = atoms[ATOM_UTF8_STRING];
	/* WM_NAME as UTF8_STRING rather than STRING (Latin-1): window managers read it as UTF-8,
	 * and the sanitized title is UTF-8. */
	set_prop(c, w, XCB_ATOM_WM_NAME, utf8, 8, len, title);
	set_prop(c, w, atoms[ATOM_NET_WM_NAME], utf8, 8, len, title);
	set_prop(c, w, XCB_ATOM_WM_ICON_NAME, utf8, 8, len, title);
	set_prop(c, w, atoms[ATOM_NET_WM_ICON_NAME], utf8, 8, len, title);
	return 0;
}

int decor_x_set_class(xcb_connection_t *c, xcb_window_t w, const char *name, const char *res_name,
		      size_t name_len, const char *res_class, size_t class_len)
{
	/* Both strings with their NULs, as ICCCM's WM_CLASS. */
	char both[2 * DECOR_FULL_CLASS_SIZE];
	size_t n = decor_format_class(name, res_name, name_len, both, DECOR_FULL_CLASS_SIZE) + 1;

	n += decor_format_class(name, res_class, class_len, both + n, DECOR_FULL_CLASS_SIZE) + 1;
	set_prop(c, w, XCB_ATOM_WM_CLASS, XCB_ATOM_STRING, 8, n, both);
	return 0;
}

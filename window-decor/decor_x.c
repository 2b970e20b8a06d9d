/* The X part of window-decor: puts the host's trust properties (name, label, sanitized title and
 * class) on host windows with xcb. */
#include <string.h>

#include "common/xconn.h"
#include "window-decor/decor_x.h"

static void set_prop(xcb_connection_t *c, xcb_window_t w, xcb_atom_t prop, xcb_atom_t type,
		     uint8_t format, size_t len, const void *data)
{
	xcb_change_property(c, XCB_PROP_MODE_REPLACE, w, prop, type, format, (uint32_t)len, data);
}

/* The atoms X does not predefine are interned on each call, all in one round trip: these run per
 * window, not per frame. */
int decor_x_set_identity(xcb_connection_t *c, xcb_window_t w, const char *name,
			 const struct domain_label *label)
{
	static const char *const names[] = {DECOR_X_PROP_VMNAME, DECOR_X_PROP_LABEL,
					    DECOR_X_PROP_LABEL_COLOR};
	xcb_atom_t atoms[3];

	int rc = xconn_intern_atoms(c, names, 3, atoms);
	if (rc)
		return rc;
	uint8_t index = (uint8_t)label->index;
	uint32_t rgb = label->rgb;
	set_prop(c, w, atoms[0], XCB_ATOM_STRING, 8, strlen(name), name);
	set_prop(c, w, atoms[1], XCB_ATOM_CARDINAL, 8, 1, &index);
	set_prop(c, w, atoms[2], XCB_ATOM_CARDINAL, 32, 1, &rgb);
	return 0;
}

int decor_x_set_title(xcb_connection_t *c, xcb_window_t w, const char *name,
		      const char *guest_title, size_t title_len)
{
	static const char *const names[] = {"UTF8_STRING", "_NET_WM_NAME", "_NET_WM_ICON_NAME"};
	xcb_atom_t atoms[3];
	char title[DECOR_FULL_TITLE_SIZE];

	int rc = xconn_intern_atoms(c, names, 3, atoms);
	if (rc)
		return rc;
	size_t len = decor_format_title(name, guest_title, title_len, title, sizeof(title));
	xcb_atom_t utf8 = atoms[0];
	/* WM_NAME as UTF8_STRING rather than STRING (Latin-1): window managers read it as UTF-8,
	 * and the sanitized title is UTF-8. */
	set_prop(c, w, XCB_ATOM_WM_NAME, utf8, 8, len, title);
	set_prop(c, w, atoms[1], utf8, 8, len, title);
	set_prop(c, w, XCB_ATOM_WM_ICON_NAME, utf8, 8, len, title);
	set_prop(c, w, atoms[2], utf8, 8, len, title);
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

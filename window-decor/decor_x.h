/* The X part of window-decor: the host's trust properties (name, label, sanitized title and
 * class) put on host windows with xcb. */
#ifndef SEAM_DECOR_X_H
#define SEAM_DECOR_X_H

#include <stddef.h>

#include <xcb/xcb.h>

#include "common/domain.h"
#include "window-decor/decor.h"

/* The trust properties' names (Qubes' own, so tools written for Qubes read them; seam-xray reads
 * them too). */
#define DECOR_X_PROP_VMNAME	 "_QUBES_VMNAME"
#define DECOR_X_PROP_LABEL	 "_QUBES_LABEL"
#define DECOR_X_PROP_LABEL_COLOR "_QUBES_LABEL_COLOR"

/* Put the trust properties on a host window: WM_NAME and _NET_WM_NAME (UTF8_STRING), WM_ICON_NAME
 * and _NET_WM_ICON_NAME with the full title; WM_CLASS "NAME:res_name\0NAME:res_class\0";
 * _QUBES_VMNAME (STRING), _QUBES_LABEL (CARDINAL/8, the index), _QUBES_LABEL_COLOR (CARDINAL/32,
 * 0xRRGGBB). name and label are required; a NULL guest_title, res_name or res_class counts as
 * empty. Returns 0, or -EIO if an atom could not be interned. */
int decor_x_set_identity(xcb_connection_t *c, xcb_window_t w, const char *name,
			 const struct domain_label *label);
int decor_x_set_title(xcb_connection_t *c, xcb_window_t w, const char *name,
		      const char *guest_title, size_t title_len);
int decor_x_set_class(xcb_connection_t *c, xcb_window_t w, const char *name, const char *res_name,
		      size_t name_len, const char *res_class, size_t class_len);

#endif

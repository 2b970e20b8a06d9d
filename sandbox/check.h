/* What must hold before a domain starts: a host display, bubblewrap, user namespaces. Each check
 * returns 0, or -errno with one line in why saying what is wrong and how to fix it. */
#ifndef SEAM_SANDBOX_CHECK_H
#define SEAM_SANDBOX_CHECK_H

#include <stddef.h>

#include <xcb/xcb.h>

/* Connects to the host display and reads its screen size. The caller keeps *x (xcb_disconnect)
 * open while the domain runs: the X server (21.1) can drop a new client that connects just as
 * another one leaves, and the daemon connects right after this check. Returns 0, or -errno with
 * the reason in why (xconn_open's). */
int check_host_display(const char *display, xcb_connection_t **x, unsigned *width, unsigned *height,
		       char *why, size_t why_len);

/* Finds bwrap in $PATH (into path). -ENOENT if there is none. */
int check_bwrap(char *path, size_t size, char *why, size_t why_len);

/* Whether this user may create the user namespace bubblewrap makes: -EPERM if not. */
int check_userns(const char *bwrap, char *why, size_t why_len);

#endif

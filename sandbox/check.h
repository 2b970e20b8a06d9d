/* What must hold before a domain starts: a host display, bubblewrap, user namespaces. Each check
 * prints one line saying what is wrong and how to fix it. */
#ifndef SEAM_SANDBOX_CHECK_H
#define SEAM_SANDBOX_CHECK_H

#include <stddef.h>

/* Connects to the host display ($DISPLAY) and reads its screen size. The connection stays open
 * until check_host_display_close(): the X server (21.1) can drop a new client that connects just
 * as another one leaves, and the daemon connects right after this check. Returns 0 or -1. */
int check_host_display(const char *display, unsigned *width, unsigned *height);

void check_host_display_close(void);

/* Finds bwrap in $PATH. Returns 0 or -1. */
int check_bwrap(char *path, size_t size);

/* Whether this user may create the user namespace bubblewrap makes. Returns 0 or -1. */
int check_userns(const char *bwrap);

#endif

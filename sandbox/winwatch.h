/* Inside the sandbox: watches the guest X server's top-level windows, so the owner can end a
 * disposable domain when its last window is gone, and tells when the agent has become the guest's
 * window manager (so the first command's windows are managed from the start). */
#ifndef SEAM_SANDBOX_WINWATCH_H
#define SEAM_SANDBOX_WINWATCH_H

#include <stdbool.h>
#include <stddef.h>

/* Windows tracked at once; past it, further ones are not counted (the guest only fools itself). */
#define WINWATCH_MAX 4096

struct winwatch;

/* Connects to display and starts watching. Returns 0 with *out set (winwatch_close), or -errno
 * with the reason in why (why_len bytes). */
int winwatch_open(const char *display, struct winwatch **out, char *why, size_t why_len);

/* The X connection's descriptor, for poll(). */
int winwatch_fd(const struct winwatch *w);

/* Whether a window manager (the agent) has announced itself on the root window. */
bool winwatch_wm_ready(struct winwatch *w);

/* Handles what arrived. Returns the number of mapped top-level windows that are not
 * override-redirect, or -1 when the X connection is gone. */
int winwatch_dispatch(struct winwatch *w);

void winwatch_close(struct winwatch *w);

#endif

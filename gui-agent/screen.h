/* The guest's screen following the host's (docs/protocol.md section 5.35): on SEAM_MONITOR_LAYOUT
 * the agent resizes the guest X server's screen (RandR RRSetScreenSize) and sets the host's
 * monitors there (dummy outputs, else RandR 1.5 RRSetMonitor named SEAM-0, SEAM-1, ...), which
 * GTK, Qt and window managers read, so maximized windows and menus stay within one monitor. The
 * host is not trusted blindly either: the layout is fitted to what the guest's server can be (its
 * RandR size range).
 * The server's CRTCs are switched off before the resize (nothing is scanned out, and an active one
 * would pin the screen's least size), then, where the server has an output per monitor (Xorg's
 * dummy driver), each monitor is one lit output, which GTK 3 needs. A server without RandR 1.2, or
 * one that cannot grow (Xvfb keeps its first size as its largest), is said once in the log. */
#ifndef SEAM_AGENT_SCREEN_H
#define SEAM_AGENT_SCREEN_H

#include <stdint.h>

#include "gui-agent/xctx.h"
#include "protocol/proto.h"

struct screen;

/* 0 with *out (the caller owns it: screen_destroy), or -ENOMEM. Reads the server's RandR
 * version and size range. */
int screen_create(const struct xctx *xc, struct screen **out);
/* The monitors the agent set stay (the screen keeps its last layout). NULL allowed. */
void screen_destroy(struct screen *sc);

/* SEAM_MONITOR_LAYOUT (validated): fit it to the server, resize the screen, set the monitors.
 * 0, or -ENOTSUP without RandR 1.2, -EIO if the server refused the size. */
int screen_set_layout(struct screen *sc, const struct proto_seam_monitor_layout *host);

/* The host's layout fitted to a server whose screen may be min_w x min_h to max_w x max_h:
 * each side clamped into that range, the monitors then fitted (proto_monitor_layout_fit). Public
 * for the tests. */
void screen_fit(const struct proto_seam_monitor_layout *host, uint32_t min_w, uint32_t min_h,
		uint32_t max_w, uint32_t max_h, struct proto_seam_monitor_layout *out);

#endif

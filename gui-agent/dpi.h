/* The guest's text as large as the host's (docs/protocol.md section 5.34): the host's DPI and
 * window scale from a Seam daemon that agreed the display-settings feature, set where guest
 * applications read them. Xft.dpi goes into the root's RESOURCE_MANAGER (Xft, xterm and Qt read
 * it as they start), and a minimal XSETTINGS manager publishes Xft/DPI, Gdk/WindowScalingFactor
 * and Gdk/UnscaledDPI (GTK follows them live). Where a guest desktop runs its own settings manager
 * (xsettingsd, a settings daemon), the agent leaves XSETTINGS to it and sets the resource only. */
#ifndef SEAM_AGENT_DPI_H
#define SEAM_AGENT_DPI_H

#include <stdbool.h>
#include <xcb/xcb.h>

#include "gui-agent/xctx.h"
#include "protocol/proto.h"

/* How much of the guest's RESOURCE_MANAGER the agent rewrites: past that it is left alone. */
#define DPI_RESOURCES_MAX (256u * 1024u)

struct dpi;

/* 0 with *out (the caller owns it: dpi_destroy), or -ENOMEM. */
int dpi_create(const struct xctx *xc, struct dpi **out);
/* Give up the XSETTINGS selection, if held. NULL allowed. */
void dpi_destroy(struct dpi *d);

/* SEAM_DISPLAY_SETTINGS (validated): set the resource and publish the settings. A field of 0
 * (the host does not say) leaves the guest's own value. */
void dpi_set(struct dpi *d, const struct proto_seam_display_settings *s);
/* A guest X event: true if it was the DPI's (another settings manager took the selection). */
bool dpi_handle_event(struct dpi *d, const xcb_generic_event_t *ev);

#endif

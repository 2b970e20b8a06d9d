/* The host's DPI and window scale, told to a Seam agent that agreed the display-settings feature
 * (docs/protocol.md section 5.34): Xft.dpi from the root's RESOURCE_MANAGER (xrdb), and Xft/DPI
 * and Gdk/WindowScalingFactor from the host's XSETTINGS manager where one runs (a desktop's
 * settings daemon, xsettingsd). Sent at the agent's hello and at every change, so text in the
 * guest's applications is as large as in the host's. */
#ifndef SEAM_DAEMON_DPI_H
#define SEAM_DAEMON_DPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xcb/xcb.h>

#include "gui-daemon/display.h"
#include "gui-daemon/session.h"

/* How much of RESOURCE_MANAGER and _XSETTINGS_SETTINGS is read: a desktop's are a few KiB. */
#define DPI_PROPERTY_MAX (256u * 1024u)
/* XSETTINGS entries looked at, whatever the count in the property says. */
#define DPI_XSETTINGS_MAX 4096u

struct dpi;

/* Watch the host root's resources and its XSETTINGS manager. 0 with *out (the caller owns it),
 * or -ENOMEM. */
int dpi_create(struct display *dp, struct session *s, struct dpi **out);
void dpi_destroy(struct dpi *d);

/* The agent agreed the feature: send what the host says, if it says anything. */
void dpi_agent_ready(struct dpi *d);
/* A host X event: true if it was the DPI's (a resource, settings or manager change, acted on). */
bool dpi_event(struct dpi *d, const xcb_generic_event_t *ev);

/* Parsers, public for the tests. The Xft.dpi line of a resource database (len bytes, not
 * NUL-terminated) in 1024ths of a dot per inch, or 0 without one. */
uint32_t dpi_parse_resources(const char *db, size_t len);
/* Xft/DPI (1024ths) and Gdk/WindowScalingFactor of an _XSETTINGS_SETTINGS value; each stays 0
 * where absent or malformed. */
void dpi_parse_xsettings(const uint8_t *p, size_t len, int32_t *dpi_1024, int32_t *scale);

#endif

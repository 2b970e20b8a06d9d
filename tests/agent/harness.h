/* What the agent's unit tests share: a private Xvfb per test case, the agent's components on it,
 * a second X connection playing the guest's applications, and a fake daemon at the other end of
 * a socketpair link. One pump drives them all until a condition holds. */
#ifndef SEAM_TEST_AGENT_HARNESS_H
#define SEAM_TEST_AGENT_HARNESS_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <xcb/xcb.h>

#include "gui-agent/clipboard.h"
#include "gui-agent/link.h"
#include "gui-agent/wm.h"
#include "gui-agent/xctx.h"
#include "protocol/proto.h"

/* An Xvfb started with -displayfd (it picks a free display): Check's unchecked fixture, once per
 * test case in the parent process; the forked tests inherit its name. */
void harness_xvfb_start(void);
void harness_xvfb_stop(void);
/* A test case whose tests share one such Xvfb, with a timeout fit for X round trips. */
TCase *harness_tcase(const char *name);

/* One message the fake daemon received, with a copy of its variable part. */
struct harness_msg {
	struct proto_msg m;
	uint8_t *data; /* m.data_len bytes, or NULL */
};

#define HARNESS_MAX_MSGS 256u

struct harness {
	struct xctx *xc;	     /* the agent's X connection */
	struct wm *wm;		     /* with_wm */
	struct clipboard *clipboard; /* with_link */
	xcb_connection_t *client;    /* the guest's applications */
	xcb_window_t root;
	/* Client events, for the test (may be NULL). */
	void (*client_event)(void *ctx, const xcb_generic_event_t *ev);
	void *client_ctx;
	/* The agent's events, for a component the test drives (may be NULL): true if it took one
	 * (the clipboard and wm do not see it then). */
	bool (*agent_event)(void *ctx, const xcb_generic_event_t *ev);
	void *agent_ctx;
	/* The fake daemon (with_link). */
	struct link *link;
	struct chan *host;
	struct proto_peer peer;
	uint32_t offer; /* the PROTO_SEAM_FEATURE_* its hello offers */
	bool handshake_done;
	struct harness_msg msgs[HARNESS_MAX_MSGS];
	unsigned nmsgs;
};

/* The agent's X context on the test's Xvfb; with_wm: the window manager too (before the test adds
 * listeners); with_link: a link to a Seam fake daemon, handshake done, and a clipboard. */
void harness_open(struct harness *h, bool with_wm, bool with_link);
/* The same with a link whose fake daemon offers these PROTO_SEAM_FEATURE_* (harness_open: memfd).
 */
void harness_open_offering(struct harness *h, bool with_wm, uint32_t features);
void harness_close(struct harness *h);

/* Handle the agent's X events (clipboard, then wm), the client's (client_event), the link's and
 * the fake daemon's I/O until done(ctx) is true or ms pass. Returns done's last answer (true with
 * no done after ms). */
bool harness_pump(struct harness *h, bool (*done)(void *ctx), void *ctx, int ms);
/* Pump until the fake daemon has received n messages in all. */
bool harness_wait_msgs(struct harness *h, unsigned n, int ms);
/* The first received message of type at or after index *from (which it advances past it), or
 * NULL. */
const struct harness_msg *harness_find_msg(const struct harness *h, uint32_t type, unsigned *from);

/* A client window: InputOutput child of the root. */
xcb_window_t harness_window(struct harness *h, int16_t x, int16_t y, uint16_t w, uint16_t hgt);
/* Make sure the server has processed the client's (the agent's) requests. */
void harness_sync_client(struct harness *h);
void harness_sync_agent(struct harness *h);
xcb_atom_t harness_atom(struct harness *h, const char *name);
/* The owner of selection, as the server sees it (asked on the client connection). */
xcb_window_t harness_selection_owner(struct harness *h, xcb_atom_t selection);

#endif

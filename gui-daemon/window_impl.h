/* What the files of the window component share (gui-daemon/window.c: the table, placement and the
 * messages that shape a window; window_host.c: what the host and its window manager do to them:
 * focus, full screen, moves and resizes). Private to the component: the others use window.h. */
#ifndef SEAM_DAEMON_WINDOW_IMPL_H
#define SEAM_DAEMON_WINDOW_IMPL_H

#include "common/log.h"
#include "gui-daemon/window.h"

#define B DECOR_BORDER
/* The geometries the host last told the guest, and for how long an agent's CONFIGURE equal to one
 * of them is its late echo (sent before it had the newer one), not a request: a window manager
 * making a window full screen and back, or the user dragging an edge, sends several in a row. */
#define WINDOW_ECHOES  4u
#define WINDOW_ECHO_MS 1000
/* Buckets of the id hash: a guest at the default limit has four windows a bucket. */
#define WINDOW_HASH_SIZE 256u

struct window {
	struct window_table *table;
	uint32_t id;			 /* the guest's window id: only a key into the table */
	xcb_window_t frame;		 /* label-colored, holds the content; what the WM manages */
	xcb_window_t content;		 /* child of frame at (B, B): guest pixels only */
	int32_t x, y;			 /* content position on the host root, as last agreed */
	uint32_t w, h;			 /* content size */
	int32_t guest_x, guest_y;	 /* where the guest last put it, before any clamping */
	struct proto_window_hints hints; /* the guest's size hints, as last sent */
	bool override_redirect;
	bool mapped;
	bool shown;	      /* mapped once: the host has placed it, and it stays where it is */
	bool want_fullscreen; /* asked for before it was mapped: asked for once it is */
	bool frameless;	      /* full screen without the frame (the table allows it) */
	bool docked;	      /* a tray icon (DOCK): never shown framed, never resized by the guest */
	bool urgent;	      /* the guest asked for attention: the WM_HINTS urgency it shows */
	uint32_t host_flags;  /* PROTO_FLAG_* the frame's _NET_WM_STATE had when last read */
	uint16_t config_seq;  /* sequence of our last configure of the frame (events before it are
				 stale) */
	struct proto_configure told[WINDOW_ECHOES]; /* the host's last CONFIGUREs to the guest */
	int64_t told_ms[WINDOW_ECHOES];		    /* when (mono_ms) */
	unsigned told_next;
	struct paint_window *paint;
	struct window *next;	     /* hash chain by id */
	struct window *frame_next;   /* hash chain by frame */
	struct window *content_next; /* hash chain by content */
};

struct window_table {
	struct display *dp;
	xcb_connection_t *x;
	struct paint *paint;
	struct session *session;
	const char *name;
	struct domain_label label;
	uint32_t max_windows;
	bool allow_fullscreen;
	struct window *buckets[WINDOW_HASH_SIZE];
	/* The same windows by their host windows: every host event is looked up here. */
	struct window *frame_buckets[WINDOW_HASH_SIZE];
	struct window *content_buckets[WINDOW_HASH_SIZE];
	uint32_t count;
	struct log_limit refused_limit;	 /* a guest can ask for windows past its limit at will */
	struct log_limit override_limit; /* and for popups that would cover the screen */
	/* What else a guest's windows make the table say, as often as the guest likes. */
	struct log_limit host_limit, flags_limit, debug_limit;
	/* The guest's frame that has the host's keyboard focus (NULL: none has), and the time of
	 * the user's last key or button there: a window the guest maps may take the focus only
	 * while the user is working in the guest (see window_map). */
	struct window *focused;
	xcb_timestamp_t user_time;
};

/* The host tells the guest where its window now is, and remembers it (window_late_echo). */
void window_tell_geometry(struct window *w);
/* m is a geometry the host told the guest a moment ago, but no longer has: the agent's late echo.
 */
bool window_late_echo(const struct window *w, const struct proto_configure *m);
/* The guest asks for full screen (on) or to leave it: see window_host.c. */
void window_request_fullscreen(struct window *w, bool on);

#endif

/* seam-gui-agent: the private interfaces its files share (not installed, not used elsewhere).
 *
 * The agent runs next to the guest's X server. It is the guest's window manager (wm.c, props.c),
 * moves each window's pixels into shared buffers (damage.c), talks to the host daemon (conn.c),
 * replays the host's input (input.c) and reports the pointer shape (cursor.c). main.c owns the
 * X connection, the channel and the one poll() loop that drives them all.
 */
#ifndef SEAM_AGENT_H
#define SEAM_AGENT_H

#include <pixman.h>
#include <stdbool.h>
#include <stdint.h>
#include <xcb/shm.h>
#include <xcb/xcb.h>
#include <xcb/damage.h>

#include "protocol/proto.h"
#include "shm/chan.h"

struct shmbuf;

/* Window table buckets: a guest rarely has more than a few hundred top-level windows. */
#define AGENT_WINDOW_BUCKETS 256u
/* Most GetImage requests in flight at once: enough to keep both X servers busy, few enough that
 * a flood of damage cannot queue unbounded work. */
#define AGENT_MAX_INFLIGHT 64u
/* Damaged bands closer than this many rows are fetched as one: a few extra rows cost less than
 * another request. */
#define AGENT_BAND_GAP 16

/* The atoms the agent uses, interned once at start-up (names in main.c, same order). */
enum agent_atom {
	ATOM_WM_PROTOCOLS,
	ATOM_WM_DELETE_WINDOW,
	ATOM_WM_TAKE_FOCUS,
	ATOM_WM_STATE,
	ATOM_WM_CHANGE_STATE,
	ATOM_UTF8_STRING,
	ATOM_NET_WM_NAME,
	ATOM_NET_SUPPORTED,
	ATOM_NET_SUPPORTING_WM_CHECK,
	ATOM_NET_ACTIVE_WINDOW,
	ATOM_NET_WM_STATE,
	ATOM_NET_WM_STATE_FULLSCREEN,
	ATOM_NET_WM_STATE_DEMANDS_ATTENTION,
	ATOM_NET_WM_WINDOW_TYPE,
	ATOM_CLIPBOARD,
	ATOM_TARGETS,
	ATOM_TEXT,
	ATOM_INCR,
	ATOM_SEAM_SELECTION,
	ATOM_COUNT
};

/* A window buffer: a sealed memfd the guest X server writes into (an MIT-SHM segment) and the
 * daemon reads. Reference-counted: the window's current buffer holds one reference, and every
 * dump not yet acknowledged holds one on the buffer it sent and one on the buffer it replaced. */
struct agent_buf {
	struct shmbuf *sb;    /* the memfd the guest X server writes into */
	struct shmbuf *grant; /* on vchan: grant pages the damaged rows are copied to, else NULL */
	xcb_shm_seg_t seg;
	uint64_t serial; /* never reused, so that a late GetImage reply cannot hit a newer buffer */
	uint32_t width, height, stride;
	unsigned refs;
};

/* A dump sent and not yet acknowledged by WINDOW_DUMP_ACK. */
struct agent_dump {
	struct agent_buf *buf;
	struct agent_buf *replaced; /* released with this dump's acknowledgement, or NULL */
};

struct agent_window {
	xcb_window_t id;
	struct agent_window *next; /* hash chain */

	/* Geometry in root coordinates (the parent is the root). */
	int32_t x, y;
	uint32_t width, height, border;
	bool override_redirect;
	bool mapped; /* viewable in the guest */

	/* Per-connection state. */
	bool announced; /* CREATE went out on the current connection */
	bool wait_echo; /* the id is reused before the daemon echoed its predecessor's DESTROY */
	bool name_sent; /* the daemon has the current title (a MAP after UNMAP resends it) */
	uint32_t flags_sent;	  /* PROTO_FLAG_* the daemon last heard */
	struct agent_dump *dumps; /* FIFO of dumps awaiting acknowledgement */
	unsigned dump_head, dump_count, dump_cap;
	int64_t dump_retry_at; /* no buffer could be made: when to try again (0: not waiting) */

	/* Properties (props.c). */
	struct proto_wmname name;
	struct proto_wmclass wmclass;
	struct proto_window_hints hints;
	xcb_window_t transient_for;
	xcb_atom_t type;    /* first atom of _NET_WM_WINDOW_TYPE, or XCB_NONE (logged only: the
			     * wire has no field for it) */
	bool urgent;	    /* WM_HINTS UrgencyHint */
	bool input_hint;    /* WM_HINTS input (true when absent) */
	bool delete_window; /* WM_PROTOCOLS lists WM_DELETE_WINDOW */
	bool take_focus;    /* ... and WM_TAKE_FOCUS */
	uint32_t net_state; /* PROTO_FLAG_FULLSCREEN / _DEMANDS_ATTENTION from _NET_WM_STATE */

	int64_t close_deadline; /* CLOCK_MONOTONIC ms at which to kill the client, or 0 */

	/* Pixels (damage.c). */
	xcb_damage_damage_t damage;
	xcb_pixmap_t pixmap;	 /* the named composite pixmap, or XCB_NONE */
	struct agent_buf *buf;	 /* current buffer, or NULL */
	pixman_region32_t dirty; /* damage not yet fetched, window coordinates */
};

/* A GetImage whose reply has not been seen: its SHMIMAGE goes out once the pixels are in place. */
struct agent_fetch {
	unsigned int sequence;
	xcb_window_t window;
	uint64_t buf_serial;
	struct proto_shmimage rect;
};

enum agent_conn_state {
	CONN_DOWN = 0, /* no connection */
	CONN_VERSION,  /* version sent, waiting for the daemon's */
	CONN_XCONF,    /* waiting for the xconf */
	CONN_HELLO,    /* unix: waiting for the daemon's first message (its Seam hello) */
	CONN_READY,    /* windows may travel */
};

struct agent {
	xcb_connection_t *x;
	xcb_screen_t *screen;
	xcb_window_t root;
	xcb_window_t stub; /* _NET_SUPPORTING_WM_CHECK */
	xcb_atom_t atoms[ATOM_COUNT];
	uint8_t damage_event; /* first event of DAMAGE */
	uint8_t xfixes_event; /* first event of XFIXES */
	uint8_t shm_opcode;   /* major opcode of MIT-SHM, to single out its errors */
	int close_timeout_ms;

	/* Keyboard: the modifier mapping, 8 rows of keycodes_per_modifier keycodes. */
	xcb_keycode_t *modmap;
	unsigned keycodes_per_modifier;
	xcb_window_t focus; /* the window the host last focused, or XCB_NONE */

	/* Channel. */
	struct chan *chan;
	bool unix_transport; /* memfds can travel */
	uint32_t peer_domid; /* vchan: the host's domain, to which buffers are granted */
	enum agent_conn_state state;
	uint32_t
	    negotiated; /* the daemon's version, kept until the xconf completes the handshake */
	struct proto_peer peer;
	bool memfd; /* SEAM_WINDOW_DUMP_FD agreed on this connection */
	bool warned_no_buffers;
	int64_t buf_error_at; /* when a buffer failure was last logged (retries repeat them) */
	bool dump_retries;    /* some window waits to try making its buffer again */
	xcb_window_t *zombies; /* ids whose DESTROY the daemon has not echoed yet */
	unsigned nzombies, zombies_cap;

	/* Windows. */
	struct agent_window *table[AGENT_WINDOW_BUCKETS];
	unsigned nwindows;

	/* Pixels. */
	uint64_t next_serial;
	struct agent_fetch fetches[AGENT_MAX_INFLIGHT]; /* ring */
	unsigned fetch_head, fetch_count;

	/* Clipboard (clipboard.c): what the host pasted, served as the guest's CLIPBOARD. */
	uint8_t *clip_data;
	uint32_t clip_len;
	bool clip_converting;	 /* a CLIPBOARD_REQ is waiting for the owner's answer */
	xcb_atom_t clip_target; /* the target asked for (UTF8_STRING, then STRING) */

	/* Cursor. */
	xcb_window_t pointer_window; /* the window the host pointer is over */
	uint32_t cursor;	     /* PROTO_CURSOR_* of the guest's current cursor */
	uint32_t cursor_sent;
	xcb_window_t cursor_sent_window;
	struct agent_cursor_cache *cursor_cache;
	unsigned ncursor_cache, cursor_cache_cap;
};

/* A window dimension as the wire and the buffers carry it, 1..max: X allows sizes up to 32767,
 * the protocol 16384 x 6144 (what lies beyond is not shown). */
static inline uint32_t agent_clamp_size(uint32_t v, uint32_t max)
{
	if (v < 1)
		return 1;
	return v > max ? max : v;
}

/* ---- main.c ---- */
int64_t agent_now_ms(void);

/* ---- wm.c: the window table and the window manager's X events ---- */
struct agent_window *wm_find(struct agent *a, xcb_window_t id);
/* Track the windows that exist at start-up. */
void wm_scan(struct agent *a);
/* One X event that is not DAMAGE or XFIXES. */
void wm_handle_event(struct agent *a, xcb_generic_event_t *ev);
/* Call fn on every tracked window (fn must not add or remove windows). */
void wm_for_each(struct agent *a, void (*fn)(struct agent *, struct agent_window *));
/* Forget every window (shutdown). */
void wm_free_all(struct agent *a);

/* ---- props.c: ICCCM/EWMH properties into wire form ---- */
/* Read every property the agent follows (one round trip). */
void props_read_all(struct agent *a, struct agent_window *w);
/* A PropertyNotify: re-read that property and tell the daemon what changed. */
void props_changed(struct agent *a, struct agent_window *w, xcb_atom_t atom);
/* A _NET_WM_STATE client message (add/remove/toggle FULLSCREEN or DEMANDS_ATTENTION). */
void props_net_wm_state_request(struct agent *a, struct agent_window *w, uint32_t action,
				xcb_atom_t p1, xcb_atom_t p2);
/* The PROTO_FLAG_* the window's properties ask for. */
uint32_t props_flags(const struct agent_window *w);

/* ---- conn.c: the daemon connection ---- */
/* The channel's frame check (chan_config.frame): proto_check_header() on the daemon's headers. */
int conn_frame(void *ctx, const struct proto_hdr *hdr, uint32_t *body_len, unsigned *nfds);
void conn_connected(struct agent *a);
void conn_input(struct agent *a);
void conn_disconnected(struct agent *a);
bool conn_ready(const struct agent *a);
/* Queue one message; false if it could not be (no connection, or the connection failed). */
bool conn_send(struct agent *a, const struct proto_msg *m, const int *fds, unsigned nfds);
/* Window messages; each does nothing unless the window is announced on a ready connection. */
void conn_window_created(struct agent *a, struct agent_window *w);
void conn_window_mapped(struct agent *a, struct agent_window *w);
void conn_window_unmapped(struct agent *a, struct agent_window *w);
void conn_window_destroyed(struct agent *a, struct agent_window *w);
void conn_send_configure(struct agent *a, struct agent_window *w);
void conn_send_wmname(struct agent *a, struct agent_window *w);
void conn_send_wmclass(struct agent *a, struct agent_window *w);
void conn_send_hints(struct agent *a, struct agent_window *w);
void conn_send_flags(struct agent *a, struct agent_window *w);
void conn_send_minimize(struct agent *a, struct agent_window *w);

/* ---- damage.c: the pixel path ---- */
void damage_window_init(struct agent *a, struct agent_window *w);
/* The window is gone (destroyed or reparented away): free everything, X resources included
 * unless x_gone (the X server freed them with the window). */
void damage_window_fini(struct agent *a, struct agent_window *w, bool x_gone);
/* The window was unmapped: drop its pixmap and current buffer (kept while dumps are pending). */
void damage_window_unmapped(struct agent *a, struct agent_window *w);
/* The window changed size or border, so its composite pixmap changed: a new buffer (and a dump)
 * if the size changed, and a full repaint. */
void damage_window_resized(struct agent *a, struct agent_window *w);
/* Make sure a mapped window has a buffer of its size and send a dump of it. */
void damage_dump(struct agent *a, struct agent_window *w);
/* Retry the dumps of windows whose buffer could not be made (once a second each). Returns the ms
 * until the next retry, or -1 when no window waits. */
int damage_retry_dumps(struct agent *a);
/* Ask for the whole window again. */
void damage_all(struct agent_window *w);
void damage_notify(struct agent *a, const xcb_damage_notify_event_t *ev);
/* WINDOW_DUMP_ACK: release the oldest pending dump. */
void damage_ack(struct agent *a, struct agent_window *w);
/* The connection ended: drop every pending dump (no acknowledgement will come). */
void damage_drop_pending(struct agent *a, struct agent_window *w);
/* Issue GetImage for accumulated damage; handle replies that have arrived. */
void damage_flush(struct agent *a);
void damage_poll_replies(struct agent *a);

/* ---- input.c: the host's input replayed in the guest ---- */
int input_init(struct agent *a);
void input_mapping_changed(struct agent *a);
void input_keypress(struct agent *a, struct agent_window *w, const struct proto_keypress *k);
void input_button(struct agent *a, struct agent_window *w, const struct proto_button *b);
void input_motion(struct agent *a, struct agent_window *w, const struct proto_motion *m);
void input_crossing(struct agent *a, struct agent_window *w, const struct proto_crossing *c);
void input_focus(struct agent *a, struct agent_window *w, const struct proto_focus *f);
void input_keymap(struct agent *a, const struct proto_keymap_notify *k);
void input_configure(struct agent *a, struct agent_window *w, const struct proto_configure *c);
void input_close(struct agent *a, struct agent_window *w);
/* Kill the clients whose close deadline passed; returns ms until the next deadline, or -1. */
int input_deadlines(struct agent *a);

/* ---- cursor.c ---- */
void cursor_init(struct agent *a);
void cursor_notify(struct agent *a, xcb_generic_event_t *ev);
/* The host pointer is now over w (NULL: over none of ours): send the cursor if it changed. */
void cursor_set_window(struct agent *a, struct agent_window *w);
void cursor_free(struct agent *a);

/* ---- clipboard.c: the guest's CLIPBOARD, on the daemon's request only ---- */
/* CLIPBOARD_REQ: ask the owner for the text; CLIPBOARD_DATA follows when it answers. */
void clipboard_request(struct agent *a);
/* CLIPBOARD_DATA from the daemon (already validated there): own CLIPBOARD with it. */
void clipboard_set(struct agent *a, const uint8_t *data, uint32_t len);
void clipboard_selection_notify(struct agent *a, const xcb_selection_notify_event_t *e);
void clipboard_selection_request(struct agent *a, const xcb_selection_request_event_t *e);
void clipboard_selection_clear(struct agent *a, const xcb_selection_clear_event_t *e);

#endif

/* Private to gui-daemon/: the daemon's state, shared by its files. One daemon serves one guest. */
#ifndef SEAM_DAEMON_H
#define SEAM_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include <xcb/shm.h>
#include <xcb/xcb.h>

#include "protocol/proto.h"
#include "shm/chan.h"
#include "shm/shmbuf.h"
#include "window-decor/decor_x.h"

/* Policy defaults (configurable on the command line). */
#define DAEMON_DEFAULT_MAX_WINDOWS 1024u /* a guest with more windows than this is hostile */

/* A key sequence such as Ctrl-Shift-c: modifiers and a key, found as keycodes on the host. */
#define DAEMON_KEYSEQ_KEYCODES 4u
struct daemon_keyseq {
	uint16_t mods;	  /* X modifier mask (Shift, Control, Mod1, Mod4) */
	uint32_t keysym; /* 0: the sequence is disabled */
	uint8_t keycodes[DAEMON_KEYSEQ_KEYCODES];
	unsigned nkeycodes;
};

/* Default copy/paste limit: the protocol's largest clipboard (Qubes 1.8). */
#define DAEMON_DEFAULT_CLIPBOARD_LIMIT PROTO_CLIPBOARD_MAX
#define DAEMON_MIN_CLIPBOARD_LIMIT 256u

struct daemon_opts {
	const char *name;
	struct domain_label label;
	const char *channel; /* points into channel_buf or argv */
	const char *display;
	char channel_buf[128];
	char display_buf[64];
	int verbose;
	bool no_mit_shm;
	uint32_t max_windows;
	uint64_t max_shm_bytes;
	char clipboard_dir[256]; /* the runtime directory holding the shared clipboard */
	uint32_t clipboard_limit;
	struct daemon_keyseq copy_keys, paste_keys;
};

/* One guest window and the host windows that show it. */
struct dwin {
	uint32_t id;	     /* the guest's window id: only a key into the table */
	xcb_window_t frame;  /* ours: label-colored, holds the content; what the WM manages */
	xcb_window_t content; /* child of frame at (DECOR_BORDER, DECOR_BORDER): guest pixels only */
	int32_t x, y;	     /* content position on the host root, as last agreed */
	uint32_t w, h;	     /* content size */
	bool override_redirect;
	bool mapped;
	uint16_t config_seq; /* sequence of our last configure of the frame (events before it are stale) */
	/* The window's current buffer: imported, attached to the host X server as seg. */
	struct shmbuf *buf;
	xcb_shm_seg_t seg;	 /* 0 if not attached (put_image fallback, or none yet) */
	struct shmbuf *staging;	 /* grant buffers: a memfd of ours the damaged rows are copied into */
	struct dwin *next;	 /* hash chain */
};

#define DAEMON_HASH_SIZE 256u

enum daemon_conn_state {
	CONN_WAIT_AGENT = 0, /* no agent connected */
	CONN_WAIT_VERSION,   /* connected, waiting for the agent's raw version */
	CONN_RUNNING,	     /* handshake done: framed messages */
};

struct daemon {
	struct daemon_opts opts;
	xcb_connection_t *x;
	xcb_screen_t *screen;
	xcb_gcontext_t gc;
	bool shm_fd_passing; /* the host server takes MIT-SHM segments as fds (1.2) */
	xcb_font_t cursor_font;
	/* X font cursors by glyph pair index, made on first use (0: not made yet). */
	xcb_cursor_t cursors[(PROTO_CURSOR_X11_MAX - PROTO_CURSOR_X11) / 2];
	xcb_atom_t wm_protocols, wm_delete_window;

	struct chan *chan;
	enum daemon_conn_state state;
	struct proto_peer peer;
	bool memfd_offered;
	struct shmbuf_pool *pool;

	bool backlog; /* messages are waiting that this turn did not handle */

	/* Clipboard (clipboard.c). */
	int clip_dirfd;
	uint8_t clip_swallowed;	   /* keycode whose release is ours too */
	int64_t clip_requested_at; /* when the user asked to copy (0: no copy pending) */

	struct dwin *windows[DAEMON_HASH_SIZE];
	uint32_t nwindows;
	bool quit;
};

/* options.c: defaults, the guest's configuration file, then the command line. Returns 0 to run,
 * -1 to exit with status 0 (-h, --check-config), or an exit status after a message on stderr. */
int daemon_options(int argc, char **argv, struct daemon_opts *o);

/* xconn.c: connect to the host display (d->opts.display or $DISPLAY); 0, or -1 with a line on
 * stderr. */
int daemon_connect_x(struct daemon *d);

/* conn.c: the channel and the agent's messages. */
void daemon_conn_config(struct daemon *d, struct chan_config *cfg);
/* Decode, validate and act on one message from the agent (fds: what came with it; the function
 * closes those it does not keep). A protocol violation ends the connection. */
void daemon_conn_handle(struct daemon *d, const struct proto_hdr *hdr, const uint8_t *body,
			int *fds, unsigned nfds);
/* Handle channel events and up to a turn's worth of messages (call every turn). */
void daemon_conn_event(struct daemon *d, unsigned events);
void daemon_send(struct daemon *d, const struct proto_msg *m);

/* window.c: the window table and the messages that shape windows. */
struct dwin *daemon_window_find(struct daemon *d, uint32_t id);
struct dwin *daemon_window_by_host(struct daemon *d, xcb_window_t w);
void daemon_window_create(struct daemon *d, uint32_t id, const struct proto_create *m);
void daemon_window_destroy(struct daemon *d, struct dwin *w);
void daemon_window_destroy_all(struct daemon *d);
void daemon_window_configure(struct daemon *d, struct dwin *w, const struct proto_configure *m);
void daemon_window_map(struct daemon *d, struct dwin *w, const struct proto_map_info *m);
void daemon_window_unmap(struct daemon *d, struct dwin *w);
void daemon_window_title(struct daemon *d, struct dwin *w, const struct proto_wmname *m);
void daemon_window_class(struct daemon *d, struct dwin *w, const struct proto_wmclass *m);
void daemon_window_hints(struct daemon *d, struct dwin *w, const struct proto_window_hints *m);
void daemon_window_flags(struct daemon *d, struct dwin *w, const struct proto_window_flags *m);
/* The guest's pointer shape over this window: only stock X font cursors, never guest bitmaps. */
void daemon_window_cursor(struct daemon *d, struct dwin *w, const struct proto_cursor *m);
/* The user or the window manager moved or resized the frame (a ConfigureNotify on it, whose
 * sequence number is event_seq). */
void daemon_window_host_configured(struct daemon *d, struct dwin *w, uint16_t event_seq);

/* paint.c: buffers and pixels. */
/* Take a buffer the agent sent (fd ownership passes in); 0 or -1 (logged) if refused. */
int daemon_paint_take_memfd(struct daemon *d, struct dwin *w, int fd,
			    const struct proto_seam_window_dump_fd *m);
int daemon_paint_take_grants(struct daemon *d, struct dwin *w, const struct proto_window_dump_hdr *m,
			     const uint32_t *refs, uint32_t nrefs);
/* Repaint a rectangle of the content window from the buffer (clipped to both). */
void daemon_paint_rect(struct daemon *d, struct dwin *w, int32_t x, int32_t y, uint32_t width,
		       uint32_t height);
void daemon_paint_release(struct daemon *d, struct dwin *w);

/* clipboard.c: the inter-domain clipboard. */
/* Parse "Ctrl-Shift-c" (modifiers Ctrl, Shift, Alt, Super; a letter or digit) or "none". */
int daemon_clipboard_parse_keys(const char *spec, struct daemon_keyseq *out);
void daemon_clipboard_init(struct daemon *d);
void daemon_clipboard_fini(struct daemon *d);
/* A key event on one of the guest's windows: true if it was the copy or paste sequence, which
 * is acted on and never reaches the guest. */
bool daemon_clipboard_key(struct daemon *d, struct dwin *w, uint8_t keycode, uint16_t state,
			  bool press);
/* CLIPBOARD_DATA from the agent: stored if the user asked for it and it is acceptable text. */
void daemon_clipboard_data(struct daemon *d, const uint8_t *data, uint32_t len);

/* restrict.c: least privilege once set up (Landlock where the kernel has it). */
void daemon_restrict(struct daemon *d);

/* input.c: host X events. */
void daemon_input_event(struct daemon *d, xcb_generic_event_t *ev);

#endif

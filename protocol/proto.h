/* Seam GUI protocol: wire format, limits, encode/decode and validation. No X11, no I/O.
 *
 * Wire-compatible with the Qubes OS GUI protocol 1.8: a 12-byte header {type, window,
 * untrusted_len} followed by a body whose layout depends on type. Seam's own messages
 * (PROTO_MSG_SEAM_*) are sent only once both ends have said they are Seam (see docs/protocol.md,
 * "Seam extensions").
 *
 * Everything received from a guest is hostile: proto_check_header() decides how many body bytes may
 * be read before any are, and proto_decode() turns bytes into a validated struct proto_msg or an
 * error that names the field and says whether to drop the message or close the connection.
 */
#ifndef SEAM_PROTO_H
#define SEAM_PROTO_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/frame.h"

/* Qubes puts structs on the wire in x86 host order with no conversion; Seam does the same. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error                                                                                             \
    "the Seam/Qubes GUI wire format is little-endian host order; big-endian hosts are not supported"
#endif

/* ---- Versions -------------------------------------------------------------------------------- */

#define PROTO_VERSION(major, minor) (((uint32_t)(major) << 16) | (uint32_t)(minor))
#define PROTO_VERSION_MAJOR(v)	    ((uint32_t)(v) >> 16)
#define PROTO_VERSION_MINOR(v)	    ((uint32_t)(v)&0xffffu)
/* What Seam speaks: Qubes GUI protocol 1.8. */
#define PROTO_VERSION_CURRENT PROTO_VERSION(1, 8)
/* Oldest peer Seam accepts: 1.7 has strict lengths (1.6) and WINDOW_DUMP_ACK (1.7), which Seam's
 * buffer life cycle relies on. Every maintained Qubes agent and daemon speaks 1.8. */
#define PROTO_VERSION_MIN PROTO_VERSION(1, 7)

/* ---- Message types (Qubes numbers) ----------------------------------------------------------- */

enum proto_type {
	PROTO_MSG_KEYPRESS = 124,
	PROTO_MSG_BUTTON = 125,
	PROTO_MSG_MOTION = 126,
	PROTO_MSG_CROSSING = 127,
	PROTO_MSG_FOCUS = 128,
	PROTO_MSG_RESIZE = 129, /* obsolete; decoded, never acted on */
	PROTO_MSG_CREATE = 130,
	PROTO_MSG_DESTROY = 131,
	PROTO_MSG_MAP = 132,
	PROTO_MSG_UNMAP = 133,
	PROTO_MSG_CONFIGURE = 134,
	PROTO_MSG_MFNDUMP = 135, /* deprecated; validated, then refused by Seam's daemon */
	PROTO_MSG_SHMIMAGE = 136,
	PROTO_MSG_CLOSE = 137,
	PROTO_MSG_EXECUTE = 138, /* obsolete; never executed */
	PROTO_MSG_CLIPBOARD_REQ = 139,
	PROTO_MSG_CLIPBOARD_DATA = 140,
	PROTO_MSG_WMNAME = 141,
	PROTO_MSG_KEYMAP_NOTIFY = 142,
	PROTO_MSG_DOCK = 143,
	PROTO_MSG_WINDOW_HINTS = 144,
	PROTO_MSG_WINDOW_FLAGS = 145,
	PROTO_MSG_WMCLASS = 146,
	PROTO_MSG_WINDOW_DUMP = 147,
	PROTO_MSG_CURSOR = 148,
	PROTO_MSG_WINDOW_DUMP_ACK = 149,

	/* Seam extensions: far from Qubes' range so that no future Qubes number collides. */
	PROTO_MSG_SEAM_HELLO = 0x5ea30001,
	PROTO_MSG_SEAM_WINDOW_DUMP_FD = 0x5ea30002,
	PROTO_MSG_SEAM_KEYBOARD = 0x5ea30003,
	PROTO_MSG_SEAM_KEYSYMS = 0x5ea30004,
	PROTO_MSG_SEAM_ICON = 0x5ea30005,
	PROTO_MSG_SEAM_DISPLAY_SETTINGS = 0x5ea30006,
	PROTO_MSG_SEAM_MONITOR_LAYOUT = 0x5ea30007,
	PROTO_MSG_SEAM_NOTIFY = 0x5ea30008,
};

#define PROTO_QUBES_TYPE_FIRST PROTO_MSG_KEYPRESS
#define PROTO_QUBES_TYPE_LAST  PROTO_MSG_WINDOW_DUMP_ACK

/* ---- Limits (Qubes values unless marked Seam) ------------------------------------------------ */

#define PROTO_HDR_SIZE		12u
#define PROTO_MAX_WINDOW_WIDTH	16384u
#define PROTO_MAX_WINDOW_HEIGHT 6144u
#define PROTO_BPP		32u
#define PROTO_PAGE_SIZE		4096u
#define PROTO_NUM_PAGES(bytes)	(((uint64_t)(bytes) + PROTO_PAGE_SIZE - 1) / PROTO_PAGE_SIZE)
/* Largest window buffer: 16384 x 6144 x 4 bytes = 384 MiB. */
#define PROTO_MAX_WINDOW_MEM ((uint64_t)PROTO_MAX_WINDOW_WIDTH * PROTO_MAX_WINDOW_HEIGHT * 4u)
/* One grant reference per page of the largest buffer: 98304. */
#define PROTO_MAX_GRANT_REFS ((uint32_t)PROTO_NUM_PAGES(PROTO_MAX_WINDOW_MEM))
#define PROTO_MAX_MFN_COUNT  PROTO_MAX_GRANT_REFS
/* X coordinates are INT16 on the X wire: no real window is placed outside this range. */
#define PROTO_COORD_MIN (-32768)
#define PROTO_COORD_MAX 32767
/* X window ids have their top three bits clear (X protocol, "resource IDs"). */
#define PROTO_WINDOW_ID_MAX 0x1fffffffu
/* Clipboard: 1.8 allows up to 256000 bytes; an agent sends 256001 to say "the copy was larger". */
#define PROTO_CLIPBOARD_MAX	      256000u
#define PROTO_CLIPBOARD_OVERSIZE_MARK (PROTO_CLIPBOARD_MAX + 1u)
#define PROTO_CLIPBOARD_MAX_PRE_1_8   65000u
/* Cursors: 0 is the default cursor, 0x100 + n an X font cursor glyph (even n < 154). */
#define PROTO_CURSOR_DEFAULT 0u
#define PROTO_CURSOR_X11     0x100u
#define PROTO_CURSOR_X11_MAX 0x19au
/* Largest body of each variable message. */
#define PROTO_WINDOW_DUMP_MAX_LEN (16u + 4u * PROTO_MAX_GRANT_REFS)
#define PROTO_MFNDUMP_MAX_LEN	  (28u + 4u * PROTO_MAX_MFN_COUNT)
/* Largest body of any message Seam knows (an MFNDUMP of the largest buffer; a full grant-ref
 * WINDOW_DUMP is 12 bytes shorter). */
#define PROTO_MAX_BODY_LEN PROTO_MFNDUMP_MAX_LEN
/* Seam: an agent skips daemon messages it does not know; it never skips more than this in one. */
#define PROTO_MAX_SKIP_LEN (1u << 20)

/* ---- Constants used in bodies ---------------------------------------------------------------- */

/* X event codes (X11/X.h), as they travel in the type fields of input messages. */
#define PROTO_X_KEY_PRESS      2u
#define PROTO_X_KEY_RELEASE    3u
#define PROTO_X_BUTTON_PRESS   4u
#define PROTO_X_BUTTON_RELEASE 5u
#define PROTO_X_ENTER_NOTIFY   7u
#define PROTO_X_LEAVE_NOTIFY   8u
#define PROTO_X_FOCUS_IN       9u
#define PROTO_X_FOCUS_OUT      10u
/* X event state: modifiers and buttons Shift..Button5 (13 bits) plus the XKB group (bits 13-14). */
#define PROTO_X_STATE_MAX 0x7fffu
/* Crossing/focus mode and detail upper bounds (NotifyWhileGrabbed, NotifyDetailNone). */
#define PROTO_X_CROSSING_MODE_MAX   2u
#define PROTO_X_CROSSING_DETAIL_MAX 4u
#define PROTO_X_FOCUS_MODE_MAX	    3u
#define PROTO_X_FOCUS_DETAIL_MAX    7u
#define PROTO_X_KEYCODE_MIN	    8u
#define PROTO_X_KEYCODE_MAX	    255u
#define PROTO_X_BUTTON_MAX	    255u

/* WINDOW_HINTS flags (XSizeHints bits) that travel. */
#define PROTO_HINT_USPOSITION (1u << 0)
#define PROTO_HINT_PPOSITION  (1u << 2)
#define PROTO_HINT_PMINSIZE   (1u << 4)
#define PROTO_HINT_PMAXSIZE   (1u << 5)
#define PROTO_HINT_PRESIZEINC (1u << 6)
#define PROTO_HINT_PBASESIZE  (1u << 8)
#define PROTO_HINT_ALL                                                                             \
	(PROTO_HINT_USPOSITION | PROTO_HINT_PPOSITION | PROTO_HINT_PMINSIZE |                      \
	 PROTO_HINT_PMAXSIZE | PROTO_HINT_PRESIZEINC | PROTO_HINT_PBASESIZE)

/* WINDOW_FLAGS bits. */
#define PROTO_FLAG_FULLSCREEN	     (1u << 0)
#define PROTO_FLAG_DEMANDS_ATTENTION (1u << 1)
#define PROTO_FLAG_MINIMIZE	     (1u << 2)
#define PROTO_FLAGS_SET_ALLOWED                                                                    \
	(PROTO_FLAG_FULLSCREEN | PROTO_FLAG_DEMANDS_ATTENTION | PROTO_FLAG_MINIMIZE)
#define PROTO_FLAGS_UNSET_ALLOWED (PROTO_FLAG_FULLSCREEN | PROTO_FLAG_DEMANDS_ATTENTION)

#define PROTO_WINDOW_DUMP_TYPE_GRANT_REFS 0u

/* Seam handshake. */
#define PROTO_SEAM_MAGIC   0x4d414553u /* "SEAM" in wire byte order */
#define PROTO_SEAM_VERSION 1u
/* Window buffers as sealed memfds passed beside PROTO_MSG_SEAM_WINDOW_DUMP_FD (unix: only). */
#define PROTO_SEAM_FEATURE_MEMFD (1u << 0)
/* The host's keyboard layout and keysym remappings, D->A (SEAM_KEYBOARD, SEAM_KEYSYMS). */
#define PROTO_SEAM_FEATURE_KEYBOARD (1u << 1)
/* A window's icon, A->D (SEAM_ICON), which the daemon tints with the guest's label color. */
#define PROTO_SEAM_FEATURE_ICONS (1u << 2)
/* The host's DPI and window scale, D->A (SEAM_DISPLAY_SETTINGS). */
#define PROTO_SEAM_FEATURE_DISPLAY_SETTINGS (1u << 3)
/* The host's screen size and monitor layout, D->A (SEAM_MONITOR_LAYOUT). */
#define PROTO_SEAM_FEATURE_MONITORS (1u << 4)
/* SEAM_MONITOR_LAYOUT's bounds: X coordinates are signed 16-bit, so no X screen is larger than
 * 32767 pixels a side; 16 monitors is past any desk (RandR servers rarely drive more than 8
 * outputs); a monitor's physical size up to 10 m (a video wall), 0 where unknown. */
#define PROTO_SCREEN_MAX_DIM 32767u
#define PROTO_MONITORS_MAX   16u
#define PROTO_MONITOR_MM_MAX 10000u
/* A guest application's desktop notification, A->D (SEAM_NOTIFY): the agent offers it only when
 * told to serve org.freedesktop.Notifications on the guest's session bus (seam-run's domains). */
#define PROTO_SEAM_FEATURE_NOTIFY (1u << 5)
#define PROTO_SEAM_FEATURES_KNOWN                                                                  \
	(PROTO_SEAM_FEATURE_MEMFD | PROTO_SEAM_FEATURE_KEYBOARD | PROTO_SEAM_FEATURE_ICONS |       \
	 PROTO_SEAM_FEATURE_DISPLAY_SETTINGS | PROTO_SEAM_FEATURE_MONITORS |                       \
	 PROTO_SEAM_FEATURE_NOTIFY)
/* SEAM_DISPLAY_SETTINGS' bounds: a 24 dpi projector to a 2400 dpi phone-sized panel covers every
 * screen made; GTK and Qt take integer scales, and 8 is past any screen's. */
#define PROTO_DPI_MIN		24u
#define PROTO_DPI_MAX		2400u
#define PROTO_DISPLAY_SCALE_MAX 8u
/* Keysyms per keycode in SEAM_KEYSYMS: X servers use at most 7 today (4 groups x 2 levels = 8). */
#define PROTO_KEYSYMS_PER_KEYCODE_MAX 8u
#define PROTO_KEYSYMS_MAX_LEN                                                                      \
	(sizeof(struct proto_seam_keysyms) + 248u * PROTO_KEYSYMS_PER_KEYCODE_MAX * 4u)
#define PROTO_SEAM_FORMAT_XRGB8888 0u
/* SEAM_ICON: task bars show 16 to 64 pixels, alt-tab up to 128; 256 is the largest size icon themes
 * ship. A few sizes let the window manager pick one instead of scaling. All images together hold
 * at most one 256x256 image's pixels (256 KiB), so one message stays small. */
#define PROTO_ICON_MAX_IMAGES 4u
#define PROTO_ICON_MAX_SIZE   256u
#define PROTO_ICON_MAX_PIXELS (PROTO_ICON_MAX_SIZE * PROTO_ICON_MAX_SIZE)
#define PROTO_ICON_MAX_LEN    (sizeof(struct proto_seam_icon) + 4u * PROTO_ICON_MAX_PIXELS)
/* SEAM_NOTIFY's texts, in bytes of UTF-8: an application's name is a word or two; a notification
 * server shows one line of summary and a few lines of body (the specification asks servers to
 * keep them short). Longer texts are cut by the agent at a character's boundary. */
#define PROTO_NOTIFY_MAX_APP	 64u
#define PROTO_NOTIFY_MAX_SUMMARY 256u
#define PROTO_NOTIFY_MAX_BODY	 1024u
#define PROTO_NOTIFY_MAX_LEN                                                                       \
	(sizeof(struct proto_seam_notify) + PROTO_NOTIFY_MAX_APP + PROTO_NOTIFY_MAX_SUMMARY +      \
	 PROTO_NOTIFY_MAX_BODY)

/* ---- Wire structs: natural packing, all 32-bit fields, sizes asserted ------------------------ */

struct proto_hdr {
	uint32_t type;
	uint32_t window;
	uint32_t untrusted_len;
};

struct proto_keypress {
	uint32_t type; /* PROTO_X_KEY_PRESS or _RELEASE */
	int32_t x, y;
	uint32_t state;
	uint32_t keycode;
};

struct proto_button {
	uint32_t type; /* PROTO_X_BUTTON_PRESS or _RELEASE */
	int32_t x, y;
	uint32_t state;
	uint32_t button;
};

struct proto_motion {
	int32_t x, y;
	uint32_t state;
	uint32_t is_hint;
};

struct proto_crossing {
	uint32_t type; /* PROTO_X_ENTER_NOTIFY or _LEAVE_NOTIFY */
	int32_t x, y;
	uint32_t state;
	uint32_t mode;
	uint32_t detail;
	uint32_t focus;
};

struct proto_focus {
	uint32_t type; /* PROTO_X_FOCUS_IN or _OUT */
	uint32_t mode;
	uint32_t detail;
};

struct proto_resize {
	uint32_t width, height;
};

struct proto_create {
	int32_t x, y;
	uint32_t width, height;
	uint32_t parent; /* ignored: only top-level windows travel */
	uint32_t override_redirect;
};

struct proto_map_info {
	uint32_t transient_for; /* guest window id or 0 */
	uint32_t override_redirect;
};

struct proto_configure {
	int32_t x, y;
	uint32_t width, height;
	uint32_t override_redirect;
};

struct proto_shm_cmd {
	uint32_t shmid, width, height, bpp, off, num_mfn, domid;
	/* followed by uint32_t mfns[num_mfn] */
};

struct proto_shmimage {
	int32_t x, y;
	uint32_t width, height;
};

struct proto_execute {
	char cmd[255];
};

struct proto_wmname {
	char data[128];
};

struct proto_keymap_notify {
	uint8_t keys[32];
};

struct proto_window_hints {
	uint32_t flags;
	uint32_t min_width, min_height;
	uint32_t max_width, max_height;
	uint32_t width_inc, height_inc;
	uint32_t base_width, base_height;
};

struct proto_window_flags {
	uint32_t flags_set;
	uint32_t flags_unset;
};

struct proto_wmclass {
	char res_class[64];
	char res_name[64];
};

struct proto_window_dump_hdr {
	uint32_t type; /* PROTO_WINDOW_DUMP_TYPE_GRANT_REFS */
	uint32_t width, height;
	uint32_t bpp;
	/* followed by uint32_t refs[NUM_PAGES(width * height * 4)] */
};

struct proto_cursor {
	uint32_t cursor;
};

/* Raw, header-less handshake structs. */
struct proto_version {
	uint32_t version;
};

struct proto_xconf {
	uint32_t w, h, depth, mem; /* mem in KiB */
};

/* Seam: sent first by the daemon after the xconf, answered by the agent. */
struct proto_seam_hello {
	uint32_t magic;	   /* PROTO_SEAM_MAGIC */
	uint32_t version;  /* PROTO_SEAM_VERSION */
	uint32_t features; /* PROTO_SEAM_FEATURE_* the sender offers (daemon) or uses (agent) */
};

/* Seam: a window buffer as a sealed memfd, passed with SCM_RIGHTS beside this message. */
struct proto_seam_window_dump_fd {
	uint32_t width, height;
	uint32_t stride; /* must be width * 4 */
	uint32_t format; /* PROTO_SEAM_FORMAT_XRGB8888 */
};

/* Seam: the host's XKB rules, model, layouts, variants and options (the _XKB_RULES_NAMES of its
 * root window), for the agent to compile the same keymap in the guest. Each field is NUL-terminated
 * and holds only letters, digits and "_+-,:().", not starting with '-'. */
struct proto_seam_keyboard {
	char rules[64];
	char model[64];
	char layout[128];
	char variant[128];
	char options[256];
};

/* Seam: the keysyms the host has on count keycodes from first_keycode, keysyms_per_keycode each,
 * where they differ from what the rules give (a remapping, as xdotool and input methods make).
 * Followed by count * keysyms_per_keycode u32 keysyms. */
struct proto_seam_keysyms {
	uint32_t first_keycode;
	uint32_t count;
	uint32_t keysyms_per_keycode;
};

/* Seam: a window's icon, as _NET_WM_ICON holds it: count images, whose sizes are here (unused
 * entries zero), followed by their pixels, image after image, rows top to bottom, each pixel a u32
 * 0xAARRGGBB (alpha not premultiplied). count 0: the window has no icon (any more). */
struct proto_seam_icon_size {
	uint32_t width, height;
};
struct proto_seam_icon {
	uint32_t count;
	struct proto_seam_icon_size sizes[PROTO_ICON_MAX_IMAGES];
};

/* Seam: the host's resolution for text and its window scale, as its desktop tells applications
 * (Xft.dpi, XSETTINGS Xft/DPI and Gdk/WindowScalingFactor). 0 in a field: the host does not say. */
struct proto_seam_display_settings {
	uint32_t dpi_1024; /* dots per inch x 1024: 0 or PROTO_DPI_MIN..PROTO_DPI_MAX x 1024 */
	uint32_t scale;	   /* 0..PROTO_DISPLAY_SCALE_MAX */
};

/* Seam: the host's screen and its monitors (RandR 1.5 monitors, or one covering the screen), so the
 * guest's screen has the same size and its toolkits keep maximized windows and menus within one
 * monitor. Monitors past count are all zero. */
struct proto_seam_monitor {
	uint32_t x, y, width, height; /* within the screen, width and height at least 1 */
	uint32_t mm_width, mm_height; /* 0..PROTO_MONITOR_MM_MAX, 0: unknown */
};
struct proto_seam_monitor_layout {
	uint32_t width, height; /* the screen: 1..PROTO_SCREEN_MAX_DIM */
	uint32_t count;		/* 1..PROTO_MONITORS_MAX */
	uint32_t primary;	/* the primary monitor's index, < count */
	struct proto_seam_monitor monitors[PROTO_MONITORS_MAX];
};

/* Seam: a desktop notification of a guest application (org.freedesktop.Notifications' Notify), to
 * be shown on the host under the guest's name. Followed by app_len + summary_len + body_len bytes:
 * the application's name, the summary and the body, each UTF-8 without NUL and without terminator
 * (the body may hold the markup the specification allows; the receiver strips it). */
struct proto_seam_notify {
	uint32_t app_len;     /* 0..PROTO_NOTIFY_MAX_APP */
	uint32_t summary_len; /* 0..PROTO_NOTIFY_MAX_SUMMARY */
	uint32_t body_len;    /* 0..PROTO_NOTIFY_MAX_BODY */
};

_Static_assert(sizeof(struct proto_hdr) == 12, "msg_hdr");
_Static_assert(sizeof(struct proto_keypress) == 20, "msg_keypress");
_Static_assert(sizeof(struct proto_button) == 20, "msg_button");
_Static_assert(sizeof(struct proto_motion) == 16, "msg_motion");
_Static_assert(sizeof(struct proto_crossing) == 28, "msg_crossing");
_Static_assert(sizeof(struct proto_focus) == 12, "msg_focus");
_Static_assert(sizeof(struct proto_resize) == 8, "msg_resize");
_Static_assert(sizeof(struct proto_create) == 24, "msg_create");
_Static_assert(sizeof(struct proto_map_info) == 8, "msg_map_info");
_Static_assert(sizeof(struct proto_configure) == 20, "msg_configure");
_Static_assert(sizeof(struct proto_shm_cmd) == 28, "shm_cmd");
_Static_assert(sizeof(struct proto_shmimage) == 16, "msg_shmimage");
_Static_assert(sizeof(struct proto_execute) == 255, "msg_execute");
_Static_assert(sizeof(struct proto_wmname) == 128, "msg_wmname");
_Static_assert(sizeof(struct proto_keymap_notify) == 32, "msg_keymap_notify");
_Static_assert(sizeof(struct proto_window_hints) == 36, "msg_window_hints");
_Static_assert(sizeof(struct proto_window_flags) == 8, "msg_window_flags");
_Static_assert(sizeof(struct proto_wmclass) == 128, "msg_wmclass");
_Static_assert(sizeof(struct proto_window_dump_hdr) == 16, "msg_window_dump_hdr");
_Static_assert(sizeof(struct proto_cursor) == 4, "msg_cursor");
_Static_assert(sizeof(struct proto_version) == 4, "msg_version");
_Static_assert(sizeof(struct proto_xconf) == 16, "msg_xconf");
_Static_assert(sizeof(struct proto_seam_hello) == 12, "seam hello");
_Static_assert(sizeof(struct proto_seam_window_dump_fd) == 16, "seam window dump fd");
_Static_assert(sizeof(struct proto_seam_keyboard) == 640, "seam keyboard");
_Static_assert(sizeof(struct proto_seam_keysyms) == 12, "seam keysyms");
_Static_assert(sizeof(struct proto_seam_icon) == 36, "seam icon");
_Static_assert(PROTO_ICON_MAX_LEN <= PROTO_MAX_BODY_LEN, "an icon fits every receive buffer");
_Static_assert(sizeof(struct proto_seam_display_settings) == 8, "seam display settings");
_Static_assert(sizeof(struct proto_seam_monitor_layout) == 16 + 24 * PROTO_MONITORS_MAX,
	       "seam monitor layout");
_Static_assert(sizeof(struct proto_seam_notify) == 12, "seam notify");
_Static_assert(PROTO_MAX_GRANT_REFS == 98304, "MAX_GRANT_REFS_COUNT");
_Static_assert(PROTO_WINDOW_DUMP_MAX_LEN + PROTO_HDR_SIZE == 393244,
	       "QUBES_MAX_MSG_WINDOW_DUMP_LEN");

/* ---- Decoded messages and errors ------------------------------------------------------------- */

/* Who sent a message: the agent (untrusted, in the guest) or the daemon (the host). */
enum proto_dir {
	PROTO_FROM_AGENT = 1,
	PROTO_FROM_DAEMON = 2,
};

/* What a receiver does with a message. */
enum proto_verdict {
	PROTO_OK = 0,
	PROTO_DROP,  /* ignore this message, log it, keep the connection */
	PROTO_SKIP,  /* (agent only) unknown daemon message: read and discard the body */
	PROTO_FATAL, /* protocol violation: log it and close the connection */
};

struct proto_error {
	enum proto_verdict verdict;
	uint32_t type;
	const char *field; /* the offending field ("untrusted_len", "width", ...) */
	char text[160];	   /* one line for the log: message, field, value, allowed range */
};

/* What both ends agreed on; the validation of some messages depends on it. */
struct proto_peer {
	uint32_t version;	/* negotiated Qubes protocol version, 0 before the handshake */
	bool seam_hello_sent;	/* this end has sent PROTO_MSG_SEAM_HELLO */
	bool seam;		/* the other end answered with PROTO_MSG_SEAM_HELLO (only once) */
	uint32_t seam_features; /* agreed PROTO_SEAM_FEATURE_* (0 unless seam) */
};

struct proto_msg {
	uint32_t type;
	uint32_t window;
	union {
		struct proto_keypress keypress;
		struct proto_button button;
		struct proto_motion motion;
		struct proto_crossing crossing;
		struct proto_focus focus;
		struct proto_resize resize;
		struct proto_create create;
		struct proto_map_info map;
		struct proto_configure configure;
		struct proto_shm_cmd shm_cmd;
		struct proto_shmimage shmimage;
		struct proto_execute execute;
		struct proto_wmname wmname;
		struct proto_keymap_notify keymap;
		struct proto_window_hints hints;
		struct proto_window_flags flags;
		struct proto_wmclass wmclass;
		struct proto_window_dump_hdr dump;
		struct proto_cursor cursor;
		struct proto_seam_hello hello;
		struct proto_seam_window_dump_fd dump_fd;
		struct proto_seam_keyboard keyboard;
		struct proto_seam_keysyms keysyms;
		struct proto_seam_icon icon;
		struct proto_seam_display_settings display_settings;
		struct proto_seam_notify notify;
		struct proto_seam_monitor_layout monitors;
	} u;
	/* Variable part: clipboard bytes, grant refs, MFNs, keysyms or icon pixels. After
	 * proto_decode() it points into the body buffer the caller passed (not copied); for
	 * proto_encode() it is read from. */
	const uint8_t *data;
	uint32_t data_len; /* in bytes */
};

/* ---- Framing --------------------------------------------------------------------------------- */

/* The GUI protocol's table for the framing kit (protocol/frame.h): every type, who sends it (the
 * kit's senders are enum proto_dir values), its body's bounds and its fds. */
extern const struct frame_proto proto_frames;

void proto_hdr_decode(const uint8_t buf[PROTO_HDR_SIZE], struct proto_hdr *out);
void proto_hdr_encode(const struct proto_hdr *hdr, uint8_t buf[PROTO_HDR_SIZE]);

/* Decide from the header alone whether and how much body to read. On PROTO_OK *body_len is the
 * exact body length to read; on PROTO_SKIP (agent only) it is the number of bytes to read and
 * discard. On PROTO_DROP the body (*body_len bytes) must still be read and discarded to stay in
 * frame. On PROTO_FATAL nothing more may be read and err says why. `from` is who sent the message.
 */
enum proto_verdict proto_check_header(const struct proto_peer *peer, enum proto_dir from,
				      const struct proto_hdr *hdr, uint32_t *body_len,
				      struct proto_error *err);

/* Decode and validate one message whose header passed proto_check_header() with PROTO_OK and whose
 * body_len bytes have been read. nfds is how many file descriptors arrived beside it. On PROTO_OK
 * *out is filled (out->data points into body). Otherwise err says which field failed. */
enum proto_verdict proto_decode(const struct proto_peer *peer, enum proto_dir from,
				const struct proto_hdr *hdr, const uint8_t *body, uint32_t body_len,
				unsigned nfds, struct proto_msg *out, struct proto_error *err);

/* Number of bytes proto_encode() writes for msg (header included), or 0 if msg->type is unknown. */
size_t proto_encoded_len(const struct proto_msg *msg);

/* Write header + body of msg into buf. Returns the number of bytes written, or 0 if msg->type is
 * unknown or cap is too small. untrusted_len is computed, never taken from the caller. */
size_t proto_encode(const struct proto_msg *msg, uint8_t *buf, size_t cap);

/* Number of fds that travel beside a message of this type (1 for SEAM_WINDOW_DUMP_FD, else 0). */
unsigned proto_fds_for_type(uint32_t type);

/* "CREATE", "WINDOW_DUMP", ... or "unknown". */
const char *proto_type_name(uint32_t type);

/* Fill err (if not NULL) with verdict and a framing kit's reason; returns verdict. */
enum proto_verdict proto_error_from_frame(struct proto_error *err, enum proto_verdict verdict,
					  const struct frame_error *fe);

/* Fill err (if not NULL) for a message of protocol p: the verdict, the type, the field and the
 * reason in the kit's shape ("<prefix><NAME>.<field>: ..."). Returns -1. Every validator of the
 * GUI and audio protocols reports through it. */
int proto_error_vset(struct proto_error *err, enum proto_verdict verdict,
		     const struct frame_proto *p, uint32_t type, const char *field, const char *fmt,
		     va_list ap) __attribute__((format(printf, 6, 0)));

/* ---- Handshake ------------------------------------------------------------------------------- */

/* Daemon side: from the agent's raw version, the version both will speak. Fails (FATAL) on another
 * major version or a minor older than PROTO_VERSION_MIN. */
int proto_negotiate_daemon(uint32_t agent_version, uint32_t *negotiated, struct proto_error *err);

/* Agent side: check the version the daemon answered with (same major, not newer than ours, not
 * older than PROTO_VERSION_MIN). */
int proto_negotiate_agent(uint32_t daemon_version, struct proto_error *err);

/* The xconf a daemon sends for a host root of w x h at depth: w and h are clamped to 16384, w is
 * rounded up to a multiple of 8 and mem is the KiB a screen of that size needs, as Qubes does. */
void proto_xconf_make(uint32_t root_w, uint32_t root_h, uint32_t depth, struct proto_xconf *out);

/* Bring a received xconf into bounds, never refusing it (Qubes' agent ignores the xconf, so Qubes'
 * daemon sends its screen as it is): w becomes a multiple of 8 in [8, 16384], h is clamped to
 * [1, 16384], mem to what a 16384 x 16384 screen needs; a depth other than 24 or 32 is kept. The
 * first adjustment (or an unusual depth) is noted in err (verdict PROTO_OK, err->field set; NULL
 * when there was nothing to say). Returns 0. */
int proto_validate_xconf(struct proto_xconf *x, struct proto_error *err);

/* Seam handshake: the features this end offers intersected with the hello it received. Validates
 * the hello (magic, version); unknown feature bits are ignored, as capability bits are. */
int proto_seam_accept_hello(const struct proto_seam_hello *hello, uint32_t offered,
			    uint32_t *agreed, struct proto_error *err);

/* ---- One validation function per message ----------------------------------------------------- */
/* Each returns 0, or -1 with err filled (field named, verdict set). Those taking a peer depend on
 * the negotiated version or features. Some normalise fields that carry no meaning (documented per
 * function in docs/protocol.md): create.parent is zeroed, unflagged hint fields are zeroed. Where
 * Qubes' peers adjust rather than refuse (geometry clamped, one bad hint dropped, unknown flag bits
 * ignored, a garbage transient_for taken as none), these adjust too, return 0, and note the first
 * adjustment in err with verdict PROTO_OK and err->field set (NULL when nothing was adjusted): a
 * receiver may log it, rate-limited. */

int proto_validate_keypress(const struct proto_keypress *m, struct proto_error *err);
int proto_validate_button(const struct proto_button *m, struct proto_error *err);
int proto_validate_motion(const struct proto_motion *m, struct proto_error *err);
int proto_validate_crossing(const struct proto_crossing *m, struct proto_error *err);
int proto_validate_focus(const struct proto_focus *m, struct proto_error *err);
int proto_validate_resize(const struct proto_resize *m, struct proto_error *err);
int proto_validate_create(struct proto_create *m, struct proto_error *err);
int proto_validate_map(struct proto_map_info *m, struct proto_error *err);
int proto_validate_configure(struct proto_configure *m, struct proto_error *err);
int proto_validate_mfndump(const struct proto_shm_cmd *m, uint32_t mfn_bytes,
			   struct proto_error *err);
int proto_validate_shmimage(const struct proto_shmimage *m, struct proto_error *err);
int proto_validate_execute(const struct proto_execute *m, struct proto_error *err);
/* The most bytes one CLIPBOARD_DATA may carry at a negotiated version: 65000 before 1.8, and from
 * 1.8 on PROTO_CLIPBOARD_OVERSIZE_MARK, whose last byte only says "larger than the maximum". A
 * longer message is a protocol violation (Qubes' daemon exits on it). */
uint32_t proto_clipboard_max(uint32_t version);
int proto_validate_clipboard_data(const struct proto_peer *peer, uint32_t len,
				  struct proto_error *err);
int proto_validate_wmname(const struct proto_wmname *m, struct proto_error *err);
int proto_validate_keymap_notify(const struct proto_keymap_notify *m, struct proto_error *err);
int proto_validate_window_hints(struct proto_window_hints *m, struct proto_error *err);
int proto_validate_window_flags(struct proto_window_flags *m, enum proto_dir from,
				struct proto_error *err);
int proto_validate_wmclass(const struct proto_wmclass *m, struct proto_error *err);
int proto_validate_window_dump(const struct proto_window_dump_hdr *m, uint32_t refs_bytes,
			       struct proto_error *err);
int proto_validate_cursor(const struct proto_cursor *m, struct proto_error *err);
int proto_validate_seam_hello(const struct proto_seam_hello *m, struct proto_error *err);
int proto_validate_seam_keyboard(const struct proto_seam_keyboard *m, struct proto_error *err);
int proto_validate_seam_keysyms(const struct proto_seam_keysyms *m, uint32_t keysym_bytes,
				struct proto_error *err);
/* count in [0, PROTO_ICON_MAX_IMAGES]; each used size in [1, PROTO_ICON_MAX_SIZE] both ways, each
 * unused one 0x0; pixel_bytes exactly 4 bytes per pixel of the used sizes. */
int proto_validate_seam_icon(const struct proto_seam_icon *m, uint32_t pixel_bytes,
			     struct proto_error *err);
int proto_validate_seam_display_settings(const struct proto_seam_display_settings *m,
					 struct proto_error *err);
/* Make l a valid layout for a screen of width x height (each clamped to 1..PROTO_SCREEN_MAX_DIM):
 * the first count (at most PROTO_MONITORS_MAX) monitors clipped to the screen, empty ones dropped,
 * the primary kept where it survives, physical sizes past the bound taken as unknown, entries past
 * count zeroed; no monitor left: one covering the screen. The daemon makes what RandR says into a
 * layout with it, and the agent fits the host's layout to what its X server can be. */
void proto_monitor_layout_fit(struct proto_seam_monitor_layout *l, uint32_t width, uint32_t height);
/* Also the daemon's own check of what it reads from the host before sending it. */
int proto_validate_seam_monitor_layout(const struct proto_seam_monitor_layout *m,
				       struct proto_error *err);
int proto_validate_seam_window_dump_fd(const struct proto_seam_window_dump_fd *m,
				       struct proto_error *err);
/* Each length within its PROTO_NOTIFY_MAX_*, together exactly text_len; each text well-formed UTF-8
 * without NUL. */
int proto_validate_seam_notify(const struct proto_seam_notify *m, const uint8_t *text,
			       uint32_t text_len, struct proto_error *err);
/* Messages without a body (DESTROY, UNMAP, CLOSE, CLIPBOARD_REQ, DOCK, WINDOW_DUMP_ACK) have
 * nothing to validate beyond their header, which proto_check_header() does. */

/* ---- Cursor names (cursor.c) ----------------------------------------------------------------- */

/* The X cursor font's name of a CURSOR value's glyph ("xterm" for PROTO_CURSOR_X11 + 152), which is
 * also the name X cursor themes give that shape; NULL for PROTO_CURSOR_DEFAULT and for any value
 * proto_validate_cursor() refuses. */
const char *proto_cursor_name(uint32_t cursor);
/* The CURSOR value of the glyph the X cursor font calls name (exactly, case included), or
 * PROTO_CURSOR_DEFAULT. */
uint32_t proto_cursor_from_name(const char *name);

/* ---- Text from a guest (utf8.c, clipboard.c) ---------------------------------------------------
 */

/* Decodes one character of in[0..len) (len >= 1) as well-formed UTF-8 (RFC 3629: no overlongs,
 * surrogates or code points past U+10FFFF). Returns the bytes consumed (at least 1); *cp is the
 * code point, or -1 when those bytes are an ill-formed sequence (its maximal subpart). */
size_t proto_utf8_decode(const uint8_t *in, size_t len, int32_t *cp);
/* C0 and C1 controls and DEL. */
bool proto_utf8_is_control(int32_t cp);

/* Clipboard text crossing between domains: well-formed UTF-8 or refused (-EILSEQ); C0 controls
 * other than tab and newline, DEL and C1 controls are removed (so CR LF becomes LF), nothing else
 * changes. out may equal in (it never grows); returns the length written. */
long proto_clipboard_sanitize(const uint8_t *in, size_t len, uint8_t *out);

/* A notification's text as the host may show it (notify.c): markup removed (everything from '<' to
 * the next '>'; an unclosed '<' is dropped alone), the entities &amp; &quot; &apos; decoded, &lt;
 * and &gt; shown as U+2039 and U+203A (so that no '<' or '>' reaches the host's server, which may
 * read markup), other entities dropped; controls removed (a newline kept when multiline, else a
 * space, a tab a space), and so are the bidirectional overrides and isolates (U+202A..U+202E,
 * U+2066..U+2069), which can make text read backwards; ill-formed UTF-8 dropped. At most size - 1
 * bytes, cut at a character's boundary, NUL-terminated (size >= 1). Returns the length written. */
size_t proto_notify_clean(const uint8_t *in, size_t len, bool multiline, char *out, size_t size);

#endif

/* Framing: the GUI protocol's table for the framing kit, its header policy, decode and encode. */
#include <errno.h>
#include <string.h>

#include "internal.h"

/* The GUI protocol's own rules per type (frame_type.flags). */
#define F_WINDOW   (1u << 0) /* header.window names a guest window (1..PROTO_WINDOW_ID_MAX) */
#define F_SEAM	   (1u << 1) /* a Seam extension: only once the hello exchange allows it */
#define F_MEMFD	   (1u << 2) /* Seam: only once PROTO_SEAM_FEATURE_MEMFD was agreed */
#define F_KEYBOARD (1u << 3) /* Seam: only once PROTO_SEAM_FEATURE_KEYBOARD was agreed */
#define F_ICONS	   (1u << 4) /* Seam: only once PROTO_SEAM_FEATURE_ICONS was agreed */
#define F_DPI	   (1u << 5) /* Seam: only once PROTO_SEAM_FEATURE_DISPLAY_SETTINGS was agreed */
#define F_MONITORS (1u << 6) /* Seam: only once PROTO_SEAM_FEATURE_MONITORS was agreed */
#define F_NOTIFY   (1u << 7) /* Seam: only once PROTO_SEAM_FEATURE_NOTIFY was agreed */

#define A	FRAME_SENDER(PROTO_FROM_AGENT)
#define D	FRAME_SENDER(PROTO_FROM_DAEMON)
#define EMPTY	FRAME_FIXED(0)
#define BODY(s) FRAME_FIXED(sizeof(struct s))
/* A fixed part, then 4-byte grant refs or MFNs up to the largest window's. */
#define WORDS(s, max) FRAME_VARIABLE(sizeof(struct s), 4u, sizeof(struct s), max)
/* The 1.8 bound; proto_check_header() applies the older versions' lower one. */
#define CLIPBOARD FRAME_VARIABLE(0u, 1u, 0u, PROTO_CLIPBOARD_OVERSIZE_MARK)

/* Sorted by type; Seam's entries last. */
static const struct frame_type gui_types[] = {
    {PROTO_MSG_KEYPRESS, "KEYPRESS", D, BODY(proto_keypress), 0, F_WINDOW},
    {PROTO_MSG_BUTTON, "BUTTON", D, BODY(proto_button), 0, F_WINDOW},
    {PROTO_MSG_MOTION, "MOTION", D, BODY(proto_motion), 0, F_WINDOW},
    {PROTO_MSG_CROSSING, "CROSSING", D, BODY(proto_crossing), 0, F_WINDOW},
    {PROTO_MSG_FOCUS, "FOCUS", D, BODY(proto_focus), 0, F_WINDOW},
    {PROTO_MSG_RESIZE, "RESIZE", D, BODY(proto_resize), 0, F_WINDOW},
    {PROTO_MSG_CREATE, "CREATE", A, BODY(proto_create), 0, F_WINDOW},
    {PROTO_MSG_DESTROY, "DESTROY", A | D, EMPTY, 0, F_WINDOW},
    {PROTO_MSG_MAP, "MAP", A | D, BODY(proto_map_info), 0, F_WINDOW},
    {PROTO_MSG_UNMAP, "UNMAP", A, EMPTY, 0, F_WINDOW},
    {PROTO_MSG_CONFIGURE, "CONFIGURE", A | D, BODY(proto_configure), 0, F_WINDOW},
    {PROTO_MSG_MFNDUMP, "MFNDUMP", A, WORDS(proto_shm_cmd, PROTO_MFNDUMP_MAX_LEN), 0, F_WINDOW},
    {PROTO_MSG_SHMIMAGE, "SHMIMAGE", A, BODY(proto_shmimage), 0, F_WINDOW},
    {PROTO_MSG_CLOSE, "CLOSE", D, EMPTY, 0, F_WINDOW},
    {PROTO_MSG_EXECUTE, "EXECUTE", D, BODY(proto_execute), 0, 0},
    {PROTO_MSG_CLIPBOARD_REQ, "CLIPBOARD_REQ", D, EMPTY, 0, 0},
    {PROTO_MSG_CLIPBOARD_DATA, "CLIPBOARD_DATA", A | D, CLIPBOARD, 0, 0},
    {PROTO_MSG_WMNAME, "WMNAME", A, BODY(proto_wmname), 0, F_WINDOW},
    {PROTO_MSG_KEYMAP_NOTIFY, "KEYMAP_NOTIFY", D, BODY(proto_keymap_notify), 0, 0},
    {PROTO_MSG_DOCK, "DOCK", A, EMPTY, 0, F_WINDOW},
    {PROTO_MSG_WINDOW_HINTS, "WINDOW_HINTS", A, BODY(proto_window_hints), 0, F_WINDOW},
    {PROTO_MSG_WINDOW_FLAGS, "WINDOW_FLAGS", A | D, BODY(proto_window_flags), 0, F_WINDOW},
    {PROTO_MSG_WMCLASS, "WMCLASS", A, BODY(proto_wmclass), 0, F_WINDOW},
    {PROTO_MSG_WINDOW_DUMP, "WINDOW_DUMP", A,
     WORDS(proto_window_dump_hdr, PROTO_WINDOW_DUMP_MAX_LEN), 0, F_WINDOW},
    {PROTO_MSG_CURSOR, "CURSOR", A, BODY(proto_cursor), 0, F_WINDOW},
    {PROTO_MSG_WINDOW_DUMP_ACK, "WINDOW_DUMP_ACK", D, EMPTY, 0, F_WINDOW},
    {PROTO_MSG_SEAM_HELLO, "SEAM_HELLO", A | D, BODY(proto_seam_hello), 0, F_SEAM},
    {PROTO_MSG_SEAM_WINDOW_DUMP_FD, "SEAM_WINDOW_DUMP_FD", A, BODY(proto_seam_window_dump_fd), 1,
     F_WINDOW | F_SEAM | F_MEMFD},
    {PROTO_MSG_SEAM_KEYBOARD, "SEAM_KEYBOARD", D, BODY(proto_seam_keyboard), 0,
     F_SEAM | F_KEYBOARD},
    {PROTO_MSG_SEAM_KEYSYMS, "SEAM_KEYSYMS", D,
     FRAME_VARIABLE(sizeof(struct proto_seam_keysyms), 4u, sizeof(struct proto_seam_keysyms) + 4u,
		    PROTO_KEYSYMS_MAX_LEN),
     0, F_SEAM | F_KEYBOARD},
    {PROTO_MSG_SEAM_ICON, "SEAM_ICON", A,
     FRAME_VARIABLE(sizeof(struct proto_seam_icon), 4u, sizeof(struct proto_seam_icon),
		    PROTO_ICON_MAX_LEN),
     0, F_WINDOW | F_SEAM | F_ICONS},
    {PROTO_MSG_SEAM_DISPLAY_SETTINGS, "SEAM_DISPLAY_SETTINGS", D, BODY(proto_seam_display_settings),
     0, F_SEAM | F_DPI},
    {PROTO_MSG_SEAM_MONITOR_LAYOUT, "SEAM_MONITOR_LAYOUT", D, BODY(proto_seam_monitor_layout), 0,
     F_SEAM | F_MONITORS},
    {PROTO_MSG_SEAM_NOTIFY, "SEAM_NOTIFY", A,
     FRAME_VARIABLE(sizeof(struct proto_seam_notify), 1u, sizeof(struct proto_seam_notify),
		    PROTO_NOTIFY_MAX_LEN),
     0, F_SEAM | F_NOTIFY},
};

const struct frame_proto proto_frames = {
    .prefix = "",
    .hdr_words = PROTO_HDR_SIZE / 4u,
    .types = gui_types,
    .ntypes = sizeof(gui_types) / sizeof(gui_types[0]),
};

const char *proto_type_name(uint32_t type)
{
	return frame_type_name(&proto_frames, type);
}

unsigned proto_fds_for_type(uint32_t type)
{
	return frame_fds(&proto_frames, type);
}

void proto_hdr_decode(const uint8_t buf[PROTO_HDR_SIZE], struct proto_hdr *out)
{
	struct frame_hdr h;
	frame_hdr_decode(&proto_frames, buf, &h);
	*out = (struct proto_hdr){h.type, h.arg[0], h.untrusted_len};
}

void proto_hdr_encode(const struct proto_hdr *hdr, uint8_t buf[PROTO_HDR_SIZE])
{
	struct frame_hdr h = {.type = hdr->type, .untrusted_len = hdr->untrusted_len};
	h.arg[0] = hdr->window;
	frame_hdr_encode(&proto_frames, &h, buf);
}

enum proto_verdict proto_error_from_frame(struct proto_error *err, enum proto_verdict verdict,
					  const struct frame_error *fe)
{
	if (err) {
		err->verdict = verdict;
		err->type = fe->type;
		err->field = fe->field;
		memcpy(err->text, fe->text, sizeof(err->text));
	}
	return verdict;
}

/* May this sender use this Seam message now? */
static bool seam_allowed(const struct proto_peer *peer, enum proto_dir from,
			 const struct frame_type *row)
{
	if (!(row->flags & F_SEAM))
		return true;
	if (row->type == PROTO_MSG_SEAM_HELLO)
		/* The daemon speaks first; an agent answers a daemon that has said hello, once. */
		return from == PROTO_FROM_DAEMON || (peer->seam_hello_sent && !peer->seam);
	uint32_t need = ((row->flags & F_MEMFD) ? PROTO_SEAM_FEATURE_MEMFD : 0) |
			((row->flags & F_KEYBOARD) ? PROTO_SEAM_FEATURE_KEYBOARD : 0) |
			((row->flags & F_ICONS) ? PROTO_SEAM_FEATURE_ICONS : 0) |
			((row->flags & F_DPI) ? PROTO_SEAM_FEATURE_DISPLAY_SETTINGS : 0) |
			((row->flags & F_MONITORS) ? PROTO_SEAM_FEATURE_MONITORS : 0) |
			((row->flags & F_NOTIFY) ? PROTO_SEAM_FEATURE_NOTIFY : 0);
	return peer->seam && (peer->seam_features & need) == need;
}

/* A message the receiver does not know (or that comes from the wrong side). */
static enum proto_verdict unknown_type(enum proto_dir from, const struct proto_hdr *hdr,
				       uint32_t *body_len, struct proto_error *err)
{
	/* Qubes' rule: the trusted daemon may send what an agent does not know, and the agent skips
	 * it; a guest that sends an unknown type is broken or hostile. */
	if (from == PROTO_FROM_DAEMON && hdr->untrusted_len <= PROTO_MAX_SKIP_LEN) {
		*body_len = hdr->untrusted_len;
		proto_fail(err, PROTO_SKIP, hdr->type, "type", "unknown type %u, %u bytes skipped",
			   hdr->type, hdr->untrusted_len);
		return PROTO_SKIP;
	}
	proto_fail(err, PROTO_FATAL, hdr->type, "type", "unknown or unexpected type %u (0x%x)",
		   hdr->type, hdr->type);
	return PROTO_FATAL;
}

enum proto_verdict proto_check_header(const struct proto_peer *peer, enum proto_dir from,
				      const struct proto_hdr *hdr, uint32_t *body_len,
				      struct proto_error *err)
{
	*body_len = 0;
	if (peer->version == 0) {
		proto_fail(err, PROTO_FATAL, hdr->type, "type", "message before the handshake");
		return PROTO_FATAL;
	}
	struct frame_error fe;
	int rc = frame_check_header(&proto_frames, from, hdr->type, hdr->untrusted_len, NULL, &fe);
	/* Known to a sender that may send it, whatever its length: may it now? */
	const struct frame_type *row = frame_lookup(&proto_frames, hdr->type);
	if (rc == -ENOMSG || rc == -EPERM || !seam_allowed(peer, from, row))
		return unknown_type(from, hdr, body_len, err);
	if (rc)
		return proto_error_from_frame(err, PROTO_FATAL, &fe);
	if (hdr->type == PROTO_MSG_CLIPBOARD_DATA &&
	    proto_validate_clipboard_data(peer, hdr->untrusted_len, err))
		return PROTO_FATAL;
	*body_len = hdr->untrusted_len;

	if ((row->flags & F_WINDOW) && (hdr->window == 0 || hdr->window > PROTO_WINDOW_ID_MAX)) {
		proto_fail(err, PROTO_DROP, hdr->type, "window",
			   "0x%x is not an X window id in [1, 0x%x]", hdr->window,
			   PROTO_WINDOW_ID_MAX);
		return PROTO_DROP;
	}
	return PROTO_OK;
}

/* Run the message's validator on the decoded fixed part. */
static int validate(const struct proto_peer *peer, enum proto_dir from, struct proto_msg *m,
		    struct proto_error *err)
{
	switch (m->type) {
	case PROTO_MSG_KEYPRESS:
		return proto_validate_keypress(&m->u.keypress, err);
	case PROTO_MSG_BUTTON:
		return proto_validate_button(&m->u.button, err);
	case PROTO_MSG_MOTION:
		return proto_validate_motion(&m->u.motion, err);
	case PROTO_MSG_CROSSING:
		return proto_validate_crossing(&m->u.crossing, err);
	case PROTO_MSG_FOCUS:
		return proto_validate_focus(&m->u.focus, err);
	case PROTO_MSG_RESIZE:
		return proto_validate_resize(&m->u.resize, err);
	case PROTO_MSG_CREATE:
		return proto_validate_create(&m->u.create, err);
	case PROTO_MSG_MAP:
		return proto_validate_map(&m->u.map, err);
	case PROTO_MSG_CONFIGURE:
		return proto_validate_configure(&m->u.configure, err);
	case PROTO_MSG_MFNDUMP:
		/* Filled in by the receiver, never trusted from the sender. */
		m->u.shm_cmd.shmid = m->u.shm_cmd.domid = 0;
		return proto_validate_mfndump(&m->u.shm_cmd, m->data_len, err);
	case PROTO_MSG_SHMIMAGE:
		return proto_validate_shmimage(&m->u.shmimage, err);
	case PROTO_MSG_EXECUTE:
		return proto_validate_execute(&m->u.execute, err);
	case PROTO_MSG_CLIPBOARD_DATA:
		return proto_validate_clipboard_data(peer, m->data_len, err);
	case PROTO_MSG_WMNAME:
		return proto_validate_wmname(&m->u.wmname, err);
	case PROTO_MSG_KEYMAP_NOTIFY:
		return proto_validate_keymap_notify(&m->u.keymap, err);
	case PROTO_MSG_WINDOW_HINTS:
		return proto_validate_window_hints(&m->u.hints, err);
	case PROTO_MSG_WINDOW_FLAGS:
		return proto_validate_window_flags(&m->u.flags, from, err);
	case PROTO_MSG_WMCLASS:
		return proto_validate_wmclass(&m->u.wmclass, err);
	case PROTO_MSG_WINDOW_DUMP:
		return proto_validate_window_dump(&m->u.dump, m->data_len, err);
	case PROTO_MSG_CURSOR:
		return proto_validate_cursor(&m->u.cursor, err);
	case PROTO_MSG_SEAM_HELLO:
		return proto_validate_seam_hello(&m->u.hello, err);
	case PROTO_MSG_SEAM_KEYBOARD:
		return proto_validate_seam_keyboard(&m->u.keyboard, err);
	case PROTO_MSG_SEAM_KEYSYMS:
		return proto_validate_seam_keysyms(&m->u.keysyms, m->data_len, err);
	case PROTO_MSG_SEAM_DISPLAY_SETTINGS:
		return proto_validate_seam_display_settings(&m->u.display_settings, err);
	case PROTO_MSG_SEAM_MONITOR_LAYOUT:
		return proto_validate_seam_monitor_layout(&m->u.monitors, err);
	case PROTO_MSG_SEAM_WINDOW_DUMP_FD:
		return proto_validate_seam_window_dump_fd(&m->u.dump_fd, err);
	case PROTO_MSG_SEAM_ICON:
		return proto_validate_seam_icon(&m->u.icon, m->data_len, err);
	case PROTO_MSG_SEAM_NOTIFY:
		return proto_validate_seam_notify(&m->u.notify, m->data, m->data_len, err);
	default:
		/* DESTROY, UNMAP, CLOSE, CLIPBOARD_REQ, DOCK, WINDOW_DUMP_ACK: header only. */
		return 0;
	}
}

enum proto_verdict proto_decode(const struct proto_peer *peer, enum proto_dir from,
				const struct proto_hdr *hdr, const uint8_t *body, uint32_t body_len,
				unsigned nfds, struct proto_msg *out, struct proto_error *err)
{
	struct proto_error local;
	if (!err)
		err = &local; /* the verdict comes from the validator even when the caller wants no
				 text */
	memset(out, 0, sizeof(*out));
	err->verdict = PROTO_OK;
	err->field = NULL; /* set by a validator that adjusted a field (proto_note) */
	err->text[0] = '\0';
	uint32_t want;
	enum proto_verdict v = proto_check_header(peer, from, hdr, &want, err);
	if (v != PROTO_OK)
		return v;
	struct frame_error fe;
	if (frame_take(&proto_frames, frame_lookup(&proto_frames, hdr->type), want, body, body_len,
		       nfds, &out->u, &out->data, &out->data_len, &fe))
		return proto_error_from_frame(err, PROTO_FATAL, &fe);
	out->type = hdr->type;
	out->window = hdr->window;
	if (validate(peer, from, out, err))
		return err->verdict;
	return PROTO_OK;
}

size_t proto_encoded_len(const struct proto_msg *msg)
{
	return frame_encoded_len(&proto_frames, msg->type, msg->data_len);
}

size_t proto_encode(const struct proto_msg *msg, uint8_t *buf, size_t cap)
{
	struct frame_hdr hdr = {.type = msg->type};
	hdr.arg[0] = msg->window;
	return frame_encode(&proto_frames, &hdr, &msg->u, msg->data, msg->data_len, buf, cap);
}

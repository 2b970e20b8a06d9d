/* Framing: the table of message types, header checks, decode and encode. */
#include <string.h>

#include "internal.h"

#define FROM_A (1u << PROTO_FROM_AGENT)
#define FROM_D (1u << PROTO_FROM_DAEMON)

enum len_kind {
	LEN_FIXED,     /* body is exactly `size` bytes */
	LEN_VARIABLE,  /* `size` fixed bytes then 4-byte words, bounded by max_len */
	LEN_CLIPBOARD, /* raw bytes, bounded by the negotiated version */
};

struct msg_info {
	uint32_t type;
	const char *name;
	unsigned dirs;	       /* FROM_A | FROM_D: who may send it */
	enum len_kind kind;
	uint32_t size;	       /* fixed part of the body */
	uint32_t max_len;      /* LEN_VARIABLE: largest body */
	bool window_scoped;    /* header.window names a guest window (1..PROTO_WINDOW_ID_MAX) */
	unsigned nfds;	       /* fds beside the message */
	uint32_t seam_feature; /* Seam message: the feature it needs (0: only the hello exchange) */
	bool seam;
};

/* Sorted by type; Seam's entries last. */
static const struct msg_info msg_table[] = {
	{PROTO_MSG_KEYPRESS, "KEYPRESS", FROM_D, LEN_FIXED, 20, 0, true, 0, 0, false},
	{PROTO_MSG_BUTTON, "BUTTON", FROM_D, LEN_FIXED, 20, 0, true, 0, 0, false},
	{PROTO_MSG_MOTION, "MOTION", FROM_D, LEN_FIXED, 16, 0, true, 0, 0, false},
	{PROTO_MSG_CROSSING, "CROSSING", FROM_D, LEN_FIXED, 28, 0, true, 0, 0, false},
	{PROTO_MSG_FOCUS, "FOCUS", FROM_D, LEN_FIXED, 12, 0, true, 0, 0, false},
	{PROTO_MSG_RESIZE, "RESIZE", FROM_D, LEN_FIXED, 8, 0, true, 0, 0, false},
	{PROTO_MSG_CREATE, "CREATE", FROM_A, LEN_FIXED, 24, 0, true, 0, 0, false},
	{PROTO_MSG_DESTROY, "DESTROY", FROM_A | FROM_D, LEN_FIXED, 0, 0, true, 0, 0, false},
	{PROTO_MSG_MAP, "MAP", FROM_A | FROM_D, LEN_FIXED, 8, 0, true, 0, 0, false},
	{PROTO_MSG_UNMAP, "UNMAP", FROM_A, LEN_FIXED, 0, 0, true, 0, 0, false},
	{PROTO_MSG_CONFIGURE, "CONFIGURE", FROM_A | FROM_D, LEN_FIXED, 20, 0, true, 0, 0, false},
	{PROTO_MSG_MFNDUMP, "MFNDUMP", FROM_A, LEN_VARIABLE, 28, PROTO_MFNDUMP_MAX_LEN, true, 0, 0,
	 false},
	{PROTO_MSG_SHMIMAGE, "SHMIMAGE", FROM_A, LEN_FIXED, 16, 0, true, 0, 0, false},
	{PROTO_MSG_CLOSE, "CLOSE", FROM_D, LEN_FIXED, 0, 0, true, 0, 0, false},
	{PROTO_MSG_EXECUTE, "EXECUTE", FROM_D, LEN_FIXED, 255, 0, false, 0, 0, false},
	{PROTO_MSG_CLIPBOARD_REQ, "CLIPBOARD_REQ", FROM_D, LEN_FIXED, 0, 0, false, 0, 0, false},
	{PROTO_MSG_CLIPBOARD_DATA, "CLIPBOARD_DATA", FROM_A | FROM_D, LEN_CLIPBOARD, 0, 0, false, 0,
	 0, false},
	{PROTO_MSG_WMNAME, "WMNAME", FROM_A, LEN_FIXED, 128, 0, true, 0, 0, false},
	{PROTO_MSG_KEYMAP_NOTIFY, "KEYMAP_NOTIFY", FROM_D, LEN_FIXED, 32, 0, false, 0, 0, false},
	{PROTO_MSG_DOCK, "DOCK", FROM_A, LEN_FIXED, 0, 0, true, 0, 0, false},
	{PROTO_MSG_WINDOW_HINTS, "WINDOW_HINTS", FROM_A, LEN_FIXED, 36, 0, true, 0, 0, false},
	{PROTO_MSG_WINDOW_FLAGS, "WINDOW_FLAGS", FROM_A | FROM_D, LEN_FIXED, 8, 0, true, 0, 0, false},
	{PROTO_MSG_WMCLASS, "WMCLASS", FROM_A, LEN_FIXED, 128, 0, true, 0, 0, false},
	{PROTO_MSG_WINDOW_DUMP, "WINDOW_DUMP", FROM_A, LEN_VARIABLE, 16, PROTO_WINDOW_DUMP_MAX_LEN,
	 true, 0, 0, false},
	{PROTO_MSG_CURSOR, "CURSOR", FROM_A, LEN_FIXED, 4, 0, true, 0, 0, false},
	{PROTO_MSG_WINDOW_DUMP_ACK, "WINDOW_DUMP_ACK", FROM_D, LEN_FIXED, 0, 0, true, 0, 0, false},
	{PROTO_MSG_SEAM_HELLO, "SEAM_HELLO", FROM_A | FROM_D, LEN_FIXED, 12, 0, false, 0, 0, true},
	{PROTO_MSG_SEAM_WINDOW_DUMP_FD, "SEAM_WINDOW_DUMP_FD", FROM_A, LEN_FIXED, 16, 0, true, 1,
	 PROTO_SEAM_FEATURE_MEMFD, true},
};

static const struct msg_info *lookup(uint32_t type)
{
	if (type >= PROTO_QUBES_TYPE_FIRST && type <= PROTO_QUBES_TYPE_LAST) {
		const struct msg_info *mi = &msg_table[type - PROTO_QUBES_TYPE_FIRST];
		return mi->type == type ? mi : NULL;
	}
	for (size_t i = PROTO_QUBES_TYPE_LAST - PROTO_QUBES_TYPE_FIRST + 1;
	     i < sizeof(msg_table) / sizeof(msg_table[0]); i++)
		if (msg_table[i].type == type)
			return &msg_table[i];
	return NULL;
}

const char *proto_type_name(uint32_t type)
{
	const struct msg_info *mi = lookup(type);
	return mi ? mi->name : "unknown";
}

unsigned proto_fds_for_type(uint32_t type)
{
	const struct msg_info *mi = lookup(type);
	return mi ? mi->nfds : 0;
}

void proto_hdr_decode(const uint8_t buf[PROTO_HDR_SIZE], struct proto_hdr *out)
{
	memcpy(out, buf, PROTO_HDR_SIZE);
}

void proto_hdr_encode(const struct proto_hdr *hdr, uint8_t buf[PROTO_HDR_SIZE])
{
	memcpy(buf, hdr, PROTO_HDR_SIZE);
}

/* May this sender use this Seam message now? */
static bool seam_allowed(const struct proto_peer *peer, enum proto_dir from,
			 const struct msg_info *mi)
{
	if (mi->type == PROTO_MSG_SEAM_HELLO)
		/* The daemon speaks first; an agent answers a daemon that has said hello, once. */
		return from == PROTO_FROM_DAEMON || (peer->seam_hello_sent && !peer->seam);
	return peer->seam && (peer->seam_features & mi->seam_feature) == mi->seam_feature;
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
	const struct msg_info *mi = lookup(hdr->type);
	if (!mi || !(mi->dirs & (1u << from)) || (mi->seam && !seam_allowed(peer, from, mi)))
		return unknown_type(from, hdr, body_len, err);

	uint32_t len = hdr->untrusted_len;
	switch (mi->kind) {
	case LEN_FIXED:
		if (len != mi->size) {
			proto_fail(err, PROTO_FATAL, mi->type, "untrusted_len",
				   "%u, the body is %u bytes", len, mi->size);
			return PROTO_FATAL;
		}
		break;
	case LEN_VARIABLE:
		if (len < mi->size || len > mi->max_len || (len - mi->size) % 4u) {
			proto_fail(err, PROTO_FATAL, mi->type, "untrusted_len",
				   "%u is not %u + 4n bytes with at most %u in all", len, mi->size,
				   mi->max_len);
			return PROTO_FATAL;
		}
		break;
	case LEN_CLIPBOARD:
		if (proto_validate_clipboard_data(peer, len, err))
			return PROTO_FATAL;
		break;
	}
	*body_len = len;

	if (mi->window_scoped && (hdr->window == 0 || hdr->window > PROTO_WINDOW_ID_MAX)) {
		proto_fail(err, PROTO_DROP, mi->type, "window",
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
	case PROTO_MSG_SEAM_WINDOW_DUMP_FD:
		return proto_validate_seam_window_dump_fd(&m->u.dump_fd, err);
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
		err = &local; /* the verdict comes from the validator even when the caller wants no text */
	memset(out, 0, sizeof(*out));
	uint32_t want;
	enum proto_verdict v = proto_check_header(peer, from, hdr, &want, err);
	if (v != PROTO_OK)
		return v;
	if (body_len != want) {
		proto_fail(err, PROTO_FATAL, hdr->type, "untrusted_len",
			   "header says %u bytes, %u were read", want, body_len);
		return PROTO_FATAL;
	}
	const struct msg_info *mi = lookup(hdr->type);
	if (nfds != mi->nfds) {
		proto_fail(err, PROTO_FATAL, hdr->type, "fds", "%u file descriptors, expected %u",
			   nfds, mi->nfds);
		return PROTO_FATAL;
	}
	out->type = hdr->type;
	out->window = hdr->window;
	if (mi->size)
		memcpy(&out->u, body, mi->size);
	if (body_len > mi->size) {
		out->data = body + mi->size;
		out->data_len = body_len - mi->size;
	}
	if (validate(peer, from, out, err))
		return err->verdict;
	return PROTO_OK;
}

size_t proto_encoded_len(const struct proto_msg *msg)
{
	const struct msg_info *mi = lookup(msg->type);
	if (!mi)
		return 0;
	uint32_t extra = mi->kind == LEN_FIXED ? 0 : msg->data_len;
	return PROTO_HDR_SIZE + mi->size + extra;
}

size_t proto_encode(const struct proto_msg *msg, uint8_t *buf, size_t cap)
{
	const struct msg_info *mi = lookup(msg->type);
	size_t len = proto_encoded_len(msg);
	if (!mi || len > cap || len - PROTO_HDR_SIZE > UINT32_MAX)
		return 0;
	struct proto_hdr hdr = {
		.type = msg->type,
		.window = msg->window,
		.untrusted_len = (uint32_t)(len - PROTO_HDR_SIZE),
	};
	proto_hdr_encode(&hdr, buf);
	if (mi->size)
		memcpy(buf + PROTO_HDR_SIZE, &msg->u, mi->size);
	if (len > PROTO_HDR_SIZE + mi->size)
		memcpy(buf + PROTO_HDR_SIZE + mi->size, msg->data, msg->data_len);
	return len;
}

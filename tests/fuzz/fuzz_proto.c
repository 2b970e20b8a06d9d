/* libFuzzer target: the receive path of protocol/ (header check, decode, validation, handshake).
 *
 * Input: one flags byte, then a stream of messages as they would arrive on a channel.
 *   bit 0: sender is the daemon (else the agent)      bit 1: negotiated 1.7 (else 1.8)
 *   bit 2: this end has sent the Seam hello            bit 3: the other end is Seam
 *   bit 4: every Seam feature was agreed                 bits 5-6: extra fds beside each message
 * Invariants checked: nothing accepted is outside its bounds, and an accepted message (adjusted
 * where the protocol clamps or drops a part) re-encodes to bytes that decode to the same message
 * with nothing left to adjust.
 */
#include <stdlib.h>
#include <string.h>

#include "protocol/proto.h"

static uint8_t reencoded[PROTO_HDR_SIZE + PROTO_MAX_BODY_LEN];

static void check_invariants(const struct proto_msg *m)
{
	switch (m->type) {
	case PROTO_MSG_CREATE:
		if (m->u.create.width < 1 || m->u.create.width > PROTO_MAX_WINDOW_WIDTH ||
		    m->u.create.height < 1 || m->u.create.height > PROTO_MAX_WINDOW_HEIGHT)
			abort();
		break;
	case PROTO_MSG_WINDOW_DUMP:
		if ((uint64_t)m->data_len !=
		    4u * PROTO_NUM_PAGES((uint64_t)m->u.dump.width * m->u.dump.height * 4u))
			abort();
		break;
	case PROTO_MSG_SHMIMAGE:
		if ((uint64_t)(uint32_t)m->u.shmimage.x + m->u.shmimage.width >
		    PROTO_MAX_WINDOW_WIDTH)
			abort();
		break;
	case PROTO_MSG_WMNAME:
		if (!memchr(m->u.wmname.data, 0, sizeof(m->u.wmname.data)))
			abort();
		break;
	case PROTO_MSG_CLIPBOARD_DATA:
		if (m->data_len > PROTO_CLIPBOARD_OVERSIZE_MARK)
			abort();
		break;
	case PROTO_MSG_SEAM_ICON: {
		uint64_t pixels = 0;
		if (m->u.icon.count > PROTO_ICON_MAX_IMAGES)
			abort();
		for (uint32_t i = 0; i < m->u.icon.count; i++) {
			const struct proto_seam_icon_size *s = &m->u.icon.sizes[i];
			if (s->width < 1 || s->width > PROTO_ICON_MAX_SIZE || s->height < 1 ||
			    s->height > PROTO_ICON_MAX_SIZE)
				abort();
			pixels += (uint64_t)s->width * s->height;
		}
		if (pixels > PROTO_ICON_MAX_PIXELS || pixels * 4u != m->data_len)
			abort();
		break;
	}
	case PROTO_MSG_SEAM_NOTIFY: {
		const struct proto_seam_notify *n = &m->u.notify;
		if (n->app_len > PROTO_NOTIFY_MAX_APP ||
		    n->summary_len > PROTO_NOTIFY_MAX_SUMMARY ||
		    n->body_len > PROTO_NOTIFY_MAX_BODY ||
		    n->app_len + n->summary_len + n->body_len != m->data_len ||
		    (m->data_len && memchr(m->data, 0, m->data_len)))
			abort();
		/* what the daemon shows of it: bounded, no markup brackets, no controls */
		char out[PROTO_NOTIFY_MAX_BODY + 1];
		size_t len = proto_notify_clean(m->data, m->data_len, true, out, sizeof(out));
		if (len >= sizeof(out) || strlen(out) != len || strpbrk(out, "<>\r\x1b"))
			abort();
		break;
	}
	default:
		break;
	}
	if (m->type != PROTO_MSG_CLIPBOARD_DATA && m->type != PROTO_MSG_KEYMAP_NOTIFY &&
	    m->type != PROTO_MSG_SEAM_HELLO && m->type != PROTO_MSG_EXECUTE &&
	    m->type != PROTO_MSG_CLIPBOARD_REQ && m->type != PROTO_MSG_SEAM_KEYBOARD &&
	    m->type != PROTO_MSG_SEAM_KEYSYMS && m->type != PROTO_MSG_SEAM_DISPLAY_SETTINGS &&
	    m->type != PROTO_MSG_SEAM_NOTIFY && m->type != PROTO_MSG_SEAM_MONITOR_LAYOUT &&
	    (m->window == 0 || m->window > PROTO_WINDOW_ID_MAX))
		abort();
}

static void roundtrip(const struct proto_peer *peer, enum proto_dir from, const struct proto_msg *m,
		      unsigned nfds)
{
	size_t n = proto_encode(m, reencoded, sizeof(reencoded));
	if (n < PROTO_HDR_SIZE)
		abort();
	struct proto_hdr hdr;
	struct proto_msg again;
	struct proto_error err;
	proto_hdr_decode(reencoded, &hdr);
	if (proto_decode(peer, from, &hdr, reencoded + PROTO_HDR_SIZE,
			 (uint32_t)(n - PROTO_HDR_SIZE), nfds, &again, &err) != PROTO_OK ||
	    err.field)
		abort();
	if (again.type != m->type || again.window != m->window ||
	    memcmp(&again.u, &m->u, sizeof(m->u)) != 0 || again.data_len != m->data_len ||
	    (m->data_len && memcmp(again.data, m->data, m->data_len) != 0))
		abort();
}

static void fuzz_handshake(const uint8_t *data, size_t size)
{
	struct proto_error err;
	uint32_t v, negotiated, agreed;
	if (size < 4)
		return;
	memcpy(&v, data, 4);
	if (proto_negotiate_daemon(v, &negotiated, &err) == 0 &&
	    (negotiated < PROTO_VERSION_MIN || negotiated > PROTO_VERSION_CURRENT))
		abort();
	proto_negotiate_agent(v, &err);
	if (size >= sizeof(struct proto_xconf)) {
		struct proto_xconf x;
		memcpy(&x, data, sizeof(x));
		if (proto_validate_xconf(&x, &err) == 0 && (x.w == 0 || x.w > 16384 || x.h == 0))
			abort();
	}
	if (size >= sizeof(struct proto_seam_hello)) {
		struct proto_seam_hello h;
		memcpy(&h, data, sizeof(h));
		if (proto_seam_accept_hello(&h, PROTO_SEAM_FEATURE_MEMFD, &agreed, &err) == 0 &&
		    (agreed & ~PROTO_SEAM_FEATURE_MEMFD))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t flags = data[0];
	enum proto_dir from = (flags & 1) ? PROTO_FROM_DAEMON : PROTO_FROM_AGENT;
	struct proto_peer peer = {
	    .version = (flags & 2) ? PROTO_VERSION(1, 7) : PROTO_VERSION(1, 8),
	    .seam_hello_sent = flags & 4,
	    .seam = flags & 8,
	    .seam_features = (flags & 16) ? PROTO_SEAM_FEATURES_KNOWN : 0,
	};
	unsigned extra_fds = (flags >> 5) & 3;
	data++, size--;
	fuzz_handshake(data, size);

	/* Bounded like a receiver's loop: at most one message per 12 input bytes. */
	while (size >= PROTO_HDR_SIZE) {
		struct proto_hdr hdr;
		struct proto_error err;
		struct proto_msg m;
		uint32_t body_len;
		proto_hdr_decode(data, &hdr);
		data += PROTO_HDR_SIZE, size -= PROTO_HDR_SIZE;
		enum proto_verdict v = proto_check_header(&peer, from, &hdr, &body_len, &err);
		if (v == PROTO_FATAL)
			return 0;
		if (body_len > size)
			return 0; /* truncated: a receiver waits for more */
		if (v == PROTO_OK) {
			unsigned nfds = proto_fds_for_type(hdr.type) + extra_fds;
			v = proto_decode(&peer, from, &hdr, data, body_len, nfds, &m, &err);
			if (v == PROTO_OK) {
				check_invariants(&m);
				roundtrip(&peer, from, &m, nfds);
				if (m.type == PROTO_MSG_SEAM_HELLO && from == PROTO_FROM_AGENT) {
					peer.seam = true;
					peer.seam_features =
					    m.u.hello.features & PROTO_SEAM_FEATURES_KNOWN;
				}
			} else if (v == PROTO_FATAL) {
				return 0;
			}
		}
		data += body_len, size -= body_len;
	}
	return 0;
}

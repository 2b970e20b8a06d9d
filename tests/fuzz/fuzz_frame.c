/* libFuzzer target: the framing kit (protocol/frame.h) under each of its three tables.
 *
 * Input: one flags byte, then a stream of frames as a receiver would read them.
 *   bits 0-1: the table (0 GUI, 1 audio, 2 seam-run, 3 GUI again)
 *   bits 2-3: the sender (0-3: both GUI/audio senders, and senders no table knows)
 *   bits 4-5: fds beside each body, added to the type's own (a mismatch must be refused)
 * Invariants checked: header words decode and encode to the same bytes; each verdict agrees with
 * the table row (a refusal names the field its errno stands for); an accepted body splits into
 * the type's fixed part and the rest; and a taken frame encodes back to exactly the bytes read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "audio/audio_proto.h"
#include "protocol/proto.h"
#include "sandbox/msg.h"

/* Larger than any body fuzzing can deliver, and than any fixed part of the three tables. */
#define MAX_FRAME (FRAME_HDR_MAX_WORDS * 4u + (1u << 20))

static uint8_t again[MAX_FRAME];
static uint8_t fixed[1024];

static void check_text(const struct frame_error *err)
{
	if (!memchr(err->text, '\0', sizeof(err->text)) || !err->field)
		abort();
}

static bool fits(const struct frame_body *b, uint32_t len)
{
	return len >= b->min_len && len <= b->max_len && (len - b->size) % b->unit == 0;
}

/* The verdict on a header must be the table's. */
static void check_verdict(const struct frame_proto *p, unsigned sender, const struct frame_hdr *h,
			  int rc, const struct frame_type *row, const struct frame_error *err)
{
	const struct frame_type *t = frame_lookup(p, h->type);
	switch (rc) {
	case 0:
		if (!t || row != t || t->type != h->type || !fits(&t->body, h->untrusted_len) ||
		    sender >= 32 || !(t->senders & FRAME_SENDER(sender)))
			abort();
		break;
	case -ENOMSG:
		if (t || strcmp(err->field, "type") != 0)
			abort();
		break;
	case -EPERM:
		if (!t || (sender < 32 && (t->senders & FRAME_SENDER(sender))) ||
		    strcmp(err->field, "type") != 0)
			abort();
		break;
	case -EMSGSIZE:
		if (!t || fits(&t->body, h->untrusted_len) ||
		    strcmp(err->field, "untrusted_len") != 0)
			abort();
		break;
	default:
		abort();
	}
	if (rc)
		check_text(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct frame_proto *const tables[] = {&proto_frames, &audio_frames,
							   &msg_frames, &proto_frames};
	if (size < 1)
		return 0;
	const struct frame_proto *p = tables[data[0] & 3];
	const unsigned sender = (data[0] >> 2) & 3;
	const unsigned extra_fds = (data[0] >> 4) & 3;
	data++, size--;
	char why[128];
	if (frame_proto_check(p, why, sizeof(why)))
		abort();
	const size_t hsize = frame_hdr_size(p);

	/* Bounded like a receiver's loop: at most one frame per header's worth of input. */
	while (size >= hsize) {
		struct frame_hdr h;
		uint8_t words[FRAME_HDR_MAX_WORDS * 4u];
		frame_hdr_decode(p, data, &h);
		frame_hdr_encode(p, &h, words);
		if (memcmp(words, data, hsize) != 0)
			abort();

		const struct frame_type *row = NULL;
		struct frame_error err;
		int rc = frame_check_header(p, sender, h.type, h.untrusted_len, &row, &err);
		check_verdict(p, sender, &h, rc, row, &err);
		if (rc || h.untrusted_len > size - hsize)
			return 0; /* refused, or truncated: a receiver stops or waits for more */
		const uint8_t *body = data + hsize;
		if (row->body.size > sizeof(fixed))
			abort();

		const uint8_t *var;
		uint32_t var_len;
		unsigned nfds = row->nfds + extra_fds;
		rc = frame_take(p, row, h.untrusted_len, body, h.untrusted_len, nfds, fixed, &var,
				&var_len, &err);
		if (rc) {
			if (rc != -EPROTO || !extra_fds || strcmp(err.field, "fds") != 0)
				abort();
			check_text(&err);
		} else {
			if (extra_fds || var_len != h.untrusted_len - row->body.size ||
			    (var_len ? var != body + row->body.size : var != NULL) ||
			    memcmp(fixed, body, row->body.size) != 0)
				abort();
			/* decode, then encode: the same bytes */
			size_t n = frame_encode(p, &h, fixed, var, var_len, again, sizeof(again));
			if (n != hsize + h.untrusted_len || memcmp(again, data, n) != 0 ||
			    n != frame_encoded_len(p, h.type, var_len))
				abort();
		}
		data += hsize + h.untrusted_len;
		size -= hsize + h.untrusted_len;
	}
	return 0;
}

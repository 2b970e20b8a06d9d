/* The framing kit: table look-up, header words, the length and fd checks, encode. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "protocol/frame.h"

/* Words a header always has: the type and the length. */
#define HDR_MIN_WORDS 2u

void frame_vformat(char *text, size_t cap, const char *prefix, const char *name, const char *field,
		   const char *fmt, va_list ap)
{
	if (cap == 0)
		return;
	int n = snprintf(text, cap, "%s%s.%s: ", prefix, name, field);
	if (n >= 0 && (size_t)n < cap)
		vsnprintf(text + n, cap - (size_t)n, fmt, ap);
}

int frame_fail(struct frame_error *err, int rc, const struct frame_proto *p, uint32_t type,
	       const char *field, const char *fmt, ...)
{
	if (!err)
		return rc;
	err->type = type;
	err->field = field;
	va_list ap;
	va_start(ap, fmt);
	frame_vformat(err->text, sizeof(err->text), p->prefix, frame_type_name(p, type), field, fmt,
		      ap);
	va_end(ap);
	return rc;
}

size_t frame_hdr_size(const struct frame_proto *p)
{
	return 4u * (size_t)p->hdr_words;
}

void frame_hdr_decode(const struct frame_proto *p, const uint8_t *buf, struct frame_hdr *out)
{
	const unsigned last = p->hdr_words - 1;
	memset(out, 0, sizeof(*out));
	memcpy(&out->type, buf, 4);
	memcpy(out->arg, buf + 4, 4u * (last - 1));
	memcpy(&out->untrusted_len, buf + 4u * last, 4);
}

void frame_hdr_encode(const struct frame_proto *p, const struct frame_hdr *hdr, uint8_t *buf)
{
	const unsigned last = p->hdr_words - 1;
	memcpy(buf, &hdr->type, 4);
	memcpy(buf + 4, hdr->arg, 4u * (last - 1));
	memcpy(buf + 4u * last, &hdr->untrusted_len, 4);
}

const struct frame_type *frame_lookup(const struct frame_proto *p, uint32_t type)
{
	/* Binary search: the table is sorted (frame_proto_check), so at most log2(n) + 1 steps. */
	size_t lo = 0, hi = p->ntypes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->types[mid].type == type)
			return &p->types[mid];
		if (p->types[mid].type < type)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *frame_type_name(const struct frame_proto *p, uint32_t type)
{
	const struct frame_type *t = frame_lookup(p, type);
	return t ? t->name : "unknown";
}

unsigned frame_fds(const struct frame_proto *p, uint32_t type)
{
	const struct frame_type *t = frame_lookup(p, type);
	return t ? t->nfds : 0;
}

/* Whether a body of len bytes keeps to b. */
static bool body_fits(const struct frame_body *b, uint32_t len)
{
	return len >= b->min_len && len <= b->max_len && (len - b->size) % b->unit == 0;
}

int frame_proto_check(const struct frame_proto *p, char *why, size_t why_len)
{
	if (p->hdr_words < HDR_MIN_WORDS || p->hdr_words > FRAME_HDR_MAX_WORDS) {
		snprintf(why, why_len, "hdr_words %u not in [%u, %u]", p->hdr_words, HDR_MIN_WORDS,
			 FRAME_HDR_MAX_WORDS);
		return -EINVAL;
	}
	for (size_t i = 0; i < p->ntypes; i++) {
		const struct frame_type *t = &p->types[i];
		const struct frame_body *b = &t->body;
		const char *bad = NULL;
		if (i > 0 && t->type <= p->types[i - 1].type)
			bad = "not sorted after the row before it";
		else if (!t->name || !t->senders)
			bad = "no name or no sender";
		else if (b->unit == 0)
			bad = "a unit of 0 bytes";
		else if (b->size > b->min_len || b->min_len > b->max_len)
			bad = "bounds out of order (size <= min_len <= max_len)";
		else if (!body_fits(b, b->min_len) || !body_fits(b, b->max_len))
			bad = "min_len or max_len is not size + whole units";
		if (bad) {
			snprintf(why, why_len, "row %zu (type %u, %s): %s", i, t->type,
				 t->name ? t->name : "?", bad);
			return -EINVAL;
		}
	}
	return 0;
}

int frame_check_header(const struct frame_proto *p, unsigned sender, uint32_t type,
		       uint32_t untrusted_len, const struct frame_type **row,
		       struct frame_error *err)
{
	const struct frame_type *t = frame_lookup(p, type);
	if (!t)
		return frame_fail(err, -ENOMSG, p, type, "type", "unknown type %u (0x%x)", type,
				  type);
	if (sender >= 32 || !(t->senders & FRAME_SENDER(sender)))
		return frame_fail(err, -EPERM, p, type, "type", "not sent by this peer");
	const struct frame_body *b = &t->body;
	if (!body_fits(b, untrusted_len)) {
		if (b->min_len == b->max_len)
			return frame_fail(err, -EMSGSIZE, p, type, "untrusted_len",
					  "%u, the body is %u bytes", untrusted_len, b->size);
		if (b->unit == 1)
			return frame_fail(err, -EMSGSIZE, p, type, "untrusted_len",
					  "%u not in [%u, %u]", untrusted_len, b->min_len,
					  b->max_len);
		return frame_fail(err, -EMSGSIZE, p, type, "untrusted_len",
				  "%u is not %u + %un bytes in [%u, %u]", untrusted_len, b->size,
				  b->unit, b->min_len, b->max_len);
	}
	if (row)
		*row = t;
	return 0;
}

int frame_take(const struct frame_proto *p, const struct frame_type *row, uint32_t untrusted_len,
	       const uint8_t *body, uint32_t body_len, unsigned nfds, void *fixed,
	       const uint8_t **var, uint32_t *var_len, struct frame_error *err)
{
	*var = NULL;
	*var_len = 0;
	if (body_len != untrusted_len || !body_fits(&row->body, body_len))
		return frame_fail(err, -EMSGSIZE, p, row->type, "untrusted_len",
				  "header says %u bytes, %u were read", untrusted_len, body_len);
	if (nfds != row->nfds)
		return frame_fail(err, -EPROTO, p, row->type, "fds",
				  "%u file descriptors, expected %u", nfds, row->nfds);
	if (row->body.size)
		memcpy(fixed, body, row->body.size);
	if (body_len > row->body.size) {
		*var = body + row->body.size;
		*var_len = body_len - row->body.size;
	}
	return 0;
}

size_t frame_encoded_len(const struct frame_proto *p, uint32_t type, uint32_t var_len)
{
	const struct frame_type *t = frame_lookup(p, type);
	if (!t || var_len > t->body.max_len - t->body.size ||
	    !body_fits(&t->body, t->body.size + var_len))
		return 0;
	return frame_hdr_size(p) + t->body.size + var_len;
}

size_t frame_encode(const struct frame_proto *p, const struct frame_hdr *hdr, const void *fixed,
		    const void *var, uint32_t var_len, uint8_t *buf, size_t cap)
{
	const struct frame_type *t = frame_lookup(p, hdr->type);
	size_t len = frame_encoded_len(p, hdr->type, var_len);
	if (!len || len > cap || (var_len && !var))
		return 0;
	const size_t hsize = frame_hdr_size(p);
	struct frame_hdr h = *hdr;
	h.untrusted_len = (uint32_t)(len - hsize);
	frame_hdr_encode(p, &h, buf);
	if (t->body.size)
		memcpy(buf + hsize, fixed, t->body.size);
	if (var_len)
		memcpy(buf + hsize + t->body.size, var, var_len);
	return len;
}

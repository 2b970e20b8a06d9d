/* Seam's framing kit: one table per message protocol, and the checks a receiver makes on a header
 * before it reads a single body byte. No I/O, no allocation.
 *
 * The GUI protocol (protocol/proto.h), the audio protocol (audio/audio_proto.h) and seam-run's
 * messages (sandbox/msg.h) frame alike: a header of 32-bit words in host (little-endian) order,
 * the message type first and the body's length last (the protocol's own words between: the GUI's
 * window; seam-run's id and value), then the body. A protocol describes itself with a struct
 * frame_proto: for each type its name, who may send it, how long its body may be (a fixed part,
 * then an optional variable part in whole units, bounded) and how many file descriptors travel
 * beside it. This module applies those rules once for all three.
 *
 * Every check returns 0 or a negative errno and fills a struct frame_error (NULL allowed) naming
 * the field at fault. What a refusal means (drop the message, skip its body, close the connection)
 * stays with each protocol: the errno says which rule failed so that it can decide.
 */
#ifndef SEAM_FRAME_H
#define SEAM_FRAME_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* The longest header: seam-run's {type, id, value, len}. */
#define FRAME_HDR_MAX_WORDS 4u
/* Room for one log line: "<protocol> <MESSAGE>.<field>: <reason>". */
#define FRAME_ERROR_TEXT 160u
/* A type every sender may send (protocols whose ends are peers, like seam-run's). */
#define FRAME_ANY_SENDER (~0u)
/* The bit of a sender in frame_type.senders; senders are small numbers a protocol picks. */
#define FRAME_SENDER(n) (1u << (n))

/* How long a type's body is: `size` bytes of fixed part, then a variable part of whole `unit`s;
 * the whole body lies in [min_len, max_len]. A fixed body has min_len == max_len == size. */
struct frame_body {
	uint32_t size;
	uint32_t min_len;
	uint32_t max_len;
	uint32_t unit;
};

/* Exactly n bytes. */
#define FRAME_FIXED(n)                                                                             \
	{                                                                                          \
		(n), (n), (n), 1u                                                                  \
	}
/* `fixed` bytes, then whole `unit`s, `min` to `max` bytes in all. */
#define FRAME_VARIABLE(fixed, unit, min, max)                                                      \
	{                                                                                          \
		(fixed), (min), (max), (unit)                                                      \
	}

/* One row of a protocol's table. */
struct frame_type {
	uint32_t type;
	const char *name; /* "CREATE", "PLAY_DATA", ... for reasons and logs */
	unsigned senders; /* FRAME_SENDER(n) bits of who may send it, or FRAME_ANY_SENDER */
	struct frame_body body;
	unsigned nfds;	/* file descriptors that travel beside it, exactly */
	unsigned flags; /* the protocol's own rules for this type: the kit never reads them */
};

/* A protocol: its header shape and its table. */
struct frame_proto {
	const char *prefix; /* put before the message name in reasons ("" or "audio ") */
	unsigned hdr_words; /* 3: {type, window, len}; 4: {type, id, value, len} */
	const struct frame_type *types; /* sorted by type, each type once */
	size_t ntypes;
};

/* A header as words: the type, the untrusted body length, and the words between them in order. */
struct frame_hdr {
	uint32_t type;
	uint32_t untrusted_len;
	uint32_t arg[FRAME_HDR_MAX_WORDS - 2];
};

/* Why a check failed: the message's type, the field at fault ("type", "untrusted_len", "fds")
 * and one line for the log, "<prefix><NAME>.<field>: <reason>". */
struct frame_error {
	uint32_t type;
	const char *field;
	char text[FRAME_ERROR_TEXT];
};

/* ---- Headers --------------------------------------------------------------------------------- */

/* Bytes of p's header. */
size_t frame_hdr_size(const struct frame_proto *p);

/* Header bytes (frame_hdr_size(p) of them) to words and back; words p has no room for are zero on
 * decode and not written on encode. Byte-identical both ways. */
void frame_hdr_decode(const struct frame_proto *p, const uint8_t *buf, struct frame_hdr *out);
void frame_hdr_encode(const struct frame_proto *p, const struct frame_hdr *hdr, uint8_t *buf);

/* ---- The table ------------------------------------------------------------------------------- */

/* The row of a type, or NULL for a type p does not know. */
const struct frame_type *frame_lookup(const struct frame_proto *p, uint32_t type);

/* The type's name, or "unknown". */
const char *frame_type_name(const struct frame_proto *p, uint32_t type);

/* File descriptors that travel beside a type (0 for an unknown type). */
unsigned frame_fds(const struct frame_proto *p, uint32_t type);

/* Whether p's table is well formed (sorted, each row's bounds consistent, hdr_words in 2..4).
 * Returns 0 or -EINVAL with the first bad row in why. For tests: tables are constants. */
int frame_proto_check(const struct frame_proto *p, char *why, size_t why_len);

/* ---- Receiving ------------------------------------------------------------------------------- */

/* Decide from a header alone whether its body may be read: the type is known (-ENOMSG, field
 * "type"), `sender` may send it (-EPERM, field "type") and untrusted_len is within its bounds
 * (-EMSGSIZE, field "untrusted_len"). On 0 the body is exactly untrusted_len bytes and *row (if not
 * NULL) is the type's row. */
int frame_check_header(const struct frame_proto *p, unsigned sender, uint32_t type,
		       uint32_t untrusted_len, const struct frame_type **row,
		       struct frame_error *err);

/* A body whose header passed frame_check_header() (row, untrusted_len) has been read: body_len
 * bytes of it with nfds descriptors beside it. Checks body_len == untrusted_len (-EMSGSIZE,
 * "untrusted_len") and nfds == row->nfds (-EPROTO, "fds"). On 0, copies the fixed part
 * (row->body.size bytes) into `fixed` (NULL allowed when the size is 0), and points *var at the
 * variable part (*var NULL and *var_len 0 when it is empty): into body, not copied. */
int frame_take(const struct frame_proto *p, const struct frame_type *row, uint32_t untrusted_len,
	       const uint8_t *body, uint32_t body_len, unsigned nfds, void *fixed,
	       const uint8_t **var, uint32_t *var_len, struct frame_error *err);

/* ---- Sending --------------------------------------------------------------------------------- */

/* Bytes of a whole frame of this type (header included) with var_len bytes of variable part, or 0
 * if the type is unknown or the body would break the table's bounds: a sender never writes a frame
 * its receiver must refuse for its length. */
size_t frame_encoded_len(const struct frame_proto *p, uint32_t type, uint32_t var_len);

/* Write hdr (its untrusted_len computed here, never taken from the caller), the type's fixed part
 * from `fixed` and var_len bytes from `var` into buf. Returns the bytes written, or 0 (see
 * frame_encoded_len, cap too small, or var NULL with var_len > 0). */
size_t frame_encode(const struct frame_proto *p, const struct frame_hdr *hdr, const void *fixed,
		    const void *var, uint32_t var_len, uint8_t *buf, size_t cap);

/* ---- Reasons --------------------------------------------------------------------------------- */

/* The one shape of every framing and validation reason: "<prefix><name>.<field>: <reason>" into
 * text (always NUL-terminated, cut at cap). */
void frame_vformat(char *text, size_t cap, const char *prefix, const char *name, const char *field,
		   const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

/* Fill err (if not NULL) for a message of this type and return `rc`, a negative errno. */
int frame_fail(struct frame_error *err, int rc, const struct frame_proto *p, uint32_t type,
	       const char *field, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif

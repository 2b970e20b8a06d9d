/* Private to protocol/: error reporting shared by the framing and the validators. */
#ifndef SEAM_PROTO_INTERNAL_H
#define SEAM_PROTO_INTERNAL_H

#include "proto.h"

/* Fill err (if not NULL) and return -1. The text is "<MSG>.<field>: <formatted reason>". */
int proto_fail(struct proto_error *err, enum proto_verdict verdict, uint32_t type, const char *field,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Record that a field was adjusted to fit its bounds (clamped, or an invalid optional part
 * dropped) while the message itself stays valid: err gets verdict PROTO_OK, the field and a reason,
 * unless an earlier adjustment of the same message is already there. Returns 0. */
int proto_note(struct proto_error *err, uint32_t type, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The same for the handshake, which has no message type: "handshake.<field>: ...", type 0. */
int proto_fail_handshake(struct proto_error *err, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* proto_note() for the handshake. */
int proto_note_handshake(struct proto_error *err, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif

/* Private to protocol/: error reporting shared by the framing and the validators. */
#ifndef SEAM_PROTO_INTERNAL_H
#define SEAM_PROTO_INTERNAL_H

#include "proto.h"

/* Fill err (if not NULL) and return -1. The text is "<MSG>.<field>: <formatted reason>". */
int proto_fail(struct proto_error *err, enum proto_verdict verdict, uint32_t type, const char *field,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The same for the handshake, which has no message type: "handshake.<field>: ...", type 0. */
int proto_fail_handshake(struct proto_error *err, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif

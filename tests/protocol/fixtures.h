/* Shared by the protocol tests: valid template messages and a decode helper. */
#ifndef SEAM_TEST_PROTO_FIXTURES_H
#define SEAM_TEST_PROTO_FIXTURES_H

#include <check.h>

#include "protocol/proto.h"

/* Every message type Seam knows, with who sends it (a type sent by both appears twice). */
struct fixture_type {
	uint32_t type;
	enum proto_dir from;
};
extern const struct fixture_type fixture_types[];
extern const size_t fixture_types_count;

/* A peer after a 1.8 handshake that has exchanged Seam hellos with the memfd feature. */
struct proto_peer fixture_peer_seam(void);
/* The Seam peer a message of this type arrives at: one that has not yet had the agent's hello when
 * the message is that hello. */
struct proto_peer fixture_peer_for(uint32_t type, enum proto_dir from);
/* A peer after a 1.8 handshake with a Qubes (non-Seam) other end. */
struct proto_peer fixture_peer_qubes(void);

/* Fill m with a valid message of this type (window 0x400001); variable parts point into storage that
 * lives until the next call. */
void fixture_valid(uint32_t type, enum proto_dir from, struct proto_msg *m);

/* Encode m, then check and decode it as the receiver would; returns the verdict of whichever step
 * failed, or PROTO_OK with *out filled. The encoded bytes live until the next call. */
enum proto_verdict fixture_roundtrip(const struct proto_peer *peer, enum proto_dir from,
				     const struct proto_msg *m, unsigned nfds, struct proto_msg *out,
				     struct proto_error *err);

/* proto_check_header() at the Seam peer of a header from the agent of this type, window and length
 * (a Seam message's bounds before any body byte is read). */
enum proto_verdict fixture_agent_header(uint32_t type, uint32_t window, uint32_t len,
					struct proto_error *err);

/* Asserts that the valid agent message of this type is accepted from an agent whose hello agreed
 * feature, and only then: a connection without the feature or with a Qubes agent closes on it, and
 * an agent skips it from a daemon. */
void fixture_assert_agent_feature(uint32_t type, uint32_t feature);
/* A valid message of this daemon-only Seam type passes where the hello agreed feature, and not
 * where it agreed every other one, nor to a Qubes agent; from a guest it closes the connection. */
void fixture_assert_daemon_feature(uint32_t type, uint32_t feature);

Suite *suite_roundtrip(void);
Suite *suite_bounds(void);
Suite *suite_framing(void);
Suite *suite_handshake(void);
Suite *suite_frame(void);
Suite *suite_keyboard(void);
Suite *suite_display_settings(void);
Suite *suite_monitor_layout(void);
Suite *suite_cursor(void);
Suite *suite_icon(void);
Suite *suite_notify(void);

#endif

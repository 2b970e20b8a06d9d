/* Hostile framing: truncated, oversized, unknown, misdirected, early and fd-carrying messages. */
#include <string.h>

#include "fixtures.h"

#define A PROTO_FROM_AGENT
#define D PROTO_FROM_DAEMON

static enum proto_verdict header(const struct proto_peer *peer, enum proto_dir from, uint32_t type,
				 uint32_t window, uint32_t len, uint32_t *body_len,
				 struct proto_error *err)
{
	struct proto_hdr hdr = {type, window, len};
	return proto_check_header(peer, from, &hdr, body_len, err);
}

START_TEST(test_framing_truncated_body_is_fatal)
{
	struct proto_peer peer = fixture_peer_qubes();
	struct proto_hdr hdr = {PROTO_MSG_CONFIGURE, 0x400001, 20};
	uint8_t body[20] = {0};
	struct proto_msg out;
	struct proto_error err;
	ck_assert_int_eq(proto_decode(&peer, A, &hdr, body, 19, 0, &out, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "untrusted_len");
}
END_TEST

START_TEST(test_framing_fixed_length_mismatch_is_fatal)
{
	struct proto_peer peer = fixture_peer_qubes();
	struct proto_error err;
	uint32_t n;
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_CREATE, 1, 24, &n, &err), PROTO_OK);
	ck_assert_uint_eq(n, 24);
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_CREATE, 1, 25, &n, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "untrusted_len");
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_CREATE, 1, 23, &n, &err), PROTO_FATAL);
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_UNMAP, 1, 1, &n, &err), PROTO_FATAL);
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_WMNAME, 1, 0xffffffffu, &n, &err), PROTO_FATAL);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_framing_variable_length_bounds)
{
	struct proto_peer peer = fixture_peer_qubes();
	struct proto_error err;
	uint32_t n;
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_WINDOW_DUMP, 1, PROTO_WINDOW_DUMP_MAX_LEN, &n,
				&err),
			 PROTO_OK);
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_WINDOW_DUMP, 1, PROTO_WINDOW_DUMP_MAX_LEN + 4,
				&n, &err),
			 PROTO_FATAL);
	ck_assert_str_eq(err.field, "untrusted_len");
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_WINDOW_DUMP, 1, 15, &n, &err), PROTO_FATAL);
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_WINDOW_DUMP, 1, 18, &n, &err), PROTO_FATAL);
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_MFNDUMP, 1, PROTO_MFNDUMP_MAX_LEN, &n, &err),
			 PROTO_OK);
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_MFNDUMP, 1, PROTO_MFNDUMP_MAX_LEN + 4, &n, &err),
			 PROTO_FATAL);
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_MFNDUMP, 1, 27, &n, &err), PROTO_FATAL);
}
END_TEST

START_TEST(test_framing_unknown_type_from_guest_is_fatal)
{
	struct proto_peer peer = fixture_peer_seam();
	struct proto_error err;
	uint32_t n;
	static const uint32_t bad[] = {0, 123, 150, 0xffffffffu, PROTO_MSG_SEAM_HELLO + 100};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(header(&peer, A, bad[i], 1, 0, &n, &err), PROTO_FATAL);
		ck_assert_str_eq(err.field, "type");
	}
}
END_TEST

START_TEST(test_framing_unknown_type_from_daemon_is_skipped)
{
	struct proto_peer peer = fixture_peer_qubes();
	struct proto_error err;
	uint32_t n = 0;
	ck_assert_int_eq(header(&peer, D, 200, 0, 77, &n, &err), PROTO_SKIP);
	ck_assert_uint_eq(n, 77);
	ck_assert_int_eq(header(&peer, D, 200, 0, PROTO_MAX_SKIP_LEN, &n, &err), PROTO_SKIP);
	ck_assert_int_eq(header(&peer, D, 200, 0, PROTO_MAX_SKIP_LEN + 1, &n, &err), PROTO_FATAL);
}
END_TEST

START_TEST(test_framing_wrong_direction)
{
	struct proto_peer peer = fixture_peer_qubes();
	struct proto_error err;
	uint32_t n;
	/* a guest sending input events or a close request: not something a daemon receives */
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_KEYPRESS, 1, 20, &n, &err), PROTO_FATAL);
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_CLOSE, 1, 0, &n, &err), PROTO_FATAL);
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_WINDOW_DUMP_ACK, 1, 0, &n, &err), PROTO_FATAL);
	/* an agent skips what it does not expect from the daemon */
	ck_assert_int_eq(header(&peer, D, PROTO_MSG_CREATE, 1, 24, &n, &err), PROTO_SKIP);
	ck_assert_uint_eq(n, 24);
}
END_TEST

START_TEST(test_framing_message_before_handshake_is_fatal)
{
	struct proto_peer peer = {0};
	struct proto_error err;
	uint32_t n;
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_CREATE, 1, 24, &n, &err), PROTO_FATAL);
	ck_assert_ptr_nonnull(strstr(err.text, "handshake"));
}
END_TEST

START_TEST(test_framing_bad_window_id_is_dropped_in_frame)
{
	struct proto_peer peer = fixture_peer_qubes();
	struct proto_error err;
	uint32_t n = 0;
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_CREATE, 0, 24, &n, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "window");
	ck_assert_uint_eq(n, 24); /* the body is still read, to stay in frame */
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_WMNAME, PROTO_WINDOW_ID_MAX + 1, 128, &n, &err),
			 PROTO_DROP);
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_WMNAME, PROTO_WINDOW_ID_MAX, 128, &n, &err),
			 PROTO_OK);
	/* the clipboard's window field is not a window */
	ck_assert_int_eq(header(&peer, A, PROTO_MSG_CLIPBOARD_DATA, 0, 5, &n, &err), PROTO_OK);
}
END_TEST

START_TEST(test_framing_unexpected_fds_are_fatal)
{
	struct proto_peer peer = fixture_peer_seam();
	struct proto_msg m, out;
	struct proto_error err;
	fixture_valid(PROTO_MSG_CREATE, A, &m);
	ck_assert_int_eq(fixture_roundtrip(&peer, A, &m, 1, &out, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "fds");
	fixture_valid(PROTO_MSG_SEAM_WINDOW_DUMP_FD, A, &m);
	ck_assert_int_eq(fixture_roundtrip(&peer, A, &m, 0, &out, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "fds");
	ck_assert_int_eq(fixture_roundtrip(&peer, A, &m, 2, &out, &err), PROTO_FATAL);
	ck_assert_int_eq(fixture_roundtrip(&peer, A, &m, 1, &out, &err), PROTO_OK);
}
END_TEST

START_TEST(test_framing_seam_messages_need_the_hello)
{
	struct proto_msg m, out;
	struct proto_error err;
	struct proto_peer peer = fixture_peer_qubes();

	/* an agent's hello before the daemon said it is Seam, as to a Qubes daemon: fatal */
	fixture_valid(PROTO_MSG_SEAM_HELLO, A, &m);
	ck_assert_int_eq(fixture_roundtrip(&peer, A, &m, 0, &out, &err), PROTO_FATAL);
	peer.seam_hello_sent = true;
	ck_assert_int_eq(fixture_roundtrip(&peer, A, &m, 0, &out, &err), PROTO_OK);

	/* a memfd dump before the agent's hello, or without the memfd feature: fatal */
	fixture_valid(PROTO_MSG_SEAM_WINDOW_DUMP_FD, A, &m);
	ck_assert_int_eq(fixture_roundtrip(&peer, A, &m, 1, &out, &err), PROTO_FATAL);
	peer.seam = true;
	ck_assert_int_eq(fixture_roundtrip(&peer, A, &m, 1, &out, &err), PROTO_FATAL);
	peer.seam_features = PROTO_SEAM_FEATURE_MEMFD;
	ck_assert_int_eq(fixture_roundtrip(&peer, A, &m, 1, &out, &err), PROTO_OK);

	/* a Qubes agent gets the daemon's hello as an ordinary message it may skip */
	struct proto_peer qubes = fixture_peer_qubes();
	fixture_valid(PROTO_MSG_SEAM_HELLO, D, &m);
	ck_assert_int_eq(fixture_roundtrip(&qubes, D, &m, 0, &out, &err), PROTO_OK);
}
END_TEST

START_TEST(test_framing_second_agent_hello_is_fatal)
{
	struct proto_peer peer = fixture_peer_seam(); /* the agent has said hello already */
	struct proto_msg m, out;
	struct proto_error err;
	fixture_valid(PROTO_MSG_SEAM_HELLO, A, &m);
	ck_assert_int_eq(fixture_roundtrip(&peer, A, &m, 0, &out, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "type");
}
END_TEST

START_TEST(test_framing_decode_without_error_keeps_verdict)
{
	/* A caller that wants no error text still gets "close the connection" for a bad dump. */
	struct proto_peer peer = fixture_peer_qubes();
	struct proto_msg m, out;
	fixture_valid(PROTO_MSG_WINDOW_DUMP, A, &m);
	m.data_len -= 4;
	uint8_t buf[256];
	size_t n = proto_encode(&m, buf, sizeof(buf));
	struct proto_hdr hdr;
	proto_hdr_decode(buf, &hdr);
	ck_assert_int_eq(proto_decode(&peer, A, &hdr, buf + PROTO_HDR_SIZE,
				      (uint32_t)(n - PROTO_HDR_SIZE), 0, &out, NULL),
			 PROTO_FATAL);
	fixture_valid(PROTO_MSG_WINDOW_FLAGS, A, &m);
	m.u.flags = (struct proto_window_flags){PROTO_FLAG_FULLSCREEN, PROTO_FLAG_FULLSCREEN};
	n = proto_encode(&m, buf, sizeof(buf));
	proto_hdr_decode(buf, &hdr);
	ck_assert_int_eq(proto_decode(&peer, A, &hdr, buf + PROTO_HDR_SIZE,
				      (uint32_t)(n - PROTO_HDR_SIZE), 0, &out, NULL),
			 PROTO_DROP);
}
END_TEST

START_TEST(test_framing_stream_of_messages)
{
	/* Several messages back to back are taken apart by their headers alone. */
	static const uint32_t types[] = {PROTO_MSG_CREATE, PROTO_MSG_WMNAME, PROTO_MSG_MAP,
					 PROTO_MSG_WINDOW_DUMP, PROTO_MSG_SHMIMAGE, PROTO_MSG_UNMAP,
					 PROTO_MSG_CLIPBOARD_DATA, PROTO_MSG_DESTROY};
	uint8_t stream[4096];
	size_t used = 0;
	struct proto_msg m;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		fixture_valid(types[i], A, &m);
		size_t n = proto_encode(&m, stream + used, sizeof(stream) - used);
		ck_assert_uint_gt(n, 0);
		used += n;
	}
	struct proto_peer peer = fixture_peer_qubes();
	size_t pos = 0, count = 0;
	while (pos < used) {
		struct proto_hdr hdr;
		struct proto_error err;
		struct proto_msg out;
		uint32_t n;
		proto_hdr_decode(stream + pos, &hdr);
		ck_assert_int_eq(proto_check_header(&peer, A, &hdr, &n, &err), PROTO_OK);
		pos += PROTO_HDR_SIZE;
		ck_assert_int_eq(proto_decode(&peer, A, &hdr, stream + pos, n, 0, &out, &err),
				 PROTO_OK);
		ck_assert_uint_eq(out.type, types[count]);
		pos += n;
		count++;
	}
	ck_assert_uint_eq(count, sizeof(types) / sizeof(types[0]));
	ck_assert_uint_eq(pos, used);
}
END_TEST

START_TEST(test_framing_null_error_is_allowed)
{
	struct proto_peer peer = fixture_peer_qubes();
	uint32_t n;
	struct proto_hdr hdr = {0xdead, 1, 0};
	ck_assert_int_eq(proto_check_header(&peer, A, &hdr, &n, NULL), PROTO_FATAL);
}
END_TEST

Suite *suite_framing(void)
{
	Suite *s = suite_create("framing");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_framing_truncated_body_is_fatal);
	tcase_add_test(tc, test_framing_fixed_length_mismatch_is_fatal);
	tcase_add_test(tc, test_framing_variable_length_bounds);
	tcase_add_test(tc, test_framing_unknown_type_from_guest_is_fatal);
	tcase_add_test(tc, test_framing_unknown_type_from_daemon_is_skipped);
	tcase_add_test(tc, test_framing_wrong_direction);
	tcase_add_test(tc, test_framing_message_before_handshake_is_fatal);
	tcase_add_test(tc, test_framing_bad_window_id_is_dropped_in_frame);
	tcase_add_test(tc, test_framing_unexpected_fds_are_fatal);
	tcase_add_test(tc, test_framing_seam_messages_need_the_hello);
	tcase_add_test(tc, test_framing_second_agent_hello_is_fatal);
	tcase_add_test(tc, test_framing_decode_without_error_keeps_verdict);
	tcase_add_test(tc, test_framing_stream_of_messages);
	tcase_add_test(tc, test_framing_null_error_is_allowed);
	suite_add_tcase(s, tc);
	return s;
}

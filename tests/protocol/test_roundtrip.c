/* Every message Seam knows survives encode -> check -> decode unchanged. */
#include <string.h>

#include "fixtures.h"

START_TEST(test_roundtrip_every_message)
{
	const struct fixture_type *ft = &fixture_types[_i];
	struct proto_peer peer = fixture_peer_for(ft->type, ft->from);
	struct proto_msg m, out;
	struct proto_error err = {0};
	fixture_valid(ft->type, ft->from, &m);
	enum proto_verdict v = fixture_roundtrip(&peer, ft->from, &m, proto_fds_for_type(m.type),
						 &out, &err);
	ck_assert_msg(v == PROTO_OK, "%s: %s", proto_type_name(ft->type), err.text);
	ck_assert_uint_eq(out.type, m.type);
	ck_assert_uint_eq(out.window, m.window);
	ck_assert_mem_eq(&out.u, &m.u, sizeof(m.u));
	ck_assert_uint_eq(out.data_len, m.data_len);
	if (m.data_len)
		ck_assert_mem_eq(out.data, m.data, m.data_len);
}
END_TEST

START_TEST(test_roundtrip_type_names_are_unique_and_known)
{
	for (uint32_t t = PROTO_QUBES_TYPE_FIRST; t <= PROTO_QUBES_TYPE_LAST; t++) {
		ck_assert_str_ne(proto_type_name(t), "unknown");
		for (uint32_t u = PROTO_QUBES_TYPE_FIRST; u < t; u++)
			ck_assert_str_ne(proto_type_name(t), proto_type_name(u));
	}
	ck_assert_str_eq(proto_type_name(PROTO_MSG_SEAM_HELLO), "SEAM_HELLO");
	ck_assert_str_eq(proto_type_name(123), "unknown");
	ck_assert_str_eq(proto_type_name(150), "unknown");
}
END_TEST

START_TEST(test_roundtrip_wire_layout_matches_qubes)
{
	/* A CREATE as a Qubes agent writes it: header then six little-endian u32. */
	struct proto_msg m;
	fixture_valid(PROTO_MSG_CREATE, PROTO_FROM_AGENT, &m);
	m.window = 0x01020304;
	m.u.create = (struct proto_create){-1, 2, 3, 4, 0, 1};
	uint8_t buf[64];
	ck_assert_uint_eq(proto_encode(&m, buf, sizeof(buf)), 36);
	static const uint8_t expect[36] = {
		130, 0, 0, 0, 4, 3, 2, 1, 24, 0, 0, 0,				/* header */
		0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};
	ck_assert_mem_eq(buf, expect, sizeof(expect));
}
END_TEST

START_TEST(test_roundtrip_shmimage_inside_window)
{
	struct proto_peer peer = fixture_peer_qubes();
	struct proto_msg m, out;
	struct proto_error err;
	fixture_valid(PROTO_MSG_SHMIMAGE, PROTO_FROM_AGENT, &m);
	m.u.shmimage = (struct proto_shmimage){5, 6, 7, 8};
	ck_assert_int_eq(fixture_roundtrip(&peer, PROTO_FROM_AGENT, &m, 0, &out, &err), PROTO_OK);
	ck_assert_int_eq(out.u.shmimage.x, 5);
	ck_assert_uint_eq(out.u.shmimage.height, 8);
}
END_TEST

START_TEST(test_roundtrip_create_parent_is_zeroed)
{
	struct proto_peer peer = fixture_peer_qubes();
	struct proto_msg m, out;
	struct proto_error err;
	fixture_valid(PROTO_MSG_CREATE, PROTO_FROM_AGENT, &m);
	m.u.create.parent = 0x1234;
	ck_assert_int_eq(fixture_roundtrip(&peer, PROTO_FROM_AGENT, &m, 0, &out, &err), PROTO_OK);
	ck_assert_uint_eq(out.u.create.parent, 0);
}
END_TEST

START_TEST(test_roundtrip_unflagged_hints_are_zeroed)
{
	struct proto_peer peer = fixture_peer_qubes();
	struct proto_msg m, out;
	struct proto_error err;
	fixture_valid(PROTO_MSG_WINDOW_HINTS, PROTO_FROM_AGENT, &m);
	m.u.hints.flags = PROTO_HINT_PMINSIZE;
	m.u.hints.max_width = 0xffffffff; /* out of bounds, but not flagged: meaningless */
	ck_assert_int_eq(fixture_roundtrip(&peer, PROTO_FROM_AGENT, &m, 0, &out, &err), PROTO_OK);
	ck_assert_uint_eq(out.u.hints.min_width, 100);
	ck_assert_uint_eq(out.u.hints.max_width, 0);
	ck_assert_uint_eq(out.u.hints.width_inc, 0);
	ck_assert_uint_eq(out.u.hints.base_height, 0);
}
END_TEST

START_TEST(test_roundtrip_mfndump_receiver_fields_are_zeroed)
{
	struct proto_peer peer = fixture_peer_qubes();
	struct proto_msg m, out;
	struct proto_error err;
	fixture_valid(PROTO_MSG_MFNDUMP, PROTO_FROM_AGENT, &m);
	m.u.shm_cmd.shmid = 77;
	m.u.shm_cmd.domid = 5;
	ck_assert_int_eq(fixture_roundtrip(&peer, PROTO_FROM_AGENT, &m, 0, &out, &err), PROTO_OK);
	ck_assert_uint_eq(out.u.shm_cmd.shmid, 0);
	ck_assert_uint_eq(out.u.shm_cmd.domid, 0);
}
END_TEST

START_TEST(test_roundtrip_encode_refuses_small_buffer_and_unknown_type)
{
	struct proto_msg m;
	uint8_t buf[64];
	fixture_valid(PROTO_MSG_CONFIGURE, PROTO_FROM_AGENT, &m);
	ck_assert_uint_eq(proto_encode(&m, buf, PROTO_HDR_SIZE + 19), 0);
	ck_assert_uint_eq(proto_encode(&m, buf, PROTO_HDR_SIZE + 20), PROTO_HDR_SIZE + 20);
	m.type = 151;
	ck_assert_uint_eq(proto_encoded_len(&m), 0);
	ck_assert_uint_eq(proto_encode(&m, buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(test_roundtrip_largest_window_dump)
{
	static uint32_t big[PROTO_MAX_GRANT_REFS];
	struct proto_peer peer = fixture_peer_qubes();
	struct proto_msg m, out;
	struct proto_error err;
	fixture_valid(PROTO_MSG_WINDOW_DUMP, PROTO_FROM_AGENT, &m);
	m.u.dump.width = PROTO_MAX_WINDOW_WIDTH;
	m.u.dump.height = PROTO_MAX_WINDOW_HEIGHT;
	for (uint32_t i = 0; i < PROTO_MAX_GRANT_REFS; i++)
		big[i] = i;
	m.data = (const uint8_t *)big;
	m.data_len = sizeof(big);
	ck_assert_uint_eq(proto_encoded_len(&m), PROTO_HDR_SIZE + PROTO_WINDOW_DUMP_MAX_LEN);
	ck_assert_int_eq(fixture_roundtrip(&peer, PROTO_FROM_AGENT, &m, 0, &out, &err), PROTO_OK);
	ck_assert_uint_eq(out.data_len, sizeof(big));
	ck_assert_mem_eq(out.data, big, sizeof(big));
}
END_TEST

Suite *suite_roundtrip(void)
{
	Suite *s = suite_create("roundtrip");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_roundtrip_every_message, 0, (int)fixture_types_count);
	tcase_add_test(tc, test_roundtrip_type_names_are_unique_and_known);
	tcase_add_test(tc, test_roundtrip_wire_layout_matches_qubes);
	tcase_add_test(tc, test_roundtrip_shmimage_inside_window);
	tcase_add_test(tc, test_roundtrip_create_parent_is_zeroed);
	tcase_add_test(tc, test_roundtrip_unflagged_hints_are_zeroed);
	tcase_add_test(tc, test_roundtrip_mfndump_receiver_fields_are_zeroed);
	tcase_add_test(tc, test_roundtrip_encode_refuses_small_buffer_and_unknown_type);
	tcase_add_test(tc, test_roundtrip_largest_window_dump);
	suite_add_tcase(s, tc);
	return s;
}

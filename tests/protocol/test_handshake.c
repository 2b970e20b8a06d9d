/* Version negotiation, xconf and the Seam hello. */
#include <string.h>

#include "fixtures.h"

START_TEST(test_handshake_daemon_negotiates_minimum)
{
	uint32_t v = 0;
	struct proto_error err;
	ck_assert_int_eq(proto_negotiate_daemon(PROTO_VERSION(1, 8), &v, &err), 0);
	ck_assert_uint_eq(v, PROTO_VERSION(1, 8));
	ck_assert_int_eq(proto_negotiate_daemon(PROTO_VERSION(1, 9), &v, &err), 0);
	ck_assert_uint_eq(v, PROTO_VERSION(1, 8));
	ck_assert_int_eq(proto_negotiate_daemon(PROTO_VERSION(1, 7), &v, &err), 0);
	ck_assert_uint_eq(v, PROTO_VERSION(1, 7));
}
END_TEST

START_TEST(test_handshake_daemon_rejects_mismatched_versions)
{
	uint32_t v = 12345;
	struct proto_error err;
	ck_assert_int_eq(proto_negotiate_daemon(PROTO_VERSION(1, 6), &v, &err), -1);
	ck_assert_int_eq(err.verdict, PROTO_FATAL);
	ck_assert_str_eq(err.field, "version");
	ck_assert_msg(strncmp(err.text, "handshake.version: ", 19) == 0, "%s", err.text);
	ck_assert_int_eq(proto_negotiate_daemon(PROTO_VERSION(2, 0), &v, &err), -1);
	ck_assert_int_eq(proto_negotiate_daemon(PROTO_VERSION(0, 8), &v, &err), -1);
	ck_assert_int_eq(proto_negotiate_daemon(0xffffffffu, &v, &err), -1);
	ck_assert_uint_eq(v, 12345); /* untouched on failure */
}
END_TEST

START_TEST(test_handshake_agent_checks_daemon_answer)
{
	struct proto_error err;
	ck_assert_int_eq(proto_negotiate_agent(PROTO_VERSION(1, 8), &err), 0);
	ck_assert_int_eq(proto_negotiate_agent(PROTO_VERSION(1, 7), &err), 0);
	ck_assert_int_eq(proto_negotiate_agent(PROTO_VERSION(1, 9), &err), -1);
	ck_assert_int_eq(proto_negotiate_agent(PROTO_VERSION(1, 6), &err), -1);
	ck_assert_int_eq(proto_negotiate_agent(PROTO_VERSION(2, 8), &err), -1);
	ck_assert_str_eq(err.field, "version");
}
END_TEST

START_TEST(test_handshake_xconf_as_qubes_computes_it)
{
	struct proto_xconf x;
	struct proto_error err;
	proto_xconf_make(1366, 768, 24, &x);
	ck_assert_uint_eq(x.w, 1368);
	ck_assert_uint_eq(x.h, 768);
	ck_assert_uint_eq(x.depth, 24);
	ck_assert_uint_eq(x.mem, 1368u * 768u * 4u / 1024u + 1u);
	ck_assert_int_eq(proto_validate_xconf(&x, &err), 0);
}
END_TEST

START_TEST(test_handshake_xconf_clamps_huge_screens)
{
	struct proto_xconf x;
	struct proto_error err;
	proto_xconf_make(0xfffffffcu, 20000, 24, &x);
	ck_assert_uint_eq(x.w, 16384);
	ck_assert_uint_eq(x.h, 16384);
	ck_assert_int_eq(proto_validate_xconf(&x, &err), 0);
}
END_TEST

START_TEST(test_handshake_xconf_adjusted_never_refused)
{
	/* Qubes' daemon sends its screen as it is; Qubes' agent ignores the xconf. */
	struct proto_xconf x;
	struct proto_error err;
	proto_xconf_make(16384, 16384, 32, &x);
	ck_assert_int_eq(proto_validate_xconf(&x, &err), 0);
	ck_assert_ptr_null(err.field);
	x.w = 16392;
	ck_assert_int_eq(proto_validate_xconf(&x, &err), 0);
	ck_assert_str_eq(err.field, "xconf.w");
	ck_assert_uint_eq(x.w, 16384);
	x.w = 1001; /* not a multiple of 8 */
	ck_assert_int_eq(proto_validate_xconf(&x, &err), 0);
	ck_assert_uint_eq(x.w, 1000);
	x.w = 3;
	ck_assert_int_eq(proto_validate_xconf(&x, &err), 0);
	ck_assert_uint_eq(x.w, 8);
	proto_xconf_make(800, 16384, 24, &x);
	x.h = 16385;
	ck_assert_int_eq(proto_validate_xconf(&x, &err), 0);
	ck_assert_str_eq(err.field, "xconf.h");
	ck_assert_uint_eq(x.h, 16384);
	x.h = 0;
	ck_assert_int_eq(proto_validate_xconf(&x, &err), 0);
	ck_assert_uint_eq(x.h, 1);
	/* a 30-bit host: kept, and said */
	proto_xconf_make(800, 600, 30, &x);
	ck_assert_int_eq(proto_validate_xconf(&x, &err), 0);
	ck_assert_str_eq(err.field, "xconf.depth");
	ck_assert_uint_eq(x.depth, 30);
	proto_xconf_make(800, 600, 24, &x);
	x.mem = 16384u * 16384u * 4u / 1024u + 2u;
	ck_assert_int_eq(proto_validate_xconf(&x, &err), 0);
	ck_assert_str_eq(err.field, "xconf.mem");
	ck_assert_uint_eq(x.mem, 16384u * 16384u * 4u / 1024u + 1u);
}
END_TEST

START_TEST(test_handshake_seam_hello_intersects_features)
{
	struct proto_error err;
	uint32_t agreed = 99;
	struct proto_seam_hello h = {PROTO_SEAM_MAGIC, PROTO_SEAM_VERSION, 0xffffffffu};
	ck_assert_int_eq(proto_seam_accept_hello(&h, PROTO_SEAM_FEATURE_MEMFD, &agreed, &err), 0);
	ck_assert_uint_eq(agreed, PROTO_SEAM_FEATURE_MEMFD);
	ck_assert_int_eq(proto_seam_accept_hello(&h, 0, &agreed, &err), 0);
	ck_assert_uint_eq(agreed, 0);
	h.features = 0;
	ck_assert_int_eq(proto_seam_accept_hello(&h, PROTO_SEAM_FEATURE_MEMFD, &agreed, &err), 0);
	ck_assert_uint_eq(agreed, 0);
	h.magic = 0x12345678;
	ck_assert_int_eq(proto_seam_accept_hello(&h, PROTO_SEAM_FEATURE_MEMFD, &agreed, &err), -1);
	ck_assert_str_eq(err.field, "magic");
	ck_assert_int_eq(err.verdict, PROTO_FATAL);
}
END_TEST

Suite *suite_handshake(void)
{
	Suite *s = suite_create("handshake");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_handshake_daemon_negotiates_minimum);
	tcase_add_test(tc, test_handshake_daemon_rejects_mismatched_versions);
	tcase_add_test(tc, test_handshake_agent_checks_daemon_answer);
	tcase_add_test(tc, test_handshake_xconf_as_qubes_computes_it);
	tcase_add_test(tc, test_handshake_xconf_clamps_huge_screens);
	tcase_add_test(tc, test_handshake_xconf_adjusted_never_refused);
	tcase_add_test(tc, test_handshake_seam_hello_intersects_features);
	suite_add_tcase(s, tc);
	return s;
}

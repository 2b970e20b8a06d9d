/* The guest driver's socket's wire format and default path (protocol/drvsock.h): every field of a
 * reply is checked before the agent uses it, and a request the driver cannot parse is refused. */
#include <errno.h>
#include <string.h>

#include "protocol/drvsock.h"
#include "protocol/proto.h"
#include "suites.h"

static struct proto_drv_reply ok_reply(void)
{
	return (struct proto_drv_reply){PROTO_DRV_OK,  300, 200, 1200, PROTO_SEAM_FORMAT_XRGB8888,
					0x100000002ull};
}

static int decode(const struct proto_drv_reply *r, unsigned nfds, struct proto_drv_reply *out)
{
	uint8_t buf[PROTO_DRV_REPLY_SIZE];
	char why[128];
	proto_drv_encode_reply(r, buf);
	return proto_drv_decode_reply(buf, sizeof(buf), nfds, out, why, sizeof(why));
}

START_TEST(test_request_roundtrip)
{
	uint8_t buf[PROTO_DRV_REQUEST_SIZE];
	struct proto_drv_request out = {0};
	char why[128];
	proto_drv_encode_request(&(struct proto_drv_request){0x1a00004}, buf);
	ck_assert_int_eq(proto_drv_decode_request(buf, sizeof(buf), &out, why, sizeof(why)), 0);
	ck_assert_uint_eq(out.window, 0x1a00004);
	/* Little-endian on the wire, whatever the host. */
	ck_assert_uint_eq(buf[0], 0x01);
	ck_assert_uint_eq(buf[3], 0x5e);
	ck_assert_uint_eq(buf[4], 0x04);
}
END_TEST

START_TEST(test_request_refused)
{
	uint8_t buf[PROTO_DRV_REQUEST_SIZE + 1] = {0};
	struct proto_drv_request out = {0};
	char why[128];
	proto_drv_encode_request(&(struct proto_drv_request){5}, buf);
	ck_assert_int_eq(proto_drv_decode_request(buf, 7, &out, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(proto_drv_decode_request(buf, 9, &out, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "9 bytes"));
	buf[1] ^= 1; /* magic */
	ck_assert_int_eq(proto_drv_decode_request(buf, 8, &out, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "magic"));
	proto_drv_encode_request(&(struct proto_drv_request){0}, buf);
	ck_assert_int_eq(proto_drv_decode_request(buf, 8, &out, why, sizeof(why)), -EINVAL);
	proto_drv_encode_request(&(struct proto_drv_request){PROTO_WINDOW_ID_MAX + 1}, buf);
	ck_assert_int_eq(proto_drv_decode_request(buf, 8, &out, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "window id"));
	proto_drv_encode_request(&(struct proto_drv_request){PROTO_WINDOW_ID_MAX}, buf);
	ck_assert_int_eq(proto_drv_decode_request(buf, 8, &out, why, sizeof(why)), 0);
}
END_TEST

START_TEST(test_reply_roundtrip)
{
	struct proto_drv_reply r = ok_reply(), out = {0};
	ck_assert_int_eq(decode(&r, 1, &out), 0);
	ck_assert_uint_eq(out.status, r.status);
	ck_assert_uint_eq(out.width, r.width);
	ck_assert_uint_eq(out.height, r.height);
	ck_assert_uint_eq(out.stride, r.stride);
	ck_assert_uint_eq(out.format, r.format);
	ck_assert_uint_eq(out.serial, r.serial); /* both halves */
	struct proto_drv_reply none = {.status = PROTO_DRV_NOT_MINE};
	ck_assert_int_eq(decode(&none, 0, &out), 0);
	ck_assert_uint_eq(out.status, PROTO_DRV_NOT_MINE);
}
END_TEST

/* One field of an OK reply at a time, and the descriptor count. */
START_TEST(test_reply_ok_fields)
{
	struct proto_drv_reply out, r;
	r = ok_reply();
	ck_assert_int_eq(decode(&r, 0, &out), -EINVAL); /* no memfd */
	ck_assert_int_eq(decode(&r, 2, &out), -EINVAL); /* two */
	r = ok_reply(), r.width = 0;
	ck_assert_int_eq(decode(&r, 1, &out), -EINVAL);
	r = ok_reply(), r.width = PROTO_MAX_WINDOW_WIDTH + 1, r.stride = r.width * 4;
	ck_assert_int_eq(decode(&r, 1, &out), -EINVAL);
	r = ok_reply(), r.height = PROTO_MAX_WINDOW_HEIGHT + 1;
	ck_assert_int_eq(decode(&r, 1, &out), -EINVAL);
	r = ok_reply(), r.stride = 1204; /* padded rows: the daemon refuses them */
	ck_assert_int_eq(decode(&r, 1, &out), -EINVAL);
	r = ok_reply(), r.format = 1;
	ck_assert_int_eq(decode(&r, 1, &out), -EINVAL);
	r = ok_reply(), r.serial = 0;
	ck_assert_int_eq(decode(&r, 1, &out), -EINVAL);
	r = ok_reply(), r.width = PROTO_MAX_WINDOW_WIDTH, r.height = PROTO_MAX_WINDOW_HEIGHT,
	r.stride = r.width * 4;
	ck_assert_int_eq(decode(&r, 1, &out), 0);
}
END_TEST

START_TEST(test_reply_other_fields)
{
	struct proto_drv_reply out, r = {.status = PROTO_DRV_NOT_MINE};
	ck_assert_int_eq(decode(&r, 1, &out), -EINVAL); /* a memfd with "not mine" */
	r.width = 1;
	ck_assert_int_eq(decode(&r, 0, &out), -EINVAL);
	r = (struct proto_drv_reply){.status = PROTO_DRV_BAD_REQUEST};
	ck_assert_int_eq(decode(&r, 0, &out), 0);
	r.status = 4;
	ck_assert_int_eq(decode(&r, 0, &out), -EINVAL);
	uint8_t buf[PROTO_DRV_REPLY_SIZE + 1];
	char why[128];
	r = ok_reply();
	proto_drv_encode_reply(&r, buf);
	ck_assert_int_eq(proto_drv_decode_reply(buf, 31, 1, &out, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(proto_drv_decode_reply(buf, 33, 1, &out, why, sizeof(why)), -EINVAL);
	buf[2] ^= 0x10;
	ck_assert_int_eq(proto_drv_decode_reply(buf, 32, 1, &out, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "magic"));
}
END_TEST

/* An OK_GRANTS reply: the header's checks with no descriptor, then a body of exactly the pages
 * stride * height needs, granted to a real domain. */
START_TEST(test_grants)
{
	struct proto_drv_reply r = ok_reply(), out;
	r.status = PROTO_DRV_OK_GRANTS;
	ck_assert_int_eq(decode(&r, 0, &out), 0);
	ck_assert_uint_eq(out.status, PROTO_DRV_OK_GRANTS);
	ck_assert_int_eq(decode(&r, 1, &out), -EINVAL); /* a descriptor with grants */
	r.stride = 1204;
	ck_assert_int_eq(decode(&r, 0, &out), -EINVAL);
	r = out;
	/* 300 x 200 x 4 = 240000 bytes: 59 pages (the last one partly used). */
	uint32_t n = proto_drv_grant_count(&r);
	ck_assert_uint_eq(n, 59);
	uint32_t refs[64], got[64], domid = 99;
	for (uint32_t i = 0; i < n; i++)
		refs[i] = 0x100 + i * 3;
	uint8_t body[8 + 4 * 64];
	ck_assert_uint_eq(proto_drv_grants_size(n), 8 + 4 * 59);
	proto_drv_encode_grants(0, refs, n, body);
	char why[128];
	size_t len = proto_drv_grants_size(n);
	ck_assert_int_eq(proto_drv_decode_grants(&r, body, len, &domid, got, why, sizeof(why)), 0);
	ck_assert_uint_eq(domid, 0);
	ck_assert_int_eq(memcmp(refs, got, n * 4), 0);
	ck_assert_int_eq(proto_drv_decode_grants(&r, body, len - 4, &domid, got, why, sizeof(why)),
			 -EINVAL);
	ck_assert_int_eq(proto_drv_decode_grants(&r, body, len + 4, &domid, got, why, sizeof(why)),
			 -EINVAL);
	proto_drv_encode_grants(0, refs, n - 1, body); /* the count says 58, the length 59 */
	ck_assert_int_eq(proto_drv_decode_grants(&r, body, len, &domid, got, why, sizeof(why)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "needs 59"));
	proto_drv_encode_grants(PROTO_DRV_MAX_DOMID + 1, refs, n, body); /* DOMID_IO and beyond */
	ck_assert_int_eq(proto_drv_decode_grants(&r, body, len, &domid, got, why, sizeof(why)),
			 -EINVAL);
	proto_drv_encode_grants(PROTO_DRV_MAX_DOMID, refs, n, body);
	ck_assert_int_eq(proto_drv_decode_grants(&r, body, len, &domid, got, why, sizeof(why)), 0);
	ck_assert_uint_eq(domid, PROTO_DRV_MAX_DOMID);
	/* The largest window's count fits the protocol's grant bound. */
	r.width = PROTO_MAX_WINDOW_WIDTH, r.height = PROTO_MAX_WINDOW_HEIGHT,
	r.stride = r.width * 4;
	ck_assert_uint_eq(proto_drv_grant_count(&r), PROTO_MAX_GRANT_REFS);
}
END_TEST

START_TEST(test_socket_path)
{
	char p[64];
	ck_assert_int_eq(proto_drv_socket_path("/run/user/1000", "5", p, sizeof(p)), 0);
	ck_assert_str_eq(p, "/run/user/1000/seam-drv-5");
	/* The agent's forms of the same display give the driver's path. */
	const char *same[] = {":5", ":5.0", "unix:5", "unix:5.1"};
	for (unsigned i = 0; i < 4; i++) {
		ck_assert_int_eq(proto_drv_socket_path("/run/user/1000", same[i], p, sizeof(p)), 0);
		ck_assert_str_eq(p, "/run/user/1000/seam-drv-5");
	}
	const char *bad[] = {"", ":", "host:5", "localhost:10.0", ":5x", ":.0", "5/../x"};
	for (unsigned i = 0; i < 7; i++)
		ck_assert_int_eq(proto_drv_socket_path("/run", bad[i], p, sizeof(p)), -EINVAL);
	ck_assert_int_eq(proto_drv_socket_path(NULL, ":5", p, sizeof(p)), -EINVAL);
	ck_assert_int_eq(proto_drv_socket_path("", ":5", p, sizeof(p)), -EINVAL);
	ck_assert_int_eq(proto_drv_socket_path("run", ":5", p, sizeof(p)), -EINVAL);
	ck_assert_int_eq(proto_drv_socket_path("/run", NULL, p, sizeof(p)), -EINVAL);
	ck_assert_int_eq(proto_drv_socket_path("/run", ":5", p, 14), -EINVAL); /* truncated */
	ck_assert_int_eq(proto_drv_socket_path("/run", ":5", p, 16), 0);
}
END_TEST

Suite *suite_drvsock(void)
{
	Suite *s = suite_create("drvsock");
	TCase *t = tcase_create("wire");
	tcase_add_test(t, test_request_roundtrip);
	tcase_add_test(t, test_request_refused);
	tcase_add_test(t, test_reply_roundtrip);
	tcase_add_test(t, test_reply_ok_fields);
	tcase_add_test(t, test_reply_other_fields);
	tcase_add_test(t, test_grants);
	tcase_add_test(t, test_socket_path);
	suite_add_tcase(s, t);
	return s;
}

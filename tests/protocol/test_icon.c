/* The icon extension (SEAM_ICON): only from an agent whose hello agreed it, and every size and
 * length bounded before the daemon allocates or tints anything. */
#include <string.h>

#include "fixtures.h"

/* Room for the largest icon the table allows, and one word more. */
static uint32_t pixels[PROTO_ICON_MAX_PIXELS + 1];

static enum proto_verdict decode(const struct proto_msg *m, struct proto_error *err)
{
	struct proto_msg out;
	struct proto_peer peer = fixture_peer_seam();
	return fixture_roundtrip(&peer, PROTO_FROM_AGENT, m, 0, &out, err);
}

/* An icon message with these sizes and exactly their pixels. */
static void icon(struct proto_msg *m, uint32_t count, const struct proto_seam_icon_size *sizes)
{
	fixture_valid(PROTO_MSG_SEAM_ICON, PROTO_FROM_AGENT, m);
	memset(&m->u.icon, 0, sizeof(m->u.icon));
	m->u.icon.count = count;
	uint64_t n = 0;
	for (uint32_t i = 0; i < count && i < PROTO_ICON_MAX_IMAGES; i++) {
		m->u.icon.sizes[i] = sizes[i];
		n += (uint64_t)sizes[i].width * sizes[i].height;
	}
	ck_assert_uint_le(n, PROTO_ICON_MAX_PIXELS);
	m->data = (const uint8_t *)pixels;
	m->data_len = (uint32_t)n * 4u;
}

START_TEST(test_icon_needs_the_agreed_feature)
{
	fixture_assert_agent_feature(PROTO_MSG_SEAM_ICON, PROTO_SEAM_FEATURE_ICONS);
	struct proto_msg m;
	struct proto_error err;
	/* window-scoped */
	fixture_valid(PROTO_MSG_SEAM_ICON, PROTO_FROM_AGENT, &m);
	m.window = 0;
	ck_assert_int_eq(decode(&m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "window");
}
END_TEST

START_TEST(test_icon_accepts_no_icon_and_the_largest)
{
	struct proto_msg m;
	struct proto_error err;
	icon(&m, 0, NULL);
	ck_assert_int_eq(decode(&m, &err), PROTO_OK);
	const struct proto_seam_icon_size big[] = {{256, 256}};
	icon(&m, 1, big);
	ck_assert_int_eq(decode(&m, &err), PROTO_OK);
	const struct proto_seam_icon_size four[] = {{128, 128}, {128, 128}, {128, 64}, {64, 128}};
	icon(&m, 4, four);
	ck_assert_int_eq(decode(&m, &err), PROTO_OK);
	const struct proto_seam_icon_size thin[] = {{1, 256}, {256, 1}};
	icon(&m, 2, thin);
	ck_assert_int_eq(decode(&m, &err), PROTO_OK);
}
END_TEST

START_TEST(test_icon_bad_sizes_are_dropped_naming_the_field)
{
	static const struct {
		uint32_t count;
		struct proto_seam_icon_size sizes[PROTO_ICON_MAX_IMAGES];
		const char *field;
	} bad[] = {
	    {1, {{0, 16}}, "width"},
	    {1, {{16, 0}}, "height"},
	    {1, {{0, 0}}, "width"},
	    {1, {{257, 1}}, "width"},
	    {1, {{1, 257}}, "height"},
	    {1, {{0x80000000u, 2}}, "width"},
	    {2, {{16, 16}, {65536, 65536}}, "width"},
	    {1, {{16, 16}, {16, 16}}, "sizes"}, /* an unused size that is not 0x0 */
	    {0, {{0, 0}, {0, 0}, {0, 0}, {1, 1}}, "sizes"},
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct proto_msg m;
		struct proto_error err;
		fixture_valid(PROTO_MSG_SEAM_ICON, PROTO_FROM_AGENT, &m);
		m.u.icon.count = bad[i].count;
		memcpy(m.u.icon.sizes, bad[i].sizes, sizeof(m.u.icon.sizes));
		m.data = (const uint8_t *)pixels;
		m.data_len = 16 * 16 * 4;
		ck_assert_msg(decode(&m, &err) == PROTO_DROP, "case %u accepted", i);
		ck_assert_str_eq(err.field, bad[i].field);
	}
}
END_TEST

START_TEST(test_icon_too_many_images_are_dropped)
{
	struct proto_msg m;
	struct proto_error err;
	const struct proto_seam_icon_size one[] = {{1, 1}};
	icon(&m, 1, one);
	for (uint32_t count = PROTO_ICON_MAX_IMAGES + 1; count < 8; count++) {
		m.u.icon.count = count;
		ck_assert_int_eq(decode(&m, &err), PROTO_DROP);
		ck_assert_str_eq(err.field, "count");
	}
	m.u.icon.count = 0xffffffffu;
	ck_assert_int_eq(decode(&m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "count");
}
END_TEST

START_TEST(test_icon_pixels_must_match_the_sizes)
{
	struct proto_msg m;
	struct proto_error err;
	const struct proto_seam_icon_size two[] = {{16, 16}, {32, 32}};
	icon(&m, 2, two);
	m.data_len -= 4; /* one pixel short */
	ck_assert_int_eq(decode(&m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "pixels");
	m.data_len += 8; /* one pixel more */
	ck_assert_int_eq(decode(&m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "pixels");
	m.data_len = 0; /* sizes without pixels */
	ck_assert_int_eq(decode(&m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "pixels");
}
END_TEST

/* Sizes whose pixels the table's bound does not allow (four 256x256 images, 1 MiB) cannot come
 * with them: the header is refused before the body is read, and a body within the bound does not
 * match such sizes. */
START_TEST(test_icon_more_than_the_bound_is_refused_before_the_body)
{
	const uint32_t t = PROTO_MSG_SEAM_ICON, w = 0x400001;
	struct proto_error err;
	ck_assert_int_eq(fixture_agent_header(t, w, (uint32_t)PROTO_ICON_MAX_LEN + 4u, &err),
			 PROTO_FATAL);
	ck_assert_str_eq(err.field, "untrusted_len");
	ck_assert_int_eq(fixture_agent_header(t, w, 0xffffffffu, &err), PROTO_FATAL);
	/* shorter than its sizes; half a pixel */
	ck_assert_int_eq(fixture_agent_header(t, w, sizeof(struct proto_seam_icon) - 4u, &err),
			 PROTO_FATAL);
	ck_assert_int_eq(fixture_agent_header(t, w, sizeof(struct proto_seam_icon) + 2u, &err),
			 PROTO_FATAL);

	struct proto_msg m;
	const struct proto_seam_icon_size big[] = {{256, 256}};
	icon(&m, 1, big);
	struct proto_msg too_big = m;
	too_big.data_len += 4;
	ck_assert_uint_eq(proto_encoded_len(&too_big), 0); /* a sender cannot even write it */
	m.u.icon = (struct proto_seam_icon){4, {{256, 256}, {256, 256}, {256, 256}, {256, 256}}};
	ck_assert_int_eq(decode(&m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "pixels");
}
END_TEST

Suite *suite_icon(void)
{
	Suite *s = suite_create("icon");
	TCase *tc = tcase_create("icon");
	tcase_add_test(tc, test_icon_needs_the_agreed_feature);
	tcase_add_test(tc, test_icon_accepts_no_icon_and_the_largest);
	tcase_add_test(tc, test_icon_bad_sizes_are_dropped_naming_the_field);
	tcase_add_test(tc, test_icon_too_many_images_are_dropped);
	tcase_add_test(tc, test_icon_pixels_must_match_the_sizes);
	tcase_add_test(tc, test_icon_more_than_the_bound_is_refused_before_the_body);
	suite_add_tcase(s, tc);
	return s;
}

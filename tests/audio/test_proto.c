/* The audio wire format: header checks before any body byte, one validator per message naming the
 * field, and encode/decode round trips. */
#include <string.h>

#include "audio/audio_proto.h"
#include "suites.h"

static struct proto_hdr hdr(uint32_t type, uint32_t len)
{
	return (struct proto_hdr){type, 0, len};
}

/* The header check's verdict for a message from `from`. */
static enum proto_verdict check(enum proto_dir from, struct proto_hdr h, uint32_t *body_len,
				struct proto_error *err)
{
	uint32_t dummy;
	return audio_check_header(from, &h, body_len ? body_len : &dummy, err);
}

static const struct audio_hello good_hello = {AUDIO_MAGIC, AUDIO_VERSION, AUDIO_FORMAT_S16LE,
					      AUDIO_RATE_44100, AUDIO_CHANNELS};

/* Decode a body from the agent; returns the verdict, err->field names the field. */
static enum proto_verdict decode_agent(uint32_t type, const void *body, uint32_t len,
				       struct audio_msg *m, struct proto_error *err)
{
	struct proto_hdr h = hdr(type, len);
	return audio_decode(PROTO_FROM_AGENT, &h, body, len, m, err);
}

START_TEST(test_header_accepts_every_agent_message_at_its_size)
{
	uint32_t len;
	ck_assert_int_eq(check(PROTO_FROM_AGENT, hdr(AUDIO_MSG_HELLO, 20), &len, NULL), PROTO_OK);
	ck_assert_uint_eq(len, 20);
	ck_assert_int_eq(check(PROTO_FROM_AGENT, hdr(AUDIO_MSG_PLAY_START, 0), &len, NULL),
			 PROTO_OK);
	ck_assert_int_eq(check(PROTO_FROM_AGENT, hdr(AUDIO_MSG_PLAY_STOP, 0), &len, NULL),
			 PROTO_OK);
	ck_assert_int_eq(check(PROTO_FROM_AGENT, hdr(AUDIO_MSG_MIC_REQUEST, 4), &len, NULL),
			 PROTO_OK);
	ck_assert_int_eq(check(PROTO_FROM_AGENT, hdr(AUDIO_MSG_PLAY_DATA, 1764), &len, NULL),
			 PROTO_OK);
	ck_assert_uint_eq(len, 1764);
}
END_TEST

START_TEST(test_header_rejects_hello_of_wrong_size)
{
	struct proto_error err;
	ck_assert_int_eq(check(PROTO_FROM_AGENT, hdr(AUDIO_MSG_HELLO, 21), NULL, &err),
			 PROTO_FATAL);
	ck_assert_str_eq(err.field, "untrusted_len");
	ck_assert_int_eq(check(PROTO_FROM_AGENT, hdr(AUDIO_MSG_HELLO, 0), NULL, &err), PROTO_FATAL);
	ck_assert_int_eq(check(PROTO_FROM_AGENT, hdr(AUDIO_MSG_PLAY_START, 4), NULL, &err),
			 PROTO_FATAL);
}
END_TEST

START_TEST(test_header_rejects_pcm_over_max)
{
	struct proto_error err;
	ck_assert_int_eq(
	    check(PROTO_FROM_AGENT, hdr(AUDIO_MSG_PLAY_DATA, AUDIO_MAX_PCM_BYTES), NULL, &err),
	    PROTO_OK);
	ck_assert_int_eq(
	    check(PROTO_FROM_AGENT, hdr(AUDIO_MSG_PLAY_DATA, AUDIO_MAX_PCM_BYTES + 4), NULL, &err),
	    PROTO_FATAL);
	ck_assert_str_eq(err.field, "untrusted_len");
	ck_assert_int_eq(check(PROTO_FROM_AGENT, hdr(AUDIO_MSG_PLAY_DATA, 0xffffffffu), NULL, &err),
			 PROTO_FATAL);
}
END_TEST

START_TEST(test_header_rejects_empty_pcm)
{
	struct proto_error err;
	ck_assert_int_eq(check(PROTO_FROM_AGENT, hdr(AUDIO_MSG_PLAY_DATA, 0), NULL, &err),
			 PROTO_FATAL);
	ck_assert_str_eq(err.field, "untrusted_len");
}
END_TEST

START_TEST(test_header_rejects_pcm_of_partial_frames)
{
	struct proto_error err;
	for (uint32_t len = 1; len < 4; len++) {
		ck_assert_int_eq(
		    check(PROTO_FROM_AGENT, hdr(AUDIO_MSG_PLAY_DATA, 1764 + len), NULL, &err),
		    PROTO_FATAL);
		ck_assert_str_eq(err.field, "untrusted_len");
	}
}
END_TEST

START_TEST(test_header_rejects_daemon_messages_from_agent)
{
	struct proto_error err;
	ck_assert_int_eq(check(PROTO_FROM_AGENT, hdr(AUDIO_MSG_MIC_STATE, 4), NULL, &err),
			 PROTO_FATAL);
	ck_assert_str_eq(err.field, "type");
	ck_assert_int_eq(check(PROTO_FROM_AGENT, hdr(AUDIO_MSG_MIC_DATA, 400), NULL, &err),
			 PROTO_FATAL);
	ck_assert_int_eq(check(PROTO_FROM_AGENT, hdr(AUDIO_MSG_CONFIG, 16), NULL, &err),
			 PROTO_FATAL);
}
END_TEST

START_TEST(test_header_rejects_unknown_type_from_agent)
{
	struct proto_error err;
	const uint32_t types[] = {
	    0, 124, PROTO_MSG_SEAM_HELLO, AUDIO_TYPE_FIRST - 1, AUDIO_TYPE_LAST + 1, 0xffffffffu};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		ck_assert_int_eq(check(PROTO_FROM_AGENT, hdr(types[i], 0), NULL, &err),
				 PROTO_FATAL);
		ck_assert_str_eq(err.field, "type");
	}
}
END_TEST

START_TEST(test_header_rejects_nonzero_window)
{
	struct proto_error err;
	struct proto_hdr h = {AUDIO_MSG_PLAY_START, 1, 0};
	uint32_t len;
	ck_assert_int_eq(audio_check_header(PROTO_FROM_AGENT, &h, &len, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "window");
}
END_TEST

START_TEST(test_agent_skips_small_unknown_daemon_message)
{
	uint32_t len;
	struct proto_error err;
	ck_assert_int_eq(check(PROTO_FROM_DAEMON, hdr(AUDIO_TYPE_LAST + 1, 64), &len, &err),
			 PROTO_SKIP);
	ck_assert_uint_eq(len, 64);
	ck_assert_int_eq(
	    check(PROTO_FROM_DAEMON, hdr(AUDIO_TYPE_LAST + 1, AUDIO_MAX_BODY_LEN + 1), &len, &err),
	    PROTO_FATAL);
	ck_assert_int_eq(check(PROTO_FROM_DAEMON, hdr(AUDIO_MSG_PLAY_DATA, 400), &len, &err),
			 PROTO_FATAL);
	ck_assert_int_eq(check(PROTO_FROM_DAEMON, hdr(AUDIO_MSG_MIC_DATA, 400), &len, &err),
			 PROTO_OK);
}
END_TEST

START_TEST(test_hello_decodes)
{
	struct audio_msg m;
	struct proto_error err;
	ck_assert_int_eq(decode_agent(AUDIO_MSG_HELLO, &good_hello, 20, &m, &err), PROTO_OK);
	ck_assert_uint_eq(m.type, AUDIO_MSG_HELLO);
	ck_assert_uint_eq(m.u.hello.rate, AUDIO_RATE_44100);
	struct audio_hello h = good_hello;
	h.rate = AUDIO_RATE_48000;
	ck_assert_int_eq(decode_agent(AUDIO_MSG_HELLO, &h, 20, &m, &err), PROTO_OK);
}
END_TEST

/* Each hello field set wrong in turn: the error names exactly that field. */
START_TEST(test_hello_rejects_each_bad_field)
{
	static const struct {
		size_t offset;
		uint32_t value;
		const char *field;
	} cases[] = {
	    {offsetof(struct audio_hello, magic), 0x4d414553u, "magic"},
	    {offsetof(struct audio_hello, version), 2, "version"},
	    {offsetof(struct audio_hello, version), 0, "version"},
	    {offsetof(struct audio_hello, format), 0, "format"},
	    {offsetof(struct audio_hello, format), 2, "format"},
	    {offsetof(struct audio_hello, rate), 22050, "rate"},
	    {offsetof(struct audio_hello, rate), 96000, "rate"},
	    {offsetof(struct audio_hello, rate), 0, "rate"},
	    {offsetof(struct audio_hello, rate), 0xffffffffu, "rate"},
	    {offsetof(struct audio_hello, channels), 1, "channels"},
	    {offsetof(struct audio_hello, channels), 6, "channels"},
	    {offsetof(struct audio_hello, channels), 0, "channels"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct audio_hello h = good_hello;
		memcpy((uint8_t *)&h + cases[i].offset, &cases[i].value, 4);
		struct audio_msg m;
		struct proto_error err;
		ck_assert_int_eq(decode_agent(AUDIO_MSG_HELLO, &h, 20, &m, &err), PROTO_FATAL);
		ck_assert_str_eq(err.field, cases[i].field);
		ck_assert_ptr_nonnull(strstr(err.text, cases[i].field));
	}
}
END_TEST

START_TEST(test_config_rejects_unknown_rate)
{
	struct audio_config c = {AUDIO_VERSION, AUDIO_FORMAT_S16LE, 32000, AUDIO_CHANNELS};
	struct proto_error err;
	ck_assert_int_eq(audio_validate_config(&c, &err), -1);
	ck_assert_str_eq(err.field, "rate");
	c.rate = AUDIO_RATE_48000;
	ck_assert_int_eq(audio_validate_config(&c, &err), 0);
}
END_TEST

START_TEST(test_mic_request_drops_non_boolean)
{
	struct audio_switch sw = {2};
	struct audio_msg m;
	struct proto_error err;
	ck_assert_int_eq(decode_agent(AUDIO_MSG_MIC_REQUEST, &sw, 4, &m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "on");
	sw.on = 1;
	ck_assert_int_eq(decode_agent(AUDIO_MSG_MIC_REQUEST, &sw, 4, &m, &err), PROTO_OK);
	ck_assert_uint_eq(m.u.sw.on, 1);
}
END_TEST

START_TEST(test_decode_rejects_body_length_not_header_length)
{
	struct proto_hdr h = hdr(AUDIO_MSG_HELLO, 20);
	struct audio_msg m;
	struct proto_error err;
	ck_assert_int_eq(
	    audio_decode(PROTO_FROM_AGENT, &h, (const uint8_t *)&good_hello, 16, &m, &err),
	    PROTO_FATAL);
	ck_assert_str_eq(err.field, "untrusted_len");
}
END_TEST

START_TEST(test_pcm_points_into_body)
{
	uint8_t body[64];
	memset(body, 0x5a, sizeof(body));
	struct audio_msg m;
	struct proto_error err;
	ck_assert_int_eq(decode_agent(AUDIO_MSG_PLAY_DATA, body, sizeof(body), &m, &err), PROTO_OK);
	ck_assert_ptr_eq(m.pcm, body);
	ck_assert_uint_eq(m.pcm_len, sizeof(body));
}
END_TEST

START_TEST(test_roundtrip_every_type)
{
	uint8_t pcm[AUDIO_MAX_PCM_BYTES];
	for (size_t i = 0; i < sizeof(pcm); i++)
		pcm[i] = (uint8_t)i;
	struct audio_msg in[] = {
	    {.type = AUDIO_MSG_HELLO, .u.hello = good_hello},
	    {.type = AUDIO_MSG_CONFIG,
	     .u.config = {AUDIO_VERSION, AUDIO_FORMAT_S16LE, AUDIO_RATE_48000, AUDIO_CHANNELS}},
	    {.type = AUDIO_MSG_PLAY_DATA, .pcm = pcm, .pcm_len = sizeof(pcm)},
	    {.type = AUDIO_MSG_PLAY_START},
	    {.type = AUDIO_MSG_PLAY_STOP},
	    {.type = AUDIO_MSG_MIC_REQUEST, .u.sw = {1}},
	    {.type = AUDIO_MSG_MIC_STATE, .u.sw = {1}},
	    {.type = AUDIO_MSG_MIC_DATA, .pcm = pcm, .pcm_len = 4},
	};
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		uint8_t buf[PROTO_HDR_SIZE + AUDIO_MAX_BODY_LEN];
		size_t len = audio_encode(&in[i], buf, sizeof(buf));
		ck_assert_uint_gt(len, 0);
		ck_assert_uint_eq(len, audio_encoded_len(&in[i]));
		struct proto_hdr h;
		proto_hdr_decode(buf, &h);
		ck_assert_uint_eq(h.untrusted_len, len - PROTO_HDR_SIZE);
		enum proto_dir from =
		    (in[i].type == AUDIO_MSG_CONFIG || in[i].type == AUDIO_MSG_MIC_STATE ||
		     in[i].type == AUDIO_MSG_MIC_DATA)
			? PROTO_FROM_DAEMON
			: PROTO_FROM_AGENT;
		struct audio_msg out;
		struct proto_error err;
		ck_assert_int_eq(
		    audio_decode(from, &h, buf + PROTO_HDR_SIZE, h.untrusted_len, &out, &err),
		    PROTO_OK);
		ck_assert_uint_eq(out.type, in[i].type);
		ck_assert_int_eq(memcmp(&out.u, &in[i].u, sizeof(out.u)), 0);
		ck_assert_uint_eq(out.pcm_len, in[i].pcm_len);
		if (in[i].pcm_len)
			ck_assert_int_eq(memcmp(out.pcm, in[i].pcm, in[i].pcm_len), 0);
	}
}
END_TEST

START_TEST(test_encode_refuses_bad_pcm_and_small_buffers)
{
	uint8_t pcm[AUDIO_MAX_PCM_BYTES + 4] = {0};
	uint8_t buf[PROTO_HDR_SIZE + sizeof(pcm)];
	struct audio_msg m = {.type = AUDIO_MSG_PLAY_DATA, .pcm = pcm, .pcm_len = sizeof(pcm)};
	ck_assert_uint_eq(audio_encode(&m, buf, sizeof(buf)), 0);
	m.pcm_len = 6;
	ck_assert_uint_eq(audio_encode(&m, buf, sizeof(buf)), 0);
	m.pcm_len = 0;
	ck_assert_uint_eq(audio_encode(&m, buf, sizeof(buf)), 0);
	m.pcm_len = 8;
	ck_assert_uint_eq(audio_encode(&m, buf, PROTO_HDR_SIZE + 4), 0);
	ck_assert_uint_eq(audio_encode(&m, buf, PROTO_HDR_SIZE + 8), PROTO_HDR_SIZE + 8);
	struct audio_msg unknown = {.type = 0x5ea3a0ffu};
	ck_assert_uint_eq(audio_encode(&unknown, buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(test_type_names)
{
	ck_assert_str_eq(audio_type_name(AUDIO_MSG_HELLO), "HELLO");
	ck_assert_str_eq(audio_type_name(AUDIO_MSG_MIC_DATA), "MIC_DATA");
	ck_assert_str_eq(audio_type_name(7), "unknown");
}
END_TEST

START_TEST(test_table_is_well_formed_and_fits_the_message)
{
	char why[128] = "";
	ck_assert_msg(frame_proto_check(&audio_frames, why, sizeof(why)) == 0, "%s", why);
	for (size_t i = 0; i < audio_frames.ntypes; i++) {
		ck_assert_uint_le(audio_frames.types[i].body.size,
				  sizeof(((struct audio_msg *)NULL)->u));
		ck_assert_uint_eq(audio_frames.types[i].nfds, 0);
	}
}
END_TEST

Suite *suite_audio_proto(void)
{
	Suite *s = suite_create("audio_proto");
	TCase *tc = tcase_create("header");
	tcase_add_test(tc, test_header_accepts_every_agent_message_at_its_size);
	tcase_add_test(tc, test_header_rejects_hello_of_wrong_size);
	tcase_add_test(tc, test_header_rejects_pcm_over_max);
	tcase_add_test(tc, test_header_rejects_empty_pcm);
	tcase_add_test(tc, test_header_rejects_pcm_of_partial_frames);
	tcase_add_test(tc, test_header_rejects_daemon_messages_from_agent);
	tcase_add_test(tc, test_header_rejects_unknown_type_from_agent);
	tcase_add_test(tc, test_header_rejects_nonzero_window);
	tcase_add_test(tc, test_agent_skips_small_unknown_daemon_message);
	suite_add_tcase(s, tc);
	tc = tcase_create("bodies");
	tcase_add_test(tc, test_hello_decodes);
	tcase_add_test(tc, test_hello_rejects_each_bad_field);
	tcase_add_test(tc, test_config_rejects_unknown_rate);
	tcase_add_test(tc, test_mic_request_drops_non_boolean);
	tcase_add_test(tc, test_decode_rejects_body_length_not_header_length);
	tcase_add_test(tc, test_pcm_points_into_body);
	suite_add_tcase(s, tc);
	tc = tcase_create("encode");
	tcase_add_test(tc, test_roundtrip_every_type);
	tcase_add_test(tc, test_encode_refuses_bad_pcm_and_small_buffers);
	tcase_add_test(tc, test_type_names);
	tcase_add_test(tc, test_table_is_well_formed_and_fits_the_message);
	suite_add_tcase(s, tc);
	return s;
}

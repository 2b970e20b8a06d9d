/* The daemon's session: the handshake, playback start/stop, and the mic policy that no message from
 * the guest can change. */
#include <stdlib.h>
#include <string.h>

#include "audio/session.h"
#include "suites.h"

static const struct audio_hello hello = {AUDIO_MAGIC, AUDIO_VERSION, AUDIO_FORMAT_S16LE,
					 AUDIO_RATE_48000, AUDIO_CHANNELS};

static enum proto_verdict send_msg(struct audio_session *s, uint32_t type, uint32_t on,
				   unsigned *act)
{
	static const uint8_t pcm[16];
	struct audio_msg m = {.type = type};
	if (type == AUDIO_MSG_HELLO)
		m.u.hello = hello;
	if (type == AUDIO_MSG_MIC_REQUEST)
		m.u.sw.on = on;
	if (type == AUDIO_MSG_PLAY_DATA) {
		m.pcm = pcm;
		m.pcm_len = sizeof(pcm);
	}
	struct proto_error err;
	return audio_session_handle(s, &m, act, &err);
}

/* A session with an agent past its HELLO. */
static void configured(struct audio_session *s, bool mic_allowed)
{
	unsigned act;
	audio_session_init(s, mic_allowed);
	ck_assert_uint_eq(audio_session_connect(s), 0);
	ck_assert_int_eq(send_msg(s, AUDIO_MSG_HELLO, 0, &act), PROTO_OK);
}

START_TEST(test_hello_answers_config_and_mic_state_and_opens_stream)
{
	struct audio_session s;
	unsigned act;
	audio_session_init(&s, false);
	audio_session_connect(&s);
	ck_assert_int_eq(send_msg(&s, AUDIO_MSG_HELLO, 0, &act), PROTO_OK);
	ck_assert_uint_eq(act,
			  AUDIO_ACT_SEND_CONFIG | AUDIO_ACT_SEND_MIC_STATE | AUDIO_ACT_PLAY_OPEN);
	ck_assert(s.configured);
	ck_assert_uint_eq(s.config.rate, AUDIO_RATE_48000);
	ck_assert_uint_eq(s.config.channels, AUDIO_CHANNELS);
}
END_TEST

START_TEST(test_second_hello_is_fatal)
{
	struct audio_session s;
	unsigned act;
	configured(&s, false);
	ck_assert_int_eq(send_msg(&s, AUDIO_MSG_HELLO, 0, &act), PROTO_FATAL);
	ck_assert_uint_eq(act, 0);
}
END_TEST

START_TEST(test_messages_before_hello_are_fatal)
{
	const uint32_t types[] = {AUDIO_MSG_PLAY_START, AUDIO_MSG_PLAY_STOP, AUDIO_MSG_PLAY_DATA,
				  AUDIO_MSG_MIC_REQUEST};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct audio_session s;
		unsigned act;
		audio_session_init(&s, true);
		audio_session_connect(&s);
		ck_assert_int_eq(send_msg(&s, types[i], 1, &act), PROTO_FATAL);
		ck_assert_uint_eq(act, 0);
		ck_assert(!s.mic_running);
	}
}
END_TEST

START_TEST(test_play_start_write_stop)
{
	struct audio_session s;
	unsigned act;
	configured(&s, false);
	ck_assert_int_eq(send_msg(&s, AUDIO_MSG_PLAY_START, 0, &act), PROTO_OK);
	ck_assert_uint_eq(act, AUDIO_ACT_PLAY_START);
	ck_assert_int_eq(send_msg(&s, AUDIO_MSG_PLAY_START, 0, &act), PROTO_OK);
	ck_assert_uint_eq(act, 0);
	ck_assert_int_eq(send_msg(&s, AUDIO_MSG_PLAY_DATA, 0, &act), PROTO_OK);
	ck_assert_uint_eq(act, AUDIO_ACT_PLAY_WRITE);
	ck_assert_int_eq(send_msg(&s, AUDIO_MSG_PLAY_STOP, 0, &act), PROTO_OK);
	ck_assert_uint_eq(act, AUDIO_ACT_PLAY_STOP);
	ck_assert_int_eq(send_msg(&s, AUDIO_MSG_PLAY_STOP, 0, &act), PROTO_OK);
	ck_assert_uint_eq(act, 0);
}
END_TEST

START_TEST(test_data_while_stopped_is_dropped_and_counted)
{
	struct audio_session s;
	unsigned act;
	configured(&s, false);
	ck_assert_int_eq(send_msg(&s, AUDIO_MSG_PLAY_DATA, 0, &act), PROTO_DROP);
	ck_assert_uint_eq(act, 0);
	ck_assert_uint_eq(s.dropped, 1);
}
END_TEST

START_TEST(test_mic_request_without_policy_records_nothing)
{
	struct audio_session s;
	unsigned act;
	configured(&s, false);
	ck_assert_int_eq(send_msg(&s, AUDIO_MSG_MIC_REQUEST, 1, &act), PROTO_OK);
	ck_assert_uint_eq(act & AUDIO_ACT_MIC_START, 0);
	ck_assert(!s.mic_running);
	ck_assert(!s.mic_allowed);
}
END_TEST

START_TEST(test_mic_runs_when_allowed_and_requested)
{
	struct audio_session s;
	unsigned act;
	configured(&s, true);
	ck_assert_int_eq(send_msg(&s, AUDIO_MSG_MIC_REQUEST, 1, &act), PROTO_OK);
	ck_assert_uint_eq(act, AUDIO_ACT_MIC_START);
	ck_assert(s.mic_running);
	ck_assert_int_eq(send_msg(&s, AUDIO_MSG_MIC_REQUEST, 0, &act), PROTO_OK);
	ck_assert_uint_eq(act, AUDIO_ACT_MIC_STOP);
	ck_assert(!s.mic_running);
}
END_TEST

START_TEST(test_allowing_starts_a_pending_request)
{
	struct audio_session s;
	unsigned act;
	configured(&s, false);
	send_msg(&s, AUDIO_MSG_MIC_REQUEST, 1, &act);
	act = audio_session_set_mic_allowed(&s, true);
	ck_assert_uint_eq(act, AUDIO_ACT_SEND_MIC_STATE | AUDIO_ACT_MIC_START);
	act = audio_session_set_mic_allowed(&s, false);
	ck_assert_uint_eq(act, AUDIO_ACT_SEND_MIC_STATE | AUDIO_ACT_MIC_STOP);
	ck_assert(!s.mic_running);
}
END_TEST

START_TEST(test_allowing_without_request_records_nothing)
{
	struct audio_session s;
	configured(&s, false);
	ck_assert_uint_eq(audio_session_set_mic_allowed(&s, true), AUDIO_ACT_SEND_MIC_STATE);
	ck_assert(!s.mic_running);
}
END_TEST

START_TEST(test_policy_without_agent_sends_nothing)
{
	struct audio_session s;
	audio_session_init(&s, false);
	ck_assert_uint_eq(audio_session_set_mic_allowed(&s, true), 0);
	ck_assert(s.mic_allowed);
}
END_TEST

START_TEST(test_disconnect_closes_streams_and_keeps_policy)
{
	struct audio_session s;
	unsigned act;
	configured(&s, true);
	send_msg(&s, AUDIO_MSG_PLAY_START, 0, &act);
	send_msg(&s, AUDIO_MSG_MIC_REQUEST, 1, &act);
	act = audio_session_disconnect(&s);
	ck_assert_uint_eq(act, AUDIO_ACT_PLAY_CLOSE | AUDIO_ACT_MIC_STOP);
	ck_assert(!s.configured && !s.playing && !s.mic_requested && !s.mic_running);
	ck_assert(s.mic_allowed);
	/* The next agent starts from nothing: its old request does not carry over. */
	ck_assert_uint_eq(audio_session_connect(&s), 0);
	ck_assert_int_eq(send_msg(&s, AUDIO_MSG_HELLO, 0, &act), PROTO_OK);
	ck_assert_uint_eq(act & AUDIO_ACT_MIC_START, 0);
}
END_TEST

START_TEST(test_message_without_connection_is_fatal)
{
	struct audio_session s;
	unsigned act;
	audio_session_init(&s, true);
	ck_assert_int_eq(send_msg(&s, AUDIO_MSG_HELLO, 0, &act), PROTO_FATAL);
}
END_TEST

/* Whatever a guest sends, in whatever order, the mic never starts while the policy denies it and
 * the policy never changes. */
START_TEST(test_guest_can_never_turn_mic_on)
{
	const uint32_t types[] = {AUDIO_MSG_HELLO,     AUDIO_MSG_PLAY_START,  AUDIO_MSG_PLAY_STOP,
				  AUDIO_MSG_PLAY_DATA, AUDIO_MSG_MIC_REQUEST, AUDIO_MSG_MIC_STATE,
				  AUDIO_MSG_MIC_DATA,  AUDIO_MSG_CONFIG};
	srand(1234);
	for (int run = 0; run < 200; run++) {
		struct audio_session s;
		audio_session_init(&s, false);
		unsigned act = audio_session_connect(&s);
		for (int i = 0; i < 50; i++) {
			uint32_t type =
			    types[(unsigned)rand() % (sizeof(types) / sizeof(types[0]))];
			if (send_msg(&s, type, (unsigned)rand() % 2, &act) == PROTO_FATAL)
				act |= audio_session_connect(&s);
			ck_assert_uint_eq(act & AUDIO_ACT_MIC_START, 0);
			ck_assert(!s.mic_allowed && !s.mic_running);
		}
	}
}
END_TEST

Suite *suite_audio_session(void)
{
	Suite *s = suite_create("audio_session");
	TCase *tc = tcase_create("play");
	tcase_add_test(tc, test_hello_answers_config_and_mic_state_and_opens_stream);
	tcase_add_test(tc, test_second_hello_is_fatal);
	tcase_add_test(tc, test_messages_before_hello_are_fatal);
	tcase_add_test(tc, test_play_start_write_stop);
	tcase_add_test(tc, test_data_while_stopped_is_dropped_and_counted);
	tcase_add_test(tc, test_message_without_connection_is_fatal);
	suite_add_tcase(s, tc);
	tc = tcase_create("mic");
	tcase_add_test(tc, test_mic_request_without_policy_records_nothing);
	tcase_add_test(tc, test_mic_runs_when_allowed_and_requested);
	tcase_add_test(tc, test_allowing_starts_a_pending_request);
	tcase_add_test(tc, test_allowing_without_request_records_nothing);
	tcase_add_test(tc, test_policy_without_agent_sends_nothing);
	tcase_add_test(tc, test_disconnect_closes_streams_and_keeps_policy);
	tcase_add_test(tc, test_guest_can_never_turn_mic_on);
	suite_add_tcase(s, tc);
	return s;
}

/* libFuzzer target: the audio protocol's receive path (audio/audio_proto.h) and the daemon's
 * session state machine (audio/session.h) it feeds.
 *
 * Input: one flags byte, then a stream of messages as they would arrive on the audio channel.
 *   bit 0: sender is the daemon (the agent's receive path), else the agent (the daemon's)
 *   bit 1: the host's policy allows the microphone at first
 *   bit 2: the policy flips after every message the session takes
 * Invariants checked: nothing accepted is outside its bounds; an accepted message encodes back to
 * exactly the bytes received; the session's microphone runs exactly while configured, allowed and
 * requested, and only a configured session plays.
 */
#include <stdlib.h>
#include <string.h>

#include "audio/audio_proto.h"
#include "audio/session.h"

static uint8_t again[PROTO_HDR_SIZE + AUDIO_MAX_BODY_LEN];

static void check_message(const struct audio_msg *m)
{
	switch (m->type) {
	case AUDIO_MSG_PLAY_DATA:
	case AUDIO_MSG_MIC_DATA:
		if (!m->pcm || m->pcm_len == 0 || m->pcm_len > AUDIO_MAX_PCM_BYTES ||
		    m->pcm_len % AUDIO_FRAME_BYTES)
			abort();
		break;
	case AUDIO_MSG_HELLO:
		if (m->u.hello.magic != AUDIO_MAGIC || m->u.hello.channels != AUDIO_CHANNELS ||
		    (m->u.hello.rate != AUDIO_RATE_44100 && m->u.hello.rate != AUDIO_RATE_48000))
			abort();
		break;
	case AUDIO_MSG_CONFIG:
		if (audio_bytes_per_sec(&m->u.config) == 0)
			abort();
		break;
	case AUDIO_MSG_MIC_REQUEST:
	case AUDIO_MSG_MIC_STATE:
		if (m->u.sw.on > 1)
			abort();
		break;
	default:
		if (m->pcm || m->pcm_len)
			abort();
		break;
	}
}

static void check_session(const struct audio_session *s)
{
	if (s->mic_running != (s->configured && s->mic_allowed && s->mic_requested))
		abort();
	if ((s->configured || s->playing) && !s->connected)
		abort();
	if (s->playing && !s->configured)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const enum proto_dir from = (data[0] & 1) ? PROTO_FROM_DAEMON : PROTO_FROM_AGENT;
	const bool flip = data[0] & 4;
	struct audio_session s;
	audio_session_init(&s, data[0] & 2);
	audio_session_connect(&s);
	data++, size--;

	/* Bounded like a receiver's loop: at most one message per 12 input bytes. */
	while (size >= PROTO_HDR_SIZE) {
		struct proto_hdr hdr;
		struct proto_error err;
		struct audio_msg m;
		uint32_t body_len = 0;
		proto_hdr_decode(data, &hdr);
		enum proto_verdict v = audio_check_header(from, &hdr, &body_len, &err);
		if (v == PROTO_FATAL)
			return 0;
		if (v == PROTO_DROP || (v == PROTO_SKIP && from != PROTO_FROM_DAEMON) ||
		    body_len > AUDIO_MAX_BODY_LEN)
			abort(); /* the header check never drops, and skips only for the agent */
		if (body_len > size - PROTO_HDR_SIZE)
			return 0; /* truncated: a receiver waits for more */
		const uint8_t *body = data + PROTO_HDR_SIZE;
		if (v == PROTO_OK) {
			v = audio_decode(from, &hdr, body, body_len, &m, &err);
			if (v == PROTO_FATAL)
				return 0;
			if (v == PROTO_OK) {
				check_message(&m);
				/* decode, then encode: the same bytes */
				size_t n = audio_encode(&m, again, sizeof(again));
				if (n != PROTO_HDR_SIZE + body_len || memcmp(again, data, n) != 0 ||
				    n != audio_encoded_len(&m))
					abort();
				if (from == PROTO_FROM_AGENT) {
					unsigned act;
					if (audio_session_handle(&s, &m, &act, &err) == PROTO_FATAL)
						return 0; /* the daemon ends the connection */
					check_session(&s);
					if (flip)
						audio_session_set_mic_allowed(&s, !s.mic_allowed);
					check_session(&s);
				}
			}
		}
		data += PROTO_HDR_SIZE + body_len;
		size -= PROTO_HDR_SIZE + body_len;
	}
	audio_session_disconnect(&s);
	check_session(&s);
	return 0;
}

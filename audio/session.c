/* The daemon's per-connection state machine: handshake, playback state and the mic policy. */
#include <string.h>

#include "audio/session.h"

void audio_session_init(struct audio_session *s, bool mic_allowed)
{
	memset(s, 0, sizeof(*s));
	s->mic_allowed = mic_allowed;
}

/* Start or stop the host's recording so that mic_running == configured && allowed && requested. */
static unsigned update_mic(struct audio_session *s)
{
	bool want = s->configured && s->mic_allowed && s->mic_requested;
	if (want == s->mic_running)
		return 0;
	s->mic_running = want;
	return want ? AUDIO_ACT_MIC_START : AUDIO_ACT_MIC_STOP;
}

unsigned audio_session_connect(struct audio_session *s)
{
	unsigned act = audio_session_disconnect(s);
	s->connected = true;
	return act;
}

unsigned audio_session_disconnect(struct audio_session *s)
{
	unsigned act = s->configured ? AUDIO_ACT_PLAY_CLOSE : 0;
	s->connected = false;
	s->configured = false;
	s->playing = false;
	s->mic_requested = false;
	s->dropped = 0;
	memset(&s->config, 0, sizeof(s->config));
	return act | update_mic(s);
}

enum proto_verdict audio_session_handle(struct audio_session *s, const struct audio_msg *m,
					unsigned *actions, struct proto_error *err)
{
	*actions = 0;
	if (!s->connected) {
		audio_error(err, PROTO_FATAL, m->type, "type", "no agent is connected");
		return PROTO_FATAL;
	}
	if (m->type == AUDIO_MSG_HELLO) {
		if (s->configured) {
			audio_error(err, PROTO_FATAL, m->type, "type", "a second HELLO");
			return PROTO_FATAL;
		}
		/* audio_decode() validated the format: the daemon takes the agent's. */
		audio_config_from_hello(&m->u.hello, &s->config);
		s->configured = true;
		*actions = AUDIO_ACT_SEND_CONFIG | AUDIO_ACT_SEND_MIC_STATE | AUDIO_ACT_PLAY_OPEN;
		return PROTO_OK;
	}
	if (!s->configured) {
		audio_error(err, PROTO_FATAL, m->type, "type", "sent before HELLO");
		return PROTO_FATAL;
	}
	switch (m->type) {
	case AUDIO_MSG_PLAY_START:
		/* Repeats are harmless and change nothing. */
		if (!s->playing)
			*actions = AUDIO_ACT_PLAY_START;
		s->playing = true;
		return PROTO_OK;
	case AUDIO_MSG_PLAY_STOP:
		if (s->playing)
			*actions = AUDIO_ACT_PLAY_STOP;
		s->playing = false;
		return PROTO_OK;
	case AUDIO_MSG_PLAY_DATA:
		if (!s->playing) {
			s->dropped++;
			audio_error(err, PROTO_DROP, m->type, "type", "%u bytes while stopped",
				    m->pcm_len);
			return PROTO_DROP;
		}
		*actions = AUDIO_ACT_PLAY_WRITE;
		return PROTO_OK;
	case AUDIO_MSG_MIC_REQUEST:
		/* Only a request: it starts nothing unless the host's policy allows the mic. */
		s->mic_requested = m->u.sw.on != 0;
		*actions = update_mic(s);
		return PROTO_OK;
	default:
		audio_error(err, PROTO_FATAL, m->type, "type", "not sent by the agent");
		return PROTO_FATAL;
	}
}

unsigned audio_session_set_mic_allowed(struct audio_session *s, bool allowed)
{
	s->mic_allowed = allowed;
	unsigned act = update_mic(s);
	/* The agent hears of every change, and of a repeat too (it costs 16 bytes). */
	if (s->configured)
		act |= AUDIO_ACT_SEND_MIC_STATE;
	return act;
}

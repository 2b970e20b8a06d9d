/* The daemon's state for one agent connection, as a pure state machine: the handshake, playback
 * start/stop and the microphone policy. Decoded messages, connection events and the host's policy
 * go in; bits saying what the daemon must do (with PulseAudio and the channel) come out. No I/O.
 *
 * The microphone records on the host only while three things hold: an agent finished the
 * handshake, the host's policy allows it (--allow-mic, SIGUSR1), and the guest asked for it (a
 * guest application records). Nothing an agent sends can change the policy.
 */
#ifndef SEAM_AUDIO_SESSION_H
#define SEAM_AUDIO_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "audio/audio_proto.h"

/* Actions, returned as a bit set; the daemon carries them out in this order. */
#define AUDIO_ACT_SEND_CONFIG	 (1u << 0) /* answer HELLO with CONFIG (s->config) */
#define AUDIO_ACT_SEND_MIC_STATE (1u << 1) /* send MIC_STATE (s->mic_allowed) */
#define AUDIO_ACT_PLAY_OPEN	 (1u << 2) /* create the host playback stream, corked */
#define AUDIO_ACT_PLAY_START	 (1u << 3) /* uncork it */
#define AUDIO_ACT_PLAY_WRITE	 (1u << 4) /* write the message's PCM into it */
#define AUDIO_ACT_PLAY_STOP	 (1u << 5) /* let what it holds play out, then cork it */
#define AUDIO_ACT_PLAY_CLOSE	 (1u << 6) /* destroy it */
#define AUDIO_ACT_MIC_START	 (1u << 7) /* record the host's default source, send MIC_DATA */
#define AUDIO_ACT_MIC_STOP	 (1u << 8) /* stop recording */

struct audio_session {
	bool connected;
	bool configured; /* HELLO accepted: config holds the format */
	struct audio_config config;
	bool playing;	    /* between PLAY_START and PLAY_STOP */
	bool mic_allowed;   /* the host's policy; no message changes it */
	bool mic_requested; /* the guest's last MIC_REQUEST */
	bool mic_running;   /* configured && mic_allowed && mic_requested */
	uint64_t dropped;   /* messages dropped (DROP verdicts) on this connection */
};

void audio_session_init(struct audio_session *s, bool mic_allowed);

/* A new agent connected: everything but the policy starts over. */
unsigned audio_session_connect(struct audio_session *s);

/* The agent left: streams go, the policy stays. */
unsigned audio_session_disconnect(struct audio_session *s);

/* One message decoded from the agent. *actions gets what to do; the verdict says whether the
 * message was taken (PROTO_OK), ignored (PROTO_DROP, err says why) or ends the connection
 * (PROTO_FATAL). */
enum proto_verdict audio_session_handle(struct audio_session *s, const struct audio_msg *m,
					unsigned *actions, struct proto_error *err);

/* The host's policy changed (or was set again). */
unsigned audio_session_set_mic_allowed(struct audio_session *s, bool allowed);

#endif

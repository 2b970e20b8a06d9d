/* The agent's connection: every message checked before it is acted on, the session's decisions
 * carried out, and the host's mic policy told to the agent. */
#include <string.h>

#include "audio/daemon.h"
#include "common/log.h"

/* The channel's frame check: the protocol's header rules, before any body byte is awaited. */
static int frame_check(void *ctx, const struct proto_hdr *hdr, uint32_t *body_len, unsigned *nfds)
{
	(void)ctx;
	struct proto_error err;
	*nfds = 0;
	if (audio_check_header(PROTO_FROM_AGENT, hdr, body_len, &err) != PROTO_OK) {
		log_warn("closing the guest's connection: %s", err.text);
		return -1;
	}
	return 0;
}

void daemon_conn_config(struct daemon *d, struct chan_config *cfg)
{
	/* The receive buffer holds the largest audio message plus one read: about 80 KiB, so a
	 * flooding guest cannot make the daemon buffer more. */
	*cfg = (struct chan_config){.sock_gid = -1,
				    .max_body = AUDIO_MAX_BODY_LEN,
				    .max_queue = 1u << 20,
				    .frame = frame_check,
				    .frame_ctx = d};
}

void daemon_send(struct daemon *d, const struct audio_msg *m)
{
	uint8_t buf[PROTO_HDR_SIZE + AUDIO_MAX_BODY_LEN];
	size_t len = audio_encode(m, buf, sizeof(buf));
	if (len && d->session.connected)
		chan_send(d->chan, buf, len, NULL,
			  0); /* a failure ends the connection, reported later */
}

static void send_config(struct daemon *d)
{
	struct audio_msg m = {.type = AUDIO_MSG_CONFIG};
	m.u.config = d->session.config;
	daemon_send(d, &m);
	log_info("agent format: s16le %u Hz, %u channels", m.u.config.rate, m.u.config.channels);
}

static void send_mic_state(struct daemon *d)
{
	struct audio_msg m = {.type = AUDIO_MSG_MIC_STATE};
	m.u.sw.on = d->session.mic_allowed;
	daemon_send(d, &m);
}

void daemon_run_actions(struct daemon *d, unsigned act, const struct audio_msg *m)
{
	if (act & AUDIO_ACT_SEND_CONFIG)
		send_config(d);
	if (act & AUDIO_ACT_SEND_MIC_STATE)
		send_mic_state(d);
	if (act & AUDIO_ACT_PLAY_OPEN)
		daemon_play_open(d);
	if (act & AUDIO_ACT_PLAY_START)
		daemon_play_start(d);
	if ((act & AUDIO_ACT_PLAY_WRITE) && m)
		daemon_play_write(d, m->pcm, m->pcm_len);
	if (act & AUDIO_ACT_PLAY_STOP)
		daemon_play_stop(d);
	if (act & AUDIO_ACT_PLAY_CLOSE)
		daemon_play_close(d);
	if (act & AUDIO_ACT_MIC_START)
		daemon_mic_start(d);
	if (act & AUDIO_ACT_MIC_STOP)
		daemon_mic_stop(d);
}

void daemon_pulse_ready(struct daemon *d)
{
	if (!d->session.configured)
		return;
	daemon_play_open(d);
	if (d->session.playing)
		daemon_play_start(d);
	if (d->session.mic_running)
		daemon_mic_start(d);
}

void daemon_set_mic_allowed(struct daemon *d, bool allowed, const char *why)
{
	/* A policy change is worth a line at the default level: it is the user's privacy. */
	log_warn("microphone %s (%s)", allowed ? "allowed" : "denied", why);
	daemon_run_actions(d, audio_session_set_mic_allowed(&d->session, allowed), NULL);
}

static void agent_left(struct daemon *d, const char *why)
{
	if (!d->session.connected)
		return;
	log_warn("the agent went away (%s); %llu bytes played, %llu dropped, %llu underruns", why,
		 (unsigned long long)d->played_bytes,
		 (unsigned long long)(d->level.dropped + d->dropped_bytes),
		 (unsigned long long)d->underruns);
	daemon_run_actions(d, audio_session_disconnect(&d->session), NULL);
}

static void fail(struct daemon *d, const char *why)
{
	log_warn("closing the guest's connection: %s", why);
	chan_fail(d->chan, why);
	agent_left(d, why);
}

static void agent_came(struct daemon *d)
{
	log_info("agent connected");
	d->played_bytes = d->dropped_bytes = d->underruns = 0;
	daemon_run_actions(d, audio_session_connect(&d->session), NULL);
}

static void run_messages(struct daemon *d)
{
	for (int i = 0; i < DAEMON_MSGS_PER_TURN; i++) {
		if (!d->session.connected)
			return;
		struct chan_msg in;
		if (chan_recv(d->chan, &in) <= 0)
			return;
		struct audio_msg m;
		struct proto_error err;
		enum proto_verdict v = audio_decode(PROTO_FROM_AGENT, &in.hdr, in.body,
						    in.hdr.untrusted_len, &m, &err);
		unsigned act = 0;
		if (v == PROTO_OK)
			v = audio_session_handle(&d->session, &m, &act, &err);
		if (v == PROTO_FATAL) {
			fail(d, err.text);
			return;
		}
		if (v == PROTO_OK)
			daemon_run_actions(d, act, &m);
		else
			log_debug("dropped a message: %s", err.text); /* a guest may send many */
	}
	/* More may be buffered: come back after PulseAudio had its turn. */
	audio_loop_again(d->loop);
}

void daemon_conn_event(void *ctx, unsigned ev)
{
	struct daemon *d = ctx;
	/* Both bits in one dispatch: if a connection is up now, the disconnect was the old one's.
	 */
	if ((ev & CHAN_EV_DISCONNECTED) && chan_state(d->chan) == CHAN_CONNECTED) {
		agent_left(d, chan_error(d->chan));
		ev &= ~CHAN_EV_DISCONNECTED;
	}
	if (ev & CHAN_EV_CONNECTED)
		agent_came(d);
	run_messages(d);
	if (ev & CHAN_EV_DISCONNECTED)
		agent_left(d, chan_error(d->chan));
}

/* The daemon's channel: HELLO on every connection, CONFIG, then the daemon's messages. The agent
 * trusts the daemon but still checks what it receives, so a daemon bug cannot feed it garbage. */
#include <string.h>

#include "audio/agent.h"
#include "common/log.h"

static int frame_check(void *ctx, const struct proto_hdr *hdr, uint32_t *body_len, unsigned *nfds)
{
	(void)ctx;
	struct proto_error err;
	*nfds = 0;
	if (audio_check_header(PROTO_FROM_DAEMON, hdr, body_len, &err) == PROTO_FATAL) {
		log_warn("closing the connection: %s", err.text);
		return -1;
	}
	return 0;
}

void agent_conn_config(struct agent *a, struct chan_config *cfg)
{
	*cfg = (struct chan_config){.sock_gid = -1,
				    .max_body = AUDIO_MAX_BODY_LEN,
				    .max_queue = 1u << 20,
				    .frame = frame_check,
				    .frame_ctx = a};
}

void agent_send(struct agent *a, const struct audio_msg *m)
{
	uint8_t buf[PROTO_HDR_SIZE + AUDIO_MAX_BODY_LEN];
	size_t len = audio_encode(m, buf, sizeof(buf));
	if (len && a->conn != AGENT_CONN_WAITING)
		chan_send(a->chan, buf, len, NULL,
			  0); /* a failure ends the connection, reported later */
}

void agent_mic_request_update(struct agent *a)
{
	bool want = a->guest_recording;
	if (a->conn != AGENT_CONN_RUNNING || want == a->mic_request_sent)
		return;
	struct audio_msg m = {.type = AUDIO_MSG_MIC_REQUEST};
	m.u.sw.on = want;
	agent_send(a, &m);
	a->mic_request_sent = want;
}

static void connected(struct agent *a)
{
	struct audio_msg m = {.type = AUDIO_MSG_HELLO};
	m.u.hello = (struct audio_hello){AUDIO_MAGIC, AUDIO_VERSION, AUDIO_FORMAT_S16LE,
					 a->opts.rate, AUDIO_CHANNELS};
	a->conn = AGENT_CONN_HELLO_SENT;
	a->mic_allowed = false;
	a->mic_request_sent = false;
	agent_send(a, &m);
	log_info("connected to the daemon; offered s16le %u Hz stereo", a->opts.rate);
}

static void disconnected(struct agent *a)
{
	if (a->conn == AGENT_CONN_WAITING)
		return;
	log_warn("the daemon went away (%s); %llu bytes sent, %llu dropped", chan_error(a->chan),
		 (unsigned long long)a->sent_bytes, (unsigned long long)a->dropped_bytes);
	a->conn = AGENT_CONN_WAITING;
	a->mic_allowed = false;
	a->mic_request_sent = false;
	agent_play_update(a); /* stops recording: nobody to send to */
	agent_mic_update(a);
}

static void fail(struct agent *a, const char *why)
{
	log_warn("closing the connection: %s", why);
	chan_fail(a->chan, why);
	disconnected(a);
}

static void handle(struct agent *a, const struct audio_msg *m)
{
	switch (m->type) {
	case AUDIO_MSG_CONFIG:
		if (a->conn != AGENT_CONN_HELLO_SENT) {
			fail(a, "a second CONFIG");
			return;
		}
		a->config = m->u.config;
		a->conn = AGENT_CONN_RUNNING;
		a->sent_bytes = a->dropped_bytes = 0;
		log_info("the daemon takes s16le %u Hz stereo", a->config.rate);
		agent_play_update(a);
		agent_mic_update(a);
		break;
	case AUDIO_MSG_MIC_STATE:
		if (a->mic_allowed != (m->u.sw.on != 0))
			log_info("the host %s the microphone", m->u.sw.on ? "allows" : "denies");
		/* Denied: the feed stays and runs dry, which the guest hears as silence. */
		a->mic_allowed = m->u.sw.on != 0;
		break;
	case AUDIO_MSG_MIC_DATA:
		/* Data still in flight after a stop is normal: dropped without a word. */
		if (a->conn == AGENT_CONN_RUNNING && a->mic_allowed && a->guest_recording)
			agent_mic_data(a, m->pcm, m->pcm_len);
		break;
	default:
		break;
	}
}

static void run_messages(struct agent *a)
{
	for (int i = 0; i < AGENT_MSGS_PER_TURN; i++) {
		if (a->conn == AGENT_CONN_WAITING)
			return;
		struct chan_msg in;
		if (chan_recv(a->chan, &in) <= 0)
			return;
		struct audio_msg m;
		struct proto_error err;
		enum proto_verdict v = audio_decode(PROTO_FROM_DAEMON, &in.hdr, in.body,
						    in.hdr.untrusted_len, &m, &err);
		if (v == PROTO_FATAL) {
			fail(a, err.text);
			return;
		}
		if (v == PROTO_OK && m.type != AUDIO_MSG_CONFIG && a->conn != AGENT_CONN_RUNNING) {
			fail(a, "a message before CONFIG");
			return;
		}
		if (v == PROTO_OK)
			handle(a, &m);
		else if (v == PROTO_DROP)
			log_info("dropped a message: %s", err.text);
	}
	audio_loop_again(a->loop);
}

void agent_conn_event(void *ctx, unsigned ev)
{
	struct agent *a = ctx;
	/* Both bits in one dispatch: if a connection is up now, the disconnect was the old one's.
	 */
	if ((ev & CHAN_EV_DISCONNECTED) && chan_state(a->chan) == CHAN_CONNECTED) {
		disconnected(a);
		ev &= ~CHAN_EV_DISCONNECTED;
	}
	if (ev & CHAN_EV_CONNECTED)
		connected(a);
	run_messages(a);
	if (ev & CHAN_EV_DISCONNECTED)
		disconnected(a);
}

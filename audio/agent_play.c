/* Guest playback: a record stream on the guest sink's monitor, uncorked only while a guest stream
 * plays (so silence costs no wake-ups and no traffic), its 10 ms chunks sent as PLAY_DATA between
 * PLAY_START and PLAY_STOP. */
#include <string.h>

#include "audio/agent.h"
#include "common/log.h"

/* Before the stream is ready a cork request fails; its READY callback applies `sending` then. */
static void cork(struct agent *a, bool corked)
{
	if (!a->rec || pa_stream_get_state(a->rec) != PA_STREAM_READY)
		return;
	pa_operation *o = pa_stream_cork(a->rec, corked, NULL, NULL);
	if (o)
		pa_operation_unref(o);
}

static void send_simple(struct agent *a, uint32_t type)
{
	struct audio_msg m = {.type = type};
	agent_send(a, &m);
}

/* Send a chunk in messages of at most AUDIO_MAX_PCM_BYTES; drop what would pile up in the
 * channel's queue past AGENT_MAX_QUEUED (a daemon that stopped reading). */
static void send_chunk(struct agent *a, const uint8_t *data, size_t len)
{
	len -= len % AUDIO_FRAME_BYTES;
	while (len > 0) {
		uint32_t n = len > AUDIO_MAX_PCM_BYTES ? AUDIO_MAX_PCM_BYTES : (uint32_t)len;
		if (chan_queued(a->chan) + n > AGENT_MAX_QUEUED) {
			a->dropped_bytes += n;
		} else {
			struct audio_msg m = {
			    .type = AUDIO_MSG_PLAY_DATA, .pcm = data, .pcm_len = n};
			agent_send(a, &m);
			a->sent_bytes += n;
		}
		data += n;
		len -= n;
	}
}

static void fragment(void *user, const uint8_t *data, size_t len)
{
	struct agent *a = user;
	if (a->sending && a->conn == AGENT_CONN_RUNNING)
		send_chunk(a, data, len);
}

static void read_cb(pa_stream *s, size_t nbytes, void *userdata)
{
	(void)nbytes;
	audio_pulse_drain(s, fragment, userdata);
}

static void state_cb(pa_stream *s, void *userdata)
{
	struct agent *a = userdata;
	switch (pa_stream_get_state(s)) {
	case PA_STREAM_READY: {
		const pa_buffer_attr *at = pa_stream_get_buffer_attr(s);
		log_info("recording %s: fragsize %u B", pa_stream_get_device_name(s),
			 at ? at->fragsize : 0);
		if (a->sending)
			cork(a, false);
		break;
	}
	case PA_STREAM_FAILED:
		log_warn("the recording of %s failed: %s", AGENT_SINK ".monitor",
			 pa_strerror(pa_context_errno(pa_stream_get_context(s))));
		agent_play_close(a);
		break;
	default:
		break;
	}
}

static void open_rec(struct agent *a)
{
	pa_sample_spec ss = {PA_SAMPLE_S16LE, a->config.rate, (uint8_t)a->config.channels};
	pa_proplist *pl = pa_proplist_new();
	pa_proplist_sets(pl, PA_PROP_MEDIA_NAME, "Sound for the host");
	a->rec = pa_stream_new_with_proplist(a->pulse.ctx, "Sound for the host", &ss, NULL, pl);
	pa_proplist_free(pl);
	if (!a->rec) {
		log_warn("cannot create the recording stream: %s",
			 pa_strerror(pa_context_errno(a->pulse.ctx)));
		return;
	}
	uint32_t frag =
	    (uint32_t)((uint64_t)audio_bytes_per_sec(&a->config) * AGENT_FRAGMENT_US / 1000000u);
	frag -= frag % AUDIO_FRAME_BYTES;
	pa_buffer_attr attr = {
	    .maxlength = 8 * frag,
	    .tlength = (uint32_t)-1,
	    .prebuf = (uint32_t)-1,
	    .minreq = (uint32_t)-1,
	    .fragsize = frag,
	};
	pa_stream_set_state_callback(a->rec, state_cb, a);
	pa_stream_set_read_callback(a->rec, read_cb, a);
	pa_stream_flags_t flags =
	    PA_STREAM_ADJUST_LATENCY | PA_STREAM_START_CORKED | PA_STREAM_DONT_MOVE;
	if (pa_stream_connect_record(a->rec, AGENT_SINK ".monitor", &attr, flags) < 0) {
		log_warn("cannot record %s: %s", AGENT_SINK ".monitor",
			 pa_strerror(pa_context_errno(a->pulse.ctx)));
		agent_play_close(a);
	}
}

static void stop_timer_free(struct agent *a)
{
	if (a->stop_timer) {
		a->api->time_free(a->stop_timer);
		a->stop_timer = NULL;
	}
}

static void stop_sending(struct agent *a)
{
	stop_timer_free(a);
	if (!a->sending)
		return;
	a->sending = false;
	cork(a, true);
	if (a->conn == AGENT_CONN_RUNNING)
		send_simple(a, AUDIO_MSG_PLAY_STOP);
	log_debug("stopped sending (%llu bytes sent, %llu dropped)",
		  (unsigned long long)a->sent_bytes, (unsigned long long)a->dropped_bytes);
}

static void stop_timer_cb(pa_mainloop_api *api, pa_time_event *e, const struct timeval *tv,
			  void *userdata)
{
	(void)api;
	(void)e;
	(void)tv;
	struct agent *a = userdata;
	stop_sending(a);
}

void agent_play_close(struct agent *a)
{
	stop_sending(a);
	if (!a->rec)
		return;
	pa_stream_set_state_callback(a->rec, NULL, NULL);
	pa_stream_set_read_callback(a->rec, NULL, NULL);
	pa_stream_disconnect(a->rec);
	pa_stream_unref(a->rec);
	a->rec = NULL;
}

void agent_play_update(struct agent *a)
{
	if (a->conn != AGENT_CONN_RUNNING || !a->pulse.ready || !a->devices_ready) {
		agent_play_close(a);
		return;
	}
	if (!a->rec)
		open_rec(a);
	if (!a->rec)
		return;
	if (a->guest_playing) {
		stop_timer_free(a);
		if (!a->sending) {
			a->sending = true;
			cork(a, false);
			send_simple(a, AUDIO_MSG_PLAY_START);
			log_debug("started sending");
		}
	} else if (a->sending && !a->stop_timer) {
		struct timeval tv;
		pa_timeval_add(pa_gettimeofday(&tv), (pa_usec_t)AGENT_STOP_GRACE_MS * 1000u);
		a->stop_timer = a->api->time_new(a->api, &tv, stop_timer_cb, a);
	}
}

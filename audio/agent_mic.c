/* The guest microphone: MIC_DATA from the host played into AGENT_MIC_SINK, whose monitor (remapped
 * as AGENT_MIC) guest applications record.
 *
 * The feed stream stays connected while the daemon is, corked unless a guest application records.
 * A null sink nobody asks for low latency renders 2 s ahead while idle, and when a stream arrives
 * it rewinds only as far as the new latency, so a recording that starts then waits up to 2 s for
 * its first samples; a corked stream keeps its latency request standing (and lets the sink
 * suspend all the same). While recording, the stream hands out silence whenever no data comes
 * (it underruns, which is silent), e.g. while the host denies the mic. Its buffer is bounded like
 * the host's playback buffer (audio/level.h, without the rate correction: a microphone takes the
 * rare drop better than a resampler's cost in the guest). */
#include <string.h>

#include "audio/agent.h"
#include "common/log.h"

static void op_done(pa_operation *o)
{
	if (o)
		pa_operation_unref(o);
}

/* Corked exactly while no guest application records; what is queued when it stops is stale. */
static void sync_cork(struct agent *a)
{
	bool cork = !a->guest_recording;
	if (!a->micplay_ready || cork == a->micplay_corked)
		return;
	if (cork)
		op_done(pa_stream_flush(a->micplay, NULL, NULL));
	op_done(pa_stream_cork(a->micplay, cork, NULL, NULL));
	a->micplay_corked = cork;
	log_info("%s feeding %s", cork ? "stopped" : "started", AGENT_MIC_SINK);
}

static void state_cb(pa_stream *s, void *userdata)
{
	struct agent *a = userdata;
	switch (pa_stream_get_state(s)) {
	case PA_STREAM_READY: {
		const pa_buffer_attr *at = pa_stream_get_buffer_attr(s);
		a->micplay_tlength = at ? at->tlength : 0;
		/* The level is tlength minus what the server asks for: tlength is the limit. */
		audio_level_set_limit(&a->mic_level, a->micplay_tlength, 0);
		a->micplay_ready = true;
		a->micplay_corked = true;
		sync_cork(a);
		break;
	}
	case PA_STREAM_FAILED:
		log_warn("the microphone stream failed: %s",
			 pa_strerror(pa_context_errno(pa_stream_get_context(s))));
		agent_mic_close(a);
		break;
	default:
		break;
	}
}

static void open_micplay(struct agent *a)
{
	pa_sample_spec ss = {PA_SAMPLE_S16LE, a->config.rate, (uint8_t)a->config.channels};
	pa_proplist *pl = pa_proplist_new();
	pa_proplist_sets(pl, PA_PROP_MEDIA_NAME, "Host microphone");
	a->micplay = pa_stream_new_with_proplist(a->pulse.ctx, "Host microphone", &ss, NULL, pl);
	pa_proplist_free(pl);
	if (!a->micplay) {
		log_warn("cannot create the microphone stream: %s",
			 pa_strerror(pa_context_errno(a->pulse.ctx)));
		return;
	}
	audio_level_init(&a->mic_level, &a->config, AGENT_MIC_LATENCY_US, AGENT_MIC_LATENCY_US);
	a->micplay_ready = false;
	pa_buffer_attr attr = {
	    .maxlength = audio_level_bytes(&a->mic_level, 4 * AGENT_MIC_LATENCY_US),
	    .tlength = audio_level_bytes(&a->mic_level, AGENT_MIC_LATENCY_US),
	    /* The server's default: playback starts (and restarts after an underrun) with the
	     * buffer nearly full. An explicit small prebuf on a stream that starts empty left it
	     * waiting for good on PulseAudio 16 (seen in tests/audio/audio.sh). */
	    .prebuf = (uint32_t)-1,
	    .minreq = (uint32_t)-1,
	    .fragsize = (uint32_t)-1,
	};
	pa_stream_set_state_callback(a->micplay, state_cb, a);
	pa_stream_flags_t flags =
	    PA_STREAM_ADJUST_LATENCY | PA_STREAM_DONT_MOVE | PA_STREAM_START_CORKED;
	if (pa_stream_connect_playback(a->micplay, AGENT_MIC_SINK, &attr, flags, NULL, NULL) < 0) {
		log_warn("cannot play into %s: %s", AGENT_MIC_SINK,
			 pa_strerror(pa_context_errno(a->pulse.ctx)));
		agent_mic_close(a);
	}
}

void agent_mic_update(struct agent *a)
{
	bool want = a->pulse.ready && a->devices_ready && a->conn == AGENT_CONN_RUNNING;
	if (want && !a->micplay)
		open_micplay(a);
	else if (!want)
		agent_mic_close(a);
	sync_cork(a);
	agent_mic_request_update(a);
}

void agent_mic_data(struct agent *a, const uint8_t *pcm, uint32_t len)
{
	if (!a->micplay_ready || a->micplay_corked)
		return;
	size_t writable = pa_stream_writable_size(a->micplay);
	if (writable == (size_t)-1)
		return;
	uint32_t level =
	    writable >= a->micplay_tlength ? 0 : a->micplay_tlength - (uint32_t)writable;
	uint32_t take = audio_level_admit(&a->mic_level, level, len);
	if (take)
		pa_stream_write(a->micplay, pcm, take, NULL, 0, PA_SEEK_RELATIVE);
}

void agent_mic_close(struct agent *a)
{
	if (!a->micplay)
		return;
	pa_stream_set_state_callback(a->micplay, NULL, NULL);
	pa_stream_disconnect(a->micplay);
	pa_stream_unref(a->micplay);
	a->micplay = NULL;
	a->micplay_ready = false;
	log_debug("closed the feed of %s (%llu bytes dropped)", AGENT_MIC_SINK,
		  (unsigned long long)a->mic_level.dropped);
}

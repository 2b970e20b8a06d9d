/* The host microphone: a record stream on the host's default source, open only while the session
 * says so (agent configured, policy allows, guest asked), its chunks sent as MIC_DATA. */
#include <stdio.h>
#include <string.h>

#include "audio/daemon.h"
#include "common/log.h"

/* Send one recorded chunk in messages of at most AUDIO_MAX_PCM_BYTES; drop what would pile up in
 * the channel's queue past DAEMON_MIC_MAX_QUEUED (an agent that stopped reading). */
static void send_chunk(struct daemon *d, const uint8_t *data, size_t len)
{
	len -= len % AUDIO_FRAME_BYTES;
	while (len > 0) {
		uint32_t n = len > AUDIO_MAX_PCM_BYTES ? AUDIO_MAX_PCM_BYTES : (uint32_t)len;
		if (chan_queued(d->chan) + n > DAEMON_MIC_MAX_QUEUED) {
			d->mic_dropped += n;
		} else {
			struct audio_msg m = {
			    .type = AUDIO_MSG_MIC_DATA, .pcm = data, .pcm_len = n};
			daemon_send(d, &m);
		}
		data += n;
		len -= n;
	}
}

static void fragment(void *user, const uint8_t *data, size_t len)
{
	struct daemon *d = user;
	if (d->session.mic_running)
		send_chunk(d, data, len);
}

static void read_cb(pa_stream *s, size_t nbytes, void *userdata)
{
	(void)nbytes;
	audio_pulse_drain(s, fragment, userdata);
}

static void state_cb(pa_stream *s, void *userdata)
{
	struct daemon *d = userdata;
	switch (pa_stream_get_state(s)) {
	case PA_STREAM_READY:
		log_info("recording the host microphone from %s", pa_stream_get_device_name(s));
		break;
	case PA_STREAM_FAILED:
		log_warn("the microphone stream failed: %s",
			 pa_strerror(pa_context_errno(pa_stream_get_context(s))));
		daemon_mic_stop(d);
		break;
	default:
		break;
	}
}

void daemon_mic_start(struct daemon *d)
{
	if (d->mic || !d->pulse.ready || !d->session.mic_running)
		return;
	const struct audio_config *c = &d->session.config;
	pa_sample_spec ss = {PA_SAMPLE_S16LE, c->rate, (uint8_t)c->channels};
	char name[64];
	snprintf(name, sizeof(name), "[%s] microphone", d->opts.name);
	pa_proplist *pl = pa_proplist_new();
	pa_proplist_sets(pl, PA_PROP_MEDIA_NAME, name);
	pa_proplist_sets(pl, PA_PROP_APPLICATION_NAME, d->stream_name);
	pa_proplist_sets(pl, "seam.guest", d->opts.name);
	d->mic = pa_stream_new_with_proplist(d->pulse.ctx, name, &ss, NULL, pl);
	pa_proplist_free(pl);
	if (!d->mic) {
		log_warn("cannot create the microphone stream: %s",
			 pa_strerror(pa_context_errno(d->pulse.ctx)));
		return;
	}
	uint32_t frag =
	    (uint32_t)((uint64_t)audio_bytes_per_sec(c) * DAEMON_MIC_FRAGMENT_US / 1000000u);
	frag -= frag % AUDIO_FRAME_BYTES;
	pa_buffer_attr attr = {
	    .maxlength = 8 * frag,
	    .tlength = (uint32_t)-1,
	    .prebuf = (uint32_t)-1,
	    .minreq = (uint32_t)-1,
	    .fragsize = frag,
	};
	pa_stream_set_state_callback(d->mic, state_cb, d);
	pa_stream_set_read_callback(d->mic, read_cb, d);
	/* NULL device: the host's default source, followed if the user changes it. */
	if (pa_stream_connect_record(d->mic, NULL, &attr, PA_STREAM_ADJUST_LATENCY) < 0) {
		log_warn("cannot connect the microphone stream: %s",
			 pa_strerror(pa_context_errno(d->pulse.ctx)));
		daemon_mic_stop(d);
	}
}

void daemon_mic_stop(struct daemon *d)
{
	if (!d->mic)
		return;
	pa_stream_set_state_callback(d->mic, NULL, NULL);
	pa_stream_set_read_callback(d->mic, NULL, NULL);
	pa_stream_disconnect(d->mic);
	pa_stream_unref(d->mic);
	d->mic = NULL;
	log_info("stopped recording the host microphone (%llu bytes dropped)",
		 (unsigned long long)d->mic_dropped);
	d->mic_dropped = 0;
}

/* The PulseAudio context with its reconnection, shared by seam-audio-agent and
 * seam-audio-daemon. */
#include "audio/pulse.h"

#include "common/log.h"

static void retry_cb(pa_mainloop_api *api, pa_time_event *e, const struct timeval *tv,
		     void *userdata)
{
	(void)tv;
	struct audio_pulse *p = userdata;
	api->time_free(e);
	p->retry = NULL;
	audio_pulse_connect(p);
}

static void drop(struct audio_pulse *p)
{
	p->ready = false; /* nothing the owner does in on_drop may make a stream on it */
	if (p->on_drop)
		p->on_drop(p->user);
	if (p->ctx) {
		pa_context_set_state_callback(p->ctx, NULL, NULL);
		pa_context_set_subscribe_callback(p->ctx, NULL, NULL);
		pa_context_disconnect(p->ctx);
		pa_context_unref(p->ctx);
		p->ctx = NULL;
	}
}

void audio_pulse_lost(struct audio_pulse *p, const char *why)
{
	log_warn("lost PulseAudio (%s): retrying every %u ms", why, p->retry_ms);
	drop(p);
	if (p->retry)
		return;
	struct timeval tv;
	pa_timeval_add(pa_gettimeofday(&tv), (pa_usec_t)p->retry_ms * 1000u);
	p->retry = p->api->time_new(p->api, &tv, retry_cb, p);
}

static void state_cb(pa_context *c, void *userdata)
{
	struct audio_pulse *p = userdata;
	switch (pa_context_get_state(c)) {
	case PA_CONTEXT_READY:
		p->ready = true;
		log_info("connected to PulseAudio at %s", pa_context_get_server(c));
		if (p->on_ready)
			p->on_ready(p->user);
		break;
	case PA_CONTEXT_FAILED:
	case PA_CONTEXT_TERMINATED:
		audio_pulse_lost(p, pa_strerror(pa_context_errno(c)));
		break;
	default:
		break;
	}
}

void audio_pulse_connect(struct audio_pulse *p)
{
	pa_proplist *pl = pa_proplist_new();
	pa_proplist_sets(pl, PA_PROP_APPLICATION_NAME, p->app_name);
	pa_proplist_sets(pl, PA_PROP_APPLICATION_ID, p->app_id);
	p->ctx = pa_context_new_with_proplist(p->api, p->app_name, pl);
	pa_proplist_free(pl);
	if (!p->ctx) {
		audio_pulse_lost(p, "cannot create a context");
		return;
	}
	pa_context_set_state_callback(p->ctx, state_cb, p);
	if (pa_context_connect(p->ctx, NULL, PA_CONTEXT_NOAUTOSPAWN, NULL) < 0)
		audio_pulse_lost(p, pa_strerror(pa_context_errno(p->ctx)));
}

void audio_pulse_close(struct audio_pulse *p)
{
	drop(p);
	if (p->retry) {
		p->api->time_free(p->retry);
		p->retry = NULL;
	}
}

void audio_pulse_drain(pa_stream *s, void (*fn)(void *user, const uint8_t *data, size_t len),
		       void *user)
{
	while (pa_stream_readable_size(s) > 0) {
		const void *data;
		size_t len;
		if (pa_stream_peek(s, &data, &len) < 0 || len == 0)
			return;
		if (data)
			fn(user, data, len);
		pa_stream_drop(s);
	}
}

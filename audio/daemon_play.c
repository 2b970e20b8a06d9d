/* The host playback stream "[NAME] audio": created per connection, corked while the guest plays
 * nothing, fed as messages arrive under the level controller (audio/level.h), so neither a
 * flooding guest nor clock drift can grow the host's buffer or the latency. */
#include <stdio.h>
#include <string.h>

#include "audio/daemon.h"
#include "common/log.h"
#include "common/mono.h"

static void underflow_cb(pa_stream *s, void *userdata)
{
	(void)s;
	struct daemon *d = userdata;
	/* After PLAY_STOP the buffer runs dry on purpose; only an underrun while playing counts. */
	if (d->session.playing) {
		d->underruns++;
		log_debug("underrun %llu", (unsigned long long)d->underruns);
	}
	/* PulseAudio waits for prebuf bytes again; what comes next fades in instead of clicking.
	 * The level's average stays: one dip says little about the drift, and starting the average
	 * over from a single reading swung the rate to its clamp. */
	audio_fade_start(&d->fade, d->session.config.rate, AUDIO_PCM_FADE_US);
	audio_level_underrun(&d->level);
}

static void state_cb(pa_stream *s, void *userdata)
{
	struct daemon *d = userdata;
	switch (pa_stream_get_state(s)) {
	case PA_STREAM_READY: {
		const pa_buffer_attr *a = pa_stream_get_buffer_attr(s);
		d->play_tlength = a ? a->tlength : 0;
		/* The level is measured as tlength minus what the server asks for, so it cannot be
		 * seen past tlength: that is the hard limit. */
		audio_level_set_limit(&d->level, d->play_tlength, DAEMON_PLAY_HEADROOM_US);
		d->play_ready = true;
		log_info("playback stream ready on %s: tlength %u B, prebuf %u B, minreq %u B",
			 pa_stream_get_device_name(s), a ? a->tlength : 0, a ? a->prebuf : 0,
			 a ? a->minreq : 0);
		/* It started corked: a PLAY_START that came first takes effect now. */
		if (d->session.playing)
			daemon_play_start(d);
		break;
	}
	case PA_STREAM_FAILED:
		log_warn("the playback stream failed: %s",
			 pa_strerror(pa_context_errno(pa_stream_get_context(s))));
		daemon_play_close(d);
		break;
	default:
		break;
	}
}

void daemon_play_open(struct daemon *d)
{
	if (d->play || !d->pulse.ready || !d->session.configured)
		return;
	const struct audio_config *c = &d->session.config;
	pa_sample_spec ss = {PA_SAMPLE_S16LE, c->rate, (uint8_t)c->channels};
	pa_proplist *pl = pa_proplist_new();
	char restore_id[64];
	/* Without an id of its own every guest would share one remembered volume (by role). */
	snprintf(restore_id, sizeof(restore_id), "sink-input-by-seam-guest:%s", d->opts.name);
	pa_proplist_sets(pl, PA_PROP_MEDIA_NAME, d->stream_name);
	pa_proplist_sets(pl, PA_PROP_MEDIA_ROLE, "music");
	pa_proplist_sets(pl, PA_PROP_APPLICATION_NAME, d->stream_name);
	pa_proplist_sets(pl, PA_PROP_APPLICATION_ID, "org.seam.audio-daemon");
	pa_proplist_sets(pl, "module-stream-restore.id", restore_id);
	pa_proplist_sets(pl, "seam.guest", d->opts.name);
	d->play = pa_stream_new_with_proplist(d->pulse.ctx, d->stream_name, &ss, NULL, pl);
	pa_proplist_free(pl);
	if (!d->play) {
		log_warn("cannot create the playback stream: %s",
			 pa_strerror(pa_context_errno(d->pulse.ctx)));
		return;
	}
	audio_level_init(&d->level, c, DAEMON_PLAY_PREBUF_US, DAEMON_PLAY_TLENGTH_US);
	audio_fade_start(&d->fade, c->rate, AUDIO_PCM_FADE_US);
	d->play_rate = c->rate;
	d->rate_pending = false;
	d->play_ready = false;
	pa_buffer_attr attr = {
	    .maxlength = audio_level_bytes(&d->level, 4 * DAEMON_PLAY_TLENGTH_US),
	    .tlength = audio_level_bytes(&d->level, DAEMON_PLAY_TLENGTH_US),
	    .prebuf = audio_level_bytes(&d->level, DAEMON_PLAY_PREBUF_US),
	    .minreq = audio_level_bytes(&d->level, DAEMON_PLAY_MINREQ_US),
	    .fragsize = (uint32_t)-1,
	};
	pa_stream_set_state_callback(d->play, state_cb, d);
	pa_stream_set_underflow_callback(d->play, underflow_cb, d);
	/* Early requests: the sink keeps only minreq, the rest waits in the stream where the level
	 * controller sees it. Variable rate: the controller nudges the rate to absorb clock drift.
	 */
	pa_stream_flags_t flags =
	    PA_STREAM_EARLY_REQUESTS | PA_STREAM_START_CORKED | PA_STREAM_VARIABLE_RATE;
	if (pa_stream_connect_playback(d->play, NULL, &attr, flags, NULL, NULL) < 0) {
		log_warn("cannot connect the playback stream: %s",
			 pa_strerror(pa_context_errno(d->pulse.ctx)));
		daemon_play_close(d);
	}
}

void daemon_play_close(struct daemon *d)
{
	if (!d->play)
		return;
	pa_stream_set_state_callback(d->play, NULL, NULL);
	pa_stream_set_underflow_callback(d->play, NULL, NULL);
	pa_stream_disconnect(d->play);
	pa_stream_unref(d->play);
	d->play = NULL;
	d->play_ready = false;
}

void daemon_play_start(struct daemon *d)
{
	/* A stream that failed (its sink went away) is made again; it uncorks once ready. */
	if (!d->play)
		daemon_play_open(d);
	if (!d->play_ready)
		return;
	audio_fade_start(&d->fade, d->session.config.rate, AUDIO_PCM_FADE_US);
	audio_level_restart(&d->level);
	pa_operation *o = pa_stream_cork(d->play, 0, NULL, NULL);
	if (o)
		pa_operation_unref(o);
	log_debug("playing");
}

static void drained_cb(pa_stream *s, int success, void *userdata)
{
	(void)success;
	struct daemon *d = userdata;
	/* Cork only if the guest did not start again meanwhile: an idle corked stream lets the
	 * host's sink suspend. */
	if (s == d->play && !d->session.playing) {
		pa_operation *o = pa_stream_cork(s, 1, NULL, NULL);
		if (o)
			pa_operation_unref(o);
		log_debug("drained and corked");
	}
}

void daemon_play_stop(struct daemon *d)
{
	if (!d->play_ready)
		return;
	/* What is queued is the end of the guest's sound: let it play, then cork. */
	pa_operation *o = pa_stream_drain(d->play, drained_cb, d);
	if (o)
		pa_operation_unref(o);
}

static void rate_cb(pa_stream *s, int success, void *userdata)
{
	struct daemon *d = userdata;
	if (s != d->play)
		return;
	d->rate_pending = false;
	if (!success)
		log_debug("the server refused a rate update");
}

void daemon_play_write(struct daemon *d, const uint8_t *pcm, uint32_t len)
{
	if (!d->play_ready) {
		d->dropped_bytes += len;
		return;
	}
	size_t writable = pa_stream_writable_size(d->play);
	if (writable == (size_t)-1) {
		d->dropped_bytes += len;
		return;
	}
	uint32_t level = writable >= d->play_tlength ? 0 : d->play_tlength - (uint32_t)writable;
	uint32_t take = audio_level_admit(&d->level, level, len);
	if (take) {
		uint8_t buf[AUDIO_MAX_PCM_BYTES];
		memcpy(buf, pcm, take);
		audio_fade_apply(&d->fade, buf, take);
		if (pa_stream_write(d->play, buf, take, NULL, 0, PA_SEEK_RELATIVE) == 0)
			d->played_bytes += take;
	}
	if (take < len)
		log_debug("buffer full (%u B queued): dropped %u B, %llu in all", level, len - take,
			  (unsigned long long)d->level.dropped);
	uint64_t now = (uint64_t)mono_us();
	uint32_t rate = audio_level_observe(&d->level, level + take, now);
	/* The controller moves over seconds: one update a second is plenty, and each one costs the
	 * server a resampler change. */
	if (rate != d->play_rate && !d->rate_pending &&
	    now - d->rate_changed_us >= DAEMON_RATE_UPDATE_US) {
		pa_operation *o = pa_stream_update_sample_rate(d->play, rate, rate_cb, d);
		if (o) {
			pa_operation_unref(o);
			d->rate_pending = true;
			d->play_rate = rate;
			d->rate_changed_us = now;
			log_debug("level %.1f ms: rate %u Hz",
				  d->level.avg * 1000.0 / d->level.bytes_per_sec, rate);
		}
	}
}

/* The PulseAudio context that both audio programs keep: connect, notice when the server goes
 * away, drop every stream, and connect again on a timer. Never spawns a server. */
#ifndef SEAM_AUDIO_PULSE_H
#define SEAM_AUDIO_PULSE_H

#include <pulse/pulseaudio.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct audio_pulse {
	/* Set by the owner before audio_pulse_connect(). */
	pa_mainloop_api *api;
	const char *app_name; /* PA_PROP_APPLICATION_NAME, also the context's name */
	const char *app_id;   /* PA_PROP_APPLICATION_ID */
	unsigned retry_ms;
	void (*on_ready)(void *user); /* the context is ready: set up streams and devices */
	void (*on_drop)(void *user);  /* the context is about to go: close every stream on it */
	void *user;

	/* State. */
	pa_context *ctx; /* NULL while there is none */
	bool ready;	 /* ctx is PA_CONTEXT_READY */
	pa_time_event *retry;
};

/* Make a context and connect it ($PULSE_SERVER or libpulse's default). A failure is handled as
 * audio_pulse_lost() does. */
void audio_pulse_connect(struct audio_pulse *p);
/* The server went away or failed (why: for the log): drop the context, connect again in
 * retry_ms. */
void audio_pulse_lost(struct audio_pulse *p, const char *why);
/* Drop the context and cancel any retry (at exit). */
void audio_pulse_close(struct audio_pulse *p);

/* A record stream's read callback: hand each fragment the stream holds to fn and drop it. Holes
 * (the source skipped) are dropped without a call. Bounded by what the stream holds, which its
 * maxlength bounds. */
void audio_pulse_drain(pa_stream *s, void (*fn)(void *user, const uint8_t *data, size_t len),
		       void *user);

#endif

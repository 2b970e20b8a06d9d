/* The start and the end both audio programs share around their own state: the loop with the
 * channel in it, PulseAudio's signal handling and its context. Each program keeps its own
 * options, callbacks and streams. */
#ifndef SEAM_AUDIO_PROGRAM_H
#define SEAM_AUDIO_PROGRAM_H

#include <pulse/mainloop-signal.h>
#include <stddef.h>

#include "audio/loop.h"
#include "audio/pulse.h"
#include "common/sysfilter.h"
#include "shm/chan.h"

struct audio_program {
	const char *name;    /* "seam-audio-agent": the program, for its one error line */
	const char *channel; /* the channel's address */
	enum chan_side side;
	const struct chan_config *cfg;
	audio_loop_chan_fn on_chan; /* the channel's events */
	/* SIGINT, SIGTERM and SIGHUP end the loop (audio_loop_run returns 0); these other signals
	 * go to on_signal. */
	const int *signals;
	size_t nsignals;
	pa_signal_cb_t on_signal;
	/* The PulseAudio context (struct audio_pulse's fields of the same names). */
	const char *app_name;
	const char *app_id;
	unsigned retry_ms;
	void (*on_ready)(void *user);
	void (*on_drop)(void *user);
	void *user;		       /* for every callback here */
	enum sysfilter_program filter; /* the seccomp filter, installed once all this is set up */
};

/* Creates *loop (*api is its PulseAudio API), opens the channel into *chan and watches it, routes
 * the signals, starts connecting the context *pulse, then installs the program's seccomp filter
 * (common/sysfilter.h). Returns 0, or -errno after one line on
 * stderr saying what failed (then nothing is left open). The log must be set up (log_init). */
int audio_program_open(const struct audio_program *p, struct audio_loop **loop,
		       pa_mainloop_api **api, struct chan **chan, struct audio_pulse *pulse);

/* The end, once the program's streams are closed: the context (pulse), the channel, the signals
 * and the loop. */
void audio_program_close(struct audio_loop *loop, struct chan *chan, struct audio_pulse *pulse);

#endif

/* The start and the end both audio programs share around their own state: the loop with the
 * channel in it, and PulseAudio's signal handling. Each program keeps its own options, context
 * callbacks and streams. */
#ifndef SEAM_AUDIO_PROGRAM_H
#define SEAM_AUDIO_PROGRAM_H

#include <pulse/mainloop-signal.h>
#include <stddef.h>

#include "audio/loop.h"
#include "audio/pulse.h"
#include "shm/chan.h"

struct audio_program {
	const char *name;    /* "seam-audio-agent": the program, for its one error line */
	const char *channel; /* the channel's address */
	enum chan_side side;
	const struct chan_config *cfg;
	audio_loop_chan_fn on_chan; /* the channel's events */
	const int *signals;	    /* handled by on_signal */
	size_t nsignals;
	pa_signal_cb_t on_signal;
	void *user; /* for on_chan and on_signal */
};

/* Creates *loop (*api is its PulseAudio API), opens the channel into *chan and watches it, and
 * routes the signals. Returns 0, or -errno after one line on stderr saying what failed (then
 * nothing is left open). The log must be set up (log_init). */
int audio_program_open(const struct audio_program *p, struct audio_loop **loop,
		       pa_mainloop_api **api, struct chan **chan);

/* The end, once the program's streams are closed: the context (pulse), the channel, the signals
 * and the loop. */
void audio_program_close(struct audio_loop *loop, struct chan *chan, struct audio_pulse *pulse);

#endif

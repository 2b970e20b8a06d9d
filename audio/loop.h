/* One event loop per audio process: libpulse's pa_mainloop, whose poll() also waits on the Seam
 * channel. PulseAudio's own events (streams, context, timers, signals through pa_signal) run as
 * usual; after each turn in which the channel's fd was ready or its timer came due, the loop calls
 * chan_dispatch() and hands the events to the owner's callback. Nothing wakes up while both the
 * channel and PulseAudio are idle.
 */
#ifndef SEAM_AUDIO_LOOP_H
#define SEAM_AUDIO_LOOP_H

#include <pulse/mainloop.h>

#include "shm/chan.h"

struct audio_loop;

/* Called with chan_dispatch()'s events (possibly 0: see audio_loop_again). */
typedef void (*audio_loop_chan_fn)(void *ctx, unsigned events);

/* Returns 0 or -ENOMEM. The caller owns *out. */
int audio_loop_create(struct audio_loop **out);
/* Frees the pa_mainloop; streams and contexts on it must be gone. NULL allowed. */
void audio_loop_destroy(struct audio_loop *l);

pa_mainloop_api *audio_loop_api(struct audio_loop *l);

/* Watch c (not owned) and call fn(ctx, events) after its dispatches. */
void audio_loop_watch(struct audio_loop *l, struct chan *c, audio_loop_chan_fn fn, void *ctx);

/* Dispatch the channel again next turn without waiting (messages are still buffered). */
void audio_loop_again(struct audio_loop *l);

/* Run until audio_loop_quit(); returns its code. */
int audio_loop_run(struct audio_loop *l);
void audio_loop_quit(struct audio_loop *l, int code);

/* Run PulseAudio events only (not the channel) until *done is true or timeout_ms passed: to let
 * clean-up operations finish before exit. */
void audio_loop_settle(struct audio_loop *l, const int *done, int timeout_ms);

#endif

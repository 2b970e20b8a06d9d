/* Flow control of the host's playback buffer, pure: how much of each chunk from the guest to write,
 * and the rate to play at so the buffer level stays near its target although the guest's and the
 * host's sound clocks drift apart. Levels and times in, decisions out; no PulseAudio, no I/O.
 *
 * Two mechanisms, so latency cannot grow over time:
 *  - a rate correction (at most AUDIO_LEVEL_MAX_PPM) from the level averaged over about a second,
 *    which absorbs clock drift smoothly (PulseAudio resamples; no samples are lost). It is a PI
 *    controller: the proportional part corrects an error in the level over AUDIO_LEVEL_CORRECT_US,
 *    the integral part learns the drift itself, so the level settles at the target exactly;
 *  - a hard limit: bytes that would take the level past it are dropped (the newest ones: what is
 *    already queued plays on undisturbed) and counted. A flooding guest meets only this. After
 *    an underrun the limit is the target until the level is back there.
 */
#ifndef SEAM_AUDIO_LEVEL_H
#define SEAM_AUDIO_LEVEL_H

#include <stdint.h>

#include "audio/audio_proto.h"

/* Largest rate correction: 0.2% (3.5 cents of pitch, inaudible) covers sound-card clocks, which
 * are within 100 ppm of nominal, twenty times over. */
#define AUDIO_LEVEL_MAX_PPM 2000
/* Largest drift the integral part learns: ten times a sound card's, so that bursts from a guest
 * that stalled (which the limit cuts) cannot wind it up to the clamp. */
#define AUDIO_LEVEL_MAX_DRIFT_PPM 1000
/* The level is averaged over about this long before it steers the rate. */
#define AUDIO_LEVEL_AVG_US 1000000u
/* An error in the level is corrected over about this long (slow enough never to be heard). */
#define AUDIO_LEVEL_CORRECT_US 4000000u
/* The integral time: 4 x AUDIO_LEVEL_CORRECT_US damps the loop critically (no overshoot). */
#define AUDIO_LEVEL_INTEGRAL_US 16000000u

struct audio_level {
	uint32_t rate;		/* nominal frames per second */
	uint32_t bytes_per_sec; /* at the nominal rate */
	uint32_t target;	/* bytes buffered that the controller aims at */
	uint32_t limit;		/* bytes buffered that are never passed */
	double avg;		/* smoothed level in bytes */
	double integral;	/* the level's error integrated over time (s x s): the drift */
	uint64_t last_us;	/* time of the last observation, 0: none since (re)start */
	uint32_t out_rate;	/* the rate to play at now */
	uint64_t dropped;	/* bytes dropped since audio_level_init() */
	bool refill;		/* after an underrun: admit only up to the target */
};

/* target_us and limit_us: the level to aim at and the most ever buffered (limit >= target). */
void audio_level_init(struct audio_level *l, const struct audio_config *c, uint32_t target_us,
		      uint32_t limit_us);

/* Set the most ever buffered (bytes), once the server said what it is, and aim headroom_us below
 * it (room for the next chunk from the guest), or at half of it if the headroom does not fit. */
void audio_level_set_limit(struct audio_level *l, uint32_t limit, uint32_t headroom_us);

/* The stream (re)started: the average starts over at the target (where prebuf puts the level);
 * the drift learnt so far stays, as it belongs to the clocks, not to the stream. */
void audio_level_restart(struct audio_level *l);

/* The stream ran dry. What the guest sends next is often the backlog of a stall: until the level
 * is back at the target, only that much is admitted, so the latency comes back to the target at
 * once instead of sitting at the limit (and the controller does not take the burst for drift). */
void audio_level_underrun(struct audio_level *l);

/* n bytes (whole frames) arrived while `level` bytes are buffered: returns how many of them to
 * write, a whole number of frames from the start of the chunk; the rest is dropped and counted. */
uint32_t audio_level_admit(struct audio_level *l, uint32_t level, uint32_t n);

/* The buffer held `level` bytes at now_us (monotonic), just after a chunk was written: returns
 * the rate to play at, within AUDIO_LEVEL_MAX_PPM of nominal (above nominal when the level is
 * high, to drain it). The target is thus the level right after a chunk; between chunks the
 * buffer runs down by one chunk (10 ms) and comes back. */
uint32_t audio_level_observe(struct audio_level *l, uint32_t level, uint64_t now_us);

/* Bytes of n microseconds at the nominal rate, a whole number of frames. */
uint32_t audio_level_bytes(const struct audio_level *l, uint32_t us);

#endif

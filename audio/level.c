/* The playback buffer's flow control: admission against a hard limit and a drift-absorbing rate. */
#include <math.h>

#include "audio/level.h"

uint32_t audio_level_bytes(const struct audio_level *l, uint32_t us)
{
	uint64_t frames = (uint64_t)l->rate * us / 1000000u;
	return (uint32_t)(frames * AUDIO_FRAME_BYTES);
}

void audio_level_init(struct audio_level *l, const struct audio_config *c, uint32_t target_us,
		      uint32_t limit_us)
{
	*l = (struct audio_level){.rate = c->rate, .bytes_per_sec = audio_bytes_per_sec(c)};
	l->out_rate = l->rate;
	l->target = audio_level_bytes(l, target_us);
	l->limit = audio_level_bytes(l, limit_us < target_us ? target_us : limit_us);
	audio_level_restart(l);
}

void audio_level_set_limit(struct audio_level *l, uint32_t limit, uint32_t headroom_us)
{
	uint32_t headroom = audio_level_bytes(l, headroom_us);
	l->limit = limit - limit % AUDIO_FRAME_BYTES;
	l->target = l->limit > headroom ? l->limit - headroom : l->limit / 2;
	l->target -= l->target % AUDIO_FRAME_BYTES;
	if (l->last_us == 0)
		l->avg = l->target;
}

void audio_level_restart(struct audio_level *l)
{
	/* The stream (re)starts at prebuf, which is the target: start the average there rather
	 * than from the first reading, which may be a stray chunk. */
	l->avg = l->target;
	l->last_us = 0;
}

void audio_level_underrun(struct audio_level *l)
{
	l->refill = true;
}

uint32_t audio_level_admit(struct audio_level *l, uint32_t level, uint32_t n)
{
	uint32_t cap = l->refill ? l->target : l->limit;
	uint32_t room = level >= cap ? 0 : cap - level;
	room -= room % AUDIO_FRAME_BYTES;
	uint32_t take = n < room ? n : room;
	if (level + take >= l->target)
		l->refill = false;
	l->dropped += n - take;
	return take;
}

uint32_t audio_level_observe(struct audio_level *l, uint32_t level, uint64_t now_us)
{
	if (l->last_us == 0 || now_us <= l->last_us) {
		l->last_us = now_us;
		return l->out_rate;
	}
	/* An exponential average whose weight follows the time between observations. */
	double dt = (double)(now_us - l->last_us) / 1e6;
	double alpha = dt / (AUDIO_LEVEL_AVG_US / 1e6);
	if (alpha > 1.0)
		alpha = 1.0;
	l->avg += alpha * ((double)level - l->avg);
	l->last_us = now_us;
	/* PI control of the playback rate: play faster (ppm > 0) while the level is above target.
	 */
	const double kp = 1.0 / (AUDIO_LEVEL_CORRECT_US / 1e6);
	const double ki = kp / (AUDIO_LEVEL_INTEGRAL_US / 1e6);
	const double max_drift = AUDIO_LEVEL_MAX_DRIFT_PPM / 1e6;
	double error = (l->avg - (double)l->target) / l->bytes_per_sec;
	/* Anti-windup: a reading at the limit (data being dropped) or at zero (an underrun) is
	 * saturated and says nothing about drift, and the drift learnt stays within what clocks do.
	 * Bursts after a stalled guest would otherwise wind the integral up to the clamp. */
	if (level > 0 && level < l->limit)
		l->integral += error * dt;
	if (ki * l->integral > max_drift)
		l->integral = max_drift / ki;
	if (ki * l->integral < -max_drift)
		l->integral = -max_drift / ki;
	double ppm = (kp * error + ki * l->integral) * 1e6;
	if (ppm > AUDIO_LEVEL_MAX_PPM)
		ppm = AUDIO_LEVEL_MAX_PPM;
	if (ppm < -AUDIO_LEVEL_MAX_PPM)
		ppm = -AUDIO_LEVEL_MAX_PPM;
	l->out_rate = (uint32_t)lround(l->rate * (1.0 + ppm / 1e6));
	return l->out_rate;
}

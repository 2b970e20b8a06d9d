/* The host playback buffer's flow control: the hard limit, and the rate correction against clock
 * drift, simulated over ten minutes of 10 ms chunks from a guest whose clock runs fast or slow. */
#include <math.h>

#include "audio/level.h"
#include "suites.h"

static const struct audio_config cfg44 = {AUDIO_VERSION, AUDIO_FORMAT_S16LE, AUDIO_RATE_44100,
					  AUDIO_CHANNELS};

/* The daemon's figures: a 50 ms stream buffer (the limit) aimed 25 ms below it. */
#define LIMIT_US    50000u
#define HEADROOM_US 25000u

static void init_level(struct audio_level *l)
{
	audio_level_init(l, &cfg44, LIMIT_US - HEADROOM_US, LIMIT_US);
	audio_level_set_limit(l, audio_level_bytes(l, LIMIT_US), HEADROOM_US);
}

START_TEST(test_bytes_are_whole_frames)
{
	struct audio_level l;
	init_level(&l);
	ck_assert_uint_eq(audio_level_bytes(&l, 10000), 441 * 4);
	ck_assert_uint_eq(audio_level_bytes(&l, 1), 0);
	ck_assert_uint_eq(l.limit % AUDIO_FRAME_BYTES, 0);
	ck_assert_uint_eq(l.target % AUDIO_FRAME_BYTES, 0);
	ck_assert_uint_eq(l.target, l.limit - audio_level_bytes(&l, HEADROOM_US));
}
END_TEST

START_TEST(test_admit_takes_all_below_limit)
{
	struct audio_level l;
	init_level(&l);
	ck_assert_uint_eq(audio_level_admit(&l, 0, 1764), 1764);
	ck_assert_uint_eq(audio_level_admit(&l, l.limit - 1764, 1764), 1764);
	ck_assert_uint_eq(l.dropped, 0);
}
END_TEST

START_TEST(test_admit_drops_the_newest_past_limit)
{
	struct audio_level l;
	init_level(&l);
	ck_assert_uint_eq(audio_level_admit(&l, l.limit - 400, 1764), 400);
	ck_assert_uint_eq(l.dropped, 1764 - 400);
	ck_assert_uint_eq(audio_level_admit(&l, l.limit, 1764), 0);
	ck_assert_uint_eq(audio_level_admit(&l, l.limit + 5000, 1764), 0);
	ck_assert_uint_eq(l.dropped, 3 * 1764 - 400);
}
END_TEST

START_TEST(test_after_underrun_admits_up_to_target)
{
	struct audio_level l;
	init_level(&l);
	audio_level_underrun(&l);
	/* A 40 ms backlog after a stall: only the target's worth is kept. */
	uint32_t backlog = audio_level_bytes(&l, 40000);
	ck_assert_uint_eq(audio_level_admit(&l, 0, backlog), l.target);
	ck_assert_uint_eq(l.dropped, backlog - l.target);
	/* Back at the target: the limit applies again. */
	ck_assert_uint_eq(audio_level_admit(&l, l.target, 1764), 1764);
}
END_TEST

START_TEST(test_admit_keeps_whole_frames)
{
	struct audio_level l;
	init_level(&l);
	ck_assert_uint_eq(audio_level_admit(&l, l.limit - 6, 1764), 4);
}
END_TEST

START_TEST(test_small_limit_still_has_a_target)
{
	struct audio_level l;
	init_level(&l);
	audio_level_set_limit(&l, 2000, HEADROOM_US);
	ck_assert_uint_eq(l.limit, 2000);
	ck_assert_uint_eq(l.target, 1000);
}
END_TEST

START_TEST(test_rate_is_nominal_at_target)
{
	struct audio_level l;
	init_level(&l);
	for (uint64_t t = 0; t < 5000000; t += 10000)
		ck_assert_uint_eq(audio_level_observe(&l, l.target, t), AUDIO_RATE_44100);
}
END_TEST

START_TEST(test_rate_rises_when_level_high_and_is_clamped)
{
	struct audio_level l;
	init_level(&l);
	uint32_t rate = 0;
	for (uint64_t t = 0; t < 5000000; t += 10000)
		rate = audio_level_observe(&l, l.limit, t);
	ck_assert_uint_gt(rate, AUDIO_RATE_44100);
	ck_assert_uint_le(rate, (uint32_t)lround(44100 * (1 + AUDIO_LEVEL_MAX_PPM / 1e6)));
	for (uint64_t t = 5000000; t < 20000000; t += 10000)
		rate = audio_level_observe(&l, 0, t);
	ck_assert_uint_lt(rate, AUDIO_RATE_44100);
	ck_assert_uint_ge(rate, (uint32_t)lround(44100 * (1 - AUDIO_LEVEL_MAX_PPM / 1e6)));
}
END_TEST

START_TEST(test_restart_keeps_the_learnt_drift)
{
	struct audio_level l;
	init_level(&l);
	uint32_t rate = 0;
	for (uint64_t t = 0; t < 30000000; t += 10000)
		rate = audio_level_observe(&l, l.target + 1764, t);
	ck_assert_uint_gt(rate, AUDIO_RATE_44100);
	audio_level_restart(&l);
	ck_assert(l.avg == l.target);
	/* The first observation after a restart only seeds the average: the rate stays. */
	ck_assert_uint_eq(audio_level_observe(&l, l.target, 30010000), rate);
	ck_assert_uint_gt(audio_level_observe(&l, l.target, 30020000), AUDIO_RATE_44100);
}
END_TEST

struct sim {
	uint32_t max_level;	     /* over the whole run */
	uint32_t late_min, late_max; /* over the second half, right after each chunk */
	uint64_t dropped;
	unsigned underruns;
	uint32_t rate;
	double rate_sum; /* over the second half, for the mean */
	unsigned rate_n;
	double drift_learnt_ppm; /* the integral part at the end */
};

/* A guest sending 10 ms chunks from a clock off by drift_ppm, a host sink taking 5 ms blocks at
 * the controller's rate (or always at nominal, when follow_rate is false), for `seconds`. Every
 * stall_every_ms (0: never) the guest stalls for stall_ms and then sends its backlog at once. */
static struct sim simulate_stalls(double drift_ppm, bool follow_rate, unsigned seconds,
				  unsigned stall_every_ms, unsigned stall_ms)
{
	struct audio_level l;
	init_level(&l);
	struct sim r = {.late_min = UINT32_MAX, .rate = AUDIO_RATE_44100};
	double level = l.target, produce_frac = 0, consume_frac = 0;
	uint32_t rate = AUDIO_RATE_44100;
	unsigned backlog_chunks = 1;
	for (uint64_t ms = 0; ms < (uint64_t)seconds * 1000; ms++) {
		if (ms % 5 == 0) {
			consume_frac += (follow_rate ? rate : AUDIO_RATE_44100) * 0.005;
			double frames = floor(consume_frac);
			consume_frac -= frames;
			if (level < frames * 4 && ms > 1000)
				r.underruns++;
			if (level < frames * 4)
				audio_level_underrun(&l);
			level = level < frames * 4 ? 0 : level - frames * 4;
		}
		bool stalled = stall_every_ms && ms % stall_every_ms < stall_ms;
		if (ms % 10 == 0 && !stalled) {
			produce_frac +=
			    44100 * (1 + drift_ppm / 1e6) * 0.01 * (double)backlog_chunks;
			backlog_chunks = 1;
			double frames = floor(produce_frac);
			produce_frac -= frames;
			uint32_t before = (uint32_t)level;
			level += audio_level_admit(&l, before, (uint32_t)frames * 4);
			rate = audio_level_observe(&l, (uint32_t)level, ms * 1000);
			if (level > r.max_level)
				r.max_level = (uint32_t)level;
			uint32_t after = (uint32_t)level;
			if (ms >= (uint64_t)seconds * 500) {
				r.late_min = after < r.late_min ? after : r.late_min;
				r.late_max = after > r.late_max ? after : r.late_max;
				r.rate_sum += rate;
				r.rate_n++;
			}
		} else if (ms % 10 == 0) {
			backlog_chunks++;
		}
	}
	r.dropped = l.dropped;
	r.rate = rate;
	r.drift_learnt_ppm =
	    l.integral / (AUDIO_LEVEL_CORRECT_US / 1e6) / (AUDIO_LEVEL_INTEGRAL_US / 1e6) * 1e6;
	return r;
}

static struct sim simulate(double drift_ppm, bool follow_rate, unsigned seconds)
{
	return simulate_stalls(drift_ppm, follow_rate, seconds, 0, 0);
}

/* Ten minutes at drifts up to ten times real sound cards' (100 ppm): the level settles near the
 * target, nothing is dropped, nothing underruns. */
START_TEST(test_drift_is_absorbed_without_drops)
{
	const double drifts[] = {-1000, -300, -100, 0, 100, 300, 1000};
	struct audio_level l;
	init_level(&l);
	const uint32_t ms = audio_level_bytes(&l, 1000);
	for (size_t i = 0; i < sizeof(drifts) / sizeof(drifts[0]); i++) {
		struct sim r = simulate(drifts[i], true, 600);
		ck_assert_msg(r.dropped == 0, "drift %.0f ppm: %llu bytes dropped", drifts[i],
			      (unsigned long long)r.dropped);
		ck_assert_msg(r.underruns == 0, "drift %.0f ppm: %u underruns", drifts[i],
			      r.underruns);
		ck_assert_uint_le(r.max_level, l.limit);
		/* Steady state: within 6 ms of the target (one 10 ms chunk swings it by 5 ms),
		 * whichever way the clocks drift. */
		ck_assert_msg(r.late_min + 6 * ms >= l.target && r.late_max <= l.target + 6 * ms,
			      "drift %.0f ppm: level %u..%u B, target %u B", drifts[i], r.late_min,
			      r.late_max, l.target);
		/* The rate follows the drift (to within the 1 Hz steps it moves in). */
		ck_assert_msg(fabs(r.rate - 44100 * (1 + drifts[i] / 1e6)) <= 2.0,
			      "drift %.0f ppm: rate %u", drifts[i], r.rate);
	}
}
END_TEST

/* Without the correction a fast guest fills the buffer; the hard limit still bounds the latency
 * (dropping the excess), so nothing grows over time. */
START_TEST(test_limit_bounds_latency_without_correction)
{
	struct audio_level l;
	init_level(&l);
	struct sim r = simulate(2000, false, 600);
	ck_assert_uint_gt(r.dropped, 0);
	ck_assert_uint_le(r.max_level, l.limit);
	ck_assert_uint_le(r.late_max, l.limit);
}
END_TEST

/* A drift past what the correction may do (3000 ppm > AUDIO_LEVEL_MAX_PPM): the limit holds. */
START_TEST(test_limit_holds_past_the_correction_range)
{
	struct audio_level l;
	init_level(&l);
	struct sim r = simulate(3000, true, 600);
	ck_assert_uint_gt(r.dropped, 0);
	ck_assert_uint_le(r.max_level, l.limit);
	ck_assert_uint_eq(r.rate, (uint32_t)lround(44100 * (1 + AUDIO_LEVEL_MAX_PPM / 1e6)));
}
END_TEST

/* A guest that stalls 150 ms every 3 s and then sends its backlog at once: the limit cuts the
 * bursts, and the controller does not mistake them for drift. */
START_TEST(test_stalls_are_not_drift)
{
	struct sim r = simulate_stalls(0, true, 600, 3000, 150);
	double mean = r.rate_sum / r.rate_n;
	ck_assert_msg(fabs(mean - 44100) <= 44100 * 300e-6, "mean rate %.1f", mean);
	ck_assert_msg(fabs(r.drift_learnt_ppm) <= 300, "drift learnt %.0f ppm", r.drift_learnt_ppm);
}
END_TEST

/* A guest flooding at ten times real time: everything past the limit is dropped. */
START_TEST(test_flood_is_dropped_at_the_limit)
{
	struct audio_level l;
	init_level(&l);
	uint32_t level = 0;
	uint64_t offered = 0;
	for (int i = 0; i < 10000; i++) {
		level += audio_level_admit(&l, level, AUDIO_MAX_PCM_BYTES);
		offered += AUDIO_MAX_PCM_BYTES;
		ck_assert_uint_le(level, l.limit);
	}
	ck_assert_uint_eq(l.dropped, offered - level);
}
END_TEST

Suite *suite_audio_level(void)
{
	Suite *s = suite_create("audio_level");
	TCase *tc = tcase_create("admit");
	tcase_add_test(tc, test_bytes_are_whole_frames);
	tcase_add_test(tc, test_admit_takes_all_below_limit);
	tcase_add_test(tc, test_admit_drops_the_newest_past_limit);
	tcase_add_test(tc, test_admit_keeps_whole_frames);
	tcase_add_test(tc, test_after_underrun_admits_up_to_target);
	tcase_add_test(tc, test_small_limit_still_has_a_target);
	tcase_add_test(tc, test_flood_is_dropped_at_the_limit);
	suite_add_tcase(s, tc);
	tc = tcase_create("rate");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rate_is_nominal_at_target);
	tcase_add_test(tc, test_rate_rises_when_level_high_and_is_clamped);
	tcase_add_test(tc, test_restart_keeps_the_learnt_drift);
	tcase_add_test(tc, test_drift_is_absorbed_without_drops);
	tcase_add_test(tc, test_limit_bounds_latency_without_correction);
	tcase_add_test(tc, test_limit_holds_past_the_correction_range);
	tcase_add_test(tc, test_stalls_are_not_drift);
	suite_add_tcase(s, tc);
	return s;
}

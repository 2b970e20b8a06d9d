/* The fade-in that restarts a stream without a click. */
#include <stdlib.h>
#include <string.h>

#include "audio/audio_proto.h"
#include "audio/pcm.h"
#include "suites.h"

static int16_t sample(const uint8_t *pcm, size_t frame, unsigned ch)
{
	int16_t s;
	memcpy(&s, pcm + frame * AUDIO_FRAME_BYTES + ch * 2u, sizeof(s));
	return s;
}

static void fill(uint8_t *pcm, size_t frames, int16_t value)
{
	for (size_t i = 0; i < frames * AUDIO_CHANNELS; i++)
		memcpy(pcm + i * 2, &value, sizeof(value));
}

START_TEST(test_fade_starts_at_zero_and_rises)
{
	uint8_t pcm[400 * AUDIO_FRAME_BYTES];
	fill(pcm, 400, 30000);
	struct audio_fade f;
	audio_fade_start(&f, 44100, AUDIO_PCM_FADE_US);
	ck_assert_uint_eq(f.frames, 220);
	audio_fade_apply(&f, pcm, sizeof(pcm));
	ck_assert_int_eq(sample(pcm, 0, 0), 0);
	ck_assert_int_eq(sample(pcm, 0, 1), 0);
	for (size_t i = 1; i < 220; i++) {
		ck_assert_int_ge(sample(pcm, i, 0), sample(pcm, i - 1, 0));
		ck_assert_int_eq(sample(pcm, i, 0), sample(pcm, i, 1));
	}
	ck_assert_int_lt(sample(pcm, 219, 0), 30000);
	/* Past the fade the samples are untouched. */
	for (size_t i = 220; i < 400; i++)
		ck_assert_int_eq(sample(pcm, i, 0), 30000);
}
END_TEST

START_TEST(test_fade_continues_across_chunks)
{
	uint8_t one[300 * AUDIO_FRAME_BYTES], split[300 * AUDIO_FRAME_BYTES];
	fill(one, 300, -20000);
	fill(split, 300, -20000);
	struct audio_fade a, b;
	audio_fade_start(&a, 44100, AUDIO_PCM_FADE_US);
	audio_fade_start(&b, 44100, AUDIO_PCM_FADE_US);
	audio_fade_apply(&a, one, sizeof(one));
	audio_fade_apply(&b, split, 100 * AUDIO_FRAME_BYTES);
	audio_fade_apply(&b, split + 100 * AUDIO_FRAME_BYTES, 200 * AUDIO_FRAME_BYTES);
	ck_assert_int_eq(memcmp(one, split, sizeof(one)), 0);
}
END_TEST

START_TEST(test_finished_fade_changes_nothing)
{
	uint8_t pcm[64 * AUDIO_FRAME_BYTES], copy[sizeof(pcm)];
	for (size_t i = 0; i < sizeof(pcm); i++)
		pcm[i] = (uint8_t)rand();
	memcpy(copy, pcm, sizeof(pcm));
	struct audio_fade f;
	audio_fade_start(&f, 48000, AUDIO_PCM_FADE_US);
	f.pos = f.frames;
	audio_fade_apply(&f, pcm, sizeof(pcm));
	ck_assert_int_eq(memcmp(pcm, copy, sizeof(pcm)), 0);
}
END_TEST

Suite *suite_audio_pcm(void)
{
	Suite *s = suite_create("audio_pcm");
	TCase *tc = tcase_create("fade");
	tcase_add_test(tc, test_fade_starts_at_zero_and_rises);
	tcase_add_test(tc, test_fade_continues_across_chunks);
	tcase_add_test(tc, test_finished_fade_changes_nothing);
	suite_add_tcase(s, tc);
	return s;
}

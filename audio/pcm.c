/* A linear fade-in over s16le stereo PCM, to restart a stream without a click. */
#include <string.h>

#include "audio/audio_proto.h"
#include "audio/pcm.h"

void audio_fade_start(struct audio_fade *f, uint32_t rate, uint32_t us)
{
	f->pos = 0;
	f->frames = (uint32_t)((uint64_t)rate * us / 1000000u);
}

void audio_fade_apply(struct audio_fade *f, uint8_t *pcm, uint32_t len)
{
	uint32_t frames = len / AUDIO_FRAME_BYTES;
	for (uint32_t i = 0; i < frames && f->pos < f->frames; i++, f->pos++) {
		for (uint32_t ch = 0; ch < AUDIO_CHANNELS; ch++) {
			uint8_t *p = pcm + i * AUDIO_FRAME_BYTES + ch * 2u;
			int16_t s;
			memcpy(&s, p, sizeof(s));
			s = (int16_t)((int32_t)s * (int32_t)f->pos / (int32_t)f->frames);
			memcpy(p, &s, sizeof(s));
		}
	}
}

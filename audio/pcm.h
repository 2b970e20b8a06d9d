/* Sample-level helpers for s16le stereo PCM, pure. */
#ifndef SEAM_AUDIO_PCM_H
#define SEAM_AUDIO_PCM_H

#include <stdint.h>

/* A fade-in over this long after the host's stream (re)starts, so that starting in the middle of a
 * waveform (after an underrun, or a guest that starts loud) does not click. */
#define AUDIO_PCM_FADE_US 5000u

struct audio_fade {
	uint32_t pos;	 /* frames faded so far */
	uint32_t frames; /* length of the fade; pos == frames: done */
};

/* Arm a fade-in of `us` microseconds at `rate`. */
void audio_fade_start(struct audio_fade *f, uint32_t rate, uint32_t us);

/* Apply the fade to len bytes of s16le stereo (whole frames) in place, continuing where the last
 * call stopped; samples past the fade are untouched. */
void audio_fade_apply(struct audio_fade *f, uint8_t *pcm, uint32_t len);

#endif

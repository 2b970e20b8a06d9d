/* The audio/ test suites, run by tests/audio/main.c. */
#ifndef SEAM_TEST_AUDIO_SUITES_H
#define SEAM_TEST_AUDIO_SUITES_H

#include <check.h>

Suite *suite_audio_proto(void);
Suite *suite_audio_session(void);
Suite *suite_audio_level(void);
Suite *suite_audio_pcm(void);

#endif

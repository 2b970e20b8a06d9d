/* The monotonic clock, read one way everywhere: deadlines, rate limits and timings never jump
 * with the wall clock. */
#ifndef SEAM_MONO_H
#define SEAM_MONO_H

#include <stdint.h>

/* CLOCK_MONOTONIC in milliseconds, microseconds, nanoseconds. */
int64_t mono_ms(void);
int64_t mono_us(void);
int64_t mono_ns(void);

#endif

/* clock: the two clocks every module reads, in one place. */
#ifndef CAMDECOY_CLOCK_H
#define CAMDECOY_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Monotonic microseconds: intervals, deadlines. */
static inline int64_t clock_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static inline int64_t clock_mono_ms(void)
{
	return clock_mono_us() / 1000;
}

/* Wall-clock milliseconds since the Unix epoch, UTC: what is recorded. */
static inline int64_t clock_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif

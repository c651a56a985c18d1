/* thread: named threads and monotonic-clock waits, the way every module starts and sleeps. */
#ifndef CAMDECOY_THREAD_H
#define CAMDECOY_THREAD_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* Starts fn(arg) as a thread named name (at most 15 characters, as ps shows
 * it). 0, or -1 with err filled ("NAME: cannot start its thread: ..."). */
int thread_start(pthread_t *t, const char *name, void *(*fn)(void *), void *arg, char *err,
                 size_t errlen);

/* A condition variable whose timed waits use CLOCK_MONOTONIC (a wall-clock
 * step must not stretch or cut a deadline). */
void thread_cond_init(pthread_cond_t *c);

/* Waits on c (m held) until woken or until mono_ms (CLOCK_MONOTONIC ms). */
void thread_cond_wait_until(pthread_cond_t *c, pthread_mutex_t *m, int64_t mono_ms);

/* Waits on c (m held) until woken or for at most ms. */
void thread_cond_wait_ms(pthread_cond_t *c, pthread_mutex_t *m, int64_t ms);

#endif

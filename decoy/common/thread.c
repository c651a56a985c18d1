/* thread: pthread boilerplate written once. */
#include "thread.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"

int thread_start(pthread_t *t, const char *name, void *(*fn)(void *), void *arg, char *err,
                 size_t errlen)
{
	int rc = pthread_create(t, NULL, fn, arg);

	if (rc != 0) {
		snprintf(err, errlen, "%s: cannot start its thread: %s", name, strerror(rc));
		return -1;
	}
	pthread_setname_np(*t, name);
	return 0;
}

void thread_cond_init(pthread_cond_t *c)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(c, &ca);
	pthread_condattr_destroy(&ca);
}

void thread_cond_wait_until(pthread_cond_t *c, pthread_mutex_t *m, int64_t mono_ms)
{
	struct timespec ts = {.tv_sec = mono_ms / 1000,
	                      .tv_nsec = (long)(mono_ms % 1000) * 1000000};

	pthread_cond_timedwait(c, m, &ts);
}

void thread_cond_wait_ms(pthread_cond_t *c, pthread_mutex_t *m, int64_t ms)
{
	thread_cond_wait_until(c, m, clock_mono_ms() + ms);
}

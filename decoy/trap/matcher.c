/* matcher: one thread, one bounded FIFO of login jobs.
 *
 * The request threads pay for a copy and a queue link; matching (a database
 * lookup for a plaintext password, one Digest computation per credential
 * shown with the username) happens here, in arrival order, so a login's rows
 * reach the store's queue within the time the matches ahead of it take.
 * The thread also writes the trap's reservations of issue numbers. */
#include "matcher.h"
#include "clock.h"
#include "log.h"
#include "thread.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct matcher {
	login_ctx_s mt_ctx;
	credstore_s *mt_cs;
	pthread_t mt_thread;
	int mt_started, mt_stopping;
	pthread_mutex_t mt_lock;
	pthread_cond_t mt_cond;
	login_job_s *mt_head, **mt_tailp;
	size_t mt_queued;
	uint64_t mt_reserve_want, mt_reserve_done; /* under mt_lock */
	matcher_stats_s mt_stats;                  /* under mt_lock */
};

matcher_s *matcher_new(const login_ctx_s *ctx, credstore_s *cs, char *err, size_t errlen)
{
	matcher_s *m = calloc(1, sizeof(*m));

	if (m == NULL) {
		snprintf(err, errlen, "matcher: out of memory");
		credstore_close(cs);
		return NULL;
	}
	m->mt_ctx = *ctx;
	m->mt_ctx.lc_matcher = NULL;
	m->mt_cs = cs;
	m->mt_tailp = &m->mt_head;
	pthread_mutex_init(&m->mt_lock, NULL);
	thread_cond_init(&m->mt_cond);
	return m;
}

void matcher_submit(matcher_s *m, login_job_s *job)
{
	int unchecked = 0;
	/* Before taking mt_lock: the trap's lock is never taken inside it (the
	 * trap calls matcher_reserve holding its own). */
	int plausible = login_job_plausible(job, m->mt_ctx.lc_trap);

	pthread_mutex_lock(&m->mt_lock);
	/* A flood of attempts fills the queue; room is kept for the ones that
	 * could be a trap credential (an O(1) test), which are never lost. */
	if (m->mt_stopping || m->mt_queued >= MATCHER_QUEUE_MAX + MATCHER_RESERVE ||
	    (m->mt_queued >= MATCHER_QUEUE_MAX && !plausible)) {
		m->mt_stats.ms_unchecked++;
		unchecked = 1;
	} else {
		*login_job_link(job) = NULL;
		*m->mt_tailp = job;
		m->mt_tailp = login_job_link(job);
		if (++m->mt_queued > m->mt_stats.ms_queue_peak)
			m->mt_stats.ms_queue_peak = m->mt_queued;
		pthread_cond_signal(&m->mt_cond);
	}
	pthread_mutex_unlock(&m->mt_lock);
	if (unchecked) {
		/* Recorded (or counted, past its network's budget) as it came. */
		login_match(&m->mt_ctx, NULL, job, 1);
		login_job_free(job);
	}
}

void matcher_reserve(void *arg, uint64_t upto)
{
	matcher_s *m = arg;

	pthread_mutex_lock(&m->mt_lock);
	if (upto > m->mt_reserve_want)
		m->mt_reserve_want = upto;
	pthread_cond_signal(&m->mt_cond);
	pthread_mutex_unlock(&m->mt_lock);
}

static void reserve(matcher_s *m, uint64_t want)
{
	if (m->mt_cs != NULL && credstore_reserve(m->mt_cs, want) != 0) {
		/* Not told to the trap: it stops issuing at the old mark (fail
		 * closed) and asks again with its next view. */
		pthread_mutex_lock(&m->mt_lock);
		m->mt_stats.ms_reserve_failures++;
		m->mt_reserve_want = m->mt_reserve_done;
		pthread_mutex_unlock(&m->mt_lock);
		log_warnx("trap: cannot reserve credential numbers below %llu", (unsigned long long)want);
		return;
	}
	pthread_mutex_lock(&m->mt_lock);
	m->mt_reserve_done = want;
	pthread_mutex_unlock(&m->mt_lock);
	if (m->mt_ctx.lc_trap != NULL)
		trap_reserved(m->mt_ctx.lc_trap, want);
}

static void *matcher_run(void *arg)
{
	matcher_s *m = arg;

	pthread_mutex_lock(&m->mt_lock);
	for (;;) {
		while (m->mt_head == NULL && m->mt_reserve_want <= m->mt_reserve_done && !m->mt_stopping)
			thread_cond_wait_ms(&m->mt_cond, &m->mt_lock, 1000);
		if (m->mt_reserve_want > m->mt_reserve_done) {
			uint64_t want = m->mt_reserve_want;
			pthread_mutex_unlock(&m->mt_lock);
			reserve(m, want);
			pthread_mutex_lock(&m->mt_lock);
			continue;
		}
		if (m->mt_head == NULL) {
			if (m->mt_stopping)
				break;
			continue;
		}
		login_job_s *job = m->mt_head;
		m->mt_head = *login_job_link(job);
		if (m->mt_head == NULL)
			m->mt_tailp = &m->mt_head;
		m->mt_queued--;
		pthread_mutex_unlock(&m->mt_lock);
		int64_t t0 = clock_mono_us();
		login_match(&m->mt_ctx, m->mt_cs, job, 0);
		int64_t took = clock_mono_us() - t0;
		login_job_free(job);
		pthread_mutex_lock(&m->mt_lock);
		m->mt_stats.ms_matched++;
		if ((uint64_t)took > m->mt_stats.ms_max_us)
			m->mt_stats.ms_max_us = (uint64_t)took;
	}
	pthread_mutex_unlock(&m->mt_lock);
	return NULL;
}

int matcher_start(matcher_s *m, char *err, size_t errlen)
{
	if (thread_start(&m->mt_thread, "camdecoy-match", matcher_run, m, err, errlen) != 0)
		return -1;
	m->mt_started = 1;
	return 0;
}

void matcher_stop(matcher_s *m)
{
	if (m == NULL)
		return;
	pthread_mutex_lock(&m->mt_lock);
	m->mt_stopping = 1;
	pthread_cond_signal(&m->mt_cond);
	pthread_mutex_unlock(&m->mt_lock);
	if (m->mt_started) {
		pthread_join(m->mt_thread, NULL);
		m->mt_started = 0;
	}
	/* Never started: what was queued is still matched, here. */
	for (login_job_s *j; (j = m->mt_head) != NULL;) {
		m->mt_head = *login_job_link(j);
		login_match(&m->mt_ctx, m->mt_cs, j, 0);
		login_job_free(j);
	}
	m->mt_tailp = &m->mt_head;
	m->mt_queued = 0;
}

void matcher_free(matcher_s *m)
{
	if (m == NULL)
		return;
	matcher_stop(m);
	credstore_close(m->mt_cs);
	pthread_mutex_destroy(&m->mt_lock);
	pthread_cond_destroy(&m->mt_cond);
	free(m);
}

void matcher_stats(matcher_s *m, matcher_stats_s *out)
{
	pthread_mutex_lock(&m->mt_lock);
	*out = m->mt_stats;
	pthread_mutex_unlock(&m->mt_lock);
}

/* matcher: one thread, one bounded queue of login jobs shared fairly by source network.
 *
 * The request threads pay for a copy and a queue link; matching (a database
 * lookup for a plaintext password, one Digest computation per credential
 * shown with the username: ceil(issued / 65,536)) happens here. Jobs wait in
 * a fair queue keyed by their /24 (IPv6 /64): each network waiting gets one
 * match per round, and when the queue is full the network holding the most
 * gives up its newest job. A login's rows reach the store's queue within
 * the matches of one round per job of its own network ahead of it, however
 * much any other network sends. The thread also writes the trap's
 * reservations of issue numbers. */
#include "matcher.h"
#include "clock.h"
#include "fairq.h"
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
	fairq_s *mt_queue;                         /* under mt_lock */
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
	if ((m->mt_queue = fairq_new(MATCHER_QUEUE_MAX)) == NULL) {
		snprintf(err, errlen, "matcher: out of memory");
		credstore_close(cs);
		free(m);
		return NULL;
	}
	m->mt_ctx = *ctx;
	m->mt_ctx.lc_sink = (login_sink_s){NULL, NULL};
	m->mt_cs = cs;
	pthread_mutex_init(&m->mt_lock, NULL);
	thread_cond_init(&m->mt_cond);
	return m;
}

void matcher_submit(matcher_s *m, login_job_s *job)
{
	login_job_s *left = job;

	pthread_mutex_lock(&m->mt_lock);
	if (!m->mt_stopping) {
		left = fairq_push(m->mt_queue, login_job_net(job), job);
		size_t len = fairq_len(m->mt_queue);
		if (len > m->mt_stats.ms_queue_peak)
			m->mt_stats.ms_queue_peak = len;
		pthread_cond_signal(&m->mt_cond);
	}
	if (left != NULL)
		m->mt_stats.ms_unchecked++;
	pthread_mutex_unlock(&m->mt_lock);
	if (left != NULL) {
		/* Recorded (or counted, past its network's budget) as it came. */
		login_match(&m->mt_ctx, NULL, left, 1);
		login_job_free(left);
	}
}

static void sink_submit(void *arg, login_job_s *job)
{
	matcher_submit(arg, job);
}

login_sink_s matcher_sink(matcher_s *m)
{
	return (login_sink_s){sink_submit, m};
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
		log_warnx("trap: cannot reserve credential numbers below %llu",
		          (unsigned long long)want);
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
	login_job_s *job;

	pthread_mutex_lock(&m->mt_lock);
	for (;;) {
		while (fairq_len(m->mt_queue) == 0 && m->mt_reserve_want <= m->mt_reserve_done &&
		       !m->mt_stopping)
			thread_cond_wait_ms(&m->mt_cond, &m->mt_lock, 1000);
		if (m->mt_reserve_want > m->mt_reserve_done) {
			uint64_t want = m->mt_reserve_want;
			pthread_mutex_unlock(&m->mt_lock);
			reserve(m, want);
			pthread_mutex_lock(&m->mt_lock);
			continue;
		}
		if ((job = fairq_pop(m->mt_queue)) == NULL) {
			if (m->mt_stopping)
				break;
			continue;
		}
		pthread_mutex_unlock(&m->mt_lock);
		int64_t t0 = clock_mono_us();
		login_match(&m->mt_ctx, m->mt_cs, job, 0);
		int64_t took = clock_mono_us() - t0;
		login_job_free(job);
		pthread_mutex_lock(&m->mt_lock);
		m->mt_stats.ms_matched++;
		m->mt_stats.ms_busy_us += (uint64_t)took;
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
	for (login_job_s *j; (j = fairq_pop(m->mt_queue)) != NULL;) {
		login_match(&m->mt_ctx, m->mt_cs, j, 0);
		login_job_free(j);
	}
}

void matcher_free(matcher_s *m)
{
	if (m == NULL)
		return;
	matcher_stop(m);
	credstore_close(m->mt_cs);
	fairq_free(m->mt_queue);
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

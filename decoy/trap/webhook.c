/* webhook: a bounded queue and one sender thread (http.h) with retries and back-off. */
#include "webhook.h"
#include "thread.h"

#include "clock.h"
#include "httpc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WEBHOOK_QUEUE_MAX 1000
#define WEBHOOK_TRIES     5
#define WEBHOOK_TIMEOUT_S 5

typedef struct hook_item {
	struct hook_item *hi_next;
	int hi_tries;
	int64_t hi_due_ms; /* monotonic: not before */
	size_t hi_len;
	char hi_body[];
} hook_item_s;

struct webhook {
	char *wh_url;
	pthread_t wh_thread;
	pthread_mutex_t wh_lock;
	pthread_cond_t wh_cond;
	hook_item_s *wh_head, *wh_tail;
	size_t wh_count;
	int wh_stopping;
	webhook_stats_s wh_st;
};

/* Appends it to the queue (under wh_lock). */
static void enqueue(webhook_s *wh, hook_item_s *it)
{
	it->hi_next = NULL;
	if (wh->wh_tail != NULL)
		wh->wh_tail->hi_next = it;
	else
		wh->wh_head = it;
	wh->wh_tail = it;
	wh->wh_count++;
}

static int post(httpc_s *h, const char *url, const hook_item_s *it)
{
	const httpc_req_s req = {
	    .hr_url = url,
	    .hr_agent = "camdecoy-webhook",
	    .hr_connect_ms = WEBHOOK_TIMEOUT_S * 1000L,
	    .hr_timeout_ms = WEBHOOK_TIMEOUT_S * 1000L,
	    .hr_content_type = "application/json",
	};
	char why[256];
	long code = httpc_post(h, &req, it->hi_body, it->hi_len, why, sizeof(why));

	return code >= 200 && code < 300 ? 0 : -1;
}

static void *webhook_run(void *arg)
{
	webhook_s *wh = arg;
	httpc_s *c = httpc_new();

	pthread_mutex_lock(&wh->wh_lock);
	for (;;) {
		hook_item_s *it = wh->wh_head;
		int64_t now = clock_mono_ms();

		if (it == NULL) {
			if (wh->wh_stopping)
				break;
			pthread_cond_wait(&wh->wh_cond, &wh->wh_lock);
			continue;
		}
		if (wh->wh_stopping && it->hi_tries > 0) {
			/* Shutting down: what already failed is not waited for again. */
			wh->wh_head = it->hi_next;
			if (wh->wh_head == NULL)
				wh->wh_tail = NULL;
			wh->wh_count--;
			wh->wh_st.wh_given_up++;
			free(it);
			continue;
		}
		if (it->hi_due_ms > now && !wh->wh_stopping) {
			thread_cond_wait_until(&wh->wh_cond, &wh->wh_lock, it->hi_due_ms);
			continue;
		}
		wh->wh_head = it->hi_next;
		if (wh->wh_head == NULL)
			wh->wh_tail = NULL;
		wh->wh_count--;
		pthread_mutex_unlock(&wh->wh_lock);
		int ok = c != NULL && post(c, wh->wh_url, it) == 0;
		pthread_mutex_lock(&wh->wh_lock);
		if (ok) {
			wh->wh_st.wh_sent++;
			free(it);
			continue;
		}
		wh->wh_st.wh_failed_attempts++;
		if (++it->hi_tries >= WEBHOOK_TRIES || wh->wh_stopping) {
			wh->wh_st.wh_given_up++;
			free(it);
			continue;
		}
		/* Back-off 1, 2, 4, 8 s; the item goes to the back of the queue. */
		it->hi_due_ms = clock_mono_ms() + (1000LL << (it->hi_tries - 1));
		enqueue(wh, it);
	}
	pthread_mutex_unlock(&wh->wh_lock);
	httpc_free(c);
	return NULL;
}

webhook_s *webhook_new(const char *url, char *err, size_t errlen)
{
	webhook_s *wh = calloc(1, sizeof(*wh));
	if (wh == NULL || (wh->wh_url = strdup(url)) == NULL) {
		free(wh);
		snprintf(err, errlen, "webhook: out of memory");
		return NULL;
	}
	httpc_global_init();
	pthread_mutex_init(&wh->wh_lock, NULL);
	thread_cond_init(&wh->wh_cond);
	if (thread_start(&wh->wh_thread, "camdecoy-hook", webhook_run, wh, err, errlen) != 0) {
		pthread_cond_destroy(&wh->wh_cond);
		pthread_mutex_destroy(&wh->wh_lock);
		free(wh->wh_url);
		free(wh);
		return NULL;
	}
	return wh;
}

void webhook_free(webhook_s *wh)
{
	if (wh == NULL)
		return;
	pthread_mutex_lock(&wh->wh_lock);
	wh->wh_stopping = 1;
	pthread_cond_signal(&wh->wh_cond);
	pthread_mutex_unlock(&wh->wh_lock);
	pthread_join(wh->wh_thread, NULL);
	while (wh->wh_head != NULL) {
		hook_item_s *next = wh->wh_head->hi_next;
		free(wh->wh_head);
		wh->wh_head = next;
	}
	pthread_cond_destroy(&wh->wh_cond);
	pthread_mutex_destroy(&wh->wh_lock);
	free(wh->wh_url);
	free(wh);
	httpc_global_cleanup();
}

void webhook_post(webhook_s *wh, const char *body, size_t len)
{
	hook_item_s *it = malloc(sizeof(*it) + len + 1);

	pthread_mutex_lock(&wh->wh_lock);
	if (it == NULL || wh->wh_count >= WEBHOOK_QUEUE_MAX) {
		wh->wh_st.wh_dropped++;
		pthread_mutex_unlock(&wh->wh_lock);
		free(it);
		return;
	}
	memcpy(it->hi_body, body, len);
	it->hi_body[len] = '\0';
	it->hi_len = len;
	it->hi_tries = 0;
	it->hi_due_ms = 0;
	enqueue(wh, it);
	wh->wh_st.wh_queued++;
	pthread_cond_signal(&wh->wh_cond);
	pthread_mutex_unlock(&wh->wh_lock);
}

void webhook_post_event(webhook_s *wh, const event_s *ev, const char *sensor, const char *persona)
{
	char *json;
	size_t n;

	if (wh == NULL)
		return;
	json = malloc(WEBHOOK_EVENT_MAX);
	n = json != NULL ? event_json(ev, sensor, persona, json, WEBHOOK_EVENT_MAX) : 0;
	if (n > 0) {
		webhook_post(wh, json, n);
	} else {
		pthread_mutex_lock(&wh->wh_lock);
		wh->wh_st.wh_dropped++;
		pthread_mutex_unlock(&wh->wh_lock);
	}
	free(json);
}

void webhook_stats(webhook_s *wh, webhook_stats_s *out)
{
	pthread_mutex_lock(&wh->wh_lock);
	*out = wh->wh_st;
	pthread_mutex_unlock(&wh->wh_lock);
}

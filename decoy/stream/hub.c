/* hub: demand-driven capture loop; one encode per frame, shared by all viewers. */
#include "hub.h"
#include "thread.h"

#include "clock.h"
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long a snapshot request keeps the encoder running. */
#define HUB_SNAPSHOT_LINGER_MS 3000

struct hub {
	camera_s *hub_cam;
	int hub_interval_ms;
	pthread_t hub_thread;
	int hub_started;
	pthread_mutex_t hub_lock;
	pthread_cond_t hub_cond;
	int hub_closed;
	int hub_viewers;
	int64_t hub_demand_until; /* monotonic ms */
	frame_s *hub_latest;
	uint64_t hub_seq;
	hub_waiter_s *hub_waiters;
	hub_stats_s hub_st;
	int hub_src_state; /* the source's state as last logged, -1: not yet */
};

/* A live camera's state changes go into the log: once each (the media
 * thread's, no lock). */
static void note_source(hub_s *hub)
{
	source_status_s st;

	camera_source_status(hub->hub_cam, &st);
	if (!st.ss_live || (int)st.ss_state == hub->hub_src_state)
		return;
	if (st.ss_state == SOURCE_LIVE)
		log_info("video: the camera is live (%llu connections so far)",
		         (unsigned long long)st.ss_connects);
	else if (st.ss_state == SOURCE_HELD)
		log_warnx("video: the camera is away (%s): its last frame is held",
		          st.ss_error[0] ? st.ss_error : "no frame");
	else
		log_warnx(
		    "video: no camera frame (%s): showing the built-in scene until it is back",
		    st.ss_error[0] ? st.ss_error : "not connected yet");
	hub->hub_src_state = (int)st.ss_state;
}

int64_t hub_mono_ms(void)
{
	return clock_mono_ms();
}

static void wake_all(hub_waiter_s *list)
{
	while (list != NULL) {
		hub_waiter_s *next = list->hw_next;
		list->hw_next = NULL;
		list->hw_wake(list);
		list = next;
	}
}

static int has_demand(const hub_s *hub, int64_t now)
{
	return hub->hub_viewers > 0 || now < hub->hub_demand_until;
}

static void *hub_run(void *arg)
{
	hub_s *hub = arg;
	int64_t next = 0;
	char err[256];

	pthread_mutex_lock(&hub->hub_lock);
	while (!hub->hub_closed) {
		int64_t now = hub_mono_ms(), t0;
		camera_frame_s cf;
		frame_s *fr = NULL, *old;
		hub_waiter_s *woken;
		int rc;

		if (!has_demand(hub, now)) {
			/* Idle: nobody watches, so nothing is encoded. The first
			 * viewer signals the condition and gets a frame at once. */
			thread_cond_wait_until(&hub->hub_cond, &hub->hub_lock, now + 1000);
			next = 0;
			continue;
		}
		if (next > now) {
			thread_cond_wait_until(&hub->hub_cond, &hub->hub_lock, next);
			continue;
		}
		pthread_mutex_unlock(&hub->hub_lock);
		t0 = clock_mono_us();
		rc = camera_capture(hub->hub_cam, clock_wall_ms(), &cf, err, sizeof(err));
		if (rc == 0 && (fr = frame_new(cf.cf_jpeg, cf.cf_len, 0, hub_mono_ms())) != NULL) {
			fr->fr_splice_start = cf.cf_splice_start;
			fr->fr_splice_end = cf.cf_splice_end;
		}
		note_source(hub);
		pthread_mutex_lock(&hub->hub_lock);
		hub->hub_st.hs_encode_us += (uint64_t)(clock_mono_us() - t0);
		if (fr == NULL) {
			hub->hub_st.hs_errors++;
		} else {
			fr->fr_seq = ++hub->hub_seq;
			hub->hub_st.hs_frames++;
			old = hub->hub_latest;
			hub->hub_latest = fr;
			frame_unref(old);
		}
		/* Waiters are woken even after a failed capture: a resumed
		 * connection is how a suspended viewer's disconnect is noticed. */
		woken = hub->hub_waiters;
		hub->hub_waiters = NULL;
		pthread_mutex_unlock(&hub->hub_lock);
		wake_all(woken);
		pthread_mutex_lock(&hub->hub_lock);
		/* Keep the cadence, but never burst to catch up after a stall. */
		next = (next == 0 ? now : next) + hub->hub_interval_ms;
		if (next < now)
			next = now + hub->hub_interval_ms;
	}
	pthread_mutex_unlock(&hub->hub_lock);
	return NULL;
}

hub_s *hub_new(camera_s *cam, int fps, char *err, size_t errlen)
{
	hub_s *hub = calloc(1, sizeof(*hub));
	if (hub == NULL) {
		snprintf(err, errlen, "hub: out of memory");
		return NULL;
	}
	hub->hub_cam = cam;
	hub->hub_src_state = -1;
	hub->hub_interval_ms = 1000 / (fps > 0 ? fps : 1);
	pthread_mutex_init(&hub->hub_lock, NULL);
	thread_cond_init(&hub->hub_cond);
	return hub;
}

int hub_start(hub_s *hub, char *err, size_t errlen)
{
	if (thread_start(&hub->hub_thread, "camdecoy-media", hub_run, hub, err, errlen) != 0)
		return -1;
	hub->hub_started = 1;
	return 0;
}

void hub_stop(hub_s *hub)
{
	hub_waiter_s *woken;

	pthread_mutex_lock(&hub->hub_lock);
	hub->hub_closed = 1;
	woken = hub->hub_waiters;
	hub->hub_waiters = NULL;
	pthread_cond_broadcast(&hub->hub_cond);
	pthread_mutex_unlock(&hub->hub_lock);
	wake_all(woken);
	if (hub->hub_started) {
		pthread_join(hub->hub_thread, NULL);
		hub->hub_started = 0;
	}
}

void hub_free(hub_s *hub)
{
	if (hub == NULL)
		return;
	if (hub->hub_started)
		hub_stop(hub);
	frame_unref(hub->hub_latest);
	pthread_cond_destroy(&hub->hub_cond);
	pthread_mutex_destroy(&hub->hub_lock);
	free(hub);
}

void hub_viewer_join(hub_s *hub)
{
	pthread_mutex_lock(&hub->hub_lock);
	if (hub->hub_viewers++ == 0)
		pthread_cond_signal(&hub->hub_cond);
	pthread_mutex_unlock(&hub->hub_lock);
}

int hub_viewers(hub_s *hub)
{
	int n;

	pthread_mutex_lock(&hub->hub_lock);
	n = hub->hub_viewers;
	pthread_mutex_unlock(&hub->hub_lock);
	return n;
}

void hub_viewer_leave(hub_s *hub)
{
	pthread_mutex_lock(&hub->hub_lock);
	if (hub->hub_viewers > 0)
		hub->hub_viewers--;
	pthread_mutex_unlock(&hub->hub_lock);
}

void hub_demand_snapshot(hub_s *hub)
{
	int64_t now = hub_mono_ms();

	pthread_mutex_lock(&hub->hub_lock);
	if (!has_demand(hub, now))
		pthread_cond_signal(&hub->hub_cond);
	hub->hub_demand_until = now + HUB_SNAPSHOT_LINGER_MS;
	pthread_mutex_unlock(&hub->hub_lock);
}

frame_s *hub_latest(hub_s *hub, uint64_t after_seq, int64_t max_age_ms)
{
	frame_s *fr = NULL;

	pthread_mutex_lock(&hub->hub_lock);
	if (hub->hub_latest != NULL && hub->hub_latest->fr_seq > after_seq &&
	    (max_age_ms < 0 || hub_mono_ms() - hub->hub_latest->fr_mono_ms <= max_age_ms))
		fr = frame_ref(hub->hub_latest);
	pthread_mutex_unlock(&hub->hub_lock);
	return fr;
}

int hub_park(hub_s *hub, hub_waiter_s *w, uint64_t after_seq)
{
	int rc;

	pthread_mutex_lock(&hub->hub_lock);
	if (hub->hub_closed) {
		rc = -1;
	} else if (hub->hub_seq > after_seq) {
		rc = 1;
	} else {
		w->hw_next = hub->hub_waiters;
		hub->hub_waiters = w;
		w->hw_park(w);
		rc = 0;
	}
	pthread_mutex_unlock(&hub->hub_lock);
	return rc;
}

uint64_t hub_seq(hub_s *hub)
{
	uint64_t seq;

	pthread_mutex_lock(&hub->hub_lock);
	seq = hub->hub_seq;
	pthread_mutex_unlock(&hub->hub_lock);
	return seq;
}

int hub_interval_ms(const hub_s *hub)
{
	return hub->hub_interval_ms;
}

void hub_stats(hub_s *hub, hub_stats_s *out)
{
	pthread_mutex_lock(&hub->hub_lock);
	*out = hub->hub_st;
	out->hs_viewers = hub->hub_viewers;
	pthread_mutex_unlock(&hub->hub_lock);
}

/* test_hub: viewers parked and woken by the media thread under concurrency, each frame newer than
 * the last, nothing encoded without demand, every parked viewer released by hub_stop, frames freed.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "camera.h"
#include "check.h"
#include "hub.h"

#define VIEWERS 8
#define FRAMES  15

typedef struct {
	hub_s *vw_hub;
	hub_waiter_s vw_waiter;
	sem_t vw_woken;
	atomic_int vw_parks, vw_wakes;
	int vw_frames, vw_out_of_order, vw_stopped;
} viewer_s;

static void on_park(hub_waiter_s *w)
{
	viewer_s *v = w->hw_arg;
	atomic_fetch_add(&v->vw_parks, 1);
}

static void on_wake(hub_waiter_s *w)
{
	viewer_s *v = w->hw_arg;
	atomic_fetch_add(&v->vw_wakes, 1);
	sem_post(&v->vw_woken);
}

/* A viewer as the stream stage is one: newest frame after the last one, else park. */
static void *watch(void *arg)
{
	viewer_s *v = arg;
	uint64_t seq = 0;

	hub_viewer_join(v->vw_hub);
	while (v->vw_frames < FRAMES) {
		frame_s *fr = hub_latest(v->vw_hub, seq, -1);
		if (fr != NULL) {
			v->vw_out_of_order += fr->fr_seq <= seq;
			seq = fr->fr_seq;
			v->vw_frames++;
			frame_unref(fr);
			continue;
		}
		int rc = hub_park(v->vw_hub, &v->vw_waiter, seq);
		if (rc < 0) {
			v->vw_stopped = 1;
			break;
		}
		if (rc == 0)
			sem_wait(&v->vw_woken);
	}
	hub_viewer_leave(v->vw_hub);
	return NULL;
}

int main(void)
{
	char err[256];
	const camera_conf_s cc = {.cc_w = 160,
	                          .cc_h = 120,
	                          .cc_fps = 30,
	                          .cc_quality = 50,
	                          .cc_font = CAMDECOY_TEST_FONT,
	                          .cc_name = "TEST"};
	camera_s *cam = camera_new(&cc, err, sizeof(err));
	hub_s *hub = cam != NULL ? hub_new(cam, 30, err, sizeof(err)) : NULL;
	viewer_s v[VIEWERS];
	pthread_t th[VIEWERS];
	hub_stats_s st;

	CHECK(hub != NULL && hub_start(hub, err, sizeof(err)) == 0);
	if (hub == NULL)
		return check_report();
	/* no demand, no encoding: an absence, watched for 300 ms */
	usleep(300000);
	hub_stats(hub, &st);
	CHECK(st.hs_frames == 0 && hub_seq(hub) == 0);

	for (int i = 0; i < VIEWERS; i++) {
		memset(&v[i], 0, sizeof(v[i]));
		v[i].vw_hub = hub;
		v[i].vw_waiter =
		    (hub_waiter_s){.hw_park = on_park, .hw_wake = on_wake, .hw_arg = &v[i]};
		sem_init(&v[i].vw_woken, 0, 0);
		pthread_create(&th[i], NULL, watch, &v[i]);
	}
	for (int i = 0; i < VIEWERS; i++)
		pthread_join(th[i], NULL);
	int frames = 0, disorder = 0, balanced = 1, parked = 0;
	for (int i = 0; i < VIEWERS; i++) {
		frames += v[i].vw_frames;
		disorder += v[i].vw_out_of_order;
		balanced &= atomic_load(&v[i].vw_parks) == atomic_load(&v[i].vw_wakes);
		parked += atomic_load(&v[i].vw_parks) > 0;
	}
	CHECK(frames == VIEWERS * FRAMES && disorder == 0);
	CHECK(balanced && parked == VIEWERS); /* every park woken exactly once */
	hub_stats(hub, &st);
	CHECK(st.hs_frames >= FRAMES && st.hs_viewers == 0);

	/* demand ends: the media thread goes idle (waited for: no new frame in
	 * 200 ms, three frame times, at most 5 s) and then stays idle */
	uint64_t idle_from = st.hs_frames;
	int idle = 0;
	for (int i = 0; i < 25 && !idle; i++) {
		usleep(200000);
		hub_stats(hub, &st);
		idle = st.hs_frames == idle_from;
		idle_from = st.hs_frames;
	}
	CHECK(idle);
	usleep(500000); /* an absence: it is watched for a while */
	hub_stats(hub, &st);
	CHECK(st.hs_frames == idle_from);

	/* a viewer parked when the hub stops is woken, and later parks are refused */
	viewer_s last;
	memset(&last, 0, sizeof(last));
	last.vw_hub = hub;
	last.vw_waiter = (hub_waiter_s){.hw_park = on_park, .hw_wake = on_wake, .hw_arg = &last};
	sem_init(&last.vw_woken, 0, 0);
	CHECK(hub_park(hub, &last.vw_waiter, hub_seq(hub)) == 0);
	hub_stop(hub);
	CHECK(atomic_load(&last.vw_wakes) == 1);
	CHECK(hub_park(hub, &last.vw_waiter, hub_seq(hub)) == -1);
	/* a snapshot's demand after the stop encodes nothing and crashes nothing */
	hub_demand_snapshot(hub);
	hub_free(hub);
	camera_free(cam);
	for (int i = 0; i < VIEWERS; i++)
		sem_destroy(&v[i].vw_woken);
	sem_destroy(&last.vw_woken);
	return check_report();
}

/* hubfeed: the hub's frames for a poll() loop (the RTSP listener), through a parked waiter and a
 * pipe. */
#include "hubfeed.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct hubfeed {
	hub_s *hf_hub;
	int hf_pipe[2];
	hub_waiter_s hf_waiter;
	atomic_int hf_parked; /* the waiter is in the hub's list: it must not be parked twice */
	uint64_t hf_last_seq;
};

static void feed_park(hub_waiter_s *w)
{
	(void)w;
}

/* On the hub's thread: the waiter is off the list; say so and wake the loop. */
static void feed_wake(hub_waiter_s *w)
{
	hubfeed_s *f = w->hw_arg;
	ssize_t n;

	atomic_store(&f->hf_parked, 0);
	n = write(f->hf_pipe[1], "f", 1);
	(void)n; /* a full pipe already says a frame is there */
}

hubfeed_s *hubfeed_new(hub_s *hub)
{
	hubfeed_s *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	if (pipe2(f->hf_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		free(f);
		return NULL;
	}
	f->hf_hub = hub;
	f->hf_waiter = (hub_waiter_s){.hw_park = feed_park, .hw_wake = feed_wake, .hw_arg = f};
	return f;
}

void hubfeed_free(hubfeed_s *f)
{
	if (f == NULL)
		return;
	close(f->hf_pipe[0]);
	close(f->hf_pipe[1]);
	free(f);
}

int hubfeed_fd(const hubfeed_s *f)
{
	return f->hf_pipe[0];
}

frame_s *hubfeed_next(hubfeed_s *f)
{
	char drain[64];
	frame_s *fr;
	int rc;

	while (read(f->hf_pipe[0], drain, sizeof(drain)) > 0)
		;
	if (atomic_load(&f->hf_parked))
		return NULL;
	if ((fr = hub_latest(f->hf_hub, f->hf_last_seq, -1)) != NULL) {
		f->hf_last_seq = fr->fr_seq;
		return fr;
	}
	atomic_store(&f->hf_parked, 1);
	rc = hub_park(f->hf_hub, &f->hf_waiter, f->hf_last_seq);
	if (rc != 0)
		atomic_store(&f->hf_parked,
		             0); /* not parked: a frame came meanwhile, or the hub stopped */
	if (rc == 1) {
		ssize_t n = write(f->hf_pipe[1], "f", 1);
		(void)n;
	}
	return NULL;
}

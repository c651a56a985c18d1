/* wire: one thread, one epoll set, the jobs whose bytes did not all go at
 * once: bodies larger than the socket buffer and every stream.
 *
 * libmicrohttpd keeps the connection suspended while a job runs (it neither
 * reads nor writes it); the job's end resumes it and the server closes it. A
 * stream's source parks in the hub between frames and wakes the task. */
#include "wire.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "clock.h"
#include "thread.h"

/* What one fill may give: each is one copy and one send. 8 KiB cost 36 us
 * of server CPU per 640x480 frame (35 KB) at 500 viewers x 15 fps, 24 KiB
 * 20 us (make bench, P1 and P4, when libmicrohttpd sent the streams). */
#define WIRE_BUF 24576
/* The drain after the last byte reads at most this much. */
#define WIRE_DRAIN_MAX 65536

struct wire_task {
	wire_s *wt_wire;
	wire_job_s wt_job;
	uint8_t *wt_buf;
	size_t wt_buf_len, wt_buf_off;
	size_t wt_off;         /* of head and body, sent */
	uint64_t wt_fill_sent; /* of what the source gave */
	int64_t wt_progress;   /* mono ms of the last byte accepted */
	int wt_watched;        /* in the epoll set */
	int wt_blocked;        /* the socket buffer is full: waiting for room */
	int wt_queued;         /* in the ready list */
	int wt_parked;         /* the source has nothing yet: only wire_wake runs it */
	int wt_dead;           /* ended; freed after the current batch of events */
	struct wire_task *wt_next_ready;
	struct wire_task *wt_prev, *wt_next; /* every running task (the thread's) */
};

struct wire {
	int64_t wi_idle_ms;
	int wi_ep, wi_ev;
	pthread_t wi_thread;
	int wi_started;
	atomic_int wi_stopping;
	pthread_mutex_t wi_lock; /* the ready list */
	wire_task_s *wi_ready;
	wire_task_s *wi_all;  /* the thread's */
	wire_task_s *wi_dead; /* ended in this batch (an event may still name them) */
};

int wire_send_now(int fd, const uint8_t *head, size_t head_len, const uint8_t *body,
                  size_t body_len, size_t *sent)
{
	size_t total = head_len + body_len;

	*sent = 0;
	while (*sent < total) {
		struct iovec iov[2];
		int k = 0;
		if (*sent < head_len)
			iov[k++] = (struct iovec){(void *)(head + *sent), head_len - *sent};
		if (body_len > 0) {
			size_t boff = *sent > head_len ? *sent - head_len : 0;
			iov[k++] = (struct iovec){(void *)(body + boff), body_len - boff};
		}
		struct msghdr mh = {.msg_iov = iov, .msg_iovlen = (size_t)k};
		ssize_t n = sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		}
		*sent += (size_t)n;
	}
	return 1;
}

void wire_finish(int fd)
{
	uint8_t buf[4096];
	size_t got = 0;
	ssize_t n;

	shutdown(fd, SHUT_WR);
	while (got < WIRE_DRAIN_MAX && (n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		got += (size_t)n;
}

/* ---- the thread ---- */

static void task_end(wire_s *w, wire_task_s *t, wire_end_e end)
{
	if (t->wt_watched)
		epoll_ctl(w->wi_ep, EPOLL_CTL_DEL, t->wt_job.wj_fd, NULL);
	if (t->wt_prev != NULL)
		t->wt_prev->wt_next = t->wt_next;
	else if (w->wi_all == t)
		w->wi_all = t->wt_next;
	if (t->wt_next != NULL)
		t->wt_next->wt_prev = t->wt_prev;
	const wire_job_s *j = &t->wt_job;
	uint64_t body =
	    (t->wt_off > j->wj_head_len ? t->wt_off - j->wj_head_len : 0) + t->wt_fill_sent;

	j->wj_done(j->wj_arg, end, body);
	t->wt_dead = 1;
	t->wt_next = w->wi_dead;
	w->wi_dead = t;
}

static void free_dead(wire_s *w)
{
	while (w->wi_dead != NULL) {
		wire_task_s *t = w->wi_dead;
		w->wi_dead = t->wt_next;
		free(t->wt_job.wj_head);
		free(t->wt_buf);
		free(t);
	}
}

/* Room in the socket buffer will call us again. */
static int task_watch(wire_s *w, wire_task_s *t)
{
	struct epoll_event ev = {.events = EPOLLOUT | EPOLLET, .data.ptr = t};

	if (t->wt_watched)
		return 0;
	if (epoll_ctl(w->wi_ep, EPOLL_CTL_ADD, t->wt_job.wj_fd, &ev) != 0)
		return -1;
	t->wt_watched = 1;
	return 0;
}

/* Sends what it can; ends the task when it is over. */
static void task_pump(wire_s *w, wire_task_s *t)
{
	const wire_job_s *j = &t->wt_job;
	size_t fixed = j->wj_head_len + j->wj_body_len;

	if (t->wt_dead || t->wt_parked)
		return; /* an event for a task that ended, or waits for its source */
	for (;;) {
		size_t sent;
		int rc;
		if (t->wt_off < fixed) {
			size_t hoff = t->wt_off < j->wj_head_len ? t->wt_off : j->wj_head_len;
			size_t boff = t->wt_off - hoff;
			rc = wire_send_now(j->wj_fd, j->wj_head + hoff, j->wj_head_len - hoff,
			                   j->wj_body + boff, j->wj_body_len - boff, &sent);
			t->wt_off += sent;
		} else if (t->wt_buf_off < t->wt_buf_len) {
			rc = wire_send_now(j->wj_fd, t->wt_buf + t->wt_buf_off,
			                   t->wt_buf_len - t->wt_buf_off, NULL, 0, &sent);
			t->wt_buf_off += sent;
			t->wt_fill_sent += sent;
		} else if (j->wj_fill == NULL) {
			task_end(w, t, WIRE_SENT);
			return;
		} else {
			ssize_t n;
			if (t->wt_buf == NULL && (t->wt_buf = malloc(WIRE_BUF)) == NULL) {
				task_end(w, t, WIRE_PEER_GONE);
				return;
			}
			n = j->wj_fill(j->wj_arg, t->wt_buf, WIRE_BUF);
			if (n == 0) {
				t->wt_parked = 1; /* until wire_wake */
				return;
			}
			if (n < 0) {
				task_end(w, t, WIRE_SENT);
				return;
			}
			t->wt_buf_len = (size_t)n;
			t->wt_buf_off = 0;
			continue;
		}
		if (sent > 0)
			t->wt_progress = clock_mono_ms();
		if (rc < 0) {
			task_end(w, t, WIRE_PEER_GONE);
			return;
		}
		t->wt_blocked = rc == 0;
		if (rc == 0) {
			if (task_watch(w, t) != 0)
				task_end(w, t, WIRE_PEER_GONE);
			return;
		}
	}
}

/* Runs the tasks submitted or woken since the last turn. */
static void run_ready(wire_s *w)
{
	wire_task_s *list;
	uint64_t v;

	if (read(w->wi_ev, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&w->wi_lock);
	list = w->wi_ready;
	w->wi_ready = NULL;
	for (wire_task_s *t = list; t != NULL; t = t->wt_next_ready)
		t->wt_queued = t->wt_parked = 0;
	pthread_mutex_unlock(&w->wi_lock);
	/* oldest first */
	wire_task_s *rev = NULL;
	while (list != NULL) {
		wire_task_s *next = list->wt_next_ready;
		list->wt_next_ready = rev;
		rev = list;
		list = next;
	}
	while (rev != NULL) {
		wire_task_s *t = rev;
		rev = rev->wt_next_ready;
		if (t->wt_progress == 0) {
			/* new: joins the running list */
			t->wt_progress = clock_mono_ms();
			t->wt_next = w->wi_all;
			if (t->wt_next != NULL)
				t->wt_next->wt_prev = t;
			w->wi_all = t;
		}
		task_pump(w, t);
	}
}

static void sweep(wire_s *w, int64_t now)
{
	for (wire_task_s *t = w->wi_all, *next; t != NULL; t = next) {
		next = t->wt_next;
		if (t->wt_blocked && now - t->wt_progress >= w->wi_idle_ms)
			task_end(w, t, WIRE_STALLED);
	}
}

static void *wire_run(void *arg)
{
	wire_s *w = arg;
	struct epoll_event evs[128];
	int64_t next_sweep = clock_mono_ms() + 1000;

	while (!atomic_load(&w->wi_stopping)) {
		int n = epoll_wait(w->wi_ep, evs, 128, 250);
		for (int i = 0; i < n; i++) {
			if (evs[i].data.ptr == NULL)
				run_ready(w);
			else
				task_pump(w, evs[i].data.ptr);
		}
		free_dead(w);
		int64_t now = clock_mono_ms();
		if (now >= next_sweep) {
			sweep(w, now);
			next_sweep = now + 1000;
		}
	}
	/* What was woken last (a stopping hub wakes every stream) ends itself. */
	run_ready(w);
	while (w->wi_all != NULL)
		task_end(w, w->wi_all, WIRE_STOPPED);
	free_dead(w);
	return NULL;
}

/* ---- lifecycle ---- */

wire_s *wire_new(int64_t idle_ms, char *err, size_t errlen)
{
	wire_s *w = calloc(1, sizeof(*w));
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};

	if (w == NULL) {
		snprintf(err, errlen, "wire: out of memory");
		return NULL;
	}
	w->wi_idle_ms = idle_ms > 0 ? idle_ms : 1000;
	w->wi_ep = w->wi_ev = -1;
	pthread_mutex_init(&w->wi_lock, NULL);
	atomic_init(&w->wi_stopping, 0);
	if ((w->wi_ep = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
	    (w->wi_ev = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0 ||
	    epoll_ctl(w->wi_ep, EPOLL_CTL_ADD, w->wi_ev, &ev) != 0) {
		snprintf(err, errlen, "wire: %s", strerror(errno));
		wire_free(w);
		return NULL;
	}
	return w;
}

int wire_start(wire_s *w, char *err, size_t errlen)
{
	if (thread_start(&w->wi_thread, "camdecoy-wire", wire_run, w, err, errlen) != 0)
		return -1;
	w->wi_started = 1;
	return 0;
}

void wire_stop(wire_s *w)
{
	if (w == NULL || !w->wi_started)
		return;
	atomic_store(&w->wi_stopping, 1);
	pthread_join(w->wi_thread, NULL);
	w->wi_started = 0;
	/* submitted after the thread's last turn */
	pthread_mutex_lock(&w->wi_lock);
	wire_task_s *list = w->wi_ready;
	w->wi_ready = NULL;
	pthread_mutex_unlock(&w->wi_lock);
	/* Only submissions can be here: a parked stream is woken by the hub's
	 * stop, which comes before the server's. */
	while (list != NULL) {
		wire_task_s *next = list->wt_next_ready;
		task_end(w, list, WIRE_STOPPED);
		list = next;
	}
	free_dead(w);
}

void wire_free(wire_s *w)
{
	if (w == NULL)
		return;
	wire_stop(w);
	if (w->wi_ep >= 0)
		close(w->wi_ep);
	if (w->wi_ev >= 0)
		close(w->wi_ev);
	pthread_mutex_destroy(&w->wi_lock);
	free(w);
}

/* ---- tasks ---- */

wire_task_s *wire_prepare(wire_s *w, const wire_job_s *job)
{
	wire_task_s *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		free(job->wj_head);
		return NULL;
	}
	t->wt_wire = w;
	t->wt_job = *job;
	t->wt_off = job->wj_sent;
	return t;
}

static void enqueue(wire_task_s *t)
{
	wire_s *w = t->wt_wire;
	const uint64_t one = 1;

	pthread_mutex_lock(&w->wi_lock);
	if (!t->wt_queued) {
		t->wt_queued = 1;
		t->wt_next_ready = w->wi_ready;
		w->wi_ready = t;
	}
	pthread_mutex_unlock(&w->wi_lock);
	if (write(w->wi_ev, &one, sizeof(one)) < 0) {
		/* the counter is full: the thread has a wake-up pending anyway */
	}
}

int wire_submit(wire_task_s *t)
{
	wire_s *w = t->wt_wire;

	if (atomic_load(&w->wi_stopping) || !w->wi_started) {
		t->wt_job.wj_done(t->wt_job.wj_arg, WIRE_STOPPED, 0);
		free(t->wt_job.wj_head);
		free(t);
		return -1;
	}
	enqueue(t);
	return 0;
}

void wire_wake(wire_task_s *t)
{
	enqueue(t);
}

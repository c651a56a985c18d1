/* front: accept, wait for the first bytes, look at them, hand over.
 *
 * libmicrohttpd 0.9.75 answers what is not HTTP/1.x (a TLS ClientHello, an
 * RTSP OPTIONS, an HTTP/0.9 line, junk) with its own error text before our
 * handler runs, leaves no trace of it, and drops requests pipelined behind
 * an answer after which it closes. Here every connection is accepted by us,
 * held (under the guard's caps and request deadline) until its request head
 * has arrived, and looked at with MSG_PEEK: the bytes stay in the socket
 * for the server, which gets the connection through MHD_add_connection. A
 * probe is recorded and closed without a byte written; requests pipelined
 * behind one the persona will close after are recorded before the server
 * discards them. */
#include "front.h"
#include "log.h"
#include "thread.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

typedef struct pend {
	struct pend *pd_prev, *pd_next;
	int pd_fd;
	struct sockaddr_storage pd_sa;
	socklen_t pd_salen;
	guard_conn_s pd_gc;
} pend_s;

struct front {
	front_conf_s fr_conf;
	int fr_ep;
	uint8_t *fr_buf;
	pthread_t fr_thread;
	int fr_started;
	atomic_int fr_stopping;
	pend_s *fr_pending;
};

static void pend_unlink(front_s *f, pend_s *p)
{
	if (p->pd_prev != NULL)
		p->pd_prev->pd_next = p->pd_next;
	else
		f->fr_pending = p->pd_next;
	if (p->pd_next != NULL)
		p->pd_next->pd_prev = p->pd_prev;
	epoll_ctl(f->fr_ep, EPOLL_CTL_DEL, p->pd_fd, NULL);
	guard_close(f->fr_conf.fc_guard, &p->pd_gc);
}

static void pend_close(front_s *f, pend_s *p, int no_request)
{
	pend_unlink(f, p);
	close(p->pd_fd);
	if (no_request && f->fr_conf.fc_no_request != NULL)
		f->fr_conf.fc_no_request(f->fr_conf.fc_arg);
	free(p);
}

static void accept_all(front_s *f)
{
	for (;;) {
		struct sockaddr_storage sa;
		socklen_t len = sizeof(sa);
		int fd = accept4(f->fr_conf.fc_listen_fd, (struct sockaddr *)&sa, &len,
		                 SOCK_NONBLOCK | SOCK_CLOEXEC);
		pend_s *p;
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return; /* EAGAIN, or out of descriptors: the next event tries again */
		}
		if (guard_admit(f->fr_conf.fc_guard, (struct sockaddr *)&sa, len) != GUARD_OK ||
		    (p = calloc(1, sizeof(*p))) == NULL) {
			close(fd);
			continue;
		}
		p->pd_fd = fd;
		p->pd_sa = sa;
		p->pd_salen = len;
		guard_open(f->fr_conf.fc_guard, &p->pd_gc, (struct sockaddr *)&sa, len, fd, 0);
		struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.ptr = p};
		if (epoll_ctl(f->fr_ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
			guard_close(f->fr_conf.fc_guard, &p->pd_gc);
			close(fd);
			free(p);
			continue;
		}
		p->pd_next = f->fr_pending;
		if (p->pd_next != NULL)
			p->pd_next->pd_prev = p;
		f->fr_pending = p;
	}
}

static void readable(front_s *f, pend_s *p, uint32_t events)
{
	const front_conf_s *c = &f->fr_conf;
	ssize_t n = recv(p->pd_fd, f->fr_buf, c->fc_peek_max, MSG_PEEK);
	unsigned flags;
	front_verdict_e v;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		pend_close(f, p, 1); /* closed (or shut by the guard's deadline) before a request */
		return;
	}
	v = front_analyse(c, f->fr_buf, (size_t)n,
	                  ((size_t)n >= c->fc_peek_max ? FRONT_IN_FULL : 0) |
	                      (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR) ? FRONT_IN_EOF : 0),
	                  (struct sockaddr *)&p->pd_sa, p->pd_salen, &flags);
	if (v == FRONT_WAIT && (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
		/* The peer stopped sending with half a request: what came is a probe. */
		front_probe_junk(c, f->fr_buf, (size_t)n, (struct sockaddr *)&p->pd_sa,
		                 p->pd_salen);
		v = FRONT_PROBE;
	}
	if (v == FRONT_WAIT)
		return;
	if (v == FRONT_REJECT && c->fc_reject != NULL)
		c->fc_reject(c->fc_arg, p->pd_fd, FRONT_STATUS(flags));
	if (v == FRONT_PROBE || v == FRONT_REJECT) {
		/* Read what was looked at (closing on unread bytes would send a
		 * reset, which no camera does) and close without a word. */
		while (recv(p->pd_fd, f->fr_buf, c->fc_peek_max, 0) > 0)
			;
		shutdown(p->pd_fd, SHUT_WR);
		pend_close(f, p, 0);
		return;
	}
	guard_hold(c->fc_guard, &p->pd_gc.gc_addr, 1); /* the handoff's, see front.h */
	pend_unlink(f, p);
	size_t body_len = 0, head_end = front_body_span(f->fr_buf, (size_t)n, &body_len);
	if (!(flags & FRONT_EXPECT))
		body_len = 0;
	c->fc_handoff(c->fc_arg, p->pd_fd, (struct sockaddr *)&p->pd_sa, p->pd_salen, flags,
	              f->fr_buf, head_end, body_len > 0 ? f->fr_buf + head_end : NULL, body_len);
	free(p);
}

static void *front_run(void *arg)
{
	front_s *f = arg;
	struct epoll_event evs[64];

	while (!atomic_load(&f->fr_stopping)) {
		int n = epoll_wait(f->fr_ep, evs, 64, 200);
		for (int i = 0; i < n; i++) {
			if (evs[i].data.ptr == NULL)
				accept_all(f);
			else
				readable(f, evs[i].data.ptr, evs[i].events);
		}
	}
	return NULL;
}

front_s *front_new(const front_conf_s *conf, char *err, size_t errlen)
{
	front_s *f = calloc(1, sizeof(*f));
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};

	if (f == NULL || (f->fr_buf = malloc(conf->fc_peek_max)) == NULL) {
		snprintf(err, errlen, "http: out of memory");
		free(f);
		return NULL;
	}
	f->fr_conf = *conf;
	atomic_init(&f->fr_stopping, 0);
	if ((f->fr_ep = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
	    fcntl(conf->fc_listen_fd, F_SETFL, fcntl(conf->fc_listen_fd, F_GETFL) | O_NONBLOCK) !=
	        0 ||
	    epoll_ctl(f->fr_ep, EPOLL_CTL_ADD, conf->fc_listen_fd, &ev) != 0) {
		snprintf(err, errlen, "http: cannot watch the listening socket: %s",
		         strerror(errno));
		if (f->fr_ep >= 0)
			close(f->fr_ep);
		free(f->fr_buf);
		free(f);
		return NULL;
	}
	return f;
}

int front_start(front_s *f, char *err, size_t errlen)
{
	if (thread_start(&f->fr_thread, "camdecoy-front", front_run, f, err, errlen) != 0)
		return -1;
	f->fr_started = 1;
	return 0;
}

void front_stop(front_s *f)
{
	if (f == NULL)
		return;
	atomic_store(&f->fr_stopping, 1);
	if (f->fr_started) {
		pthread_join(f->fr_thread, NULL);
		f->fr_started = 0;
	}
	while (f->fr_pending != NULL)
		pend_close(f, f->fr_pending, 1);
}

void front_free(front_s *f)
{
	if (f == NULL)
		return;
	front_stop(f);
	close(f->fr_ep);
	free(f->fr_buf);
	free(f);
}

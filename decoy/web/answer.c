/* answer: a reply on the wire: written at once when the socket takes it all, else (and every
 * stream) by the wire's thread while the connection is suspended. No libmicrohttpd here: the
 * request's waiter suspends and resumes its connection. */
#include "answer.h"

#include <stdlib.h>
#include <string.h>

#include "stream.h"

/* An answer the wire thread finishes: the connection is suspended meanwhile. */
typedef struct {
	request_s *an_rq;
	hub_waiter_s an_conn; /* suspends and resumes the connection (the request's own waiter) */
	int an_fd;
	int an_stream;
	void (*an_release)(void *arg);
	void *an_release_arg;
} answer_s;

static ssize_t answer_fill(void *arg, uint8_t *buf, size_t max)
{
	answer_s *an = arg;
	ssize_t n = stream_fill(an->an_rq, buf, max);

	return n == STREAM_END ? -1 : n;
}

static void park_nothing(hub_waiter_s *w)
{
	(void)w; /* the wire task waits for wire_wake */
}

static void wake_task(hub_waiter_s *w)
{
	wire_wake(w->hw_arg);
}

/* On the wire's thread: the answer is over; the server closes the connection. */
static void answer_done(void *arg, wire_end_e end, uint64_t body_sent)
{
	answer_s *an = arg;
	request_s *rq = an->an_rq;

	if (!rq->rq_end_set) {
		rq->rq_end = end == WIRE_SENT      ? END_COMPLETED
		             : end == WIRE_STALLED ? END_TIMEOUT
		             : end == WIRE_STOPPED ? END_SHUTDOWN
		                                   : END_CLIENT_CLOSED;
		rq->rq_end_set = 1;
	}
	if (end == WIRE_SENT)
		wire_finish(an->an_fd);
	if (an->an_release != NULL)
		an->an_release(an->an_release_arg);
	rq->rq_answered = 1;
	if (an->an_stream) {
		stream_release(rq); /* the stream's reference; the server's remains */
	} else {
		rq->rq_bytes = body_sent;
	}
	an->an_conn.hw_wake(&an->an_conn);
	free(an);
}

int answer_send(wire_s *wire, request_s *rq, int fd, const char *method, reply_s *rp)
{
	int stream = rp->rp_kind == REPLY_STREAM,
	    head_only = !stream && strcmp(method, "HEAD") == 0;
	const uint8_t *body = rp->rp_kind == REPLY_BODY && !head_only ? rp->rp_body : NULL;
	size_t blen = body != NULL ? rp->rp_len : 0, hl, sent = 0;
	char head[ANSWER_HEAD_MAX];
	answer_s *an = NULL;
	wire_task_s *t;
	int rc;

	hl = respond_head(rp, head, sizeof(head));
	if (hl == 0 || fd < 0)
		goto drop;
	if (!stream) {
		rc = wire_send_now(fd, (const uint8_t *)head, hl, body, blen, &sent);
		if (rc != 0) {
			rq->rq_end = rc > 0 ? END_COMPLETED : END_CLIENT_CLOSED;
			rq->rq_end_set = 1;
			rq->rq_bytes = sent > hl ? sent - hl : 0;
			if (rc > 0)
				wire_finish(fd);
			reply_release(rp);
			return 0;
		}
	}
	if ((an = calloc(1, sizeof(*an))) == NULL)
		goto drop;
	*an = (answer_s){.an_rq = rq,
	                 .an_conn = rq->rq_waiter,
	                 .an_fd = fd,
	                 .an_stream = stream,
	                 .an_release = rp->rp_release,
	                 .an_release_arg = rp->rp_release_arg};
	uint8_t *copy = malloc(hl);
	if (copy == NULL)
		goto drop;
	memcpy(copy, head, hl);
	const wire_job_s job = {
	    .wj_fd = fd,
	    .wj_head = copy,
	    .wj_head_len = hl,
	    .wj_body = body,
	    .wj_body_len = blen,
	    .wj_sent = sent,
	    .wj_fill = stream ? answer_fill : NULL,
	    .wj_done = answer_done,
	    .wj_arg = an,
	};
	if ((t = wire_prepare(wire, &job)) == NULL)
		goto drop;
	if (stream) {
		rq->rq_waiter.hw_park = park_nothing;
		rq->rq_waiter.hw_wake = wake_task;
		rq->rq_waiter.hw_arg = t;
	}
	an->an_conn.hw_park(&an->an_conn);
	wire_submit(t); /* when it cannot run, answer_done has resumed the connection already */
	return 1;
drop:
	free(an);
	reply_release(rp);
	if (stream)
		stream_release(rq);
	return 0;
}

void answer_reject(respond_s *rs, int fd, unsigned status)
{
	reply_s rp;
	char head[ANSWER_HEAD_MAX];
	size_t hl, sent;

	respond_error(rs, &rp,
	              status == 413   ? ERR_413
	              : status == 414 ? ERR_414
	              : status == 431 ? ERR_431
	                              : ERR_400);
	if ((hl = respond_head(&rp, head, sizeof(head))) > 0)
		wire_send_now(fd, (const uint8_t *)head, hl, rp.rp_body, rp.rp_len, &sent);
}

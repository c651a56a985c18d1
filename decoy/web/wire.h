/* wire: the persona's answers written on the connection's socket by us, so
 * that every byte is the firmware's (libmicrohttpd would write its own
 * status line and headers first), on a thread of its own. */
#ifndef CAMDECOY_WIRE_H
#define CAMDECOY_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* How a job ended. */
typedef enum {
	WIRE_SENT,      /* every byte handed to the kernel (a body; or a stream's source ended) */
	WIRE_PEER_GONE, /* a send failed: the peer closed or reset */
	WIRE_STALLED,   /* no byte accepted for the idle timeout */
	WIRE_STOPPED,   /* the server is stopping */
} wire_end_e;

/* The source of a stream's bytes after the head: > 0 bytes written to buf,
 * 0 none yet (it calls wire_wake once there are), -1 the end. */
typedef ssize_t (*wire_fill_f)(void *arg, uint8_t *buf, size_t max);

typedef struct {
	int wj_fd;        /* borrowed: the server closes it after wj_done */
	uint8_t *wj_head; /* takes ownership (malloc'd) */
	size_t wj_head_len;
	const uint8_t *wj_body; /* borrowed until wj_done */
	size_t wj_body_len;
	size_t wj_sent;      /* of head and body, already sent (wire_send_now) */
	wire_fill_f wj_fill; /* NULL: the job ends after the body */
	/* On the wire's thread, once, after the descriptor is no longer
	 * watched: how it ended and the bytes sent after the head. */
	void (*wj_done)(void *arg, wire_end_e end, uint64_t body_sent);
	void *wj_arg;
} wire_job_s;

typedef struct wire wire_s;
typedef struct wire_task wire_task_s;

/* idle_ms: a job whose peer accepts no byte for that long ends STALLED. */
wire_s *wire_new(int64_t idle_ms, char *err, size_t errlen);
int wire_start(wire_s *w, char *err, size_t errlen);
/* Ends every job still running (WIRE_STOPPED, after the ready ones had
 * their turn) and joins the thread. */
void wire_stop(wire_s *w);
void wire_free(wire_s *w);

/* A job, not yet running (so that its handle can be given to the source
 * before the first byte): NULL when out of memory (job->wj_head is freed). */
wire_task_s *wire_prepare(wire_s *w, const wire_job_s *job);
/* Runs it; -1 when the wire is stopping (then wj_done runs at once with
 * WIRE_STOPPED, on the caller's thread). */
int wire_submit(wire_task_s *t);
/* The source has bytes again. Thread-safe; only for a task whose fill
 * returned 0 and that has not been woken since. */
void wire_wake(wire_task_s *t);

/* Sends head then body on a non-blocking fd at once: 1 all of it went, 0 the
 * socket buffer took only *sent bytes (of head and body together), -1 the
 * peer is gone. */
int wire_send_now(int fd, const uint8_t *head, size_t head_len, const uint8_t *body,
                  size_t body_len, size_t *sent);
/* After the last byte: FIN, then what the peer sent meanwhile is read (a
 * close with unread bytes would send a reset, which can destroy the answer
 * in flight). */
void wire_finish(int fd);

#endif

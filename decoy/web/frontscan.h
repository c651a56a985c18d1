/* frontscan: what the front makes of a connection's first bytes (frontscan.c), and what it is
 * told: its configuration, the lines it records. */
#ifndef CAMDECOY_FRONTSCAN_H
#define CAMDECOY_FRONTSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "guard.h"

/* The handed-over connection's first request had an X-Forwarded-For line
 * with a NUL byte (libmicrohttpd would cut the value there). */
#define FRONT_XFF_NUL 1u
/* The first request is HTTP/1.1 with "Expect: 100-continue": libmicrohttpd
 * would write "HTTP/1.1 100 Continue" itself after the handler's first call
 * unless that call answers. So the front waits for the whole body (as a
 * server that ignores Expect does: the client sends it after its timeout)
 * and hands it over with the connection, for the first call to answer. */
#define FRONT_EXPECT 2u

/* front_analyse's in: the peek filled header-memory; the peer has stopped sending. */
#define FRONT_IN_FULL 1
#define FRONT_IN_EOF  2

#define FRONT_FIELD_MAX 256

/* A request line the server will never handle: a probe that is not HTTP/1.x
 * (answered by closing, never with libmicrohttpd's text), or a request
 * pipelined behind one the persona answers and then closes. */
typedef struct {
	const struct sockaddr *fl_addr;
	socklen_t fl_addrlen;
	/* "pipelined", "probe-tls", "probe-rtsp", "probe-http09", "probe-version",
	 * "probe-junk", or "rejected" (HTTP/1.x libmicrohttpd would answer with its
	 * own text: the persona's 400, 414 or 431 instead) */
	const char *fl_route;
	const char *fl_method; /* bounded, raw bytes: may hold anything */
	size_t fl_method_len;
	const char *fl_target;
	size_t fl_target_len;
	const char *fl_ua; /* NULL: none */
	size_t fl_ua_len;
	unsigned fl_status; /* what the persona answered (0: nothing) */
} front_line_s;

typedef struct {
	int fc_listen_fd; /* bound and listening; stays the caller's */
	/* bytes of a request head looked at (header-memory), which is also
	 * libmicrohttpd's pool per connection: heads that would exhaust it are
	 * the persona's 414 or 431 */
	size_t fc_peek_max;
	int fc_closes;      /* the persona closes after every answer */
	size_t fc_body_max; /* the largest body taken (FRONT_EXPECT: larger ones get 413 here) */
	guard_s *fc_guard;  /* caps at accept; the request deadline while we wait */
	/* Takes fd (a connection whose first bytes are HTTP/1.x): 0, or -1 when
	 * the server refused it (it is closed either way). head/head_len are
	 * the first request's head as it came, request line to blank line
	 * (libmicrohttpd cuts what it holds at a NUL); with FRONT_EXPECT,
	 * body/body_len are its body as it came (both borrowed: copy them).
	 * It also takes one guard_hold count for sa's address, which it gives
	 * back once its own bookkeeping counts the connection (or it is gone),
	 * so that no accept in between sees the address a connection short. */
	int (*fc_handoff)(void *arg, int fd, const struct sockaddr *sa, socklen_t len,
	                  unsigned flags, const uint8_t *head, size_t head_len, const uint8_t *body,
	                  size_t body_len);
	void (*fc_record)(void *arg, const front_line_s *line);
	/* Writes the persona's answer with this status on fd (the front closes it). */
	void (*fc_reject)(void *arg, int fd, unsigned status);
	void (*fc_no_request)(void *arg); /* a connection closed before any request line */
	/* n requests pipelined behind a closing answer got no row (past the
	 * FRONT_PIPELINED_MAX recorded, or cut by the peek window) */
	void (*fc_unrecorded)(void *arg, uint64_t n);
	void *fc_arg;
} front_conf_s;

/* The analysis of one peeked buffer (exposed for the tests and the fuzz
 * target); in: FRONT_IN_FULL, FRONT_IN_EOF or 0. FRONT_WAIT (need more bytes), FRONT_HTTP (hand
 * over; *flags set, pipelined requests reported through conf->fc_record), FRONT_PROBE (recorded;
 * close) or FRONT_REJECT (recorded; answer FRONT_STATUS(*flags), close). */
typedef enum { FRONT_WAIT, FRONT_HTTP, FRONT_PROBE, FRONT_REJECT } front_verdict_e;

#define FRONT_STATUS(flags) ((flags) >> 8)

front_verdict_e front_analyse(const front_conf_s *conf, const uint8_t *buf, size_t n, int in,
                              const struct sockaddr *sa, socklen_t salen, unsigned *flags);

/* A head as fc_handoff gives it, read with lengths (any byte, a NUL
 * included, is kept): its request target (after the method and its spaces,
 * before the version; NULL when there is none), and each header line's name
 * and value (leading blanks skipped), in order. */
void front_head_target(const uint8_t *head, size_t n, const uint8_t **target, size_t *len);
typedef void (*front_field_fn)(void *arg, const char *name, size_t name_len, const char *value,
                               size_t value_len);
void front_head_fields(const uint8_t *head, size_t n, front_field_fn fn, void *arg);

/* Where the first request's body starts in buf and how much of it is there
 * (for FRONT_EXPECT); 0 and *len 0 when the head is not complete. */
size_t front_body_span(const uint8_t *buf, size_t n, size_t *len);

/* Records what came before the peer stopped sending with half a request
 * (buf, n bytes: no complete head): a probe, "probe-junk". */
void front_probe_junk(const front_conf_s *conf, const uint8_t *buf, size_t n,
                      const struct sockaddr *sa, socklen_t salen);

#endif

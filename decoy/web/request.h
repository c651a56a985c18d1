/* request: one HTTP request's record, from its request line to its row:
 * who sent it, where it was routed, what it was answered, the view it is. */
#ifndef CAMDECOY_REQUEST_H
#define CAMDECOY_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "guard.h"
#include "frontscan.h"
#include "hub.h"
#include "identity.h"
#include "respond.h"
#include "track.h"
#include "trap.h"
#include "visitor.h"
#include "web.h"

/* The first request as the front saw it, handed to the peer: its head (what
 * libmicrohttpd holds is cut at a NUL) and, with FRONT_EXPECT, its body. */
typedef struct web_first {
	size_t wf_head_len, wf_body_len;
	uint8_t wf_data[]; /* the head, then the body */
} web_first_s;

/* One connection's peer, looked up once at accept (the server's socket
 * context): its address, country, whether it is a trusted proxy. */

typedef struct {
	identity_s wp_who; /* the TCP peer (a trusted proxy's clients are the requests') */
	int wp_proxy;
	unsigned wp_requests; /* request lines seen */
	guard_conn_s wp_guard;
	int wp_xff_nul; /* the front saw a NUL in the first request's X-Forwarded-For */
	int wp_expect;  /* the first request asked for 100-continue (FRONT_EXPECT) */
	/* the first request as received (the peer's; NULL: none, or answered) */
	web_first_s *wp_first;
} web_peer_s;

/* Bodies are kept up to this (a login form is small); larger ones get 413. */
#define REQUEST_BODY_MAX 4096

/* X-Forwarded-For lines joined for walking; past this the header is not believed. */
#define REQUEST_XFF_MAX 8192

/* The request's headers, as the server read them (borrowed for one call). */
typedef struct {
	const char *rh_method;
	const char *rh_ua, *rh_referer, *rh_host, *rh_auth;
	size_t rh_ua_len, rh_referer_len, rh_auth_len;
	int rh_has_ua, rh_has_referer;
	/* every X-Forwarded-For line, in order, joined with ", " (a proxy such
	 * as HAProxy adds its own line after the client's) */
	char rh_xff[REQUEST_XFF_MAX];
	size_t rh_xff_len;  /* kept in rh_xff */
	size_t rh_xff_orig; /* of all lines, as received */
	int rh_xff_lines;
	int rh_xff_nul;         /* a line held a NUL byte */
	size_t rh_header_bytes; /* roughly as sent */
	/* the request target as received (NULL: libmicrohttpd's, from the URI
	 * callback, which a NUL cuts) */
	const char *rh_target;
	size_t rh_target_len;
} request_head_s;

/* The head's fields from the front's copy of it (every byte kept): the
 * target, User-Agent, Referer, Authorization (the first of each),
 * X-Forwarded-For (every line) and the header bytes. rh_method and rh_host
 * are the caller's. */
void request_head_raw(request_head_s *head, const uint8_t *raw, size_t n);

/* Appends one X-Forwarded-For line to head (the server calls it per line). */
void request_head_xff(request_head_s *head, const char *value, size_t len);

/* What the handler did with a request. */
typedef enum {
	WEB_REPLY,  /* answer with the reply */
	WEB_PARKED, /* waiting for a frame: the connection is suspended, call again once resumed */
	WEB_FAIL,   /* out of memory: drop the connection */
} web_action_e;

/* One viewer's MJPEG part in flight: up to five pieces (part header, JPEG
 * before the viewer's note, the note, JPEG after it, CRLF). */
typedef struct {
	frame_s *sp_frame;
	uint64_t sp_last_seq;
	const uint8_t *sp_piece[5];
	size_t sp_piece_len[5];
	int sp_npieces, sp_piece_i;
	size_t sp_piece_off;
	char sp_head[160];
} stream_part_s;

/* Referenced by the server (until the completion notice) and by a stream
 * response (until it is freed); the last release records the request and
 * closes its view. */
typedef struct request {
	int rq_refs;
	web_s *rq_web;
	web_peer_s *rq_peer;          /* until the completion notice; NULL if unknown */
	guard_addr_s rq_gaddr;        /* the client, for its stream count */
	int rq_seen;                  /* the handler ran: the headers below are valid */
	int rq_answered;              /* the wire wrote the answer: the connection closes */
	int rq_streaming;             /* counted by guard_stream_begin */
	int rq_budgeted, rq_detailed; /* the detail budget was asked / granted */
	int rq_uri_too_long, rq_headers_too_big, rq_body_too_big, rq_body_lost;
	int rq_snapshot_waited;
	char rq_net[64]; /* the client's /24 or /64 */
	int64_t rq_ts;
	visitor_s rq_vis;
	const char *rq_route;
	unsigned int rq_status;
	uint64_t rq_bytes;  /* body bytes handed to the socket */
	char *rq_body;      /* a login form, or the first REQUEST_BODY_MAX bytes of any body */
	size_t rq_body_len; /* as received (kept: up to REQUEST_BODY_MAX) */
	const struct exploit_rule *rq_exploit; /* the rule the request matched, NULL: none */
	int rq_classified;                     /* rq_exploit is set */
	int rq_exploit_answered;               /* the persona answered it as its firmware did */
	trap_cred_s rq_leak; /* the credential the answer disclosed (tc_seq 0: none) */
	track_end_e rq_end;  /* how the stream or the connection ended */
	int rq_end_set; /* by the stream itself (limit, shutdown): the connection's end does not
	                   override it */
	hub_waiter_s rq_waiter;
	stream_part_s rq_part;
	trap_cred_s rq_cred; /* the viewer's trap credential */
	uint8_t *rq_note;    /* its note bands (per-viewer mode) */
	size_t rq_note_len;
	uint64_t rq_note_gen; /* the capture they were drawn on */
	track_s rq_track;
	int rq_view_counted; /* the view is past its network's budget: counted, no row, no
	                        credential */
} request_s;

/* A request whose line just arrived, for peer (NULL if unknown), so that
 * even requests refused before the handler are recorded. waiter_park/wake
 * suspend and resume its connection (wa: their argument). NULL when out of
 * memory. */
request_s *request_new(web_s *web, web_peer_s *peer, const char *uri, void (*park)(hub_waiter_s *),
                       void (*wake)(hub_waiter_s *), void *wa);
/* The handler's first call: identity, headers, classes, budget. */
void request_identify(request_s *rq, const request_head_s *head);

/* A request line the front acceptor recorded (a probe, or a request
 * pipelined behind a closing answer): one row, under the network's budget,
 * counted in requests_seen like any other. Thread-safe. */
void request_record_line(web_s *web, const front_line_s *fl);
/* Part of the body (kept up to a login form's size; beyond it the persona's 413). */
void request_body(request_s *rq, const char *data, size_t n);
/* The exploit rule the request matches, NULL: none (classified once: the
 * dispatcher asks, the row asks again). */
const struct exploit_rule *request_exploit(request_s *rq);
/* The connection's request ended (end: how); drops the server's reference. */
void request_completed(request_s *rq, track_end_e end);
void request_unref(request_s *rq);

/* The trap credential of a new view, and per viewer its note bands (NULL
 * when there is none to splice). */
/* The viewer's note (rq_note) drawn on the live picture: the first time
 * at once, then again when it is due (camera_note_renew). */
void request_note_renew(request_s *rq);
/* Issues the view's trap credential into rq_cred and, with_note in
 * per-viewer mode, draws its note into rq_note (a stream's; a snapshot's
 * note is drawn on each frame it is sent with). */
void request_credential(request_s *rq, int64_t view_id, int64_t shown_at, int with_note);

#endif

/* rtsp: a login trap on the camera's RTSP port: OPTIONS and DESCRIBE in the firmware's words,
 * every Authorization matched like any other channel, and no media ever sent. */
#ifndef CAMDECOY_RTSP_H
#define CAMDECOY_RTSP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "geo.h"
#include "login.h"
#include "persona.h"

/* A request head (request line, headers, blank line) longer than this is
 * answered 400 and the connection closed; so is a body over RTSP_BODY_MAX. */
#define RTSP_HEAD_MAX 4096
#define RTSP_BODY_MAX 4096
/* Bytes of a CSeq echoed back (the firmware echoes the value as it came). */
#define RTSP_CSEQ_MAX 64

/* One request, parsed in place: every pointer is into the caller's buffer
 * (not NUL-terminated; lengths bounded by RTSP_HEAD_MAX). */
typedef struct {
	const char *rr_method, *rr_uri, *rr_version;
	size_t rr_method_len, rr_uri_len, rr_version_len;
	const char *rr_cseq; /* NULL: none */
	size_t rr_cseq_len;  /* at most RTSP_CSEQ_MAX */
	const char *rr_auth; /* Authorization value, NULL: none */
	size_t rr_auth_len;
	const char *rr_ua; /* User-Agent, NULL: none */
	size_t rr_ua_len;
	size_t rr_body_len; /* Content-Length */
	size_t rr_head_len; /* bytes of the head, blank line included */
} rtsp_req_s;

typedef enum {
	RTSP_NEED, /* the head is not complete yet */
	RTSP_OK,   /* *out filled: the request takes rr_head_len + rr_body_len bytes */
	RTSP_BAD,  /* not an RTSP request (or too big): answer 400, close */
} rtsp_parse_e;

/* Parses the request at the start of buf (n bytes). On RTSP_BAD, *out holds
 * what could be read (rr_cseq may be set). Never reads past n. */
rtsp_parse_e rtsp_parse(const uint8_t *buf, size_t n, rtsp_req_s *out);

typedef enum {
	RTSP_ANSWER_BAD,       /* 400 */
	RTSP_ANSWER_OPTIONS,   /* 200 with Public */
	RTSP_ANSWER_CHALLENGE, /* 401 with the persona's challenges */
	RTSP_ANSWER_DESCRIBE,  /* 200 with the SDP (a trap credential was given) */
	RTSP_ANSWER_SETUP,     /* 453: the camera has no stream to spare */
	RTSP_ANSWER_TEARDOWN,  /* 200 */
	RTSP_ANSWER_STATE,     /* 455: not valid before a SETUP */
} rtsp_answer_e;

/* What a request gets: authorized says a trap credential came with it. */
rtsp_answer_e rtsp_decide(const rtsp_req_s *rq, int authorized);

/* Writes the persona's answer (status line, headers in the firmware's
 * order, SDP body) into out, at most cap bytes; the length, or 0 when it
 * does not fit. nonce: 32 hex digits for the challenge; date: the Date
 * value in the persona's format ("" when the persona sends none). */
size_t rtsp_answer(const persona_rtsp_s *voice, const rtsp_req_s *rq, rtsp_answer_e a,
                   const char *nonce, const char *date, char *out, size_t cap);

/* The persona's Date value for wall time now_s (seconds since 1970). */
void rtsp_date(const persona_rtsp_s *voice, int64_t now_s, char *out, size_t cap);

/* What one RTSP request was, for the requests table (like the front's probes). */
typedef struct {
	const struct sockaddr *ri_addr;
	const char *ri_method, *ri_uri, *ri_ua; /* raw, bounded; ri_ua NULL: none */
	size_t ri_method_len, ri_uri_len, ri_ua_len;
	unsigned ri_status; /* what was answered */
} rtsp_request_info_s;

typedef struct {
	const persona_rtsp_s *rc_voice;
	int rc_idle_s, rc_lifetime_s;
	const login_ctx_s *rc_login; /* borrowed */
	const geo_s *rc_geo;         /* borrowed, NULL: no countries */
	/* Records a request (called on the RTSP thread); NULL: not recorded. */
	void (*rc_record)(void *arg, const rtsp_request_info_s *ri);
	void *rc_arg;
} rtsp_conf_s;

typedef struct {
	uint64_t rs_sessions, rs_requests, rs_logins, rs_accepted;
	uint64_t rs_refused_full, rs_refused_ip, rs_refused_net;
	uint64_t rs_evicted; /* ended for a newcomer from a network holding fewer */
	uint64_t rs_ended_idle, rs_ended_lifetime, rs_ended_bad, rs_ended_requests;
	uint64_t rs_ended_early; /* of idle and lifetime, by a limit shortened at a full table */
} rtsp_stats_s;

typedef struct rtsp rtsp_s;

/* Binds addr now (privileges are dropped after start-up); serves from its
 * own thread after rtsp_start. conf and what it points to are borrowed. */
rtsp_s *rtsp_new(const struct sockaddr *addr, socklen_t addrlen, const rtsp_conf_s *conf, char *err,
                 size_t errlen);
int rtsp_start(rtsp_s *r, char *err, size_t errlen);
void rtsp_stats(rtsp_s *r, rtsp_stats_s *out);
/* Ends every session and the thread; the stats stay readable until rtsp_free. */
void rtsp_stop(rtsp_s *r);
void rtsp_free(rtsp_s *r);

#endif

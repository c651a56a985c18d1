/* rtsp: the camera's RTSP server as a pure state machine: requests parsed, answered in the
 * firmware's words, a session's SETUP, PLAY, PAUSE and TEARDOWN stepped (bytes in, bytes out; the
 * sockets are rtspd's). */
#ifndef CAMDECOY_RTSP_H
#define CAMDECOY_RTSP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "persona.h"
#include "rtp.h"

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
	const char *rr_session; /* Session, NULL: none */
	size_t rr_session_len;
	const char *rr_transport; /* Transport, NULL: none */
	size_t rr_transport_len;
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

/* What cannot be parsed, as a row: the first line of buf (at most 256
 * bytes, any byte) as rr_method, no URI, no User-Agent. */
void rtsp_first_line(const uint8_t *buf, size_t n, rtsp_req_s *rq);

/* An interleaved binary frame ('$', channel, 16-bit length) at the start
 * of buf: its whole length (4 + the length), 0 when buf does not start
 * with '$', -1 when fewer than 4 bytes are there yet. Clients send their
 * RTCP receiver reports this way on the RTSP connection. */
long rtsp_interleaved(const uint8_t *buf, size_t n);

/* What a Transport header asks for: the first transport we serve of those
 * listed (RFC 2326 12.39). */
typedef struct {
	int tr_tcp;         /* 1: RTP/AVP/TCP interleaved; 0: RTP/AVP over UDP */
	int tr_channel;     /* interleaved=N-N+1: N (0 when not given) */
	int tr_client_port; /* client_port=N-N+1: N, -1: not given */
} rtsp_transport_s;

/* 0 and *out when one of the listed transports is unicast RTP/AVP over TCP
 * (preferred) or UDP with a client_port; -1 otherwise (multicast, a
 * destination, anything else). */
int rtsp_transport_parse(const char *v, size_t len, rtsp_transport_s *out);

/* What a stream path plays: H.264 where the firmware streams it (the
 * persona has an H.264 SDP) unless the query asks for another codec (Axis's
 * videocodec=jpeg), else JPEG over RTP. */
typedef enum { RTSP_CODEC_NONE, RTSP_CODEC_JPEG, RTSP_CODEC_H264 } rtsp_codec_e;

rtsp_codec_e rtsp_codec(const persona_rtsp_s *voice, const char *uri, size_t len);

/* 1 when the request URI names one of the persona's stream paths (absolute
 * or not, a query and a trailing /trackID=N ignored), else 0. */
int rtsp_route(const persona_rtsp_s *voice, const char *uri, size_t len);

typedef enum {
	RTSP_ANSWER_BAD,       /* 400 */
	RTSP_ANSWER_OPTIONS,   /* 200 with Public */
	RTSP_ANSWER_CHALLENGE, /* 401 with the persona's challenges */
	RTSP_ANSWER_DESCRIBE,  /* 200 with the SDP (a trap credential was given) */
	RTSP_ANSWER_SETUP,     /* 200 with Session and Transport */
	RTSP_ANSWER_TEARDOWN,  /* 200 */
	RTSP_ANSWER_STATE,     /* 455: not valid in this state */
	RTSP_ANSWER_PLAY,      /* 200 with Session, Range and RTP-Info */
	RTSP_ANSWER_PAUSE,     /* 200 with Session */
	RTSP_ANSWER_PARAMETER, /* 200 with Session: a keep-alive */
	RTSP_ANSWER_NOT_FOUND, /* 404: not a path this firmware has */
	RTSP_ANSWER_SESSION,   /* 454: not this connection's session */
	RTSP_ANSWER_TRANSPORT, /* 461: no transport we serve */
} rtsp_answer_e;

typedef enum { RTSP_PHASE_INIT, RTSP_PHASE_READY, RTSP_PHASE_PLAYING } rtsp_phase_e;

/* One connection's session. */
typedef struct {
	rtsp_phase_e st_phase;
	char st_session[16];    /* the id as the firmware writes it, "" before SETUP */
	rtsp_transport_s st_tr; /* what SETUP agreed */
	uint32_t st_ssrc;
	uint16_t st_seq;       /* the first RTP sequence number after PLAY */
	uint32_t st_rtptime;   /* the RTP time at PLAY */
	char st_track[256];    /* the URL PLAY's RTP-Info names (SETUP's, bounded) */
	rtsp_codec_e st_codec; /* chosen by DESCRIBE (again by each) or the first SETUP */
} rtsp_state_s;

/* What a request's answer may need besides the request and the state. */
typedef struct {
	int en_w, en_h, en_fps;     /* the picture, for the SDP */
	uint32_t en_random[2];      /* fresh for each request: a SETUP's session id and ssrc */
	uint16_t en_seq;            /* a PLAY's first sequence number */
	uint32_t en_rtptime;        /* a PLAY's RTP time */
	int en_udp;                 /* 1: UDP transport is served */
	uint16_t en_server_port[2]; /* the listener's RTP and RTCP ports (UDP) */
	/* H.264 may be given to this session (an encoder's place is free or
	 * held); NULL: JPEG only */
	const rtp_h264_sdp_s *en_h264;
} rtsp_env_s;

typedef enum {
	RTSP_DO_NOTHING,
	RTSP_DO_PLAY,  /* send frames from now on */
	RTSP_DO_PAUSE, /* stop sending, the session stays */
	RTSP_DO_STOP,  /* the session ended (TEARDOWN) */
} rtsp_effect_e;

/* Steps the connection's session with one request: the answer, and what
 * the sender is to do. authorized says a trap credential came with it. */
rtsp_answer_e rtsp_step(rtsp_state_s *st, const persona_rtsp_s *voice, const rtsp_req_s *rq,
                        int authorized, const rtsp_env_s *env, rtsp_effect_e *effect);

/* The status code of an answer. */
unsigned rtsp_status(rtsp_answer_e a);

/* Writes the persona's answer (status line, headers in the firmware's
 * order, SDP body) into out, at most cap bytes; the length, or 0 when it
 * does not fit. st: the session after rtsp_step; nonce: 32 hex digits for
 * the challenge; date: the Date value in the persona's format ("" when the
 * persona sends none). */
size_t rtsp_answer(const persona_rtsp_s *voice, const rtsp_req_s *rq, rtsp_answer_e a,
                   const rtsp_state_s *st, const rtsp_env_s *env, const char *nonce,
                   const char *date, char *out, size_t cap);

/* The persona's Date value for wall time now_s (seconds since 1970). */
void rtsp_date(const persona_rtsp_s *voice, int64_t now_s, char *out, size_t cap);

#endif

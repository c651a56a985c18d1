/* rtspd: the RTSP door: sessions of the shared listener (listen.c), each a state machine of
 * rtsp.c, playing the hub's frames as JPEG over RTP on the RTSP connection. */
#ifndef CAMDECOY_RTSPD_H
#define CAMDECOY_RTSPD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "geo.h"
#include "hub.h"
#include "login.h"
#include "rtsp.h"
#include "rtspview.h"
#include "store.h"

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
	hub_s *rc_hub;          /* borrowed: the frames every viewer shares; NULL: nothing plays */
	int rc_w, rc_h, rc_fps; /* the picture, for the SDP */
	int rc_auth_none;       /* rtsp-auth = none: an open camera, no credential asked */
	store_s *rc_store;      /* borrowed: views and refusals recorded here; NULL: not recorded */
	camera_s *rc_cam;       /* borrowed: draws each viewer's note */
	int rc_per_viewer;      /* trap-mode per-viewer */
	/* H.264 sessions at once, each with its own encoder (RTSP_H264_MAX
	 * unless set; negative: none, every path plays JPEG) */
	int rc_h264_max;
	/* Records a request (called on the RTSP thread); NULL: not recorded. */
	void (*rc_record)(void *arg, const rtsp_request_info_s *ri);
	void *rc_arg;
} rtsp_conf_s;

typedef struct {
	uint64_t rs_sessions, rs_requests, rs_logins, rs_accepted;
	uint64_t rs_refused_full, rs_refused_ip, rs_refused_net;
	uint64_t rs_refused_rate;      /* its network connected too fast */
	uint64_t rs_refusals_recorded; /* refusals and evictions handed to the store */
	uint64_t rs_evicted;           /* ended for a newcomer from a network holding fewer */
	uint64_t rs_ended_idle, rs_ended_lifetime, rs_ended_bad, rs_ended_requests;
	uint64_t rs_ended_early;    /* of idle and lifetime, by a limit shortened at a full table */
	uint64_t rs_plays;          /* PLAYs that started frames flowing */
	uint64_t rs_frames;         /* frames sent as RTP */
	uint64_t rs_frames_skipped; /* frames a slow reader had no room for */
	rtspview_h264_stats_s rs_h264; /* H.264 places given and refused, pictures encoded */
} rtsp_stats_s;

/* H.264 encoders at once by default: each costs its session's pictures'
 * decoding and encoding (docs/rtsp.md has the figures). */
#define RTSP_H264_MAX 8

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

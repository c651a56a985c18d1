/* rtspview: one RTSP session's view: opened with its first frame and its own credential drawn in,
 * closed once. */
#ifndef CAMDECOY_RTSPVIEW_H
#define CAMDECOY_RTSPVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "camera.h"
#include "frame.h"
#include "h264.h"
#include "hub.h"
#include "rtp.h"
#include "rtpout.h"
#include "store.h"
#include "track.h"
#include "trap.h"
#include "visitor.h"

/* The listener's H.264 encoders: each H.264 session has its own (its
 * pictures carry its own credential), at most hp_max at once; a session
 * past the cap is served JPEG over RTP, as the firmware's MJPEG setting
 * would, with its own credential still. Only the listener's thread uses it. */
typedef struct {
	uint64_t hs_granted; /* sessions given an encoder's place */
	uint64_t hs_refused; /* DESCRIBEs (or first SETUPs) answered JPEG: every place held */
	uint64_t hs_pictures, hs_encode_us; /* pictures encoded; time decoding and encoding */
} rtspview_h264_stats_s;

typedef struct {
	h264_conf_s hp_conf;
	int hp_max;            /* 0: no H.264 (no libx264, or no parameter sets) */
	int hp_held;           /* sessions holding an encoder's place */
	rtp_h264_sdp_s hp_sdp; /* the parameter sets every encoder writes */
	rtspview_h264_stats_s hp_stats;
} rtspview_h264_s;

/* Fills p for pictures of w x h at fps, at most max encoders at once (the
 * SDP's parameter sets from one encoded picture): 0, or -1 with hp_max 0
 * (H.264 is not served: no libx264, or max < 1). */
int rtspview_h264_init(rtspview_h264_s *p, int w, int h, int fps, int max);

/* What every view of the listener shares (all borrowed). */
typedef struct {
	store_s *vc_store;        /* NULL: views are not recorded */
	trap_s *vc_trap;          /* NULL: no credential shown */
	camera_s *vc_cam;         /* draws a per-viewer note */
	hub_s *vc_hub;            /* its viewers share the notes' redrawing; NULL: none */
	int vc_per_viewer;        /* trap-mode per-viewer: each view its own credential */
	rtspview_h264_s *vc_h264; /* NULL: JPEG only */
} rtspview_conf_s;

typedef struct {
	visitor_s rv_vis;
	track_s rv_track; /* tk_id 0: no view open */
	trap_cred_s rv_cred;
	uint8_t *rv_note; /* the credential's band, NULL: the shared frame */
	size_t rv_note_len;
	uint64_t rv_note_gen; /* the capture the note was drawn on */
	uint8_t *rv_jpeg;     /* the frame with the viewer's band spliced in */
	size_t rv_jpeg_cap;
	rtspview_h264_s *rv_pool; /* an H.264 place is held in it, NULL: none */
	h264_s *rv_h264;          /* made with the first picture */
	int rv_idr;               /* the next picture is an IDR (a picture was lost) */
} rtspview_s;

/* The peer, bound once for every view of the session. */
void rtspview_init(rtspview_s *v, const identity_s *who);
/* The PLAY that starts a view: its URL and User-Agent (bounded copies). */
void rtspview_play(rtspview_s *v, const char *uri, size_t uri_len, const char *ua, size_t ua_len);
/* The bytes this viewer sees of fr (the view opened with the first one, its
 * credential issued and drawn), in *jpeg and *len; -1 when out of memory. */
int rtspview_frame(rtspview_s *v, const rtspview_conf_s *c, const frame_s *fr, int64_t now_ms,
                   const uint8_t **jpeg, size_t *len);
/* 1 when this session may be given H.264: it holds a place or one is free. */
int rtspview_h264_ok(const rtspview_s *v, const rtspview_conf_s *c);
/* Holds a place (h264 1) or gives it back (0), as the session's codec now
 * is; a place is taken only when rtspview_h264_ok said so. */
void rtspview_h264_hold(rtspview_s *v, const rtspview_conf_s *c, int h264);
/* The viewer's picture of fr as an H.264 access unit (its JPEG from
 * rtspview_frame, encoded by its own encoder): 0, or -1 (skipped; the next
 * is an IDR). */
int rtspview_frame_h264(rtspview_s *v, const rtspview_conf_s *c, const frame_s *fr, int64_t now_ms,
                        const uint8_t **au, size_t *len);
/* The picture last encoded never reached the viewer: the next is an IDR. */
void rtspview_h264_lost(rtspview_s *v);

/* fr as this viewer sees it (its own credential drawn; H.264 from its own
 * encoder when h264, else JPEG over RTP, shared: fr's parsed scan) onto
 * out on channel ch: 1 when queued (counted by rtspview_sent), 0 when
 * skipped. */
int rtspview_send(rtspview_s *v, const rtspview_conf_s *c, rtpout_s *out, const frame_s *fr,
                  const rtp_jpeg_s *shared, int h264, uint8_t ch, int64_t now_ms, int64_t wall_ms);

/* The frame was queued for the socket: counted, progress recorded now and then. */
void rtspview_sent(rtspview_s *v, const rtspview_conf_s *c, size_t bytes, int64_t now_ms);
/* Ends the open view (PAUSE, TEARDOWN, the connection's end), if any. */
void rtspview_close(rtspview_s *v, const rtspview_conf_s *c, track_end_e end, int64_t now_ms);
/* Frees the copies and the encoder, gives back its place (close the view first). */
void rtspview_clear(rtspview_s *v);

#endif

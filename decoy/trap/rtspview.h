/* rtspview: one RTSP session's view: opened with its first frame and its own credential drawn in,
 * closed once. */
#ifndef CAMDECOY_RTSPVIEW_H
#define CAMDECOY_RTSPVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "camera.h"
#include "frame.h"
#include "store.h"
#include "track.h"
#include "trap.h"
#include "visitor.h"

/* What every view of the listener shares (all borrowed). */
typedef struct {
	store_s *vc_store; /* NULL: views are not recorded */
	trap_s *vc_trap;   /* NULL: no credential shown */
	camera_s *vc_cam;  /* draws a per-viewer note */
	int vc_per_viewer; /* trap-mode per-viewer: each view its own credential */
} rtspview_conf_s;

typedef struct {
	visitor_s rv_vis;
	track_s rv_track; /* tk_id 0: no view open */
	trap_cred_s rv_cred;
	uint8_t *rv_note; /* the credential's band, NULL: the shared frame */
	size_t rv_note_len;
	uint8_t *rv_jpeg; /* the frame with the viewer's band spliced in */
	size_t rv_jpeg_cap;
} rtspview_s;

/* The peer, bound once for every view of the session. */
void rtspview_init(rtspview_s *v, const char *ip, uint16_t port, const char *country, uint32_t asn,
                   const char *as_org);
/* The PLAY that starts a view: its URL and User-Agent (bounded copies). */
void rtspview_play(rtspview_s *v, const char *uri, size_t uri_len, const char *ua, size_t ua_len);
/* The bytes this viewer sees of fr (the view opened with the first one, its
 * credential issued and drawn), in *jpeg and *len; -1 when out of memory. */
int rtspview_frame(rtspview_s *v, const rtspview_conf_s *c, const frame_s *fr, int64_t now_ms,
                   const uint8_t **jpeg, size_t *len);
/* The frame was queued for the socket: counted, progress recorded now and then. */
void rtspview_sent(rtspview_s *v, const rtspview_conf_s *c, size_t bytes, int64_t now_ms);
/* Ends the open view (PAUSE, TEARDOWN, the connection's end), if any. */
void rtspview_close(rtspview_s *v, const rtspview_conf_s *c, track_end_e end, int64_t now_ms);
/* Frees the copies (close the view first). */
void rtspview_clear(rtspview_s *v);

#endif

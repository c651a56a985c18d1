/* rtspview: one RTSP session's view, as HTTP stream views are recorded (decoy/web/stream.c).
 *
 * PLAY to PAUSE, TEARDOWN or the connection's end is one views row: opened
 * with the first frame sent (its credential registered before that frame
 * shows it), progress every 2 s so a crash closes it near its last frame,
 * closed at the last frame handed to the socket. The viewer's note band is
 * spliced into the shared frame exactly as for an HTTP viewer. */
#include "rtspview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify.h"
#include "clock.h"
#include "log.h"

#define RTSPVIEW_PROGRESS_MS 2000

void rtspview_init(rtspview_s *v, const identity_s *who)
{
	memset(v, 0, sizeof(*v));
	v->rv_vis.vi_who = *who;
	v->rv_vis.vi_referer_class = "none"; /* RTSP has no Referer */
	v->rv_vis.vi_client_class = classify_client(NULL, 0);
}

void rtspview_play(rtspview_s *v, const char *uri, size_t uri_len, const char *ua, size_t ua_len)
{
	if (v->rv_track.tk_id != 0)
		return; /* a PLAY while playing: the same view */
	v->rv_idr = 1;  /* a camera starts (and resumes) a stream with an IDR */
	visitor_clear(&v->rv_vis);
	/* the path as HTTP views have it: no scheme, no host, no userinfo */
	if (uri_len >= 7 && strncasecmp(uri, "rtsp://", 7) == 0) {
		const char *slash = memchr(uri + 7, '/', uri_len - 7);
		uri_len = slash != NULL ? uri_len - (size_t)(slash - uri) : 0;
		uri = slash != NULL ? slash : "";
	}
	visitor_target(&v->rv_vis, uri, uri_len);
	visitor_set(&v->rv_vis, EVS_METHOD, "PLAY", 4);
	if (ua != NULL)
		visitor_set(&v->rv_vis, EVS_USER_AGENT, ua, ua_len);
	v->rv_vis.vi_client_class = classify_client(ua, ua != NULL ? ua_len : 0);
}

static void open_view(rtspview_s *v, const rtspview_conf_s *c, int64_t now_ms)
{
	int64_t id = store_next_view_id(c->vc_store);
	char text[2 * TRAP_FIELD_MAX + 8], err[256];
	const char *user = NULL, *pass = NULL;

	free(v->rv_note);
	v->rv_note = NULL;
	v->rv_note_len = 0;
	if (c->vc_trap != NULL &&
	    trap_issue(c->vc_trap, id, now_ms, v->rv_vis.vi_who.id_ip, v->rv_vis.vi_who.id_country,
	               v->rv_vis.vi_referer_class, &v->rv_cred) == 0) {
		user = v->rv_cred.tc_user;
		pass = v->rv_cred.tc_pass;
		if (c->vc_per_viewer) {
			/* the first note, drawn now; on failure none: the shared frame */
			trap_note_text(user, pass, text, sizeof(text));
			if (camera_note_renew(c->vc_cam, text, 0, &v->rv_note_gen, &v->rv_note,
			                      &v->rv_note_len, err, sizeof(err)) < 0)
				log_debug("%s", err);
		}
	}
	track_stream_open(&v->rv_track, id, now_ms, user, pass);
	v->rv_track.tk_kind = VIEW_RTSP;
	v->rv_track.tk_seq = user != NULL ? v->rv_cred.tc_seq : 0;
	store_submit(c->vc_store,
	             track_event(&v->rv_track, &v->rv_vis, EV_VIEW_OPEN, END_ERROR, now_ms));
}

/* The note on the live picture's light and grain (camera_note_renew). */
static void renew_note(rtspview_s *v, const rtspview_conf_s *c)
{
	char text[2 * TRAP_FIELD_MAX + 8], err[256];

	trap_note_text(v->rv_cred.tc_user, v->rv_cred.tc_pass, text, sizeof(text));
	if (camera_note_renew(c->vc_cam, text, c->vc_hub != NULL ? hub_viewers(c->vc_hub) : 1,
	                      &v->rv_note_gen, &v->rv_note, &v->rv_note_len, err, sizeof(err)) < 0)
		log_debug("%s", err);
}

int rtspview_frame(rtspview_s *v, const rtspview_conf_s *c, const frame_s *fr, int64_t now_ms,
                   const uint8_t **jpeg, size_t *len)
{
	const uint8_t *piece[3];
	size_t plen[3], total;
	int k;

	if (v->rv_track.tk_id == 0 && c->vc_store != NULL && !store_views_full(c->vc_store))
		open_view(v, c, now_ms);
	else if (v->rv_note != NULL)
		renew_note(v, c);
	k = frame_pieces(fr, v->rv_note, v->rv_note_len, piece, plen, &total);
	if (k == 1) {
		*jpeg = piece[0];
		*len = plen[0];
		return 0;
	}
	if (total > v->rv_jpeg_cap) {
		uint8_t *b = realloc(v->rv_jpeg, total);
		if (b == NULL)
			return -1;
		v->rv_jpeg = b;
		v->rv_jpeg_cap = total;
	}
	for (int i = 0, off = 0; i < k; off += (int)plen[i], i++)
		memcpy(v->rv_jpeg + off, piece[i], plen[i]);
	*jpeg = v->rv_jpeg;
	*len = total;
	return 0;
}

void rtspview_sent(rtspview_s *v, const rtspview_conf_s *c, size_t bytes, int64_t now_ms)
{
	if (v->rv_track.tk_id == 0)
		return;
	v->rv_track.tk_bytes += bytes;
	if (track_frame(&v->rv_track, now_ms, RTSPVIEW_PROGRESS_MS))
		store_submit(c->vc_store, track_event(&v->rv_track, &v->rv_vis, EV_VIEW_PROGRESS,
		                                      END_ERROR, now_ms));
}

void rtspview_close(rtspview_s *v, const rtspview_conf_s *c, track_end_e end, int64_t now_ms)
{
	if (v->rv_track.tk_id == 0)
		return;
	store_submit(c->vc_store,
	             track_event(&v->rv_track, &v->rv_vis, EV_VIEW_CLOSE, end, now_ms));
	v->rv_track.tk_id = 0;
}

void rtspview_clear(rtspview_s *v)
{
	h264_free(v->rv_h264);
	v->rv_h264 = NULL;
	if (v->rv_pool != NULL)
		v->rv_pool->hp_held--;
	v->rv_pool = NULL;
	visitor_clear(&v->rv_vis);
	free(v->rv_note);
	free(v->rv_jpeg);
	v->rv_note = v->rv_jpeg = NULL;
}

/* ---- H.264 ---- */

int rtspview_h264_init(rtspview_h264_s *p, int w, int h, int fps, int max)
{
	uint8_t sps[H264_PARAM_MAX], pps[H264_PARAM_MAX];
	size_t sl, pl;
	char err[256];

	memset(p, 0, sizeof(*p));
	p->hp_conf = (h264_conf_s){.hc_w = w, .hc_h = h, .hc_fps = fps};
	if (max < 1 || h264_params(&p->hp_conf, sps, &sl, pps, &pl, err, sizeof(err)) != 0 ||
	    rtp_h264_sdp(sps, sl, pps, pl, &p->hp_sdp) != 0)
		return -1;
	p->hp_max = max;
	return 0;
}

int rtspview_h264_ok(const rtspview_s *v, const rtspview_conf_s *c)
{
	const rtspview_h264_s *p = c->vc_h264;

	return p != NULL && p->hp_max > 0 && (v->rv_pool != NULL || p->hp_held < p->hp_max);
}

void rtspview_h264_hold(rtspview_s *v, const rtspview_conf_s *c, int h264)
{
	if (h264 && v->rv_pool == NULL && rtspview_h264_ok(v, c)) {
		v->rv_pool = c->vc_h264;
		v->rv_pool->hp_held++;
		v->rv_pool->hp_stats.hs_granted++;
	} else if (h264 && v->rv_pool == NULL && c->vc_h264 != NULL) {
		c->vc_h264->hp_stats.hs_refused++;
	} else if (!h264 && v->rv_pool != NULL) {
		h264_free(v->rv_h264);
		v->rv_h264 = NULL;
		v->rv_pool->hp_held--;
		v->rv_pool = NULL;
	}
}

void rtspview_h264_lost(rtspview_s *v)
{
	v->rv_idr = 1;
}

int rtspview_frame_h264(rtspview_s *v, const rtspview_conf_s *c, const frame_s *fr, int64_t now_ms,
                        const uint8_t **au, size_t *len)
{
	const uint8_t *jpeg;
	size_t jl;
	char err[256];
	int64_t t0;
	int rc;

	if (v->rv_pool == NULL)
		return -1;
	if (rtspview_frame(v, c, fr, now_ms, &jpeg, &jl) != 0)
		return -1;
	if (v->rv_h264 == NULL &&
	    (v->rv_h264 = h264_new(&v->rv_pool->hp_conf, err, sizeof(err))) == NULL)
		return -1;
	t0 = clock_mono_us();
	rc =
	    h264_encode(v->rv_h264, jpeg, jl, fr->fr_mono_ms, v->rv_idr, au, len, err, sizeof(err));
	v->rv_pool->hp_stats.hs_encode_us += (uint64_t)(clock_mono_us() - t0);
	v->rv_pool->hp_stats.hs_pictures++;
	v->rv_idr = rc != 0;
	return rc;
}

int rtspview_send(rtspview_s *v, const rtspview_conf_s *c, rtpout_s *out, const frame_s *fr,
                  const rtp_jpeg_s *shared, int h264, uint8_t ch, int64_t now_ms, int64_t wall_ms)
{
	const uint8_t *b;
	size_t len;
	rtp_jpeg_s own;

	if (h264) {
		if (rtspview_frame_h264(v, c, fr, wall_ms, &b, &len) != 0)
			return 0;
		if (!rtpout_frame_h264(out, b, len, fr->fr_mono_ms, now_ms, wall_ms, ch)) {
			rtspview_h264_lost(v); /* over UDP, past the rate */
			return 0;
		}
	} else {
		/* the viewer's own credential in its note band, as for HTTP */
		if (rtspview_frame(v, c, fr, wall_ms, &b, &len) != 0 ||
		    (b != fr->fr_data && rtp_jpeg_parse(b, len, &own) != 0))
			return 0;
		if (!rtpout_frame(out, b != fr->fr_data ? &own : shared, fr->fr_mono_ms, now_ms,
		                  wall_ms, ch))
			return 0;
	}
	rtspview_sent(v, c, len, wall_ms);
	return 1;
}

/* stream: parts assembled from pieces without copying the frame, the view opened with the first
 * frame sent.
 *
 * Streams never block the request thread: a viewer with nothing to send is
 * parked in the hub (its connection suspended), which wakes it when the next
 * frame is published or the hub stops. */
#include "stream.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"

/* A stream view's progress reaches the database this often, so that a crash
 * can close it at (nearly) its last frame. */
#define STREAM_PROGRESS_MS 2000

web_action_e stream_begin(request_s *rq, int head_only, reply_s *out)
{
	web_s *web = rq->rq_web;

	if (head_only) {
		/* Unknown size, like the real stream: no Content-Length: 0. */
		respond_stream(web->wb_respond, out, 1);
		return WEB_REPLY;
	}
	if (guard_stream_begin(web->wb_guard, &rq->rq_gaddr) != 0) {
		respond_error(web->wb_respond, out, ERR_503);
		return WEB_REPLY;
	}
	rq->rq_streaming = 1;
	rq->rq_refs++; /* the response's reference, dropped by stream_release */
	hub_viewer_join(web->wb_hub);
	respond_stream(web->wb_respond, out, 0);
	return WEB_REPLY;
}

static void part_start(request_s *rq, frame_s *fr)
{
	stream_part_s *sp = &rq->rq_part;
	const uint8_t *jpeg[3];
	size_t jpeg_len[3], total;
	int n, k;

	if (rq->rq_track.tk_id == 0) {
		/* The view starts with the first frame sent; its credential is
		 * registered before that frame shows it. A view past its network's
		 * detail budget, or past the room for new views, is only counted,
		 * and shows no credential (one that no row could link to a viewer). */
		store_s *store = rq->rq_web->wb_store;
		int64_t id = store_next_view_id(store), now = clock_wall_ms();
		int full = rq->rq_detailed && store_views_full(store); /* db-max-mb: no room */
		if (rq->rq_detailed && !full) {
			request_credential(rq, id, now, 1);
			track_stream_open(&rq->rq_track, id, now, rq->rq_cred.tc_user,
			                  rq->rq_cred.tc_pass);
			rq->rq_track.tk_seq = rq->rq_cred.tc_seq;
			store_submit(
			    rq->rq_web->wb_store,
			    track_event(&rq->rq_track, &rq->rq_vis, EV_VIEW_OPEN, END_ERROR, now));
		} else {
			track_stream_open(&rq->rq_track, id, now, NULL, NULL);
			rq->rq_view_counted = 1;
			if (full)
				store_squeeze_view(store, rq->rq_net, now);
			else
				store_aggregate(store, rq->rq_net, now, "view");
		}
	} else if (rq->rq_note != NULL) {
		request_note_renew(rq); /* the note on this frame's light and grain */
	}
	k = frame_pieces(fr, rq->rq_note, rq->rq_note_len, jpeg, jpeg_len, &total);
	n = snprintf(sp->sp_head, sizeof(sp->sp_head),
	             "--%s\r\nContent-Type: image/jpeg\r\nContent-Length: %zu\r\n\r\n",
	             respond_boundary(rq->rq_web->wb_respond), total);
	sp->sp_frame = fr;
	sp->sp_last_seq = fr->fr_seq;
	sp->sp_npieces = 0;
	sp->sp_piece[sp->sp_npieces] = (const uint8_t *)sp->sp_head;
	sp->sp_piece_len[sp->sp_npieces++] =
	    n > 0 && (size_t)n < sizeof(sp->sp_head) ? (size_t)n : 0;
	for (int i = 0; i < k; i++) {
		sp->sp_piece[sp->sp_npieces] = jpeg[i];
		sp->sp_piece_len[sp->sp_npieces++] = jpeg_len[i];
	}
	sp->sp_piece[sp->sp_npieces] = (const uint8_t *)"\r\n";
	sp->sp_piece_len[sp->sp_npieces++] = 2;
	sp->sp_piece_i = 0;
	sp->sp_piece_off = 0;
}

static void part_done(request_s *rq)
{
	int64_t now = clock_wall_ms();

	frame_unref(rq->rq_part.sp_frame);
	rq->rq_part.sp_frame = NULL;
	if (track_frame(&rq->rq_track, now, STREAM_PROGRESS_MS) && !rq->rq_view_counted)
		store_submit(rq->rq_web->wb_store, track_event(&rq->rq_track, &rq->rq_vis,
		                                               EV_VIEW_PROGRESS, END_ERROR, now));
}

ssize_t stream_fill(request_s *rq, uint8_t *buf, size_t max)
{
	stream_part_s *sp = &rq->rq_part;
	hub_s *hub = rq->rq_web->wb_hub;
	int max_s = rq->rq_web->wb_cfg->cfg_max_stream_seconds;
	size_t n = 0;

	while (sp->sp_frame == NULL) {
		frame_s *fr;
		int rc;

		/* Between frames: a stream past its time ends cleanly. */
		if (max_s > 0 && rq->rq_track.tk_id != 0 &&
		    clock_wall_ms() - rq->rq_track.tk_started >= (int64_t)max_s * 1000) {
			rq->rq_end = END_LIMIT;
			rq->rq_end_set = 1;
			atomic_fetch_add(&rq->rq_web->wb_stream_limit, 1);
			return STREAM_END;
		}
		if ((fr = hub_latest(hub, sp->sp_last_seq, -1)) != NULL) {
			part_start(rq, fr);
			break;
		}
		rc = hub_park(hub, &rq->rq_waiter, sp->sp_last_seq);
		if (rc < 0) {
			rq->rq_end = END_SHUTDOWN;
			rq->rq_end_set = 1;
			return STREAM_END;
		}
		if (rc == 0)
			return 0; /* suspended until the next frame */
	}
	while (n < max && sp->sp_frame != NULL) {
		size_t left = sp->sp_piece_len[sp->sp_piece_i] - sp->sp_piece_off;
		size_t chunk = left < max - n ? left : max - n;

		memcpy(buf + n, sp->sp_piece[sp->sp_piece_i] + sp->sp_piece_off, chunk);
		n += chunk;
		sp->sp_piece_off += chunk;
		rq->rq_bytes += chunk;
		rq->rq_track.tk_bytes += chunk;
		if (sp->sp_piece_off == sp->sp_piece_len[sp->sp_piece_i]) {
			sp->sp_piece_i++;
			sp->sp_piece_off = 0;
			if (sp->sp_piece_i == sp->sp_npieces)
				part_done(rq);
		}
	}
	return (ssize_t)n;
}

void stream_release(request_s *rq)
{
	hub_viewer_leave(rq->rq_web->wb_hub);
	request_unref(rq);
}

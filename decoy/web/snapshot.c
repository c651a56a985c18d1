/* snapshot: fresh frames on demand, the poll view they belong to, and the note spliced into a copy.
 */
#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static void release_frame(void *arg)
{
	frame_unref(arg);
}

static int64_t next_view_id(void *store)
{
	return store_next_view_id(store);
}

/* The poll view this snapshot belongs to; its note bands (the caller's,
 * NULL when none) drawn over the current frame. */
static void poll_view(request_s *rq, const frame_s *fr, uint8_t **note, size_t *note_len)
{
	web_s *web = rq->rq_web;
	const visitor_s *v = &rq->rq_vis;
	poll_view_s *pv;

	*note = NULL;
	*note_len = 0;
	pv = polls_hit(web->wb_polls, v->vi_who.id_ip, v->vi_str[EVS_USER_AGENT].bs_data,
	               v->vi_str[EVS_USER_AGENT].bs_len, rq->rq_ts, fr->fr_len, next_view_id,
	               web->wb_store);
	if (pv == NULL)
		return;
	if (pv->pv_new && !rq->rq_detailed) {
		/* past the network's detail budget: counted, no row, no credential */
		pv->pv_counted = 1;
		store_aggregate(web->wb_store, rq->rq_net, rq->rq_ts, "view");
	} else if (pv->pv_new && store_views_full(web->wb_store)) {
		/* no room left for new views under db-max-mb: the same, for space */
		pv->pv_counted = 1;
		store_squeeze_view(web->wb_store, rq->rq_net, rq->rq_ts);
	}
	if (pv->pv_counted) {
		rq->rq_view_counted = 1;
		return;
	}
	if (pv->pv_new) {
		request_credential(rq, pv->pv_id, rq->rq_ts, 0);
		snprintf(pv->pv_user, sizeof(pv->pv_user), "%s", rq->rq_cred.tc_user);
		snprintf(pv->pv_pass, sizeof(pv->pv_pass), "%s", rq->rq_cred.tc_pass);
		pv->pv_seq = rq->rq_cred.tc_seq;
	}
	/* A poll viewer keeps its credential for the whole run; its note is
	 * drawn on the current bands for every snapshot (no cache to bound). */
	if (web->wb_per_viewer && pv->pv_pass[0] && fr->fr_splice_end > fr->fr_splice_start) {
		char text[2 * TRAP_FIELD_MAX + 8], err[256];
		trap_note_text(pv->pv_user, pv->pv_pass, text, sizeof(text));
		if (camera_note(web->wb_cam, text, note, note_len, err, sizeof(err)) != 0)
			log_debug("%s", err);
	}
	/* The whole poll view is written again with every snapshot it contains. */
	track_poll(&rq->rq_track, pv);
	store_submit(web->wb_store,
	             track_event(&rq->rq_track, v, EV_VIEW_OPEN, END_ERROR, rq->rq_ts));
}

/* The reply for frame fr (whose reference it takes). */
static web_action_e reply_frame(request_s *rq, frame_s *fr, reply_s *out)
{
	const bstr_s *method = &rq->rq_vis.vi_str[EVS_METHOD];
	const uint8_t *piece[3];
	size_t len[3], total;
	uint8_t *note = NULL, *own;
	size_t note_len = 0;
	int n;

	if (method->bs_data == NULL || strcmp(method->bs_data, "HEAD") != 0)
		poll_view(rq, fr, &note, &note_len);
	n = frame_pieces(fr, note, note_len, piece, len, &total);
	if (n == 1) {
		/* Zero copy: the reply holds the frame until it is sent. */
		respond_image(rq->rq_web->wb_respond, out, fr->fr_data, fr->fr_len, release_frame,
		              fr);
		free(note);
		return WEB_REPLY;
	}
	/* This viewer's own copy: the shared frame with its note spliced in. */
	own = malloc(total);
	for (size_t i = 0, off = 0; own != NULL && i < (size_t)n; off += len[i], i++)
		memcpy(own + off, piece[i], len[i]);
	free(note);
	frame_unref(fr);
	if (own == NULL)
		return WEB_FAIL;
	respond_image(rq->rq_web->wb_respond, out, own, total, free, own);
	return WEB_REPLY;
}

web_action_e snapshot_serve(request_s *rq, reply_s *out)
{
	hub_s *hub = rq->rq_web->wb_hub;
	frame_s *fr;
	int rc;

	if (rq->rq_snapshot_waited) {
		/* Resumed: the frame published meanwhile is as fresh as it gets. */
		if ((fr = hub_latest(hub, 0, -1)) != NULL)
			return reply_frame(rq, fr, out);
		respond_error(rq->rq_web->wb_respond, out, ERR_503);
		return WEB_REPLY;
	}
	hub_demand_snapshot(hub);
	if ((fr = hub_latest(hub, 0, hub_interval_ms(hub))) != NULL)
		return reply_frame(rq, fr, out);
	rq->rq_snapshot_waited = 1;
	rc = hub_park(hub, &rq->rq_waiter, hub_seq(hub));
	if (rc > 0 && (fr = hub_latest(hub, 0, -1)) != NULL)
		return reply_frame(rq, fr, out);
	if (rc != 0) {
		respond_error(rq->rq_web->wb_respond, out, ERR_503);
		return WEB_REPLY;
	}
	return WEB_PARKED; /* suspended; the server calls again once resumed */
}

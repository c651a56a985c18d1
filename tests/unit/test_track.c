/* test_track: the view lifecycle without sockets: a stream's open/progress/close events, a poll
 * view written whole, visitor bounds, frame splicing and reference counts. */
#include <stdlib.h>

#include "check.h"
#include "frame.h"
#include "track.h"
#include "visitor.h"

int main(void)
{
	visitor_s v = {0};
	track_s t;
	event_s *ev;
	char big[5000];

	/* the visitor keeps bounded copies with the lengths that arrived */
	snprintf(v.vi_who.id_ip, sizeof(v.vi_who.id_ip), "%s", "198.51.100.7");
	snprintf(v.vi_who.id_country, sizeof(v.vi_who.id_country), "%s", "JP");
	v.vi_who.id_port = 40000;
	memset(big, 'u', sizeof(big));
	CHECK(visitor_set(&v, EVS_USER_AGENT, big, sizeof(big)) == 0);
	CHECK(v.vi_str[EVS_USER_AGENT].bs_len == EV_USER_AGENT_MAX &&
	      v.vi_str[EVS_USER_AGENT].bs_orig == 5000);
	CHECK(visitor_set(&v, EVS_METHOD, "GET", 3) == 0);
	CHECK(visitor_target(&v, "/mjpg/video.mjpg?123&x=%00", 26) == 0);
	CHECK_STR(v.vi_str[EVS_PATH].bs_data, "/mjpg/video.mjpg");
	CHECK_STR(v.vi_str[EVS_QUERY].bs_data, "123&x=%00");
	CHECK(visitor_set(&v, EVS_REFERER, "http://www.insecam.org/", 23) == 0);
	v.vi_referer_class = "insecam";

	/* a request event carries everything; a view event no method, query or X-Forwarded-For */
	ev = visitor_event(&v, EV_REQUEST, 5);
	CHECK(ev != NULL && ev->ev_ts == 5 && ev->ev_str[EVS_QUERY] != NULL &&
	      ev->ev_str[EVS_METHOD] != NULL);
	CHECK(ev->ev_orig_len[EVS_USER_AGENT] == 5000 &&
	      ev->ev_len[EVS_USER_AGENT] == EV_USER_AGENT_MAX);
	CHECK_STR(ev->ev_client_class, "unknown"); /* unset classes get the catalogue's defaults */
	event_free(ev);

	/* a stream: opened with the first frame, progress at most every 2 s, closed at its last
	 * frame */
	track_stream_open(&t, 7, 1000, "admin", "Amber234!");
	ev = track_event(&t, &v, EV_VIEW_OPEN, END_ERROR, 1000);
	CHECK(ev != NULL && ev->ev_view_id == 7 && ev->ev_view_kind == VIEW_STREAM &&
	      ev->ev_started_at == 1000);
	CHECK(ev->ev_str[EVS_METHOD] == NULL && ev->ev_str[EVS_QUERY] == NULL &&
	      ev->ev_str[EVS_REFERER] != NULL);
	CHECK_STR(ev->ev_trap_pass, "Amber234!");
	CHECK(ev->ev_ended_at == 0 && ev->ev_end_reason == NULL);
	event_free(ev);
	int progress = 0;
	for (int i = 1; i <= 50; i++) /* 10 fps for 5 s */
		progress += track_frame(&t, 1000 + i * 100, 2000);
	CHECK(t.tk_frames == 50 && t.tk_last_frame == 6000 && progress == 2);
	ev = track_event(&t, &v, EV_VIEW_CLOSE, END_CLIENT_CLOSED, 9000);
	CHECK(ev != NULL && ev->ev_ended_at == 6000 && ev->ev_frames == 50);
	CHECK_STR(ev->ev_end_reason, "client_closed");
	CHECK(ev->ev_trap_pass[0] == '\0'); /* only view.open carries the credential */
	event_free(ev);
	/* a stream that never sent a frame ends where it started */
	track_stream_open(&t, 8, 2000, NULL, NULL);
	ev = track_event(&t, &v, EV_VIEW_CLOSE, END_SHUTDOWN, 2500);
	CHECK(ev != NULL && ev->ev_ended_at == 2000 && ev->ev_frames == 0);
	CHECK_STR(ev->ev_end_reason, "shutdown");
	event_free(ev);
	CHECK_STR(track_end_name(END_LIMIT), "limit");
	CHECK_STR(track_end_name(END_TIMEOUT), "timeout");
	CHECK_STR(track_end_name(END_COMPLETED), "completed");
	CHECK_STR(track_end_name(END_ERROR), "error");

	/* a poll view is written whole: ended one interval after its last snapshot, reason idle */
	poll_view_s pv = {.pv_id = 9,
	                  .pv_first = 1000,
	                  .pv_last = 10000,
	                  .pv_end = 11000,
	                  .pv_count = 10,
	                  .pv_bytes = 350000};
	snprintf(pv.pv_user, sizeof(pv.pv_user), "%s", "viewer");
	snprintf(pv.pv_pass, sizeof(pv.pv_pass), "%s", "Maple227");
	memset(&t, 0, sizeof(t));
	track_poll(&t, &pv);
	ev = track_event(&t, &v, EV_VIEW_OPEN, END_ERROR, 10000);
	CHECK(ev != NULL && ev->ev_view_kind == VIEW_POLL && ev->ev_ended_at == 11000 &&
	      ev->ev_frames == 10);
	CHECK(ev->ev_bytes == 350000 && ev->ev_ended_at - ev->ev_started_at == 10000);
	CHECK_STR(ev->ev_end_reason, "idle");
	CHECK_STR(ev->ev_trap_user, "viewer");
	event_free(ev);
	visitor_clear(&v);
	visitor_clear(&v); /* twice is harmless */

	/* frame_pieces: whole without a note, three pieces around it with one */
	uint8_t jpeg[100], note[7] = "NOTE!!";
	for (int i = 0; i < 100; i++)
		jpeg[i] = (uint8_t)i;
	frame_s *fr = frame_new(jpeg, sizeof(jpeg), 1, 0);
	const uint8_t *piece[3];
	size_t len[3], total;
	CHECK(fr != NULL && frame_pieces(fr, note, 6, piece, len, &total) == 1 && total == 100);
	fr->fr_splice_start = 40;
	fr->fr_splice_end = 60;
	CHECK(frame_pieces(fr, NULL, 0, piece, len, &total) == 1 && total == 100);
	CHECK(frame_pieces(fr, note, 6, piece, len, &total) == 3 && total == 86);
	CHECK(len[0] == 40 && piece[1] == note && len[1] == 6 && piece[2] == fr->fr_data + 60 &&
	      len[2] == 40);
	fr->fr_splice_end = 101; /* a splice past the end is ignored, never read */
	CHECK(frame_pieces(fr, note, 6, piece, len, &total) == 1);
	/* references: the last unref frees (ASan would see a leak or a double free) */
	CHECK(frame_ref(fr) == fr && atomic_load(&fr->fr_refs) == 2);
	frame_unref(fr);
	CHECK(atomic_load(&fr->fr_refs) == 1);
	frame_unref(fr);
	frame_unref(NULL);
	return check_report();
}

/* track: view state kept beside a request, turned into the view events the writer stores. */
#include "track.h"

#include <stdio.h>
#include <string.h>

const char *track_end_name(track_end_e end)
{
	switch (end) {
	case END_COMPLETED:
		return "completed";
	case END_TIMEOUT:
		return "timeout";
	case END_SHUTDOWN:
		return "shutdown";
	case END_CLIENT_CLOSED:
		return "client_closed";
	case END_LIMIT:
		return "limit";
	case END_ERROR:
		break;
	}
	return "error";
}

void track_stream_open(track_s *t, int64_t id, int64_t now_ms, const char *user, const char *pass)
{
	memset(t, 0, sizeof(*t));
	t->tk_id = id;
	t->tk_kind = VIEW_STREAM;
	t->tk_started = t->tk_last_progress = now_ms;
	snprintf(t->tk_user, sizeof(t->tk_user), "%s", user != NULL ? user : "");
	snprintf(t->tk_pass, sizeof(t->tk_pass), "%s", pass != NULL ? pass : "");
}

int track_frame(track_s *t, int64_t now_ms, int64_t progress_ms)
{
	t->tk_frames++;
	t->tk_last_frame = now_ms;
	if (now_ms - t->tk_last_progress < progress_ms)
		return 0;
	t->tk_last_progress = now_ms;
	return 1;
}

void track_poll(track_s *t, const poll_view_s *pv)
{
	t->tk_id = pv->pv_id;
	t->tk_kind = VIEW_POLL;
	t->tk_started = pv->pv_first;
	t->tk_last_frame = pv->pv_last;
	t->tk_poll_end = pv->pv_end;
	t->tk_frames = pv->pv_count;
	t->tk_bytes = pv->pv_bytes;
	snprintf(t->tk_user, sizeof(t->tk_user), "%s", pv->pv_user);
	snprintf(t->tk_pass, sizeof(t->tk_pass), "%s", pv->pv_pass);
	t->tk_seq = pv->pv_seq;
}

event_s *track_event(const track_s *t, const visitor_s *v, event_kind_e kind, track_end_e end,
                     int64_t now_ms)
{
	event_s *ev = visitor_event(v, kind, now_ms);

	if (ev == NULL)
		return NULL;
	ev->ev_view_id = t->tk_id;
	ev->ev_view_kind = t->tk_kind;
	ev->ev_started_at = t->tk_started;
	ev->ev_last_frame_at = t->tk_last_frame;
	ev->ev_frames = t->tk_frames;
	ev->ev_bytes = t->tk_bytes;
	if (kind == EV_VIEW_OPEN) {
		memcpy(ev->ev_trap_user, t->tk_user, sizeof(ev->ev_trap_user));
		memcpy(ev->ev_trap_pass, t->tk_pass, sizeof(ev->ev_trap_pass));
		ev->ev_trap_seq = t->tk_seq;
		if (t->tk_kind == VIEW_POLL) {
			ev->ev_ended_at = t->tk_poll_end;
			ev->ev_end_reason = "idle";
		}
	}
	/* A stream view ends at the last frame handed to the socket. */
	if (kind == EV_VIEW_CLOSE) {
		ev->ev_end_reason = track_end_name(end);
		ev->ev_ended_at = t->tk_last_frame ? t->tk_last_frame : t->tk_started;
	}
	return ev;
}

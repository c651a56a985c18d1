/* track: one viewing session's lifecycle (a stream, or a poller's run of
 * snapshots) and the view.open/progress/close events it yields. No sockets:
 * the web stage tells it what happened. */
#ifndef CAMDECOY_TRACK_H
#define CAMDECOY_TRACK_H

#include <stdint.h>

#include "event.h"
#include "polls.h"
#include "visitor.h"

/* How a stream ended. */
typedef enum {
	END_ERROR,         /* anything else */
	END_COMPLETED,     /* the response ended normally */
	END_TIMEOUT,       /* idle too long */
	END_SHUTDOWN,      /* the decoy stopped */
	END_CLIENT_CLOSED, /* a read or send failed: the viewer went away */
	END_LIMIT,         /* max-stream-seconds */
} track_end_e;

typedef struct {
	int64_t tk_id; /* 0: no view yet */
	view_kind_e tk_kind;
	int64_t tk_started;       /* first frame sent / first snapshot */
	int64_t tk_last_frame;    /* last frame handed to the socket / last snapshot */
	int64_t tk_last_progress; /* when progress last reached the database */
	int64_t tk_poll_end;      /* poll views: last + one interval */
	uint64_t tk_frames, tk_bytes;
	char tk_user[EV_TRAP_FIELD_MAX + 1],
	    tk_pass[EV_TRAP_FIELD_MAX + 1]; /* the trap credential shown */
	uint64_t tk_seq;                    /* its issue number, 0: none */
} track_s;

const char *track_end_name(track_end_e end);

/* A stream view starts as its first frame is sent, showing user/pass
 * (NULL: the trap is off). */
void track_stream_open(track_s *t, int64_t id, int64_t now_ms, const char *user, const char *pass);
/* A frame was handed to the socket at now_ms: 1 when progress is due (at
 * most every progress_ms, so a crash is closed near its last frame). */
int track_frame(track_s *t, int64_t now_ms, int64_t progress_ms);
/* The state of a poll view after one more snapshot (polls_hit's view). */
void track_poll(track_s *t, const poll_view_s *pv);

/* The event for the view's current state: EV_VIEW_OPEN (a poll view is
 * written whole every time, ended at its last snapshot plus an interval),
 * EV_VIEW_PROGRESS, or EV_VIEW_CLOSE with end. NULL when out of memory. */
event_s *track_event(const track_s *t, const visitor_s *v, event_kind_e kind, track_end_e end,
                     int64_t now_ms);

#endif

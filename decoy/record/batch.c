/* batch: one batch's rows under db-max-mb: a poll view written in its last state only, and what no
 * longer fits giving way row by row (room.h): squeezed into aggregated, skipped, or shed. */
#include "batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "htab.h"
#include "netaddr.h"

static int is_poll_view(const event_s *ev)
{
	return ev->ev_kind == EV_VIEW_OPEN && ev->ev_view_kind == VIEW_POLL;
}

/* The last event of one poll view in a batch. */
typedef struct {
	htab_node_s lt_node;
	const event_s *lt_ev;
	uint64_t lt_first_frames; /* of the view's first event in the batch */
} latest_s;

static int latest_eq(const htab_node_s *n, const void *key)
{
	return HTAB_ENTRY(n, latest_s, lt_node)->lt_ev->ev_view_id == *(const int64_t *)key;
}

static const latest_s *latest_of(const htab_s *t, const event_s *ev)
{
	htab_node_s *hn = htab_find(t, htab_hash(&ev->ev_view_id, sizeof(ev->ev_view_id)),
	                            latest_eq, &ev->ev_view_id);

	return hn != NULL ? HTAB_ENTRY(hn, latest_s, lt_node) : NULL;
}

/* Counts ev in aggregated instead of writing it, in this batch's table
 * (written with this batch). */
static void squeeze(batch_s *b, const event_s *ev, const char *kind, int64_t ts)
{
	char net[64];

	if (netaddr_truncate(ev->ev_who.id_ip, strlen(ev->ev_who.id_ip), 24, 64, net,
	                     sizeof(net)) != 0)
		snprintf(net, sizeof(net), "%s", "?");
	if (aggtab_add(b->bt_squeeze, ts / 3600000, kind, net, 1) != 0)
		(*b->bt_overflow)++;
	b->bt_squeezed++;
}

/* Counts ev as dropped: it did not fit at the cap. */
static void shed(batch_s *b, const event_s *ev)
{
	b->bt_shed++;
	if (ev->ev_kind == EV_REQUEST)
		b->bt_request_shed++;
}

/* One event that the room admits: its row, and a new view's credential. 0,
 * 1 when a row did not fit at the cap (undone alone: shed), -1 when the
 * transaction failed. */
static int write_one(sqlsink_s *sink, const event_s *ev)
{
	/* A view and its credential are written together or not at all. */
	int pair =
	    (ev->ev_kind == EV_VIEW_OPEN || ev->ev_kind == EV_EXPLOIT) && ev->ev_trap_seq != 0;

	if (pair && sqlsink_savepoint(sink) != 0)
		return -1;
	if (sqlsink_credential(sink, ev) == 0 && sqlsink_write(sink, ev) == 0)
		return pair ? sqlsink_release(sink, 0) : 0;
	if (!sqlsink_at_cap(sink))
		return -1;
	return pair && sqlsink_release(sink, 1) != 0 ? -1 : 1;
}

/* Whether ev gives way at level space; if so it is counted (squeezed,
 * skipped or shed) and gets no row. lt: a poll view's state in the batch. */
static int gives_way(batch_s *b, const event_s *ev, const latest_s *lt, room_e space)
{
	if ((int)space < room_gives_way(ev))
		return 0;
	switch (ev->ev_kind) {
	case EV_REQUEST:
		squeeze(b, ev, "request", ev->ev_ts);
		return 1;
	case EV_EXPLOIT:
		return 1; /* its request is counted (squeezed) in its place */
	case EV_VIEW_OPEN:
		if (sqlsink_view_exists(b->bt_sink, ev->ev_view_id))
			break;
		/* Counted once: at a stream's open, at a poll view's first
		 * snapshot. Its credential is not written: one no stored view
		 * links to a viewer is no evidence. */
		if (ev->ev_view_kind == VIEW_STREAM ||
		    (lt != NULL ? lt->lt_first_frames : ev->ev_frames) <= 1)
			squeeze(b, ev, "view", ev->ev_started_at);
		return 1;
	case EV_LOGIN:
		if (!room_evidence(ev)) {
			squeeze(b, ev, "login", ev->ev_ts);
			return 1;
		}
		shed(b, ev);
		return 1;
	default:
		break;
	}
	b->bt_updates++; /* an update of a view: no room for it in the reserve */
	return 1;
}

/* Writes the events of list: a poll view is rewritten whole by every
 * snapshot, so within a batch only its last state is written (a scanner
 * polling 10,000 times a second is one row update per batch, not 10,000
 * replaces). What no longer fits gives way row by row (room.h). 0, or -1
 * when the transaction failed. */
int batch_events(batch_s *b, event_s *list, size_t n)
{
	htab_s last = {0};
	latest_s *slots = n > 1 ? calloc(n, sizeof(*slots)) : NULL;
	size_t used = 0;
	int rc = 0;

	if (slots != NULL && htab_init(&last, n) != 0) {
		free(slots);
		slots = NULL;
	}
	for (event_s *ev = list; slots != NULL && ev != NULL; ev = ev->ev_next) {
		if (!is_poll_view(ev))
			continue;
		uint64_t h = htab_hash(&ev->ev_view_id, sizeof(ev->ev_view_id));
		htab_node_s *hn = htab_find(&last, h, latest_eq, &ev->ev_view_id);
		if (hn != NULL) {
			HTAB_ENTRY(hn, latest_s, lt_node)->lt_ev = ev;
		} else {
			slots[used].lt_ev = ev;
			slots[used].lt_first_frames = ev->ev_frames;
			htab_insert(&last, &slots[used++].lt_node, h);
		}
	}
	for (event_s *ev = list; rc == 0 && ev != NULL; ev = ev->ev_next) {
		const latest_s *lt =
		    slots != NULL && is_poll_view(ev) ? latest_of(&last, ev) : NULL;
		if (lt != NULL && lt->lt_ev != ev)
			continue; /* superseded later in this batch */
		if (gives_way(b, ev, lt, b->bt_room(b->bt_room_arg)))
			continue;
		if ((rc = write_one(b->bt_sink, ev)) == 1) {
			shed(b, ev);
			rc = 0;
		}
	}
	htab_destroy(&last);
	free(slots);
	return rc;
}

/* Adds list's counts to aggregated; a count that does not fit at the cap
 * is lost and counted as dropped (its requests too: the counters add up).
 * 0, or -1 when the transaction failed. */
int batch_aggregates(batch_s *b, agg_s *list, int fold)
{
	for (agg_s *a = list; a != NULL; a = a->ag_next) {
		if (sqlsink_aggregate(b->bt_sink, a, fold) == 0)
			continue;
		if (!sqlsink_at_cap(b->bt_sink))
			return -1;
		b->bt_lost += a->ag_count;
		if (strcmp(a->ag_kind, "request") == 0)
			b->bt_request_shed += a->ag_count;
	}
	return 0;
}

/* batch: the rows of one batch written under the cap (batch.c), inside the writer's transaction. */
#ifndef CAMDECOY_BATCH_H
#define CAMDECOY_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"
#include "event.h"
#include "room.h"
#include "sqlsink.h"

/* One batch: where its rows go, and what it did instead of writing rows
 * (applied to the stats only when its commit succeeds: a batch that fails
 * is written again, and would count twice). */
typedef struct {
	sqlsink_s *bt_sink;
	aggtab_s *bt_squeeze;         /* counts of the rows squeezed, written with the batch */
	uint64_t *bt_overflow;        /* counts lost to out-of-memory */
	room_e (*bt_room)(void *arg); /* how full the database is now (asked before every row) */
	void *bt_room_arg;
	uint64_t bt_squeezed;     /* rows counted in aggregated instead */
	uint64_t bt_shed;         /* events that did not fit at the cap */
	uint64_t bt_lost;         /* aggregated counts that did not */
	uint64_t bt_request_shed; /* requests among both */
	uint64_t bt_updates;      /* view updates skipped in the reserve */
} batch_s;

/* Writes the events of list (n of them): 0, or -1 when the transaction failed. */
int batch_events(batch_s *b, event_s *list, size_t n);

/* Adds list's counts to aggregated (fold: networks without a row share "*"):
 * 0, or -1 when the transaction failed. */
int batch_aggregates(batch_s *b, agg_s *list, int fold);

#endif

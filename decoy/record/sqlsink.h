/* sqlsink: the SQLite database behind the writer: opening, migrations, and one row per event. */
#ifndef CAMDECOY_SQLSINK_H
#define CAMDECOY_SQLSINK_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"
#include "event.h"

typedef struct sqlsink sqlsink_s;

typedef struct {
	const char *so_path;
	const char *so_sensor, *so_persona, *so_version; /* copied */
	const char *so_geoip_type;                       /* NULL: no GeoIP database */
	long long so_geoip_build;
	const char *so_geoip_asn_type; /* NULL: no ASN database */
	long long so_geoip_asn_build;
	int so_max_mb; /* size cap in MiB of the file and its WAL; 0: none */
} sqlsink_conf_s;

/* Opens (creating or migrating) the database, closes the views a crash left
 * open and writes meta. NULL with err filled on failure. */
sqlsink_s *sqlsink_open(const sqlsink_conf_s *conf, char *err, size_t errlen);
void sqlsink_close(sqlsink_s *s);

/* Calls fn for every row of the counters table (read at open: counters
 * are totals over the database's life). 0 or -1. */
int sqlsink_each_counter(sqlsink_s *s, void (*fn)(void *arg, const char *name, uint64_t value),
                         void *arg);
/* meta.state: "running" from open, "stopped" once everything was written. 0 or -1. */
int sqlsink_state(sqlsink_s *s, const char *state);
/* Whether meta.state said "running" at open (the last writer crashed). */
int sqlsink_was_running(const sqlsink_s *s);

/* The handle, for retention and checkpoints (the writer thread's only). */
sqlite3 *sqlsink_db(sqlsink_s *s);
/* Views closed at open because a crash left them open. */
uint64_t sqlsink_recovered(const sqlsink_s *s);
/* The largest views.id at open (new ids continue after it). */
int64_t sqlsink_max_view_id(const sqlsink_s *s);

/* Bytes the database holds (page_count x page_size, this transaction's
 * pages included). */
int64_t sqlsink_bytes(sqlsink_s *s);
/* The most the database may hold (7/8 of db-max-mb, max_page_count; the
 * WAL has the rest); 0: no cap. */
int64_t sqlsink_limit_bytes(const sqlsink_s *s);
/* The size of the WAL file; 0 without a cap (not measured). */
int64_t sqlsink_wal_bytes(const sqlsink_s *s);
/* After a failed row: whether it failed because the database is at its
 * cap, with the transaction still open (the row alone was undone). */
int sqlsink_at_cap(sqlsink_s *s);
/* After a failure: whether it came from space, the disk or memory (it may
 * pass), not from the rows (it would come back every time). */
int sqlsink_space_failure(sqlsink_s *s);
int64_t sqlsink_page_size(const sqlsink_s *s);
/* Whether views has a row with this id. */
int sqlsink_view_exists(sqlsink_s *s, int64_t id);

/* A transaction around a batch: 0 or -1. */
int sqlsink_begin(sqlsink_s *s);
int sqlsink_commit(sqlsink_s *s);
void sqlsink_rollback(sqlsink_s *s);
/* Rows inside a transaction kept or undone together: a savepoint, then
 * release(undo 0: keep them, 1: undo them). 0 or -1. */
int sqlsink_savepoint(sqlsink_s *s);
int sqlsink_release(sqlsink_s *s, int undo);

/* One event's row (insert or update): 0 or -1. */
int sqlsink_write(sqlsink_s *s, const event_s *ev);
/* A view.open that shows a per-viewer credential: its credentials row (once;
 * written even when the view itself is only counted). */
int sqlsink_credential(sqlsink_s *s, const event_s *ev);
/* Adds a count to aggregated: 0 or -1. fold: only to a row that exists,
 * else to the hour's row for network "*" (no new row per network when
 * space is short). */
int sqlsink_aggregate(sqlsink_s *s, const agg_s *a, int fold);
/* Sets a counter: 0 or -1. */
int sqlsink_counter(sqlsink_s *s, const char *name, uint64_t value);

/* The schema version this build writes (PRAGMA user_version). */
int sqlsink_schema_version(void);

#endif

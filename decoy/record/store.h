/* store: the event queue and its writer thread, in front of the SQLite database and the JSON event
 * log. */
#ifndef CAMDECOY_STORE_H
#define CAMDECOY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "counters.h" /* store_counter_s */
#include "event.h"
#include "sqlsink.h"

typedef struct store store_s;

typedef struct {
	const char *sc_db_path;  /* SQLite file (WAL) */
	const char *sc_log_path; /* JSON lines: a file, "-" for stdout, "" or NULL for none */
	const char *sc_sensor;   /* stored on every row */
	const char *sc_persona;
	const char *sc_version;
	const char *sc_geoip_type; /* NULL: no GeoIP database */
	long long sc_geoip_build;
	const char *sc_geoip_asn_type; /* NULL: no ASN database */
	long long sc_geoip_asn_build;
	size_t sc_queue_max;       /* events held at most before new ones are dropped */
	int sc_max_mb;             /* database size cap in MiB (max_page_count); 0: none */
	int sc_retention_days;     /* 0: keep rows for ever */
	int sc_retention_truncate; /* 1: truncate addresses to /24 and /48; 0: delete rows */
} store_conf_s;

typedef struct {
	uint64_t ss_submitted;
	uint64_t ss_written;         /* committed to the database */
	uint64_t ss_dropped;         /* queue full, out of memory, or unwritable at shutdown */
	uint64_t ss_request_dropped; /* of those, http.request events (the counters' invariant needs
	                                them) */
	uint64_t ss_write_failures;  /* batches that failed to commit (retried) */
	uint64_t ss_batches;
	uint64_t ss_recovered;    /* views closed at start-up after a crash */
	uint64_t ss_aggregated;   /* requests and logins counted without a row */
	uint64_t ss_log_failures; /* JSON log lines that could not be written */
	uint64_t ss_retained;     /* rows deleted or truncated by retention */
	int ss_unclean_start;     /* the previous writer did not stop cleanly (crash, kill -9) */
	uint64_t ss_squeezed;     /* requests, new views and logins without a trap credential
	                           * counted instead of written: space kept for credential uses */
	uint64_t ss_shed; /* of the dropped: events (and aggregated counts) that did not fit at the
	                     cap */
	uint64_t ss_updates_skipped; /* view updates not written in the reserve */
} store_stats_s;

/* Opens (creating or migrating) the database and closes views a crash left
 * open; strings in conf are copied. NULL with err filled on failure. */
store_s *store_open(const store_conf_s *conf, char *err, size_t errlen);
int store_start(store_s *st, char *err, size_t errlen);
/* Flushes everything queued, then stops the writer thread. */
void store_stop(store_s *st);
void store_free(store_s *st);

/* Hands ev to the writer (takes ownership). Never waits on SQLite: when the
 * queue is full the event is freed, counted as dropped, and -1 returned. */
int store_submit(store_s *st, event_s *ev);

/* Counts an event of kind that could not even be made (out of memory) as dropped. */
void store_dropped(store_s *st, event_kind_e kind);

/* Counts one request, login or view (kind "request", "login" or "view", static strings)
 * from network that gets no detailed row; written with the next commit.
 * Never blocks on SQLite. */
void store_aggregate(store_s *st, const char *network, int64_t ts_ms, const char *kind);

/* Whether the database is past the line for new views (db-max-mb): a new
 * view then shows no per-viewer credential and gets no row; the caller
 * counts it with store_squeeze_view. Never blocks. */
int store_views_full(store_s *st);
/* Counts one view that gets no row for space (rows_squeezed, and in
 * aggregated as kind "view"). */
void store_squeeze_view(store_s *st, const char *network, int64_t ts_ms);

/* Counters of other modules, written with every commit (before store_start). */
void store_set_counters(store_s *st, store_counters_fn fn, void *arg);

/* Takes the registered counters' values one last time and keeps them, so
 * that their module can be freed before the last commit. */
void store_freeze_counters(store_s *st);

/* A new views.id, unique in this database (allocated here so that request
 * threads know a view's id before its first frame is sent). */
int64_t store_next_view_id(store_s *st);

void store_stats(store_s *st, store_stats_s *out);

/* The schema version this build writes (PRAGMA user_version). */
int store_schema_version(void);

#endif

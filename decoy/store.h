/* store: the SQLite event database and the JSON event log, fed through one writer thread. */
#ifndef CAMDECOY_STORE_H
#define CAMDECOY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

typedef struct store store_s;

typedef struct {
	const char *sc_db_path;     /* SQLite file (WAL) */
	const char *sc_log_path;    /* JSON lines: a file, "-" for stdout, "" or NULL for none */
	const char *sc_sensor;      /* stored on every row */
	const char *sc_persona;
	const char *sc_version;
	const char *sc_geoip_type;  /* NULL: no GeoIP database */
	long long sc_geoip_build;
	size_t sc_queue_max;        /* events held at most before new ones are dropped */
} store_conf_s;

typedef struct {
	uint64_t ss_submitted;
	uint64_t ss_written;        /* committed to the database */
	uint64_t ss_dropped;        /* queue full */
	uint64_t ss_write_failures; /* batches that failed to commit (retried) */
	uint64_t ss_batches;
	uint64_t ss_recovered;      /* views closed at start-up after a crash */
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

/* A trap credential read back from the views table. */
typedef struct {
	int64_t sc_view_id;
	const char *sc_user, *sc_pass, *sc_ip, *sc_country, *sc_referer_class;
	int64_t sc_shown_at;
} store_cred_s;

/* Calls fn for every credential a view showed (before store_start only). */
int store_each_credential(store_s *st, void (*fn)(void *arg, const store_cred_s *c), void *arg);

/* A new views.id, unique in this database (allocated here so that request
 * threads know a view's id before its first frame is sent). */
int64_t store_next_view_id(store_s *st);

void store_stats(store_s *st, store_stats_s *out);

/* The schema version this build writes (PRAGMA user_version). */
int store_schema_version(void);

#endif

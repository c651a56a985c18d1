/* ship: the fleet shipper. One thread sends the rows of the local SQLite
 * database (the durable spool) to ClickHouse over its HTTP interface, in
 * batches after a per-table watermark kept in meta, and moves a watermark
 * only after ClickHouse acknowledged the batch. A batch resent after a crash
 * lands on the same (sensor, db_id, id) keys, which ReplacingMergeTree keeps
 * once; a view that changed ships again with a larger ship_seq (schema 8).
 * While ClickHouse is down the decoy goes on recording; the shipper retries
 * with back-off and resumes from the watermarks, also after a restart. */
#ifndef CAMDECOY_SHIP_H
#define CAMDECOY_SHIP_H

#include <stddef.h>
#include <stdint.h>

typedef struct ship ship_s;

typedef struct {
	const char *sh_url;      /* http(s)://host:port/ of the HTTP interface */
	const char *sh_database; /* an identifier (config checks it) */
	const char *sh_user;     /* "" or NULL: the server's default */
	const char *sh_password; /* "" or NULL: none */
	const char *sh_db_path;  /* the SQLite database (opened a second time) */
	const char *sh_sensor;   /* for the rows that do not carry it */
	int sh_batch;            /* rows per INSERT */
	int sh_interval_ms;      /* between rounds */
	int sh_flush_ms;         /* ship_stop's last round may take this long */
} ship_conf_s;

typedef struct {
	uint64_t ss_rows;           /* rows acknowledged by ClickHouse */
	uint64_t ss_batches;        /* INSERTs acknowledged */
	uint64_t ss_failed_batches; /* INSERTs (or the schema) that failed */
	uint64_t ss_pending;        /* rows after the watermarks, as of the last round */
	int64_t ss_lag_ms;          /* 0 when caught up, else since it last was */
	int ss_up;                  /* the last request to ClickHouse succeeded */
} ship_stats_s;

/* Opens its own connection to the database (migrated already: the store
 * opens first) and reads the watermarks. NULL with err filled. */
ship_s *ship_new(const ship_conf_s *conf, char *err, size_t errlen);
int ship_start(ship_s *s, char *err, size_t errlen);
/* Stops the thread after one last round of at most sh_flush_ms; what is
 * left ships on the next start. */
void ship_stop(ship_s *s);
void ship_free(ship_s *s);
void ship_stats(ship_s *s, ship_stats_s *out);

/* One round without the thread (tests): every table until caught up, a
 * failure, or the monotonic deadline. 0 caught up, 1 rows left, -1 failed. */
int ship_round(ship_s *s, int64_t deadline_ms);

#endif

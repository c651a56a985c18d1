/* rdb: one or more decoy databases opened read-only and merged for reporting. */
#ifndef CAMDECOY_RDB_H
#define CAMDECOY_RDB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	sqlite3 *rd_db;
	int rd_ndb;
	/* filters, bound to :since :until :sensor :persona in every query */
	int64_t rd_since, rd_until; /* ms, inclusive/exclusive */
	const char *rd_sensor, *rd_persona;
	int rd_hosts_ready;
	int rd_skipped; /* files given that were the same database as another (counted once) */
	int rd_merged;  /* > 0: that many databases, copied into one temporary database */
} rdb_s;

/* Opens the databases read-only, each once (the same file, or two copies of
 * one sensor's database, identified by meta's sensor and db_id: the copy with
 * the most rows is read), attaching them to the first or, past SQLite's
 * attach limit, copying them into one temporary database; creates the temporary
 * views r (requests), v (views), l (logins), s (merged viewing sessions),
 * hh (host_hours) and vh (view_hours) over all of them, the sensor column
 * kept. Safe while decoys write (WAL). */
rdb_s *rdb_open(const char *const *paths, int n, char *err, size_t errlen);
void rdb_close(rdb_s *rd);

/* Once per run, after the filters are set, from one scan of host_hours:
 * the temporary tables hs (one row per sensor and host: the OR of its flags
 * as 0/1 columns a i dir se sf no ot b sc f, and a country: that of its
 * earliest host-hour with one, the smaller code within that hour) and hdays (per
 * day in the report's zone: hosts that accessed a, came from Insecam i,
 * fetched images f, browsers b, scanners sc). */
int rdb_hosts(rdb_s *rd, char *err, size_t errlen);

/* Prepares sql and binds the filter parameters it names. NULL with err filled. */
sqlite3_stmt *rdb_prepare(rdb_s *rd, const char *sql, char *err, size_t errlen);

#endif

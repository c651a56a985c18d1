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
	int64_t rd_since, rd_until;  /* ms, inclusive/exclusive */
	const char *rd_sensor, *rd_persona;
} rdb_s;

/* Opens paths[0] read-only and attaches the rest; creates the temporary
 * views r (requests), v (views), l (logins), s (merged viewing sessions),
 * hh (host_hours) and vh (view_hours) over all of them, the sensor column
 * kept. Safe while decoys write (WAL). */
rdb_s *rdb_open(const char *const *paths, int n, char *err, size_t errlen);
void rdb_close(rdb_s *rd);

/* Prepares sql and binds the filter parameters it names. NULL with err filled. */
sqlite3_stmt *rdb_prepare(rdb_s *rd, const char *sql, char *err, size_t errlen);

#endif

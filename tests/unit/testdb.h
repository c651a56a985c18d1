/* testdb: reading a decoy database back in unit tests (a fresh connection per question). */
#ifndef CAMDECOY_TESTDB_H
#define CAMDECOY_TESTDB_H

#include <sqlite3.h>
#include <stdint.h>

/* The first column of the first row of sql on db, or -1. */
static inline int64_t query_int(const char *db, const char *sql)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *q = NULL;
	int64_t v = -1;

	if (sqlite3_open(db, &h) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(h);
	return v;
}

#endif

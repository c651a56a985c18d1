/* fleet: which of the databases given to read (each once), and merging more than SQLite attaches.
 */
#ifndef CAMDECOY_FLEET_H
#define CAMDECOY_FLEET_H

#include "rdb.h"

/* The paths to read: each database once (the same file, or copies of one
 * sensor's database, identified by meta's sensor and db_id, count once; the
 * copy with the most rows is kept). Returns how many, in use[] (indexes into
 * paths; room for n); *skipped: how many were left out. -1 with err filled. */
int fleet_unique(const char *const *paths, int n, int *use, int *skipped, char *err, size_t errlen);

/* Copies the rows of paths[use[0..nuse-1]], one database at a time, into a
 * new private temporary database opened as rd->rd_db. 0, or -1 with err. */
int fleet_copy(rdb_s *rd, const char *const *paths, const int *use, int nuse, char *err,
               size_t errlen);

#endif

/* fleet: which of the databases given to read (each once), merging more than SQLite attaches, and
 * the file helpers rdb.c opens them with. */
#ifndef CAMDECOY_FLEET_H
#define CAMDECOY_FLEET_H

#include <sqlite3.h>
#include <stddef.h>

/* The paths to read: each database once (the same file, or copies of one
 * sensor's database, identified by meta's sensor and db_id, count once; the
 * copy with the most rows is kept). Returns how many, in use[] (indexes into
 * paths; room for n); *skipped: how many were left out. -1 with err filled. */
int fleet_unique(const char *const *paths, int n, int *use, int *skipped, char *err, size_t errlen);

/* Copies the rows of paths[use[0..nuse-1]], one database at a time, into a
 * new private temporary database opened as *db (the caller closes it, also
 * after a failure). 0, or -1 with err. */
int fleet_copy(sqlite3 **db, const char *const *paths, const int *use, int nuse, char *err,
               size_t errlen);

/* A read-only file: URI for path (reserved characters percent-encoded). */
void fleet_file_uri(const char *path, char *out, size_t cap);
/* Whether schema ("main", "db1", "src") has a table or view called name. */
int fleet_has_table(sqlite3 *db, const char *schema, const char *name);

#endif

/* migrate: refusing databases this build must not write, and bringing the others to its schema. */
#ifndef CAMDECOY_MIGRATE_H
#define CAMDECOY_MIGRATE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* Refuses, before a byte changes, a database from a newer camdecoy, an
 * SQLite database that is not a camdecoy one, a file that is not SQLite and
 * one failing PRAGMA quick_check. 0, or -1 with err saying which (path named). */
int migrate_inspect(sqlite3 *db, const char *path, char *err, size_t errlen);

/* sql run on db: 0, or -1 with err ("database: ..."). */
int migrate_exec(sqlite3 *db, const char *sql, char *err, size_t errlen);
/* The first column of sql's first row, or dflt. */
int64_t migrate_int(sqlite3 *db, const char *sql, int64_t dflt);

/* Applies the migrations after PRAGMA user_version, one transaction each. 0 or -1. */
int migrate_apply(sqlite3 *db, char *err, size_t errlen);

#endif

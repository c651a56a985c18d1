/* migrate: what a database must be before this build writes to it, and the numbered migrations
 * applied in order. */
#include "migrate.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "schema.h"

int migrate_exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "database: %s", msg != NULL ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int64_t migrate_int(sqlite3 *db, const char *sql, int64_t dflt)
{
	sqlite3_stmt *q;
	int64_t v = dflt;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

/* Refuses, before a byte is changed, a database this build must not write:
 * one from a newer camdecoy, one that is not a camdecoy database, one with
 * corrupt pages. 0, or -1 with err saying which. */
int migrate_inspect(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	int64_t version = migrate_int(db, "PRAGMA user_version", -1);
	int64_t objects = migrate_int(db, "SELECT COUNT(*) FROM sqlite_master", -1);
	sqlite3_stmt *q;
	int ok = 0;

	if (version < 0 || objects < 0) {
		snprintf(err, errlen, "database: %s is not an SQLite database (%s)", path,
		         sqlite3_errmsg(db));
		return -1;
	}
	if (objects == 0)
		return 0; /* new */
	if (version > (int64_t)schema_count) {
		snprintf(
		    err, errlen,
		    "database: %s has schema version %lld, newer than this camdecoy (%d): refused",
		    path, (long long)version, (int)schema_count);
		return -1;
	}
	if (version == 0 || migrate_int(db,
	                                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
	                                " AND name IN ('meta', 'requests', 'views', 'counters')",
	                                0) != 4) {
		snprintf(err, errlen,
		         "database: %s is an SQLite database but not a camdecoy one: refused",
		         path);
		return -1;
	}
	if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(q, 0);
		ok = r != NULL && strcmp(r, "ok") == 0;
	}
	sqlite3_finalize(q);
	if (!ok) {
		snprintf(
		    err, errlen,
		    "database: %s failed PRAGMA quick_check (corrupt pages): refused; copy it aside"
		    " and start on a new file",
		    path);
		return -1;
	}
	return 0;
}

int migrate_apply(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *q;
	int version = 0, want = (int)schema_count;
	char sql[64];

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
		return -1;
	}
	if (sqlite3_step(q) == SQLITE_ROW)
		version = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (version > want) {
		snprintf(err, errlen,
		         "database: schema version %d is newer than this camdecoy (%d)", version,
		         want);
		return -1;
	}
	for (int v = version; v < want; v++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d;", v + 1);
		if (migrate_exec(db, "BEGIN IMMEDIATE;", err, errlen) != 0)
			return -1;
		if (migrate_exec(db, schema_migrations[v], err, errlen) != 0 ||
		    migrate_exec(db, sql, err, errlen) != 0) {
			sqlite3_exec(db, "ROLLBACK;", NULL, NULL, NULL);
			return -1;
		}
		if (migrate_exec(db, "COMMIT;", err, errlen) != 0)
			return -1;
	}
	return 0;
}

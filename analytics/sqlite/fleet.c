/* fleet: many decoy databases read as one: each counted once, and copied together past SQLite's
 * attach limit. */
#include "fleet.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* file: URI for a path: reserved characters percent-encoded. */
void fleet_file_uri(const char *path, char *out, size_t cap)
{
	size_t n = 0;

	n += (size_t)snprintf(out, cap, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p && n + 4 < cap; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 || *p >= 0x7f)
			n += (size_t)snprintf(out + n, cap - n, "%%%02X", *p);
		else
			out[n++] = (char)*p;
	}
	snprintf(out + n, cap - n, "?mode=ro");
}

int fleet_has_table(sqlite3 *db, const char *schema, const char *name)
{
	char sql[160];
	sqlite3_stmt *q;
	int found = 0;

	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s.sqlite_master WHERE name = ?", schema);
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	return found;
}

/* What identifies a database: its sensor and db_id (meta, schema 5), or for
 * older files the file itself; and how much it holds (to keep the fuller of
 * two copies). 0, or -1 with err filled. */
static int identify(const char *path, char *key, size_t cap, int64_t *rows, char *err,
                    size_t errlen)
{
	char uri[4200];
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	struct stat sb;
	int rc = -1;

	fleet_file_uri(path, uri, sizeof(uri));
	if (stat(path, &sb) != 0 ||
	    sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "report: cannot open %s", path);
		goto out;
	}
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db,
	                       "SELECT (SELECT value FROM meta WHERE key = 'sensor'), (SELECT "
	                       "value FROM meta WHERE key = 'db_id'),"
	                       " (SELECT IFNULL(MAX(rowid), 0) FROM requests) + (SELECT "
	                       "IFNULL(MAX(rowid), 0) FROM views)",
	                       -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_step(q) != SQLITE_ROW) {
		snprintf(err, errlen, "report: %s is not a camdecoy database", path);
		goto out;
	}
	const char *sensor = (const char *)sqlite3_column_text(q, 0),
	           *id = (const char *)sqlite3_column_text(q, 1);
	if (id != NULL)
		snprintf(key, cap, "%s/%s", sensor != NULL ? sensor : "", id);
	else
		snprintf(key, cap, "file %llu:%llu", (unsigned long long)sb.st_dev,
		         (unsigned long long)sb.st_ino);
	*rows = sqlite3_column_int64(q, 2);
	rc = 0;
out:
	sqlite3_finalize(q);
	sqlite3_close(db);
	return rc;
}

/* The paths to read: each database once (the same file, or copies of one
 * sensor's database, count once: the copy with the most rows is kept).
 * Returns how many, in use[] (indexes into paths); -1 on error. */
int fleet_unique(const char *const *paths, int n, int *use, int *skipped, char *err, size_t errlen)
{
	char(*keys)[160] = calloc((size_t)n, sizeof(*keys));
	int64_t *rows = calloc((size_t)n, sizeof(*rows));
	int nuse = 0;

	*skipped = 0;
	if (keys == NULL || rows == NULL) {
		snprintf(err, errlen, "report: out of memory");
		nuse = -1;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		int j;
		if (identify(paths[i], keys[i], sizeof(keys[i]), &rows[i], err, errlen) != 0) {
			nuse = -1;
			goto out;
		}
		for (j = 0; j < nuse && strcmp(keys[use[j]], keys[i]) != 0; j++)
			;
		if (j == nuse) {
			use[nuse++] = i;
			continue;
		}
		(*skipped)++;
		if (rows[i] > rows[use[j]])
			use[j] = i;
	}
out:
	free(keys);
	free(rows);
	return nuse;
}

/* The columns of table that both main and src have, quoted as identifiers
 * (a file given to the report is not trusted to name its columns well). */
static int common_cols(sqlite3 *db, const char *table, char *out, size_t cap)
{
	sqlite3_stmt *q;
	int rc = -1;

	if (sqlite3_prepare_v2(db,
	                       "SELECT group_concat('\"' || replace(name, '\"', '\"\"') || '\"', "
	                       "', ') FROM pragma_table_info(?1, 'main')"
	                       " WHERE name IN (SELECT name FROM pragma_table_info(?1, 'src'))",
	                       -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) != NULL) {
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(q, 0));
		rc = 0;
	}
	sqlite3_finalize(q);
	return rc;
}

/* More databases than SQLite attaches at once (10 in Debian's build): their
 * rows are copied, one database at a time, into a private temporary
 * database that every query then reads as if it were one file. */
int fleet_copy(sqlite3 **out, const char *const *paths, const int *use, int nuse, char *err,
               size_t errlen)
{
	static const char *const tables[] = {"requests",   "views",      "logins",  "host_hours",
	                                     "view_hours", "aggregated", "exploits"};
	char uri[4200], sql[8192 + 64], cols[4000];
	sqlite3 *db;

	if (sqlite3_open_v2("", out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "report: cannot create a temporary database");
		return -1;
	}
	db = *out; /* the caller closes it, also after a failure */
	sqlite3_exec(
	    db,
	    "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY;"
	    " PRAGMA cache_size = -131072;",
	    NULL, NULL, NULL);
	for (int k = 0; k < nuse; k++) {
		sqlite3_stmt *q;
		int ok;
		fleet_file_uri(paths[use[k]], uri, sizeof(uri));
		if (sqlite3_prepare_v2(db, "ATTACH DATABASE ?1 AS src", -1, &q, NULL) != SQLITE_OK)
			goto sqlerr;
		sqlite3_bind_text(q, 1, uri, -1, SQLITE_STATIC);
		ok = sqlite3_step(q) == SQLITE_DONE;
		sqlite3_finalize(q);
		if (!ok)
			goto sqlerr;
		if (!fleet_has_table(db, "src", "requests") ||
		    !fleet_has_table(db, "src", "host_hours")) {
			snprintf(err, errlen,
			         "report: %s is not a camdecoy database of schema 3 or later",
			         paths[use[k]]);
			return -1;
		}
		if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
			goto sqlerr;
		for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
			if (!fleet_has_table(db, "src", tables[t]))
				continue;
			int len;
			if (!fleet_has_table(db, "main", tables[t]))
				len = snprintf(sql, sizeof(sql),
				               "CREATE TABLE main.%s AS SELECT * FROM src.%s",
				               tables[t], tables[t]);
			else if (common_cols(db, tables[t], cols, sizeof(cols)) == 0)
				len =
				    snprintf(sql, sizeof(sql),
				             "INSERT INTO main.%.20s (%s) SELECT %s FROM src.%.20s",
				             tables[t], cols, cols, tables[t]);
			else
				continue;
			if (len < 0 || (size_t)len >= sizeof(sql))
				goto sqlerr;
			if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
				goto sqlerr;
		}
		if (k == 0) {
			/* the merged-sessions view, as the decoy's schema defines it */
			if (sqlite3_prepare_v2(
			        db,
			        "SELECT sql FROM src.sqlite_master WHERE name = 'view_sessions'",
			        -1, &q, NULL) == SQLITE_OK &&
			    sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) != NULL)
				snprintf(sql, sizeof(sql), "%s",
				         (const char *)sqlite3_column_text(q, 0));
			else
				sql[0] = '\0';
			sqlite3_finalize(q);
			if (sql[0] != '\0' && sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
				goto sqlerr;
		}
		if (sqlite3_exec(db, "COMMIT; DETACH DATABASE src;", NULL, NULL, NULL) != SQLITE_OK)
			goto sqlerr;
	}
	if (sqlite3_exec(db,
	                 "CREATE INDEX views_session ON views(sensor, src_ip, user_agent, "
	                 "started_at, id, country,"
	                 " ended_at, last_frame_at, frames, referer_class, client_class);",
	                 NULL, NULL, NULL) != SQLITE_OK)
		goto sqlerr;
	return 0;
sqlerr:
	snprintf(err, errlen, "report: merging %d databases: %s", nuse, sqlite3_errmsg(db));
	return -1;
}

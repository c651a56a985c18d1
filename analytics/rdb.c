/* rdb: read-only opening, ATTACH for fleets, and the merged views every report reads. */
#include "rdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RDB_MAX 62 /* SQLite's attach limit is 125; keep well below */

static const char *const request_cols =
	"ts, sensor, src_ip, country, method, path, query, user_agent, referer, referer_class, persona, route,"
	" status, bytes, client_class, view_id";
static const char *const view_cols =
	"id, sensor, kind, src_ip, country, user_agent, referer, referer_class, client_class, persona,"
	" started_at, last_frame_at, ended_at, duration_ms, frames, bytes, end_reason, probe";
static const char *const login_cols =
	"ts, sensor, channel, src_ip, country, user_agent, username, password, persona, matched_view,"
	" match_kind, view_src_ip, view_country, view_referer_class, shown_at, lag_ms, moved_ip, moved_country";
static const char *const host_hour_cols = "hour, sensor, persona, src_ip, country, flags, requests";
static const char *const view_hour_cols = "hour, sensor, persona, kind, country, referer_class, views";
static const char *const session_cols =
	"sensor, src_ip, country, user_agent, first_view, views, started_at, ended_at, duration_ms, frames,"
	" referer_class, client_class";

/* file: URI for a path: reserved characters percent-encoded. */
static void file_uri(const char *path, char *out, size_t cap)
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

static int has_table(sqlite3 *db, const char *schema, const char *name)
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

/* CREATE TEMP VIEW name AS SELECT cols FROM s0.table UNION ALL ... */
static int make_view(rdb_s *rd, const char *name, const char *table, const char *cols, char *err, size_t errlen)
{
	size_t cap = 256 + (size_t)rd->rd_ndb * (strlen(cols) + 64);
	char *sql = malloc(cap), schema[16];
	size_t n;
	int parts = 0, rc;

	if (sql == NULL) {
		snprintf(err, errlen, "report: out of memory");
		return -1;
	}
	n = (size_t)snprintf(sql, cap, "CREATE TEMP VIEW %s AS ", name);
	for (int i = 0; i < rd->rd_ndb; i++) {
		snprintf(schema, sizeof(schema), i == 0 ? "main" : "db%d", i);
		if (!has_table(rd->rd_db, schema, table))
			continue;
		n += (size_t)snprintf(sql + n, cap - n, "%sSELECT %s FROM %s.%s", parts++ ? " UNION ALL " : "", cols,
		                      schema, table);
	}
	if (parts == 0) {
		/* e.g. logins in databases older than schema 2: an empty view
		 * with the same columns */
		const char *c = cols;
		n += (size_t)snprintf(sql + n, cap - n, "SELECT ");
		while (*c) {
			size_t len = strcspn(c, ",");
			while (*c == ' ')
				c++, len--;
			n += (size_t)snprintf(sql + n, cap - n, "%sNULL AS %.*s", c == cols ? "" : ", ", (int)len, c);
			c += len;
			if (*c == ',')
				c++;
		}
		snprintf(sql + n, cap - n, " WHERE 0");
	}
	rc = sqlite3_exec(rd->rd_db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		snprintf(err, errlen, "report: cannot read %s: %s", table, sqlite3_errmsg(rd->rd_db));
	free(sql);
	return rc == SQLITE_OK ? 0 : -1;
}

rdb_s *rdb_open(const char *const *paths, int n, char *err, size_t errlen)
{
	rdb_s *rd = calloc(1, sizeof(*rd));
	char uri[4200], sql[4300];

	if (rd == NULL || n < 1 || n > RDB_MAX) {
		snprintf(err, errlen, n > RDB_MAX ? "report: at most %d databases" : "report: no database", RDB_MAX);
		free(rd);
		return NULL;
	}
	rd->rd_since = INT64_MIN;
	rd->rd_until = INT64_MAX;
	file_uri(paths[0], uri, sizeof(uri));
	if (sqlite3_open_v2(uri, &rd->rd_db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "report: cannot open %s: %s", paths[0], sqlite3_errmsg(rd->rd_db));
		goto fail;
	}
	sqlite3_busy_timeout(rd->rd_db, 5000);
	/* sorts in memory, pages memory-mapped: reports read millions of rows */
	sqlite3_exec(rd->rd_db, "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -131072; PRAGMA mmap_size = 1073741824;",
	             NULL, NULL, NULL);
	rd->rd_ndb = n;
	for (int i = 1; i < n; i++) {
		sqlite3_stmt *q;
		file_uri(paths[i], uri, sizeof(uri));
		snprintf(sql, sizeof(sql), "ATTACH DATABASE ? AS db%d", i);
		if (sqlite3_prepare_v2(rd->rd_db, sql, -1, &q, NULL) != SQLITE_OK) {
			snprintf(err, errlen, "report: %s", sqlite3_errmsg(rd->rd_db));
			goto fail;
		}
		sqlite3_bind_text(q, 1, uri, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE) {
			snprintf(err, errlen, "report: cannot open %s: %s", paths[i], sqlite3_errmsg(rd->rd_db));
			sqlite3_finalize(q);
			goto fail;
		}
		sqlite3_finalize(q);
	}
	for (int i = 0; i < n; i++) {
		char schema[16];
		snprintf(schema, sizeof(schema), i == 0 ? "main" : "db%d", i);
		if (!has_table(rd->rd_db, schema, "requests") || !has_table(rd->rd_db, schema, "views")) {
			snprintf(err, errlen, "report: %s is not a camdecoy database", paths[i]);
			goto fail;
		}
		if (!has_table(rd->rd_db, schema, "host_hours")) {
			snprintf(err, errlen,
			         "report: %s has an older schema: start this camdecoy version on it once to migrate it",
			         paths[i]);
			goto fail;
		}
	}
	if (make_view(rd, "r", "requests", request_cols, err, errlen) != 0 ||
	    make_view(rd, "v", "views", view_cols, err, errlen) != 0 ||
	    make_view(rd, "l", "logins", login_cols, err, errlen) != 0 ||
	    make_view(rd, "s", "view_sessions", session_cols, err, errlen) != 0 ||
	    make_view(rd, "hh", "host_hours", host_hour_cols, err, errlen) != 0 ||
	    make_view(rd, "vh", "view_hours", view_hour_cols, err, errlen) != 0)
		goto fail;
	return rd;
fail:
	rdb_close(rd);
	return NULL;
}

void rdb_close(rdb_s *rd)
{
	if (rd == NULL)
		return;
	sqlite3_close(rd->rd_db);
	free(rd);
}

static int make_temp(rdb_s *rd, const char *const *sql, size_t n, char *err, size_t errlen)
{
	for (size_t k = 0; k < n; k++) {
		sqlite3_stmt *q = rdb_prepare(rd, sql[k], err, errlen);
		int rc;
		if (q == NULL)
			return -1;
		rc = sqlite3_step(q);
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE) {
			snprintf(err, errlen, "report: %s", sqlite3_errmsg(rd->rd_db));
			return -1;
		}
	}
	return 0;
}

int rdb_hosts(rdb_s *rd, char *err, size_t errlen)
{
	/* Filters apply at hour granularity (the rows are host-hours). */
	static const char *const sql[] = {
		"CREATE TEMP TABLE hs AS SELECT sensor, src_ip, MIN(country) AS country,"
		" MAX(flags & 1) AS a, MAX(flags & 2) AS i, MAX(flags & 4) AS dir, MAX(flags & 8) AS se,"
		" MAX(flags & 16) AS sf, MAX(flags & 32) AS no, MAX(flags & 64) AS ot, MAX(flags & 128) AS b,"
		" MAX(flags & 256) AS sc, MAX(flags & 1024) AS f FROM hh"
		" WHERE hour * 3600000 >= :since AND hour * 3600000 < :until AND (:sensor IS NULL OR sensor = :sensor)"
		" AND (:persona IS NULL OR persona = :persona) GROUP BY sensor, src_ip",
	};

	if (rd->rd_hosts_ready)
		return 0;
	if (make_temp(rd, sql, sizeof(sql) / sizeof(sql[0]), err, errlen) != 0)
		return -1;
	rd->rd_hosts_ready = 1;
	return 0;
}

int rdb_host_days(rdb_s *rd, char *err, size_t errlen)
{
	static const char *const sql[] = {
		"CREATE TEMP TABLE hd AS SELECT strftime('%Y-%m-%d', hour * 3600, 'unixepoch', 'localtime') AS day, src_ip,"
		" MAX(flags & 1) AS a, MAX(flags & 2) AS i, MAX(flags & 128) AS b, MAX(flags & 256) AS sc,"
		" MAX(flags & 1024) AS f FROM hh"
		" WHERE hour * 3600000 >= :since AND hour * 3600000 < :until AND (:sensor IS NULL OR sensor = :sensor)"
		" AND (:persona IS NULL OR persona = :persona) GROUP BY day, src_ip",
	};

	if (rd->rd_days_ready)
		return 0;
	if (make_temp(rd, sql, sizeof(sql) / sizeof(sql[0]), err, errlen) != 0)
		return -1;
	rd->rd_days_ready = 1;
	return 0;
}

sqlite3_stmt *rdb_prepare(rdb_s *rd, const char *sql, char *err, size_t errlen)
{
	sqlite3_stmt *q;
	int i;

	if (sqlite3_prepare_v2(rd->rd_db, sql, -1, &q, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "report: query failed: %s", sqlite3_errmsg(rd->rd_db));
		return NULL;
	}
	if ((i = sqlite3_bind_parameter_index(q, ":since")) > 0)
		sqlite3_bind_int64(q, i, rd->rd_since);
	if ((i = sqlite3_bind_parameter_index(q, ":until")) > 0)
		sqlite3_bind_int64(q, i, rd->rd_until);
	if ((i = sqlite3_bind_parameter_index(q, ":sensor")) > 0 && rd->rd_sensor != NULL)
		sqlite3_bind_text(q, i, rd->rd_sensor, -1, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(q, ":persona")) > 0 && rd->rd_persona != NULL)
		sqlite3_bind_text(q, i, rd->rd_persona, -1, SQLITE_STATIC);
	return q;
}

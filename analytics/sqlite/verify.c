/* verify: the invariants as SQL set differences, run per database file, read-only. */
#include "verify.h"

#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "escape.h"

/* host_hours as the raw rows say it must be: one row per hour, sensor,
 * persona and address with the requests counted and the flags OR-ed (as
 * MAX of each bit; docs/reports.md). */
#define BIT(cond, v) "MAX(CASE WHEN " cond " THEN " #v " ELSE 0 END)"
static const char expected_host_hours[] =
    "WITH raw AS ("
    " SELECT ts / 3600000 AS hour, sensor, persona, src_ip, 1 AS req, referer_class AS rc, "
    "client_class AS cc,"
    "  0 AS fetched FROM requests"
    " UNION ALL SELECT started_at / 3600000, sensor, persona, src_ip, 0, NULL, NULL, 1 FROM views "
    "WHERE frames >= 1)"
    " SELECT hour, sensor, persona, src_ip, SUM(req) AS requests,"
    " " BIT("req = 1", 1) " + " BIT("rc = 'insecam'", 2) " + " BIT("rc = 'directory'", 4) " + " BIT(
        "rc = 'search'",
        8) " + " BIT("rc = 'self'",
                     16) " + " BIT("rc = 'none'",
                                   32) " + " BIT("rc NOT IN ('insecam', 'directory', 'search', "
                                                 "'self', 'none')",
                                                 64) " + " BIT("cc = 'browser'",
                                                               128) " + " BIT("cc = 'scanner'",
                                                                              256) " + " BIT("cc "
                                                                                             "IS "
                                                                                             "NOT "
                                                                                             "NULL "
                                                                                             "AND "
                                                                                             "cc "
                                                                                             "NOT "
                                                                                             "IN "
                                                                                             "('"
                                                                                             "brows"
                                                                                             "er', "
                                                                                             "'scan"
                                                                                             "ner'"
                                                                                             ")",
                                                                                             512) " + " BIT("fetched = 1",
                                                                                                            1024) " AS flags"
                                                                                                                  " FROM raw GROUP BY 1, 2, 3, 4";

static const char expected_view_hours[] = "SELECT started_at / 3600000 AS hour, sensor, persona, "
                                          "kind, IFNULL(country, '') AS country, referer_class,"
                                          " COUNT(*) AS views FROM views GROUP BY 1, 2, 3, 4, 5, 6";

/* Every view that showed a per-viewer credential has it in credentials, and
 * credentials holds nothing else for the views there are (retention may
 * have deleted a view; its credential stays, for logins that come late). A
 * password issued twice would have one of its views missing here: the
 * UNIQUE column admits one. */
static const char expected_credentials[] = "SELECT trap_seq AS seq, trap_username AS username, "
                                           "trap_password AS password, id AS view_id FROM views"
                                           " WHERE trap_seq IS NOT NULL";
static const char stored_credentials[] = "SELECT seq, username, password, view_id FROM credentials "
                                         "WHERE seq > 0 AND view_id IN (SELECT id FROM views)";

typedef struct {
	const char *iv_name;
	const char *iv_expected; /* what the raw rows say */
	const char *iv_stored;   /* what the summary holds */
	const char *iv_key;      /* how to name a disagreeing row */
	const char *iv_table;    /* checked only where this table exists (a newer schema's) */
} invariant_s;

static const invariant_s invariants[] = {
    {"host_hours", expected_host_hours,
     "SELECT hour, sensor, persona, src_ip, requests, flags FROM host_hours",
     "'hour ' || hour || ' sensor ' || sensor || ' host ' || src_ip || ': requests ' || requests "
     "|| ', flags ' || flags",
     NULL},
    {"view_hours", expected_view_hours,
     "SELECT hour, sensor, persona, kind, country, referer_class, views FROM view_hours WHERE "
     "views != 0",
     "'hour ' || hour || ' sensor ' || sensor || ' ' || kind || ' views from ' || country || '/' "
     "|| referer_class"
     " || ': ' || views",
     NULL},
    {"credentials", expected_credentials, stored_credentials,
     "'view ' || view_id || ' credential ' || seq || ' ' || username || ' / ' || password",
     "credentials"},
};

static int64_t one_int(sqlite3 *db, const char *sql, int64_t dflt)
{
	sqlite3_stmt *q;
	int64_t v = dflt;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

static int has_table(sqlite3 *db, const char *table)
{
	sqlite3_stmt *q;
	int found = 0;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
	                       -1, &q, NULL) == SQLITE_OK) {
		sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
		found = sqlite3_step(q) == SQLITE_ROW;
	}
	sqlite3_finalize(q);
	return found;
}

/* The first row of a EXCEPT b, described; 1 if there is one, 0 if none, -1 on error. */
static int first_difference(sqlite3 *db, const char *a, const char *b, const char *key, char *row,
                            size_t cap)
{
	char sql[8192];
	sqlite3_stmt *q;
	int rc;

	snprintf(sql, sizeof(sql),
	         "SELECT %s FROM (SELECT * FROM (%s) EXCEPT SELECT * FROM (%s)) LIMIT 1", key, a,
	         b);
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(q, 0);
		escape_text(row, cap, t != NULL ? t : "",
		            t != NULL ? (size_t)sqlite3_column_bytes(q, 0) : 0);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int verify_counters(sqlite3 *db, FILE *out, const char *name)
{
	int64_t seen = one_int(db, "SELECT value FROM counters WHERE name = 'requests_seen'", -1);
	/* a connection a trap door refused is a requests row too (schema 10) */
	int64_t refused = one_int(db,
	                          "SELECT IFNULL(SUM(value), 0) FROM counters WHERE name IN"
	                          " ('telnet_refusals_recorded', 'rtsp_refusals_recorded')",
	                          0);
	int64_t rows = one_int(db, "SELECT COUNT(*) FROM requests", 0);
	int64_t agg = one_int(db, "SELECT SUM(count) FROM aggregated WHERE kind = 'request'", 0);
	int64_t dropped =
	    one_int(db, "SELECT value FROM counters WHERE name = 'request_events_dropped'", 0);
	int64_t unclean =
	    one_int(db, "SELECT value FROM counters WHERE name = 'unclean_starts'", 0);
	int64_t retained =
	    one_int(db, "SELECT value FROM counters WHERE name = 'rows_retained'", 0);
	int64_t stopped = one_int(db, "SELECT value = 'stopped' FROM meta WHERE key = 'state'", 0);

	if (seen < 0) {
		fprintf(out,
		        "%s: counters: no requests_seen (a database older than schema 5): not "
		        "checked\n",
		        name);
		return 0;
	}
	seen += refused;
	/* Only a database whose writer always stopped cleanly and which
	 * retention never thinned has every request it counted. */
	if (!stopped || unclean > 0 || retained > 0) {
		fprintf(out,
		        "%s: counters: not comparable (%s): requests_seen %lld, rows %lld + "
		        "aggregated %lld\n",
		        name,
		        !stopped      ? "the decoy is running or did not stop cleanly"
		        : unclean > 0 ? "a start after a crash"
		                      : "retention deleted rows",
		        (long long)seen, (long long)rows, (long long)agg);
		return 0;
	}
	if (seen != rows + agg + dropped) {
		fprintf(out,
		        "%s: counters: DISAGREE: requests_seen %lld != requests %lld + aggregated "
		        "%lld + dropped %lld\n",
		        name, (long long)seen, (long long)rows, (long long)agg, (long long)dropped);
		return 1;
	}
	fprintf(out,
	        "%s: counters: ok (requests_seen %lld = requests %lld + aggregated %lld + dropped "
	        "%lld)\n",
	        name, (long long)seen, (long long)rows, (long long)agg, (long long)dropped);
	return 0;
}

int verify_database(const char *path, FILE *out, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	char name[256], row[512];
	int bad = 0;

	escape_text(name, sizeof(name), path, strlen(path));
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    one_int(db,
	            "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('requests', 'views', "
	            "'host_hours', 'view_hours')",
	            0) != 4) {
		snprintf(err, errlen, "check: %s is not a camdecoy database of schema 3 or later",
		         name);
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 5000);
	/* One snapshot for every comparison, even while a decoy writes. */
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (size_t i = 0; i < sizeof(invariants) / sizeof(invariants[0]) && !bad; i++) {
		const invariant_s *iv = &invariants[i];
		if (iv->iv_table != NULL && !has_table(db, iv->iv_table)) {
			fprintf(out,
			        "%s: %s: none (a database older than that table): not checked\n",
			        name, iv->iv_name);
			continue;
		}
		int missing = first_difference(db, iv->iv_expected, iv->iv_stored, iv->iv_key, row,
		                               sizeof(row));
		int extra = missing == 0 ? first_difference(db, iv->iv_stored, iv->iv_expected,
		                                            iv->iv_key, row, sizeof(row))
		                         : 0;
		if (missing < 0 || extra < 0) {
			snprintf(err, errlen, "check: %s: %s", name, sqlite3_errmsg(db));
			sqlite3_close(db);
			return -1;
		}
		if (missing || extra) {
			fprintf(out, "%s: %s: DISAGREE: the raw rows say %s, the summary %s\n",
			        name, iv->iv_name, missing ? row : "no such row",
			        missing ? "does not" : row);
			bad = 1;
		} else {
			fprintf(out, "%s: %s: ok\n", name, iv->iv_name);
		}
	}
	if (!bad)
		bad = verify_counters(db, out, name);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	return bad;
}

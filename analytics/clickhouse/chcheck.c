/* chcheck: camdecoy-report check over the fleet's ClickHouse. */
#include "chdb_int.h"

#include "escape.h"

#include <stdio.h>
#include <string.h>

/* ---- check ---- */

/* One invariant over every (sensor, db_id): sql answers sensor, db_id, and
 * how many rows break it (or a figure to print); one line each. */
static int check_one(chdb_s *c, FILE *out, const char *what, const char *sql, int *bad, char *err,
                     size_t errlen)
{
	rows_s r;

	if (chdb_run(c, sql, 4, &r, err, errlen) != 0)
		return -1;
	for (int i = 0; i < r.r_rows; i++) {
		long long n = chdb_num(&r, i, 2);
		const char *sensor = chdb_cell(&r, i, 0) ? chdb_cell(&r, i, 0) : "";
		const char *db = chdb_cell(&r, i, 1) ? chdb_cell(&r, i, 1) : "";
		const char *why = chdb_cell(&r, i, 3) ? chdb_cell(&r, i, 3) : "";
		/* what the server says reaches the terminal escaped */
		char name[200], dbid[40], detail[600];
		escape_text(name, sizeof(name), sensor, strlen(sensor));
		escape_text(dbid, sizeof(dbid), db, strlen(db) < 8 ? strlen(db) : 8);
		escape_text(detail, sizeof(detail), why, strlen(why));
		if (n < 0) {
			fprintf(out, "%s/%s: %s: not comparable (%s)\n", name, dbid, what, detail);
		} else if (n > 0) {
			fprintf(out, "%s/%s: %s: DISAGREE: %lld rows (%s)\n", name, dbid, what, n,
			        detail);
			*bad = 1;
		} else {
			fprintf(out, "%s/%s: %s: ok\n", name, dbid, what);
		}
	}
	chdb_rows_free(&r);
	return 0;
}

int chdb_check(chdb_s *c, FILE *out, char *err, size_t errlen)
{
	char sql[4096];
	const char *d = c->c_db;
	int bad = 0;

	/* every view's per-viewer credential is in credentials, and nothing else
	 * for the views there are; no password under two numbers */
	snprintf(
	    sql, sizeof(sql),
	    "SELECT sensor, db_id, sum(missing) + sum(extra), 'credentials against the views'"
	    " FROM (SELECT sensor, db_id, (sensor, db_id, trap_seq, trap_username, trap_password, "
	    "id)"
	    " GLOBAL NOT IN (SELECT sensor, db_id, seq, username, password, view_id FROM "
	    "%s.credentials"
	    " FINAL) AS missing, materialize(toUInt8(0)) AS extra FROM %s.views FINAL WHERE "
	    "isNotNull(trap_seq)"
	    " UNION ALL SELECT sensor, db_id, materialize(toUInt8(0)), (sensor, db_id, seq, "
	    "username, password, view_id)"
	    " GLOBAL NOT IN (SELECT sensor, db_id, assumeNotNull(trap_seq), "
	    "assumeNotNull(trap_username),"
	    " assumeNotNull(trap_password), id FROM %s.views FINAL WHERE isNotNull(trap_seq))"
	    " FROM %s.credentials FINAL WHERE seq > 0 AND (sensor, db_id, view_id) GLOBAL IN"
	    " (SELECT sensor, db_id, id FROM %s.views FINAL))"
	    " GROUP BY sensor, db_id ORDER BY sensor, db_id",
	    d, d, d, d, d);
	if (check_one(c, out, "credentials", sql, &bad, err, errlen) != 0)
		return -1;
	snprintf(sql, sizeof(sql),
	         "SELECT sensor, db_id, count() - uniqExact(password), 'passwords issued twice'"
	         " FROM %s.credentials FINAL GROUP BY sensor, db_id ORDER BY sensor, db_id",
	         d);
	if (check_one(c, out, "credentials unique", sql, &bad, err, errlen) != 0)
		return -1;
	/* a credential use names a view the fleet has */
	snprintf(sql, sizeof(sql),
	         "SELECT sensor, db_id, countIf((sensor, db_id, assumeNotNull(matched_view)) "
	         "GLOBAL NOT IN"
	         " (SELECT sensor, db_id, id FROM %s.views FINAL)), 'uses whose view is missing'"
	         " FROM %s.logins FINAL WHERE match_kind IN ('exact', 'password-only')"
	         " AND isNotNull(matched_view) GROUP BY sensor, db_id ORDER BY sensor, db_id",
	         d, d);
	if (check_one(c, out, "logins", sql, &bad, err, errlen) != 0)
		return -1;
	/* the sensor's counters as last shipped against the rows: comparable
	 * when it never restarted after a crash, retention deleted nothing and
	 * nothing was pending (check a stopped fleet) */
	snprintf(
	    sql, sizeof(sql),
	    "SELECT sensor, db_id, if(unclean > 0 OR retained > 0 OR pending > 0, toInt64(-1),"
	    " toInt64(abs(toInt64(seen) - toInt64(rows) - toInt64(agg) - toInt64(dropped)))),"
	    " concat('requests_seen ', toString(seen), ', requests ', toString(rows), ' + "
	    "aggregated ',"
	    " toString(agg), ' + dropped ', toString(dropped), if(unclean > 0, ', a start "
	    "after a crash',"
	    " if(retained > 0, ', retention deleted rows', if(pending > 0, ', rows were "
	    "pending', ''))))"
	    " FROM (SELECT * FROM (SELECT sensor, db_id, sumIf(value, name IN ('requests_seen',"
	    " 'telnet_refusals_recorded', 'rtsp_refusals_recorded')) AS seen,"
	    " sumIf(value, name = 'request_events_dropped') AS dropped,"
	    " sumIf(value, name = 'unclean_starts') AS unclean,"
	    " sumIf(value, name = 'rows_retained') AS retained,"
	    " sumIf(value, name = 'ship_pending_now') AS pending"
	    " FROM %s.counters FINAL GROUP BY sensor, db_id)"
	    " GLOBAL ANY LEFT JOIN (SELECT sensor, db_id, count() AS rows FROM %s.requests FINAL"
	    " GROUP BY sensor, db_id) USING sensor, db_id)"
	    " GLOBAL ANY LEFT JOIN (SELECT sensor, db_id, sumIf(count, kind = 'request') AS agg"
	    " FROM %s.aggregated FINAL GROUP BY sensor, db_id) USING sensor, db_id"
	    " ORDER BY sensor, db_id",
	    d, d, d);
	if (check_one(c, out, "counters", sql, &bad, err, errlen) != 0)
		return -1;
	return bad;
}

/* chartdata: the charts' data tables from the SQLite databases. */
#include "abuse.h"
#include "charts.h"
#include "query.h"

#include <stdio.h>
#include <string.h>

static int fill(rdb_s *rd, table_s *t, const char *sql, char *err, size_t errlen)
{
	sqlite3_stmt *q = rdb_prepare(rd, sql, err, errlen);
	int rc, ncol;

	if (q == NULL)
		return -1;
	ncol = sqlite3_column_count(q);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *vals[12];
		for (int c = 0; c < ncol && c < 12; c++)
			vals[c] = (const char *)sqlite3_column_text(q, c);
		if (table_add(t, vals, NULL) != 0)
			break;
	}
	if (rc != SQLITE_DONE)
		snprintf(err, errlen, "report: chart query failed: %s", sqlite3_errmsg(rd->rd_db));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

#define STR_(x) #x
#define STR(x)  STR_(x)

int charts_data_sqlite(rdb_s *rd, chart_data_s *d, char *err, size_t errlen)
{
	report_s frp = {.rp_rd = rd};
	sqlite3_stmt *q;
	double span = 0;

	if (rdb_hosts(rd, err, errlen) != 0)
		return -1;
	/* hourly buckets for short spans, daily beyond */
	q = rdb_prepare(rd, "SELECT (MAX(hour) - MIN(hour)) * 3600.0 FROM hh WHERE " H_WHERE, err,
	                errlen);
	if (q == NULL)
		return -1;
	if (sqlite3_step(q) == SQLITE_ROW)
		span = sqlite3_column_double(q, 0);
	sqlite3_finalize(q);
	const char *bfmt = span <= CHARTS_HOURLY_SPAN_S ? "%Y-%m-%d %H:00" : "%Y-%m-%d";
	{
		char lsql[512];
		snprintf(lsql, sizeof(lsql),
		         "SELECT MIN(started_at) / 1000.0, strftime('%s', MIN(started_at) / 1000, "
		         "'unixepoch', 'localtime')"
		         " FROM v WHERE " V_WHERE
		         " AND referer_class IN ('insecam', 'directory') AND frames >= 1",
		         bfmt);
		if ((q = rdb_prepare(rd, lsql, err, errlen)) == NULL)
			return -1;
		if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
			d->cd_listing_s = sqlite3_column_double(q, 0);
			snprintf(d->cd_listing_bucket, sizeof(d->cd_listing_bucket), "%s",
			         (const char *)sqlite3_column_text(q, 1));
		}
		sqlite3_finalize(q);
	}
	char rb[128], sql[3072];
	snprintf(rb, sizeof(rb), "strftime('%s', hour * 3600, 'unixepoch', 'localtime')", bfmt);
	if (span <= CHARTS_HOURLY_SPAN_S)
		snprintf(sql, sizeof(sql),
		         "SELECT %s AS b, COUNT(DISTINCT CASE WHEN flags & 1 THEN src_ip END),"
		         " COUNT(DISTINCT CASE WHEN flags & 2 THEN src_ip END), COUNT(DISTINCT "
		         "CASE WHEN flags & 1024 THEN src_ip END)"
		         " FROM hh WHERE " H_WHERE " GROUP BY b ORDER BY b",
		         rb);
	else /* daily: the per-day hosts the summary already gathered */
		snprintf(sql, sizeof(sql), "SELECT day, a, i, f FROM hdays ORDER BY day");
	/* ties (equal times, equal durations) in sensor and id order: the data
	 * files are the same bytes over ClickHouse */
	if (fill(rd, d->cd_data[0],
	         "WITH n AS (SELECT COUNT(*) / " STR(
	             CHARTS_DOTS) " + 1 AS k FROM v WHERE " V_WHERE ")"
	                          " SELECT started_at, printf('%.3f', IFNULL(duration_ms, 0) / "
	                          "1000.0), "
	                          "IFNULL(country, 'unknown') FROM v"
	                          " WHERE " V_WHERE " AND id % (SELECT k FROM n) = 0"
	                          " ORDER BY COUNT(*) OVER (PARTITION BY country) DESC, country, "
	                          "started_at, sensor,"
	                          " id",
	         err, errlen) != 0 ||
	    fill(rd, d->cd_data[1], sql, err, errlen) != 0 ||
	    fill(rd, d->cd_data[2],
	         "WITH h AS (SELECT IFNULL(country, 'unknown') AS c, COUNT(DISTINCT src_ip) AS n "
	         "FROM hs WHERE a"
	         "   GROUP BY c), t AS (SELECT COUNT(DISTINCT src_ip) AS n FROM hs WHERE a),"
	         " o AS (SELECT c, n, ROW_NUMBER() OVER (ORDER BY n DESC, c) AS rk FROM h)"
	         " SELECT c, n, printf('%.1f', 100.0 * n / MAX((SELECT n FROM t), 1)) FROM o WHERE "
	         "rk <= 10"
	         " UNION ALL SELECT 'others', SUM(n), printf('%.1f', 100.0 * SUM(n) / MAX((SELECT "
	         "n FROM t), 1))"
	         "   FROM o WHERE rk > 10 HAVING COUNT(*) > 0",
	         err, errlen) != 0 ||
	    /* each class's CDF as at most CHARTS_CDF_PTS quantiles, from a
	     * uniform sample of at most ~CHARTS_CDF_IN views */
	    fill(rd, d->cd_data[3],
	         "SELECT c, printf('%.3f', d / 1000.0), printf('%.4f', 1.0 * rn / cnt) FROM ("
	         " SELECT referer_class AS c, IFNULL(duration_ms, 0) AS d,"
	         "  ROW_NUMBER() OVER (PARTITION BY referer_class ORDER BY IFNULL(duration_ms, 0)) "
	         "AS rn,"
	         "  COUNT(*) OVER (PARTITION BY referer_class) AS cnt FROM v WHERE " V_WHERE
	         "  AND id % ((SELECT COUNT(*) FROM v WHERE " V_WHERE ") / " STR(
	             CHARTS_CDF_IN) " + 1) = 0)"
	                            " WHERE rn % (cnt / " STR(
	                                CHARTS_CDF_PTS) " + 1) = 0 OR rn = cnt ORDER BY c, d, rn",
	         err, errlen) != 0 ||
	    fill(rd, d->cd_data[4],
	         "SELECT matched_view, shown_at, ts, channel, IFNULL(moved_ip, 0) FROM l "
	         "WHERE " R_WHERE " AND match_kind IN ('exact', 'password-only') AND shown_at IS "
	         "NOT NULL ORDER BY ts, sensor, id",
	         err, errlen) != 0 ||
	    fill(rd, d->cd_data[6],
	         "SELECT strftime('%Y-%m-%d', ts / 1000, 'unixepoch', 'localtime') AS day, family,"
	         " COUNT(*) FROM x WHERE " R_WHERE " GROUP BY day, family ORDER BY day, family",
	         err, errlen) != 0)
		return -1;
	/* the funnel's table is the funnel subcommand's, query and all */
	if (funnel_table(&frp, &d->cd_data[5]) != 0) {
		snprintf(err, errlen, "%s", frp.rp_err[0] ? frp.rp_err : "report: out of memory");
		return -1;
	}
	return 0;
}

/* query: the SQL behind every subcommand, over the merged read-only databases. */
#include "query.h"

#include "outputs.h"
#include "sessions.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- queries into tables ---- */

int query_into(report_s *rp, table_s *t, const char *sql)
{
	sqlite3_stmt *q = rdb_prepare(rp->rp_rd, sql, rp->rp_err, sizeof(rp->rp_err));
	int rc, ncol;

	if (q == NULL)
		return -1;
	ncol = sqlite3_column_count(q);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *vals[32];
		size_t lens[32];
		for (int c = 0; c < ncol && c < 32; c++) {
			vals[c] = (const char *)sqlite3_column_text(q, c);
			lens[c] = (size_t)sqlite3_column_bytes(q, c);
		}
		if (table_add(t, vals, lens) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		snprintf(rp->rp_err, sizeof(rp->rp_err), "report: query failed: %s",
		         sqlite3_errmsg(rp->rp_rd->rd_db));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* One summary query: host counts from hosts (an SQL query of ours giving k,
 * a, i, f, b, sc), view counts from view_hours and logins grouped by vkey and
 * lkey. Missing values count as 0. */
static int summary_into(report_s *rp, table_s *t, const char *hosts, const char *vkey,
                        const char *lkey)
{
	char sql[4096];

	snprintf(
	    sql, sizeof(sql),
	    "WITH rq AS (%s),"
	    " vw AS (SELECT %s AS k, SUM(CASE WHEN kind IN " STREAM_KINDS
	    " THEN views ELSE 0 END) AS st,"
	    "   SUM(CASE WHEN kind = 'poll' THEN views ELSE 0 END) AS po FROM vh WHERE " H_WHERE
	    " GROUP BY k),"
	    " lg AS (SELECT %s AS k, COUNT(*) AS n, SUM(match_kind IN " USE_KINDS ") AS u"
	    "   FROM l WHERE " R_WHERE " GROUP BY k),"
	    " keys AS (SELECT k FROM rq UNION SELECT k FROM vw UNION SELECT k FROM lg)"
	    " SELECT keys.k, IFNULL(rq.a, 0), IFNULL(rq.i, 0), IFNULL(rq.f, 0), IFNULL(vw.st, 0),"
	    "   IFNULL(vw.po, 0), IFNULL(rq.b, 0), IFNULL(rq.sc, 0), IFNULL(lg.n, 0), IFNULL(lg.u, "
	    "0)"
	    " FROM keys LEFT JOIN rq ON rq.k = keys.k LEFT JOIN vw ON vw.k = keys.k"
	    " LEFT JOIN lg ON lg.k = keys.k WHERE keys.k IS NOT NULL ORDER BY keys.k",
	    hosts, vkey, lkey);
	return query_into(rp, t, sql);
}

#define HOST_SUMS                                                                                  \
	"SUM(a > 0) AS a, SUM(i > 0) AS i, SUM(f > 0) AS f, SUM(b > 0) AS b, SUM(sc > 0) AS sc"

/* The listing moment: the first view with a frame whose Referer was a
 * directory (Insecam or another), and the hosts that requested anything
 * before and from then on, per day of each side's span (whole days, at
 * least one). */
#define LISTING_SQL                                                                                \
	"WITH lt AS (SELECT started_at AS at, referer_class AS cls FROM v WHERE " V_WHERE          \
	"   AND referer_class IN ('insecam', 'directory') AND frames >= 1 ORDER BY started_at, "   \
	"id LIMIT 1),"                                                                             \
	" b AS (SELECT COUNT(DISTINCT src_ip) AS h, MIN(ts) AS t0 FROM r WHERE " R_WHERE           \
	"   AND ts < (SELECT at FROM lt)),"                                                        \
	" a AS (SELECT COUNT(DISTINCT src_ip) AS h, MAX(ts) AS t1 FROM r WHERE " R_WHERE           \
	"   AND ts >= (SELECT at FROM lt)),"                                                       \
	" d AS (SELECT lt.at, lt.cls, b.h AS hb, a.h AS ha,"                                       \
	"   MAX(1, (lt.at - IFNULL(b.t0, lt.at) + 86399999) / 86400000) AS db,"                    \
	"   MAX(1, (IFNULL(a.t1, lt.at) - lt.at + 86399999) / 86400000) AS da FROM lt, b, a)"      \
	" SELECT " TIME("at") ", cls, hb, db, printf('%.2f', hb * 1.0 / db), ha, da, "             \
	                      "printf('%.2f', ha * 1.0 / da),"                                     \
	                      "   CASE WHEN hb > 0 THEN printf('%.1f', (ha * 1.0 / da) / (hb * "   \
	                      "1.0 / db)) END FROM d"

int listing_table(report_s *rp, table_s **out)
{
	out[0] = output_new(OUT_LISTING);
	if (out[0] == NULL)
		return -1;
	return query_into(rp, out[0], LISTING_SQL);
}

int summary_tables(report_s *rp, table_s **out)
{
	out[0] = output_new(OUT_SUMMARY);
	out[1] = output_new(OUT_SENSORS);
	if (out[0] == NULL || out[1] == NULL || listing_table(rp, &out[2]) != 0)
		return -1;
	/* hosts seen by several sensors or on several days count once per row */
	if (rdb_hosts(rp->rp_rd, rp->rp_err, sizeof(rp->rp_err)) != 0 ||
	    summary_into(rp, out[0], "SELECT day AS k, a, i, f, b, sc FROM hdays", HDAY,
	                 DAY("ts")) != 0 ||
	    summary_into(rp, out[0],
	                 "SELECT 'total' AS k, " HOST_SUMS
	                 " FROM (SELECT src_ip, MAX(a) AS a, MAX(i) AS i,"
	                 " MAX(f) AS f, MAX(b) AS b, MAX(sc) AS sc FROM hs GROUP BY src_ip)",
	                 "'total'", "'total'") != 0 ||
	    summary_into(rp, out[1], "SELECT sensor AS k, " HOST_SUMS " FROM hs GROUP BY sensor",
	                 "sensor", "sensor") != 0)
		return -1;
	return 0;
}

static int sessions_into(report_s *rp, table_s *t);

/* csv/json non-NULL: stream the rows to those files instead of keeping them. */
int views_table(report_s *rp, table_s **out, int merged, FILE *csv, FILE *json)
{
	if (!merged) {
		out[0] = csv != NULL ? output_stream(OUT_VIEWS, csv, json) : output_new(OUT_VIEWS);
		/* an export file is written in id order (then sensor: ids repeat
		 * across databases): for one database a plain table scan (the
		 * unary + keeps the planner off the started_at index), no sort */
		return out[0] == NULL
		           ? -1
		           : query_into(
		                 rp, out[0],
		                 csv != NULL
		                     ? "SELECT id, sensor, kind, " TIME(
		                           "started_at") ","
		                                         " printf('%.3f', IFNULL(duration_ms, 0) / "
		                                         "1000.0), src_ip, country,"
		                                         " referer_class, client_class, frames, "
		                                         "probe, end_reason, user_agent"
		                                         " FROM v WHERE +started_at >= :since AND "
		                                         "+started_at < :until"
		                                         " AND (:sensor IS NULL OR sensor = "
		                                         ":sensor)"
		                                         " AND (:persona IS NULL OR persona = "
		                                         ":persona) ORDER BY id, sensor"
		                     : "SELECT id, sensor, kind, " TIME(
		                           "started_at") ","
		                                         " printf('%.3f', IFNULL(duration_ms, 0) / "
		                                         "1000.0), src_ip, country,"
		                                         " referer_class, client_class, frames, "
		                                         "probe, end_reason, user_agent"
		                                         " FROM v WHERE " V_WHERE
		                                         " ORDER BY started_at, sensor, id");
	}
	out[0] = csv != NULL ? output_stream(OUT_SESSIONS, csv, json) : output_new(OUT_SESSIONS);
	return out[0] == NULL ? -1 : sessions_into(rp, out[0]);
}

/* Merged viewing time per (sensor, IP, UA): the views in the order
 * sessions.c merges them. */
static int sessions_into(report_s *rp, table_s *t)
{
	sqlite3_stmt *q = rdb_prepare(
	    rp->rp_rd,
	    "SELECT sensor, src_ip, IFNULL(country, ''), IFNULL(user_agent, ''), started_at,"
	    " COALESCE(ended_at, last_frame_at, started_at), frames, IFNULL(referer_class, ''),"
	    " IFNULL(client_class, ''), user_agent IS NULL FROM v WHERE " S_WHERE
	    " ORDER BY sensor, src_ip, user_agent, started_at, id",
	    rp->rp_err, sizeof(rp->rp_err));
	sessions_s ss;
	int rc, full = 0;

	if (q == NULL)
		return -1;
	sessions_init(&ss, t);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		sessrow_s r;
		r.sr_sensor = (const char *)sqlite3_column_text(q, 0); /* text, then bytes */
		r.sr_sensor_len = (size_t)sqlite3_column_bytes(q, 0);
		r.sr_ip = (const char *)sqlite3_column_text(q, 1);
		r.sr_ip_len = (size_t)sqlite3_column_bytes(q, 1);
		r.sr_country = (const char *)sqlite3_column_text(q, 2);
		r.sr_country_len = (size_t)sqlite3_column_bytes(q, 2);
		r.sr_ua = (const char *)sqlite3_column_text(q, 3);
		r.sr_ua_len = (size_t)sqlite3_column_bytes(q, 3);
		r.sr_rc = (const char *)sqlite3_column_text(q, 7);
		r.sr_rc_len = (size_t)sqlite3_column_bytes(q, 7);
		r.sr_cc = (const char *)sqlite3_column_text(q, 8);
		r.sr_cc_len = (size_t)sqlite3_column_bytes(q, 8);
		if (r.sr_sensor == NULL || r.sr_ip == NULL || r.sr_country == NULL ||
		    r.sr_ua == NULL || r.sr_rc == NULL || r.sr_cc == NULL)
			continue; /* only out of memory: every one is IFNULL'd */
		r.sr_start = sqlite3_column_int64(q, 4);
		r.sr_end = sqlite3_column_int64(q, 5);
		r.sr_frames = sqlite3_column_int64(q, 6);
		r.sr_ua_null = sqlite3_column_int(q, 9);
		if (sessions_feed(&ss, &r) != 0) {
			full = 1;
			break;
		}
	}
	if (!full && rc == SQLITE_DONE && sessions_end(&ss) != 0)
		full = 1;
	if (full)
		snprintf(rp->rp_err, sizeof(rp->rp_err), "report: out of memory");
	else if (rc != SQLITE_DONE)
		snprintf(rp->rp_err, sizeof(rp->rp_err), "report: sessions query failed: %s",
		         sqlite3_errmsg(rp->rp_rd->rd_db));
	sqlite3_finalize(q);
	return !full && rc == SQLITE_DONE ? 0 : -1;
}

int countries_table(report_s *rp, table_s **out)
{
	out[0] = output_new(OUT_COUNTRIES);
	if (out[0] == NULL || rdb_hosts(rp->rp_rd, rp->rp_err, sizeof(rp->rp_err)) != 0)
		return -1;
	return out[0] == NULL
	           ? -1
	           : query_into(
	                 rp, out[0],
	                 "WITH h AS (SELECT IFNULL(country, 'unknown') AS c, COUNT(DISTINCT "
	                 "src_ip) AS n"
	                 "   FROM hs WHERE a GROUP BY c),"
	                 " w AS (SELECT CASE country WHEN '' THEN 'unknown' ELSE country END AS c,"
	                 "   SUM(views) AS n FROM vh WHERE " H_WHERE " GROUP BY c HAVING n > 0),"
	                 " th AS (SELECT COUNT(DISTINCT src_ip) AS n FROM hs WHERE a),"
	                 " tw AS (SELECT SUM(views) AS n FROM vh WHERE " H_WHERE "),"
	                 " k AS (SELECT c FROM h UNION SELECT c FROM w)"
	                 " SELECT k.c, IFNULL(h.n, 0),"
	                 "  printf('%.1f', 100.0 * IFNULL(h.n, 0) / MAX((SELECT n FROM th), 1)),"
	                 "  IFNULL(w.n, 0), printf('%.1f', 100.0 * IFNULL(w.n, 0) / MAX((SELECT n "
	                 "FROM tw), 1))"
	                 " FROM k LEFT JOIN h ON h.c = k.c LEFT JOIN w ON w.c = k.c"
	                 " ORDER BY IFNULL(h.n, 0) DESC, IFNULL(w.n, 0) DESC, k.c");
}

int referers_tables(report_s *rp, table_s **out)
{
	out[0] = output_new(OUT_REFERER_CLASSES);
	out[1] = output_new(OUT_REFERER_ORIGINS);
	if (out[0] == NULL || out[1] == NULL ||
	    rdb_hosts(rp->rp_rd, rp->rp_err, sizeof(rp->rp_err)) != 0)
		return -1;
	if (query_into(
	        rp, out[0],
	        "WITH x AS MATERIALIZED (SELECT SUM(i > 0) AS insecam, SUM(dir > 0) AS directory,"
	        "   SUM(se > 0) AS search, SUM(sf > 0) AS self, SUM(no > 0) AS none, SUM(ot > 0) "
	        "AS other"
	        "   FROM (SELECT src_ip, MAX(i) AS i, MAX(dir) AS dir, MAX(se) AS se, MAX(sf) AS "
	        "sf, MAX(no) AS no,"
	        "   MAX(ot) AS ot FROM hs GROUP BY src_ip)),"
	        " h(c, n) AS (SELECT 'insecam', insecam FROM x UNION ALL SELECT 'directory', "
	        "directory FROM x"
	        "   UNION ALL SELECT 'search', search FROM x UNION ALL SELECT 'self', self FROM x"
	        "   UNION ALL SELECT 'none', none FROM x UNION ALL SELECT 'other', other FROM x),"
	        " w AS (SELECT referer_class AS c, SUM(views) AS n FROM vh WHERE " H_WHERE
	        " GROUP BY c)"
	        " SELECT h.c, h.n, IFNULL(w.n, 0) FROM h LEFT JOIN w ON w.c = h.c"
	        " WHERE h.n > 0 OR IFNULL(w.n, 0) > 0 ORDER BY h.n DESC, h.c") != 0)
		return -1;
	/* Origins from the views (one row per viewing session, not per request). */
	return query_into(
	    rp, out[1],
	    "SELECT " ORIGIN(
	        "referer") " AS o, MIN(referer_class), COUNT(DISTINCT src_ip) AS h, COUNT(*) AS n"
	                   " FROM v WHERE " V_WHERE " AND referer IS NOT NULL AND referer != ''"
	                   " GROUP BY o ORDER BY h DESC, n DESC, o LIMIT 50");
}

int credentials_tables(report_s *rp, table_s **out)
{
	out[0] = output_new(OUT_CREDENTIAL_USES);
	out[1] = output_new(OUT_TOP_PAIRS);
	if (out[0] == NULL || out[1] == NULL)
		return -1;
	if (query_into(
	        rp, out[0],
	        "SELECT " TIME(
	            "ts") ", sensor, channel, src_ip, country, username, password, matched_view,"
	                  " match_kind, view_src_ip, view_country, view_referer_class,"
	                  " CASE WHEN shown_at IS NOT NULL THEN " TIME(
	                      "shown_at") " END,"
	                                  " CASE WHEN lag_ms IS NOT NULL THEN printf('%.3f', "
	                                  "lag_ms / 1000.0) END,"
	                                  " moved_ip, moved_country FROM l WHERE " R_WHERE
	                                  " AND match_kind IN " USE_KINDS
	                                  " ORDER BY ts, sensor") != 0)
		return -1;
	return query_into(
	    rp, out[1],
	    "SELECT channel, username, password, n, h FROM ("
	    " SELECT channel, username, password, COUNT(*) AS n, COUNT(DISTINCT src_ip) AS h,"
	    "  ROW_NUMBER() OVER (PARTITION BY channel ORDER BY COUNT(*) DESC, username, password) "
	    "AS rk"
	    " FROM l WHERE " R_WHERE " GROUP BY channel, username, password)"
	    " WHERE rk <= 10 ORDER BY channel, n DESC, username, password");
}

int longest_table(report_s *rp, table_s **out)
{
	out[0] = output_new(OUT_LONGEST_VIEWS);
	if (out[0] == NULL)
		return -1;
	return query_into(
	    rp, out[0],
	    "SELECT id, sensor, kind, " TIME(
	        "started_at") ","
	                      " printf('%.3f', IFNULL(duration_ms, 0) / 1000.0), src_ip, country,"
	                      " referer_class, client_class, frames, user_agent FROM v "
	                      "WHERE " V_WHERE
	                      " ORDER BY duration_ms DESC, started_at, sensor, id LIMIT 100");
}

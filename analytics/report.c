/* camdecoy-report: decoy databases -> tables, charts and an HTML report. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <time.h>

#include "charts.h"
#include "escape.h"
#include "rdb.h"
#include "timeparse.h"
#include "table.h"

#define MAX_DBS 62

#define R_WHERE "ts >= :since AND ts < :until AND (:sensor IS NULL OR sensor = :sensor) AND (:persona IS NULL OR persona = :persona)"
#define V_WHERE "started_at >= :since AND started_at < :until AND (:sensor IS NULL OR sensor = :sensor) AND (:persona IS NULL OR persona = :persona)"
#define S_WHERE "started_at >= :since AND started_at < :until AND (:sensor IS NULL OR sensor = :sensor)"
/* host_hours and view_hours: filters apply at hour granularity */
#define H_WHERE "hour * 3600000 >= :since AND hour * 3600000 < :until AND (:sensor IS NULL OR sensor = :sensor) AND (:persona IS NULL OR persona = :persona)"
#define DAY(col) "strftime('%Y-%m-%d', " col " / 1000, 'unixepoch', 'localtime')"
#define HDAY "strftime('%Y-%m-%d', hour * 3600, 'unixepoch', 'localtime')"
#define TIME(col) "strftime('%Y-%m-%d %H:%M:%S', " col " / 1000, 'unixepoch', 'localtime')"
/* scheme://host of a Referer (the origin browsers send cross-site) */
#define ORIGIN(col) "CASE WHEN " col " LIKE 'http://%' OR " col " LIKE 'https://%' THEN CASE WHEN instr(substr(" col ", 9), '/') > 0 THEN substr(" col ", 1, 7 + instr(substr(" col ", 9), '/')) ELSE " col " END ELSE " col " END"
#define USE_KINDS "('exact', 'password-only', 'static')"

typedef struct {
	rdb_s *rp_rd;
	const char *const *rp_paths; /* to open a second connection */
	int rp_npaths;
	table_fmt_e rp_fmt;
	char rp_err[512];
} report_s;

static void usage(FILE *out)
{
	fputs("usage: camdecoy-report --db FILE [--db FILE ...] [--since TIME] [--until TIME]\n"
	      "                       [--sensor NAME] [--persona NAME] [--tz ZONE] [--format text|csv|json]\n"
	      "                       summary | views [--merged] | countries | referers | credentials | report --out DIR\n"
	      "TIME: YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM|-HH:MM] (no zone: --tz). ZONE: UTC (default) or an IANA name.\n",
	      out);
}

/* ---- queries into tables ---- */

static int run_into(report_s *rp, table_s *t, const char *sql)
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

static const char *const summary_cols[] = {"period", "accessed_hosts", "insecam_hosts", "fetched_hosts",
                                           "stream_views", "poll_views", "browser_hosts", "scanner_hosts",
                                           "logins", "credential_uses"};
static const int summary_num[] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1};

/* One summary query: host counts from hosts (an SQL query of ours giving k,
 * a, i, f, b, sc), view counts from view_hours and logins grouped by vkey and
 * lkey. Missing values count as 0. */
static int summary_into(report_s *rp, table_s *t, const char *hosts, const char *vkey, const char *lkey)
{
	char sql[4096];

	snprintf(sql, sizeof(sql),
	         "WITH rq AS (%s),"
	         " vw AS (SELECT %s AS k, SUM(CASE WHEN kind = 'stream' THEN views ELSE 0 END) AS st,"
	         "   SUM(CASE WHEN kind = 'poll' THEN views ELSE 0 END) AS po FROM vh WHERE " H_WHERE " GROUP BY k),"
	         " lg AS (SELECT %s AS k, COUNT(*) AS n, SUM(match_kind IN " USE_KINDS ") AS u"
	         "   FROM l WHERE " R_WHERE " GROUP BY k),"
	         " keys AS (SELECT k FROM rq UNION SELECT k FROM vw UNION SELECT k FROM lg)"
	         " SELECT keys.k, IFNULL(rq.a, 0), IFNULL(rq.i, 0), IFNULL(rq.f, 0), IFNULL(vw.st, 0),"
	         "   IFNULL(vw.po, 0), IFNULL(rq.b, 0), IFNULL(rq.sc, 0), IFNULL(lg.n, 0), IFNULL(lg.u, 0)"
	         " FROM keys LEFT JOIN rq ON rq.k = keys.k LEFT JOIN vw ON vw.k = keys.k"
	         " LEFT JOIN lg ON lg.k = keys.k WHERE keys.k IS NOT NULL ORDER BY keys.k",
	         hosts, vkey, lkey);
	return run_into(rp, t, sql);
}

#define HOST_SUMS "SUM(a > 0) AS a, SUM(i > 0) AS i, SUM(f > 0) AS f, SUM(b > 0) AS b, SUM(sc > 0) AS sc"

static int summary_tables(report_s *rp, table_s **out)
{
	out[0] = table_new("summary", 10, summary_cols, summary_num);
	out[1] = table_new("sensors", 10, summary_cols, summary_num);
	if (out[0] == NULL || out[1] == NULL)
		return -1;
	/* hosts seen by several sensors or on several days count once per row */
	if (rdb_hosts(rp->rp_rd, rp->rp_err, sizeof(rp->rp_err)) != 0 ||
	    summary_into(rp, out[0], "SELECT day AS k, a, i, f, b, sc FROM hdays", HDAY, DAY("ts")) != 0 ||
	    summary_into(rp, out[0],
	                 "SELECT 'total' AS k, " HOST_SUMS " FROM (SELECT src_ip, MAX(a) AS a, MAX(i) AS i,"
	                 " MAX(f) AS f, MAX(b) AS b, MAX(sc) AS sc FROM hs GROUP BY src_ip)",
	                 "'total'", "'total'") != 0 ||
	    summary_into(rp, out[1], "SELECT sensor AS k, " HOST_SUMS " FROM hs GROUP BY sensor", "sensor",
	                 "sensor") != 0)
		return -1;
	return 0;
}

static int sessions_into(report_s *rp, table_s *t);

/* csv/json non-NULL: stream the rows to those files instead of keeping them. */
static int views_table(report_s *rp, table_s **out, int merged, FILE *csv, FILE *json)
{
	if (!merged) {
		static const char *const cols[] = {"id", "sensor", "kind", "started", "duration_s", "src_ip", "country",
		                                   "referer_class", "client_class", "frames", "probe", "end_reason",
		                                   "user_agent"};
		static const int num[] = {1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0};
		out[0] = csv != NULL ? table_stream("views", 13, cols, num, csv, json) : table_new("views", 13, cols, num);
		/* an export file is written in id order: a plain table scan (the
		 * unary + keeps the planner off the started_at index), no sort */
		return out[0] == NULL ? -1
		                      : run_into(rp, out[0],
		                                 csv != NULL
		                                     ? "SELECT id, sensor, kind, " TIME("started_at") ","
		                                       " printf('%.3f', IFNULL(duration_ms, 0) / 1000.0), src_ip, country,"
		                                       " referer_class, client_class, frames, probe, end_reason, user_agent"
		                                       " FROM v WHERE +started_at >= :since AND +started_at < :until"
		                                       " AND (:sensor IS NULL OR sensor = :sensor)"
		                                       " AND (:persona IS NULL OR persona = :persona) ORDER BY id"
		                                     : "SELECT id, sensor, kind, " TIME("started_at") ","
		                                       " printf('%.3f', IFNULL(duration_ms, 0) / 1000.0), src_ip, country,"
		                                       " referer_class, client_class, frames, probe, end_reason, user_agent"
		                                       " FROM v WHERE " V_WHERE " ORDER BY started_at, sensor, id");
	}
	static const char *const cols[] = {"sensor", "src_ip", "country", "started", "duration_s", "views",
	                                   "frames", "referer_class", "client_class", "user_agent"};
	static const int num[] = {0, 0, 0, 0, 1, 1, 1, 0, 0, 0};
	out[0] = csv != NULL ? table_stream("sessions", 10, cols, num, csv, json) : table_new("sessions", 10, cols, num);
	return out[0] == NULL ? -1 : sessions_into(rp, out[0]);
}

/* Merged viewing time per (sensor, IP, UA), as the view_sessions SQL view
 * defines it (views that overlap or start within 10 s of the previous end),
 * computed in one ordered pass instead of SQL window functions. */
static int sessions_into(report_s *rp, table_s *t)
{
	sqlite3_stmt *q = rdb_prepare(rp->rp_rd,
	                              "SELECT sensor, src_ip, IFNULL(country, ''), IFNULL(user_agent, ''), started_at,"
	                              " COALESCE(ended_at, last_frame_at, started_at), frames, referer_class, client_class,"
	                              " user_agent IS NULL FROM v WHERE " S_WHERE
	                              " ORDER BY sensor, src_ip, user_agent, started_at, id",
	                              rp->rp_err, sizeof(rp->rp_err));
	/* the session being merged; fixed buffers: no allocation per row */
	struct {
		char sensor[128], ip[64], country[8], ua[1024], rc[32], cc[32];
		size_t sensor_len, ip_len, ua_len;
		int ua_null;
		int64_t start, end, frames, views;
	} cur;
	int rc, have = 0, ok = 0;

	if (q == NULL)
		return -1;
	memset(&cur, 0, sizeof(cur));
	for (;;) {
		rc = sqlite3_step(q);
		int row = rc == SQLITE_ROW;
		const char *sensor = row ? (const char *)sqlite3_column_text(q, 0) : "";
		size_t sensor_len = row ? (size_t)sqlite3_column_bytes(q, 0) : 0;
		const char *ip = row ? (const char *)sqlite3_column_text(q, 1) : "";
		size_t ip_len = row ? (size_t)sqlite3_column_bytes(q, 1) : 0;
		const char *ua = row ? (const char *)sqlite3_column_text(q, 3) : "";
		size_t ua_len = row ? (size_t)sqlite3_column_bytes(q, 3) : 0;
		int ua_null = row ? sqlite3_column_int(q, 9) : 0;
		int64_t st = row ? sqlite3_column_int64(q, 4) : 0, en = row ? sqlite3_column_int64(q, 5) : 0;

		if (sensor == NULL || ip == NULL || ua == NULL)
			continue;
		if (sensor_len >= sizeof(cur.sensor))
			sensor_len = sizeof(cur.sensor) - 1;
		if (ip_len >= sizeof(cur.ip))
			ip_len = sizeof(cur.ip) - 1;
		if (ua_len >= sizeof(cur.ua))
			ua_len = sizeof(cur.ua) - 1; /* stored bounded to 512 already */
		if (have && row && cur.sensor_len == sensor_len && memcmp(cur.sensor, sensor, sensor_len) == 0 &&
		    cur.ip_len == ip_len && memcmp(cur.ip, ip, ip_len) == 0 && cur.ua_len == ua_len &&
		    memcmp(cur.ua, ua, ua_len) == 0 && cur.ua_null == ua_null && st <= cur.end + 10000) {
			if (en > cur.end)
				cur.end = en;
			cur.frames += sqlite3_column_int64(q, 6);
			cur.views++;
			continue;
		}
		if (have) {
			char started[32], dur[32], views[24], frames[24];
			time_t sec = (time_t)(cur.start / 1000);
			struct tm tm;
			localtime_r(&sec, &tm);
			strftime(started, sizeof(started), "%Y-%m-%d %H:%M:%S", &tm);
			snprintf(dur, sizeof(dur), "%.3f", (double)(cur.end - cur.start) / 1000.0);
			snprintf(views, sizeof(views), "%lld", (long long)cur.views);
			snprintf(frames, sizeof(frames), "%lld", (long long)cur.frames);
			const char *vals[10] = {cur.sensor, cur.ip, cur.country[0] ? cur.country : NULL, started, dur, views,
			                        frames, cur.rc, cur.cc, cur.ua_null ? NULL : cur.ua};
			const size_t lens[10] = {cur.sensor_len, cur.ip_len, strlen(cur.country), strlen(started), strlen(dur),
			                         strlen(views), strlen(frames), strlen(cur.rc), strlen(cur.cc),
			                         cur.ua_null ? 0 : cur.ua_len};
			if (table_add(t, vals, lens) != 0)
				break;
			have = 0;
		}
		if (!row) {
			ok = rc == SQLITE_DONE;
			break;
		}
		memcpy(cur.sensor, sensor, sensor_len);
		cur.sensor[sensor_len] = '\0';
		cur.sensor_len = sensor_len;
		memcpy(cur.ip, ip, ip_len);
		cur.ip[ip_len] = '\0';
		cur.ip_len = ip_len;
		memcpy(cur.ua, ua, ua_len);
		cur.ua[ua_len] = '\0';
		cur.ua_len = ua_len;
		cur.ua_null = ua_null;
		snprintf(cur.country, sizeof(cur.country), "%s", (const char *)sqlite3_column_text(q, 2));
		snprintf(cur.rc, sizeof(cur.rc), "%s", sqlite3_column_text(q, 7) ? (const char *)sqlite3_column_text(q, 7) : "");
		snprintf(cur.cc, sizeof(cur.cc), "%s", sqlite3_column_text(q, 8) ? (const char *)sqlite3_column_text(q, 8) : "");
		cur.start = st;
		cur.end = en;
		cur.frames = sqlite3_column_int64(q, 6);
		cur.views = 1;
		have = 1;
	}
	if (!ok)
		snprintf(rp->rp_err, sizeof(rp->rp_err), "report: sessions query failed: %s",
		         sqlite3_errmsg(rp->rp_rd->rd_db));
	sqlite3_finalize(q);
	return ok ? 0 : -1;
}

static int countries_table(report_s *rp, table_s **out)
{
	static const char *const cols[] = {"country", "hosts", "host_share_pct", "views", "view_share_pct"};
	static const int num[] = {0, 1, 1, 1, 1};

	out[0] = table_new("countries", 5, cols, num);
	if (out[0] == NULL || rdb_hosts(rp->rp_rd, rp->rp_err, sizeof(rp->rp_err)) != 0)
		return -1;
	return out[0] == NULL ? -1
	                      : run_into(rp, out[0],
	                                 "WITH h AS (SELECT IFNULL(country, 'unknown') AS c, COUNT(DISTINCT src_ip) AS n"
	                                 "   FROM hs WHERE a GROUP BY c),"
	                                 " w AS (SELECT CASE country WHEN '' THEN 'unknown' ELSE country END AS c,"
	                                 "   SUM(views) AS n FROM vh WHERE " H_WHERE " GROUP BY c HAVING n > 0),"
	                                 " th AS (SELECT COUNT(DISTINCT src_ip) AS n FROM hs WHERE a),"
	                                 " tw AS (SELECT SUM(views) AS n FROM vh WHERE " H_WHERE "),"
	                                 " k AS (SELECT c FROM h UNION SELECT c FROM w)"
	                                 " SELECT k.c, IFNULL(h.n, 0),"
	                                 "  printf('%.1f', 100.0 * IFNULL(h.n, 0) / MAX((SELECT n FROM th), 1)),"
	                                 "  IFNULL(w.n, 0), printf('%.1f', 100.0 * IFNULL(w.n, 0) / MAX((SELECT n FROM tw), 1))"
	                                 " FROM k LEFT JOIN h ON h.c = k.c LEFT JOIN w ON w.c = k.c"
	                                 " ORDER BY IFNULL(h.n, 0) DESC, IFNULL(w.n, 0) DESC, k.c");
}

static int referers_tables(report_s *rp, table_s **out)
{
	static const char *const ccols[] = {"referer_class", "hosts", "views"};
	static const char *const ocols[] = {"origin", "referer_class", "viewing_hosts", "views"};
	static const int cnum[] = {0, 1, 1}, onum[] = {0, 0, 1, 1};

	out[0] = table_new("referer_classes", 3, ccols, cnum);
	out[1] = table_new("referer_origins", 4, ocols, onum);
	if (out[0] == NULL || out[1] == NULL || rdb_hosts(rp->rp_rd, rp->rp_err, sizeof(rp->rp_err)) != 0)
		return -1;
	if (run_into(rp, out[0],
	             "WITH x AS MATERIALIZED (SELECT SUM(i > 0) AS insecam, SUM(dir > 0) AS directory,"
	             "   SUM(se > 0) AS search, SUM(sf > 0) AS self, SUM(no > 0) AS none, SUM(ot > 0) AS other"
	             "   FROM (SELECT src_ip, MAX(i) AS i, MAX(dir) AS dir, MAX(se) AS se, MAX(sf) AS sf, MAX(no) AS no,"
	             "   MAX(ot) AS ot FROM hs GROUP BY src_ip)),"
	             " h(c, n) AS (SELECT 'insecam', insecam FROM x UNION ALL SELECT 'directory', directory FROM x"
	             "   UNION ALL SELECT 'search', search FROM x UNION ALL SELECT 'self', self FROM x"
	             "   UNION ALL SELECT 'none', none FROM x UNION ALL SELECT 'other', other FROM x),"
	             " w AS (SELECT referer_class AS c, SUM(views) AS n FROM vh WHERE " H_WHERE " GROUP BY c)"
	             " SELECT h.c, h.n, IFNULL(w.n, 0) FROM h LEFT JOIN w ON w.c = h.c"
	             " WHERE h.n > 0 OR IFNULL(w.n, 0) > 0 ORDER BY h.n DESC, h.c") != 0)
		return -1;
	/* Origins from the views (one row per viewing session, not per request). */
	return run_into(rp, out[1],
	                "SELECT " ORIGIN("referer") " AS o, MIN(referer_class), COUNT(DISTINCT src_ip) AS h, COUNT(*) AS n"
	                " FROM v WHERE " V_WHERE " AND referer IS NOT NULL AND referer != ''"
	                " GROUP BY o ORDER BY h DESC, n DESC, o LIMIT 50");
}

static int credentials_tables(report_s *rp, table_s **out)
{
	static const char *const ucols[] = {"time", "sensor", "channel", "src_ip", "country", "username", "password",
	                                    "matched_view", "match_kind", "view_src_ip", "view_country",
	                                    "view_referer_class", "shown", "lag_s", "moved_ip", "moved_country"};
	static const int unum[] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1};
	static const char *const pcols[] = {"channel", "username", "password", "attempts", "hosts"};
	static const int pnum[] = {0, 0, 0, 1, 1};

	out[0] = table_new("credential_uses", 16, ucols, unum);
	out[1] = table_new("top_pairs", 5, pcols, pnum);
	if (out[0] == NULL || out[1] == NULL)
		return -1;
	if (run_into(rp, out[0],
	             "SELECT " TIME("ts") ", sensor, channel, src_ip, country, username, password, matched_view,"
	             " match_kind, view_src_ip, view_country, view_referer_class,"
	             " CASE WHEN shown_at IS NOT NULL THEN " TIME("shown_at") " END,"
	             " CASE WHEN lag_ms IS NOT NULL THEN printf('%.3f', lag_ms / 1000.0) END,"
	             " moved_ip, moved_country FROM l WHERE " R_WHERE " AND match_kind IN " USE_KINDS
	             " ORDER BY ts, sensor") != 0)
		return -1;
	return run_into(rp, out[1],
	                "SELECT channel, username, password, n, h FROM ("
	                " SELECT channel, username, password, COUNT(*) AS n, COUNT(DISTINCT src_ip) AS h,"
	                "  ROW_NUMBER() OVER (PARTITION BY channel ORDER BY COUNT(*) DESC, username, password) AS rk"
	                " FROM l WHERE " R_WHERE " GROUP BY channel, username, password)"
	                " WHERE rk <= 10 ORDER BY channel, n DESC, username, password");
}

/* ---- the HTML report ---- */

static FILE *open_out(report_s *rp, const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		snprintf(rp->rp_err, sizeof(rp->rp_err), "report: cannot write %.300s: %s", path, strerror(errno));
	return f;
}

static int write_data(report_s *rp, const char *dir, table_s *t)
{
	char name[256];
	FILE *f;

	for (int fmt = 0; fmt < 2; fmt++) {
		snprintf(name, sizeof(name), "%s.%s", table_name(t), fmt ? "json" : "csv");
		if ((f = open_out(rp, dir, name)) == NULL)
			return -1;
		table_write(t, f, fmt ? FMT_JSON : FMT_CSV);
		fclose(f);
	}
	return 0;
}

static const char html_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'none'; "
	"img-src 'self' file: data:; style-src 'unsafe-inline'\">\n"
	"<meta name=\"referrer\" content=\"no-referrer\">\n<title>camdecoy report</title>\n"
	"<style>body{font-family:sans-serif;margin:24px;color:#222}table.data{border-collapse:collapse;"
	"margin:8px 0 24px;font-size:13px}table.data td,table.data th{border:1px solid #ccc;padding:3px 8px;"
	"text-align:left}td.n{text-align:right}img{max-width:100%;border:1px solid #ddd;margin:6px 0}"
	"h2{margin-top:32px}.files a{margin-right:12px}</style></head><body>\n";

static int write_html(report_s *rp, const char *dir, table_s **tables, int ntables, const char *const *charts,
                      int ncharts, const char *scope)
{
	FILE *f = open_out(rp, dir, "index.html");
	char buf[2048];

	if (f == NULL)
		return -1;
	fputs(html_head, f);
	escape_html(buf, sizeof(buf), scope, strlen(scope));
	fprintf(f, "<h1>camdecoy report</h1>\n<p>%s</p>\n<h2>Charts</h2>\n", buf);
	for (int i = 0; i < ncharts; i++) {
		escape_html(buf, sizeof(buf), charts[i], strlen(charts[i]));
		fprintf(f, "<div><img src=\"%s.png\" alt=\"%s\"><div class=\"files\"><a href=\"%s.svg\">SVG</a>"
		           "<a href=\"%s.pdf\">PDF</a><a href=\"%s.csv\">data (CSV)</a><a href=\"%s.json\">data (JSON)</a>"
		           "</div></div>\n",
		        buf, buf, buf, buf, buf, buf);
	}
	for (int i = 0; i < ntables; i++) {
		escape_html(buf, sizeof(buf), table_name(tables[i]), strlen(table_name(tables[i])));
		fprintf(f, "<h2>%s</h2>\n<div class=\"files\"><a href=\"%s.csv\">CSV</a><a href=\"%s.json\">JSON</a></div>\n",
		        buf, buf, buf);
		table_write(tables[i], f, FMT_HTML);
	}
	fputs("</body></html>\n", f);
	fclose(f);
	return 0;
}

/* views.csv (merged 0) or sessions.csv (merged 1), streamed: with millions
 * of views these are the biggest outputs by far, so the report writes them
 * as CSV only (the views subcommand gives JSON on request). 0 or -1. */
static int export_views(report_s *rp, const char *dir, int merged)
{
	char name[64];
	FILE *csv;
	table_s *st = NULL;
	int bad;

	snprintf(name, sizeof(name), "%s.csv", merged ? "sessions" : "views");
	csv = open_out(rp, dir, name);
	bad = csv == NULL || views_table(rp, &st, merged, csv, NULL) != 0;
	if (st != NULL && !bad)
		table_stream_end(st);
	table_free(st);
	if (csv != NULL && fclose(csv) != 0)
		bad = 1;
	return bad ? -1 : 0;
}

/* Runs export_views in a child process with its own connection (SQLite
 * connections must not cross fork()); the pid, or -1 after doing it here. */
static pid_t export_async(report_s *rp, const char *dir, int merged, int *failed)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		rdb_s *own = rdb_open(rp->rp_paths, rp->rp_npaths, rp->rp_err, sizeof(rp->rp_err));
		if (own == NULL)
			_exit(1);
		own->rd_since = rp->rp_rd->rd_since;
		own->rd_until = rp->rp_rd->rd_until;
		own->rd_sensor = rp->rp_rd->rd_sensor;
		own->rd_persona = rp->rp_rd->rd_persona;
		rp->rp_rd = own;
		_exit(export_views(rp, dir, merged) == 0 ? 0 : 1);
	}
	if (pid < 0 && export_views(rp, dir, merged) != 0)
		*failed = 1;
	return pid;
}

static int do_report(report_s *rp, const char *dir, const char *scope)
{
	table_s *ts[16] = {NULL};
	int n = 0, rc = -1, failed = 0;
	pid_t child[2] = {-1, -1};
	const char *charts[] = {"view_durations", "host_series", "country_shares", "duration_cdf", "credential_timeline"};

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		snprintf(rp->rp_err, sizeof(rp->rp_err), "report: cannot create %.300s: %s", dir, strerror(errno));
		return -1;
	}
	if (summary_tables(rp, &ts[n]) != 0)
		goto out;
	n += 2;
	if (countries_table(rp, &ts[n]) != 0)
		goto out;
	n += 1;
	if (referers_tables(rp, &ts[n]) != 0)
		goto out;
	n += 2;
	if (credentials_tables(rp, &ts[n]) != 0)
		goto out;
	n += 2;
	/* the longest views go into the page; all views and sessions into files */
	static const char *const lcols[] = {"id", "sensor", "kind", "started", "duration_s", "src_ip", "country",
	                                    "referer_class", "client_class", "frames", "user_agent"};
	static const int lnum[] = {1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0};
	ts[n] = table_new("longest_views", 11, lcols, lnum);
	if (ts[n] == NULL ||
	    run_into(rp, ts[n],
	             "SELECT id, sensor, kind, " TIME("started_at") ", printf('%.3f', IFNULL(duration_ms, 0) / 1000.0),"
	             " src_ip, country, referer_class, client_class, frames, user_agent FROM v WHERE " V_WHERE
	             " ORDER BY duration_ms DESC, started_at LIMIT 100") != 0)
		goto out;
	n += 1;
	/* The two biggest files (every view, every session) are written by two
	 * child processes while this one does the rest. */
	for (int k = 0; k < 2; k++)
		child[k] = export_async(rp, dir, k, &failed);
	if (failed)
		goto out;
	for (int i = 0; i < n; i++)
		if (write_data(rp, dir, ts[i]) != 0)
			goto out;
	if (charts_write_all(rp->rp_rd, dir, rp->rp_err, sizeof(rp->rp_err)) != 0)
		goto out;
	rc = write_html(rp, dir, ts, n, charts, (int)(sizeof(charts) / sizeof(charts[0])), scope);
out:
	for (int k = 0; k < 2; k++) {
		int status = 0;
		if (child[k] > 0 &&
		    (waitpid(child[k], &status, 0) != child[k] || !WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
			snprintf(rp->rp_err, sizeof(rp->rp_err), "report: writing %s.csv failed", k ? "sessions" : "views");
			rc = -1;
		}
	}
	for (int i = 0; i < 16; i++)
		table_free(ts[i]);
	return rc;
}

int main(int argc, char **argv)
{
	const char *dbs[MAX_DBS], *cmd = NULL, *out = NULL, *fmt = "text", *tz = "UTC";
	const char *since = NULL, *until = NULL, *sensor = NULL, *persona = NULL;
	int ndb = 0, merged = 0, rc = 1;
	report_s rp = {0};
	table_s *ts[4] = {NULL};
	int nt = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(a, "--merged") == 0) {
			merged = 1;
			continue;
		}
		if (strcmp(a, "--db") == 0) {
			if (ndb >= MAX_DBS) {
				fprintf(stderr, "camdecoy-report: --db: at most %d databases\n", MAX_DBS);
				return 2;
			}
			slot = &dbs[ndb++];
		} else if (strcmp(a, "--since") == 0) {
			slot = &since;
		} else if (strcmp(a, "--until") == 0) {
			slot = &until;
		} else if (strcmp(a, "--sensor") == 0) {
			slot = &sensor;
		} else if (strcmp(a, "--persona") == 0) {
			slot = &persona;
		} else if (strcmp(a, "--tz") == 0) {
			slot = &tz;
		} else if (strcmp(a, "--format") == 0) {
			slot = &fmt;
		} else if (strcmp(a, "--out") == 0) {
			slot = &out;
		} else if (a[0] != '-' && cmd == NULL) {
			cmd = a;
			continue;
		} else {
			char q[64];
			escape_text(q, sizeof(q), a, strlen(a));
			fprintf(stderr, "camdecoy-report: unknown argument \"%s\"\n", q);
			usage(stderr);
			return 2;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "camdecoy-report: %s needs a value\n", a);
			return 2;
		}
		*slot = argv[++i];
	}
	if (ndb == 0 || cmd == NULL) {
		usage(stderr);
		return 2;
	}
	/* Day buckets and printed times use this zone (SQLite's localtime). */
	setenv("TZ", strcmp(tz, "UTC") == 0 ? "UTC0" : tz, 1);
	tzset();
	if (strcmp(fmt, "text") == 0)
		rp.rp_fmt = FMT_TEXT;
	else if (strcmp(fmt, "csv") == 0)
		rp.rp_fmt = FMT_CSV;
	else if (strcmp(fmt, "json") == 0)
		rp.rp_fmt = FMT_JSON;
	else {
		fprintf(stderr, "camdecoy-report: --format: must be text, csv or json\n");
		return 2;
	}
	rp.rp_paths = dbs;
	rp.rp_npaths = ndb;
	rp.rp_rd = rdb_open(dbs, ndb, rp.rp_err, sizeof(rp.rp_err));
	if (rp.rp_rd == NULL) {
		fprintf(stderr, "camdecoy-report: %s\n", rp.rp_err);
		return 1;
	}
	if ((since != NULL && timeparse(since, &rp.rp_rd->rd_since) != 0) ||
	    (until != NULL && timeparse(until, &rp.rp_rd->rd_until) != 0)) {
		fprintf(stderr, "camdecoy-report: %s: expected YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM]\n",
		        since != NULL && timeparse(since, &rp.rp_rd->rd_since) != 0 ? "--since" : "--until");
		rdb_close(rp.rp_rd);
		return 2;
	}
	rp.rp_rd->rd_sensor = sensor;
	rp.rp_rd->rd_persona = persona;
	if (strcmp(cmd, "summary") == 0) {
		nt = 2;
		rc = summary_tables(&rp, ts);
	} else if (strcmp(cmd, "views") == 0) {
		nt = 1;
		rc = views_table(&rp, ts, merged, NULL, NULL);
	} else if (strcmp(cmd, "countries") == 0) {
		nt = 1;
		rc = countries_table(&rp, ts);
	} else if (strcmp(cmd, "referers") == 0) {
		nt = 2;
		rc = referers_tables(&rp, ts);
	} else if (strcmp(cmd, "credentials") == 0) {
		nt = 2;
		rc = credentials_tables(&rp, ts);
	} else if (strcmp(cmd, "report") == 0) {
		char scope[512];
		if (out == NULL) {
			fprintf(stderr, "camdecoy-report: report needs --out DIR\n");
			rdb_close(rp.rp_rd);
			return 2;
		}
		snprintf(scope, sizeof(scope), "%d database(s); times in %s%s%s%s%s", ndb, tz, since ? "; since " : "",
		         since ? since : "", until ? "; until " : "", until ? until : "");
		rc = do_report(&rp, out, scope);
		if (rc == 0)
			printf("report written to %s/index.html\n", out);
	} else {
		char q[64];
		escape_text(q, sizeof(q), cmd, strlen(cmd));
		fprintf(stderr, "camdecoy-report: unknown subcommand \"%s\"\n", q);
		usage(stderr);
		rdb_close(rp.rp_rd);
		return 2;
	}
	if (rc == 0 && nt > 0)
		table_write_all(ts, nt, stdout, rp.rp_fmt);
	if (rc != 0)
		fprintf(stderr, "camdecoy-report: %s\n", rp.rp_err);
	for (int i = 0; i < 4; i++)
		table_free(ts[i]);
	rdb_close(rp.rp_rd);
	return rc == 0 ? 0 : 1;
}

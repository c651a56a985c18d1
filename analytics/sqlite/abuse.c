/* abuse: per network operator, the addresses that tried logins or used a trap credential, with the
 * evidence an operator can act on, over the SQLite databases; and the viewer funnel. */
#include "abuse.h"

#include "outputs.h"
#include "strbuf.h"

#include <string.h>

/* UTC whatever --tz says: notices go to other networks. */
#define UTC(col)                                                                                   \
	"strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', " col " / 1000, 'unixepoch')" /* in a format */
/* The first request lines of an address (bounded), for the evidence. */
#define LINES_MAX 5

/* abuse_line as an SQL function (SQLite's own substr stops at a NUL, and
 * its replace cannot find one). */
static void abuse_line_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *p = (const char *)sqlite3_value_text(argv[0]);
	strbuf_s b = {0};

	(void)argc;
	if (p == NULL)
		return; /* NULL: group_concat leaves the line out */
	abuse_line(&b, p, (size_t)sqlite3_value_bytes(argv[0]));
	if (b.sb_oom) {
		sqlite3_result_error_nomem(ctx);
	} else {
		sqlite3_result_text(ctx, b.sb_p != NULL ? b.sb_p : "", (int)b.sb_len,
		                    SQLITE_TRANSIENT);
	}
	strbuf_free(&b);
}

static int abuse_register(report_s *rp)
{
	if (sqlite3_create_function(rp->rp_rd->rd_db, "abuse_line", 1,
	                            SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, abuse_line_fn, NULL,
	                            NULL) == SQLITE_OK)
		return 0;
	snprintf(rp->rp_err, sizeof(rp->rp_err), "report: %s", sqlite3_errmsg(rp->rp_rd->rd_db));
	return -1;
}

static void abuse_sql(char *sql, size_t cap, long long asn_only)
{
	char where[64] = "";

	if (asn_only > 0)
		snprintf(where, sizeof(where), " AND asn = %lld", asn_only);
	/* one pass over the requests for all the addresses (a lookup per
	 * address was a scan each in a merged fleet database, which has no
	 * index on src_ip) */
	snprintf(
	    sql, cap,
	    "WITH ips AS MATERIALIZED (SELECT DISTINCT src_ip FROM l WHERE " R_WHERE "%s),"
	    " cnt AS MATERIALIZED (SELECT src_ip, COUNT(*) AS n FROM r WHERE " R_WHERE
	    "   AND src_ip IN (SELECT src_ip FROM ips) GROUP BY src_ip),"
	    " firsts AS MATERIALIZED (SELECT src_ip, line, rn FROM (SELECT src_ip,"
	    "   abuse_line(method || ' ' || path) AS line, ROW_NUMBER() OVER (PARTITION BY"
	    "   src_ip ORDER BY ts, sensor, id) AS rn FROM r WHERE src_ip IN (SELECT src_ip FROM"
	    "   ips)) WHERE rn <= %d),"
	    " lines AS (SELECT src_ip, group_concat(line, ' | ') AS lines FROM ("
	    "   SELECT src_ip, line FROM firsts ORDER BY src_ip, rn) GROUP BY src_ip),"
	    " rq AS (SELECT cnt.src_ip, cnt.n, lines.lines FROM cnt LEFT JOIN lines"
	    "   ON lines.src_ip = cnt.src_ip)"
	    " SELECT l.asn, l.as_org, l.country, l.src_ip, " UTC(
	        "l.ts") ", l.channel, l.username, l.match_kind,"
	                "  (l.match_kind IN " USE_KINDS " AND l.matched_view IS NOT NULL),"
	                "  l.matched_view, CASE WHEN l.shown_at IS NOT NULL THEN " UTC(
	                    "l.shown_at") " END,"
	                                  "  l.view_src_ip, l.view_country, IFNULL(rq.n, 0), "
	                                  "rq.lines"
	                                  " FROM l LEFT JOIN rq ON rq.src_ip = l.src_ip "
	                                  "WHERE " R_WHERE "%s"
	                                  " ORDER BY l.asn IS NULL, l.asn, l.src_ip, l.ts, "
	                                  "l.sensor, l.id",
	    where, LINES_MAX, where);
}

/* Per AS, address and rule, the exploitation attempts (asn_only > 0: that
 * AS alone): what an operator's abuse desk acts on besides the logins. */
static void exploits_sql(char *sql, size_t cap, long long asn_only)
{
	char where[64] = "";

	if (asn_only > 0)
		snprintf(where, sizeof(where), " AND asn = %lld", asn_only);
	snprintf(
	    sql, cap,
	    "SELECT asn, MAX(as_org), MAX(country), src_ip, rule, IFNULL(MAX(cve), ''),"
	    " COUNT(*), " UTC("MIN(ts)") ", " UTC(
	        "MAX(ts)") " FROM x WHERE " R_WHERE "%s"
	                   " GROUP BY asn, src_ip, rule ORDER BY asn IS NULL, asn, src_ip, rule",
	    where);
}

/* Per AS, address and rule, its oldest attempt that carried indicators (a
 * URL or a fetch command): the notices' sample. */
static void samples_sql(char *sql, size_t cap, long long asn_only)
{
	char where[64] = "";

	if (asn_only > 0)
		snprintf(where, sizeof(where), " AND asn = %lld", asn_only);
	snprintf(sql, cap,
	         "SELECT asn, src_ip, rule, ioc_urls, ioc_fetch FROM (SELECT asn, src_ip, rule,"
	         " ioc_urls, ioc_fetch, ROW_NUMBER() OVER (PARTITION BY asn, src_ip, rule ORDER BY"
	         " ts, sensor, id) AS rn FROM x WHERE " R_WHERE "%s AND (IFNULL(ioc_urls, '') <> ''"
	         " OR IFNULL(ioc_fetch, '') <> '')) WHERE rn = 1"
	         " ORDER BY asn IS NULL, asn, src_ip, rule",
	         where);
}

int abuse_table(report_s *rp, table_s **out, long long asn_only)
{
	char sql[2048];

	out[0] = output_new(OUT_ABUSE);
	out[1] = output_new(OUT_ABUSE_EXPLOITS);
	if (out[0] == NULL || out[1] == NULL)
		return -1;
	abuse_sql(sql, sizeof(sql), asn_only);
	if (abuse_register(rp) != 0 || query_into(rp, out[0], sql) != 0)
		return -1;
	exploits_sql(sql, sizeof(sql), asn_only);
	return query_into(rp, out[1], sql);
}

/* ---- XARF v4 ---- */

/* The exploitation notices after the login notices: the abuse_exploits
 * table and the samples, merged in notices.c as over ClickHouse. */
static int xnotices(report_s *rp, long long asn, const abuse_reporter_s *rep, FILE *out)
{
	char sql[2048];
	table_s *x = output_new(OUT_ABUSE_EXPLOITS), *s = abuse_samples_new();
	int rc = -1;

	if (x == NULL || s == NULL)
		goto done;
	exploits_sql(sql, sizeof(sql), asn);
	if (query_into(rp, x, sql) != 0)
		goto done;
	samples_sql(sql, sizeof(sql), asn);
	if (query_into(rp, s, sql) != 0)
		goto done;
	rc = abuse_notices_exploits(rep, out, x, s);
done:
	table_free(x);
	table_free(s);
	return rc;
}

int abuse_xarf(report_s *rp, long long asn, const abuse_reporter_s *rep, FILE *out)
{
	char sql[2048];
	abuse_notices_s n;
	int rc = 0, step;
	sqlite3_stmt *q;

	abuse_sql(sql, sizeof(sql), asn);
	if (abuse_register(rp) != 0 ||
	    (q = rdb_prepare(rp->rp_rd, sql, rp->rp_err, sizeof(rp->rp_err))) == NULL)
		return -1;
	abuse_notices_init(&n, rep, out);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *cells[15];
		for (int c = 0; c < 15; c++)
			cells[c] = (const char *)sqlite3_column_text(q, c);
		if (abuse_notices_row(&n, cells) != 0)
			rc = -1;
	}
	if (abuse_notices_end(&n) != 0)
		rc = -1;
	if (step != SQLITE_DONE) {
		snprintf(rp->rp_err, sizeof(rp->rp_err), "report: query failed: %s",
		         sqlite3_errmsg(rp->rp_rd->rd_db));
		rc = -1;
	}
	sqlite3_finalize(q);
	if (rc == 0 && xnotices(rp, asn, rep, out) != 0)
		rc = -1;
	if (rc != 0 && rp->rp_err[0] == '\0')
		snprintf(rp->rp_err, sizeof(rp->rp_err), "abuse: out of memory");
	return rc;
}

/* ---- the viewer funnel ---- */

int funnel_table(report_s *rp, table_s **out)
{
	/* A host is an address; its stages are over all it did in the period,
	 * on any channel (an address that only tried logins, over Telnet say,
	 * is a host with no Referer). Per referer class: the hosts that came with that
	 * class at least once;
	 * per country: the country of its requests. (The funnel chart draws this table.) */
	static const char *const sql =
	    "WITH h AS (SELECT DISTINCT src_ip, referer_class AS cls, IFNULL(country, 'unknown') "
	    "AS cc FROM r"
	    "   WHERE " R_WHERE
	    "   UNION SELECT src_ip, 'none', IFNULL(country, 'unknown') FROM l WHERE " R_WHERE
	    "   AND src_ip NOT IN (SELECT src_ip FROM r WHERE " R_WHERE ")),"
	    " f AS (SELECT src_ip, MAX(frames >= 1) AS fr, MAX(IFNULL(duration_ms, 0) > 10000) AS "
	    "w10,"
	    "   MAX(IFNULL(duration_ms, 0) > 60000) AS w60, MAX(IFNULL(duration_ms, 0) > 240000) "
	    "AS w240"
	    "   FROM v WHERE " V_WHERE " GROUP BY src_ip),"
	    " lg AS (SELECT src_ip, 1 AS tr, MAX(match_kind IN " USE_KINDS
	    ") AS us FROM l WHERE " R_WHERE "   GROUP BY src_ip),"
	    " hosts AS (SELECT DISTINCT src_ip FROM h),"
	    " rows AS (SELECT 'all' AS by, 'all' AS value, src_ip FROM hosts"
	    "   UNION ALL SELECT DISTINCT 'referer_class', cls, src_ip FROM h"
	    "   UNION ALL SELECT DISTINCT 'country', cc, src_ip FROM h)"
	    " SELECT rows.by, rows.value, COUNT(*), IFNULL(SUM(f.fr), 0), IFNULL(SUM(f.w10), 0), "
	    "IFNULL(SUM(f.w60), 0),"
	    "   IFNULL(SUM(f.w240), 0), IFNULL(SUM(lg.tr), 0), IFNULL(SUM(lg.us), 0)"
	    " FROM rows LEFT JOIN f ON f.src_ip = rows.src_ip LEFT JOIN lg ON lg.src_ip = "
	    "rows.src_ip"
	    " GROUP BY rows.by, rows.value"
	    " ORDER BY rows.by = 'all' DESC, rows.by DESC, COUNT(*) DESC, rows.value";

	out[0] = output_new(OUT_FUNNEL);
	if (out[0] == NULL)
		return -1;
	return query_into(rp, out[0], sql);
}

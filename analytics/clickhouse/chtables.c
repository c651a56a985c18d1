/* chtables: the summary, credentials, funnel, referers and countries
 * subcommands over ClickHouse, aggregated there, into the SQLite backend's
 * tables. */
#include "chdb_int.h"

#include "outputs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* (Keys are materialize()d: a constant key such as 'total' cannot come
 * back through a Distributed table in ClickHouse 18.16.) */
/* One group of summary rows: hosts (per key and address, the OR of what it
 * did, as host_hours keeps it: by the hour), views (by the hour of their
 * start), logins (by their time); key expressions over each table. */
static int summary_into(chdb_s *c, table_s *t, const char *kreq, const char *kview,
                        const char *klogin, const char *hostkey, const char *always, char *err,
                        size_t errlen)
{
	char sql[4096], wr[1024], wv[1024], wl[1024];
	rows_s r;
	srow_s *rows = NULL;
	int n = 0, rc = -1;

	/* the total row is there with nothing to count too, as in SQLite */
	if (always != NULL && chdb_srow(&rows, &n, always) == NULL) {
		chdb_oom(err, errlen);
		goto out;
	}
	chdb_where(c, wr, sizeof(wr), "ts", 1);
	chdb_where(c, wv, sizeof(wv), "started_at", 1);
	chdb_where(c, wl, sizeof(wl), "ts", 0);
	snprintf(sql, sizeof(sql),
	         "SELECT k, countIf(a > 0), countIf(i > 0), countIf(f > 0), countIf(b > 0),"
	         " countIf(sc > 0) FROM (SELECT k, %s, max(a) AS a, max(i) AS i, max(f) AS f,"
	         " max(b) AS b, max(sc) AS sc FROM ("
	         " SELECT materialize(%s) AS k, sensor, src_ip, 1 AS a, referer_class = 'insecam' "
	         "AS i, 0 AS f,"
	         " client_class = 'browser' AS b, client_class = 'scanner' AS sc"
	         " FROM %s.requests FINAL WHERE %s"
	         " UNION ALL SELECT materialize(%s) AS k, sensor, src_ip, 0, 0, 1, 0, 0"
	         " FROM %s.views FINAL WHERE frames >= 1 AND %s)"
	         " GROUP BY k, %s) GROUP BY k",
	         hostkey, kreq, c->c_db, wr, kview, c->c_db, wv, hostkey);
	if (chdb_run(c, sql, 6, &r, err, errlen) != 0)
		goto out;
	static const int hosts_at[] = {0, 1, 2, 5, 6}, views_at[] = {3, 4}, logins_at[] = {7, 8};
	if (chdb_merge(&rows, &n, &r, hosts_at, 5) != 0)
		goto oom;
	chdb_rows_free(&r);
	snprintf(sql, sizeof(sql),
	         "SELECT materialize(%s) AS k, countIf(kind IN " STREAM_KINDS
	         "), countIf(kind = 'poll') "
	         "FROM %s.views FINAL"
	         " WHERE %s GROUP BY k",
	         kview, c->c_db, wv);
	if (chdb_run(c, sql, 3, &r, err, errlen) != 0)
		goto out;
	if (chdb_merge(&rows, &n, &r, views_at, 2) != 0)
		goto oom;
	chdb_rows_free(&r);
	snprintf(sql, sizeof(sql),
	         "SELECT materialize(%s) AS k, count(), countIf(match_kind IN " USE_KINDS
	         ") FROM %s.logins FINAL"
	         " WHERE %s GROUP BY k",
	         klogin, c->c_db, wl);
	if (chdb_run(c, sql, 3, &r, err, errlen) != 0)
		goto out;
	if (chdb_merge(&rows, &n, &r, logins_at, 2) != 0)
		goto oom;
	chdb_rows_free(&r);
	if (n > 1)
		qsort(rows, (size_t)n, sizeof(rows[0]), chdb_srow_cmp);
	rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		char v[9][24];
		const char *vals[10] = {rows[i].k};
		for (int k = 0; k < 9; k++) {
			snprintf(v[k], sizeof(v[k]), "%lld", rows[i].v[k]);
			vals[k + 1] = v[k];
		}
		if (table_add(t, vals, NULL) != 0) {
			rc = chdb_oom(err, errlen);
		}
	}
	goto out;
oom:
	chdb_rows_free(&r);
	chdb_oom(err, errlen);
out:
	chdb_srows_free(rows, n);
	return rc;
}

/* The listing moment, as query.c's LISTING_SQL computes it. */
static int listing_into(chdb_s *c, table_s *t, char *err, size_t errlen)
{
	char sql[2048], wv[1024], wr[1024];
	rows_s r;

	chdb_where(c, wv, sizeof(wv), "started_at", 0);
	chdb_where(c, wr, sizeof(wr), "ts", 0);
	snprintf(
	    sql, sizeof(sql),
	    "SELECT started_at, referer_class, toString(toDateTime(intDiv(started_at, 1000), %s))"
	    " FROM %s.views FINAL WHERE %s AND referer_class IN ('insecam', 'directory')"
	    " AND frames >= 1 ORDER BY started_at, id LIMIT 1",
	    c->c_tz, c->c_db, wv);
	if (chdb_run(c, sql, 3, &r, err, errlen) != 0)
		return -1;
	if (r.r_rows == 0) {
		chdb_rows_free(&r);
		return 0;
	}
	long long at = chdb_num(&r, 0, 0);
	char cls[64], when[64];
	snprintf(cls, sizeof(cls), "%s", chdb_cell(&r, 0, 1) ? chdb_cell(&r, 0, 1) : "");
	snprintf(when, sizeof(when), "%s", chdb_cell(&r, 0, 2) ? chdb_cell(&r, 0, 2) : "");
	chdb_rows_free(&r);
	snprintf(sql, sizeof(sql),
	         "SELECT uniqExactIf(src_ip, ts < %lld), minIf(ts, ts < %lld),"
	         " uniqExactIf(src_ip, ts >= %lld), maxIf(ts, ts >= %lld)"
	         " FROM %s.requests FINAL WHERE %s",
	         at, at, at, at, c->c_db, wr);
	if (chdb_run(c, sql, 4, &r, err, errlen) != 0)
		return -1;
	long long hb = r.r_rows ? chdb_num(&r, 0, 0) : 0, ha = r.r_rows ? chdb_num(&r, 0, 2) : 0;
	/* no request on a side: its span is from (or to) the listing itself */
	long long t0 = hb > 0 ? chdb_num(&r, 0, 1) : at, t1 = ha > 0 ? chdb_num(&r, 0, 3) : at;
	chdb_rows_free(&r);
	long long db = (at - t0 + 86399999) / 86400000, da = (t1 - at + 86399999) / 86400000;
	if (db < 1)
		db = 1;
	if (da < 1)
		da = 1;
	char v[7][32];
	snprintf(v[0], sizeof(v[0]), "%lld", hb);
	snprintf(v[1], sizeof(v[1]), "%lld", db);
	chdb_fixed(v[2], sizeof(v[2]), (double)hb / (double)db, 2);
	snprintf(v[3], sizeof(v[3]), "%lld", ha);
	snprintf(v[4], sizeof(v[4]), "%lld", da);
	chdb_fixed(v[5], sizeof(v[5]), (double)ha / (double)da, 2);
	chdb_fixed(v[6], sizeof(v[6]),
	           hb > 0 ? ((double)ha / (double)da) / ((double)hb / (double)db) : 0, 1);
	const char *vals[9] = {when, cls, v[0], v[1], v[2], v[3], v[4], v[5], hb > 0 ? v[6] : NULL};
	if (table_add(t, vals, NULL) != 0)
		return chdb_oom(err, errlen);
	return 0;
}

int chdb_summary(chdb_s *c, table_s **out, char *err, size_t errlen)
{
	char kr[512], kv[512], kl[512];

	out[0] = output_new(OUT_SUMMARY);
	out[1] = output_new(OUT_SENSORS);
	out[2] = output_new(OUT_LISTING);
	if (out[0] == NULL || out[1] == NULL || out[2] == NULL)
		return chdb_oom(err, errlen);
	/* a day is the day (in the zone) of the hour a host-hour or view-hour
	 * starts, as the SQLite summaries keep them; a login's, of its time */
	snprintf(kr, sizeof(kr), "toString(toDate(toDateTime(intDiv(ts, 3600000) * 3600), %s))",
	         c->c_tz);
	snprintf(kv, sizeof(kv),
	         "toString(toDate(toDateTime(intDiv(started_at, 3600000) * 3600), %s))", c->c_tz);
	snprintf(kl, sizeof(kl), "toString(toDate(toDateTime(intDiv(ts, 1000)), %s))", c->c_tz);
	if (summary_into(c, out[0], kr, kv, kl, "src_ip", NULL, err, errlen) != 0 ||
	    summary_into(c, out[0], "'total'", "'total'", "'total'", "src_ip", "total", err,
	                 errlen) != 0 ||
	    summary_into(c, out[1], "sensor", "sensor", "sensor", "sensor, src_ip", NULL, err,
	                 errlen) != 0 ||
	    listing_into(c, out[2], err, errlen) != 0)
		return -1;
	return 0;
}

/* ---- credentials ---- */

int chdb_credentials(chdb_s *c, table_s **out, char *err, size_t errlen)
{
	char sql[2048], wl[1024];
	rows_s r;
	int rc;

	out[0] = output_new(OUT_CREDENTIAL_USES);
	out[1] = output_new(OUT_TOP_PAIRS);
	if (out[0] == NULL || out[1] == NULL)
		return chdb_oom(err, errlen);
	chdb_where(c, wl, sizeof(wl), "ts", 0);
	snprintf(
	    sql, sizeof(sql),
	    "SELECT toString(toDateTime(intDiv(ts, 1000), %s)), sensor, channel, src_ip, country,"
	    " username, password, matched_view, match_kind, view_src_ip, view_country,"
	    " view_referer_class, toString(toDateTime(intDiv(shown_at, 1000), %s)), lag_ms,"
	    " moved_ip, moved_country FROM %s.logins FINAL WHERE %s AND match_kind IN " USE_KINDS
	    " ORDER BY ts, sensor, id",
	    c->c_tz, c->c_tz, c->c_db, wl);
	if (chdb_run(c, sql, 16, &r, err, errlen) != 0)
		return -1;
	rc = chdb_rows_into(&r, out[0], 13, err, errlen);
	chdb_rows_free(&r);
	if (rc != 0)
		return -1;
	/* the ten most tried pairs of each channel; SQLite sorts NULL first */
	snprintf(sql, sizeof(sql),
	         "SELECT channel, username, password, count() AS n, uniqExact(src_ip)"
	         " FROM %s.logins FINAL WHERE %s GROUP BY channel, username, password"
	         " ORDER BY channel, n DESC, username NULLS FIRST, password NULLS FIRST"
	         " LIMIT 10 BY channel",
	         c->c_db, wl);
	if (chdb_run(c, sql, 5, &r, err, errlen) != 0)
		return -1;
	rc = chdb_rows_into(&r, out[1], -1, err, errlen);
	chdb_rows_free(&r);
	return rc;
}

/* ---- the viewer funnel ---- */

int chdb_funnel(chdb_s *c, table_s **out, char *err, size_t errlen)
{
	char sql[8192], wr[1024], wv[1024];
	rows_s r;
	int rc;

	out[0] = output_new(OUT_FUNNEL);
	if (out[0] == NULL)
		return chdb_oom(err, errlen);
	chdb_where(c, wr, sizeof(wr), "ts", 0);
	chdb_where(c, wv, sizeof(wv), "started_at", 0);
	/* as abuse.c's funnel_table: hosts from requests, and addresses seen
	 * only in logins as hosts with no Referer; each host fanned out to its
	 * groups (all, each referer class, each country), then its stages from
	 * its views and logins (GLOBAL: the subqueries may read shards) */
	snprintf(
	    sql, sizeof(sql),
	    "SELECT grp, value, count(), sum(fr), sum(w10), sum(w60), sum(w240), sum(tr), sum(us)"
	    " FROM (SELECT grp, value, src_ip, fr, w10, w60, w240, tr, us FROM ("
	    "  SELECT grp, value, src_ip, fr, w10, w60, w240 FROM ("
	    "   SELECT DISTINCT tupleElement(g, 1) AS grp, tupleElement(g, 2) AS value, src_ip"
	    "   FROM (SELECT src_ip, arrayJoin([('all', 'all'), ('referer_class', cls),"
	    "    ('country', cc)]) AS g FROM ("
	    "     SELECT DISTINCT src_ip, referer_class AS cls, ifNull(country, 'unknown') AS cc"
	    "     FROM %s.requests FINAL WHERE %s"
	    "     UNION ALL SELECT DISTINCT src_ip, 'none' AS cls, ifNull(country, 'unknown') AS cc"
	    "     FROM %s.logins FINAL WHERE %s"
	    "     AND src_ip GLOBAL NOT IN (SELECT src_ip FROM %s.requests FINAL WHERE %s))))"
	    "  GLOBAL ANY LEFT JOIN ("
	    "   SELECT src_ip, max(frames >= 1) AS fr, max(ifNull(duration_ms, 0) > 10000) AS w10,"
	    "   max(ifNull(duration_ms, 0) > 60000) AS w60,"
	    "   max(ifNull(duration_ms, 0) > 240000) AS w240"
	    "   FROM %s.views FINAL WHERE %s GROUP BY src_ip) USING src_ip)"
	    " GLOBAL ANY LEFT JOIN ("
	    "  SELECT src_ip, 1 AS tr, max(match_kind IN " USE_KINDS ") AS us"
	    "  FROM %s.logins FINAL WHERE %s GROUP BY src_ip) USING src_ip)"
	    " GROUP BY grp, value"
	    " ORDER BY grp = 'all' DESC, grp DESC, count() DESC, value",
	    c->c_db, wr, c->c_db, wr, c->c_db, wr, c->c_db, wv, c->c_db, wr);
	if (chdb_run(c, sql, 9, &r, err, errlen) != 0)
		return -1;
	rc = chdb_rows_into(&r, out[0], -1, err, errlen);
	chdb_rows_free(&r);
	return rc;
}

/* ---- referers ---- */

typedef struct {
	const char *rc_name;
	long long rc_hosts, rc_views;
} refclass_s;

static int refclass_cmp(const void *a, const void *b)
{
	const refclass_s *x = a, *y = b;

	if (x->rc_hosts != y->rc_hosts)
		return x->rc_hosts > y->rc_hosts ? -1 : 1;
	return strcmp(x->rc_name, y->rc_name);
}

int chdb_referers(chdb_s *c, table_s **out, char *err, size_t errlen)
{
	refclass_s cls[6] = {{"insecam", 0, 0}, {"directory", 0, 0}, {"search", 0, 0},
	                     {"self", 0, 0},    {"none", 0, 0},      {"other", 0, 0}};
	char sql[4096], wr[1024], wv[1024], wve[1024];
	rows_s r;
	int rc;

	out[0] = output_new(OUT_REFERER_CLASSES);
	out[1] = output_new(OUT_REFERER_ORIGINS);
	if (out[0] == NULL || out[1] == NULL)
		return chdb_oom(err, errlen);
	chdb_where(c, wr, sizeof(wr), "ts", 1);
	chdb_where(c, wv, sizeof(wv), "started_at", 1);
	chdb_where(c, wve, sizeof(wve), "started_at", 0);
	/* hosts: an address counts once per class it came with (host_hours'
	 * flags, by the hour); views: per class, by the hour of their start */
	snprintf(
	    sql, sizeof(sql),
	    "SELECT countIf(i), countIf(dir), countIf(se), countIf(sf), countIf(no), countIf(ot)"
	    " FROM (SELECT src_ip, max(referer_class = 'insecam') AS i,"
	    " max(referer_class = 'directory') AS dir, max(referer_class = 'search') AS se,"
	    " max(referer_class = 'self') AS sf, max(referer_class = 'none') AS no,"
	    " max(referer_class NOT IN ('insecam', 'directory', 'search', 'self', 'none')) AS ot"
	    " FROM %s.requests FINAL WHERE %s GROUP BY src_ip)",
	    c->c_db, wr);
	if (chdb_run(c, sql, 6, &r, err, errlen) != 0)
		return -1;
	for (int k = 0; k < 6 && r.r_rows > 0; k++)
		cls[k].rc_hosts = chdb_num(&r, 0, k);
	chdb_rows_free(&r);
	snprintf(
	    sql, sizeof(sql),
	    "SELECT referer_class, count() FROM %s.views FINAL WHERE %s GROUP BY referer_class",
	    c->c_db, wv);
	if (chdb_run(c, sql, 2, &r, err, errlen) != 0)
		return -1;
	for (int i = 0; i < r.r_rows; i++)
		for (int k = 0; k < 6; k++)
			if (chdb_cell(&r, i, 0) != NULL &&
			    strcmp(chdb_cell(&r, i, 0), cls[k].rc_name) == 0)
				cls[k].rc_views = chdb_num(&r, i, 1);
	chdb_rows_free(&r);
	qsort(cls, 6, sizeof(cls[0]), refclass_cmp);
	for (int k = 0; k < 6; k++) {
		char h[24], v[24];
		if (cls[k].rc_hosts == 0 && cls[k].rc_views == 0)
			continue;
		snprintf(h, sizeof(h), "%lld", cls[k].rc_hosts);
		snprintf(v, sizeof(v), "%lld", cls[k].rc_views);
		const char *vals[3] = {cls[k].rc_name, h, v};
		if (table_add(out[0], vals, NULL) != 0)
			return chdb_oom(err, errlen);
	}
	/* origins (scheme://host of a Referer, as query.h's ORIGIN: what comes
	 * before the first '/' from the 9th character on; SQLite's LIKE ignores
	 * ASCII case, its substr and instr count UTF-8 characters, as re2's do,
	 * and its substr stops at a NUL: with one before that '/', the whole
	 * Referer) */
	snprintf(
	    sql, sizeof(sql),
	    "SELECT o, min(referer_class), uniqExact(src_ip) AS h, count() AS n FROM ("
	    " SELECT referer_class, src_ip, if((lower(substringUTF8(referer, 1, 7)) = 'http://' OR"
	    " lower(substringUTF8(referer, 1, 8)) = 'https://') AND match(referer, "
	    "'^(?s)[^\\\\x00]{8}[^/\\\\x00]*/'),"
	    " extract(referer, '^((?s).{8}[^/]*)/'), referer) AS o"
	    " FROM %s.views FINAL WHERE %s AND isNotNull(referer) AND referer != '')"
	    " GROUP BY o ORDER BY h DESC, n DESC, o LIMIT 50",
	    c->c_db, wve);
	if (chdb_run(c, sql, 4, &r, err, errlen) != 0)
		return -1;
	rc = chdb_rows_into(&r, out[1], -1, err, errlen);
	chdb_rows_free(&r);
	return rc;
}

/* ---- countries ---- */

int chdb_country_hosts(chdb_s *c, srow_s **rows, int *n, long long *total, char *err, size_t errlen)
{
	char sql[4096], wr[1024], wv[1024];
	static const int hosts_at[] = {0};
	rows_s r;
	int rc;

	chdb_where(c, wr, sizeof(wr), "ts", 1);
	chdb_where(c, wv, sizeof(wv), "started_at", 1);
	/* a host's country as rdb.c's host table picks it: from its earliest
	 * host-hour (a request, or a view with a frame) with one, the smaller
	 * code within that hour; hosts are those that made a request */
	snprintf(
	    sql, sizeof(sql),
	    "SELECT if(cc = '', 'unknown', cc) AS k, uniqExact(src_ip) FROM ("
	    " SELECT sensor, src_ip, max(a) AS a, tupleElement(minIf((h, cn), cn != ''), 2) AS cc"
	    " FROM (SELECT sensor, src_ip, 1 AS a, intDiv(ts, 3600000) AS h,"
	    " ifNull(country, '') AS cn FROM %s.requests FINAL WHERE %s"
	    " UNION ALL SELECT sensor, src_ip, 0 AS a, intDiv(started_at, 3600000) AS h,"
	    " ifNull(country, '') AS cn FROM %s.views FINAL WHERE frames >= 1 AND %s)"
	    " GROUP BY sensor, src_ip) WHERE a > 0 GROUP BY k",
	    c->c_db, wr, c->c_db, wv);
	if (chdb_run(c, sql, 2, &r, err, errlen) != 0)
		return -1;
	rc = chdb_merge(rows, n, &r, hosts_at, 1);
	chdb_rows_free(&r);
	if (rc != 0)
		return chdb_oom(err, errlen);
	/* an address counts once in the total, whatever its countries */
	snprintf(sql, sizeof(sql), "SELECT uniqExact(src_ip), 0 FROM %s.requests FINAL WHERE %s",
	         c->c_db, wr);
	if (chdb_run(c, sql, 2, &r, err, errlen) != 0)
		return -1;
	*total = r.r_rows > 0 ? chdb_num(&r, 0, 0) : 0;
	chdb_rows_free(&r);
	return 0;
}

int chdb_countries(chdb_s *c, table_s **out, char *err, size_t errlen)
{
	char sql[4096], wv[1024];
	srow_s *rows = NULL;
	rows_s r;
	long long hosts = 0, views = 0;
	int n = 0, rc = -1;

	out[0] = output_new(OUT_COUNTRIES);
	if (out[0] == NULL)
		return chdb_oom(err, errlen);
	chdb_where(c, wv, sizeof(wv), "started_at", 1);
	static const int views_at[] = {1};
	if (chdb_country_hosts(c, &rows, &n, &hosts, err, errlen) != 0)
		goto out;
	snprintf(sql, sizeof(sql),
	         "SELECT if(ifNull(country, '') = '', 'unknown', assumeNotNull(country)) AS k,"
	         " count() FROM %s.views FINAL WHERE %s GROUP BY k",
	         c->c_db, wv);
	if (chdb_run(c, sql, 2, &r, err, errlen) != 0)
		goto out;
	if (chdb_merge(&rows, &n, &r, views_at, 1) != 0)
		goto oom;
	chdb_rows_free(&r);
	for (int i = 0; i < n; i++)
		views += rows[i].v[1];
	if (n > 1)
		qsort(rows, (size_t)n, sizeof(rows[0]), chdb_srow_cmp_figures);
	rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		char h[24], hp[32], v[24], vp[32];
		snprintf(h, sizeof(h), "%lld", rows[i].v[0]);
		snprintf(v, sizeof(v), "%lld", rows[i].v[1]);
		chdb_fixed(hp, sizeof(hp),
		           100.0 * (double)rows[i].v[0] / (double)(hosts > 1 ? hosts : 1), 1);
		chdb_fixed(vp, sizeof(vp),
		           100.0 * (double)rows[i].v[1] / (double)(views > 1 ? views : 1), 1);
		const char *vals[5] = {rows[i].k, h, hp, v, vp};
		if (table_add(out[0], vals, NULL) != 0) {
			rc = chdb_oom(err, errlen);
		}
	}
	goto out;
oom:
	chdb_rows_free(&r);
	chdb_oom(err, errlen);
out:
	chdb_srows_free(rows, n);
	return rc;
}

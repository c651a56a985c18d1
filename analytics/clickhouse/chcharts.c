/* chcharts: what report --out adds over ClickHouse: the charts' data and the longest views, as
 * the SQLite backend's queries give them. */
#include "chdb_int.h"

#include "charts.h"
#include "outputs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int chdb_longest(chdb_s *c, table_s **out, char *err, size_t errlen)
{
	char sql[2048], wv[1024];

	if ((out[0] = output_new(OUT_LONGEST_VIEWS)) == NULL)
		return chdb_oom(err, errlen);
	chdb_where(c, wv, sizeof(wv), "started_at", 0);
	snprintf(sql, sizeof(sql),
	         "SELECT id, sensor, kind, toString(toDateTime(intDiv(started_at, 1000), %s)),"
	         " ifNull(duration_ms, 0), src_ip, country, referer_class, client_class, frames,"
	         " user_agent FROM %s.views FINAL WHERE %s"
	         " ORDER BY duration_ms DESC NULLS LAST, started_at, sensor, id LIMIT 100",
	         c->c_tz, c->c_db, wv);
	return chdb_each_into(c, sql, 11, out[0], 4, err, errlen);
}

/* One figure of an answer of one row. */
static int one_number(chdb_s *c, const char *sql, long long *out, char *err, size_t errlen)
{
	rows_s r;

	if (chdb_run(c, sql, 2, &r, err, errlen) != 0)
		return -1;
	*out = r.r_rows > 0 ? chdb_num(&r, 0, 0) : 0;
	chdb_rows_free(&r);
	return 0;
}

/* The top ten countries by hosts and the others as one row, as the SQLite
 * chart's query ranks them (hosts, then the name). */
static int country_shares(chdb_s *c, table_s *t, char *err, size_t errlen)
{
	srow_s *rows = NULL;
	long long total = 0, others = 0;
	int n = 0, rc = 0;

	if (chdb_country_hosts(c, &rows, &n, &total, err, errlen) != 0) {
		rc = -1;
		goto out;
	}
	qsort(rows, (size_t)n, sizeof(rows[0]), chdb_srow_cmp_figures); /* v[1] is 0 */
	for (int i = 0; i < n; i++)
		if (i >= 10)
			others += rows[i].v[0];
	for (int i = 0; i < (n > 10 ? 11 : n) && rc == 0; i++) {
		long long v = i < 10 ? rows[i].v[0] : others;
		char h[24], pct[32];
		snprintf(h, sizeof(h), "%lld", v);
		chdb_fixed(pct, sizeof(pct), 100.0 * (double)v / (double)(total > 1 ? total : 1),
		           1);
		const char *vals[3] = {i < 10 ? rows[i].k : "others", h, pct};
		if (table_add(t, vals, NULL) != 0) {
			rc = chdb_oom(err, errlen);
		}
	}
out:
	chdb_srows_free(rows, n);
	return rc;
}

/* Each class's CDF: c, duration, rank, count from ClickHouse; the
 * fraction written as SQLite's printf('%.4f', 1.0 * rn / cnt) would. */
typedef struct {
	table_s *cf_t;
	char *cf_err;
	size_t cf_errlen;
} cdf_s;

static int cdf_row(void *arg, const char *const *cells, const size_t *lens)
{
	cdf_s *f = arg;
	char d[32], frac[32];
	long long rn = cells[2] ? atoll(cells[2]) : 0, cnt = cells[3] ? atoll(cells[3]) : 1;

	(void)lens;
	chdb_secs(d, sizeof(d), cells[1] ? atoll(cells[1]) : 0);
	chdb_fixed(frac, sizeof(frac), 1.0 * (double)rn / (double)(cnt > 0 ? cnt : 1), 4);
	const char *vals[3] = {cells[0], d, frac};
	if (table_add(f->cf_t, vals, NULL) != 0) {
		chdb_oom(f->cf_err, f->cf_errlen);
		return -1;
	}
	return 0;
}

int chdb_charts(chdb_s *c, chart_data_s *d, char *err, size_t errlen)
{
	char sql[4096], wr[1024], wv[1024], wvh[1024], wl[1024], bucket[512];
	long long span = 0, seen = 0, first = 0, nviews = 0;
	rows_s r;

	chdb_where(c, wr, sizeof(wr), "ts", 1);
	chdb_where(c, wvh, sizeof(wvh), "started_at", 1);
	chdb_where(c, wv, sizeof(wv), "started_at", 0);
	chdb_where(c, wl, sizeof(wl), "ts", 0);
	/* the host-hours' span: hourly buckets for short spans, daily beyond */
	snprintf(sql, sizeof(sql),
	         "SELECT max(h) - min(h), count() FROM (SELECT intDiv(ts, 3600000) AS h FROM"
	         " %s.requests FINAL WHERE %s UNION ALL SELECT intDiv(started_at, 3600000) AS h"
	         " FROM %s.views FINAL WHERE frames >= 1 AND %s)",
	         c->c_db, wr, c->c_db, wvh);
	if (chdb_run(c, sql, 2, &r, err, errlen) != 0)
		return -1;
	span = r.r_rows > 0 && chdb_num(&r, 0, 1) > 0 ? chdb_num(&r, 0, 0) * 3600 : 0;
	chdb_rows_free(&r);
	int hourly = span <= CHARTS_HOURLY_SPAN_S;
	snprintf(sql, sizeof(sql),
	         "SELECT min(started_at), count() FROM %s.views FINAL WHERE %s"
	         " AND referer_class IN ('insecam', 'directory') AND frames >= 1",
	         c->c_db, wv);
	if (chdb_run(c, sql, 2, &r, err, errlen) != 0)
		return -1;
	seen = r.r_rows > 0 ? chdb_num(&r, 0, 1) : 0;
	first = r.r_rows > 0 ? chdb_num(&r, 0, 0) : 0;
	chdb_rows_free(&r);
	if (seen > 0) {
		time_t sec = (time_t)(first / 1000);
		struct tm tm;
		d->cd_listing_s = (double)first / 1000.0;
		localtime_r(&sec, &tm); /* TZ is the report's zone */
		strftime(d->cd_listing_bucket, sizeof(d->cd_listing_bucket),
		         hourly ? "%Y-%m-%d %H:00" : "%Y-%m-%d", &tm);
	}
	/* hosts per bucket: accessed, from Insecam, fetched images */
	if (hourly)
		snprintf(bucket, sizeof(bucket),
		         "concat(substring(toString(toDateTime(h * 3600, %s)), 1, 13), ':00')",
		         c->c_tz);
	else
		snprintf(bucket, sizeof(bucket), "toString(toDate(toDateTime(h * 3600), %s))",
		         c->c_tz);
	snprintf(sql, sizeof(sql),
	         "SELECT b, uniqExactIf(src_ip, a > 0), uniqExactIf(src_ip, i > 0),"
	         " uniqExactIf(src_ip, f > 0) FROM (SELECT %s AS b, src_ip, a, i, f FROM ("
	         " SELECT intDiv(ts, 3600000) AS h, src_ip, 1 AS a, referer_class = 'insecam' AS i,"
	         " 0 AS f FROM %s.requests FINAL WHERE %s UNION ALL SELECT intDiv(started_at,"
	         " 3600000) AS h, src_ip, 0 AS a, 0 AS i, 1 AS f FROM %s.views FINAL"
	         " WHERE frames >= 1 AND %s)) GROUP BY b ORDER BY b",
	         bucket, c->c_db, wr, c->c_db, wvh);
	if (chdb_each_into(c, sql, 4, d->cd_data[1], -1, err, errlen) != 0)
		return -1;
	/* a uniform sample of the views (id % k = 0) for the dots, by the
	 * size of each country's share of it */
	snprintf(sql, sizeof(sql), "SELECT count(), 0 FROM %s.views FINAL WHERE %s", c->c_db, wv);
	if (one_number(c, sql, &nviews, err, errlen) != 0)
		return -1;
	long long k = nviews / CHARTS_DOTS + 1;
	snprintf(sql, sizeof(sql),
	         "SELECT started_at, ifNull(duration_ms, 0), ifNull(country, 'unknown') FROM ("
	         " SELECT started_at, duration_ms, country, ifNull(country, '') AS ck, sensor, id"
	         " FROM %s.views FINAL WHERE %s AND id %% %lld = 0)"
	         " ANY LEFT JOIN (SELECT ifNull(country, '') AS ck, count() AS cnt FROM %s.views"
	         " FINAL WHERE %s AND id %% %lld = 0 GROUP BY ck) USING ck"
	         " ORDER BY cnt DESC, ck, started_at, sensor, id",
	         c->c_db, wv, k, c->c_db, wv, k);
	if (chdb_each_into(c, sql, 3, d->cd_data[0], 1, err, errlen) != 0 ||
	    country_shares(c, d->cd_data[2], err, errlen) != 0)
		return -1;
	/* the CDF per class from a sample of at most ~CHARTS_CDF_IN views */
	k = nviews / CHARTS_CDF_IN + 1;
	snprintf(
	    sql, sizeof(sql),
	    "SELECT c, d, rn, cnt FROM (SELECT c, ds, length(ds) AS cnt, arrayEnumerate(ds) AS rns"
	    " FROM (SELECT referer_class AS c, arraySort(groupArray(ifNull(duration_ms, 0)))"
	    " AS ds FROM %s.views FINAL WHERE %s AND id %% %lld = 0 GROUP BY c))"
	    " ARRAY JOIN ds AS d, rns AS rn WHERE rn %% (intDiv(cnt, %d) + 1) = 0 OR rn = cnt"
	    " ORDER BY c, d, rn",
	    c->c_db, wv, k, CHARTS_CDF_PTS);
	cdf_s f = {d->cd_data[3], err, errlen};
	if (chdb_each(c, sql, 4, cdf_row, &f, err, errlen) != 0)
		return -1;
	snprintf(sql, sizeof(sql),
	         "SELECT matched_view, shown_at, ts, channel, ifNull(moved_ip, 0) FROM %s.logins"
	         " FINAL WHERE %s AND match_kind IN ('exact', 'password-only') AND"
	         " isNotNull(shown_at) ORDER BY ts, sensor, id",
	         c->c_db, wl);
	if (chdb_each_into(c, sql, 5, d->cd_data[4], -1, err, errlen) != 0)
		return -1;
	snprintf(sql, sizeof(sql),
	         "SELECT toString(toDate(toDateTime(intDiv(ts, 1000)), %s)) AS day, family, count()"
	         " FROM %s.exploits FINAL WHERE %s GROUP BY day, family ORDER BY day, family",
	         c->c_tz, c->c_db, wl);
	if (chdb_each_into(c, sql, 3, d->cd_data[6], -1, err, errlen) != 0)
		return -1;
	return chdb_funnel(c, &d->cd_data[5], err, errlen);
}

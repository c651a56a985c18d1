/* chdb: the report's figures as ClickHouse queries over the fleet's tables,
 * each answer (TSV) read into the same tables the SQLite backend fills. */
#include "chdb.h"

#include "escape.h"
#include "outputs.h"
#include "strbuf.h"

#include <curl/curl.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHDB_ANSWER_MAX (64u << 20) /* a report's answer is rows of results, not rows */
#define CHDB_KEYS_MAX   100000      /* days or sensors in one table */
#define USE_KINDS       "('exact', 'password-only', 'static')"

struct chdb {
	char *c_url, *c_db;
	CURL *c_curl;
	chdb_filter_s c_f;
	char c_sensor[300], c_persona[300], c_tz[300]; /* as ClickHouse string literals */
};

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
	strbuf_add(arg, p, size * n);
	return ((strbuf_s *)arg)->sb_oom ? 0 : size * n; /* past the bound: the transfer stops */
}

/* s as a ClickHouse string literal: quotes, backslashes and every byte
 * outside printable ASCII as \xHH; bounded (a name too long is an error). */
static int literal(char *out, size_t cap, const char *s)
{
	size_t n = 0;

	if (cap < 3)
		return -1;
	out[n++] = '\'';
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (n + 5 >= cap)
			return -1;
		if (*p == '\'' || *p == '\\') {
			out[n++] = '\\';
			out[n++] = (char)*p;
		} else if (*p < 0x20 || *p > 0x7e) {
			n += (size_t)snprintf(out + n, cap - n, "\\x%02X", *p);
		} else {
			out[n++] = (char)*p;
		}
	}
	out[n++] = '\'';
	out[n] = '\0';
	return 0;
}

chdb_s *chdb_open(const char *url, const char *database, const chdb_filter_s *f, char *err,
                  size_t errlen)
{
	chdb_s *c = calloc(1, sizeof(*c));

	if (c == NULL || (c->c_url = strdup(url)) == NULL || (c->c_db = strdup(database)) == NULL ||
	    (c->c_curl = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "report: out of memory");
		chdb_close(c);
		return NULL;
	}
	c->c_f = *f;
	if ((f->cf_sensor != NULL &&
	     literal(c->c_sensor, sizeof(c->c_sensor), f->cf_sensor) != 0) ||
	    (f->cf_persona != NULL &&
	     literal(c->c_persona, sizeof(c->c_persona), f->cf_persona) != 0) ||
	    literal(c->c_tz, sizeof(c->c_tz), f->cf_tz != NULL ? f->cf_tz : "UTC") != 0) {
		snprintf(err, errlen, "report: --sensor, --persona or --tz is too long");
		chdb_close(c);
		return NULL;
	}
	return c;
}

void chdb_close(chdb_s *c)
{
	if (c == NULL)
		return;
	if (c->c_curl != NULL)
		curl_easy_cleanup(c->c_curl);
	free(c->c_url);
	free(c->c_db);
	free(c);
}

/* ---- a query and its TSV answer ---- */

typedef struct {
	char **r_cells; /* rows x ncols, NULL for \N */
	size_t *r_lens; /* their lengths (a cell may hold a NUL byte) */
	int r_rows, r_cols;
} rows_s;

static void rows_free(rows_s *r)
{
	for (int i = 0; r->r_cells != NULL && i < r->r_rows * r->r_cols; i++)
		free(r->r_cells[i]);
	free(r->r_cells);
	free(r->r_lens);
	memset(r, 0, sizeof(*r));
}

/* One TSV field, unescaped (\t \n \\ \' \0 ...), NULL for \N. */
static char *field(const char *p, size_t n, size_t *len)
{
	char *out;
	size_t k = 0;

	*len = 0;
	if (n == 2 && p[0] == '\\' && p[1] == 'N')
		return NULL;
	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char ch = p[i];
		if (ch == '\\' && i + 1 < n) {
			char e = p[++i];
			ch = e == 't'   ? '\t'
			     : e == 'n' ? '\n'
			     : e == 'r' ? '\r'
			     : e == '0' ? '\0'
			     : e == 'b' ? '\b'
			     : e == 'f' ? '\f'
			                : e;
		}
		out[k++] = ch;
	}
	out[k] = '\0';
	*len = k;
	return out;
}

/* A TSV answer of ncols columns into out: 0, or -1 (too many rows, or out
 * of memory; out is empty then). A short row's missing cells are NULL. */
static int parse_tsv(const char *p0, size_t len, int ncols, rows_s *out)
{
	memset(out, 0, sizeof(*out));
	out->r_cols = ncols;
	for (size_t i = 0; p0 != NULL && i < len;) {
		const char *line = p0 + i, *end = memchr(line, '\n', len - i);
		size_t n = end != NULL ? (size_t)(end - line) : len - i;
		char **cells =
		    out->r_rows >= CHDB_KEYS_MAX
		        ? NULL
		        : realloc(out->r_cells,
		                  sizeof(char *) * (size_t)(out->r_rows + 1) * (size_t)ncols);
		if (cells != NULL)
			out->r_cells = cells;
		size_t *lens =
		    cells == NULL
		        ? NULL
		        : realloc(out->r_lens,
		                  sizeof(size_t) * (size_t)(out->r_rows + 1) * (size_t)ncols);
		if (lens == NULL) {
			rows_free(out);
			return -1;
		}
		out->r_lens = lens;
		const char *p = line;
		for (int col = 0; col < ncols; col++) {
			const char *tab = p <= line + n && col + 1 < ncols
			                      ? memchr(p, '\t', (size_t)(line + n - p))
			                      : NULL;
			size_t flen =
			    p <= line + n ? (size_t)((tab != NULL ? tab : line + n) - p) : 0;
			size_t at = (size_t)out->r_rows * (size_t)ncols + (size_t)col;
			lens[at] = 0;
			cells[at] = p <= line + n ? field(p, flen, &lens[at]) : NULL;
			p = tab != NULL ? tab + 1 : line + n + 1;
		}
		out->r_rows++;
		i += n + 1;
	}
	return 0;
}

int chdb_tsv_rows(const char *p, size_t n, int ncols)
{
	rows_s r;
	int rows;

	if (ncols < 1 || ncols > 64 || parse_tsv(p, n, ncols, &r) != 0)
		return -1;
	rows = r.r_rows;
	rows_free(&r);
	return rows;
}

static int run(chdb_s *c, const char *sql, int ncols, rows_s *out, char *err, size_t errlen)
{
	strbuf_s q = {0}, ans = {.sb_max = CHDB_ANSWER_MAX};
	long code = 0;
	CURLcode rc;

	memset(out, 0, sizeof(*out));
	strbuf_add(&q, sql, strlen(sql));
	strbuf_add(&q, " FORMAT TSV", 11);
	curl_easy_reset(c->c_curl);
	curl_easy_setopt(c->c_curl, CURLOPT_URL, c->c_url);
	curl_easy_setopt(c->c_curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c->c_curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c->c_curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->c_curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c->c_curl, CURLOPT_TIMEOUT, 600L);
	curl_easy_setopt(c->c_curl, CURLOPT_POSTFIELDS, q.sb_p);
	curl_easy_setopt(c->c_curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q.sb_len);
	curl_easy_setopt(c->c_curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c->c_curl, CURLOPT_WRITEDATA, &ans);
	curl_easy_setopt(c->c_curl, CURLOPT_USERAGENT, "camdecoy-report");
	rc = q.sb_oom ? CURLE_OUT_OF_MEMORY : curl_easy_perform(c->c_curl);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c->c_curl, CURLINFO_RESPONSE_CODE, &code);
	free(q.sb_p);
	if (rc != CURLE_OK || code != 200) {
		char msg[200] = "";
		if (ans.sb_p != NULL)
			for (size_t i = 0; i < ans.sb_len && i + 1 < sizeof(msg); i++)
				msg[i] =
				    ans.sb_p[i] >= 0x20 && ans.sb_p[i] < 0x7f ? ans.sb_p[i] : ' ';
		snprintf(err, errlen, "report: clickhouse: %s",
		         rc != CURLE_OK ? curl_easy_strerror(rc) : msg);
		free(ans.sb_p);
		return -1;
	}
	if (parse_tsv(ans.sb_p, ans.sb_len, ncols, out) != 0) {
		snprintf(err, errlen, "report: clickhouse: answer too large");
		free(ans.sb_p);
		return -1;
	}
	free(ans.sb_p);
	return 0;
}

static const char *cell(const rows_s *r, int row, int col)
{
	return r->r_cells[row * r->r_cols + col];
}

static long long num(const rows_s *r, int row, int col)
{
	const char *s = cell(r, row, col);
	return s != NULL ? atoll(s) : 0;
}

/* ---- filters ---- */

/* The report's filters on a time column: whole hours (hour = 1: as the
 * SQLite summaries keep them) or the exact time. */
static void where(const chdb_s *c, char *out, size_t cap, const char *col, int hour)
{
	char t[96];
	size_t n;

	if (hour)
		snprintf(t, sizeof(t), "intDiv(%s, 3600000) * 3600000", col);
	else
		snprintf(t, sizeof(t), "%s", col);
	n = (size_t)snprintf(out, cap, "%s >= %lld AND %s < %lld", t, (long long)c->c_f.cf_since, t,
	                     (long long)c->c_f.cf_until);
	if (c->c_f.cf_sensor != NULL && n < cap)
		n += (size_t)snprintf(out + n, cap - n, " AND sensor = %s", c->c_sensor);
	if (c->c_f.cf_persona != NULL && n < cap)
		snprintf(out + n, cap - n, " AND persona = %s", c->c_persona);
}

/* ---- summary ---- */

typedef struct {
	char *k;
	long long v[9]; /* a i f st po b sc n u */
} srow_s;

static int srow_cmp(const void *a, const void *b)
{
	return strcmp(((const srow_s *)a)->k, ((const srow_s *)b)->k);
}

/* The row of key k in rows (added if new); NULL when out of memory. */
static srow_s *srow(srow_s **rows, int *n, const char *k)
{
	for (int i = 0; i < *n; i++)
		if (strcmp((*rows)[i].k, k) == 0)
			return &(*rows)[i];
	srow_s *more = realloc(*rows, sizeof(srow_s) * (size_t)(*n + 1));
	if (more == NULL)
		return NULL;
	*rows = more;
	memset(&more[*n], 0, sizeof(more[*n]));
	if ((more[*n].k = strdup(k)) == NULL)
		return NULL;
	return &more[(*n)++];
}

/* Adds one answer (key, then its figures) to the rows: figure j goes to
 * v[slot[j]]. A NULL key is no row (as SQLite's keys.k IS NOT NULL). 0, or
 * -1 out of memory (never a row silently left out). */
static int merge(srow_s **rows, int *n, const rows_s *r, const int *slot, int nslot)
{
	for (int i = 0; i < r->r_rows; i++) {
		if (cell(r, i, 0) == NULL)
			continue;
		srow_s *s = srow(rows, n, cell(r, i, 0));
		if (s == NULL)
			return -1;
		for (int j = 0; j < nslot; j++)
			s->v[slot[j]] = num(r, i, 1 + j);
	}
	return 0;
}

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
	if (always != NULL && srow(&rows, &n, always) == NULL) {
		snprintf(err, errlen, "report: out of memory");
		goto out;
	}
	where(c, wr, sizeof(wr), "ts", 1);
	where(c, wv, sizeof(wv), "started_at", 1);
	where(c, wl, sizeof(wl), "ts", 0);
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
	if (run(c, sql, 6, &r, err, errlen) != 0)
		goto out;
	static const int hosts_at[] = {0, 1, 2, 5, 6}, views_at[] = {3, 4}, logins_at[] = {7, 8};
	if (merge(&rows, &n, &r, hosts_at, 5) != 0)
		goto oom;
	rows_free(&r);
	snprintf(sql, sizeof(sql),
	         "SELECT materialize(%s) AS k, countIf(kind = 'stream'), countIf(kind = 'poll') "
	         "FROM %s.views FINAL"
	         " WHERE %s GROUP BY k",
	         kview, c->c_db, wv);
	if (run(c, sql, 3, &r, err, errlen) != 0)
		goto out;
	if (merge(&rows, &n, &r, views_at, 2) != 0)
		goto oom;
	rows_free(&r);
	snprintf(sql, sizeof(sql),
	         "SELECT materialize(%s) AS k, count(), countIf(match_kind IN " USE_KINDS
	         ") FROM %s.logins FINAL"
	         " WHERE %s GROUP BY k",
	         klogin, c->c_db, wl);
	if (run(c, sql, 3, &r, err, errlen) != 0)
		goto out;
	if (merge(&rows, &n, &r, logins_at, 2) != 0)
		goto oom;
	rows_free(&r);
	if (n > 1)
		qsort(rows, (size_t)n, sizeof(rows[0]), srow_cmp);
	rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		char v[9][24];
		const char *vals[10] = {rows[i].k};
		for (int k = 0; k < 9; k++) {
			snprintf(v[k], sizeof(v[k]), "%lld", rows[i].v[k]);
			vals[k + 1] = v[k];
		}
		if (table_add(t, vals, NULL) != 0) {
			snprintf(err, errlen, "report: out of memory");
			rc = -1;
		}
	}
	goto out;
oom:
	rows_free(&r);
	snprintf(err, errlen, "report: out of memory");
out:
	for (int i = 0; i < n; i++)
		free(rows[i].k);
	free(rows);
	return rc;
}

/* x >= 0 with d decimals the way SQLite's printf('%.Nf') writes it: half
 * away from zero (C's printf rounds 0.125 to 0.12, SQLite to 0.13). */
static void fixed(char *out, size_t cap, double x, int d)
{
	double scale = d == 1 ? 10.0 : 100.0;

	snprintf(out, cap, "%.*f", d, floor(x * scale + 0.5) / scale);
}

/* The listing moment, as query.c's LISTING_SQL computes it. */
static int listing_into(chdb_s *c, table_s *t, char *err, size_t errlen)
{
	char sql[2048], wv[1024], wr[1024];
	rows_s r;

	where(c, wv, sizeof(wv), "started_at", 0);
	where(c, wr, sizeof(wr), "ts", 0);
	snprintf(
	    sql, sizeof(sql),
	    "SELECT started_at, referer_class, toString(toDateTime(intDiv(started_at, 1000), %s))"
	    " FROM %s.views FINAL WHERE %s AND referer_class IN ('insecam', 'directory')"
	    " AND frames >= 1 ORDER BY started_at, id LIMIT 1",
	    c->c_tz, c->c_db, wv);
	if (run(c, sql, 3, &r, err, errlen) != 0)
		return -1;
	if (r.r_rows == 0) {
		rows_free(&r);
		return 0;
	}
	long long at = num(&r, 0, 0);
	char cls[64], when[64];
	snprintf(cls, sizeof(cls), "%s", cell(&r, 0, 1) ? cell(&r, 0, 1) : "");
	snprintf(when, sizeof(when), "%s", cell(&r, 0, 2) ? cell(&r, 0, 2) : "");
	rows_free(&r);
	snprintf(sql, sizeof(sql),
	         "SELECT uniqExactIf(src_ip, ts < %lld), minIf(ts, ts < %lld),"
	         " uniqExactIf(src_ip, ts >= %lld), maxIf(ts, ts >= %lld)"
	         " FROM %s.requests FINAL WHERE %s",
	         at, at, at, at, c->c_db, wr);
	if (run(c, sql, 4, &r, err, errlen) != 0)
		return -1;
	long long hb = r.r_rows ? num(&r, 0, 0) : 0, ha = r.r_rows ? num(&r, 0, 2) : 0;
	/* no request on a side: its span is from (or to) the listing itself */
	long long t0 = hb > 0 ? num(&r, 0, 1) : at, t1 = ha > 0 ? num(&r, 0, 3) : at;
	rows_free(&r);
	long long db = (at - t0 + 86399999) / 86400000, da = (t1 - at + 86399999) / 86400000;
	if (db < 1)
		db = 1;
	if (da < 1)
		da = 1;
	char v[7][32];
	snprintf(v[0], sizeof(v[0]), "%lld", hb);
	snprintf(v[1], sizeof(v[1]), "%lld", db);
	fixed(v[2], sizeof(v[2]), (double)hb / (double)db, 2);
	snprintf(v[3], sizeof(v[3]), "%lld", ha);
	snprintf(v[4], sizeof(v[4]), "%lld", da);
	fixed(v[5], sizeof(v[5]), (double)ha / (double)da, 2);
	fixed(v[6], sizeof(v[6]),
	      hb > 0 ? ((double)ha / (double)da) / ((double)hb / (double)db) : 0, 1);
	const char *vals[9] = {when, cls, v[0], v[1], v[2], v[3], v[4], v[5], hb > 0 ? v[6] : NULL};
	if (table_add(t, vals, NULL) != 0) {
		snprintf(err, errlen, "report: out of memory");
		return -1;
	}
	return 0;
}

int chdb_summary(chdb_s *c, table_s **out, char *err, size_t errlen)
{
	char kr[512], kv[512], kl[512];

	out[0] = output_new(OUT_SUMMARY);
	out[1] = output_new(OUT_SENSORS);
	out[2] = output_new(OUT_LISTING);
	if (out[0] == NULL || out[1] == NULL || out[2] == NULL) {
		snprintf(err, errlen, "report: out of memory");
		return -1;
	}
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

/* Copies a query's rows into t as they are (lengths kept); fmt_col >= 0:
 * that column holds milliseconds, written as seconds with 3 decimals (as
 * printf('%.3f', ms / 1000.0) does, exactly, from the integer). */
static int rows_into(const rows_s *r, table_s *t, int fmt_col, char *err, size_t errlen)
{
	for (int i = 0; i < r->r_rows; i++) {
		const char *vals[32];
		size_t lens[32];
		char secs[32];
		for (int col = 0; col < r->r_cols && col < 32; col++) {
			vals[col] = cell(r, i, col);
			lens[col] = r->r_lens[(size_t)i * (size_t)r->r_cols + (size_t)col];
			if (col == fmt_col && vals[col] != NULL) {
				long long ms = atoll(vals[col]), a = ms < 0 ? -ms : ms;
				snprintf(secs, sizeof(secs), "%s%lld.%03lld", ms < 0 ? "-" : "",
				         a / 1000, a % 1000);
				vals[col] = secs;
				lens[col] = strlen(secs);
			}
		}
		if (table_add(t, vals, lens) != 0) {
			snprintf(err, errlen, "report: out of memory");
			return -1;
		}
	}
	return 0;
}

int chdb_credentials(chdb_s *c, table_s **out, char *err, size_t errlen)
{
	char sql[2048], wl[1024];
	rows_s r;
	int rc;

	out[0] = output_new(OUT_CREDENTIAL_USES);
	out[1] = output_new(OUT_TOP_PAIRS);
	if (out[0] == NULL || out[1] == NULL) {
		snprintf(err, errlen, "report: out of memory");
		return -1;
	}
	where(c, wl, sizeof(wl), "ts", 0);
	snprintf(
	    sql, sizeof(sql),
	    "SELECT toString(toDateTime(intDiv(ts, 1000), %s)), sensor, channel, src_ip, country,"
	    " username, password, matched_view, match_kind, view_src_ip, view_country,"
	    " view_referer_class, toString(toDateTime(intDiv(shown_at, 1000), %s)), lag_ms,"
	    " moved_ip, moved_country FROM %s.logins FINAL WHERE %s AND match_kind IN " USE_KINDS
	    " ORDER BY ts, sensor, id",
	    c->c_tz, c->c_tz, c->c_db, wl);
	if (run(c, sql, 16, &r, err, errlen) != 0)
		return -1;
	rc = rows_into(&r, out[0], 13, err, errlen);
	rows_free(&r);
	if (rc != 0)
		return -1;
	/* the ten most tried pairs of each channel; SQLite sorts NULL first */
	snprintf(sql, sizeof(sql),
	         "SELECT channel, username, password, count() AS n, uniqExact(src_ip)"
	         " FROM %s.logins FINAL WHERE %s GROUP BY channel, username, password"
	         " ORDER BY channel, n DESC, username NULLS FIRST, password NULLS FIRST"
	         " LIMIT 10 BY channel",
	         c->c_db, wl);
	if (run(c, sql, 5, &r, err, errlen) != 0)
		return -1;
	rc = rows_into(&r, out[1], -1, err, errlen);
	rows_free(&r);
	return rc;
}

/* ---- the viewer funnel ---- */

int chdb_funnel(chdb_s *c, table_s **out, char *err, size_t errlen)
{
	char sql[8192], wr[1024], wv[1024];
	rows_s r;
	int rc;

	out[0] = output_new(OUT_FUNNEL);
	if (out[0] == NULL) {
		snprintf(err, errlen, "report: out of memory");
		return -1;
	}
	where(c, wr, sizeof(wr), "ts", 0);
	where(c, wv, sizeof(wv), "started_at", 0);
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
	if (run(c, sql, 9, &r, err, errlen) != 0)
		return -1;
	rc = rows_into(&r, out[0], -1, err, errlen);
	rows_free(&r);
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
	if (out[0] == NULL || out[1] == NULL) {
		snprintf(err, errlen, "report: out of memory");
		return -1;
	}
	where(c, wr, sizeof(wr), "ts", 1);
	where(c, wv, sizeof(wv), "started_at", 1);
	where(c, wve, sizeof(wve), "started_at", 0);
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
	if (run(c, sql, 6, &r, err, errlen) != 0)
		return -1;
	for (int k = 0; k < 6 && r.r_rows > 0; k++)
		cls[k].rc_hosts = num(&r, 0, k);
	rows_free(&r);
	snprintf(
	    sql, sizeof(sql),
	    "SELECT referer_class, count() FROM %s.views FINAL WHERE %s GROUP BY referer_class",
	    c->c_db, wv);
	if (run(c, sql, 2, &r, err, errlen) != 0)
		return -1;
	for (int i = 0; i < r.r_rows; i++)
		for (int k = 0; k < 6; k++)
			if (cell(&r, i, 0) != NULL && strcmp(cell(&r, i, 0), cls[k].rc_name) == 0)
				cls[k].rc_views = num(&r, i, 1);
	rows_free(&r);
	qsort(cls, 6, sizeof(cls[0]), refclass_cmp);
	for (int k = 0; k < 6; k++) {
		char h[24], v[24];
		if (cls[k].rc_hosts == 0 && cls[k].rc_views == 0)
			continue;
		snprintf(h, sizeof(h), "%lld", cls[k].rc_hosts);
		snprintf(v, sizeof(v), "%lld", cls[k].rc_views);
		const char *vals[3] = {cls[k].rc_name, h, v};
		if (table_add(out[0], vals, NULL) != 0) {
			snprintf(err, errlen, "report: out of memory");
			return -1;
		}
	}
	/* origins (scheme://host of a Referer, as query.h's ORIGIN: what comes
	 * before the first '/' from the 9th character on; SQLite's LIKE ignores
	 * ASCII case, its substr and instr count UTF-8 characters, as re2's do) */
	snprintf(
	    sql, sizeof(sql),
	    "SELECT o, min(referer_class), uniqExact(src_ip) AS h, count() AS n FROM ("
	    " SELECT referer_class, src_ip, if((lower(substringUTF8(referer, 1, 7)) = 'http://' OR"
	    " lower(substringUTF8(referer, 1, 8)) = 'https://') AND match(referer, "
	    "'^(?s).{8}[^/]*/'),"
	    " extract(referer, '^((?s).{8}[^/]*)/'), referer) AS o"
	    " FROM %s.views FINAL WHERE %s AND isNotNull(referer) AND referer != '')"
	    " GROUP BY o ORDER BY h DESC, n DESC, o LIMIT 50",
	    c->c_db, wve);
	if (run(c, sql, 4, &r, err, errlen) != 0)
		return -1;
	rc = rows_into(&r, out[1], -1, err, errlen);
	rows_free(&r);
	return rc;
}

/* ---- check ---- */

/* One invariant over every (sensor, db_id): sql answers sensor, db_id, and
 * how many rows break it (or a figure to print); one line each. */
static int check_one(chdb_s *c, FILE *out, const char *what, const char *sql, int *bad, char *err,
                     size_t errlen)
{
	rows_s r;

	if (run(c, sql, 4, &r, err, errlen) != 0)
		return -1;
	for (int i = 0; i < r.r_rows; i++) {
		long long n = num(&r, i, 2);
		const char *sensor = cell(&r, i, 0) ? cell(&r, i, 0) : "";
		const char *db = cell(&r, i, 1) ? cell(&r, i, 1) : "";
		const char *why = cell(&r, i, 3) ? cell(&r, i, 3) : "";
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
	rows_free(&r);
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
	    " FROM (SELECT * FROM (SELECT sensor, db_id, sumIf(value, name = 'requests_seen') AS "
	    "seen,"
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

/* chabuse: the abuse subcommand over ClickHouse (the table and the XARF
 * notices), row by row from the answer, as abuse.c does over SQLite. */
#include "chdb_int.h"

#include "notices.h"
#include "outputs.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINES_MAX 5 /* an address's first request lines, for the evidence */

typedef struct {
	table_s *ab_t;            /* the table, or */
	abuse_notices_s *ab_note; /* the notices */
	strbuf_s ab_lines;
	char *ab_err;
	size_t ab_errlen;
} abuse_rows_s;

/* cells: the first 14 table columns, then the request lines, each "1"
 * and the line, "0" for a NULL one, "" for none (ClickHouse 18.16 mixes up
 * arrays of Nullable strings) */
static int abuse_row(void *arg, const char *const *cells, const size_t *lens)
{
	abuse_rows_s *a = arg;
	const char *vals[15];
	size_t l[15];
	int any = 0;

	strbuf_reset(&a->ab_lines);
	for (int k = 0; k < LINES_MAX; k++) {
		const char *line = cells[14 + k];
		if (line == NULL || line[0] != '1')
			continue; /* none, or a NULL line: group_concat leaves it out */
		if (any)
			strbuf_add(&a->ab_lines, " | ", 3);
		abuse_line(&a->ab_lines, line + 1, lens[14 + k] - 1);
		any = 1;
	}
	for (int c = 0; c < 14; c++) {
		vals[c] = cells[c];
		l[c] = lens[c];
	}
	vals[14] = any ? (a->ab_lines.sb_p != NULL ? a->ab_lines.sb_p : "") : NULL;
	l[14] = any ? a->ab_lines.sb_len : 0;
	if (a->ab_lines.sb_oom || (a->ab_t != NULL ? table_add(a->ab_t, vals, l)
	                                           : abuse_notices_row(a->ab_note, vals)) != 0) {
		chdb_oom(a->ab_err, a->ab_errlen);
		return -1;
	}
	return 0;
}

static int abuse_query(chdb_s *c, long long asn, abuse_rows_s *a, char *err, size_t errlen)
{
	char sql[8192], wl[1024], wr[1024], by_asn[64] = "", ips[2048];
	const char *d = c->c_db;
	int rc;

	chdb_where(c, wl, sizeof(wl), "ts", 0);
	chdb_where(c, wr, sizeof(wr), "ts", 0);
	if (asn > 0)
		snprintf(by_asn, sizeof(by_asn), " AND asn = %lld", asn);
	snprintf(ips, sizeof(ips), "(SELECT src_ip FROM %s.logins FINAL WHERE %s%s)", d, wl,
	         by_asn);
#define UTC(col)                                                                                   \
	"concat(replaceOne(toString(toDateTime(intDiv(" col ", 1000), 'UTC')), ' ', 'T'), 'Z')"
	/* per address: its requests in the period, and its first request lines
	 * of all (as abuse.c: the evidence starts at its first request); an
	 * address without a row on the right has n = 0 there, but its array
	 * is not always empty in ClickHouse 18.16: read only where n > 0 */
	snprintf(
	    sql, sizeof(sql),
	    "SELECT asn, as_org, country, src_ip, " UTC(
	        "ts") ", channel, username, match_kind,"
	              " toUInt8(match_kind IN " USE_KINDS
	              " AND isNotNull(matched_view)), matched_view,"
	              " if(isNotNull(shown_at), " UTC(
	                  "assumeNotNull(shown_at)") ", NULL), view_src_ip,"
	                                             " view_country, n, if(n > 0, ls[1], ''), "
	                                             "if(n > 0, ls[2], ''),"
	                                             " if(n > 0, ls[3], ''), if(n > 0, ls[4], "
	                                             "NULL), if(n > 0, ls[5], '') FROM ("
	                                             " SELECT * FROM %s.logins FINAL WHERE %s%s)"
	                                             " GLOBAL ANY LEFT JOIN (SELECT src_ip, n, "
	                                             "ls FROM ("
	                                             "  SELECT src_ip, count() AS n FROM "
	                                             "%s.requests FINAL WHERE %s AND src_ip GLOBAL "
	                                             "IN %s"
	                                             "  GROUP BY src_ip)"
	                                             " GLOBAL ANY LEFT JOIN ("
	                                             "  SELECT src_ip, arrayMap(x -> "
	                                             "tupleElement(x, 4), "
	                                             "arraySort(groupArray((ts, sensor,"
	                                             "  id, if(isNull(method) OR isNull(path), "
	                                             "'0', concat('1', assumeNotNull(method), ' ',"
	                                             " assumeNotNull(path))))))) AS ls "
	                                             "FROM ("
	                                             "   SELECT src_ip, ts, sensor, id, method, "
	                                             "path FROM %s.requests FINAL"
	                                             "   WHERE src_ip GLOBAL IN %s ORDER BY "
	                                             "src_ip, ts, sensor, id LIMIT %d BY src_ip)"
	                                             "  GROUP BY src_ip) USING src_ip) USING src_ip"
	                                             " ORDER BY isNull(asn), asn, src_ip, ts, "
	                                             "sensor, id",
	    d, wl, by_asn, d, wr, ips, d, ips, LINES_MAX);
	rc = chdb_each(c, sql, 14 + LINES_MAX, abuse_row, a, err, errlen);
	strbuf_free(&a->ab_lines);
	return rc;
}

/* Per AS, address and rule, the exploitation attempts, as abuse.c's. */
static int exploits_into(chdb_s *c, table_s *t, long long asn, char *err, size_t errlen)
{
	char sql[2048], w[1024], and_asn[64] = "";

	chdb_where(c, w, sizeof(w), "ts", 0);
	if (asn > 0)
		snprintf(and_asn, sizeof(and_asn), " AND asn = %lld", asn);
	snprintf(
	    sql, sizeof(sql),
	    "SELECT asn, max(as_org), max(country), src_ip, rule, ifNull(max(cve), ''), count(),"
	    " " UTC("min(ts)") ", " UTC(
	        "max(ts)") " FROM %s.exploits FINAL WHERE %s%s"
	                   " GROUP BY asn, src_ip, rule ORDER BY isNull(asn), asn, src_ip, rule",
	    c->c_db, w, and_asn);
	return chdb_each_into(c, sql, 9, t, -1, err, errlen);
}

/* Per AS, address and rule, its oldest attempt that carried indicators, as
 * abuse.c's samples. */
static int samples_into(chdb_s *c, table_s *t, long long asn, char *err, size_t errlen)
{
	char sql[2048], w[1024], and_asn[64] = "";

	chdb_where(c, w, sizeof(w), "ts", 0);
	if (asn > 0)
		snprintf(and_asn, sizeof(and_asn), " AND asn = %lld", asn);
	snprintf(sql, sizeof(sql),
	         "SELECT asn, src_ip, rule, ioc_urls, ioc_fetch FROM %s.exploits FINAL WHERE %s%s"
	         " AND (ifNull(ioc_urls, '') != '' OR ifNull(ioc_fetch, '') != '')"
	         " ORDER BY isNull(asn), asn, src_ip, rule, ts, sensor, id"
	         " LIMIT 1 BY asn, src_ip, rule",
	         c->c_db, w, and_asn);
	return chdb_each_into(c, sql, 5, t, -1, err, errlen);
}

int chdb_abuse(chdb_s *c, table_s **out, long long asn, char *err, size_t errlen)
{
	abuse_rows_s a = {.ab_err = err, .ab_errlen = errlen};

	if ((out[0] = a.ab_t = output_new(OUT_ABUSE)) == NULL ||
	    (out[1] = output_new(OUT_ABUSE_EXPLOITS)) == NULL)
		return chdb_oom(err, errlen);
	if (abuse_query(c, asn, &a, err, errlen) != 0)
		return -1;
	return exploits_into(c, out[1], asn, err, errlen);
}

int chdb_abuse_xarf(chdb_s *c, long long asn, const abuse_reporter_s *rep, FILE *out, char *err,
                    size_t errlen)
{
	abuse_notices_s n;
	abuse_rows_s a = {.ab_note = &n, .ab_err = err, .ab_errlen = errlen};
	int rc;

	abuse_notices_init(&n, rep, out);
	rc = abuse_query(c, asn, &a, err, errlen);
	if (abuse_notices_end(&n) != 0 && rc == 0) {
		snprintf(err, errlen, "abuse: out of memory");
		rc = -1;
	}
	if (rc != 0)
		return rc;
	/* the exploitation notices after the login notices, as over SQLite */
	table_s *x = output_new(OUT_ABUSE_EXPLOITS), *s = abuse_samples_new();
	if (x == NULL || s == NULL)
		rc = chdb_oom(err, errlen);
	else if ((rc = exploits_into(c, x, asn, err, errlen)) == 0 &&
	         (rc = samples_into(c, s, asn, err, errlen)) == 0 &&
	         (rc = abuse_notices_exploits(rep, out, x, s)) != 0)
		snprintf(err, errlen, "abuse: out of memory");
	table_free(x);
	table_free(s);
	return rc;
}

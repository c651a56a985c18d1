/* abuse: per network operator, the addresses that tried logins or used a trap credential, with the
 * evidence an operator can act on; and XARF v4 notices, one operator at a time. */
#include "abuse.h"

#include "outputs.h"
#include "strbuf.h"

#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "rand.h"

/* UTC whatever --tz says: notices go to other networks. */
#define UTC(col)                                                                                   \
	"strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', " col " / 1000, 'unixepoch')" /* in a format */
/* The first request lines of an address (bounded), for the evidence. */
#define LINES_MAX 5

/* The rows, oldest first per address; asn_only > 0: that AS alone. */
void abuse_line(strbuf_s *b, const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	int chars = ABUSE_LINE_CHARS;

	for (size_t i = 0; i < n && chars > 0; chars--) {
		size_t from = i;
		if (u[i] == 0) {
			strbuf_add(b, "\xef\xbf\xbd", 3);
			i++;
			continue;
		}
		if (u[i++] >= 0xc0)
			while (i < n && (u[i] & 0xc0) == 0x80)
				i++;
		strbuf_add(b, p + from, i - from);
	}
}

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

int abuse_table(report_s *rp, table_s **out, long long asn_only)
{
	char sql[2048];

	out[0] = output_new(OUT_ABUSE);
	if (out[0] == NULL)
		return -1;
	abuse_sql(sql, sizeof(sql), asn_only);
	return abuse_register(rp) != 0 ? -1 : query_into(rp, out[0], sql);
}

/* ---- XARF v4 ---- */

/* "key": "escaped value" (first: no comma before it) */
static void jstr(strbuf_s *b, const char *key, const char *v, int first)
{
	char esc[2048];

	if (!first)
		strbuf_str(b, ", ");
	strbuf_str(b, "\"");
	strbuf_str(b, key);
	strbuf_str(b, "\": \"");
	escape_json(esc, sizeof(esc), v != NULL ? v : "", v != NULL ? strlen(v) : 0);
	strbuf_str(b, esc);
	strbuf_str(b, "\"");
}

static void contact(strbuf_s *b, const char *key, const abuse_reporter_s *r)
{
	strbuf_str(b, ", \"");
	strbuf_str(b, key);
	strbuf_str(b, "\": {");
	jstr(b, "org", r->ar_org, 1);
	jstr(b, "contact", r->ar_contact, 0);
	jstr(b, "domain", r->ar_domain, 0);
	strbuf_str(b, "}");
}

static void uuid4(char out[37])
{
	unsigned char u[16];

	if (rand_bytes(u, sizeof(u)) != 0)
		rand_weak(u, sizeof(u));
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
	         u[13], u[14], u[15]);
}

static const char *col(const arow_s *r, int c)
{
	return r->ar_col[c] != NULL ? r->ar_col[c] : "";
}

/* One address's notice, from its rows (oldest first). */
static int write_notice(FILE *out, const abuse_reporter_s *rep, const arow_s *rows, int nrows)
{
	strbuf_s b = {0}, ev = {0};
	char id[37], line[256];
	int used = 0, rc = -1;
	char *b64 = NULL;

	for (int i = 0; i < nrows; i++)
		used += rows[i].ar_used;
	for (int i = 0; i < nrows; i++) {
		char l[1024], esc[2048];
		/* attacker bytes (a username): escaped for a terminal as well */
		snprintf(l, sizeof(l), "%s %s login as '%s': %s%s%s%s", col(&rows[i], 4),
		         col(&rows[i], 5), col(&rows[i], 6), col(&rows[i], 7),
		         rows[i].ar_used
		             ? " (a credential shown only in the decoy's picture, first shown "
		             : "",
		         rows[i].ar_used ? col(&rows[i], 10) : "", rows[i].ar_used ? ")" : "");
		escape_text(esc, sizeof(esc), l, strlen(l));
		strbuf_str(&ev, esc);
		strbuf_str(&ev, "\n");
	}
	if (rows[0].ar_col[14] != NULL) {
		char esc[4096];
		escape_text(esc, sizeof(esc), rows[0].ar_col[14], strlen(rows[0].ar_col[14]));
		strbuf_str(&ev, "first requests: ");
		strbuf_str(&ev, esc);
		strbuf_str(&ev, "\n");
	}
	if (ev.sb_oom || ev.sb_p == NULL)
		goto done;
	size_t blen = BASE64_ENCODE_LENGTH(ev.sb_len) + BASE64_ENCODE_FINAL_LENGTH + 1, n;
	uint8_t digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx sc;
	struct base64_encode_ctx bc;
	if ((b64 = malloc(blen)) == NULL)
		goto done;
	base64_encode_init(&bc);
	n = base64_encode_update(&bc, b64, ev.sb_len, (const uint8_t *)ev.sb_p);
	n += base64_encode_final(&bc, b64 + n);
	b64[n] = '\0';
	sha256_init(&sc);
	sha256_update(&sc, ev.sb_len, (const uint8_t *)ev.sb_p);
	sha256_digest(&sc, sizeof(digest), digest);
	char hex[2 * SHA256_DIGEST_SIZE + 8] = "sha256:";
	for (size_t i = 0; i < sizeof(digest); i++)
		snprintf(hex + 7 + 2 * i, 3, "%02x", digest[i]);

	uuid4(id);
	strbuf_str(&b, "{");
	jstr(&b, "xarf_version", "4.0.0", 1);
	jstr(&b, "report_id", id, 0);
	jstr(&b, "timestamp", col(&rows[0], 4), 0);
	contact(&b, "reporter", rep);
	contact(&b, "sender", rep);
	jstr(&b, "source_identifier", col(&rows[0], 3), 0);
	jstr(&b, "category", "connection", 0);
	jstr(&b, "type", "login_attack", 0);
	jstr(&b, "protocol", "tcp", 0);
	jstr(&b, "first_seen", col(&rows[0], 4), 0);
	jstr(&b, "last_seen", col(&rows[nrows - 1], 4), 0);
	jstr(&b, "evidence_source", "honeypot", 0);
	snprintf(line, sizeof(line), ", \"confidence\": %s", used > 0 ? "1.0" : "0.8");
	strbuf_str(&b, line);
	snprintf(line, sizeof(line),
	         "%d login attempt(s) on a decoy network camera of AS%s; %d with a credential "
	         "shown only in the"
	         " decoy's video picture",
	         nrows, col(&rows[0], 0), used);
	jstr(&b, "description", line, 0);
	strbuf_str(&b, ", \"tags\": [\"source:camdecoy\"], \"evidence\": [{");
	jstr(&b, "content_type", "text/plain", 1);
	jstr(&b, "description", "the decoy's login records of this address (UTC)", 0);
	jstr(&b, "payload", b64, 0);
	jstr(&b, "hash", hex, 0);
	snprintf(line, sizeof(line), ", \"size\": %zu}]}", ev.sb_len);
	strbuf_str(&b, line);
	if (!b.sb_oom) {
		fprintf(out, "%s\n", b.sb_p);
		rc = 0;
	}
done:
	free(b64);
	free(b.sb_p);
	free(ev.sb_p);
	return rc;
}

void abuse_notices_init(abuse_notices_s *n, const abuse_reporter_s *rep, FILE *out)
{
	memset(n, 0, sizeof(*n));
	n->an_rep = rep;
	n->an_out = out;
}

/* The address's notice, and its rows forgotten. */
static void notice_flush(abuse_notices_s *n)
{
	if (n->an_nrows > 0 && write_notice(n->an_out, n->an_rep, n->an_rows, n->an_nrows) != 0)
		n->an_failed = 1;
	for (int i = 0; i < n->an_nrows; i++)
		for (int c = 0; c < 15; c++)
			free(n->an_rows[i].ar_col[c]);
	memset(n->an_rows, 0, sizeof(n->an_rows));
	n->an_nrows = 0;
}

int abuse_notices_row(abuse_notices_s *n, const char *const *cells)
{
	const char *ip = cells[3] != NULL ? cells[3] : "";

	/* an address ends: its notice */
	if (n->an_nrows > 0 && strcmp(ip, col(&n->an_rows[0], 3)) != 0)
		notice_flush(n);
	if (n->an_nrows < ABUSE_NOTICE_ROWS_MAX) {
		arow_s *r = &n->an_rows[n->an_nrows++];
		for (int c = 0; c < 15; c++)
			if (cells[c] != NULL && (r->ar_col[c] = strdup(cells[c])) == NULL)
				n->an_failed = 1;
		r->ar_used = cells[8] != NULL && atoi(cells[8]) != 0;
	}
	return n->an_failed ? -1 : 0;
}

int abuse_notices_end(abuse_notices_s *n)
{
	notice_flush(n);
	return n->an_failed ? -1 : 0;
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

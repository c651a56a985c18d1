/* notices: XARF v4 abuse notices, one per address, from the abuse table's rows as either
 * backend reads them (ordered by AS and address, oldest first). */
#include "notices.h"

#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "rand.h"

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

/* The evidence item: ev (text) as base64 with its SHA-256 and size, closing
 * the notice. 0, or -1 out of memory. */
static int evidence_end(strbuf_s *b, const strbuf_s *ev, const char *desc)
{
	size_t blen = BASE64_ENCODE_LENGTH(ev->sb_len) + BASE64_ENCODE_FINAL_LENGTH + 1, n;
	uint8_t digest[SHA256_DIGEST_SIZE];
	char hex[2 * SHA256_DIGEST_SIZE + 8] = "sha256:", line[64];
	struct sha256_ctx sc;
	struct base64_encode_ctx bc;
	char *b64;

	if (ev->sb_oom || ev->sb_p == NULL || (b64 = malloc(blen)) == NULL)
		return -1;
	base64_encode_init(&bc);
	n = base64_encode_update(&bc, b64, ev->sb_len, (const uint8_t *)ev->sb_p);
	n += base64_encode_final(&bc, b64 + n);
	b64[n] = '\0';
	sha256_init(&sc);
	sha256_update(&sc, ev->sb_len, (const uint8_t *)ev->sb_p);
	sha256_digest(&sc, sizeof(digest), digest);
	for (size_t i = 0; i < sizeof(digest); i++)
		snprintf(hex + 7 + 2 * i, 3, "%02x", digest[i]);
	strbuf_str(b, ", \"tags\": [\"source:camdecoy\"], \"evidence\": [{");
	jstr(b, "content_type", "text/plain", 1);
	jstr(b, "description", desc, 0);
	jstr(b, "payload", b64, 0);
	jstr(b, "hash", hex, 0);
	snprintf(line, sizeof(line), ", \"size\": %zu}]}", ev->sb_len);
	strbuf_str(b, line);
	free(b64);
	return b->sb_oom ? -1 : 0;
}

/* A notice's head, up to its type: the fields every notice has. */
static void notice_head(strbuf_s *b, const abuse_reporter_s *rep, const char *ip, const char *first,
                        const char *type)
{
	char id[37];

	uuid4(id);
	strbuf_str(b, "{");
	jstr(b, "xarf_version", "4.0.0", 1);
	jstr(b, "report_id", id, 0);
	jstr(b, "timestamp", first, 0);
	contact(b, "reporter", rep);
	contact(b, "sender", rep);
	jstr(b, "source_identifier", ip, 0);
	jstr(b, "category", "connection", 0);
	jstr(b, "type", type, 0);
	jstr(b, "protocol", "tcp", 0);
}

/* One address's notice, from its rows (oldest first). */
static int write_notice(FILE *out, const abuse_reporter_s *rep, const arow_s *rows, int nrows)
{
	strbuf_s b = {0}, ev = {0};
	char line[256];
	int used = 0, rc = -1;

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
	notice_head(&b, rep, col(&rows[0], 3), col(&rows[0], 4), "login_attack");
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
	if (evidence_end(&b, &ev, "the decoy's login records of this address (UTC)") == 0) {
		fprintf(out, "%s\n", b.sb_p);
		rc = 0;
	}
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

/* ---- exploitation attempts: connection/vulnerability_scan ---- */

static const char *cell(const table_s *t, int row, int c)
{
	const char *v = table_cell(t, row, c);

	return v != NULL ? v : "";
}

/* An indicator list as the evidence shows it: cut as a request line is,
 * its lines (fetch commands) joined by ", ". */
static void indicators(strbuf_s *ev, const char *what, const char *v)
{
	strbuf_s cut = {0}, joined = {0};
	char esc[8 * ABUSE_LINE_CHARS + 8];

	if (v == NULL || v[0] == '\0')
		return;
	abuse_line(&cut, v, strlen(v));
	for (size_t i = 0; i < cut.sb_len; i++)
		strbuf_add(&joined, cut.sb_p[i] == '\n' ? ", " : cut.sb_p + i,
		           cut.sb_p[i] == '\n' ? 2 : 1);
	escape_text(esc, sizeof(esc), joined.sb_p != NULL ? joined.sb_p : "", joined.sb_len);
	strbuf_str(ev, what);
	strbuf_str(ev, esc);
	strbuf_free(&cut);
	strbuf_free(&joined);
}

/* "vulnerabilities_probed": each rule's CVE, or the rule where it has none, once. */
static void probed(strbuf_s *b, const table_s *x, int from, int to)
{
	strbuf_str(b, ", \"vulnerabilities_probed\": [");
	for (int i = from; i < to; i++) {
		const char *v = cell(x, i, 5)[0] != '\0' ? cell(x, i, 5) : cell(x, i, 4);
		int seen = 0;
		char esc[512];
		for (int k = from; k < i && !seen; k++)
			seen = strcmp(v, cell(x, k, 5)[0] != '\0' ? cell(x, k, 5)
			                                          : cell(x, k, 4)) == 0;
		if (seen)
			continue;
		if (b->sb_len > 0 && b->sb_p[b->sb_len - 1] != '[')
			strbuf_str(b, ", ");
		escape_json(esc, sizeof(esc), v, strlen(v));
		strbuf_str(b, "\"");
		strbuf_str(b, esc);
		strbuf_str(b, "\"");
	}
	strbuf_str(b, "]");
}

/* One address's exploitation notice: x's rows from .. to-1 (its rules),
 * s's rows from *sj on (their samples, in the same order). */
static int write_xnotice(FILE *out, const abuse_reporter_s *rep, const table_s *x, int from, int to,
                         const table_s *s, int *sj)
{
	strbuf_s b = {0}, ev = {0};
	const char *first = cell(x, from, 7), *last = cell(x, from, 8);
	long long total = 0;
	char line[512];
	int rc = -1;

	for (int i = from; i < to; i++) {
		char esc[1024];
		total += atoll(cell(x, i, 6));
		if (strcmp(cell(x, i, 7), first) < 0)
			first = cell(x, i, 7);
		if (strcmp(cell(x, i, 8), last) > 0)
			last = cell(x, i, 8);
		if (i - from < ABUSE_NOTICE_ROWS_MAX) {
			snprintf(line, sizeof(line), "%s .. %s %s attempt(s) of rule %s%s%s",
			         cell(x, i, 7), cell(x, i, 8), cell(x, i, 6), cell(x, i, 4),
			         cell(x, i, 5)[0] != '\0' ? ", " : "", cell(x, i, 5));
			escape_text(esc, sizeof(esc), line, strlen(line));
			strbuf_str(&ev, esc);
		}
		/* the samples are a subset of the rules, in their order */
		if (*sj < table_rows(s) && strcmp(cell(s, *sj, 1), cell(x, i, 3)) == 0 &&
		    strcmp(cell(s, *sj, 2), cell(x, i, 4)) == 0) {
			if (i - from < ABUSE_NOTICE_ROWS_MAX) {
				indicators(&ev, "; its first payload's URLs: ", cell(s, *sj, 3));
				indicators(&ev, "; fetch commands: ", cell(s, *sj, 4));
			}
			(*sj)++;
		}
		if (i - from < ABUSE_NOTICE_ROWS_MAX)
			strbuf_str(&ev, "\n");
	}
	notice_head(&b, rep, cell(x, from, 3), first, "vulnerability_scan");
	jstr(&b, "scan_type", "vulnerability_scan", 0);
	jstr(&b, "first_seen", first, 0);
	jstr(&b, "last_seen", last, 0);
	snprintf(line, sizeof(line), ", \"total_requests\": %lld", total);
	strbuf_str(&b, line);
	probed(&b, x, from, to);
	jstr(&b, "evidence_source", "honeypot", 0);
	strbuf_str(&b, ", \"confidence\": 0.9");
	snprintf(line, sizeof(line),
	         "%lld exploitation attempt(s) by %d rule(s) on a decoy network camera of AS%s",
	         total, to - from, cell(x, from, 0));
	jstr(&b, "description", line, 0);
	if (evidence_end(&b, &ev,
	                 "the decoy's exploitation attempts of this address per rule (UTC)") == 0) {
		fprintf(out, "%s\n", b.sb_p);
		rc = 0;
	}
	free(b.sb_p);
	free(ev.sb_p);
	return rc;
}

table_s *abuse_samples_new(void)
{
	static const char *const cols[] = {"asn", "src_ip", "rule", "ioc_urls", "ioc_fetch"};
	static const int num[] = {1, 0, 0, 0, 0};

	return table_new("abuse_samples", 5, cols, num);
}

int abuse_notices_exploits(const abuse_reporter_s *rep, FILE *out, const table_s *x,
                           const table_s *s)
{
	int from = 0, sj = 0, rc = 0;

	for (int i = 1; i <= table_rows(x); i++) {
		if (i < table_rows(x) && strcmp(cell(x, i, 3), cell(x, from, 3)) == 0)
			continue;
		if (write_xnotice(out, rep, x, from, i, s, &sj) != 0)
			rc = -1;
		from = i;
	}
	return rc;
}

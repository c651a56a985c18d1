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

/* notices: XARF v4 abuse notices for one network operator (AS), one per address, written from
 * the abuse table's rows as either backend reads them; and an evidence line's cut. */
#ifndef CAMDECOY_NOTICES_H
#define CAMDECOY_NOTICES_H

#include <stdio.h>

#include "strbuf.h"
#include "table.h"

/* An address's request line as the evidence shows it, the same from either
 * backend: a NUL as U+FFFD, cut at ABUSE_LINE_CHARS characters as SQLite's
 * substr counts them (a byte below 0xC0, or one from 0xC0 with the
 * continuation bytes after it). Appended to b. */
#define ABUSE_LINE_CHARS 200
void abuse_line(strbuf_s *b, const char *p, size_t n);

typedef struct abuse_reporter {
	const char *ar_org, *ar_contact, *ar_domain; /* the reporter (and sender) of a notice */
} abuse_reporter_s;

/* The notices from the abuse table's rows as they come (ordered by AS and
 * address, oldest first): one JSON line per address, with its login
 * records as text evidence (base64 with its SHA-256). */
#define ABUSE_NOTICE_ROWS_MAX                                                                      \
	50 /* evidence lines per address (the newest are counted, not listed) */
typedef struct {
	char *ar_col[15];
	int ar_used;
} arow_s;
typedef struct {
	const abuse_reporter_s *an_rep;
	FILE *an_out;
	arow_s an_rows[ABUSE_NOTICE_ROWS_MAX];
	int an_nrows, an_failed;
} abuse_notices_s;
void abuse_notices_init(abuse_notices_s *n, const abuse_reporter_s *rep, FILE *out);
/* cells: the 15 columns of an abuse row (NULL for none). 0, or -1 when a
 * notice could not be written (out of memory). */
int abuse_notices_row(abuse_notices_s *n, const char *const *cells);
int abuse_notices_end(abuse_notices_s *n);

/* The exploitation notices (XARF connection/vulnerability_scan), one JSON
 * line per address that made attempts, after the login notices: x is the
 * abuse_exploits table (per AS, address and rule: CVE, count, first and
 * last seen), s per AS, address and rule its oldest attempt that carried
 * indicators (asn, src_ip, rule, ioc_urls, ioc_fetch; a subset of x's
 * rules, in x's order). The evidence lists the rules (the first
 * ABUSE_NOTICE_ROWS_MAX; all are counted) with the sample's indicators
 * cut at ABUSE_LINE_CHARS characters each. 0, or -1 out of memory. */
table_s *abuse_samples_new(void); /* s's five columns, empty (NULL: out of memory) */
int abuse_notices_exploits(const abuse_reporter_s *rep, FILE *out, const table_s *x,
                           const table_s *s);

#endif

/* chdb: the report's connection to ClickHouse: queries, their TSV answers
 * read row by row, the filters, and the helpers every subcommand shares. */
#include "chdb.h"
#include "chdb_int.h"

#include "escape.h"
#include "httpc.h"
#include "outputs.h"
#include "strbuf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	    (c->c_http = httpc_new()) == NULL) {
		chdb_oom(err, errlen);
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
	httpc_free(c->c_http);
	free(c->c_url);
	free(c->c_db);
	free(c);
}

/* ---- a query and its TSV answer, row by row ---- */

/* The answer as it arrives: lines split into cells and handed to the
 * caller's function one row at a time, so a listing of millions of views
 * never sits in memory; a line cut by a chunk's end waits in ea_line. */
typedef struct {
	chdb_row_fn ea_fn;
	void *ea_arg;
	int ea_ncols;
	strbuf_s ea_line, ea_errbody;
	char *ea_scratch;
	size_t ea_scap;
	const char *ea_cells[CHDB_COLS_MAX];
	size_t ea_lens[CHDB_COLS_MAX];
	long long ea_rows;
	int ea_failed; /* 1 broken answer, 2 the row function said stop, 3 out of memory */
} each_s;

/* Splits one line into e->ea_ncols cells, unescaped (\t \n \\ \' \0 ...)
 * into the scratch buffer, NULL for \N. -1 unless it has exactly that many
 * (ClickHouse writes an exception that interrupts an answer as a line of
 * text: it has no tabs). */
static int split_line(each_s *e, const char *p, size_t n)
{
	size_t k = 0;
	int col = 0;

	if (n + (size_t)e->ea_ncols > e->ea_scap) {
		char *more = realloc(e->ea_scratch, n + (size_t)e->ea_ncols + 64);
		if (more == NULL)
			return -2;
		e->ea_scratch = more;
		e->ea_scap = n + (size_t)e->ea_ncols + 64;
	}
	for (size_t i = 0;; col++) {
		size_t f = i, start = k;
		while (i < n && p[i] != '\t')
			i++;
		if (col >= e->ea_ncols)
			return -1;
		if (i - f == 2 && p[f] == '\\' && p[f + 1] == 'N') {
			e->ea_cells[col] = NULL;
			e->ea_lens[col] = 0;
		} else {
			for (size_t j = f; j < i; j++) {
				char ch = p[j];
				if (ch == '\\' && j + 1 < i) {
					char x = p[++j];
					ch = x == 't'   ? '\t'
					     : x == 'n' ? '\n'
					     : x == 'r' ? '\r'
					     : x == '0' ? '\0'
					     : x == 'b' ? '\b'
					     : x == 'f' ? '\f'
					                : x;
				}
				e->ea_scratch[k++] = ch;
			}
			e->ea_cells[col] = e->ea_scratch + start;
			e->ea_lens[col] = k - start;
		}
		e->ea_scratch[k++] = '\0';
		if (i >= n)
			break;
		i++; /* the tab */
	}
	return col + 1 == e->ea_ncols ? 0 : -1;
}

static void one_line(each_s *e, const char *p, size_t n)
{
	if (e->ea_failed)
		return;
	int rc =
	    n >= CHDB_LINE_MAX ? -1 : split_line(e, p, n); /* as long a line as a carried one */
	if (rc != 0) {
		e->ea_failed = rc == -2 ? 3 : 1;
		return;
	}
	e->ea_rows++;
	if (e->ea_fn(e->ea_arg, e->ea_cells, e->ea_lens) != 0)
		e->ea_failed = 2;
}

static void feed(each_s *e, const char *p, size_t n)
{
	while (n > 0 && !e->ea_failed) {
		const char *nl = memchr(p, '\n', n);
		if (nl == NULL) { /* the rest of a line comes in the next chunk */
			strbuf_add(&e->ea_line, p, n);
			if (e->ea_line.sb_oom)
				e->ea_failed = 1; /* a line past CHDB_LINE_MAX */
			return;
		}
		size_t len = (size_t)(nl - p);
		if (e->ea_line.sb_len > 0) {
			strbuf_add(&e->ea_line, p, len);
			if (e->ea_line.sb_oom)
				e->ea_failed = 1;
			else
				one_line(e, e->ea_line.sb_p, e->ea_line.sb_len);
			strbuf_reset(&e->ea_line);
		} else {
			one_line(e, p, len);
		}
		p = nl + 1;
		n -= len + 1;
	}
}

static void feed_end(each_s *e)
{
	if (e->ea_line.sb_len > 0 || e->ea_line.sb_oom)
		feed(e, "\n", 1); /* a last line without its newline */
}

static size_t on_data(void *arg, long status, const char *p, size_t n)
{
	each_s *e = arg;

	if (status != 200) { /* an error's text, kept for the message */
		strbuf_add(&e->ea_errbody, p, n);
		return n;
	}
	feed(e, p, n);
	return e->ea_failed ? 0 : n; /* 0 stops the transfer */
}

static void each_free(each_s *e)
{
	strbuf_free(&e->ea_line);
	strbuf_free(&e->ea_errbody);
	free(e->ea_scratch);
}

int chdb_each(chdb_s *c, const char *sql, int ncols, chdb_row_fn fn, void *arg, char *err,
              size_t errlen)
{
	each_s e = {.ea_fn = fn,
	            .ea_arg = arg,
	            .ea_ncols = ncols,
	            .ea_line = {.sb_max = CHDB_LINE_MAX},
	            .ea_errbody = {.sb_max = 4096}};
	strbuf_s q = {0};
	char why[256] = "";
	long code = 0;

	if (ncols < 1 || ncols > CHDB_COLS_MAX) {
		snprintf(err, errlen, "report: a query of %d columns", ncols);
		return -1;
	}
	strbuf_add(&q, sql, strlen(sql));
	strbuf_add(&q, " FORMAT TSV", 11);
	const httpc_req_s req = {
	    .hr_url = c->c_url,
	    .hr_agent = "camdecoy-report",
	    .hr_connect_ms = 10000,
	    .hr_timeout_ms = 3600000,
	    .hr_answer = on_data,
	    .hr_arg = &e,
	};
	if (q.sb_oom)
		e.ea_failed = 3;
	else if ((code = httpc_post(c->c_http, &req, q.sb_p, q.sb_len, why, sizeof(why))) == 200)
		feed_end(&e);
	free(q.sb_p);
	if (e.ea_failed == 2) { /* the row function filled err itself */
		each_free(&e);
		return -1;
	}
	if (e.ea_failed || code != 200) {
		/* the server's words reach the terminal as printable ASCII only */
		char msg[200] = "";
		const strbuf_s *said = code > 0 ? &e.ea_errbody : &e.ea_line;
		for (size_t i = 0; said->sb_p != NULL && i < said->sb_len && i + 1 < sizeof(msg);
		     i++)
			msg[i] =
			    said->sb_p[i] >= 0x20 && said->sb_p[i] < 0x7f ? said->sb_p[i] : ' ';
		if (e.ea_failed == 3)
			chdb_oom(err, errlen);
		else if (e.ea_failed)
			snprintf(err, errlen,
			         "report: clickhouse: the answer broke off after %lld rows",
			         e.ea_rows);
		else
			snprintf(err, errlen, "report: clickhouse: %s", code < 0 ? why : msg);
		each_free(&e);
		return -1;
	}
	each_free(&e);
	return 0;
}

/* ---- answers kept whole (aggregates: a few rows) ---- */

void chdb_rows_free(rows_s *r)
{
	for (int i = 0; r->r_cells != NULL && i < r->r_rows * r->r_cols; i++)
		free(r->r_cells[i]);
	free(r->r_cells);
	free(r->r_lens);
	memset(r, 0, sizeof(*r));
}

typedef struct {
	rows_s *k_rows;
	size_t k_bytes;
	char *k_err;
	size_t k_errlen;
} keep_s;

static int keep_row(void *arg, const char *const *cells, const size_t *lens)
{
	keep_s *k = arg;
	rows_s *r = k->k_rows;
	size_t at = (size_t)r->r_rows * (size_t)r->r_cols;
	char **more;
	size_t *mlens;

	if (r->r_rows >= CHDB_KEYS_MAX || k->k_bytes > CHDB_ANSWER_MAX) {
		snprintf(k->k_err, k->k_errlen, "report: clickhouse: answer too large");
		return -1;
	}
	more = realloc(r->r_cells, sizeof(char *) * (at + (size_t)r->r_cols));
	if (more != NULL)
		r->r_cells = more;
	mlens = more == NULL ? NULL : realloc(r->r_lens, sizeof(size_t) * (at + (size_t)r->r_cols));
	if (mlens == NULL) {
		chdb_oom(k->k_err, k->k_errlen);
		return -1;
	}
	r->r_lens = mlens;
	for (int col = 0; col < r->r_cols; col++) {
		more[at + (size_t)col] = NULL;
		mlens[at + (size_t)col] = lens[col];
	}
	r->r_rows++; /* counted now: chdb_rows_free frees what is there */
	for (int col = 0; col < r->r_cols; col++) {
		if (cells[col] == NULL)
			continue;
		if ((more[at + (size_t)col] = malloc(lens[col] + 1)) == NULL) {
			chdb_oom(k->k_err, k->k_errlen);
			return -1;
		}
		memcpy(more[at + (size_t)col], cells[col], lens[col] + 1);
		k->k_bytes += lens[col] + 1;
	}
	return 0;
}

int chdb_run(chdb_s *c, const char *sql, int ncols, rows_s *out, char *err, size_t errlen)
{
	keep_s k = {out, 0, err, errlen};

	memset(out, 0, sizeof(*out));
	out->r_cols = ncols;
	if (chdb_each(c, sql, ncols, keep_row, &k, err, errlen) != 0) {
		chdb_rows_free(out);
		return -1;
	}
	return 0;
}

static int count_row(void *arg, const char *const *cells, const size_t *lens)
{
	(void)cells;
	(void)lens;
	return ++*(long long *)arg > CHDB_KEYS_MAX ? -1 : 0;
}

int chdb_tsv_rows(const char *p, size_t n, int ncols, size_t chunk)
{
	long long rows = 0;
	each_s e = {.ea_fn = count_row,
	            .ea_arg = &rows,
	            .ea_ncols = ncols,
	            .ea_line = {.sb_max = CHDB_LINE_MAX}};

	if (ncols < 1 || ncols > CHDB_COLS_MAX || chunk == 0)
		return -1;
	for (size_t at = 0; at < n; at += chunk) /* as curl hands an answer over */
		feed(&e, p + at, n - at < chunk ? n - at : chunk);
	feed_end(&e);
	each_free(&e);
	return e.ea_failed ? -1 : (int)rows;
}

const char *chdb_cell(const rows_s *r, int row, int col)
{
	return r->r_cells[row * r->r_cols + col];
}

long long chdb_num(const rows_s *r, int row, int col)
{
	const char *s = chdb_cell(r, row, col);
	return s != NULL ? atoll(s) : 0;
}

int chdb_oom(char *err, size_t errlen)
{
	snprintf(err, errlen, "report: out of memory");
	return -1;
}

/* ---- filters ---- */

/* The report's filters on a time column: whole hours (hour = 1: as the
 * SQLite summaries keep them) or the exact time. */
void chdb_where(const chdb_s *c, char *out, size_t cap, const char *col, int hour)
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

int chdb_srow_cmp(const void *a, const void *b)
{
	return strcmp(((const srow_s *)a)->k, ((const srow_s *)b)->k);
}

/* The row of key k in rows (added if new); NULL when out of memory. */
srow_s *chdb_srow(srow_s **rows, int *n, const char *k)
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

int chdb_srow_cmp_figures(const void *a, const void *b)
{
	const srow_s *x = a, *y = b;

	if (x->v[0] != y->v[0])
		return x->v[0] > y->v[0] ? -1 : 1;
	if (x->v[1] != y->v[1])
		return x->v[1] > y->v[1] ? -1 : 1;
	return strcmp(x->k, y->k);
}

void chdb_srows_free(srow_s *rows, int n)
{
	for (int i = 0; i < n; i++)
		free(rows[i].k);
	free(rows);
}

/* Adds one answer (key, then its figures) to the rows: figure j goes to
 * v[slot[j]]. A NULL key is no row (as SQLite's keys.k IS NOT NULL). 0, or
 * -1 out of memory (never a row silently left out). */
int chdb_merge(srow_s **rows, int *n, const rows_s *r, const int *slot, int nslot)
{
	for (int i = 0; i < r->r_rows; i++) {
		if (chdb_cell(r, i, 0) == NULL)
			continue;
		srow_s *s = chdb_srow(rows, n, chdb_cell(r, i, 0));
		if (s == NULL)
			return -1;
		for (int j = 0; j < nslot; j++)
			s->v[slot[j]] = chdb_num(r, i, 1 + j);
	}
	return 0;
}

/* x >= 0 with d decimals the way SQLite's printf('%.Nf') writes it: half
 * away from zero (C's printf rounds 0.125 to 0.12, SQLite to 0.13). */
void chdb_fixed(char *out, size_t cap, double x, int d)
{
	double scale = pow(10.0, d);

	snprintf(out, cap, "%.*f", d, floor(x * scale + 0.5) / scale);
}

void chdb_secs(char *out, size_t cap, long long ms)
{
	long long a = ms < 0 ? -ms : ms;

	snprintf(out, cap, "%s%lld.%03lld", ms < 0 ? "-" : "", a / 1000, a % 1000);
}

/* Copies a query's rows into t as they are (lengths kept); fmt_col >= 0:
 * that column holds milliseconds, written as seconds with 3 decimals (as
 * printf('%.3f', ms / 1000.0) does, exactly, from the integer). */
int chdb_rows_into(const rows_s *r, table_s *t, int fmt_col, char *err, size_t errlen)
{
	for (int i = 0; i < r->r_rows; i++) {
		const char *vals[32];
		size_t lens[32];
		char secs[32];
		for (int col = 0; col < r->r_cols && col < 32; col++) {
			vals[col] = chdb_cell(r, i, col);
			lens[col] = r->r_lens[(size_t)i * (size_t)r->r_cols + (size_t)col];
			if (col == fmt_col && vals[col] != NULL) {
				chdb_secs(secs, sizeof(secs), atoll(vals[col]));
				vals[col] = secs;
				lens[col] = strlen(secs);
			}
		}
		if (table_add(t, vals, lens) != 0)
			return chdb_oom(err, errlen);
	}
	return 0;
}

typedef struct {
	table_s *ei_t;
	int ei_fmt_col;
	char *ei_err;
	size_t ei_errlen;
} each_into_s;

static int into_row(void *arg, const char *const *cells, const size_t *lens)
{
	each_into_s *e = arg;
	const char *vals[CHDB_COLS_MAX] = {0};
	size_t l[CHDB_COLS_MAX];
	char secs[32];
	int ncols = table_cols(e->ei_t);

	if (ncols > CHDB_COLS_MAX)
		ncols = CHDB_COLS_MAX; /* a wider table's extra columns are not read */
	for (int i = 0; i < ncols; i++) {
		vals[i] = cells[i];
		l[i] = lens[i];
	}
	if (e->ei_fmt_col >= 0 && e->ei_fmt_col < ncols && vals[e->ei_fmt_col] != NULL) {
		chdb_secs(secs, sizeof(secs), atoll(vals[e->ei_fmt_col]));
		vals[e->ei_fmt_col] = secs;
		l[e->ei_fmt_col] = strlen(secs);
	}
	if (table_add(e->ei_t, vals, l) != 0) {
		chdb_oom(e->ei_err, e->ei_errlen);
		return -1;
	}
	return 0;
}

int chdb_each_into(chdb_s *c, const char *sql, int ncols, table_s *t, int fmt_col, char *err,
                   size_t errlen)
{
	each_into_s e = {t, fmt_col, err, errlen};

	if (ncols != table_cols(t)) {
		snprintf(err, errlen, "report: a query of %d columns for a table of %d", ncols,
		         table_cols(t));
		return -1;
	}
	return chdb_each(c, sql, ncols, into_row, &e, err, errlen);
}

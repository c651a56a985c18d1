/* chdb_int: what the ClickHouse backend's files share (chdb.c, chtables.c,
 * chviews.c, chcheck.c, chexport.c); not for other callers. */
#ifndef CAMDECOY_CHDB_INT_H
#define CAMDECOY_CHDB_INT_H

#include "backend.h"
#include "chdb.h"

#include "httpc.h"

#define CHDB_ANSWER_MAX (64u << 20) /* an answer kept whole is results, not rows */
#define CHDB_KEYS_MAX   100000      /* days or sensors in one table */
#define CHDB_LINE_MAX   (1u << 20)  /* one row of an answer */
#define CHDB_COLS_MAX   32

struct chdb {
	char *c_url, *c_db;
	httpc_s *c_http;
	chdb_filter_s c_f;
	char c_sensor[300], c_persona[300], c_tz[300]; /* as ClickHouse string literals */
};

/* An answer kept whole. */
typedef struct {
	char **r_cells; /* rows x ncols, NULL for \N */
	size_t *r_lens; /* their lengths (a cell may hold a NUL byte) */
	int r_rows, r_cols;
} rows_s;

/* One row of an answer: cells (NULL for \N) and their lengths; 0 goes on,
 * -1 stops the answer (the function fills the error itself). */
typedef int (*chdb_row_fn)(void *arg, const char *const *cells, const size_t *lens);

/* Runs sql and hands every row of its answer (ncols columns) to fn as it
 * arrives. 0, or -1 with err filled. */
int chdb_each(chdb_s *c, const char *sql, int ncols, chdb_row_fn fn, void *arg, char *err,
              size_t errlen);
/* Runs sql and keeps its answer (at most CHDB_KEYS_MAX rows). 0 or -1. */
int chdb_run(chdb_s *c, const char *sql, int ncols, rows_s *out, char *err, size_t errlen);
void chdb_rows_free(rows_s *r);
const char *chdb_cell(const rows_s *r, int row, int col);
long long chdb_num(const rows_s *r, int row, int col);

/* The report's filters on a time column: whole hours (hour = 1: as the
 * SQLite summaries keep them) or the exact time. */
void chdb_where(const chdb_s *c, char *out, size_t cap, const char *col, int hour);

/* Rows of figures by key, merged from several answers. */
typedef struct {
	char *k;
	long long v[9];
} srow_s;
int chdb_srow_cmp(const void *a, const void *b); /* by key */
/* by v[0] then v[1], largest first, then by key (countries, their chart) */
int chdb_srow_cmp_figures(const void *a, const void *b);
srow_s *chdb_srow(srow_s **rows, int *n, const char *k);
int chdb_merge(srow_s **rows, int *n, const rows_s *r, const int *slot, int nslot);
void chdb_srows_free(srow_s *rows, int n);

/* Per country (as the countries table names them: unknown for none), the
 * hosts whose country it is, into rows' v[0]; total: the hosts, each once. */
int chdb_country_hosts(chdb_s *c, srow_s **rows, int *n, long long *total, char *err,
                       size_t errlen);

/* err: "report: out of memory"; returns -1 (every table's failure to grow). */
int chdb_oom(char *err, size_t errlen);

/* x >= 0 with d (1 .. 4) decimals as SQLite's printf('%.Nf') writes it. */
void chdb_fixed(char *out, size_t cap, double x, int d);
/* ms as seconds with 3 decimals, exactly (printf('%.3f', ms / 1000.0)). */
void chdb_secs(char *out, size_t cap, long long ms);
/* Runs sql and adds its rows to t as they arrive (fmt_col >= 0: that
 * column's ms as seconds). 0 or -1. */
int chdb_each_into(chdb_s *c, const char *sql, int ncols, table_s *t, int fmt_col, char *err,
                   size_t errlen);
/* Copies an answer into t (fmt_col >= 0: that column's ms as seconds). */
int chdb_rows_into(const rows_s *r, table_s *t, int fmt_col, char *err, size_t errlen);

#endif

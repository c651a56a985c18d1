/* table: rows of report data and their text, CSV, JSON and HTML renderings. */
#ifndef CAMDECOY_TABLE_H
#define CAMDECOY_TABLE_H

#include <stddef.h>
#include <stdio.h>

typedef enum { FMT_TEXT, FMT_CSV, FMT_JSON, FMT_HTML } table_fmt_e;

typedef struct table table_s;

/* cols are copied; numeric[i] marks a column whose cells are numbers we
 * produced (JSON numbers, right-aligned text). */
table_s *table_new(const char *name, int ncols, const char *const *cols, const int *numeric);
void table_free(table_s *t);
/* A table that keeps no rows: each table_add goes straight to csv and json
 * (json may be NULL), for millions of rows. Finish with table_stream_end
 * before closing them. */
table_s *table_stream(const char *name, int ncols, const char *const *cols, const int *numeric,
                      FILE *csv, FILE *json);
void table_stream_end(table_s *t);
/* Appends a row; vals[i] NULL is a missing value. Strings are copied with
 * their lengths (lens NULL: C strings). 0 or -1 (out of memory). */
int table_add(table_s *t, const char *const *vals, const size_t *lens);
int table_rows(const table_s *t);
int table_cols(const table_s *t);
const char *table_name(const table_s *t);
const char *table_cell(const table_s *t, int row, int col);

/* One table in one format. Text is aligned, cells cut at 60 columns. */
void table_write(const table_s *t, FILE *out, table_fmt_e fmt);
/* Several tables: text and CSV one after another ("# name" before each CSV
 * table), JSON as one object keyed by table name, HTML as titled tables. */
void table_write_all(table_s *const *ts, int n, FILE *out, table_fmt_e fmt);

#endif

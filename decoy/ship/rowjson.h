/* rowjson: SQLite rows as JSONEachRow for the shipper. */
#ifndef CAMDECOY_ROWJSON_H
#define CAMDECOY_ROWJSON_H

#include <sqlite3.h>
#include <stddef.h>

#include "strbuf.h"

/* printf into b (a short value: at most 63 bytes). */
void rowjson_fmt(strbuf_s *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON string of the bytes as they are: quote, backslash and control
 * bytes escaped, everything else (UTF-8 or not) passed on; ClickHouse
 * stores String as bytes, so what arrives is what SQLite held. */
void rowjson_str(strbuf_s *b, const unsigned char *s, size_t n);
/* ,"name":value for the first ncol columns of q's current row. */
void rowjson_columns(strbuf_s *b, sqlite3_stmt *q, int ncol);

#endif

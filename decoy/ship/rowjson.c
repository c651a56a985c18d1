/* rowjson: SQLite rows as ClickHouse's JSONEachRow wants them: strings as the bytes SQLite held,
 * numbers as numbers, NULL as null. */
#include "rowjson.h"

#include <stdarg.h>
#include <stdio.h>

void rowjson_fmt(strbuf_s *b, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		strbuf_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* A JSON string of the bytes as they are: quote, backslash and control
 * bytes escaped, everything else (UTF-8 or not) passed on; ClickHouse
 * stores String as bytes, so what arrives is what SQLite held. */
void rowjson_str(strbuf_s *b, const unsigned char *s, size_t n)
{
	size_t run = 0;

	strbuf_add(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		strbuf_add(b, (const char *)s + run, i - run);
		run = i + 1;
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			strbuf_add(b, e, 2);
		} else {
			char e[8];
			snprintf(e, sizeof(e), "\\u%04x", c);
			strbuf_add(b, e, 6);
		}
	}
	strbuf_add(b, (const char *)s + run, n - run);
	strbuf_add(b, "\"", 1);
}

void rowjson_columns(strbuf_s *b, sqlite3_stmt *q, int ncol)
{
	for (int c = 0; c < ncol; c++) {
		const char *name = sqlite3_column_name(q, c);
		strbuf_str(b, ",\"");
		strbuf_str(b, name); /* our own column names: nothing to escape */
		strbuf_str(b, "\":");
		switch (sqlite3_column_type(q, c)) {
		case SQLITE_NULL:
			strbuf_str(b, "null");
			break;
		case SQLITE_INTEGER:
			rowjson_fmt(b, "%lld", (long long)sqlite3_column_int64(q, c));
			break;
		case SQLITE_FLOAT:
			rowjson_fmt(b, "%.17g", sqlite3_column_double(q, c));
			break;
		default: {
			const unsigned char *v = sqlite3_column_text(q, c);
			rowjson_str(b, v != NULL ? v : (const unsigned char *)"",
			            (size_t)sqlite3_column_bytes(q, c));
		}
		}
	}
}

/* table: one in-memory table type, so every subcommand gets every format. */
#include "table.h"

#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

#define TEXT_CELL_MAX 60

typedef struct {
	char *c_s;
	size_t c_len;
} cell_s;

struct table {
	FILE *t_csv, *t_json; /* streaming tables write rows here instead of keeping them */
	char *t_buf;
	char *t_name;
	int t_ncols;
	char **t_cols;
	int *t_numeric;
	cell_s *t_cells;
	int t_rows, t_cap;
};

table_s *table_new(const char *name, int ncols, const char *const *cols, const int *numeric)
{
	table_s *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->t_name = strdup(name);
	t->t_ncols = ncols;
	t->t_cols = calloc((size_t)ncols, sizeof(char *));
	t->t_numeric = calloc((size_t)ncols, sizeof(int));
	if (t->t_name == NULL || t->t_cols == NULL || t->t_numeric == NULL) {
		table_free(t);
		return NULL;
	}
	for (int i = 0; i < ncols; i++) {
		t->t_cols[i] = strdup(cols[i]);
		t->t_numeric[i] = numeric != NULL ? numeric[i] : 0;
	}
	return t;
}

void table_free(table_s *t)
{
	if (t == NULL)
		return;
	for (int i = 0; t->t_cells != NULL && i < t->t_rows * t->t_ncols; i++)
		free(t->t_cells[i].c_s);
	for (int i = 0; t->t_cols != NULL && i < t->t_ncols; i++)
		free(t->t_cols[i]);
	free(t->t_cols);
	free(t->t_numeric);
	free(t->t_cells);
	free(t->t_name);
	free(t->t_buf);
	free(t);
}

#define STREAM_BUF 65536

/* One row to a streaming table's CSV and JSON files. */
static void stream_row(table_s *t, const char *const *vals, const size_t *lens)
{
	for (int c = 0; c < t->t_ncols; c++) {
		size_t n = vals[c] == NULL ? 0 : lens != NULL ? lens[c] : strlen(vals[c]);
		fputs(c ? "," : "", t->t_csv);
		if (vals[c] != NULL) {
			if (t->t_numeric[c]) {
				fwrite(vals[c], 1, n, t->t_csv);
			} else {
				escape_csv(t->t_buf, STREAM_BUF, vals[c], n);
				fputs(t->t_buf, t->t_csv);
			}
		}
	}
	fputs("\r\n", t->t_csv);
	if (t->t_json == NULL) {
		t->t_rows++;
		return;
	}
	fputs(t->t_rows ? ",\n {" : "\n {", t->t_json);
	for (int c = 0; c < t->t_ncols; c++) {
		size_t n = vals[c] == NULL ? 0 : lens != NULL ? lens[c] : strlen(vals[c]);
		/* millions of rows: plain puts, no format parsing per cell */
		fputs(c ? ",\"" : "\"", t->t_json);
		fputs(t->t_cols[c], t->t_json);
		fputs("\":", t->t_json);
		if (vals[c] == NULL) {
			fputs("null", t->t_json);
		} else if (t->t_numeric[c]) {
			fwrite(vals[c], 1, n, t->t_json);
		} else {
			size_t m = escape_json(t->t_buf, STREAM_BUF, vals[c], n);
			fputc('"', t->t_json);
			fwrite(t->t_buf, 1, m, t->t_json);
			fputc('"', t->t_json);
		}
	}
	fputc('}', t->t_json);
	t->t_rows++;
}

table_s *table_stream(const char *name, int ncols, const char *const *cols, const int *numeric,
                      FILE *csv, FILE *json)
{
	table_s *t = table_new(name, ncols, cols, numeric);
	char hdr[256];

	if (t == NULL || (t->t_buf = malloc(STREAM_BUF)) == NULL) {
		table_free(t);
		return NULL;
	}
	t->t_csv = csv;
	t->t_json = json;
	/* one thread writes these files: skip stdio's per-call locking, and
	 * buffer generously (tens of millions of small writes) */
	__fsetlocking(csv, FSETLOCKING_BYCALLER);
	setvbuf(csv, NULL, _IOFBF, 1 << 20);
	if (json != NULL) {
		__fsetlocking(json, FSETLOCKING_BYCALLER);
		setvbuf(json, NULL, _IOFBF, 1 << 20);
	}
	for (int c = 0; c < ncols; c++) {
		escape_csv(hdr, sizeof(hdr), cols[c], strlen(cols[c]));
		fprintf(csv, "%s%s", c ? "," : "", hdr);
	}
	fputs("\r\n", csv);
	if (json != NULL)
		fputc('[', json);
	return t;
}

void table_stream_end(table_s *t)
{
	if (t->t_json != NULL)
		fputs(t->t_rows ? "\n]\n" : "]\n", t->t_json);
}

int table_add(table_s *t, const char *const *vals, const size_t *lens)
{
	if (t->t_csv != NULL) {
		stream_row(t, vals, lens);
		return 0;
	}
	if (t->t_rows == t->t_cap) {
		int cap = t->t_cap ? t->t_cap * 2 : 64;
		cell_s *c = realloc(t->t_cells, (size_t)cap * (size_t)t->t_ncols * sizeof(*c));
		if (c == NULL)
			return -1;
		t->t_cells = c;
		t->t_cap = cap;
	}
	for (int i = 0; i < t->t_ncols; i++) {
		cell_s *c = &t->t_cells[t->t_rows * t->t_ncols + i];
		c->c_s = NULL;
		c->c_len = 0;
		if (vals[i] == NULL)
			continue;
		c->c_len = lens != NULL ? lens[i] : strlen(vals[i]);
		c->c_s = malloc(c->c_len + 1);
		if (c->c_s == NULL)
			return -1;
		memcpy(c->c_s, vals[i], c->c_len);
		c->c_s[c->c_len] = '\0';
	}
	t->t_rows++;
	return 0;
}

int table_rows(const table_s *t)
{
	return t->t_rows;
}

int table_cols(const table_s *t)
{
	return t->t_ncols;
}

const char *table_name(const table_s *t)
{
	return t->t_name;
}

const char *table_cell(const table_s *t, int row, int col)
{
	return t->t_cells[row * t->t_ncols + col].c_s;
}

/* Display width of escaped UTF-8 text: code points (all our text is narrow
 * enough for alignment purposes). */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void text_cell(const cell_s *c, char *buf, size_t cap)
{
	if (c->c_s == NULL) {
		snprintf(buf, cap, "-");
		return;
	}
	escape_text(buf, cap, c->c_s, c->c_len);
	/* cut long cells at a character boundary */
	size_t w = 0, i = 0;
	for (; buf[i]; i++) {
		if (((unsigned char)buf[i] & 0xc0) != 0x80 && ++w > TEXT_CELL_MAX) {
			snprintf(buf + i, cap - i, "...");
			break;
		}
	}
}

static void write_text(const table_s *t, FILE *out)
{
	size_t *w = calloc((size_t)t->t_ncols, sizeof(size_t));
	char buf[1024];

	if (w == NULL)
		return;
	for (int c = 0; c < t->t_ncols; c++)
		w[c] = width(t->t_cols[c]);
	for (int r = 0; r < t->t_rows; r++)
		for (int c = 0; c < t->t_ncols; c++) {
			text_cell(&t->t_cells[r * t->t_ncols + c], buf, sizeof(buf));
			if (width(buf) > w[c])
				w[c] = width(buf);
		}
	for (int c = 0; c < t->t_ncols; c++)
		fprintf(out, "%s%-*s", c ? "  " : "", c + 1 < t->t_ncols ? (int)w[c] : 0,
		        t->t_cols[c]);
	fputc('\n', out);
	for (int c = 0; c < t->t_ncols; c++) {
		fputs(c ? "  " : "", out);
		for (size_t i = 0; i < w[c]; i++)
			fputc('-', out);
	}
	fputc('\n', out);
	for (int r = 0; r < t->t_rows; r++) {
		for (int c = 0; c < t->t_ncols; c++) {
			size_t pad;
			text_cell(&t->t_cells[r * t->t_ncols + c], buf, sizeof(buf));
			pad = w[c] - width(buf);
			fputs(c ? "  " : "", out);
			if (t->t_numeric[c])
				fprintf(out, "%*s%s", (int)pad, "", buf);
			else if (c + 1 < t->t_ncols)
				fprintf(out, "%s%*s", buf, (int)pad, "");
			else
				fputs(buf, out);
		}
		fputc('\n', out);
	}
	free(w);
}

static void write_csv(const table_s *t, FILE *out)
{
	char *buf = malloc(32768);

	if (buf == NULL)
		return;
	for (int c = 0; c < t->t_ncols; c++) {
		escape_csv(buf, 32768, t->t_cols[c], strlen(t->t_cols[c]));
		fprintf(out, "%s%s", c ? "," : "", buf);
	}
	fputs("\r\n", out);
	for (int r = 0; r < t->t_rows; r++) {
		for (int c = 0; c < t->t_ncols; c++) {
			const cell_s *cl = &t->t_cells[r * t->t_ncols + c];
			fputs(c ? "," : "", out);
			if (cl->c_s == NULL)
				continue;
			if (t->t_numeric[c]) {
				fputs(cl->c_s, out); /* our own numbers: no formula risk */
			} else {
				escape_csv(buf, 32768, cl->c_s, cl->c_len);
				fputs(buf, out);
			}
		}
		fputs("\r\n", out);
	}
	free(buf);
}

static void write_json(const table_s *t, FILE *out)
{
	char *buf = malloc(65536);

	if (buf == NULL)
		return;
	fputc('[', out);
	for (int r = 0; r < t->t_rows; r++) {
		fputs(r ? ",\n {" : "\n {", out);
		for (int c = 0; c < t->t_ncols; c++) {
			const cell_s *cl = &t->t_cells[r * t->t_ncols + c];
			escape_json(buf, 65536, t->t_cols[c], strlen(t->t_cols[c]));
			fprintf(out, "%s\"%s\":", c ? "," : "", buf);
			if (cl->c_s == NULL)
				fputs("null", out);
			else if (t->t_numeric[c])
				fputs(cl->c_s, out);
			else {
				escape_json(buf, 65536, cl->c_s, cl->c_len);
				fprintf(out, "\"%s\"", buf);
			}
		}
		fputc('}', out);
	}
	fputs(t->t_rows ? "\n]" : "]", out);
	free(buf);
}

static void write_html(const table_s *t, FILE *out)
{
	char *buf = malloc(32768);

	if (buf == NULL)
		return;
	escape_html(buf, 32768, t->t_name, strlen(t->t_name));
	fprintf(out, "<table class=\"data\" id=\"%s\">\n<thead><tr>", buf);
	for (int c = 0; c < t->t_ncols; c++) {
		escape_html(buf, 32768, t->t_cols[c], strlen(t->t_cols[c]));
		fprintf(out, "<th>%s</th>", buf);
	}
	fputs("</tr></thead>\n<tbody>\n", out);
	for (int r = 0; r < t->t_rows; r++) {
		fputs("<tr>", out);
		for (int c = 0; c < t->t_ncols; c++) {
			const cell_s *cl = &t->t_cells[r * t->t_ncols + c];
			if (cl->c_s == NULL) {
				fputs("<td></td>", out);
				continue;
			}
			escape_html(buf, 32768, cl->c_s, cl->c_len > 512 ? 512 : cl->c_len);
			fprintf(out, "<td%s>%s</td>", t->t_numeric[c] ? " class=\"n\"" : "", buf);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
	free(buf);
}

void table_write(const table_s *t, FILE *out, table_fmt_e fmt)
{
	switch (fmt) {
	case FMT_TEXT:
		write_text(t, out);
		break;
	case FMT_CSV:
		write_csv(t, out);
		break;
	case FMT_JSON:
		write_json(t, out);
		fputc('\n', out);
		break;
	case FMT_HTML:
		write_html(t, out);
		break;
	}
}

void table_write_all(table_s *const *ts, int n, FILE *out, table_fmt_e fmt)
{
	if (fmt == FMT_JSON) {
		char name[256];
		fputc('{', out);
		for (int i = 0; i < n; i++) {
			escape_json(name, sizeof(name), ts[i]->t_name, strlen(ts[i]->t_name));
			fprintf(out, "%s\"%s\":", i ? ",\n" : "", name);
			write_json(ts[i], out);
		}
		fputs("}\n", out);
		return;
	}
	for (int i = 0; i < n; i++) {
		if (n > 1 && fmt == FMT_TEXT)
			fprintf(out, "%s== %s ==\n", i ? "\n" : "", ts[i]->t_name);
		if (n > 1 && fmt == FMT_CSV)
			fprintf(out, "%s# %s\r\n", i ? "\r\n" : "", ts[i]->t_name);
		table_write(ts[i], out, fmt);
	}
}

/* page: report --out's files of the tables: each table as CSV and JSON, and index.html with the
 * charts and every table (escaped; no script may run in it). */
#include "page.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "charts.h"
#include "escape.h"

FILE *page_open(const char *dir, const char *name, char *err, size_t errlen)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		snprintf(err, errlen, "report: cannot write %.300s: %s", path, strerror(errno));
	return f;
}

int page_write_data(const char *dir, table_s *t, char *err, size_t errlen)
{
	char name[256];
	FILE *f;

	for (int fmt = 0; fmt < 2; fmt++) {
		snprintf(name, sizeof(name), "%s.%s", table_name(t), fmt ? "json" : "csv");
		if ((f = page_open(dir, name, err, errlen)) == NULL)
			return -1;
		table_write(t, f, fmt ? FMT_JSON : FMT_CSV);
		if (fclose(f) != 0) {
			snprintf(err, errlen, "report: cannot write %.200s/%.60s", dir, name);
			return -1;
		}
	}
	return 0;
}

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'none'; "
    "img-src 'self' file: data:; style-src 'unsafe-inline'\">\n"
    "<meta name=\"referrer\" content=\"no-referrer\">\n<title>camdecoy report</title>\n"
    "<style>body{font-family:sans-serif;margin:24px;color:#222}table.data{border-collapse:collapse;"
    "margin:8px 0 24px;font-size:13px}table.data td,table.data th{border:1px solid "
    "#ccc;padding:3px 8px;"
    "text-align:left}td.n{text-align:right}img{max-width:100%;border:1px solid #ddd;margin:6px 0}"
    "h2{margin-top:32px}.files a{margin-right:12px}</style></head><body>\n";

int page_write_html(const char *dir, table_s **tables, int ntables, const char *scope, char *err,
                    size_t errlen)
{
	FILE *f = page_open(dir, "index.html", err, errlen);
	char buf[2048];

	if (f == NULL)
		return -1;
	fputs(html_head, f);
	escape_html(buf, sizeof(buf), scope, strlen(scope));
	fprintf(f, "<h1>camdecoy report</h1>\n<p>%s</p>\n<h2>Charts</h2>\n", buf);
	for (int i = 0; i < CHARTS_N; i++) {
		escape_html(buf, sizeof(buf), charts_name(i), strlen(charts_name(i)));
		fprintf(f,
		        "<div><img src=\"%s.png\" alt=\"%s\"><div class=\"files\"><a "
		        "href=\"%s.svg\">SVG</a>"
		        "<a href=\"%s.pdf\">PDF</a><a href=\"%s.csv\">data (CSV)</a><a "
		        "href=\"%s.json\">data (JSON)</a>"
		        "</div></div>\n",
		        buf, buf, buf, buf, buf, buf);
	}
	for (int i = 0; i < ntables; i++) {
		escape_html(buf, sizeof(buf), table_name(tables[i]), strlen(table_name(tables[i])));
		fprintf(f,
		        "<h2>%s</h2>\n<div class=\"files\"><a href=\"%s.csv\">CSV</a><a "
		        "href=\"%s.json\">JSON</a></div>\n",
		        buf, buf, buf);
		table_write(tables[i], f, FMT_HTML);
	}
	fputs("</body></html>\n", f);
	fclose(f);
	return 0;
}

/* export: report --out DIR: tables as CSV and JSON, the charts, and index.html,
 * with the two largest exports written by child processes; and the SQLite
 * databases as its source. */
#include "export.h"

#include "abuse.h"
#include "query.h"
#include "outputs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "charts.h"
#include "escape.h"

static FILE *open_out(const char *dir, const char *name, char *err, size_t errlen)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		snprintf(err, errlen, "report: cannot write %.300s: %s", path, strerror(errno));
	return f;
}

static int write_data(const char *dir, table_s *t, char *err, size_t errlen)
{
	char name[256];
	FILE *f;

	for (int fmt = 0; fmt < 2; fmt++) {
		snprintf(name, sizeof(name), "%s.%s", table_name(t), fmt ? "json" : "csv");
		if ((f = open_out(dir, name, err, errlen)) == NULL)
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

static int write_html(const char *dir, table_s **tables, int ntables, const char *scope, char *err,
                      size_t errlen)
{
	FILE *f = open_out(dir, "index.html", err, errlen);
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

/* views.csv (merged 0) or sessions.csv (merged 1), streamed: with millions
 * of views these are the biggest outputs by far, so the report writes them
 * as CSV only (the views subcommand gives JSON on request), each in a child
 * process with its own connection (SQLite's must not cross fork(), nor
 * curl's); the pid, or -1 after doing it here. */
static pid_t export_listing(const export_source_s *src, const char *dir, int merged, int *failed,
                            char *err, size_t errlen)
{
	const char *name = merged ? "sessions.csv" : "views.csv";
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0 || pid < 0) {
		FILE *csv = open_out(dir, name, err, errlen);
		int bad =
		    csv == NULL || src->xs_listing(src->xs_arg, merged, csv, err, errlen) != 0;
		if (csv != NULL && fclose(csv) != 0)
			bad = 1;
		if (pid == 0)
			_exit(bad ? 1 : 0);
		*failed = bad;
	}
	return pid;
}

int export_write(const export_source_s *src, const char *dir, const char *scope, char *err,
                 size_t errlen)
{
	table_s *ts[EXPORT_TABLES_MAX] = {NULL};
	int n = 0, rc = -1, failed = 0;
	pid_t child[2] = {-1, -1};
	chart_data_s cd = {0};

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "report: cannot create %.300s: %s", dir, strerror(errno));
		return -1;
	}
	if ((n = src->xs_tables(src->xs_arg, ts, err, errlen)) < 0)
		goto out;
	/* the two biggest files (every view, every session) are written by two
	 * child processes while this one does the rest */
	for (int k = 0; k < 2; k++)
		child[k] = export_listing(src, dir, k, &failed, err, errlen);
	if (failed)
		goto out;
	for (int i = 0; i < n; i++)
		if (write_data(dir, ts[i], err, errlen) != 0)
			goto out;
	if (charts_data_new(&cd) != 0) {
		snprintf(err, errlen, "report: out of memory");
		goto out;
	}
	if (src->xs_charts(src->xs_arg, &cd, err, errlen) != 0 ||
	    charts_write(&cd, dir, err, errlen) != 0)
		goto out;
	rc = write_html(dir, ts, n, scope, err, errlen);
out:
	for (int k = 0; k < 2; k++) {
		int status = 0;
		if (child[k] > 0 && (waitpid(child[k], &status, 0) != child[k] ||
		                     !WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
			snprintf(err, errlen, "report: writing %s.csv failed",
			         k ? "sessions" : "views");
			rc = -1;
		}
	}
	charts_data_free(&cd);
	for (int i = 0; i < EXPORT_TABLES_MAX; i++)
		table_free(ts[i]);
	return rc;
}

/* ---- the SQLite databases as an export's source ---- */

static int lite_tables(void *arg, table_s **ts, char *err, size_t errlen)
{
	report_s *rp = arg;
	int n = 0;

	if (summary_tables(rp, &ts[n]) != 0)
		goto fail;
	n += 3;
	if (countries_table(rp, &ts[n]) != 0)
		goto fail;
	n += 1;
	if (referers_tables(rp, &ts[n]) != 0)
		goto fail;
	n += 2;
	if (credentials_tables(rp, &ts[n]) != 0)
		goto fail;
	n += 2;
	if (abuse_table(rp, &ts[n], 0) != 0 || funnel_table(rp, &ts[n + 1]) != 0)
		goto fail;
	n += 2;
	/* the longest views go into the page; all views and sessions into files */
	ts[n] = output_new(OUT_LONGEST_VIEWS);
	if (ts[n] == NULL ||
	    query_into(rp, ts[n],
	               "SELECT id, sensor, kind, " TIME(
	                   "started_at") ", printf('%.3f', IFNULL(duration_ms, 0) / 1000.0),"
	                                 " src_ip, country, referer_class, client_class, frames, "
	                                 "user_agent FROM v WHERE " V_WHERE
	                                 " ORDER BY duration_ms DESC, started_at, sensor, id LIMIT "
	                                 "100") != 0)
		goto fail;
	return n + 1;
fail:
	snprintf(err, errlen, "%s", rp->rp_err[0] ? rp->rp_err : "report: out of memory");
	return -1;
}

static int lite_charts(void *arg, chart_data_s *d, char *err, size_t errlen)
{
	report_s *rp = arg;

	return charts_data_sqlite(rp->rp_rd, d, err, errlen);
}

static int lite_listing(void *arg, int merged, FILE *csv, char *err, size_t errlen)
{
	report_s *rp = arg;
	rdb_s *own = rdb_open(rp->rp_paths, rp->rp_npaths, err, errlen);
	table_s *st = NULL;
	int bad;

	if (own == NULL)
		return -1;
	own->rd_since = rp->rp_rd->rd_since;
	own->rd_until = rp->rp_rd->rd_until;
	own->rd_sensor = rp->rp_rd->rd_sensor;
	own->rd_persona = rp->rp_rd->rd_persona;
	report_s mine = *rp;
	mine.rp_rd = own;
	bad = views_table(&mine, &st, merged, csv, NULL) != 0;
	if (st != NULL && !bad)
		table_stream_end(st);
	if (bad)
		snprintf(err, errlen, "%s", mine.rp_err);
	table_free(st);
	rdb_close(own);
	return bad ? -1 : 0;
}

int export_report(report_s *rp, const char *dir, const char *scope)
{
	const export_source_s src = {rp, lite_tables, lite_charts, lite_listing};

	return export_write(&src, dir, scope, rp->rp_err, sizeof(rp->rp_err));
}

/* export: report --out DIR: tables as CSV and JSON, the charts, and index.html,
 * with the two largest exports written by child processes. */
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

static FILE *open_out(report_s *rp, const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		snprintf(rp->rp_err, sizeof(rp->rp_err), "report: cannot write %.300s: %s", path,
		         strerror(errno));
	return f;
}

static int write_data(report_s *rp, const char *dir, table_s *t)
{
	char name[256];
	FILE *f;

	for (int fmt = 0; fmt < 2; fmt++) {
		snprintf(name, sizeof(name), "%s.%s", table_name(t), fmt ? "json" : "csv");
		if ((f = open_out(rp, dir, name)) == NULL)
			return -1;
		table_write(t, f, fmt ? FMT_JSON : FMT_CSV);
		fclose(f);
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

static int write_html(report_s *rp, const char *dir, table_s **tables, int ntables,
                      const char *const *charts, int ncharts, const char *scope)
{
	FILE *f = open_out(rp, dir, "index.html");
	char buf[2048];

	if (f == NULL)
		return -1;
	fputs(html_head, f);
	escape_html(buf, sizeof(buf), scope, strlen(scope));
	fprintf(f, "<h1>camdecoy report</h1>\n<p>%s</p>\n<h2>Charts</h2>\n", buf);
	for (int i = 0; i < ncharts; i++) {
		escape_html(buf, sizeof(buf), charts[i], strlen(charts[i]));
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
 * as CSV only (the views subcommand gives JSON on request). 0 or -1. */
static int export_views(report_s *rp, const char *dir, int merged)
{
	char name[64];
	FILE *csv;
	table_s *st = NULL;
	int bad;

	snprintf(name, sizeof(name), "%s.csv", merged ? "sessions" : "views");
	csv = open_out(rp, dir, name);
	bad = csv == NULL || views_table(rp, &st, merged, csv, NULL) != 0;
	if (st != NULL && !bad)
		table_stream_end(st);
	table_free(st);
	if (csv != NULL && fclose(csv) != 0)
		bad = 1;
	return bad ? -1 : 0;
}

/* Runs export_views in a child process with its own connection (SQLite
 * connections must not cross fork()); the pid, or -1 after doing it here. */
static pid_t export_async(report_s *rp, const char *dir, int merged, int *failed)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		rdb_s *own = rdb_open(rp->rp_paths, rp->rp_npaths, rp->rp_err, sizeof(rp->rp_err));
		if (own == NULL)
			_exit(1);
		own->rd_since = rp->rp_rd->rd_since;
		own->rd_until = rp->rp_rd->rd_until;
		own->rd_sensor = rp->rp_rd->rd_sensor;
		own->rd_persona = rp->rp_rd->rd_persona;
		rp->rp_rd = own;
		_exit(export_views(rp, dir, merged) == 0 ? 0 : 1);
	}
	if (pid < 0 && export_views(rp, dir, merged) != 0)
		*failed = 1;
	return pid;
}

int export_report(report_s *rp, const char *dir, const char *scope)
{
	table_s *ts[16] = {NULL};
	int n = 0, rc = -1, failed = 0;
	pid_t child[2] = {-1, -1};
	const char *charts[] = {"view_durations", "host_series",         "country_shares",
	                        "duration_cdf",   "credential_timeline", "funnel"};

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		snprintf(rp->rp_err, sizeof(rp->rp_err), "report: cannot create %.300s: %s", dir,
		         strerror(errno));
		return -1;
	}
	if (summary_tables(rp, &ts[n]) != 0)
		goto out;
	n += 3;
	if (countries_table(rp, &ts[n]) != 0)
		goto out;
	n += 1;
	if (referers_tables(rp, &ts[n]) != 0)
		goto out;
	n += 2;
	if (credentials_tables(rp, &ts[n]) != 0)
		goto out;
	n += 2;
	if (abuse_table(rp, &ts[n], 0) != 0 || funnel_table(rp, &ts[n + 1]) != 0)
		goto out;
	n += 2;
	/* the longest views go into the page; all views and sessions into files */
	ts[n] = output_new(OUT_LONGEST_VIEWS);
	if (ts[n] == NULL ||
	    query_into(rp, ts[n],
	               "SELECT id, sensor, kind, " TIME(
	                   "started_at") ", printf('%.3f', IFNULL(duration_ms, 0) / 1000.0),"
	                                 " src_ip, country, referer_class, client_class, frames, "
	                                 "user_agent FROM v WHERE " V_WHERE
	                                 " ORDER BY duration_ms DESC, started_at LIMIT 100") != 0)
		goto out;
	n += 1;
	/* The two biggest files (every view, every session) are written by two
	 * child processes while this one does the rest. */
	for (int k = 0; k < 2; k++)
		child[k] = export_async(rp, dir, k, &failed);
	if (failed)
		goto out;
	for (int i = 0; i < n; i++)
		if (write_data(rp, dir, ts[i]) != 0)
			goto out;
	if (charts_write_all(rp->rp_rd, dir, rp->rp_err, sizeof(rp->rp_err)) != 0)
		goto out;
	rc = write_html(rp, dir, ts, n, charts, (int)(sizeof(charts) / sizeof(charts[0])), scope);
out:
	for (int k = 0; k < 2; k++) {
		int status = 0;
		if (child[k] > 0 && (waitpid(child[k], &status, 0) != child[k] ||
		                     !WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
			snprintf(rp->rp_err, sizeof(rp->rp_err), "report: writing %s.csv failed",
			         k ? "sessions" : "views");
			rc = -1;
		}
	}
	for (int i = 0; i < 16; i++)
		table_free(ts[i]);
	return rc;
}

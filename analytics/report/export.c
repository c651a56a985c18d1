/* export: report --out DIR: tables as CSV and JSON, the charts, and index.html,
 * with the two largest exports written by child processes, from either backend. */
#include "export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "page.h"

/* Every view (merged 0) or merged session (1) streamed to csv, over a
 * connection of its own. 0 or -1. */
static int listing(const backend_ops_s *ops, const backend_conf_s *conf, int merged, FILE *csv,
                   char *err, size_t errlen)
{
	char note[256];
	void *own = ops->bo_open(conf, note, sizeof(note), err, errlen);
	table_s *st = NULL;
	int bad;

	if (own == NULL)
		return -1;
	bad = ops->bo_views(own, &st, merged, csv, NULL, err, errlen) != 0;
	if (st != NULL && !bad)
		table_stream_end(st);
	table_free(st);
	ops->bo_close(own);
	return bad ? -1 : 0;
}

/* The report's tables, in order, each written as CSV and JSON; on_page[i]:
 * whether the page shows it too (every exploitation attempt is a file
 * only, as every view is). How many (the caller frees them), or -1. */
static int page_tables(const backend_ops_s *ops, void *h, table_s **ts, int *on_page, char *err,
                       size_t errlen)
{
	const backend_tables_fn parts[] = {ops->bo_summary,     ops->bo_countries, ops->bo_referers,
	                                   ops->bo_credentials, NULL /* abuse */,  ops->bo_funnel,
	                                   ops->bo_longest,     ops->bo_exploits};
	const int counts[] = {3, 1, 2, 2, 2, 1, 1, 3};
	const unsigned files_only[] = {0, 0, 0, 0, 0, 0, 0, 2 /* exploit_attempts */};
	int n = 0;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		int rc = parts[i] != NULL ? parts[i](h, &ts[n], err, errlen)
		                          : ops->bo_abuse(h, &ts[n], 0, err, errlen);
		if (rc != 0)
			return -1;
		for (int j = 0; j < counts[i]; j++)
			on_page[n + j] = !(files_only[i] >> j & 1);
		n += counts[i];
	}
	return n;
}

/* views.csv (merged 0) or sessions.csv (merged 1), streamed: with millions
 * of views these are the biggest outputs by far, so the report writes them
 * as CSV only (the views subcommand gives JSON on request), each in a child
 * process with its own connection (SQLite's must not cross fork(), nor
 * curl's); the pid, or -1 after doing it here. */
static pid_t export_listing(const backend_ops_s *ops, const backend_conf_s *conf, const char *dir,
                            int merged, int *failed, char *err, size_t errlen)
{
	const char *name = merged ? "sessions.csv" : "views.csv";
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0 || pid < 0) {
		FILE *csv = page_open(dir, name, err, errlen);
		int bad = csv == NULL || listing(ops, conf, merged, csv, err, errlen) != 0;
		if (csv != NULL && fclose(csv) != 0)
			bad = 1;
		if (pid == 0)
			_exit(bad ? 1 : 0);
		*failed = bad;
	}
	return pid;
}

int export_write(const backend_ops_s *ops, const backend_conf_s *conf, void *h, const char *dir,
                 const char *scope, char *err, size_t errlen)
{
	table_s *ts[EXPORT_TABLES_MAX] = {NULL}, *shown[EXPORT_TABLES_MAX];
	int on_page[EXPORT_TABLES_MAX], n = 0, nshown = 0, rc = -1, failed = 0;
	pid_t child[2] = {-1, -1};
	chart_data_s cd = {0};

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "report: cannot create %.300s: %s", dir, strerror(errno));
		return -1;
	}
	if ((n = page_tables(ops, h, ts, on_page, err, errlen)) < 0)
		goto out;
	/* the two biggest files (every view, every session) are written by two
	 * child processes while this one does the rest */
	for (int k = 0; k < 2; k++)
		child[k] = export_listing(ops, conf, dir, k, &failed, err, errlen);
	if (failed)
		goto out;
	for (int i = 0; i < n; i++)
		if (page_write_data(dir, ts[i], err, errlen) != 0)
			goto out;
	if (charts_data_new(&cd) != 0) {
		snprintf(err, errlen, "report: out of memory");
		goto out;
	}
	if (ops->bo_charts(h, &cd, err, errlen) != 0 || charts_write(&cd, dir, err, errlen) != 0)
		goto out;
	for (int i = 0; i < n; i++)
		if (on_page[i])
			shown[nshown++] = ts[i];
	rc = page_write_html(dir, shown, nshown, scope, err, errlen);
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

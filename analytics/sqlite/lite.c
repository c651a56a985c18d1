/* lite: the SQLite backend's table of operations: the databases opened and merged (rdb.c), each
 * report's SQL (query.c, xreport.c, abuse.c, chartdata.c), the invariants per file (verify.c). */
#include "lite.h"

#include "abuse.h"
#include "charts.h"
#include "query.h"
#include "verify.h"

#include <stdlib.h>
#include <string.h>

static void *lite_open(const backend_conf_s *conf, char *note, size_t notelen, char *err,
                       size_t errlen)
{
	report_s *rp = calloc(1, sizeof(*rp));

	if (rp == NULL) {
		snprintf(err, errlen, "report: out of memory");
		return NULL;
	}
	if ((rp->rp_rd = rdb_open(conf->bc_paths, conf->bc_npaths, err, errlen)) == NULL) {
		free(rp);
		return NULL;
	}
	if (rp->rp_rd->rd_skipped > 0)
		snprintf(note, notelen,
		         "%d file(s) were copies of another database given (same sensor and db_id):"
		         " each database is counted once",
		         rp->rp_rd->rd_skipped);
	rp->rp_rd->rd_since = conf->bc_since;
	rp->rp_rd->rd_until = conf->bc_until;
	rp->rp_rd->rd_sensor = conf->bc_sensor;
	rp->rp_rd->rd_persona = conf->bc_persona;
	return rp;
}

static void lite_close(void *h)
{
	report_s *rp = h;

	if (rp == NULL)
		return;
	rdb_close(rp->rp_rd);
	free(rp);
}

/* The query's error, or out of memory when a table could not be made. */
static int lite_done(report_s *rp, int rc, char *err, size_t errlen)
{
	if (rc != 0)
		snprintf(err, errlen, "%s", rp->rp_err[0] ? rp->rp_err : "report: out of memory");
	return rc;
}

#define LITE_TABLES(name, fn)                                                                      \
	static int name(void *h, table_s **out, char *err, size_t errlen)                          \
	{                                                                                          \
		return lite_done(h, fn(h, out), err, errlen);                                      \
	}
LITE_TABLES(lite_summary, summary_tables)
LITE_TABLES(lite_countries, countries_table)
LITE_TABLES(lite_referers, referers_tables)
LITE_TABLES(lite_credentials, credentials_tables)
LITE_TABLES(lite_funnel, funnel_table)
LITE_TABLES(lite_exploits, exploits_tables)
LITE_TABLES(lite_longest, longest_table)

static int lite_abuse(void *h, table_s **out, long long asn, char *err, size_t errlen)
{
	return lite_done(h, abuse_table(h, out, asn), err, errlen);
}

static int lite_views(void *h, table_s **out, int merged, FILE *csv, FILE *json, char *err,
                      size_t errlen)
{
	return lite_done(h, views_table(h, out, merged, csv, json), err, errlen);
}

static int lite_charts(void *h, chart_data_s *d, char *err, size_t errlen)
{
	return charts_data_sqlite(((report_s *)h)->rp_rd, d, err, errlen);
}

static int lite_xarf(void *h, long long asn, const abuse_reporter_s *rep, FILE *out, char *err,
                     size_t errlen)
{
	return lite_done(h, abuse_xarf(h, asn, rep, out), err, errlen);
}

/* Read-only, per database: every summary against its raw rows. A file
 * that cannot be read does not stop the others: its error joins err, one
 * line per file as the command line prints them. */
static int lite_check(const backend_conf_s *conf, FILE *out, char *err, size_t errlen)
{
	char one[512];
	size_t n = 0;
	int worst = 0;

	err[0] = '\0';
	for (int i = 0; i < conf->bc_npaths; i++) {
		int c = verify_database(conf->bc_paths[i], out, one, sizeof(one));
		if (c < 0 && n < errlen)
			n += (size_t)snprintf(err + n, errlen - n, "%s%s",
			                      n > 0 ? "\ncamdecoy-report: " : "", one);
		if (c != 0)
			worst = 1;
	}
	return worst;
}

const backend_ops_s sqlite_backend = {
    .bo_name = "SQLite",
    .bo_open = lite_open,
    .bo_close = lite_close,
    .bo_summary = lite_summary,
    .bo_countries = lite_countries,
    .bo_referers = lite_referers,
    .bo_credentials = lite_credentials,
    .bo_funnel = lite_funnel,
    .bo_exploits = lite_exploits,
    .bo_longest = lite_longest,
    .bo_abuse = lite_abuse,
    .bo_views = lite_views,
    .bo_charts = lite_charts,
    .bo_xarf = lite_xarf,
    .bo_check = lite_check,
};

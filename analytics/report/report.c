/* camdecoy-report: decoy databases or the fleet's ClickHouse -> tables, charts and an HTML
 * report (the command line). The subcommands ask a backend (backend.h) and never which. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "escape.h"
#include "export.h"
#include "house.h"
#include "lite.h"

/* A subcommand: how many tables it prints, and the operation that fills
 * them (offset of a backend_tables_fn in backend_ops_s; 0: its own). */
typedef struct {
	const char *s_name;
	int s_ntables;
	size_t s_op;
} sub_s;

#define OP(member) offsetof(backend_ops_s, member)
static const sub_s subs[] = {
    {"summary", 3, OP(bo_summary)},
    {"countries", 1, OP(bo_countries)},
    {"referers", 2, OP(bo_referers)},
    {"credentials", 2, OP(bo_credentials)},
    {"funnel", 1, OP(bo_funnel)},
    {"exploits", 3, OP(bo_exploits)},
    {"views", 1, 0},
    {"abuse", 2, 0},
    {"report", 0, 0},
    {"check", 0, 0},
};

static backend_tables_fn sub_tables(const backend_ops_s *ops, const sub_s *s)
{
	return s->s_op == 0 ? NULL : *(const backend_tables_fn *)((const char *)ops + s->s_op);
}

/* report --out DIR, its scope line as the page prints it. */
static int write_report(const report_args_s *a, const backend_ops_s *ops, void *h, char *err,
                        size_t errlen)
{
	char scope[512], where[128];

	if (a->ra_url != NULL)
		snprintf(where, sizeof(where), "ClickHouse database %s", a->ra_conf.bc_database);
	else
		snprintf(where, sizeof(where), "%d database(s)", a->ra_conf.bc_npaths);
	snprintf(scope, sizeof(scope), "%s; times in %s%s%s%s%s", where, a->ra_tz,
	         a->ra_since ? "; since " : "", a->ra_since ? a->ra_since : "",
	         a->ra_until ? "; until " : "", a->ra_until ? a->ra_until : "");
	if (export_write(ops, &a->ra_conf, h, a->ra_out, scope, err, errlen) != 0)
		return -1;
	printf("report written to %s/index.html\n", a->ra_out);
	return 0;
}

/* One subcommand over an open backend: its tables printed, or what it writes itself. */
static int run(const report_args_s *a, const backend_ops_s *ops, void *h, const sub_s *s)
{
	table_s *ts[4] = {NULL};
	char err[512] = "";
	int rc, nt = s->s_ntables;

	if (strcmp(s->s_name, "report") == 0) {
		rc = write_report(a, ops, h, err, sizeof(err));
	} else if (strcmp(s->s_name, "abuse") == 0 && strcmp(a->ra_fmt, "xarf") == 0) {
		rc = ops->bo_xarf(h, a->ra_asn, &a->ra_rep, stdout, err, sizeof(err));
		nt = 0;
	} else if (strcmp(s->s_name, "abuse") == 0) {
		rc = ops->bo_abuse(h, ts, a->ra_asn, err, sizeof(err));
	} else if (strcmp(s->s_name, "views") == 0) {
		rc = ops->bo_views(h, ts, a->ra_merged, NULL, NULL, err, sizeof(err));
	} else {
		rc = sub_tables(ops, s)(h, ts, err, sizeof(err));
	}
	if (rc == 0 && nt > 0)
		table_write_all(ts, nt, stdout, a->ra_tf);
	else if (rc != 0)
		fprintf(stderr, "camdecoy-report: %s\n", err);
	for (int i = 0; i < 4; i++)
		table_free(ts[i]);
	return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *dbs[argc + 1]; /* every argument could be a --db */
	report_args_s a;
	const sub_s *s = NULL;
	char err[2048] = "", note[512] = "";
	void *h;
	int rc;

	atexit(charts_fini);
	if ((rc = args_parse(argc, argv, dbs, &a)) >= 0)
		return rc;
	const backend_ops_s *ops = a.ra_url != NULL ? &clickhouse_backend : &sqlite_backend;
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(a.ra_cmd, subs[i].s_name) == 0)
			s = &subs[i];
	if (s == NULL || (s->s_op != 0 && sub_tables(ops, s) == NULL)) {
		char q[64];
		escape_text(q, sizeof(q), a.ra_cmd, strlen(a.ra_cmd));
		if (s == NULL) {
			fprintf(stderr, "camdecoy-report: unknown subcommand \"%s\"\n", q);
			args_usage(stderr);
		} else {
			fprintf(stderr, "camdecoy-report: \"%s\" over %s is not built yet\n", q,
			        ops->bo_name);
		}
		return 2;
	}
	if (strcmp(s->s_name, "check") == 0) {
		rc = ops->bo_check(&a.ra_conf, stdout, err, sizeof(err));
		if (err[0] != '\0')
			fprintf(stderr, "camdecoy-report: %s\n", err);
		return rc != 0;
	}
	if (strcmp(s->s_name, "report") == 0 && a.ra_out == NULL) {
		fprintf(stderr, "camdecoy-report: report needs --out DIR\n");
		return 2;
	}
	if ((h = ops->bo_open(&a.ra_conf, note, sizeof(note), err, sizeof(err))) == NULL) {
		fprintf(stderr, "camdecoy-report: %s\n", err);
		return 1;
	}
	if (note[0] != '\0')
		fprintf(stderr, "camdecoy-report: %s\n", note);
	rc = run(&a, ops, h, s);
	ops->bo_close(h);
	return rc;
}

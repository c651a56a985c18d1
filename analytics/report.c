/* camdecoy-report: decoy databases -> tables, charts and an HTML report (the command line). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "abuse.h"
#include "charts.h"
#include "chdb.h"
#include "verify.h"
#include "escape.h"
#include "query.h"
#include "timeparse.h"

/* The subcommands one per line after "subcommands:", options after two
 * spaces: tests/docs/t_man.sh holds camdecoy-report(1) to this text. */
static void usage(FILE *out)
{
	fputs("usage: camdecoy-report --db FILE [--db FILE ...] [filters] [--format FORMAT] "
	      "SUBCOMMAND\n"
	      "       camdecoy-report --clickhouse URL [--clickhouse-database NAME] [filters]\n"
	      "                       [--format FORMAT] SUBCOMMAND\n"
	      "filters: [--since TIME] [--until TIME] [--sensor NAME] [--persona NAME] [--tz "
	      "ZONE]\n"
	      "FORMAT: text (default), csv or json; xarf for abuse notices.\n"
	      "TIME: YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM|-HH:MM] (no zone: --tz). ZONE: UTC (default) "
	      "or an IANA name.\n"
	      "subcommands (over SQLite files and over ClickHouse alike):\n"
	      "  summary\n"
	      "  views [--merged]\n"
	      "  countries\n"
	      "  referers\n"
	      "  credentials\n"
	      "  funnel\n"
	      "  exploits\n"
	      "  abuse [--asn N] [--format xarf --asn N --reporter-org ORG --reporter-contact "
	      "EMAIL\n"
	      "        --reporter-domain DOMAIN]\n"
	      "  report --out DIR\n"
	      "  check\n",
	      out);
}

/* What the command line asked of the ClickHouse backend. */
typedef struct {
	const char *ca_url, *ca_database, *ca_cmd, *ca_fmt, *ca_out;
	const char *ca_tz, *ca_since, *ca_until; /* as given, for the page */
	int ca_merged;
	long long ca_asn;
	const abuse_reporter_s *ca_rep;
	const chdb_filter_s *ca_f;
} ch_args_s;

/* The subcommands over the fleet's ClickHouse (chdb.h). */
static int over_clickhouse(const ch_args_s *a, int ndb)
{
	const char *url = a->ca_url, *database = a->ca_database, *cmd = a->ca_cmd;
	const char *fmt = a->ca_fmt;
	table_fmt_e tf = FMT_TEXT;
	table_s *ts[3] = {NULL};
	char err[512];
	chdb_s *c;
	int rc;

	if (ndb > 0) {
		fprintf(stderr, "camdecoy-report: --db and --clickhouse: one or the other\n");
		return 2;
	}
	if ((strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) ||
	    strpbrk(url, " \t\r\n") != NULL) {
		fprintf(stderr,
		        "camdecoy-report: --clickhouse: must be an http:// or https:// URL\n");
		return 2;
	}
	for (const char *p = database; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		      (p != database && *p >= '0' && *p <= '9'))) {
			fprintf(stderr,
			        "camdecoy-report: --clickhouse-database: letters, digits and "
			        "_, not starting with a digit\n");
			return 2;
		}
	if (database[0] == '\0' || strlen(database) > 64) {
		fprintf(stderr, "camdecoy-report: --clickhouse-database: 1 to 64 characters\n");
		return 2;
	}
	if (strcmp(fmt, "csv") == 0)
		tf = FMT_CSV;
	else if (strcmp(fmt, "json") == 0)
		tf = FMT_JSON;
	else if (strcmp(fmt, "text") != 0 &&
	         !(strcmp(fmt, "xarf") == 0 && strcmp(cmd, "abuse") == 0)) {
		fprintf(stderr, "camdecoy-report: --format: must be text, csv or json\n");
		return 2;
	}
	static const struct {
		const char *name;
		int ntables;
		int (*fn)(chdb_s *, table_s **, char *, size_t);
	} subs[] = {{"summary", 3, chdb_summary},
	            {"credentials", 2, chdb_credentials},
	            {"referers", 2, chdb_referers},
	            {"funnel", 1, chdb_funnel},
	            {"countries", 1, chdb_countries},
	            {"check", 0, NULL},
	            {"views", 1, NULL},
	            {"abuse", 1, NULL},
	            {"report", 0, NULL}};
	int sub = -1;
	for (int i = 0; i < (int)(sizeof(subs) / sizeof(subs[0])); i++)
		if (strcmp(cmd, subs[i].name) == 0)
			sub = i;
	if (sub < 0) {
		char q[64];
		escape_text(q, sizeof(q), cmd, strlen(cmd));
		fprintf(stderr,
		        "camdecoy-report: \"%s\" over ClickHouse is not built yet (summary, "
		        "credentials, referers, funnel, countries, views, abuse, report and check "
		        "are)\n",
		        q);
		return 2;
	}
	if ((c = chdb_open(url, database, a->ca_f, err, sizeof(err))) == NULL) {
		fprintf(stderr, "camdecoy-report: %s\n", err);
		return 1;
	}
	if (strcmp(cmd, "check") == 0) {
		rc = chdb_check(c, stdout, err, sizeof(err));
		if (rc < 0)
			fprintf(stderr, "camdecoy-report: %s\n", err);
		chdb_close(c);
		return rc != 0;
	}
	int nt = subs[sub].ntables;
	if (strcmp(cmd, "report") == 0 && a->ca_out == NULL) {
		fprintf(stderr, "camdecoy-report: report needs --out DIR\n");
		chdb_close(c);
		return 2;
	}
	if (strcmp(cmd, "report") == 0) {
		char scope[512];
		snprintf(scope, sizeof(scope), "ClickHouse database %s; times in %s%s%s%s%s",
		         database, a->ca_tz, a->ca_since ? "; since " : "",
		         a->ca_since ? a->ca_since : "", a->ca_until ? "; until " : "",
		         a->ca_until ? a->ca_until : "");
		rc = chdb_export(c, a->ca_out, scope, err, sizeof(err));
		if (rc == 0)
			printf("report written to %s/index.html\n", a->ca_out);
		nt = 0;
	} else if (strcmp(cmd, "abuse") == 0 && strcmp(fmt, "xarf") == 0) {
		rc = chdb_abuse_xarf(c, a->ca_asn, a->ca_rep, stdout, err, sizeof(err));
		nt = 0;
	} else if (strcmp(cmd, "abuse") == 0) {
		rc = chdb_abuse(c, ts, a->ca_asn, err, sizeof(err));
	} else if (subs[sub].fn != NULL) {
		rc = subs[sub].fn(c, ts, err, sizeof(err));
	} else {
		rc = chdb_views(c, ts, a->ca_merged, NULL, NULL, err, sizeof(err));
	}
	if (rc == 0 && nt > 0)
		table_write_all(ts, nt, stdout, tf);
	else if (rc != 0)
		fprintf(stderr, "camdecoy-report: %s\n", err);
	for (int i = 0; i < 3; i++)
		table_free(ts[i]);
	chdb_close(c);
	return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	/* every argument could be a --db: no limit but the command line */
	const char *dbs[argc + 1], *cmd = NULL, *out = NULL, *fmt = "text", *tz = "UTC";
	const char *since = NULL, *until = NULL, *sensor = NULL, *persona = NULL, *asn_s = NULL;
	const char *ch_url = NULL, *ch_db = "camdecoy";
	abuse_reporter_s rep = {NULL, NULL, NULL};
	long long asn = 0;
	int ndb = 0, merged = 0, rc = 1;
	report_s rp = {0};
	table_s *ts[4] = {NULL};
	int nt = 0;

	atexit(charts_fini);

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(a, "--merged") == 0) {
			merged = 1;
			continue;
		}
		if (strcmp(a, "--db") == 0) {
			slot = &dbs[ndb++];
		} else if (strcmp(a, "--clickhouse") == 0) {
			slot = &ch_url;
		} else if (strcmp(a, "--clickhouse-database") == 0) {
			slot = &ch_db;
		} else if (strcmp(a, "--since") == 0) {
			slot = &since;
		} else if (strcmp(a, "--until") == 0) {
			slot = &until;
		} else if (strcmp(a, "--sensor") == 0) {
			slot = &sensor;
		} else if (strcmp(a, "--persona") == 0) {
			slot = &persona;
		} else if (strcmp(a, "--tz") == 0) {
			slot = &tz;
		} else if (strcmp(a, "--format") == 0) {
			slot = &fmt;
		} else if (strcmp(a, "--out") == 0) {
			slot = &out;
		} else if (strcmp(a, "--asn") == 0) {
			slot = &asn_s;
		} else if (strcmp(a, "--reporter-org") == 0) {
			slot = &rep.ar_org;
		} else if (strcmp(a, "--reporter-contact") == 0) {
			slot = &rep.ar_contact;
		} else if (strcmp(a, "--reporter-domain") == 0) {
			slot = &rep.ar_domain;
		} else if (a[0] != '-' && cmd == NULL) {
			cmd = a;
			continue;
		} else {
			char q[64];
			escape_text(q, sizeof(q), a, strlen(a));
			fprintf(stderr, "camdecoy-report: unknown argument \"%s\"\n", q);
			usage(stderr);
			return 2;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "camdecoy-report: %s needs a value\n", a);
			return 2;
		}
		*slot = argv[++i];
	}
	if ((ndb == 0 && ch_url == NULL) || cmd == NULL) {
		usage(stderr);
		return 2;
	}
	if (asn_s != NULL) {
		char *end;
		asn = strtoll(asn_s, &end, 10);
		if (*asn_s == '\0' || *end != '\0' || asn < 1 || asn > 4294967295LL) {
			fprintf(stderr,
			        "camdecoy-report: --asn: must be an AS number, 1 .. 4294967295\n");
			return 2;
		}
	}
	if (strcmp(fmt, "xarf") == 0) {
		/* one notice per operator: never two operators' data in one */
		const char *missing = asn == 0                 ? "--asn"
		                      : rep.ar_org == NULL     ? "--reporter-org"
		                      : rep.ar_contact == NULL ? "--reporter-contact"
		                      : rep.ar_domain == NULL  ? "--reporter-domain"
		                                               : NULL;
		if (missing != NULL) {
			fprintf(stderr, "camdecoy-report: --format xarf needs %s\n", missing);
			return 2;
		}
	}
	if (ch_url != NULL) {
		chdb_filter_s f = {.cf_since = 0,
		                   .cf_until = INT64_MAX,
		                   .cf_sensor = sensor,
		                   .cf_persona = persona,
		                   .cf_tz = tz};
		setenv("TZ", strcmp(tz, "UTC") == 0 ? "UTC0" : tz, 1); /* times without a zone */
		tzset();
		if ((since != NULL && timeparse(since, &f.cf_since) != 0) ||
		    (until != NULL && timeparse(until, &f.cf_until) != 0)) {
			fprintf(stderr, "camdecoy-report: --since/--until: expected "
			                "YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM]\n");
			return 2;
		}
		const ch_args_s a = {ch_url, ch_db, cmd,    fmt, out,  tz,
		                     since,  until, merged, asn, &rep, &f};
		return over_clickhouse(&a, ndb);
	}
	if (strcmp(cmd, "check") == 0) {
		/* Read-only, per database: every summary against its raw rows. */
		char err[512];
		int worst = 0;
		for (int i = 0; i < ndb; i++) {
			int c = verify_database(dbs[i], stdout, err, sizeof(err));
			if (c < 0)
				fprintf(stderr, "camdecoy-report: %s\n", err);
			if (c != 0)
				worst = 1;
		}
		return worst;
	}
	/* Day buckets and printed times use this zone (SQLite's localtime). */
	setenv("TZ", strcmp(tz, "UTC") == 0 ? "UTC0" : tz, 1);
	tzset();
	if (strcmp(fmt, "text") == 0)
		rp.rp_fmt = FMT_TEXT;
	else if (strcmp(fmt, "csv") == 0)
		rp.rp_fmt = FMT_CSV;
	else if (strcmp(fmt, "json") == 0)
		rp.rp_fmt = FMT_JSON;
	else if (strcmp(fmt, "xarf") == 0 && strcmp(cmd, "abuse") == 0)
		rp.rp_fmt = FMT_TEXT; /* abuse writes its notices itself */
	else {
		fprintf(stderr, "camdecoy-report: --format: must be text, csv or json\n");
		return 2;
	}
	rp.rp_paths = dbs;
	rp.rp_npaths = ndb;
	rp.rp_rd = rdb_open(dbs, ndb, rp.rp_err, sizeof(rp.rp_err));
	if (rp.rp_rd == NULL) {
		fprintf(stderr, "camdecoy-report: %s\n", rp.rp_err);
		return 1;
	}
	if (rp.rp_rd->rd_skipped > 0)
		fprintf(stderr,
		        "camdecoy-report: %d file(s) were copies of another database given (same "
		        "sensor and db_id):"
		        " each database is counted once\n",
		        rp.rp_rd->rd_skipped);
	if ((since != NULL && timeparse(since, &rp.rp_rd->rd_since) != 0) ||
	    (until != NULL && timeparse(until, &rp.rp_rd->rd_until) != 0)) {
		fprintf(stderr, "camdecoy-report: %s: expected YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM]\n",
		        since != NULL && timeparse(since, &rp.rp_rd->rd_since) != 0 ? "--since"
		                                                                    : "--until");
		rdb_close(rp.rp_rd);
		return 2;
	}
	rp.rp_rd->rd_sensor = sensor;
	rp.rp_rd->rd_persona = persona;
	if (strcmp(cmd, "summary") == 0) {
		nt = 3;
		rc = summary_tables(&rp, ts);
	} else if (strcmp(cmd, "views") == 0) {
		nt = 1;
		rc = views_table(&rp, ts, merged, NULL, NULL);
	} else if (strcmp(cmd, "countries") == 0) {
		nt = 1;
		rc = countries_table(&rp, ts);
	} else if (strcmp(cmd, "referers") == 0) {
		nt = 2;
		rc = referers_tables(&rp, ts);
	} else if (strcmp(cmd, "credentials") == 0) {
		nt = 2;
		rc = credentials_tables(&rp, ts);
	} else if (strcmp(cmd, "funnel") == 0) {
		nt = 1;
		rc = funnel_table(&rp, ts);
	} else if (strcmp(cmd, "exploits") == 0) {
		nt = 3;
		rc = exploits_tables(&rp, ts);
	} else if (strcmp(cmd, "abuse") == 0) {
		if (strcmp(fmt, "xarf") == 0) {
			rc = abuse_xarf(&rp, asn, &rep, stdout);
		} else {
			nt = 1;
			rc = abuse_table(&rp, ts, asn);
		}
	} else if (strcmp(cmd, "report") == 0) {
		char scope[512];
		if (out == NULL) {
			fprintf(stderr, "camdecoy-report: report needs --out DIR\n");
			rdb_close(rp.rp_rd);
			return 2;
		}
		snprintf(scope, sizeof(scope), "%d database(s); times in %s%s%s%s%s", ndb, tz,
		         since ? "; since " : "", since ? since : "", until ? "; until " : "",
		         until ? until : "");
		rc = export_report(&rp, out, scope);
		if (rc == 0)
			printf("report written to %s/index.html\n", out);
	} else {
		char q[64];
		escape_text(q, sizeof(q), cmd, strlen(cmd));
		fprintf(stderr, "camdecoy-report: unknown subcommand \"%s\"\n", q);
		usage(stderr);
		rdb_close(rp.rp_rd);
		return 2;
	}
	if (rc == 0 && nt > 0)
		table_write_all(ts, nt, stdout, rp.rp_fmt);
	if (rc != 0)
		fprintf(stderr, "camdecoy-report: %s\n", rp.rp_err);
	for (int i = 0; i < 4; i++)
		table_free(ts[i]);
	rdb_close(rp.rp_rd);
	return rc == 0 ? 0 : 1;
}

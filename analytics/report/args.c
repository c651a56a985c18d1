/* args: camdecoy-report's options into report_args_s, each checked with a message that names it. */
#include "args.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "timeparse.h"

/* The subcommands one per line after "subcommands:", options after two
 * spaces: tests/docs/t_man.sh holds camdecoy-report(1) to this text. */
void args_usage(FILE *out)
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

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("camdecoy-report: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

/* The slot an option's value goes to; NULL: not an option taking one. */
static const char **value_slot(report_args_s *a, const char **dbs, const char **asn_s,
                               const char **database, const char *opt)
{
	const struct {
		const char *o_name;
		const char **o_slot;
	} opts[] = {
	    {"--db", &dbs[a->ra_conf.bc_npaths]},
	    {"--clickhouse", &a->ra_url},
	    {"--clickhouse-database", database},
	    {"--since", &a->ra_since},
	    {"--until", &a->ra_until},
	    {"--sensor", &a->ra_conf.bc_sensor},
	    {"--persona", &a->ra_conf.bc_persona},
	    {"--tz", &a->ra_tz},
	    {"--format", &a->ra_fmt},
	    {"--out", &a->ra_out},
	    {"--asn", asn_s},
	    {"--reporter-org", &a->ra_rep.ar_org},
	    {"--reporter-contact", &a->ra_rep.ar_contact},
	    {"--reporter-domain", &a->ra_rep.ar_domain},
	};

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strcmp(opt, opts[i].o_name) == 0) {
			if (i == 0)
				a->ra_conf.bc_npaths++;
			return opts[i].o_slot;
		}
	return NULL;
}

/* --clickhouse URL and --clickhouse-database NAME: an http(s) URL without
 * blanks, an identifier. 0 or the exit code. */
static int check_clickhouse(const report_args_s *a)
{
	const char *url = a->ra_url, *database = a->ra_conf.bc_database;

	if (a->ra_conf.bc_npaths > 0)
		return usage_error("%s", "--db and --clickhouse: one or the other");
	if ((strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) ||
	    strpbrk(url, " \t\r\n") != NULL)
		return usage_error("%s", "--clickhouse: must be an http:// or https:// URL");
	for (const char *p = database; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		      (p != database && *p >= '0' && *p <= '9')))
			return usage_error("%s",
			                   "--clickhouse-database: letters, digits and _, not "
			                   "starting with a digit");
	if (database[0] == '\0' || strlen(database) > 64)
		return usage_error("%s", "--clickhouse-database: 1 to 64 characters");
	return 0;
}

/* --asn, xarf's reporter, the format: 0 or the exit code. */
static int check_values(report_args_s *a, const char *asn_s)
{
	if (asn_s != NULL) {
		char *end;
		a->ra_asn = strtoll(asn_s, &end, 10);
		if (*asn_s == '\0' || *end != '\0' || a->ra_asn < 1 || a->ra_asn > 4294967295LL)
			return usage_error("%s", "--asn: must be an AS number, 1 .. 4294967295");
	}
	if (strcmp(a->ra_fmt, "xarf") == 0) {
		/* one notice per operator: never two operators' data in one */
		const char *missing = a->ra_asn == 0                 ? "--asn"
		                      : a->ra_rep.ar_org == NULL     ? "--reporter-org"
		                      : a->ra_rep.ar_contact == NULL ? "--reporter-contact"
		                      : a->ra_rep.ar_domain == NULL  ? "--reporter-domain"
		                                                     : NULL;
		if (missing != NULL)
			return usage_error("--format xarf needs %s", missing);
	}
	if (strcmp(a->ra_fmt, "text") == 0 ||
	    (strcmp(a->ra_fmt, "xarf") == 0 && strcmp(a->ra_cmd, "abuse") == 0))
		a->ra_tf = FMT_TEXT; /* abuse writes its notices itself */
	else if (strcmp(a->ra_fmt, "csv") == 0)
		a->ra_tf = FMT_CSV;
	else if (strcmp(a->ra_fmt, "json") == 0)
		a->ra_tf = FMT_JSON;
	else
		return usage_error("%s", "--format: must be text, csv or json");
	return 0;
}

int args_parse(int argc, char **argv, const char **dbs, report_args_s *a)
{
	const char *asn_s = NULL, *database = "camdecoy";
	int rc;

	memset(a, 0, sizeof(*a));
	a->ra_fmt = "text";
	a->ra_tz = "UTC";
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], **slot;
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			args_usage(stdout);
			return 0;
		}
		if (strcmp(arg, "--merged") == 0) {
			a->ra_merged = 1;
		} else if ((slot = value_slot(a, dbs, &asn_s, &database, arg)) != NULL) {
			if (i + 1 >= argc)
				return usage_error("%s needs a value", arg);
			*slot = argv[++i];
		} else if (arg[0] != '-' && a->ra_cmd == NULL) {
			a->ra_cmd = arg;
		} else {
			char q[64];
			escape_text(q, sizeof(q), arg, strlen(arg));
			fprintf(stderr, "camdecoy-report: unknown argument \"%s\"\n", q);
			args_usage(stderr);
			return 2;
		}
	}
	a->ra_conf.bc_paths = dbs;
	a->ra_conf.bc_database = database;
	a->ra_conf.bc_url = a->ra_url;
	a->ra_conf.bc_tz = a->ra_tz;
	if ((a->ra_conf.bc_npaths == 0 && a->ra_url == NULL) || a->ra_cmd == NULL) {
		args_usage(stderr);
		return 2;
	}
	if ((rc = check_values(a, asn_s)) != 0 ||
	    (a->ra_url != NULL && (rc = check_clickhouse(a)) != 0))
		return rc;
	/* day buckets and printed times use this zone; times without one too */
	setenv("TZ", strcmp(a->ra_tz, "UTC") == 0 ? "UTC0" : a->ra_tz, 1);
	tzset();
	a->ra_conf.bc_since = INT64_MIN;
	a->ra_conf.bc_until = INT64_MAX;
	if (a->ra_since != NULL && timeparse(a->ra_since, &a->ra_conf.bc_since) != 0)
		return usage_error("%s: expected YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM]", "--since");
	if (a->ra_until != NULL && timeparse(a->ra_until, &a->ra_conf.bc_until) != 0)
		return usage_error("%s: expected YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM]", "--until");
	return -1;
}

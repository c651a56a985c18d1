/* args: camdecoy-report's command line, read and checked before anything is opened. */
#ifndef CAMDECOY_ARGS_H
#define CAMDECOY_ARGS_H

#include <stdio.h>

#include "backend.h"
#include "notices.h"
#include "table.h"

typedef struct {
	const char *ra_cmd, *ra_out;             /* the subcommand; report's --out */
	const char *ra_fmt;                      /* as given: text, csv, json or xarf */
	table_fmt_e ra_tf;                       /* the tables' format (xarf: text) */
	const char *ra_tz, *ra_since, *ra_until; /* as given, for the page */
	int ra_merged;                           /* views --merged */
	long long ra_asn;                        /* --asn (0: none) */
	abuse_reporter_s ra_rep;
	const char *ra_url;     /* --clickhouse: read the fleet there */
	backend_conf_s ra_conf; /* ra_conf.bc_paths: argv's --db values */
} report_args_s;

void args_usage(FILE *out);

/* Reads argv into a (dbs: room for argc paths, kept by a). -1 to go on;
 * otherwise the exit code, the message written: 0 after --help, 2 for a
 * usage error. Sets TZ to --tz. */
int args_parse(int argc, char **argv, const char **dbs, report_args_s *a);

#endif

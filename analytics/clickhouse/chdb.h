/* chdb: camdecoy-report over the fleet's ClickHouse (decoy/ship/clickhouse.sql)
 * instead of SQLite files. The aggregation runs in ClickHouse (GROUP BY,
 * uniqExact, FINAL: one row per key) and only the result rows come back;
 * the tables it fills have the SQLite backend's names, columns and
 * figures, so every output format is the same. */
#ifndef CAMDECOY_CHDB_H
#define CAMDECOY_CHDB_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "charts.h"
#include "notices.h"
#include "table.h"

typedef struct chdb chdb_s;

typedef struct {
	int64_t cf_since, cf_until;         /* ms, inclusive/exclusive */
	const char *cf_sensor, *cf_persona; /* NULL: all */
	const char *cf_tz;                  /* IANA name or UTC: days and printed times */
} chdb_filter_s;

/* url: the HTTP interface (user:password@ in it if needed); database: an
 * identifier. NULL with err filled. */
chdb_s *chdb_open(const char *url, const char *database, const chdb_filter_s *f, char *err,
                  size_t errlen);
void chdb_close(chdb_s *c);

/* The summary subcommand's three tables (per day with a total row, per
 * sensor, the listing moment). 0, or -1 with err filled. */
int chdb_summary(chdb_s *c, table_s **out, char *err, size_t errlen);

/* The credentials subcommand's two tables (credential uses, the ten most
 * tried pairs per channel). 0, or -1 with err filled. */
int chdb_credentials(chdb_s *c, table_s **out, char *err, size_t errlen);

/* The funnel subcommand's table. 0, or -1 with err filled. */
int chdb_funnel(chdb_s *c, table_s **out, char *err, size_t errlen);

/* The referers subcommand's two tables (classes, origins). 0 or -1. */
int chdb_referers(chdb_s *c, table_s **out, char *err, size_t errlen);

/* The exploits subcommand's three tables (per rule, every attempt, the
 * leaked credentials used), as over SQLite. 0 or -1. */
int chdb_exploits(chdb_s *c, table_s **out, char *err, size_t errlen);

/* The countries subcommand's table. 0 or -1. */
int chdb_countries(chdb_s *c, table_s **out, char *err, size_t errlen);

/* Every view (merged: every merged session) as the views subcommand lists
 * them; csv non-NULL: streamed to csv (and json) in id order, as report
 * --out writes them. 0 or -1. */
int chdb_views(chdb_s *c, table_s **out, int merged, FILE *csv, FILE *json, char *err,
               size_t errlen);

/* The abuse subcommand's two tables (asn > 0: that AS alone), and its XARF
 * notices for one AS (abuse.h). 0 or -1. */
int chdb_abuse(chdb_s *c, table_s **out, long long asn, char *err, size_t errlen);
int chdb_abuse_xarf(chdb_s *c, long long asn, const abuse_reporter_s *rep, FILE *out, char *err,
                    size_t errlen);

/* What report --out adds: the hundred longest views, and the charts' data
 * tables (charts_data_new'd). 0 or -1. */
int chdb_longest(chdb_s *c, table_s **out, char *err, size_t errlen);
int chdb_charts(chdb_s *c, chart_data_s *d, char *err, size_t errlen);

/* camdecoy-report check over the fleet: per sensor and db_id, credentials
 * against the views (as verify.c), no password issued twice, every
 * credential use's view present, the counters as last shipped against the
 * rows. One line each on out; 0 all agree, 1 some disagree, -1 error. */
int chdb_check(chdb_s *c, FILE *out, char *err, size_t errlen);

/* Reads a TSV answer of ncols columns (1 .. 32) as every query's answer is
 * read, handed over chunk bytes at a time: how many rows, or -1 (a line
 * without exactly ncols cells, or past 1 MiB). For the fuzz target. */
int chdb_tsv_rows(const char *p, size_t n, int ncols, size_t chunk);

#endif

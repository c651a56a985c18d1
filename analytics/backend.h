/* backend: what a report engine answers. camdecoy-report (report/) calls these operations and
 * never names an engine; sqlite/ (decoy databases) and clickhouse/ (the fleet) each fill one
 * table of them, and fill the same tables (output/outputs.h) to the same bytes. */
#ifndef CAMDECOY_BACKEND_H
#define CAMDECOY_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "charts.h"
#include "notices.h"
#include "table.h"

/* The match kinds that count as a credential use (a login with a trap
 * credential): SQL text, the same in both engines' queries. */
/* The view kinds the reports count as streams (an RTSP PLAY is a stream
 * of its own kind since schema 11); the rest are polls. */
#define STREAM_KINDS "('stream', 'rtsp')"
#define USE_KINDS    "('exact', 'password-only', 'static')"

/* Where to read and which rows: borrowed for the handle's life. */
typedef struct {
	const char *const *bc_paths; /* SQLite: the databases (bc_npaths of them) */
	int bc_npaths;
	const char *bc_url, *bc_database;   /* ClickHouse: the HTTP interface and database */
	int64_t bc_since, bc_until;         /* ms, inclusive/exclusive (INT64_MIN/MAX: none) */
	const char *bc_sensor, *bc_persona; /* NULL: all */
	const char *bc_tz;                  /* IANA name or UTC (TZ is set to it too) */
} backend_conf_s;

/* Every table-filling operation fills out[] (the caller frees the tables,
 * also on failure) and returns 0, or -1 with err filled. h is what bo_open
 * returned. An operation an engine lacks is NULL. */
typedef int (*backend_tables_fn)(void *h, table_s **out, char *err, size_t errlen);

typedef struct {
	const char *bo_name; /* for messages: "SQLite", "ClickHouse" */
	/* NULL with err filled; note: something the analyst should know
	 * (empty when nothing). A child process opens its own. */
	void *(*bo_open)(const backend_conf_s *conf, char *note, size_t notelen, char *err,
	                 size_t errlen);
	void (*bo_close)(void *h);
	backend_tables_fn bo_summary;     /* 3: per day with a total row, per sensor, listing */
	backend_tables_fn bo_countries;   /* 1 */
	backend_tables_fn bo_referers;    /* 2: classes, origins */
	backend_tables_fn bo_credentials; /* 2: uses, the ten most tried pairs per channel */
	backend_tables_fn bo_funnel;      /* 1 (the funnel chart draws it too) */
	backend_tables_fn bo_exploits;    /* 3: per rule, every attempt, leaked credentials used */
	backend_tables_fn bo_longest;     /* 1: the hundred longest views, for the page */
	/* 2: a row per login attempt by AS and address, and the exploitation
	 * attempts per AS, address and rule (asn > 0: that AS alone) */
	int (*bo_abuse)(void *h, table_s **out, long long asn, char *err, size_t errlen);
	/* 1: every view (merged: every merged session); csv non-NULL: streamed
	 * to csv (and json) in id order, as report --out writes them */
	int (*bo_views)(void *h, table_s **out, int merged, FILE *csv, FILE *json, char *err,
	                size_t errlen);
	/* the charts' data tables (charts_data_new'd) */
	int (*bo_charts)(void *h, chart_data_s *d, char *err, size_t errlen);
	/* XARF notices for one AS (notices.h) */
	int (*bo_xarf)(void *h, long long asn, const abuse_reporter_s *rep, FILE *out, char *err,
	               size_t errlen);
	/* every summary against its raw rows, without bo_open: one line each on
	 * out; 0 all agree, 1 some disagree, -1 error */
	int (*bo_check)(const backend_conf_s *conf, FILE *out, char *err, size_t errlen);
} backend_ops_s;

#endif

/* query: the report's subcommands as tables, and its shared state. */
#ifndef CAMDECOY_QUERY_H
#define CAMDECOY_QUERY_H

#include <stdio.h>

#include "backend.h"
#include "rdb.h"
#include "table.h"

/* The filters every query takes (rdb_prepare binds them), and SQL helpers. */
#define R_WHERE                                                                                    \
	"ts >= :since AND ts < :until AND (:sensor IS NULL OR sensor = :sensor) AND (:persona IS " \
	"NULL OR persona = :persona)"
#define V_WHERE                                                                                    \
	"started_at >= :since AND started_at < :until AND (:sensor IS NULL OR sensor = :sensor) "  \
	"AND (:persona IS NULL OR persona = :persona)"
#define S_WHERE                                                                                    \
	"started_at >= :since AND started_at < :until AND (:sensor IS NULL OR sensor = :sensor)"
/* host_hours and view_hours: filters apply at hour granularity */
#define H_WHERE                                                                                    \
	"hour * 3600000 >= :since AND hour * 3600000 < :until AND (:sensor IS NULL OR sensor = "   \
	":sensor) AND (:persona IS NULL OR persona = :persona)"
#define DAY(col)  "strftime('%Y-%m-%d', " col " / 1000, 'unixepoch', 'localtime')"
#define HDAY      "strftime('%Y-%m-%d', hour * 3600, 'unixepoch', 'localtime')"
#define TIME(col) "strftime('%Y-%m-%d %H:%M:%S', " col " / 1000, 'unixepoch', 'localtime')"
/* scheme://host of a Referer (the origin browsers send cross-site) */
#define ORIGIN(col)                                                                                \
	"CASE WHEN " col " LIKE 'http://%' OR " col                                                \
	" LIKE 'https://%' THEN CASE WHEN instr(substr(" col ", 9), '/') > 0 THEN substr(" col     \
	", 1, 7 + instr(substr(" col ", 9), '/')) ELSE " col " END ELSE " col " END"

typedef struct {
	rdb_s *rp_rd;
	char rp_err[512];
} report_s;

/* Runs sql (filters bound) and appends its rows to t: 0, or -1 with rp_err filled. */
int query_into(report_s *rp, table_s *t, const char *sql);

/* Each fills out[] (the caller frees the tables) and returns 0, or -1 with
 * rp_err filled. */
int summary_tables(report_s *rp, table_s **out); /* 3 tables: per day, per sensor, the listing */
/* The listing moment (first directory-referred view) and hosts per day
 * before and after it: one row, or none without a directory view. */
int listing_table(report_s *rp, table_s **out);      /* 1 */
int countries_table(report_s *rp, table_s **out);    /* 1 */
int referers_tables(report_s *rp, table_s **out);    /* 2: classes, origins */
int credentials_tables(report_s *rp, table_s **out); /* 2: uses, top pairs */
/* 3: per rule, every attempt, leaked credentials used (xreport.c) */
int exploits_tables(report_s *rp, table_s **out);
/* Every view (merged: every merged session); with csv/json set the rows
 * stream to those files instead of a table. */
int views_table(report_s *rp, table_s **out, int merged, FILE *csv, FILE *json);

/* The charts' data tables from the databases (chartdata.c). 0 or -1. */
int charts_data_sqlite(rdb_s *rd, chart_data_s *d, char *err, size_t errlen);

/* The hundred longest views, for the report's page. */
int longest_table(report_s *rp, table_s **out); /* 1 */

#endif

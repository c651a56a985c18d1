/* export: report --out DIR from either backend: every table as CSV and
 * JSON, the charts, index.html, and the two largest files (every view, every
 * merged session) written by child processes while the rest is done. */
#ifndef CAMDECOY_EXPORT_H
#define CAMDECOY_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "charts.h"
#include "table.h"

#define EXPORT_TABLES_MAX 16

typedef struct {
	void *xs_arg;
	/* the page's tables, in order: how many (the caller frees them), or -1 */
	int (*xs_tables)(void *arg, table_s **ts, char *err, size_t errlen);
	int (*xs_charts)(void *arg, chart_data_s *d, char *err, size_t errlen);
	/* called in a child process (its own connection): every view (merged
	 * 0) or merged session (1) streamed to csv. 0 or -1. */
	int (*xs_listing)(void *arg, int merged, FILE *csv, char *err, size_t errlen);
} export_source_s;

/* Writes it all into dir (created if missing); scope is printed on the
 * page. 0, or -1 with err filled. */
int export_write(const export_source_s *src, const char *dir, const char *scope, char *err,
                 size_t errlen);

#endif

/* charts: the report's six figures, drawn with cairo as SVG, PNG and PDF
 * from their data tables, which either backend fills (bo_charts). */
#ifndef CAMDECOY_CHARTS_H
#define CAMDECOY_CHARTS_H

#include <stddef.h>

#include "table.h"

/* view_durations, host_series, country_shares, duration_cdf,
 * credential_timeline, funnel, exploit_families */
#define CHARTS_N 7

typedef struct {
	table_s *cd_data[CHARTS_N];
	/* the listing moment (first directory-referred view with a frame), for
	 * the charts that mark it: seconds (0: none) and its bucket in
	 * host_series ("YYYY-MM-DD" or "YYYY-MM-DD HH:00") */
	double cd_listing_s;
	char cd_listing_bucket[32];
} chart_data_s;

/* host_series buckets by the hour when the data spans at most this long. */
#define CHARTS_HOURLY_SPAN_S (3 * 86400)
/* How many views the durations chart shows at most, and how many the CDF
 * is drawn from (a uniform sample: id % k = 0), and its points per class. */
#define CHARTS_DOTS    20000
#define CHARTS_CDF_IN  200000
#define CHARTS_CDF_PTS 2000
/* Days the exploit families chart draws at most (the data file has all). */
#define CHARTS_FAMILY_DAYS 400

/* The data tables, empty (the funnel's is the funnel table: left NULL).
 * exploit_families: day (in the report's zone), family, attempts, ordered
 * by day and family. 0, or -1
 * out of memory (free it anyway). */
int charts_data_new(chart_data_s *d);
void charts_data_free(chart_data_s *d);
const char *charts_name(int i);

/* Writes, into dir, for each chart NAME: NAME.svg, NAME.png, NAME.pdf and
 * the data behind it as NAME.csv and NAME.json. 0 or -1. */
int charts_write(const chart_data_s *d, const char *dir, char *err, size_t errlen);

/* At exit: what cairo and fontconfig keep for the process's life is freed,
 * so that a leak checker sees only real leaks (fontconfig's configuration
 * and font list were LeakSanitizer's report after every report --out). No
 * cairo call may follow. */
void charts_fini(void);

#endif

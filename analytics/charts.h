/* charts: the report's five figures, drawn with cairo as SVG, PNG and PDF. */
#ifndef CAMDECOY_CHARTS_H
#define CAMDECOY_CHARTS_H

#include <stddef.h>

#include "rdb.h"

/* Writes, into dir, for each chart NAME: NAME.svg, NAME.png, NAME.pdf and the
 * data behind it as NAME.csv and NAME.json. Charts: view_durations,
 * host_series, country_shares, duration_cdf, credential_timeline. */
int charts_write_all(rdb_s *rd, const char *dir, char *err, size_t errlen);

#endif

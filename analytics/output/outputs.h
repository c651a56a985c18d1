/* outputs: the report's tables as readers see them (names, columns, which
 * are numbers), one definition for the SQLite and the ClickHouse backends. */
#ifndef CAMDECOY_OUTPUTS_H
#define CAMDECOY_OUTPUTS_H

#include <stdio.h>

#include "table.h"

typedef enum {
	OUT_SUMMARY,
	OUT_SENSORS,
	OUT_LISTING,
	OUT_CREDENTIAL_USES,
	OUT_TOP_PAIRS,
	OUT_REFERER_CLASSES,
	OUT_REFERER_ORIGINS,
	OUT_FUNNEL,
	OUT_COUNTRIES,
	OUT_VIEWS,
	OUT_SESSIONS,
	OUT_LONGEST_VIEWS,
	OUT_ABUSE,
	OUT_ABUSE_EXPLOITS,
	OUT_EXPLOIT_RULES,
	OUT_EXPLOIT_ATTEMPTS,
	OUT_LEAK_USES,
} output_e;

/* An empty table of that kind; NULL when out of memory. */
table_s *output_new(output_e kind);
/* One that writes its rows to csv (and json, if not NULL) as they come
 * (table_stream). */
table_s *output_stream(output_e kind, FILE *csv, FILE *json);

#endif

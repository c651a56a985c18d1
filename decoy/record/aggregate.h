/* aggregate: counts of requests and logins that get no detailed row, per hour and network, until
 * the next commit. */
#ifndef CAMDECOY_AGGREGATE_H
#define CAMDECOY_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "htab.h"

/* One (hour, kind, network) count. */
typedef struct agg {
	htab_node_s ag_node;
	struct agg *ag_next;
	int64_t ag_hour;     /* ms / 3,600,000 */
	const char *ag_kind; /* "request" or "login" (static) */
	char ag_net[64];
	uint64_t ag_count;
} agg_s;

typedef struct aggtab aggtab_s;

/* max_keys: past it, new networks count as "*" (totals stay exact). */
aggtab_s *aggtab_new(size_t max_keys);
void aggtab_free(aggtab_s *t);

/* Adds count to (hour, kind, net); 0, or -1 when out of memory (the count
 * is then lost: the caller counts it). Not thread-safe: the caller locks. */
int aggtab_add(aggtab_s *t, int64_t hour, const char *kind, const char *net, uint64_t count);
/* How many counts wait to be taken. */
size_t aggtab_count(const aggtab_s *t);
/* Takes every count (the caller's list, in no order); the table is empty after. */
agg_s *aggtab_take(aggtab_s *t);
/* Puts back a list that could not be written. */
void aggtab_merge(aggtab_s *t, agg_s *list);
void agg_list_free(agg_s *list);

#endif

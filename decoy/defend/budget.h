/* budget: token buckets per source network that decide which requests get a
 * detailed row; the rest are only counted (store_aggregate), so a flood
 * cannot fill the disk or the writer's queue while totals stay exact. */
#ifndef CAMDECOY_BUDGET_H
#define CAMDECOY_BUDGET_H

#include <stddef.h>
#include <stdint.h>

typedef struct budget budget_s;

/* rate: tokens per second per network (0: unlimited, every call succeeds);
 * burst: bucket size; max_keys: networks tracked at once (beyond it, new
 * networks share one bucket). */
budget_s *budget_new(double rate, double burst, size_t max_keys);
void budget_free(budget_s *b);

/* Takes a token from key's bucket at monotonic time now_ms: 1 if there was
 * one (record in detail), 0 if not (count only). Thread-safe. */
int budget_take(budget_s *b, const char *key, size_t keylen, int64_t now_ms);

#endif

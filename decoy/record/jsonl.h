/* jsonl: the JSON-lines event log, one object per event. */
#ifndef CAMDECOY_JSONL_H
#define CAMDECOY_JSONL_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

typedef struct jsonl jsonl_s;

/* path: a file (appended to), or "-" for stdout. sensor and persona are
 * copied into every line. NULL with err filled on failure. */
jsonl_s *jsonl_open(const char *path, const char *sensor, const char *persona, char *err,
                    size_t errlen);
void jsonl_close(jsonl_s *j);

/* Writes every event of list not written yet (ev_logged marks them, so a
 * batch retried after a failed commit is not logged twice) and flushes.
 * Returns how many lines could not be written. */
uint64_t jsonl_write(jsonl_s *j, event_s *list);

/* One "status" line: the counters as just committed (names: lower-case
 * identifiers; others are left out), the shipper's among them. Returns how
 * many lines could not be written (0 or 1). */
uint64_t jsonl_status(jsonl_s *j, int64_t ts, const char *const *names, const uint64_t *values,
                      size_t n);

#endif

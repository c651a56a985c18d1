/* webhook: credential uses (and, when asked, exploit attempts) POSTed as JSON to an operator URL,
 * off the request path. */
#ifndef CAMDECOY_WEBHOOK_H
#define CAMDECOY_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

typedef struct webhook webhook_s;

typedef struct {
	uint64_t wh_queued, wh_sent, wh_failed_attempts, wh_given_up, wh_dropped;
} webhook_stats_s;

/* url is copied. Starts the sender thread. NULL with err filled on failure. */
webhook_s *webhook_new(const char *url, char *err, size_t errlen);
/* Stops the thread (pending posts get one last try) and frees. NULL is a no-op. */
void webhook_free(webhook_s *wh);
/* Queues a copy of body; never blocks (a full queue drops and counts it). */
void webhook_post(webhook_s *wh, const char *body, size_t len);
/* ev as one JSON object (event_json, with the sensor and persona), queued
 * as webhook_post; never blocks. An event whose JSON does not fit
 * WEBHOOK_EVENT_MAX (its strings are bounded: it always fits) is counted
 * dropped. wh NULL: a no-op. */
#define WEBHOOK_EVENT_MAX (64 * 1024)
void webhook_post_event(webhook_s *wh, const event_s *ev, const char *sensor, const char *persona);
void webhook_stats(webhook_s *wh, webhook_stats_s *out);

#endif

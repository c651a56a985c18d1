/* matcher: the thread that matches login attempts against every trap credential ever shown, off the
 * request threads. */
#ifndef CAMDECOY_MATCHER_H
#define CAMDECOY_MATCHER_H

#include <stddef.h>
#include <stdint.h>

#include "credstore.h"
#include "login.h"

/* Attempts waiting at most (only plausible ones are handed over: see
 * login_record). When full, the source network holding the most gives way:
 * its newest attempt is recorded unmatched (logins_unchecked). */
#define MATCHER_QUEUE_MAX 4096

typedef struct matcher matcher_s;

/* ctx is copied (its lc_sink is ignored); cs (owned from now on) may be
 * NULL: then only recent credentials are matched. */
matcher_s *matcher_new(const login_ctx_s *ctx, credstore_s *cs, char *err, size_t errlen);
int matcher_start(matcher_s *m, char *err, size_t errlen);
/* Matches everything queued, then stops the thread. */
void matcher_stop(matcher_s *m);
void matcher_free(matcher_s *m);

/* Takes job (owned from now on), queued behind its network's earlier ones.
 * Never blocks. */
void matcher_submit(matcher_s *m, login_job_s *job);
/* The sink for login_ctx_s.lc_sink: matcher_submit. */
login_sink_s matcher_sink(matcher_s *m);

/* trap_seq_s.ts_reserve: asks the thread to reserve numbers below upto. */
void matcher_reserve(void *arg, uint64_t upto);

typedef struct {
	uint64_t ms_matched; /* attempts matched on the thread */
	uint64_t
	    ms_unchecked; /* recorded without matching: queue full, their network held the most */
	uint64_t ms_queue_peak; /* most attempts waiting at once */
	uint64_t ms_reserve_failures;
	uint64_t ms_max_us;  /* slowest match, microseconds */
	uint64_t ms_busy_us; /* time spent matching, microseconds */
} matcher_stats_s;

void matcher_stats(matcher_s *m, matcher_stats_s *out);

#endif

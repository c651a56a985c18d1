/* counters: every stage's running figures, taken by the store's writer
 * into the counters table (store_set_counters). */
#include "stage.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Appends what fits of more[0..n) to out[*len..cap). */
static void add(store_counter_s *out, size_t *len, size_t cap, const store_counter_s *more,
                size_t n)
{
	for (size_t i = 0; i < n && *len < cap; i++)
		out[(*len)++] = more[i];
}

static void login_counters(const daemon_s *dm, store_counter_s *out, size_t *n, size_t cap)
{
	trap_stats_s ts = {0};
	matcher_stats_s ms = {0};

	if (dm->dm_trap != NULL)
		trap_stats(dm->dm_trap, &ts);
	if (dm->dm_matcher != NULL)
		matcher_stats(dm->dm_matcher, &ms);
	const store_counter_s c[] = {
	    {"credentials_issued", ts.tst_issued}, {"credentials_unavailable", ts.tst_unavailable},
	    {"logins_matched", ms.ms_matched},     {"logins_unchecked", ms.ms_unchecked},
	    {"logins_match_us", ms.ms_busy_us},
	};
	add(out, n, cap, c, NELEM(c));
}

/* A live camera's source: frames, reconnects and its state now. */
static void source_counters(const daemon_s *dm, store_counter_s *out, size_t *n, size_t cap)
{
	source_status_s so;

	if (dm->dm_cam == NULL)
		return;
	camera_source_status(dm->dm_cam, &so);
	if (!so.ss_live)
		return;
	const store_counter_s c[] = {
	    {"source_frames", so.ss_frames},
	    {"source_connects", so.ss_connects},
	    {"source_failures", so.ss_failures},
	    {"source_state_now", (uint64_t)so.ss_state}, /* 0 live, 1 held, 2 scene */
	};
	add(out, n, cap, c, NELEM(c));
}

static void ship_counters(const daemon_s *dm, store_counter_s *out, size_t *n, size_t cap)
{
	ship_stats_s sh;

	if (dm->dm_ship == NULL)
		return;
	ship_stats(dm->dm_ship, &sh);
	const store_counter_s c[] = {
	    {"ship_rows", sh.ss_rows},
	    {"ship_batches", sh.ss_batches},
	    {"ship_failed_batches", sh.ss_failed_batches},
	    {"ship_pending_now", sh.ss_pending},
	    {"ship_lag_ms_now", (uint64_t)sh.ss_lag_ms},
	};
	add(out, n, cap, c, NELEM(c));
}

/* The Telnet and RTSP doors' refusals, evictions and ends, when they are on. */
static void door_counters(const daemon_s *dm, store_counter_s *out, size_t *n, size_t cap)
{
	if (dm->dm_tel != NULL) {
		telnet_stats_s ts;
		telnet_stats(dm->dm_tel, &ts);
		const store_counter_s c[] = {
		    {"telnet_sessions", ts.ts_sessions},
		    {"telnet_refused_full", ts.ts_refused_full},
		    {"telnet_refused_ip", ts.ts_refused_ip},
		    {"telnet_refused_net", ts.ts_refused_net},
		    {"telnet_refused_rate", ts.ts_refused_rate},
		    {"telnet_evicted", ts.ts_evicted},
		    {"telnet_refusals_recorded", ts.ts_refusals_recorded},
		    {"telnet_ended_idle", ts.ts_ended_idle},
		    {"telnet_ended_lifetime", ts.ts_ended_lifetime},
		    {"telnet_ended_early", ts.ts_ended_early},
		};
		add(out, n, cap, c, NELEM(c));
	}
	if (dm->dm_rtsp != NULL) {
		rtsp_stats_s rs;
		rtsp_stats(dm->dm_rtsp, &rs);
		const store_counter_s c[] = {
		    {"rtsp_sessions", rs.rs_sessions},
		    {"rtsp_refused_full", rs.rs_refused_full},
		    {"rtsp_refused_ip", rs.rs_refused_ip},
		    {"rtsp_refused_net", rs.rs_refused_net},
		    {"rtsp_refused_rate", rs.rs_refused_rate},
		    {"rtsp_evicted", rs.rs_evicted},
		    {"rtsp_refusals_recorded", rs.rs_refusals_recorded},
		    {"rtsp_ended_idle", rs.rs_ended_idle},
		    {"rtsp_ended_lifetime", rs.rs_ended_lifetime},
		    {"rtsp_ended_early", rs.rs_ended_early},
		};
		add(out, n, cap, c, NELEM(c));
	}
}

size_t daemon_counters(void *arg, store_counter_s *out, size_t cap)
{
	const daemon_s *dm = arg;
	size_t n = http_counters(dm->dm_srv, out, cap);

	login_counters(dm, out, &n, cap);
	source_counters(dm, out, &n, cap);
	ship_counters(dm, out, &n, cap);
	door_counters(dm, out, &n, cap);
	return n;
}

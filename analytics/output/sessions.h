/* sessions: views merged into viewing sessions per (sensor, IP, UA), as the
 * view_sessions SQL view defines them (views that overlap or start within
 * 10 s of the previous end), in one ordered pass: rows must come ordered by
 * sensor, src_ip, user_agent (NULL first), started_at, id. Both backends
 * feed it. */
#ifndef CAMDECOY_SESSIONS_H
#define CAMDECOY_SESSIONS_H

#include <stddef.h>
#include <stdint.h>

#include "table.h"

/* One view, as the backend read it (strings need not be NUL-terminated). */
typedef struct {
	const char *sr_sensor, *sr_ip, *sr_country, *sr_ua, *sr_rc, *sr_cc;
	size_t sr_sensor_len, sr_ip_len, sr_country_len, sr_ua_len, sr_rc_len, sr_cc_len;
	int sr_ua_null;
	int64_t sr_start, sr_end, sr_frames;
} sessrow_s;

/* The session being merged; fixed buffers: no allocation per row. */
typedef struct {
	table_s *ss_out;
	int ss_have;
	char ss_sensor[128], ss_ip[64], ss_country[8], ss_ua[1024], ss_rc[32], ss_cc[32];
	size_t ss_sensor_len, ss_ip_len, ss_ua_len;
	int ss_ua_null;
	int64_t ss_start, ss_end, ss_frames, ss_views;
} sessions_s;

void sessions_init(sessions_s *s, table_s *out);
/* The next view: merged into the session, or the session is written to
 * the table and a new one starts. 0, or -1 when the table takes no more. */
int sessions_feed(sessions_s *s, const sessrow_s *r);
/* Writes the last session. 0 or -1. */
int sessions_end(sessions_s *s);

#endif

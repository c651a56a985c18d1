/* sessions: the merge of views into viewing sessions, for both backends. */
#include "sessions.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void sessions_init(sessions_s *s, table_s *out)
{
	memset(s, 0, sizeof(*s));
	s->ss_out = out;
}

static size_t bounded(size_t n, size_t cap)
{
	return n < cap ? n : cap - 1;
}

static int flush(sessions_s *s)
{
	char started[32], dur[32], views[24], frames[24];
	time_t sec = (time_t)(s->ss_start / 1000);
	struct tm tm;

	if (!s->ss_have)
		return 0;
	s->ss_have = 0;
	localtime_r(&sec, &tm);
	strftime(started, sizeof(started), "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(dur, sizeof(dur), "%.3f", (double)(s->ss_end - s->ss_start) / 1000.0);
	snprintf(views, sizeof(views), "%lld", (long long)s->ss_views);
	snprintf(frames, sizeof(frames), "%lld", (long long)s->ss_frames);
	const char *vals[10] = {s->ss_sensor,
	                        s->ss_ip,
	                        s->ss_country[0] ? s->ss_country : NULL,
	                        started,
	                        dur,
	                        views,
	                        frames,
	                        s->ss_rc,
	                        s->ss_cc,
	                        s->ss_ua_null ? NULL : s->ss_ua};
	const size_t lens[10] = {s->ss_sensor_len,      s->ss_ip_len,
	                         strlen(s->ss_country), strlen(started),
	                         strlen(dur),           strlen(views),
	                         strlen(frames),        strlen(s->ss_rc),
	                         strlen(s->ss_cc),      s->ss_ua_null ? 0 : s->ss_ua_len};
	return table_add(s->ss_out, vals, lens);
}

int sessions_feed(sessions_s *s, const sessrow_s *r)
{
	size_t sl = bounded(r->sr_sensor_len, sizeof(s->ss_sensor));
	size_t il = bounded(r->sr_ip_len, sizeof(s->ss_ip));
	size_t ul = bounded(r->sr_ua_len, sizeof(s->ss_ua)); /* stored bounded to 512 already */

	if (s->ss_have && s->ss_sensor_len == sl && memcmp(s->ss_sensor, r->sr_sensor, sl) == 0 &&
	    s->ss_ip_len == il && memcmp(s->ss_ip, r->sr_ip, il) == 0 && s->ss_ua_len == ul &&
	    memcmp(s->ss_ua, r->sr_ua, ul) == 0 && s->ss_ua_null == r->sr_ua_null &&
	    r->sr_start <= s->ss_end + 10000) {
		if (r->sr_end > s->ss_end)
			s->ss_end = r->sr_end;
		s->ss_frames += r->sr_frames;
		s->ss_views++;
		return 0;
	}
	if (flush(s) != 0)
		return -1;
	memcpy(s->ss_sensor, r->sr_sensor, sl);
	s->ss_sensor[sl] = '\0';
	s->ss_sensor_len = sl;
	memcpy(s->ss_ip, r->sr_ip, il);
	s->ss_ip[il] = '\0';
	s->ss_ip_len = il;
	memcpy(s->ss_ua, r->sr_ua, ul);
	s->ss_ua[ul] = '\0';
	s->ss_ua_len = ul;
	s->ss_ua_null = r->sr_ua_null;
	snprintf(s->ss_country, sizeof(s->ss_country), "%.*s", (int)r->sr_country_len,
	         r->sr_country);
	snprintf(s->ss_rc, sizeof(s->ss_rc), "%.*s", (int)r->sr_rc_len, r->sr_rc);
	snprintf(s->ss_cc, sizeof(s->ss_cc), "%.*s", (int)r->sr_cc_len, r->sr_cc);
	s->ss_start = r->sr_start;
	s->ss_end = r->sr_end;
	s->ss_frames = r->sr_frames;
	s->ss_views = 1;
	s->ss_have = 1;
	return 0;
}

int sessions_end(sessions_s *s)
{
	return flush(s);
}

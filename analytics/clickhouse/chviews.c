/* chviews: the listings over ClickHouse (every view, every merged session),
 * streamed from the answer into the table or its files: a fleet's millions
 * of views never sit in the report's memory unless the format needs them
 * (text pads columns to the widest cell). */
#include "chdb_int.h"

#include "outputs.h"
#include "sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	sessions_s vr_ss;
	char *vr_err;
	size_t vr_errlen;
} vrows_s;

/* A view into the session merge (cells as sessions_into's query). */
static int session_row(void *arg, const char *const *cells, const size_t *lens)
{
	vrows_s *v = arg;
	sessrow_s r = {0};

	for (int i = 0; i < 10; i++)
		if (cells[i] == NULL && i != 3) {
			snprintf(v->vr_err, v->vr_errlen, "report: clickhouse: a NULL in a view");
			return -1;
		}
	r.sr_sensor = cells[0], r.sr_sensor_len = lens[0];
	r.sr_ip = cells[1], r.sr_ip_len = lens[1];
	r.sr_country = cells[2], r.sr_country_len = lens[2];
	r.sr_ua = cells[3] != NULL ? cells[3] : "", r.sr_ua_len = lens[3];
	r.sr_ua_null = cells[3] == NULL;
	r.sr_start = atoll(cells[4]);
	r.sr_end = atoll(cells[5]);
	r.sr_frames = atoll(cells[6]);
	r.sr_rc = cells[7], r.sr_rc_len = lens[7];
	r.sr_cc = cells[8], r.sr_cc_len = lens[8];
	if (sessions_feed(&v->vr_ss, &r) != 0) {
		chdb_oom(v->vr_err, v->vr_errlen);
		return -1;
	}
	return 0;
}

int chdb_views(chdb_s *c, table_s **out, int merged, FILE *csv, FILE *json, char *err,
               size_t errlen)
{
	char sql[4096], wv[1024];
	vrows_s v = {.vr_err = err, .vr_errlen = errlen};

	out[0] =
	    merged
	        ? (csv != NULL ? output_stream(OUT_SESSIONS, csv, json) : output_new(OUT_SESSIONS))
	        : (csv != NULL ? output_stream(OUT_VIEWS, csv, json) : output_new(OUT_VIEWS));
	if (out[0] == NULL)
		return chdb_oom(err, errlen);
	chdb_where(c, wv, sizeof(wv), "started_at", 0);
	if (!merged) {
		/* the export files in id order, the subcommand by start, as over SQLite */
		snprintf(
		    sql, sizeof(sql),
		    "SELECT id, sensor, kind, toString(toDateTime(intDiv(started_at, 1000), %s)),"
		    " ifNull(duration_ms, 0), src_ip, country, referer_class, client_class,"
		    " frames, probe, end_reason, user_agent FROM %s.views FINAL WHERE %s"
		    " ORDER BY %s",
		    c->c_tz, c->c_db, wv, csv != NULL ? "id, sensor" : "started_at, sensor, id");
		return chdb_each_into(c, sql, 13, out[0], 4, err, errlen); /* 4: ms as seconds */
	}
	/* sessions: no --persona, as over SQLite (a session is the viewer's) */
	chdb_filter_s keep = c->c_f;
	c->c_f.cf_persona = NULL;
	chdb_where(c, wv, sizeof(wv), "started_at", 0);
	c->c_f = keep;
	snprintf(sql, sizeof(sql),
	         "SELECT sensor, src_ip, ifNull(country, ''), user_agent, started_at,"
	         " coalesce(ended_at, last_frame_at, started_at), frames, referer_class,"
	         " client_class, 0 FROM %s.views FINAL WHERE %s"
	         " ORDER BY sensor, src_ip, user_agent NULLS FIRST, started_at, id",
	         c->c_db, wv);
	sessions_init(&v.vr_ss, out[0]);
	if (chdb_each(c, sql, 10, session_row, &v, err, errlen) != 0)
		return -1;
	if (sessions_end(&v.vr_ss) != 0)
		return chdb_oom(err, errlen);
	return 0;
}

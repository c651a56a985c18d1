/* ship: SQLite rows after a watermark -> JSONEachRow -> ClickHouse's HTTP
 * interface; the watermark moves once ClickHouse said 200. */
#include "ship.h"

#include "clock.h"
#include "httpc.h"
#include "log.h"
#include "rowjson.h"
#include "strbuf.h"
#include "thread.h"

#include <sqlite3.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHIP_BACKOFF_MIN_MS 500
#define SHIP_BACKOFF_MAX_MS 8000
#define SHIP_TIMEOUT_MS     30000
#define SHIP_ANSWER_MAX     512 /* of an error answer, for the log */

/* The DDL (decoy/ship/clickhouse.sql, embedded by CMake). */
extern const char ship_schema_sql[];

/* One shipped table: its columns as SQLite and ClickHouse both name them,
 * the column whose order is the watermark, and whether the rows lack the
 * sensor (it is added). */
typedef struct {
	const char *t_name;
	const char *t_cols;
	const char *t_mark;
	int t_add_sensor;
} ship_table_s;

static const ship_table_s tables[] = {
    {"requests",
     "id, ts, sensor, src_ip, src_port, peer_ip, country, method, path, path_len, query, query_len,"
     " user_agent, user_agent_len, referer, referer_len, forwarded_for, forwarded_for_len,"
     " referer_class, persona, route, status, bytes, client_class, view_id, forwarded_status, asn,"
     " as_org, refused",
     "id", 0},
    {"views",
     "id, sensor, kind, src_ip, country, user_agent, user_agent_len, referer, referer_len,"
     " referer_class, client_class, persona, path, started_at, last_frame_at, ended_at,"
     " duration_ms, frames, bytes, end_reason, probe, trap_username, trap_password, trap_seq, asn,"
     " as_org, ship_seq",
     "ship_seq", 0},
    {"logins",
     "id, ts, sensor, channel, src_ip, src_port, country, user_agent, user_agent_len, username,"
     " username_len, password, password_len, persona, path, matched_view, match_kind, view_src_ip,"
     " view_country, view_referer_class, shown_at, lag_ms, moved_ip, moved_country, asn, as_org,"
     " matched_seq",
     "id", 0},
    {"credentials", "seq, username, password, view_id, shown_at", "ship_seq", 1},
    {"aggregated", "hour, sensor, persona, network, kind, count, ship_seq", "ship_seq", 0},
    {"exploits",
     "id, ts, sensor, persona, src_ip, src_port, country, asn, as_org, rule, cve, family, answered,"
     " status, method, path, path_len, query, query_len, user_agent, user_agent_len, payload,"
     " payload_len, payload_truncated, ioc_urls, ioc_ips, ioc_hosts, ioc_fetch, trap_seq,"
     " trap_username, trap_password, channel",
     "id", 0},
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

struct ship {
	ship_conf_s sh_conf;
	char *sh_url, *sh_database, *sh_user, *sh_password, *sh_db_path, *sh_sensor;
	sqlite3 *sh_db;
	sqlite3_stmt *sh_select[NTABLES];
	sqlite3_stmt *sh_pending[NTABLES];
	char sh_db_id[80];
	int64_t sh_mark[NTABLES];
	httpc_s *sh_http;
	int sh_schema_done;
	strbuf_s sh_body;
	pthread_t sh_thread;
	pthread_mutex_t sh_lock;
	pthread_cond_t sh_cond;
	int sh_started, sh_stopping;
	int64_t sh_backoff_ms;
	int64_t sh_caught_up_ms; /* monotonic: when everything last was shipped */
	ship_stats_s sh_st;      /* under sh_lock */
};

/* ---- ClickHouse over HTTP ---- */

static size_t keep_answer(void *arg, long status, const char *p, size_t n)
{
	strbuf_s *b = arg;

	(void)status;
	if (b->sb_len < SHIP_ANSWER_MAX)
		strbuf_add(b, p, n < SHIP_ANSWER_MAX - b->sb_len ? n : SHIP_ANSWER_MAX - b->sb_len);
	return n;
}

/* Answer text made printable for the log. */
static void printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = ' ';
}

/* POSTs body to the HTTP interface with query as its query: 0 on 200, else
 * -1 (the reason logged once per outage). */
static int ch_post(ship_s *s, const char *query, const char *body, size_t len, int64_t deadline)
{
	char *q = httpc_escape(query), why[256];
	strbuf_s answer = {0}, url = {0};
	long code, timeout = SHIP_TIMEOUT_MS;
	int64_t left = deadline - clock_mono_ms();

	if (q == NULL)
		return -1;
	if (left < timeout)
		timeout = left > 100 ? (long)left : 100;
	strbuf_str(&url, s->sh_url);
	strbuf_str(&url, strchr(s->sh_url, '?') != NULL ? "&" : "?");
	/* Into a Distributed table (a sharded fleet) an INSERT is acknowledged
	 * once the shards hold the rows, not when they are queued to be sent. A
	 * column the fleet's tables do not have yet (made by an older version)
	 * is left out rather than stop the shipping (docs/fleet.md). */
	strbuf_str(&url, "insert_distributed_sync=1&input_format_skip_unknown_fields=1&query=");
	strbuf_str(&url, q);
	free(q);
	if (url.sb_oom) {
		free(url.sb_p);
		return -1;
	}
	const httpc_req_s req = {
	    .hr_url = url.sb_p,
	    .hr_agent = "camdecoy-ship",
	    .hr_connect_ms = timeout < 3000 ? timeout : 3000L,
	    .hr_timeout_ms = timeout,
	    .hr_user = s->sh_user[0] != '\0' ? s->sh_user : NULL,
	    .hr_password = s->sh_password,
	    .hr_answer = keep_answer,
	    .hr_arg = &answer,
	};
	code = httpc_post(s->sh_http, &req, body, len, why, sizeof(why));
	free(url.sb_p);
	int ok = code == 200;
	pthread_mutex_lock(&s->sh_lock);
	int was_up = s->sh_st.ss_up;
	s->sh_st.ss_up = ok;
	pthread_mutex_unlock(&s->sh_lock);
	if (!ok && (was_up || s->sh_st.ss_failed_batches == 0)) {
		if (answer.sb_p != NULL)
			printable(answer.sb_p);
		log_warnx("clickhouse: %s; rows wait in the database and ship when it answers",
		          code < 0      ? why
		          : answer.sb_p ? answer.sb_p
		                        : "an answer other than 200");
	} else if (ok && !was_up && s->sh_st.ss_failed_batches > 0) {
		log_info("clickhouse: answering again");
	}
	free(answer.sb_p);
	return ok ? 0 : -1;
}

/* CREATE DATABASE/TABLE IF NOT EXISTS, statement by statement. */
static int ensure_schema(ship_s *s, int64_t deadline)
{
	strbuf_s all = {0}, one = {0};
	int rc = 0;

	/* the SQL without its comment lines, {db} replaced */
	for (const char *p = ship_schema_sql; *p && !all.sb_oom;) {
		const char *e = strchr(p, '\n');
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (!(n >= 2 && p[0] == '-' && p[1] == '-')) {
			for (const char *q = p; q < p + n; q++) {
				if (strncmp(q, "{db}", 4) == 0 && q + 4 <= p + n) {
					strbuf_str(&all, s->sh_database);
					q += 3;
				} else {
					strbuf_add(&all, q, 1);
				}
			}
			strbuf_add(&all, "\n", 1);
		}
		p += n + (e != NULL);
	}
	for (char *p = all.sb_p; rc == 0 && p != NULL && *p;) {
		char *e = strchr(p, ';');
		if (e != NULL)
			*e = '\0';
		one.sb_len = 0;
		strbuf_str(&one, p);
		if (strspn(p, " \t\r\n") != strlen(p) && !one.sb_oom)
			rc = ch_post(s, one.sb_p, "", 0, deadline);
		p = e != NULL ? e + 1 : NULL;
	}
	if (all.sb_oom || one.sb_oom)
		rc = -1;
	free(all.sb_p);
	free(one.sb_p);
	return rc;
}

/* ---- the watermarks ---- */

static int64_t meta_int(sqlite3 *db, const char *key, int64_t dflt)
{
	sqlite3_stmt *q;
	int64_t v = dflt;

	if (sqlite3_prepare_v2(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1", -1, &q,
	                       NULL) != SQLITE_OK)
		return dflt;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

static int save_mark(ship_s *s, size_t t, int64_t mark)
{
	char key[64], val[32];
	sqlite3_stmt *q;
	int rc;

	snprintf(key, sizeof(key), "ship_%s", tables[t].t_name);
	snprintf(val, sizeof(val), "%lld", (long long)mark);
	if (sqlite3_prepare_v2(s->sh_db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
	                       -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, val, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- rows ---- */

/* Appends one row as a JSON object: the sensor's db_id (and the sensor
 * where the table lacks it), then every column but the watermark's copy. */
static void row_json(ship_s *s, strbuf_s *b, sqlite3_stmt *q, const ship_table_s *t)
{
	strbuf_str(b, "{\"db_id\":");
	rowjson_str(b, (const unsigned char *)s->sh_db_id, strlen(s->sh_db_id));
	if (t->t_add_sensor) {
		strbuf_str(b, ",\"sensor\":");
		rowjson_str(b, (const unsigned char *)s->sh_sensor, strlen(s->sh_sensor));
	}
	rowjson_columns(b, q, sqlite3_column_count(q) - 1);
	strbuf_str(b, "}\n");
}

/* One batch of table t: 1 shipped (maybe more left), 0 nothing to ship,
 * -1 failed (the watermark stays). */
static int ship_batch(ship_s *s, size_t t, int64_t deadline)
{
	sqlite3_stmt *q = s->sh_select[t];
	strbuf_s *b = &s->sh_body;
	int64_t last = s->sh_mark[t];
	int rows = 0, rc;
	char query[128];

	b->sb_len = 0;
	b->sb_oom = 0;
	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, s->sh_mark[t]);
	sqlite3_bind_int(q, 2, s->sh_conf.sh_batch);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		row_json(s, b, q, &tables[t]);
		last = sqlite3_column_int64(q, sqlite3_column_count(q) - 1);
		rows++;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE || b->sb_oom) {
		log_warnx("clickhouse: cannot read %s: %s", tables[t].t_name,
		          b->sb_oom ? "out of memory" : sqlite3_errmsg(s->sh_db));
		return -1;
	}
	if (rows == 0)
		return 0;
	snprintf(query, sizeof(query), "INSERT INTO %s.%s FORMAT JSONEachRow", s->sh_database,
	         tables[t].t_name);
	if (ch_post(s, query, b->sb_p, b->sb_len, deadline) != 0) {
		pthread_mutex_lock(&s->sh_lock);
		s->sh_st.ss_failed_batches++;
		pthread_mutex_unlock(&s->sh_lock);
		return -1;
	}
	/* Acknowledged. Should the watermark not be saved (the database busy
	 * past its timeout), the batch ships again later: no harm. */
	s->sh_mark[t] = last;
	if (save_mark(s, t, last) != 0)
		log_warnx("clickhouse: cannot save the %s watermark: %s", tables[t].t_name,
		          sqlite3_errmsg(s->sh_db));
	pthread_mutex_lock(&s->sh_lock);
	s->sh_st.ss_rows += (uint64_t)rows;
	s->sh_st.ss_batches++;
	pthread_mutex_unlock(&s->sh_lock);
	return 1;
}

/* The counters as of now, one row each (the latest ts wins). */
static int ship_counters(ship_s *s, int64_t deadline)
{
	sqlite3_stmt *q;
	strbuf_s *b = &s->sh_body;
	int64_t now = clock_wall_ms();
	char query[128];
	int rc, rows = 0;

	if (sqlite3_prepare_v2(s->sh_db, "SELECT name, value FROM counters", -1, &q, NULL) !=
	    SQLITE_OK)
		return -1;
	b->sb_len = 0;
	b->sb_oom = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const unsigned char *name = sqlite3_column_text(q, 0);
		strbuf_str(b, "{\"sensor\":");
		rowjson_str(b, (const unsigned char *)s->sh_sensor, strlen(s->sh_sensor));
		strbuf_str(b, ",\"db_id\":");
		rowjson_str(b, (const unsigned char *)s->sh_db_id, strlen(s->sh_db_id));
		strbuf_str(b, ",\"name\":");
		rowjson_str(b, name != NULL ? name : (const unsigned char *)"",
		            (size_t)sqlite3_column_bytes(q, 0));
		rowjson_fmt(b, ",\"value\":%lld", (long long)sqlite3_column_int64(q, 1));
		rowjson_fmt(b, ",\"ts\":%lld}\n", (long long)now);
		rows++;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE || b->sb_oom || rows == 0)
		return rc == SQLITE_DONE && !b->sb_oom ? 0 : -1;
	snprintf(query, sizeof(query), "INSERT INTO %s.counters FORMAT JSONEachRow",
	         s->sh_database);
	return ch_post(s, query, b->sb_p, b->sb_len, deadline);
}

static void count_pending(ship_s *s)
{
	uint64_t pending = 0;

	for (size_t t = 0; t < NTABLES; t++) {
		sqlite3_stmt *q = s->sh_pending[t];
		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, s->sh_mark[t]);
		if (sqlite3_step(q) == SQLITE_ROW)
			pending += (uint64_t)sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
	}
	int64_t now = clock_mono_ms();
	if (pending == 0)
		s->sh_caught_up_ms = now;
	pthread_mutex_lock(&s->sh_lock);
	s->sh_st.ss_pending = pending;
	s->sh_st.ss_lag_ms = pending == 0 ? 0 : now - s->sh_caught_up_ms;
	pthread_mutex_unlock(&s->sh_lock);
}

int ship_round(ship_s *s, int64_t deadline)
{
	int rc = 0;

	if (!s->sh_schema_done) {
		if (ensure_schema(s, deadline) != 0) {
			pthread_mutex_lock(&s->sh_lock);
			s->sh_st.ss_failed_batches++;
			pthread_mutex_unlock(&s->sh_lock);
			count_pending(s);
			return -1;
		}
		s->sh_schema_done = 1;
	}
	for (size_t t = 0; t < NTABLES && rc >= 0; t++) {
		int r;
		while ((r = ship_batch(s, t, deadline)) == 1 && clock_mono_ms() < deadline)
			;
		if (r < 0)
			rc = -1;
		else if (r == 1)
			rc = 1; /* out of time with rows left */
	}
	if (rc >= 0 && ship_counters(s, deadline) != 0)
		rc = -1;
	count_pending(s);
	/* a batch's text (~600 bytes a row) is not kept between rounds */
	free(s->sh_body.sb_p);
	memset(&s->sh_body, 0, sizeof(s->sh_body));
	return rc;
}

/* ---- the thread ---- */

static void *ship_run(void *arg)
{
	ship_s *s = arg;

	pthread_mutex_lock(&s->sh_lock);
	while (!s->sh_stopping) {
		pthread_mutex_unlock(&s->sh_lock);
		int rc = ship_round(s, clock_mono_ms() + SHIP_TIMEOUT_MS);
		int64_t wait = s->sh_conf.sh_interval_ms;
		if (rc < 0) {
			/* back-off: 0.5 s doubling to 8 s while it stays down */
			s->sh_backoff_ms =
			    s->sh_backoff_ms == 0 ? SHIP_BACKOFF_MIN_MS : s->sh_backoff_ms * 2;
			if (s->sh_backoff_ms > SHIP_BACKOFF_MAX_MS)
				s->sh_backoff_ms = SHIP_BACKOFF_MAX_MS;
			wait = s->sh_backoff_ms;
		} else {
			s->sh_backoff_ms = 0;
			if (rc == 1)
				wait = 0; /* more to send: at once */
		}
		pthread_mutex_lock(&s->sh_lock);
		if (!s->sh_stopping && wait > 0)
			thread_cond_wait_ms(&s->sh_cond, &s->sh_lock, wait);
	}
	pthread_mutex_unlock(&s->sh_lock);
	/* the last round: what the decoy wrote before it was told to stop */
	if (ship_round(s, clock_mono_ms() + s->sh_conf.sh_flush_ms) != 0)
		log_info("clickhouse: %llu rows left to ship at the next start",
		         (unsigned long long)s->sh_st.ss_pending);
	return NULL;
}

static char *dup_or_empty(const char *s)
{
	return strdup(s != NULL ? s : "");
}

ship_s *ship_new(const ship_conf_s *conf, char *err, size_t errlen)
{
	ship_s *s = calloc(1, sizeof(*s));
	char sql[1024];

	if (s == NULL)
		goto oom;
	s->sh_conf = *conf;
	pthread_mutex_init(&s->sh_lock, NULL);
	thread_cond_init(&s->sh_cond);
	s->sh_url = dup_or_empty(conf->sh_url);
	s->sh_database = dup_or_empty(conf->sh_database);
	s->sh_user = dup_or_empty(conf->sh_user);
	s->sh_password = dup_or_empty(conf->sh_password);
	s->sh_db_path = dup_or_empty(conf->sh_db_path);
	s->sh_sensor = dup_or_empty(conf->sh_sensor);
	if (s->sh_url == NULL || s->sh_database == NULL || s->sh_user == NULL ||
	    s->sh_password == NULL || s->sh_db_path == NULL || s->sh_sensor == NULL ||
	    (s->sh_http = httpc_new()) == NULL)
		goto oom;
	if (sqlite3_open_v2(s->sh_db_path, &s->sh_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "clickhouse: cannot open %s: %s", s->sh_db_path,
		         s->sh_db != NULL ? sqlite3_errmsg(s->sh_db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(s->sh_db, 5000);
	/* a watermark lost to a power cut only resends a batch: no fsync each */
	sqlite3_exec(s->sh_db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->sh_db, "SELECT value FROM meta WHERE key = 'db_id'", -1, &q,
	                       NULL) != SQLITE_OK) {
		snprintf(err, errlen, "clickhouse: %s", sqlite3_errmsg(s->sh_db));
		goto fail;
	}
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) != NULL)
		snprintf(s->sh_db_id, sizeof(s->sh_db_id), "%s",
		         (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	if (s->sh_db_id[0] == '\0') {
		snprintf(err, errlen, "clickhouse: the database has no db_id in meta");
		goto fail;
	}
	for (size_t t = 0; t < NTABLES; t++) {
		char key[64];
		snprintf(key, sizeof(key), "ship_%s", tables[t].t_name);
		s->sh_mark[t] = meta_int(s->sh_db, key, 0);
		snprintf(sql, sizeof(sql),
		         "SELECT %s, %s FROM %s WHERE %s > ?1 ORDER BY %s LIMIT ?2",
		         tables[t].t_cols, tables[t].t_mark, tables[t].t_name, tables[t].t_mark,
		         tables[t].t_mark);
		if (sqlite3_prepare_v3(s->sh_db, sql, -1, SQLITE_PREPARE_PERSISTENT,
		                       &s->sh_select[t], NULL) != SQLITE_OK)
			goto sqlfail;
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE %s > ?1",
		         tables[t].t_name, tables[t].t_mark);
		if (sqlite3_prepare_v3(s->sh_db, sql, -1, SQLITE_PREPARE_PERSISTENT,
		                       &s->sh_pending[t], NULL) != SQLITE_OK)
			goto sqlfail;
	}
	s->sh_caught_up_ms = clock_mono_ms();
	return s;
sqlfail:
	snprintf(err, errlen, "clickhouse: %s", sqlite3_errmsg(s->sh_db));
	goto fail;
oom:
	snprintf(err, errlen, "clickhouse: out of memory");
fail:
	ship_free(s);
	return NULL;
}

int ship_start(ship_s *s, char *err, size_t errlen)
{
	if (thread_start(&s->sh_thread, "camdecoy-ship", ship_run, s, err, errlen) != 0)
		return -1;
	s->sh_started = 1;
	return 0;
}

void ship_stop(ship_s *s)
{
	if (s == NULL || !s->sh_started)
		return;
	pthread_mutex_lock(&s->sh_lock);
	s->sh_stopping = 1;
	pthread_cond_signal(&s->sh_cond);
	pthread_mutex_unlock(&s->sh_lock);
	pthread_join(s->sh_thread, NULL);
	s->sh_started = 0;
}

void ship_free(ship_s *s)
{
	if (s == NULL)
		return;
	ship_stop(s);
	for (size_t t = 0; t < NTABLES; t++) {
		sqlite3_finalize(s->sh_select[t]);
		sqlite3_finalize(s->sh_pending[t]);
	}
	sqlite3_close(s->sh_db);
	httpc_free(s->sh_http);
	free(s->sh_body.sb_p);
	free(s->sh_url);
	free(s->sh_database);
	free(s->sh_user);
	if (s->sh_password != NULL)
		memset(s->sh_password, 0, strlen(s->sh_password));
	free(s->sh_password);
	free(s->sh_db_path);
	free(s->sh_sensor);
	pthread_mutex_destroy(&s->sh_lock);
	pthread_cond_destroy(&s->sh_cond);
	free(s);
}

void ship_stats(ship_s *s, ship_stats_s *out)
{
	pthread_mutex_lock(&s->sh_lock);
	*out = s->sh_st;
	pthread_mutex_unlock(&s->sh_lock);
}

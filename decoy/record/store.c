/* store: schema migrations, a bounded event queue and the batching writer thread.
 *
 * Request threads only append to the queue under a short mutex; the writer
 * owns the database handle and commits whatever arrived in the last 250 ms
 * (at most STORE_BATCH_MAX events) in one transaction. */
#include "store.h"

#include "clock.h"
#include "htab.h"
#include "thread.h"
#include "netaddr.h"

#include <sqlite3.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STORE_FLUSH_MS 250
#define STORE_BATCH_MAX 5000
#define STORE_CHECKPOINT_MS 10000
#define STORE_RETRY_MS 1000
#define STORE_JSON_MAX 16384
#define STORE_AGG_MAX 65536
#define STORE_COUNTERS_MAX 32
#define STORE_RETENTION_MS 3600000

/* Numbered migrations: entry i brings user_version from i to i + 1. Never
 * edit a released entry; append a new one. */
static const char *const migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
	"CREATE TABLE requests ("
	" id INTEGER PRIMARY KEY,"
	" ts INTEGER NOT NULL,"
	" sensor TEXT NOT NULL,"
	" src_ip TEXT NOT NULL,"
	" src_port INTEGER,"
	" peer_ip TEXT,"
	" country TEXT,"
	" method TEXT,"
	" path TEXT, path_len INTEGER,"
	" query TEXT, query_len INTEGER,"
	" user_agent TEXT, user_agent_len INTEGER,"
	" referer TEXT, referer_len INTEGER,"
	" forwarded_for TEXT, forwarded_for_len INTEGER,"
	" referer_class TEXT NOT NULL,"
	" persona TEXT NOT NULL,"
	" route TEXT,"
	" status INTEGER,"
	" bytes INTEGER,"
	" client_class TEXT NOT NULL,"
	" view_id INTEGER);"
	"CREATE INDEX requests_ts ON requests(ts);"
	"CREATE INDEX requests_src ON requests(src_ip, ts);"
	"CREATE TABLE views ("
	" id INTEGER PRIMARY KEY,"
	" sensor TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('stream', 'poll')),"
	" src_ip TEXT NOT NULL,"
	" country TEXT,"
	" user_agent TEXT, user_agent_len INTEGER,"
	" referer TEXT, referer_len INTEGER,"
	" referer_class TEXT NOT NULL,"
	" client_class TEXT NOT NULL,"
	" persona TEXT NOT NULL,"
	" path TEXT,"
	" started_at INTEGER NOT NULL,"
	" last_frame_at INTEGER,"
	" ended_at INTEGER,"
	" duration_ms INTEGER,"
	" frames INTEGER NOT NULL DEFAULT 0,"
	" bytes INTEGER NOT NULL DEFAULT 0,"
	" end_reason TEXT,"
	" probe INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX views_started ON views(started_at);"
	"CREATE INDEX views_src ON views(src_ip, user_agent, started_at);"
	"CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
	/* Merged viewing time per (sensor, IP, UA): views that overlap or start
	 * within 10 s of the previous one's end are one watching session
	 * (browsers open two connections for one image and reconnect after
	 * hiccups). */
	"CREATE VIEW view_sessions AS"
	" WITH o AS ("
	"  SELECT id, sensor, src_ip, country, user_agent, referer_class, client_class, frames,"
	"         started_at, COALESCE(ended_at, last_frame_at, started_at) AS end_at,"
	"         MAX(COALESCE(ended_at, last_frame_at, started_at)) OVER ("
	"           PARTITION BY sensor, src_ip, user_agent ORDER BY started_at, id"
	"           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end"
	"  FROM views),"
	" g AS ("
	"  SELECT *, SUM(CASE WHEN prev_end IS NULL OR started_at > prev_end + 10000 THEN 1 ELSE 0 END)"
	"         OVER (PARTITION BY sensor, src_ip, user_agent ORDER BY started_at, id) AS grp"
	"  FROM o)"
	" SELECT sensor, src_ip, MIN(country) AS country, user_agent, MIN(id) AS first_view,"
	"        COUNT(*) AS views, MIN(started_at) AS started_at, MAX(end_at) AS ended_at,"
	"        MAX(end_at) - MIN(started_at) AS duration_ms, SUM(frames) AS frames,"
	"        MIN(referer_class) AS referer_class, MIN(client_class) AS client_class"
	" FROM g GROUP BY sensor, src_ip, user_agent, grp;",
	/* 2: trap credentials and login attempts */
	"ALTER TABLE views ADD COLUMN trap_username TEXT;"
	"ALTER TABLE views ADD COLUMN trap_password TEXT;"
	"CREATE INDEX views_trap ON views(trap_password) WHERE trap_password IS NOT NULL;"
	"CREATE TABLE logins ("
	" id INTEGER PRIMARY KEY,"
	" ts INTEGER NOT NULL,"
	" sensor TEXT NOT NULL,"
	" channel TEXT NOT NULL,"
	" src_ip TEXT NOT NULL,"
	" src_port INTEGER,"
	" country TEXT,"
	" user_agent TEXT, user_agent_len INTEGER,"
	" username TEXT, username_len INTEGER,"
	" password TEXT, password_len INTEGER,"
	" persona TEXT NOT NULL,"
	" path TEXT,"
	" matched_view INTEGER,"
	" match_kind TEXT NOT NULL,"
	" view_src_ip TEXT,"
	" view_country TEXT,"
	" view_referer_class TEXT,"
	" shown_at INTEGER,"
	" lag_ms INTEGER,"
	" moved_ip INTEGER,"
	" moved_country INTEGER);"
	"CREATE INDEX logins_ts ON logins(ts);"
	"CREATE INDEX logins_view ON logins(matched_view);"
	"CREATE VIEW credential_uses AS SELECT * FROM logins WHERE match_kind != 'none';",
	/* 3: summary tables kept by triggers, so reports over millions of rows
	 * read host-hours instead of every request. host_hours.flags bits:
	 * 1 made a request; Referer class 2 insecam, 4 directory, 8 search,
	 * 16 self, 32 none, 64 other; client 128 browser, 256 scanner, 512
	 * unknown; 1024 fetched images (a view with a frame or snapshot). */
	"CREATE TABLE host_hours ("
	" hour INTEGER NOT NULL,"
	" sensor TEXT NOT NULL,"
	" persona TEXT NOT NULL,"
	" src_ip TEXT NOT NULL,"
	" country TEXT,"
	" flags INTEGER NOT NULL,"
	" requests INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (hour, sensor, persona, src_ip)) WITHOUT ROWID;"
	/* covers the merged-session scan, so it never visits the table */
	"CREATE INDEX views_session ON views(sensor, src_ip, user_agent, started_at, id, country, ended_at,"
	" last_frame_at, frames, referer_class, client_class);"
	"CREATE TABLE view_hours ("
	" hour INTEGER NOT NULL,"
	" sensor TEXT NOT NULL,"
	" persona TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" country TEXT NOT NULL,"
	" referer_class TEXT NOT NULL,"
	" views INTEGER NOT NULL,"
	" PRIMARY KEY (hour, sensor, persona, kind, country, referer_class)) WITHOUT ROWID;"
	"CREATE TRIGGER host_hours_request AFTER INSERT ON requests BEGIN"
	" INSERT INTO host_hours (hour, sensor, persona, src_ip, country, flags, requests)"
	" VALUES (NEW.ts / 3600000, NEW.sensor, NEW.persona, NEW.src_ip, NEW.country,"
	"  1 | CASE NEW.referer_class WHEN 'insecam' THEN 2 WHEN 'directory' THEN 4 WHEN 'search' THEN 8"
	"      WHEN 'self' THEN 16 WHEN 'none' THEN 32 ELSE 64 END"
	"    | CASE NEW.client_class WHEN 'browser' THEN 128 WHEN 'scanner' THEN 256 ELSE 512 END, 1)"
	" ON CONFLICT (hour, sensor, persona, src_ip) DO UPDATE SET flags = flags | excluded.flags,"
	"  requests = requests + 1, country = IFNULL(country, excluded.country);"
	" END;"
	"CREATE TRIGGER host_hours_view AFTER INSERT ON views WHEN NEW.frames >= 1 BEGIN"
	" INSERT INTO host_hours (hour, sensor, persona, src_ip, country, flags)"
	" VALUES (NEW.started_at / 3600000, NEW.sensor, NEW.persona, NEW.src_ip, NEW.country, 1024)"
	" ON CONFLICT (hour, sensor, persona, src_ip) DO UPDATE SET flags = flags | 1024;"
	" END;"
	"CREATE TRIGGER host_hours_view_frames AFTER UPDATE OF frames ON views"
	" WHEN NEW.frames >= 1 AND OLD.frames < 1 BEGIN"
	" INSERT INTO host_hours (hour, sensor, persona, src_ip, country, flags)"
	" VALUES (NEW.started_at / 3600000, NEW.sensor, NEW.persona, NEW.src_ip, NEW.country, 1024)"
	" ON CONFLICT (hour, sensor, persona, src_ip) DO UPDATE SET flags = flags | 1024;"
	" END;"
	/* poll views are rewritten with INSERT OR REPLACE: count inserts and deletes */
	"CREATE TRIGGER view_hours_add AFTER INSERT ON views BEGIN"
	" INSERT INTO view_hours VALUES (NEW.started_at / 3600000, NEW.sensor, NEW.persona, NEW.kind,"
	"  IFNULL(NEW.country, ''), NEW.referer_class, 1)"
	" ON CONFLICT DO UPDATE SET views = views + 1;"
	" END;"
	"CREATE TRIGGER view_hours_remove AFTER DELETE ON views BEGIN"
	" UPDATE view_hours SET views = views - 1 WHERE hour = OLD.started_at / 3600000 AND sensor = OLD.sensor"
	"  AND persona = OLD.persona AND kind = OLD.kind AND country = IFNULL(OLD.country, '')"
	"  AND referer_class = OLD.referer_class;"
	" END;"
	/* what databases of schema 2 already hold */
	"INSERT INTO host_hours (hour, sensor, persona, src_ip, country, flags, requests)"
	" SELECT ts / 3600000, sensor, persona, src_ip, MIN(country),"
	"  1 | MAX(CASE referer_class WHEN 'insecam' THEN 2 ELSE 0 END) | MAX(CASE referer_class WHEN 'directory' THEN 4 ELSE 0 END)"
	"  | MAX(CASE referer_class WHEN 'search' THEN 8 ELSE 0 END) | MAX(CASE referer_class WHEN 'self' THEN 16 ELSE 0 END)"
	"  | MAX(CASE referer_class WHEN 'none' THEN 32 ELSE 0 END)"
	"  | MAX(CASE WHEN referer_class NOT IN ('insecam', 'directory', 'search', 'self', 'none') THEN 64 ELSE 0 END)"
	"  | MAX(CASE client_class WHEN 'browser' THEN 128 WHEN 'scanner' THEN 256 ELSE 512 END), COUNT(*)"
	" FROM requests GROUP BY 1, 2, 3, 4;"
	"INSERT INTO host_hours (hour, sensor, persona, src_ip, country, flags)"
	" SELECT started_at / 3600000, sensor, persona, src_ip, MIN(country), 1024 FROM views WHERE frames >= 1"
	" GROUP BY 1, 2, 3, 4 ON CONFLICT DO UPDATE SET flags = flags | 1024;"
	"INSERT INTO view_hours SELECT started_at / 3600000, sensor, persona, kind, IFNULL(country, ''),"
	" referer_class, COUNT(*) FROM views GROUP BY 1, 2, 3, 4, 5, 6;",
	/* 4: requests and logins past their network's detail budget, counted per
	 * hour and network (/24 or /64) instead of one row each */
	"CREATE TABLE aggregated ("
	" hour INTEGER NOT NULL,"
	" sensor TEXT NOT NULL,"
	" persona TEXT NOT NULL,"
	" network TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('request', 'login')),"
	" count INTEGER NOT NULL,"
	" PRIMARY KEY (hour, sensor, persona, network, kind)) WITHOUT ROWID;",
};

/* Requests or logins without a detailed row, per hour and network. */
typedef struct agg {
	htab_node_s ag_node;
	struct agg *ag_next; /* in arrival order */
	int64_t ag_hour;
	const char *ag_kind; /* "request" or "login" (static) */
	char ag_net[64];
	uint64_t ag_count;
} agg_s;

struct store {
	char *st_db_path, *st_log_path, *st_sensor, *st_persona, *st_version, *st_geoip_type;
	long long st_geoip_build;
	sqlite3 *st_db;
	sqlite3_stmt *st_ins_request, *st_ins_view, *st_upd_progress, *st_upd_close, *st_set_counter;
	sqlite3_stmt *st_ins_login, *st_add_agg;
	/* aggregates waiting for the next commit, under st_lock */
	agg_s *st_agg_list;
	htab_s st_agg;
	uint64_t st_agg_overflow;
	pthread_mutex_t st_counters_lock; /* st_counters against store_freeze_counters */
	store_counters_fn st_counters;
	void *st_counters_arg;
	store_counter_s st_frozen[STORE_COUNTERS_MAX];
	size_t st_nfrozen;
	store_counter_s st_written_counters[STORE_COUNTERS_MAX];
	size_t st_nwritten_counters;
	int st_retention_days, st_retention_truncate;
	int64_t st_last_retention, st_truncated_until;
	int st_urgent; /* a credential use waits: flush now */
	FILE *st_log;
	int st_log_owned;
	pthread_t st_thread;
	int st_started;
	pthread_mutex_t st_lock;
	pthread_cond_t st_cond;
	event_s *st_head, *st_tail; /* queue */
	size_t st_queued, st_queue_max;
	int st_stopping;
	atomic_llong st_next_view;
	store_stats_s st_stats; /* under st_lock */
	char *st_json;
};

int store_schema_version(void)
{
	return (int)(sizeof(migrations) / sizeof(migrations[0]));
}

static char *dupstr(const char *s)
{
	return strdup(s != NULL ? s : "");
}

static int exec_sql(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "database: %s", msg != NULL ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int migrate(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *q;
	int version = 0, want = store_schema_version();
	char sql[64];

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
		return -1;
	}
	if (sqlite3_step(q) == SQLITE_ROW)
		version = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (version > want) {
		snprintf(err, errlen, "database: schema version %d is newer than this camdecoy (%d)",
		         version, want);
		return -1;
	}
	for (int v = version; v < want; v++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d;", v + 1);
		if (exec_sql(db, "BEGIN IMMEDIATE;", err, errlen) != 0)
			return -1;
		if (exec_sql(db, migrations[v], err, errlen) != 0 || exec_sql(db, sql, err, errlen) != 0) {
			sqlite3_exec(db, "ROLLBACK;", NULL, NULL, NULL);
			return -1;
		}
		if (exec_sql(db, "COMMIT;", err, errlen) != 0)
			return -1;
	}
	return 0;
}

static int set_meta(store_s *st, const char *key, const char *value)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(st->st_db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", -1, &q,
	                       NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	if (value != NULL)
		sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Views left open by a crash end at their last recorded frame. */
static int recover(store_s *st, char *err, size_t errlen)
{
	if (exec_sql(st->st_db,
	             "UPDATE views SET ended_at = COALESCE(last_frame_at, started_at),"
	             " duration_ms = COALESCE(last_frame_at, started_at) - started_at,"
	             " end_reason = 'crash', probe = (frames <= 1)"
	             " WHERE ended_at IS NULL;",
	             err, errlen) != 0)
		return -1;
	st->st_stats.ss_recovered = (uint64_t)sqlite3_changes(st->st_db);
	return 0;
}

/* camdecoy_net(ip): the /24 or /48 an address belongs to (retention), or the
 * text unchanged when it is not an address (already truncated, say). */
static void sql_net(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *ip = (const char *)sqlite3_value_text(argv[0]);
	int len = sqlite3_value_bytes(argv[0]);
	char out[64];

	(void)argc;
	if (ip == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	if (netaddr_truncate(ip, (size_t)len, 24, 48, out, sizeof(out)) == 0)
		sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
	else
		sqlite3_result_text(ctx, ip, len, SQLITE_TRANSIENT);
}

static int prepare(store_s *st, char *err, size_t errlen)
{
	static const struct {
		size_t off;
		const char *sql;
	} stmts[] = {
		{offsetof(store_s, st_ins_request),
		 "INSERT INTO requests (ts, sensor, src_ip, src_port, peer_ip, country, method, path,"
		 " path_len, query, query_len, user_agent, user_agent_len, referer, referer_len,"
		 " referer_class, persona, route, status, bytes, client_class, view_id, forwarded_for,"
		 " forwarded_for_len)"
		 " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"},
		{offsetof(store_s, st_ins_view),
		 "INSERT OR REPLACE INTO views (id, sensor, kind, src_ip, country, user_agent,"
		 " user_agent_len, referer, referer_len, referer_class, client_class, persona, path,"
		 " started_at, last_frame_at, ended_at, duration_ms, frames, bytes, end_reason, probe,"
		 " trap_username, trap_password)"
		 " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"},
		{offsetof(store_s, st_ins_login),
		 "INSERT INTO logins (ts, sensor, channel, src_ip, src_port, country, user_agent,"
		 " user_agent_len, username, username_len, password, password_len, persona, path,"
		 " matched_view, match_kind, view_src_ip, view_country, view_referer_class, shown_at, lag_ms,"
		 " moved_ip, moved_country)"
		 " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"},
		{offsetof(store_s, st_upd_progress),
		 "UPDATE views SET last_frame_at = ?, frames = ?, bytes = ? WHERE id = ?"},
		{offsetof(store_s, st_upd_close),
		 "UPDATE views SET last_frame_at = ?, frames = ?, bytes = ?, ended_at = ?,"
		 " duration_ms = ? - started_at, end_reason = ?, probe = (? <= 1) WHERE id = ?"},
		{offsetof(store_s, st_add_agg),
		 "INSERT INTO aggregated (hour, sensor, persona, network, kind, count) VALUES (?,?,?,?,?,?)"
		 " ON CONFLICT DO UPDATE SET count = count + excluded.count"},
		{offsetof(store_s, st_set_counter),
		 "INSERT INTO counters(name, value) VALUES (?, ?)"
		 " ON CONFLICT(name) DO UPDATE SET value = excluded.value"},
	};

	for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++) {
		sqlite3_stmt **slot = (sqlite3_stmt **)((char *)st + stmts[i].off);
		if (sqlite3_prepare_v3(st->st_db, stmts[i].sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) !=
		    SQLITE_OK) {
			snprintf(err, errlen, "database: %s", sqlite3_errmsg(st->st_db));
			return -1;
		}
	}
	return 0;
}

store_s *store_open(const store_conf_s *conf, char *err, size_t errlen)
{
	store_s *st = calloc(1, sizeof(*st));
	sqlite3_stmt *q = NULL;
	char num[32];

	if (st == NULL) {
		snprintf(err, errlen, "store: out of memory");
		return NULL;
	}
	pthread_mutex_init(&st->st_lock, NULL);
	pthread_mutex_init(&st->st_counters_lock, NULL);
	thread_cond_init(&st->st_cond);
	st->st_db_path = dupstr(conf->sc_db_path);
	st->st_log_path = dupstr(conf->sc_log_path);
	st->st_sensor = dupstr(conf->sc_sensor);
	st->st_persona = dupstr(conf->sc_persona);
	st->st_version = dupstr(conf->sc_version);
	st->st_geoip_type = conf->sc_geoip_type != NULL ? strdup(conf->sc_geoip_type) : NULL;
	st->st_geoip_build = conf->sc_geoip_build;
	st->st_queue_max = conf->sc_queue_max > 0 ? conf->sc_queue_max : 100000;
	st->st_json = malloc(STORE_JSON_MAX);
	if (st->st_json == NULL || htab_init(&st->st_agg, 1024) != 0) {
		snprintf(err, errlen, "store: out of memory");
		goto fail;
	}
	if (sqlite3_open_v2(st->st_db_path, &st->st_db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "database: cannot open %s: %s", st->st_db_path,
		         st->st_db != NULL ? sqlite3_errmsg(st->st_db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->st_db, 5000);
	st->st_retention_days = conf->sc_retention_days;
	st->st_retention_truncate = conf->sc_retention_truncate;
	if (sqlite3_create_function(st->st_db, "camdecoy_net", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	                            sql_net, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "database: %s", sqlite3_errmsg(st->st_db));
		goto fail;
	}
	/* WAL + NORMAL: commits survive a crash of this process (a power loss may
	 * roll back the last ones); temp files in memory so a full /tmp cannot
	 * fail a write; the WAL is truncated back after checkpoints. */
	if (exec_sql(st->st_db,
	             "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
	             " PRAGMA temp_store = MEMORY; PRAGMA journal_size_limit = 67108864;"
	             " PRAGMA foreign_keys = ON;",
	             err, errlen) != 0)
		goto fail;
	if (conf->sc_max_mb > 0) {
		/* A cap in pages; writes past it fail with SQLITE_FULL and are retried. */
		char sql[96];
		long long page = 4096;
		if (sqlite3_prepare_v2(st->st_db, "PRAGMA page_size", -1, &q, NULL) == SQLITE_OK &&
		    sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int64(q, 0) > 0)
			page = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		q = NULL;
		snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lld;", (long long)conf->sc_max_mb * 1048576 / page);
		if (exec_sql(st->st_db, sql, err, errlen) != 0)
			goto fail;
	}
	if (migrate(st->st_db, err, errlen) != 0 || recover(st, err, errlen) != 0 ||
	    prepare(st, err, errlen) != 0)
		goto fail;
	snprintf(num, sizeof(num), "%d", store_schema_version());
	snprintf(num + 16, sizeof(num) - 16, "%lld", st->st_geoip_build);
	if (set_meta(st, "sensor", st->st_sensor) != 0 || set_meta(st, "software_version", st->st_version) != 0 ||
	    set_meta(st, "schema_version", num) != 0 || set_meta(st, "persona", st->st_persona) != 0 ||
	    set_meta(st, "geoip_type", st->st_geoip_type) != 0 ||
	    set_meta(st, "geoip_build_epoch", st->st_geoip_type != NULL ? num + 16 : NULL) != 0) {
		snprintf(err, errlen, "database: cannot write meta: %s", sqlite3_errmsg(st->st_db));
		goto fail;
	}
	if (sqlite3_prepare_v2(st->st_db, "SELECT COALESCE(MAX(id), 0) FROM views", -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_step(q) != SQLITE_ROW) {
		snprintf(err, errlen, "database: %s", sqlite3_errmsg(st->st_db));
		sqlite3_finalize(q);
		goto fail;
	}
	atomic_init(&st->st_next_view, sqlite3_column_int64(q, 0) + 1);
	sqlite3_finalize(q);
	if (strcmp(st->st_log_path, "-") == 0) {
		st->st_log = stdout;
	} else if (st->st_log_path[0] != '\0') {
		st->st_log = fopen(st->st_log_path, "ae");
		if (st->st_log == NULL) {
			snprintf(err, errlen, "event-log: cannot open %s: %s", st->st_log_path, strerror(errno));
			goto fail;
		}
		st->st_log_owned = 1;
	}
	return st;
fail:
	store_free(st);
	return NULL;
}

static void bind_str(sqlite3_stmt *q, int col, const char *s, size_t len)
{
	if (s != NULL)
		sqlite3_bind_text(q, col, s, (int)len, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, col);
}

static void bind_opt(sqlite3_stmt *q, int col, const char *s)
{
	if (s != NULL && s[0] != '\0')
		sqlite3_bind_text(q, col, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, col);
}

static void bind_len(sqlite3_stmt *q, int col, const event_s *ev, event_str_e which)
{
	if (ev->ev_str[which] != NULL)
		sqlite3_bind_int64(q, col, (sqlite3_int64)ev->ev_orig_len[which]);
	else
		sqlite3_bind_null(q, col);
}

static int write_event(store_s *st, const event_s *ev)
{
	sqlite3_stmt *q;
	int rc;

	switch (ev->ev_kind) {
	case EV_REQUEST:
		q = st->st_ins_request;
		sqlite3_bind_int64(q, 1, ev->ev_ts);
		sqlite3_bind_text(q, 2, st->st_sensor, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, ev->ev_ip, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 4, ev->ev_port);
		bind_opt(q, 5, ev->ev_peer_ip);
		bind_opt(q, 6, ev->ev_country);
		bind_str(q, 7, ev->ev_str[EVS_METHOD], ev->ev_len[EVS_METHOD]);
		bind_str(q, 8, ev->ev_str[EVS_PATH], ev->ev_len[EVS_PATH]);
		bind_len(q, 9, ev, EVS_PATH);
		bind_str(q, 10, ev->ev_str[EVS_QUERY], ev->ev_len[EVS_QUERY]);
		bind_len(q, 11, ev, EVS_QUERY);
		bind_str(q, 12, ev->ev_str[EVS_USER_AGENT], ev->ev_len[EVS_USER_AGENT]);
		bind_len(q, 13, ev, EVS_USER_AGENT);
		bind_str(q, 14, ev->ev_str[EVS_REFERER], ev->ev_len[EVS_REFERER]);
		bind_len(q, 15, ev, EVS_REFERER);
		sqlite3_bind_text(q, 16, ev->ev_referer_class, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 17, st->st_persona, -1, SQLITE_STATIC);
		bind_opt(q, 18, ev->ev_route);
		sqlite3_bind_int(q, 19, ev->ev_status);
		sqlite3_bind_int64(q, 20, (sqlite3_int64)ev->ev_bytes);
		sqlite3_bind_text(q, 21, ev->ev_client_class, -1, SQLITE_STATIC);
		if (ev->ev_view_id)
			sqlite3_bind_int64(q, 22, ev->ev_view_id);
		else
			sqlite3_bind_null(q, 22);
		bind_str(q, 23, ev->ev_str[EVS_FORWARDED], ev->ev_len[EVS_FORWARDED]);
		bind_len(q, 24, ev, EVS_FORWARDED);
		break;
	case EV_VIEW_OPEN: {
		/* Poll views are written whole on every request: open = upsert. */
		int64_t end = ev->ev_ended_at;
		q = st->st_ins_view;
		sqlite3_bind_int64(q, 1, ev->ev_view_id);
		sqlite3_bind_text(q, 2, st->st_sensor, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, ev->ev_view_kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, ev->ev_ip, -1, SQLITE_STATIC);
		bind_opt(q, 5, ev->ev_country);
		bind_str(q, 6, ev->ev_str[EVS_USER_AGENT], ev->ev_len[EVS_USER_AGENT]);
		bind_len(q, 7, ev, EVS_USER_AGENT);
		bind_str(q, 8, ev->ev_str[EVS_REFERER], ev->ev_len[EVS_REFERER]);
		bind_len(q, 9, ev, EVS_REFERER);
		sqlite3_bind_text(q, 10, ev->ev_referer_class, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 11, ev->ev_client_class, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 12, st->st_persona, -1, SQLITE_STATIC);
		bind_str(q, 13, ev->ev_str[EVS_PATH], ev->ev_len[EVS_PATH]);
		sqlite3_bind_int64(q, 14, ev->ev_started_at);
		sqlite3_bind_int64(q, 15, ev->ev_last_frame_at ? ev->ev_last_frame_at : ev->ev_started_at);
		if (end) {
			sqlite3_bind_int64(q, 16, end);
			sqlite3_bind_int64(q, 17, end - ev->ev_started_at);
		} else {
			sqlite3_bind_null(q, 16);
			sqlite3_bind_null(q, 17);
		}
		sqlite3_bind_int64(q, 18, (sqlite3_int64)ev->ev_frames);
		sqlite3_bind_int64(q, 19, (sqlite3_int64)ev->ev_bytes);
		bind_opt(q, 20, ev->ev_end_reason);
		sqlite3_bind_int(q, 21, end && ev->ev_frames <= 1);
		bind_opt(q, 22, ev->ev_trap_user);
		bind_opt(q, 23, ev->ev_trap_pass);
		break;
	}
	case EV_LOGIN:
		q = st->st_ins_login;
		sqlite3_bind_int64(q, 1, ev->ev_ts);
		sqlite3_bind_text(q, 2, st->st_sensor, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, ev->ev_channel, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, ev->ev_ip, -1, SQLITE_STATIC);
		if (ev->ev_port)
			sqlite3_bind_int(q, 5, ev->ev_port);
		else
			sqlite3_bind_null(q, 5);
		bind_opt(q, 6, ev->ev_country);
		bind_str(q, 7, ev->ev_str[EVS_USER_AGENT], ev->ev_len[EVS_USER_AGENT]);
		bind_len(q, 8, ev, EVS_USER_AGENT);
		bind_str(q, 9, ev->ev_str[EVS_USERNAME], ev->ev_len[EVS_USERNAME]);
		bind_len(q, 10, ev, EVS_USERNAME);
		bind_str(q, 11, ev->ev_str[EVS_PASSWORD], ev->ev_len[EVS_PASSWORD]);
		bind_len(q, 12, ev, EVS_PASSWORD);
		sqlite3_bind_text(q, 13, st->st_persona, -1, SQLITE_STATIC);
		bind_str(q, 14, ev->ev_str[EVS_PATH], ev->ev_len[EVS_PATH]);
		if (ev->ev_matched_view) {
			sqlite3_bind_int64(q, 15, ev->ev_matched_view);
			sqlite3_bind_text(q, 17, ev->ev_view_ip, -1, SQLITE_STATIC);
			bind_opt(q, 18, ev->ev_view_country);
			bind_opt(q, 19, ev->ev_view_referer_class);
			sqlite3_bind_int64(q, 20, ev->ev_shown_at);
			sqlite3_bind_int64(q, 21, ev->ev_ts - ev->ev_shown_at);
			sqlite3_bind_int(q, 22, ev->ev_moved_ip);
			sqlite3_bind_int(q, 23, ev->ev_moved_country);
		} else {
			for (int c = 15; c <= 23; c++)
				if (c != 16)
					sqlite3_bind_null(q, c);
		}
		sqlite3_bind_text(q, 16, ev->ev_match_kind, -1, SQLITE_STATIC);
		break;
	case EV_VIEW_PROGRESS:
		q = st->st_upd_progress;
		sqlite3_bind_int64(q, 1, ev->ev_last_frame_at);
		sqlite3_bind_int64(q, 2, (sqlite3_int64)ev->ev_frames);
		sqlite3_bind_int64(q, 3, (sqlite3_int64)ev->ev_bytes);
		sqlite3_bind_int64(q, 4, ev->ev_view_id);
		break;
	case EV_VIEW_CLOSE:
		q = st->st_upd_close;
		sqlite3_bind_int64(q, 1, ev->ev_last_frame_at);
		sqlite3_bind_int64(q, 2, (sqlite3_int64)ev->ev_frames);
		sqlite3_bind_int64(q, 3, (sqlite3_int64)ev->ev_bytes);
		sqlite3_bind_int64(q, 4, ev->ev_ended_at);
		sqlite3_bind_int64(q, 5, ev->ev_ended_at);
		sqlite3_bind_text(q, 6, ev->ev_end_reason, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 7, (sqlite3_int64)ev->ev_frames);
		sqlite3_bind_int64(q, 8, ev->ev_view_id);
		break;
	default:
		return 0;
	}
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void log_events(store_s *st, event_s *list)
{
	uint64_t failed = 0;

	if (st->st_log == NULL)
		return;
	for (event_s *ev = list; ev != NULL; ev = ev->ev_next) {
		size_t n;
		if (ev->ev_logged)
			continue;
		ev->ev_logged = 1;
		n = event_json(ev, st->st_sensor, st->st_persona, st->st_json, STORE_JSON_MAX - 1);
		if (n > 0) {
			st->st_json[n] = '\n';
			if (fwrite(st->st_json, 1, n + 1, st->st_log) != n + 1)
				failed++;
		}
	}
	if (fflush(st->st_log) != 0) {
		clearerr(st->st_log);
		failed += failed == 0;
	}
	if (failed > 0) {
		pthread_mutex_lock(&st->st_lock);
		st->st_stats.ss_log_failures += failed;
		pthread_mutex_unlock(&st->st_lock);
	}
}

static void set_counter(store_s *st, const char *name, uint64_t value)
{
	sqlite3_bind_text(st->st_set_counter, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st->st_set_counter, 2, (sqlite3_int64)value);
	sqlite3_step(st->st_set_counter);
	sqlite3_reset(st->st_set_counter);
}

/* Adds count to (hour, kind, network); under st_lock. Past STORE_AGG_MAX
 * keys the network becomes "*": totals stay exact, detail does not. */
typedef struct {
	int64_t aq_hour;
	const char *aq_kind, *aq_net;
} agg_query_s;

static int agg_eq(const htab_node_s *n, const void *key)
{
	const agg_s *a = HTAB_ENTRY(n, agg_s, ag_node);
	const agg_query_s *q = key;

	return a->ag_hour == q->aq_hour && a->ag_kind == q->aq_kind && strcmp(a->ag_net, q->aq_net) == 0;
}

static void agg_add(store_s *st, int64_t hour, const char *kind, const char *net, uint64_t count)
{
	char key[96];
	uint64_t h;
	htab_node_s *n;
	agg_s *a;

	if (st->st_agg.ht_count >= STORE_AGG_MAX)
		net = "*";
	snprintf(key, sizeof(key), "%lld %s %s", (long long)hour, kind, net);
	h = htab_hash(key, strlen(key));
	n = htab_find(&st->st_agg, h, agg_eq, &(agg_query_s){hour, kind, net});
	a = n != NULL ? HTAB_ENTRY(n, agg_s, ag_node) : NULL;
	if (a == NULL) {
		if ((a = calloc(1, sizeof(*a))) == NULL) {
			st->st_agg_overflow += count; /* lost detail and total: counted */
			return;
		}
		a->ag_hour = hour;
		a->ag_kind = kind;
		snprintf(a->ag_net, sizeof(a->ag_net), "%s", net);
		htab_insert(&st->st_agg, &a->ag_node, h);
		a->ag_next = st->st_agg_list;
		st->st_agg_list = a;
	}
	a->ag_count += count;
}

void store_aggregate(store_s *st, const char *network, int64_t ts_ms, const char *kind)
{
	pthread_mutex_lock(&st->st_lock);
	agg_add(st, ts_ms / 3600000, kind, network != NULL && network[0] ? network : "?", 1);
	st->st_stats.ss_aggregated++;
	pthread_mutex_unlock(&st->st_lock);
}

/* Takes every aggregate waiting; under st_lock. */
static agg_s *agg_take(store_s *st)
{
	agg_s *list = st->st_agg_list;

	st->st_agg_list = NULL;
	htab_clear(&st->st_agg);
	return list;
}

static void agg_free(agg_s *list)
{
	while (list != NULL) {
		agg_s *next = list->ag_next;
		free(list);
		list = next;
	}
}

/* The counters to write: this store's own, then the registered module's. */
static size_t collect_counters(store_s *st, const store_stats_s *snap, uint64_t written, store_counter_s *out)
{
	size_t n = 0;

	out[n++] = (store_counter_s){"events_written", written};
	out[n++] = (store_counter_s){"events_dropped", snap->ss_dropped};
	out[n++] = (store_counter_s){"write_failures", snap->ss_write_failures};
	out[n++] = (store_counter_s){"log_failures", snap->ss_log_failures};
	out[n++] = (store_counter_s){"aggregated", snap->ss_aggregated};
	pthread_mutex_lock(&st->st_counters_lock);
	if (st->st_counters != NULL) {
		n += st->st_counters(st->st_counters_arg, out + n, STORE_COUNTERS_MAX - n);
	} else {
		memcpy(out + n, st->st_frozen, st->st_nfrozen * sizeof(out[0]));
		n += st->st_nfrozen;
	}
	pthread_mutex_unlock(&st->st_counters_lock);
	return n;
}

/* The last event of one poll view in a batch. */
typedef struct {
	htab_node_s lt_node;
	const event_s *lt_ev;
} latest_s;

static int latest_eq(const htab_node_s *n, const void *key)
{
	return HTAB_ENTRY(n, latest_s, lt_node)->lt_ev->ev_view_id == *(const int64_t *)key;
}

static int is_poll_view(const event_s *ev)
{
	return ev->ev_kind == EV_VIEW_OPEN && ev->ev_view_kind != NULL && strcmp(ev->ev_view_kind, "poll") == 0;
}

/* Commits a batch of events (list may be empty) with the aggregates and the
 * counters; 0 on success (the caller frees the list), -1 to retry later. */
static int write_batch(store_s *st, event_s *list, size_t n, agg_s *aggs)
{
	store_stats_s snap;
	store_counter_s counters[STORE_COUNTERS_MAX];
	size_t ncounters;

	log_events(st, list);
	/* A poll view is rewritten whole by every snapshot: within a batch only
	 * its last state needs writing (a scanner polling 10,000 times a second
	 * is one row update per batch, not 10,000 replaces). */
	htab_s lastv = {0};
	latest_s *latest = n > 1 ? calloc(n, sizeof(*latest)) : NULL;
	size_t nlatest = 0;
	if (latest != NULL && htab_init(&lastv, n) != 0) {
		free(latest);
		latest = NULL;
	}
	for (event_s *ev = list; latest != NULL && ev != NULL; ev = ev->ev_next) {
		if (!is_poll_view(ev))
			continue;
		uint64_t h = htab_hash(&ev->ev_view_id, sizeof(ev->ev_view_id));
		htab_node_s *hn = htab_find(&lastv, h, latest_eq, &ev->ev_view_id);
		if (hn != NULL) {
			HTAB_ENTRY(hn, latest_s, lt_node)->lt_ev = ev;
		} else {
			latest[nlatest].lt_ev = ev;
			htab_insert(&lastv, &latest[nlatest++].lt_node, h);
		}
	}
	int ok = sqlite3_exec(st->st_db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
	int began = ok;
	for (event_s *ev = list; ok && ev != NULL; ev = ev->ev_next) {
		if (latest != NULL && is_poll_view(ev)) {
			uint64_t h = htab_hash(&ev->ev_view_id, sizeof(ev->ev_view_id));
			htab_node_s *hn = htab_find(&lastv, h, latest_eq, &ev->ev_view_id);
			if (hn != NULL && HTAB_ENTRY(hn, latest_s, lt_node)->lt_ev != ev)
				continue; /* superseded later in this batch */
		}
		ok = write_event(st, ev) == 0;
	}
	htab_destroy(&lastv);
	free(latest);
	if (!began)
		goto failed;
	if (!ok)
		goto rollback;
	for (agg_s *a = aggs; a != NULL; a = a->ag_next) {
		sqlite3_stmt *q = st->st_add_agg;
		sqlite3_bind_int64(q, 1, a->ag_hour);
		sqlite3_bind_text(q, 2, st->st_sensor, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, st->st_persona, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, a->ag_net, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 5, a->ag_kind, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 6, (sqlite3_int64)a->ag_count);
		int rc = sqlite3_step(q);
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			goto rollback;
	}
	pthread_mutex_lock(&st->st_lock);
	snap = st->st_stats;
	pthread_mutex_unlock(&st->st_lock);
	/* The counters describe the database as of this commit. */
	ncounters = collect_counters(st, &snap, snap.ss_written + n, counters);
	for (size_t i = 0; i < ncounters; i++)
		set_counter(st, counters[i].sc_name, counters[i].sc_value);
	if (sqlite3_exec(st->st_db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto rollback;
	memcpy(st->st_written_counters, counters, ncounters * sizeof(counters[0]));
	st->st_nwritten_counters = ncounters;
	pthread_mutex_lock(&st->st_lock);
	st->st_stats.ss_written += n;
	st->st_stats.ss_batches++;
	pthread_mutex_unlock(&st->st_lock);
	return 0;
rollback:
	sqlite3_exec(st->st_db, "ROLLBACK", NULL, NULL, NULL);
failed:
	pthread_mutex_lock(&st->st_lock);
	st->st_stats.ss_write_failures++;
	pthread_mutex_unlock(&st->st_lock);
	return -1;
}

/* Whether a counter moved since the last commit (then an empty commit is worth it). */
static int counters_changed(store_s *st)
{
	store_counter_s now[STORE_COUNTERS_MAX];
	store_stats_s snap;
	size_t n;

	pthread_mutex_lock(&st->st_lock);
	snap = st->st_stats;
	pthread_mutex_unlock(&st->st_lock);
	n = collect_counters(st, &snap, snap.ss_written, now);
	if (n != st->st_nwritten_counters)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (now[i].sc_value != st->st_written_counters[i].sc_value)
			return 1;
	return 0;
}

/* One chunk of retention: rows older than the cut deleted, or their
 * addresses truncated. How many rows changed, -1 on error. */
static int retention_chunk(store_s *st, int64_t cut_ms)
{
	static const char *const del[] = {
		"DELETE FROM requests WHERE rowid IN (SELECT rowid FROM requests WHERE ts < ?1 LIMIT 5000)",
		"DELETE FROM logins WHERE rowid IN (SELECT rowid FROM logins WHERE ts < ?1 LIMIT 5000)",
		("DELETE FROM views WHERE rowid IN (SELECT rowid FROM views WHERE started_at < ?1"
		" AND ended_at IS NOT NULL LIMIT 5000)"),
		"DELETE FROM host_hours WHERE hour < ?1 / 3600000",
		"DELETE FROM view_hours WHERE hour < ?1 / 3600000",
		"DELETE FROM aggregated WHERE hour < ?1 / 3600000",
	};
	/* Truncated addresses contain '/': they are not truncated again. */
	static const char *const trunc[] = {
		("UPDATE requests SET src_ip = camdecoy_net(src_ip), peer_ip = camdecoy_net(peer_ip),"
		" forwarded_for = NULL, forwarded_for_len = NULL, src_port = NULL"
		" WHERE rowid IN (SELECT rowid FROM requests WHERE ts >= ?2 AND ts < ?1 AND src_ip NOT LIKE '%/%' LIMIT 5000)"),
		("UPDATE logins SET src_ip = camdecoy_net(src_ip), view_src_ip = camdecoy_net(view_src_ip),"
		" src_port = NULL"
		" WHERE rowid IN (SELECT rowid FROM logins WHERE ts >= ?2 AND ts < ?1 AND src_ip NOT LIKE '%/%' LIMIT 5000)"),
		("UPDATE views SET src_ip = camdecoy_net(src_ip) WHERE rowid IN (SELECT rowid FROM views"
		" WHERE started_at >= ?2 AND started_at < ?1 AND ended_at IS NOT NULL AND src_ip NOT LIKE '%/%' LIMIT 5000)"),
		/* host-hours of one network merge: old hours count networks, not hosts */
		("INSERT INTO host_hours (hour, sensor, persona, src_ip, country, flags, requests)"
		" SELECT hour, sensor, persona, camdecoy_net(src_ip), country, flags, requests FROM host_hours"
		" WHERE hour >= ?2 / 3600000 AND hour < ?1 / 3600000 AND src_ip NOT LIKE '%/%'"
		" ON CONFLICT (hour, sensor, persona, src_ip) DO UPDATE SET flags = flags | excluded.flags,"
		" requests = requests + excluded.requests"),
		"DELETE FROM host_hours WHERE hour >= ?2 / 3600000 AND hour < ?1 / 3600000 AND src_ip NOT LIKE '%/%'",
	};
	const char *const *sqls = st->st_retention_truncate ? trunc : del;
	size_t nsql = st->st_retention_truncate ? sizeof(trunc) / sizeof(trunc[0]) : sizeof(del) / sizeof(del[0]);
	int changed = 0;

	if (sqlite3_exec(st->st_db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	for (size_t i = 0; i < nsql; i++) {
		sqlite3_stmt *q;
		int rc;
		if (sqlite3_prepare_v2(st->st_db, sqls[i], -1, &q, NULL) != SQLITE_OK)
			goto rollback;
		sqlite3_bind_int64(q, 1, cut_ms);
		if (st->st_retention_truncate)
			sqlite3_bind_int64(q, 2, st->st_truncated_until);
		rc = sqlite3_step(q);
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE)
			goto rollback;
		/* The merged host-hours are the rows deleted next: count once. */
		if (!(st->st_retention_truncate && i == 3))
			changed += sqlite3_changes(st->st_db);
	}
	if (sqlite3_exec(st->st_db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto rollback;
	return changed;
rollback:
	sqlite3_exec(st->st_db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Applies retention in chunks so that commits of new events are not held up
 * for long; stops early when events wait. 1 if rows remain to be done. */
static int retention(store_s *st)
{
	int64_t cut = clock_wall_ms() - (int64_t)st->st_retention_days * 86400000;
	int n;

	while ((n = retention_chunk(st, cut)) > 0) {
		int busy;
		pthread_mutex_lock(&st->st_lock);
		st->st_stats.ss_retained += (uint64_t)n;
		busy = st->st_queued > 0 || st->st_stopping;
		pthread_mutex_unlock(&st->st_lock);
		if (busy)
			return 1;
	}
	/* Everything before the cut is done: later rounds start there. */
	if (n == 0)
		st->st_truncated_until = cut;
	return n != 0;
}

static void free_list(event_s *list)
{
	while (list != NULL) {
		event_s *next = list->ev_next;
		event_free(list);
		list = next;
	}
}

static void *store_run(void *arg)
{
	store_s *st = arg;
	event_s *pending = NULL;  /* a batch that failed to commit, retried first */
	size_t pending_n = 0;
	int64_t last_checkpoint = clock_mono_ms();

	for (;;) {
		event_s *batch, **tailp;
		agg_s *aggs;
		size_t n = 0;
		int stopping, failed = 0;

		pthread_mutex_lock(&st->st_lock);
		/* A backlog of a full batch or more is written at once: waiting
		 * 250 ms per batch would cap the writer at 20,000 events/s. */
		if (!st->st_stopping && !st->st_urgent && (pending != NULL || st->st_queued < STORE_BATCH_MAX))
			thread_cond_wait_ms(&st->st_cond, &st->st_lock, pending != NULL ? STORE_RETRY_MS : STORE_FLUSH_MS);
		st->st_urgent = 0;
		stopping = st->st_stopping;
		/* Take up to STORE_BATCH_MAX events, appended behind a pending batch. */
		batch = pending;
		n = pending_n;
		tailp = &batch;
		while (*tailp != NULL)
			tailp = &(*tailp)->ev_next;
		while (st->st_head != NULL && n < STORE_BATCH_MAX) {
			event_s *ev = st->st_head;
			st->st_head = ev->ev_next;
			ev->ev_next = NULL;
			*tailp = ev;
			tailp = &ev->ev_next;
			n++;
			st->st_queued--;
		}
		if (st->st_head == NULL)
			st->st_tail = NULL;
		aggs = agg_take(st);
		pthread_mutex_unlock(&st->st_lock);
		pending = NULL;
		pending_n = 0;
		if (batch != NULL || aggs != NULL || counters_changed(st)) {
			if (write_batch(st, batch, n, aggs) == 0) {
				free_list(batch);
			} else if (stopping) {
				/* Shutting down with a failing database: the JSON log has them. */
				free_list(batch);
				failed = 1;
			} else {
				pending = batch;
				pending_n = n;
				failed = 1;
			}
		}
		if (failed && !stopping) {
			/* Counts are kept for the retry: merged back in. */
			pthread_mutex_lock(&st->st_lock);
			for (agg_s *a = aggs; a != NULL; a = a->ag_next)
				agg_add(st, a->ag_hour, a->ag_kind, a->ag_net, a->ag_count);
			pthread_mutex_unlock(&st->st_lock);
		}
		agg_free(aggs);
		if (!failed && st->st_retention_days > 0 &&
		    (st->st_last_retention == 0 || clock_mono_ms() - st->st_last_retention >= STORE_RETENTION_MS)) {
			/* Unfinished work comes back in a minute, not an hour. */
			int more = retention(st);
			st->st_last_retention = clock_mono_ms() - (more ? STORE_RETENTION_MS - 60000 : 0);
		}
		if (clock_mono_ms() - last_checkpoint >= STORE_CHECKPOINT_MS) {
			/* PASSIVE never blocks readers; journal_size_limit trims the file. */
			sqlite3_wal_checkpoint_v2(st->st_db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
			last_checkpoint = clock_mono_ms();
		}
		pthread_mutex_lock(&st->st_lock);
		int done = stopping && st->st_head == NULL && pending == NULL;
		pthread_mutex_unlock(&st->st_lock);
		if (done)
			break;
	}
	return NULL;
}

int store_start(store_s *st, char *err, size_t errlen)
{
	if (thread_start(&st->st_thread, "camdecoy-store", store_run, st, err, errlen) != 0)
		return -1;
	st->st_started = 1;
	return 0;
}

void store_stop(store_s *st)
{
	if (st == NULL || !st->st_started)
		return;
	pthread_mutex_lock(&st->st_lock);
	st->st_stopping = 1;
	pthread_cond_signal(&st->st_cond);
	pthread_mutex_unlock(&st->st_lock);
	pthread_join(st->st_thread, NULL);
	st->st_started = 0;
	sqlite3_wal_checkpoint_v2(st->st_db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
}

void store_free(store_s *st)
{
	if (st == NULL)
		return;
	store_stop(st);
	free_list(st->st_head);
	sqlite3_finalize(st->st_ins_request);
	sqlite3_finalize(st->st_ins_view);
	sqlite3_finalize(st->st_upd_progress);
	sqlite3_finalize(st->st_upd_close);
	sqlite3_finalize(st->st_set_counter);
	sqlite3_finalize(st->st_ins_login);
	sqlite3_finalize(st->st_add_agg);
	agg_free(st->st_agg_list);
	htab_destroy(&st->st_agg);
	sqlite3_close(st->st_db);
	if (st->st_log_owned)
		fclose(st->st_log);
	else if (st->st_log != NULL)
		fflush(st->st_log);
	pthread_cond_destroy(&st->st_cond);
	pthread_mutex_destroy(&st->st_lock);
	pthread_mutex_destroy(&st->st_counters_lock);
	free(st->st_db_path);
	free(st->st_log_path);
	free(st->st_sensor);
	free(st->st_persona);
	free(st->st_version);
	free(st->st_geoip_type);
	free(st->st_json);
	free(st);
}

int store_submit(store_s *st, event_s *ev)
{
	int rc = 0;

	if (ev == NULL) {
		pthread_mutex_lock(&st->st_lock);
		st->st_stats.ss_dropped++;
		pthread_mutex_unlock(&st->st_lock);
		return -1;
	}
	ev->ev_next = NULL;
	pthread_mutex_lock(&st->st_lock);
	st->st_stats.ss_submitted++;
	if (st->st_queued >= st->st_queue_max || st->st_stopping) {
		st->st_stats.ss_dropped++;
		rc = -1;
	} else {
		if (st->st_tail != NULL)
			st->st_tail->ev_next = ev;
		else
			st->st_head = ev;
		st->st_tail = ev;
		st->st_queued++;
		if (ev->ev_kind == EV_CREDENTIAL_USE) {
			/* A credential use is written at once, not after 250 ms. */
			st->st_urgent = 1;
			pthread_cond_signal(&st->st_cond);
		}
	}
	pthread_mutex_unlock(&st->st_lock);
	if (rc != 0)
		event_free(ev);
	return rc;
}

int store_each_credential(store_s *st, void (*fn)(void *arg, const store_cred_s *c), void *arg)
{
	sqlite3_stmt *q;
	int rc;

	/* Only the writer uses the handle once started: read before store_start. */
	if (st->st_started)
		return -1;
	if (sqlite3_prepare_v2(st->st_db,
	                       "SELECT id, trap_username, trap_password, started_at, src_ip,"
	                       " COALESCE(country, ''), referer_class FROM views"
	                       " WHERE trap_password IS NOT NULL ORDER BY id",
	                       -1, &q, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		store_cred_s c = {
			.sc_view_id = sqlite3_column_int64(q, 0),
			.sc_user = (const char *)sqlite3_column_text(q, 1),
			.sc_pass = (const char *)sqlite3_column_text(q, 2),
			.sc_shown_at = sqlite3_column_int64(q, 3),
			.sc_ip = (const char *)sqlite3_column_text(q, 4),
			.sc_country = (const char *)sqlite3_column_text(q, 5),
			.sc_referer_class = (const char *)sqlite3_column_text(q, 6),
		};
		if (c.sc_user != NULL && c.sc_pass != NULL && c.sc_ip != NULL)
			fn(arg, &c);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

void store_set_counters(store_s *st, store_counters_fn fn, void *arg)
{
	pthread_mutex_lock(&st->st_counters_lock);
	st->st_counters = fn;
	st->st_counters_arg = arg;
	pthread_mutex_unlock(&st->st_counters_lock);
}

void store_freeze_counters(store_s *st)
{
	pthread_mutex_lock(&st->st_counters_lock);
	if (st->st_counters != NULL)
		st->st_nfrozen = st->st_counters(st->st_counters_arg, st->st_frozen, STORE_COUNTERS_MAX - 8);
	st->st_counters = NULL;
	pthread_mutex_unlock(&st->st_counters_lock);
}

int64_t store_next_view_id(store_s *st)
{
	return atomic_fetch_add(&st->st_next_view, 1);
}

void store_stats(store_s *st, store_stats_s *out)
{
	pthread_mutex_lock(&st->st_lock);
	*out = st->st_stats;
	pthread_mutex_unlock(&st->st_lock);
}

/* sqlsink: WAL database, numbered migrations, and rows bound by parameter name.
 *
 * Every statement names its parameters after the columns they fill (":ts",
 * ":src_ip"); the names are resolved to positions once, at prepare, so the
 * code that fills a row says which column each value goes to and a statement
 * can never be bound one position off. */
#include "sqlsink.h"

#include "retention.h"
#include "migrate.h"
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Every parameter of every statement: enum name, column name. */
/* clang-format off */
#define SQLSINK_PARAMS(X) \
	X(ID, id) \
	X(TS, ts) \
	X(SENSOR, sensor) \
	X(PERSONA, persona) \
	X(SRC_IP, src_ip) \
	X(SRC_PORT, src_port) \
	X(PEER_IP, peer_ip) \
	X(COUNTRY, country) \
	X(METHOD, method) \
	X(PATH, path) \
	X(PATH_LEN, path_len) \
	X(QUERY, query) \
	X(QUERY_LEN, query_len) \
	X(USER_AGENT, user_agent) \
	X(USER_AGENT_LEN, user_agent_len) \
	X(REFERER, referer) \
	X(REFERER_LEN, referer_len) \
	X(FORWARDED_FOR, forwarded_for) \
	X(FORWARDED_FOR_LEN, forwarded_for_len) \
	X(REFERER_CLASS, referer_class) \
	X(CLIENT_CLASS, client_class) \
	X(ROUTE, route) \
	X(STATUS, status) \
	X(BYTES, bytes) \
	X(VIEW_ID, view_id) \
	X(KIND, kind) \
	X(STARTED_AT, started_at) \
	X(LAST_FRAME_AT, last_frame_at) \
	X(ENDED_AT, ended_at) \
	X(DURATION_MS, duration_ms) \
	X(FRAMES, frames) \
	X(END_REASON, end_reason) \
	X(PROBE, probe) \
	X(TRAP_USERNAME, trap_username) \
	X(TRAP_PASSWORD, trap_password) \
	X(CHANNEL, channel) \
	X(USERNAME, username) \
	X(USERNAME_LEN, username_len) \
	X(PASSWORD, password) \
	X(PASSWORD_LEN, password_len) \
	X(MATCHED_VIEW, matched_view) \
	X(MATCH_KIND, match_kind) \
	X(VIEW_SRC_IP, view_src_ip) \
	X(VIEW_COUNTRY, view_country) \
	X(VIEW_REFERER_CLASS, view_referer_class) \
	X(SHOWN_AT, shown_at) \
	X(LAG_MS, lag_ms) \
	X(MOVED_IP, moved_ip) \
	X(MOVED_COUNTRY, moved_country) \
	X(HOUR, hour) \
	X(NETWORK, network) \
	X(COUNT, count) \
	X(NAME, name) \
	X(VALUE, value) \
	X(FORWARDED_STATUS, forwarded_status) \
	X(TRAP_SEQ, trap_seq) \
	X(SEQ, seq) \
	X(ASN, asn) \
	X(AS_ORG, as_org) \
	X(RULE, rule) \
	X(REFUSED, refused) \
	X(CVE, cve) \
	X(FAMILY, family) \
	X(ANSWERED, answered) \
	X(PAYLOAD, payload) \
	X(PAYLOAD_LEN, payload_len) \
	X(PAYLOAD_TRUNCATED, payload_truncated) \
	X(IOC_URLS, ioc_urls) \
	X(IOC_IPS, ioc_ips) \
	X(IOC_HOSTS, ioc_hosts) \
	X(IOC_FETCH, ioc_fetch) \
	X(MATCHED_SEQ, matched_seq)
/* clang-format on */

#define AS_ENUM(e, col) P_##e,
#define AS_NAME(e, col) ":" #col,
typedef enum { SQLSINK_PARAMS(AS_ENUM) P_MAX } param_e;
static const char *const param_names[P_MAX] = {SQLSINK_PARAMS(AS_NAME)};

typedef struct {
	sqlite3_stmt *ps_q;
	int ps_ix[P_MAX]; /* position of each parameter, 0: not in this statement */
} pstmt_s;

enum {
	S_REQUEST,
	S_VIEW,
	S_LOGIN,
	S_PROGRESS,
	S_CLOSE,
	S_AGGREGATE,
	S_COUNTER,
	S_VIEW_EXISTS,
	S_CREDENTIAL,
	S_PAGES,
	S_AGG_ADD,
	S_EXPLOIT,
	S_MAX
};

struct sqlsink {
	sqlite3 *sk_db;
	char *sk_sensor, *sk_persona;
	pstmt_s sk_stmt[S_MAX];
	uint64_t sk_recovered;
	int64_t sk_max_view;
	int64_t sk_next_request, sk_next_login; /* ids handed out here: never twice (retention.c) */
	int sk_was_running; /* meta said "running" at open: the last writer did not stop cleanly */
	int64_t sk_page_size;
	int64_t sk_limit_pages; /* max_page_count; 0: no cap */
	char *sk_wal_path;      /* NULL: no cap (the WAL is not measured) */
	int sk_err;             /* the last failure's code (begin, a row, commit) */
};

/* A probe, not a viewer: at most one frame, or a client that looked at a
 * few frames and left within a second (Motion's netcam, 4.5.1 measured: 5
 * frames in 400 ms before it opens the stream it keeps). */
#define SQLSINK_PROBE(frames, dur) "(" frames " <= 1 OR (" frames " <= 5 AND " dur " < 1000))"

/* An INSERT whose VALUES are the columns' own names as parameters. */
static const struct {
	const char *st_table, *st_cols, *st_verb, *st_tail;
} inserts[] = {
    [S_REQUEST] =
        {"requests",
         "id, ts, sensor, src_ip, src_port, peer_ip, country, method, path, path_len, query, "
         "query_len,"
         " user_agent, user_agent_len, referer, referer_len, referer_class, persona, route, status,"
         " bytes, client_class, view_id, forwarded_for, forwarded_for_len, forwarded_status, asn, "
         "as_org, refused",
         "INSERT", ""},
    /* Poll views are written whole on every snapshot: open = upsert. An
     * upsert that updates fires the update triggers only (REPLACE fired the
     * insert trigger every time and no delete trigger: poll views were
     * counted once per batch in view_hours). */
    [S_VIEW] =
        {"views",
         "id, sensor, kind, src_ip, country, user_agent, user_agent_len, referer, referer_len,"
         " referer_class, client_class, persona, path, started_at, last_frame_at, ended_at, "
         "duration_ms,"
         " frames, bytes, end_reason, probe, trap_username, trap_password, trap_seq, asn, as_org",
         "INSERT",
         " ON CONFLICT(id) DO UPDATE SET last_frame_at = excluded.last_frame_at, ended_at = "
         "excluded.ended_at,"
         " duration_ms = excluded.duration_ms, frames = excluded.frames, bytes = excluded.bytes,"
         " end_reason = excluded.end_reason, probe = excluded.probe"},
    [S_LOGIN] =
        {"logins",
         "id, ts, sensor, channel, src_ip, src_port, country, user_agent, user_agent_len, username,"
         " username_len, password, password_len, persona, path, matched_view, match_kind, "
         "view_src_ip,"
         " view_country, view_referer_class, shown_at, lag_ms, moved_ip, moved_country, asn, "
         "as_org, matched_seq",
         "INSERT", ""},
    [S_AGGREGATE] = {"aggregated", "hour, sensor, persona, network, kind, count", "INSERT",
                     " ON CONFLICT DO UPDATE SET count = count + excluded.count"},
    [S_COUNTER] = {"counters", "name, value", "INSERT",
                   " ON CONFLICT(name) DO UPDATE SET value = excluded.value"},
    /* Once per credential: a poll view's later snapshots change nothing. A
     * password already held under another number is refused the same way
     * (it cannot happen: `check` would name it). */
    /* ids are SQLite's: nothing else refers to an attempt yet */
    [S_EXPLOIT] = {"exploits",
                   "ts, sensor, persona, src_ip, src_port, country, asn, as_org, rule, cve, family,"
                   " answered, status, method, path, path_len, query, query_len, user_agent,"
                   " user_agent_len, payload, payload_len, payload_truncated, ioc_urls, ioc_ips,"
                   " ioc_hosts, ioc_fetch, trap_seq, trap_username, trap_password",
                   "INSERT", ""},
    [S_CREDENTIAL] = {"credentials", "seq, username, password, view_id, shown_at", "INSERT",
                      " ON CONFLICT DO NOTHING"},
};

static const char *const updates[S_MAX] = {
    [S_VIEW_EXISTS] = "SELECT 1 FROM views WHERE id = :id",
    [S_PAGES] = "PRAGMA page_count",
    /* a count added to a row that exists: no new row, no new page (nearly) */
    [S_AGG_ADD] = "UPDATE aggregated SET count = count + :count WHERE hour = :hour AND sensor ="
                  " :sensor AND persona = :persona AND network = :network AND kind = :kind",
    [S_PROGRESS] = "UPDATE views SET last_frame_at = :last_frame_at, frames = :frames, bytes = "
                   ":bytes WHERE id = :id",
    [S_CLOSE] =
        "UPDATE views SET last_frame_at = :last_frame_at, frames = :frames, bytes = :bytes,"
        " ended_at = :ended_at, duration_ms = :ended_at - started_at, end_reason = :end_reason,"
        " probe = " SQLSINK_PROBE(":frames", ":ended_at - started_at") " WHERE id = :id",
};

int sqlsink_schema_version(void)
{
	return (int)schema_count;
}

static int prepare_one(sqlsink_s *s, pstmt_s *ps, const char *sql, char *err, size_t errlen)
{
	if (sqlite3_prepare_v3(s->sk_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &ps->ps_q, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "database: %s", sqlite3_errmsg(s->sk_db));
		return -1;
	}
	for (int p = 0; p < P_MAX; p++)
		ps->ps_ix[p] = sqlite3_bind_parameter_index(ps->ps_q, param_names[p]);
	return 0;
}

static int prepare(sqlsink_s *s, char *err, size_t errlen)
{
	char sql[2048];

	for (int i = 0; i < S_MAX; i++) {
		if (updates[i] != NULL) {
			if (prepare_one(s, &s->sk_stmt[i], updates[i], err, errlen) != 0)
				return -1;
			continue;
		}
		/* "a, b" -> "(a, b) VALUES (:a, :b)" */
		size_t n = (size_t)snprintf(sql, sizeof(sql),
		                            "%s INTO %s (%s) VALUES (:", inserts[i].st_verb,
		                            inserts[i].st_table, inserts[i].st_cols);
		for (const char *c = inserts[i].st_cols; *c && n + 3 < sizeof(sql); c++) {
			sql[n++] = *c;
			if (*c == ',' && c[1] == ' ') {
				sql[n++] = ' ';
				sql[n++] = ':';
				c++;
			}
		}
		snprintf(sql + n, sizeof(sql) - n, ")%s", inserts[i].st_tail);
		if (prepare_one(s, &s->sk_stmt[i], sql, err, errlen) != 0)
			return -1;
	}
	return 0;
}

static int set_meta(sqlsink_s *s, const char *key, const char *value)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(s->sk_db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
	                       -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	if (value != NULL)
		sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* db-max-mb covers the database file and its WAL: the file may hold
 * 7/8 of the cap (max_page_count: a write past it fails with SQLITE_FULL),
 * the WAL the last 1/8 (checkpointed once it holds half of that, and
 * truncated back to that 1/8 after a checkpoint: journal_size_limit; both
 * at most SQLite's defaults, 1,000 pages and the 64 MiB set above). */
static int cap_pragmas(sqlsink_s *s, const sqlsink_conf_s *conf, char *err, size_t errlen)
{
	int64_t cap = (int64_t)conf->so_max_mb * 1048576, wal = cap / 8;
	int64_t frames = wal / 2 / (s->sk_page_size + 24);
	char sql[160];

	s->sk_limit_pages = (cap - wal) / s->sk_page_size;
	if ((s->sk_wal_path = malloc(strlen(conf->so_path) + 5)) == NULL) {
		snprintf(err, errlen, "store: out of memory");
		return -1;
	}
	sprintf(s->sk_wal_path, "%s-wal", conf->so_path);
	snprintf(sql, sizeof(sql),
	         "PRAGMA max_page_count = %lld; PRAGMA journal_size_limit = %lld;"
	         " PRAGMA wal_autocheckpoint = %lld;",
	         (long long)s->sk_limit_pages, (long long)(wal < 67108864 ? wal : 67108864),
	         (long long)(frames < 1000 ? frames : 1000)); /* never above the defaults */
	return migrate_exec(s->sk_db, sql, err, errlen);
}

sqlsink_s *sqlsink_open(const sqlsink_conf_s *conf, char *err, size_t errlen)
{
	sqlsink_s *s = calloc(1, sizeof(*s));
	char num[32], build[32], asn_build[32];

	if (s == NULL || (s->sk_sensor = strdup(conf->so_sensor)) == NULL ||
	    (s->sk_persona = strdup(conf->so_persona)) == NULL) {
		snprintf(err, errlen, "store: out of memory");
		goto fail;
	}
	if (sqlite3_open_v2(conf->so_path, &s->sk_db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "database: cannot open %s: %s", conf->so_path,
		         s->sk_db != NULL ? sqlite3_errmsg(s->sk_db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(s->sk_db, 5000);
	if (migrate_inspect(s->sk_db, conf->so_path, err, errlen) != 0)
		goto fail;
	if (retention_register(s->sk_db) != 0) {
		snprintf(err, errlen, "database: %s", sqlite3_errmsg(s->sk_db));
		goto fail;
	}
	/* WAL + NORMAL: commits survive a crash of this process (a power loss may
	 * roll back the last ones); temp files in memory so a full /tmp cannot
	 * fail a write; the WAL is truncated back after checkpoints. */
	if (migrate_exec(s->sk_db,
	                 "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
	                 " PRAGMA temp_store = MEMORY; PRAGMA journal_size_limit = 67108864;"
	                 " PRAGMA foreign_keys = ON;",
	                 err, errlen) != 0)
		goto fail;
	s->sk_page_size = migrate_int(s->sk_db, "PRAGMA page_size", 4096);
	if (s->sk_page_size <= 0)
		s->sk_page_size = 4096;
	if (conf->so_max_mb > 0 && cap_pragmas(s, conf, err, errlen) != 0)
		goto fail;
	if (migrate_apply(s->sk_db, err, errlen) != 0)
		goto fail;
	s->sk_was_running =
	    migrate_int(s->sk_db,
	                "SELECT COUNT(*) FROM meta WHERE key = 'state' AND value = 'running'",
	                0) > 0;
	/* Views left open by a crash end at their last recorded frame. */
	if (migrate_exec(
	        s->sk_db,
	        "UPDATE views SET ended_at = COALESCE(last_frame_at, started_at),"
	        " duration_ms = COALESCE(last_frame_at, started_at) - started_at,"
	        " end_reason = 'crash', probe = " SQLSINK_PROBE(
	            "frames",
	            "COALESCE(last_frame_at, started_at) - started_at") " WHERE ended_at IS NULL;",
	        err, errlen) != 0)
		goto fail;
	s->sk_recovered = (uint64_t)sqlite3_changes(s->sk_db);
	if (prepare(s, err, errlen) != 0)
		goto fail;
	snprintf(num, sizeof(num), "%d", sqlsink_schema_version());
	snprintf(build, sizeof(build), "%lld", conf->so_geoip_build);
	snprintf(asn_build, sizeof(asn_build), "%lld", conf->so_geoip_asn_build);
	if (set_meta(s, "sensor", conf->so_sensor) != 0 ||
	    set_meta(s, "software_version", conf->so_version) != 0 ||
	    set_meta(s, "schema_version", num) != 0 ||
	    set_meta(s, "persona", conf->so_persona) != 0 ||
	    set_meta(s, "geoip_type", conf->so_geoip_type) != 0 ||
	    set_meta(s, "geoip_build_epoch", conf->so_geoip_type != NULL ? build : NULL) != 0 ||
	    set_meta(s, "geoip_asn_type", conf->so_geoip_asn_type) != 0 ||
	    set_meta(s, "geoip_asn_build_epoch",
	             conf->so_geoip_asn_type != NULL ? asn_build : NULL) != 0 ||
	    set_meta(s, "state", "running") != 0) {
		snprintf(err, errlen, "database: cannot write meta: %s", sqlite3_errmsg(s->sk_db));
		goto fail;
	}
	/* Above every id handed out before, also those retention deleted since. */
#define ID_FLOOR(t)                                                                                \
	"SELECT MAX(IFNULL((SELECT MAX(id) FROM " t                                                \
	"), 0), IFNULL((SELECT CAST(value AS INTEGER) "                                            \
	"FROM meta WHERE key = 'id_floor_" t "'), 0))"
	s->sk_max_view = migrate_int(s->sk_db, ID_FLOOR("views"), -1);
	s->sk_next_request = migrate_int(s->sk_db, ID_FLOOR("requests"), -2) + 1;
	s->sk_next_login = migrate_int(s->sk_db, ID_FLOOR("logins"), -2) + 1;
#undef ID_FLOOR
	if (s->sk_max_view < 0 || s->sk_next_request < 0 || s->sk_next_login < 0) {
		snprintf(err, errlen, "database: %s", sqlite3_errmsg(s->sk_db));
		goto fail;
	}
	return s;
fail:
	sqlsink_close(s);
	return NULL;
}

void sqlsink_close(sqlsink_s *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < S_MAX; i++)
		sqlite3_finalize(s->sk_stmt[i].ps_q);
	sqlite3_close(s->sk_db);
	free(s->sk_sensor);
	free(s->sk_persona);
	free(s->sk_wal_path);
	free(s);
}

int sqlsink_each_counter(sqlsink_s *s, void (*fn)(void *arg, const char *name, uint64_t value),
                         void *arg)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(s->sk_db, "SELECT name, value FROM counters", -1, &q, NULL) !=
	    SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (sqlite3_column_text(q, 0) != NULL && sqlite3_column_int64(q, 1) >= 0)
			fn(arg, (const char *)sqlite3_column_text(q, 0),
			   (uint64_t)sqlite3_column_int64(q, 1));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

int sqlsink_state(sqlsink_s *s, const char *state)
{
	return set_meta(s, "state", state);
}

int sqlsink_was_running(const sqlsink_s *s)
{
	return s->sk_was_running;
}

sqlite3 *sqlsink_db(sqlsink_s *s)
{
	return s->sk_db;
}

uint64_t sqlsink_recovered(const sqlsink_s *s)
{
	return s->sk_recovered;
}

int64_t sqlsink_max_view_id(const sqlsink_s *s)
{
	return s->sk_max_view;
}

int64_t sqlsink_bytes(sqlsink_s *s)
{
	sqlite3_stmt *q = s->sk_stmt[S_PAGES].ps_q;
	int64_t pages = 0;

	if (q == NULL)
		return 0;
	if (sqlite3_step(q) == SQLITE_ROW)
		pages = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return pages * s->sk_page_size;
}

int64_t sqlsink_limit_bytes(const sqlsink_s *s)
{
	return s->sk_limit_pages * s->sk_page_size;
}

int64_t sqlsink_wal_bytes(const sqlsink_s *s)
{
	struct stat sb;

	return s->sk_wal_path != NULL && stat(s->sk_wal_path, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

int sqlsink_space_failure(sqlsink_s *s)
{
	switch (s->sk_err & 0xff) {
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_NOMEM:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PROTOCOL:
		return 1;
	default:
		return 0;
	}
}

int64_t sqlsink_page_size(const sqlsink_s *s)
{
	return s->sk_page_size;
}

int sqlsink_at_cap(sqlsink_s *s)
{
	return (s->sk_err & 0xff) == SQLITE_FULL && s->sk_limit_pages > 0 &&
	       sqlite3_get_autocommit(s->sk_db) == 0 &&
	       sqlsink_bytes(s) >= (s->sk_limit_pages - 4) * s->sk_page_size;
}

static void bind_int(pstmt_s *ps, param_e p, int64_t v);

int sqlsink_view_exists(sqlsink_s *s, int64_t id)
{
	pstmt_s *ps = &s->sk_stmt[S_VIEW_EXISTS];
	int found;

	bind_int(ps, P_ID, id);
	found = sqlite3_step(ps->ps_q) == SQLITE_ROW;
	sqlite3_reset(ps->ps_q);
	return found;
}

/* A statement of the transaction's own; its failure code is kept. */
static int exec_tx(sqlsink_s *s, const char *sql)
{
	int rc = sqlite3_exec(s->sk_db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		s->sk_err = rc;
	return rc == SQLITE_OK ? 0 : -1;
}

int sqlsink_begin(sqlsink_s *s)
{
	s->sk_err = SQLITE_OK;
	return exec_tx(s, "BEGIN IMMEDIATE");
}

int sqlsink_commit(sqlsink_s *s)
{
	return exec_tx(s, "COMMIT");
}

int sqlsink_savepoint(sqlsink_s *s)
{
	return exec_tx(s, "SAVEPOINT row");
}

int sqlsink_release(sqlsink_s *s, int undo)
{
	if (undo && exec_tx(s, "ROLLBACK TO row") != 0)
		return -1;
	return exec_tx(s, "RELEASE row");
}

void sqlsink_rollback(sqlsink_s *s)
{
	sqlite3_exec(s->sk_db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- binding by name ---- */

static void bind_int(pstmt_s *ps, param_e p, int64_t v)
{
	if (ps->ps_ix[p] > 0)
		sqlite3_bind_int64(ps->ps_q, ps->ps_ix[p], v);
}

/* Bytes of attacker text, as received (NULL: SQL NULL). */
static void bind_bytes(pstmt_s *ps, param_e p, const char *s, size_t len)
{
	if (ps->ps_ix[p] <= 0)
		return;
	if (s != NULL)
		sqlite3_bind_text(ps->ps_q, ps->ps_ix[p], s, (int)len, SQLITE_STATIC);
	else
		sqlite3_bind_null(ps->ps_q, ps->ps_ix[p]);
}

/* A C string of ours; "" and NULL are SQL NULL. */
static void bind_opt(pstmt_s *ps, param_e p, const char *s)
{
	bind_bytes(ps, p, s != NULL && s[0] != '\0' ? s : NULL, s != NULL ? strlen(s) : 0);
}

/* A C string that is never NULL in the schema. */
static void bind_str(pstmt_s *ps, param_e p, const char *s)
{
	bind_bytes(ps, p, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

/* An attacker string and its original length. */
static void bind_field(pstmt_s *ps, param_e p, param_e p_len, const event_s *ev, event_str_e which)
{
	bind_bytes(ps, p, ev->ev_str[which], ev->ev_len[which]);
	if (ev->ev_str[which] != NULL)
		bind_int(ps, p_len, (int64_t)ev->ev_orig_len[which]);
	/* else unbound: NULL (bindings are cleared after every step) */
}

/* What every row says of its client and where it was recorded. */
static void bind_client(sqlsink_s *s, pstmt_s *ps, const event_s *ev)
{
	bind_str(ps, P_SENSOR, s->sk_sensor);
	bind_str(ps, P_PERSONA, s->sk_persona);
	bind_str(ps, P_SRC_IP, ev->ev_ip);
	bind_opt(ps, P_COUNTRY, ev->ev_country);
	if (ev->ev_asn != 0)
		bind_int(ps, P_ASN, ev->ev_asn);
	bind_opt(ps, P_AS_ORG, ev->ev_as_org);
	bind_field(ps, P_USER_AGENT, P_USER_AGENT_LEN, ev, EVS_USER_AGENT);
}

static int step(sqlsink_s *s, pstmt_s *ps)
{
	int rc = sqlite3_step(ps->ps_q);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		s->sk_err = rc; /* before reset: the code of this failure */

	sqlite3_reset(ps->ps_q);
	sqlite3_clear_bindings(ps->ps_q);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void bind_request(sqlsink_s *s, pstmt_s *ps, const event_s *ev)
{
	bind_client(s, ps, ev);
	bind_int(ps, P_TS, ev->ev_ts);
	bind_int(ps, P_SRC_PORT, ev->ev_port);
	bind_opt(ps, P_PEER_IP, ev->ev_peer_ip);
	bind_bytes(ps, P_METHOD, ev->ev_str[EVS_METHOD], ev->ev_len[EVS_METHOD]);
	bind_field(ps, P_PATH, P_PATH_LEN, ev, EVS_PATH);
	bind_field(ps, P_QUERY, P_QUERY_LEN, ev, EVS_QUERY);
	bind_field(ps, P_REFERER, P_REFERER_LEN, ev, EVS_REFERER);
	bind_field(ps, P_FORWARDED_FOR, P_FORWARDED_FOR_LEN, ev, EVS_FORWARDED);
	bind_opt(ps, P_FORWARDED_STATUS, ev->ev_forwarded);
	bind_str(ps, P_REFERER_CLASS, ev->ev_referer_class);
	bind_str(ps, P_CLIENT_CLASS, ev->ev_client_class);
	bind_opt(ps, P_ROUTE, ev->ev_route);
	bind_opt(ps, P_REFUSED, ev->ev_refused);
	bind_int(ps, P_STATUS, ev->ev_status);
	bind_int(ps, P_BYTES, (int64_t)ev->ev_bytes);
	if (ev->ev_view_id)
		bind_int(ps, P_VIEW_ID, ev->ev_view_id);
}

static void bind_view(sqlsink_s *s, pstmt_s *ps, const event_s *ev)
{
	int64_t end = ev->ev_ended_at;

	bind_client(s, ps, ev);
	bind_int(ps, P_ID, ev->ev_view_id);
	bind_str(ps, P_KIND, event_view_kind_name(ev->ev_view_kind));
	bind_field(ps, P_REFERER, P_REFERER_LEN, ev, EVS_REFERER);
	bind_str(ps, P_REFERER_CLASS, ev->ev_referer_class);
	bind_str(ps, P_CLIENT_CLASS, ev->ev_client_class);
	bind_bytes(ps, P_PATH, ev->ev_str[EVS_PATH], ev->ev_len[EVS_PATH]);
	bind_int(ps, P_STARTED_AT, ev->ev_started_at);
	bind_int(ps, P_LAST_FRAME_AT,
	         ev->ev_last_frame_at ? ev->ev_last_frame_at : ev->ev_started_at);
	if (end) {
		bind_int(ps, P_ENDED_AT, end);
		bind_int(ps, P_DURATION_MS, end - ev->ev_started_at);
	}
	bind_int(ps, P_FRAMES, (int64_t)ev->ev_frames);
	bind_int(ps, P_BYTES, (int64_t)ev->ev_bytes);
	bind_opt(ps, P_END_REASON, ev->ev_end_reason);
	bind_int(ps, P_PROBE, end && ev->ev_frames <= 1);
	bind_opt(ps, P_TRAP_USERNAME, ev->ev_trap_user);
	bind_opt(ps, P_TRAP_PASSWORD, ev->ev_trap_pass);
	if (ev->ev_trap_seq != 0)
		bind_int(ps, P_TRAP_SEQ, (int64_t)ev->ev_trap_seq);
}

static void bind_login(sqlsink_s *s, pstmt_s *ps, const event_s *ev)
{
	bind_client(s, ps, ev);
	bind_int(ps, P_TS, ev->ev_ts);
	bind_str(ps, P_CHANNEL, ev->ev_channel);
	if (ev->ev_port)
		bind_int(ps, P_SRC_PORT, ev->ev_port);
	bind_field(ps, P_USERNAME, P_USERNAME_LEN, ev, EVS_USERNAME);
	bind_field(ps, P_PASSWORD, P_PASSWORD_LEN, ev, EVS_PASSWORD);
	bind_bytes(ps, P_PATH, ev->ev_str[EVS_PATH], ev->ev_len[EVS_PATH]);
	bind_str(ps, P_MATCH_KIND, ev->ev_match_kind);
	/* a view's credential, or a leaked one (matched_seq names the leak) */
	if (ev->ev_trap_seq != 0)
		bind_int(ps, P_MATCHED_SEQ, (int64_t)ev->ev_trap_seq);
	if (ev->ev_matched_view || ev->ev_trap_seq != 0) {
		if (ev->ev_matched_view)
			bind_int(ps, P_MATCHED_VIEW, ev->ev_matched_view);
		bind_str(ps, P_VIEW_SRC_IP, ev->ev_view_ip);
		bind_opt(ps, P_VIEW_COUNTRY, ev->ev_view_country);
		bind_opt(ps, P_VIEW_REFERER_CLASS, ev->ev_view_referer_class);
		bind_int(ps, P_SHOWN_AT, ev->ev_shown_at);
		bind_int(ps, P_LAG_MS, ev->ev_ts - ev->ev_shown_at);
		bind_int(ps, P_MOVED_IP, ev->ev_moved_ip);
		bind_int(ps, P_MOVED_COUNTRY, ev->ev_moved_country);
	}
}

static void bind_exploit(sqlsink_s *s, pstmt_s *ps, const event_s *ev)
{
	bind_client(s, ps, ev);
	bind_int(ps, P_TS, ev->ev_ts);
	if (ev->ev_port)
		bind_int(ps, P_SRC_PORT, ev->ev_port);
	bind_str(ps, P_RULE, ev->ev_exploit_id);
	bind_opt(ps, P_CVE, ev->ev_cve);
	bind_str(ps, P_FAMILY, ev->ev_family);
	bind_int(ps, P_ANSWERED, ev->ev_answered);
	bind_int(ps, P_STATUS, ev->ev_status);
	bind_bytes(ps, P_METHOD, ev->ev_str[EVS_METHOD], ev->ev_len[EVS_METHOD]);
	bind_field(ps, P_PATH, P_PATH_LEN, ev, EVS_PATH);
	bind_field(ps, P_QUERY, P_QUERY_LEN, ev, EVS_QUERY);
	bind_bytes(ps, P_PAYLOAD, ev->ev_str[EVS_PAYLOAD], ev->ev_len[EVS_PAYLOAD]);
	bind_int(ps, P_PAYLOAD_LEN, (int64_t)ev->ev_orig_len[EVS_PAYLOAD]);
	bind_int(ps, P_PAYLOAD_TRUNCATED, ev->ev_orig_len[EVS_PAYLOAD] > ev->ev_len[EVS_PAYLOAD]);
	bind_bytes(ps, P_IOC_URLS, ev->ev_str[EVS_IOC_URLS], ev->ev_len[EVS_IOC_URLS]);
	bind_bytes(ps, P_IOC_IPS, ev->ev_str[EVS_IOC_IPS], ev->ev_len[EVS_IOC_IPS]);
	bind_bytes(ps, P_IOC_HOSTS, ev->ev_str[EVS_IOC_HOSTS], ev->ev_len[EVS_IOC_HOSTS]);
	bind_bytes(ps, P_IOC_FETCH, ev->ev_str[EVS_IOC_FETCH], ev->ev_len[EVS_IOC_FETCH]);
	if (ev->ev_trap_seq != 0)
		bind_int(ps, P_TRAP_SEQ, (int64_t)ev->ev_trap_seq);
	bind_opt(ps, P_TRAP_USERNAME, ev->ev_trap_user);
	bind_opt(ps, P_TRAP_PASSWORD, ev->ev_trap_pass);
}

/* A stream's progress, or its end. */
static void bind_view_update(pstmt_s *ps, const event_s *ev)
{
	bind_int(ps, P_ID, ev->ev_view_id);
	bind_int(ps, P_LAST_FRAME_AT, ev->ev_last_frame_at);
	bind_int(ps, P_FRAMES, (int64_t)ev->ev_frames);
	bind_int(ps, P_BYTES, (int64_t)ev->ev_bytes);
	bind_int(ps, P_ENDED_AT, ev->ev_ended_at);
	bind_str(ps, P_END_REASON, ev->ev_end_reason);
}

int sqlsink_write(sqlsink_s *s, const event_s *ev)
{
	pstmt_s *ps;

	switch (ev->ev_kind) {
	case EV_REQUEST:
		bind_request(s, ps = &s->sk_stmt[S_REQUEST], ev);
		bind_int(ps, P_ID, s->sk_next_request);
		if (step(s, ps) != 0)
			return -1;
		s->sk_next_request++;
		return 0;
	case EV_VIEW_OPEN:
		bind_view(s, ps = &s->sk_stmt[S_VIEW], ev);
		break;
	case EV_LOGIN:
		bind_login(s, ps = &s->sk_stmt[S_LOGIN], ev);
		bind_int(ps, P_ID, s->sk_next_login);
		if (step(s, ps) != 0)
			return -1;
		s->sk_next_login++;
		return 0;
	case EV_EXPLOIT:
		bind_exploit(s, ps = &s->sk_stmt[S_EXPLOIT], ev);
		break;
	case EV_VIEW_PROGRESS:
		bind_view_update(ps = &s->sk_stmt[S_PROGRESS], ev);
		break;
	case EV_VIEW_CLOSE:
		bind_view_update(ps = &s->sk_stmt[S_CLOSE], ev);
		break;
	default:
		return 0; /* credential.use is the login's row seen as a view (credential_uses) */
	}
	return step(s, ps);
}

int sqlsink_credential(sqlsink_s *s, const event_s *ev)
{
	pstmt_s *ps = &s->sk_stmt[S_CREDENTIAL];

	if ((ev->ev_kind != EV_VIEW_OPEN && ev->ev_kind != EV_EXPLOIT) || ev->ev_trap_seq == 0)
		return 0;
	bind_int(ps, P_SEQ, (int64_t)ev->ev_trap_seq);
	bind_str(ps, P_USERNAME, ev->ev_trap_user);
	bind_str(ps, P_PASSWORD, ev->ev_trap_pass);
	/* a leak: no view showed it (exploits.trap_seq names the attempt) */
	bind_int(ps, P_VIEW_ID, ev->ev_kind == EV_EXPLOIT ? 0 : ev->ev_view_id);
	bind_int(ps, P_SHOWN_AT, ev->ev_kind == EV_EXPLOIT ? ev->ev_ts : ev->ev_started_at);
	return step(s, ps);
}

static void bind_aggregate(sqlsink_s *s, pstmt_s *ps, const agg_s *a, const char *net)
{
	bind_int(ps, P_HOUR, a->ag_hour);
	bind_str(ps, P_SENSOR, s->sk_sensor);
	bind_str(ps, P_PERSONA, s->sk_persona);
	bind_str(ps, P_NETWORK, net);
	bind_str(ps, P_KIND, a->ag_kind);
	bind_int(ps, P_COUNT, (int64_t)a->ag_count);
}

int sqlsink_aggregate(sqlsink_s *s, const agg_s *a, int fold)
{
	pstmt_s *ps = &s->sk_stmt[S_AGG_ADD];

	if (fold) {
		/* Networks without a row this hour share one: '*'. */
		bind_aggregate(s, ps, a, a->ag_net);
		if (step(s, ps) != 0)
			return -1;
		if (sqlite3_changes(s->sk_db) > 0)
			return 0;
	}
	bind_aggregate(s, ps = &s->sk_stmt[S_AGGREGATE], a, fold ? "*" : a->ag_net);
	return step(s, ps);
}

int sqlsink_counter(sqlsink_s *s, const char *name, uint64_t value)
{
	pstmt_s *ps = &s->sk_stmt[S_COUNTER];

	bind_str(ps, P_NAME, name);
	bind_int(ps, P_VALUE, (int64_t)value);
	return step(s, ps);
}

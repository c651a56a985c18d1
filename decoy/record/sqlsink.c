/* sqlsink: WAL database, numbered migrations, and rows bound by parameter name.
 *
 * Every statement names its parameters after the columns they fill (":ts",
 * ":src_ip"; sqlstmt.c), so the code that fills a row below says which
 * column each value goes to. */
#include "sqlsink.h"

#include "retention.h"
#include "migrate.h"
#include "schema.h"
#include "sqlstmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

int sqlsink_schema_version(void)
{
	return (int)schema_count;
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

#define SQLSINK_WAL_PAGES 4000 /* a checkpoint at most this often (a small db-max-mb: sooner) */

/* db-max-mb covers the database file and its WAL: the file may hold
 * 7/8 of the cap (max_page_count: a write past it fails with SQLITE_FULL),
 * the WAL the last 1/8 (checkpointed once it holds half of that, and
 * truncated back to that 1/8 after a checkpoint: journal_size_limit; at
 * most SQLSINK_WAL_PAGES and the 64 MiB set above). */
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
	         (long long)(frames < SQLSINK_WAL_PAGES ? frames : SQLSINK_WAL_PAGES));
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
	 * fail a write; the WAL is truncated back after checkpoints; a 16 MiB
	 * cache and fewer checkpoints than SQLite's defaults keep the writer up
	 * with a burst (docs/recording.md). */
	if (migrate_exec(s->sk_db,
	                 "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
	                 " PRAGMA temp_store = MEMORY; PRAGMA journal_size_limit = 67108864;"
	                 " PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384;",
	                 err, errlen) != 0)
		goto fail;
	sqlite3_wal_autocheckpoint(s->sk_db, SQLSINK_WAL_PAGES); /* only fails on a bad handle */
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
	if (sqlstmt_prepare(s->sk_db, s->sk_stmt, err, errlen) != 0)
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
	sqlstmt_finalize(s->sk_stmt);
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
	bind_str(ps, P_SRC_IP, ev->ev_who.id_ip);
	bind_opt(ps, P_COUNTRY, ev->ev_who.id_country);
	if (ev->ev_who.id_asn != 0)
		bind_int(ps, P_ASN, ev->ev_who.id_asn);
	bind_opt(ps, P_AS_ORG, ev->ev_who.id_as_org);
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
	bind_int(ps, P_SRC_PORT, ev->ev_who.id_port);
	bind_opt(ps, P_PEER_IP, ev->ev_who.id_peer_ip);
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
	if (ev->ev_who.id_port)
		bind_int(ps, P_SRC_PORT, ev->ev_who.id_port);
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
	if (ev->ev_who.id_port)
		bind_int(ps, P_SRC_PORT, ev->ev_who.id_port);
	bind_str(ps, P_RULE, ev->ev_exploit_id);
	bind_str(ps, P_CHANNEL, ev->ev_channel != NULL ? ev->ev_channel : "http");
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

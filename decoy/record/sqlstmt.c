/* sqlstmt: every statement the SQLite sink runs on each batch, written once: an INSERT names its
 * columns and its VALUES are those names as parameters. The names are resolved to positions once,
 * at prepare, so the code that fills a row says which column each value goes to and a statement
 * can never be bound one position off. */
#include "sqlstmt.h"

#include <stdio.h>

#define AS_NAME(e, col) ":" #col,
static const char *const param_names[P_MAX] = {SQLSINK_PARAMS(AS_NAME)};
#undef AS_NAME

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
                   " ioc_hosts, ioc_fetch, trap_seq, trap_username, trap_password, channel",
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
static int prepare_one(sqlite3 *db, pstmt_s *ps, const char *sql, char *err, size_t errlen)
{
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &ps->ps_q, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
		return -1;
	}
	for (int p = 0; p < P_MAX; p++)
		ps->ps_ix[p] = sqlite3_bind_parameter_index(ps->ps_q, param_names[p]);
	return 0;
}

int sqlstmt_prepare(sqlite3 *db, pstmt_s *stmt, char *err, size_t errlen)
{
	char sql[2048];

	for (int i = 0; i < S_MAX; i++) {
		if (updates[i] != NULL) {
			if (prepare_one(db, &stmt[i], updates[i], err, errlen) != 0)
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
		if (prepare_one(db, &stmt[i], sql, err, errlen) != 0)
			return -1;
	}
	return 0;
}

void sqlstmt_finalize(pstmt_s *stmt)
{
	for (int i = 0; i < S_MAX; i++)
		sqlite3_finalize(stmt[i].ps_q);
}

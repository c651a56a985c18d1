/* sqlstmt: the SQLite sink's statements (sqlstmt.c), each parameter named after the column it
 * fills. */
#ifndef CAMDECOY_SQLSTMT_H
#define CAMDECOY_SQLSTMT_H

/* A probe, not a viewer: at most one frame, or a client that looked at a
 * few frames and left within a second (Motion's netcam, 4.5.1 measured: 5
 * frames in 400 ms before it opens the stream it keeps). */
#define SQLSINK_PROBE(frames, dur) "(" frames " <= 1 OR (" frames " <= 5 AND " dur " < 1000))"

#include <sqlite3.h>
#include <stddef.h>

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
typedef enum { SQLSINK_PARAMS(AS_ENUM) P_MAX } param_e;
#undef AS_ENUM

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

/* Prepares the S_MAX statements on db into stmt, each parameter's position
 * resolved by its name: 0, or -1 with err filled. */
int sqlstmt_prepare(sqlite3 *db, pstmt_s *stmt, char *err, size_t errlen);
/* Finalizes the S_MAX statements of stmt (those prepared). */
void sqlstmt_finalize(pstmt_s *stmt);

#endif

/* retention: the deleting and truncating SQL, one chunk per transaction so writers are not held up.
 */
#include "retention.h"

#include "netaddr.h"

/* camdecoy_net(ip): the /24 or /48 an address belongs to, or the text
 * unchanged when it is not an address (already truncated, say). */
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

int retention_register(sqlite3 *db)
{
	return sqlite3_create_function(db, "camdecoy_net", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	                               NULL, sql_net, NULL, NULL) == SQLITE_OK
	           ? 0
	           : -1;
}

/* Before rows are deleted: the largest id each table has handed out, in
 * meta (id_floor_*), so that the writer never hands one out again once the
 * newest rows are gone (sqlsink starts above it; the fleet shipper's
 * watermark is an id). Under the chunk's transaction. */
static int save_floors(sqlite3 *db)
{
	static const char *const sql =
	    "INSERT OR REPLACE INTO meta (key, value) SELECT 'id_floor_' || t,"
	    " MAX(IFNULL(m, 0), IFNULL((SELECT CAST(value AS INTEGER) FROM meta WHERE key = "
	    "'id_floor_' || t), 0))"
	    " FROM (SELECT 'requests' AS t, (SELECT MAX(id) FROM requests) AS m"
	    "  UNION ALL SELECT 'logins', (SELECT MAX(id) FROM logins)"
	    "  UNION ALL SELECT 'views', (SELECT MAX(id) FROM views))";

	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* One chunk: rows older than the cut deleted, or their addresses truncated.
 * How many rows changed, -1 on error. */
static int chunk(retention_s *r, sqlite3 *db, int64_t cut_ms)
{
	static const char *const del[] = {
	    "DELETE FROM requests WHERE rowid IN (SELECT rowid FROM requests WHERE ts < ?1 LIMIT "
	    "5000)",
	    "DELETE FROM logins WHERE rowid IN (SELECT rowid FROM logins WHERE ts < ?1 LIMIT 5000)",
	    ("DELETE FROM views WHERE rowid IN (SELECT rowid FROM views WHERE started_at < ?1"
	     " AND ended_at IS NOT NULL LIMIT 5000)"),
	    "DELETE FROM host_hours WHERE hour < ?1 / 3600000",
	    "DELETE FROM view_hours WHERE hour < ?1 / 3600000",
	    "DELETE FROM aggregated WHERE hour < ?1 / 3600000",
	    "DELETE FROM exploits WHERE rowid IN (SELECT rowid FROM exploits WHERE ts < ?1 LIMIT "
	    "5000)",
	};
	/* Truncated addresses contain '/': they are not truncated again. */
	static const char *const trunc[] = {
	    ("UPDATE requests SET src_ip = camdecoy_net(src_ip), peer_ip = camdecoy_net(peer_ip),"
	     " forwarded_for = NULL, forwarded_for_len = NULL, src_port = NULL"
	     " WHERE rowid IN (SELECT rowid FROM requests WHERE ts >= ?2 AND ts < ?1 AND src_ip "
	     "NOT LIKE '%/%' LIMIT 5000)"),
	    ("UPDATE logins SET src_ip = camdecoy_net(src_ip), view_src_ip = "
	     "camdecoy_net(view_src_ip),"
	     " src_port = NULL"
	     " WHERE rowid IN (SELECT rowid FROM logins WHERE ts >= ?2 AND ts < ?1 AND src_ip NOT "
	     "LIKE '%/%' LIMIT 5000)"),
	    ("UPDATE views SET src_ip = camdecoy_net(src_ip) WHERE rowid IN (SELECT rowid FROM "
	     "views"
	     " WHERE started_at >= ?2 AND started_at < ?1 AND ended_at IS NOT NULL AND src_ip NOT "
	     "LIKE '%/%' LIMIT 5000)"),
	    /* host-hours of one network merge: old hours count networks, not hosts */
	    ("INSERT INTO host_hours (hour, sensor, persona, src_ip, country, flags, requests)"
	     " SELECT hour, sensor, persona, camdecoy_net(src_ip), country, flags, requests FROM "
	     "host_hours"
	     " WHERE hour >= ?2 / 3600000 AND hour < ?1 / 3600000 AND src_ip NOT LIKE '%/%'"
	     " ON CONFLICT (hour, sensor, persona, src_ip) DO UPDATE SET flags = flags | "
	     "excluded.flags,"
	     " requests = requests + excluded.requests"),
	    "DELETE FROM host_hours WHERE hour >= ?2 / 3600000 AND hour < ?1 / 3600000 AND src_ip "
	    "NOT LIKE '%/%'",
	    ("UPDATE exploits SET src_ip = camdecoy_net(src_ip), src_port = NULL WHERE rowid IN"
	     " (SELECT rowid FROM exploits WHERE ts >= ?2 AND ts < ?1 AND src_ip NOT LIKE '%/%'"
	     " LIMIT 5000)"),
	};
	const char *const *sqls = r->rt_truncate ? trunc : del;
	size_t nsql =
	    r->rt_truncate ? sizeof(trunc) / sizeof(trunc[0]) : sizeof(del) / sizeof(del[0]);
	int changed = 0;

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	if (!r->rt_truncate && save_floors(db) != 0)
		goto rollback;
	for (size_t i = 0; i < nsql; i++) {
		sqlite3_stmt *q;
		int rc;
		if (sqlite3_prepare_v2(db, sqls[i], -1, &q, NULL) != SQLITE_OK)
			goto rollback;
		sqlite3_bind_int64(q, 1, cut_ms);
		if (r->rt_truncate)
			sqlite3_bind_int64(q, 2, r->rt_truncated_until);
		rc = sqlite3_step(q);
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE)
			goto rollback;
		/* The merged host-hours are the rows deleted next: count once. */
		if (!(r->rt_truncate && i == 3))
			changed += sqlite3_changes(db);
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto rollback;
	return changed;
rollback:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int retention_run(retention_s *r, sqlite3 *db, int64_t now_ms, int (*progress)(void *arg, int rows),
                  void *arg)
{
	/* Whole hours: rows and the hourly summaries go together (a cut inside
	 * an hour would leave a summary row for rows already deleted). */
	int64_t cut = (now_ms - (int64_t)r->rt_days * 86400000) / 3600000 * 3600000;
	int n;

	while ((n = chunk(r, db, cut)) > 0)
		if (progress(arg, n) != 0)
			return 1;
	/* Everything before the cut is done: later rounds start there. */
	if (n == 0)
		r->rt_truncated_until = cut;
	return n < 0 ? -1 : 0;
}

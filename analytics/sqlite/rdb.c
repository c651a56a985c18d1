/* rdb: read-only opening, ATTACH for fleets, and the merged views every report reads. */
#include "rdb.h"

#include "fleet.h"

#include "htab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const request_cols = "id, ts, sensor, src_ip, country, method, path, query, "
                                        "user_agent, referer, referer_class, persona, route,"
                                        " status, bytes, client_class, view_id, asn, as_org";
static const char *const view_cols =
    "id, sensor, kind, src_ip, country, user_agent, referer, referer_class, client_class, persona,"
    " started_at, last_frame_at, ended_at, duration_ms, frames, bytes, end_reason, probe";
static const char *const login_cols =
    "id, ts, sensor, channel, src_ip, country, user_agent, username, password, persona, "
    "matched_view,"
    " match_kind, view_src_ip, view_country, view_referer_class, shown_at, lag_ms, moved_ip, "
    "moved_country,"
    " src_port, asn, as_org";
static const char *const host_hour_cols = "hour, sensor, persona, src_ip, country, flags, requests";
static const char *const view_hour_cols =
    "hour, sensor, persona, kind, country, referer_class, views";
static const char *const session_cols = "sensor, src_ip, country, user_agent, first_view, views, "
                                        "started_at, ended_at, duration_ms, frames,"
                                        " referer_class, client_class";

/* CREATE TEMP VIEW name AS the union of body (its "@" replaced by each
 * schema's name) over the databases that have table guard; an empty view
 * of the columns names (a list "a, b") when none has. */
static int make_view_of(rdb_s *rd, const char *name, const char *guard, const char *body,
                        const char *names, char *err, size_t errlen)
{
	size_t cap = 256 + (size_t)rd->rd_ndb * (strlen(body) * 2 + 64) + strlen(names) * 4, n;
	char *sql = malloc(cap), schema[16];
	int parts = 0, rc;

	if (sql == NULL) {
		snprintf(err, errlen, "report: out of memory");
		return -1;
	}
	n = (size_t)snprintf(sql, cap, "CREATE TEMP VIEW %s AS ", name);
	for (int i = 0; i < rd->rd_ndb; i++) {
		snprintf(schema, sizeof(schema), i == 0 ? "main" : "db%d", i);
		if (!fleet_has_table(rd->rd_db, schema, guard))
			continue;
		n += (size_t)snprintf(sql + n, cap - n, "%s", parts++ ? " UNION ALL " : "");
		for (const char *b = body; *b && n + 20 < cap; b++)
			n += (size_t)snprintf(sql + n, cap - n, "%s",
			                      *b == '@' ? schema : (char[2]){*b, 0});
	}
	if (parts == 0) {
		n += (size_t)snprintf(sql + n, cap - n, "SELECT ");
		for (const char *c = names; *c;) {
			size_t len = strcspn(c, ",");
			n += (size_t)snprintf(sql + n, cap - n, "%sNULL AS %.*s",
			                      c == names ? "" : ", ", (int)len, c);
			c += len;
			while (*c == ',' || *c == ' ')
				c++;
		}
		snprintf(sql + n, cap - n, " WHERE 0");
	}
	rc = sqlite3_exec(rd->rd_db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		snprintf(err, errlen, "report: cannot read %s: %s", guard,
		         sqlite3_errmsg(rd->rd_db));
	free(sql);
	return rc == SQLITE_OK ? 0 : -1;
}

/* CREATE TEMP VIEW name AS SELECT cols FROM s0.table UNION ALL ...: an
 * empty view of the same columns when no database has the table (e.g.
 * logins in databases older than schema 2). */
static int make_view(rdb_s *rd, const char *name, const char *table, const char *cols, char *err,
                     size_t errlen)
{
	size_t cap = strlen(cols) + strlen(table) + 32;
	char *body = malloc(cap);
	int rc;

	if (body == NULL) {
		snprintf(err, errlen, "report: out of memory");
		return -1;
	}
	snprintf(body, cap, "SELECT %s FROM @.%s", cols, table);
	rc = make_view_of(rd, name, table, body, cols, err, errlen);
	free(body);
	return rc;
}

/* Exploit attempts (schema 9), and the logins that used a credential one
 * leaked, joined inside each database (issue numbers are per database). */
static const char exploit_cols[] =
    "id, ts, sensor, persona, src_ip, country, rule, cve, family, answered, status, method, path, "
    "query,"
    " payload, payload_len, payload_truncated, ioc_urls, ioc_ips, ioc_hosts, ioc_fetch, trap_seq,"
    " trap_password, asn, as_org";
static const char leak_use_body[] =
    "SELECT l.ts AS ts, e.sensor AS sensor, e.persona AS persona, e.rule AS rule, e.cve AS cve,"
    " e.src_ip AS leaked_to, e.ts AS leaked_at, l.src_ip AS used_from, l.channel AS channel,"
    " l.username AS username, l.password AS password"
    " FROM @.exploits e JOIN @.logins l ON l.matched_seq = e.trap_seq AND l.sensor = e.sensor"
    " WHERE e.trap_seq IS NOT NULL AND l.match_kind IN ('exact', 'password-only')";
static const char leak_use_names[] =
    "ts, sensor, persona, rule, cve, leaked_to, leaked_at, used_from, channel, username, password";

static int make_exploit_views(rdb_s *rd, char *err, size_t errlen)
{
	char body[512];

	snprintf(body, sizeof(body), "SELECT %s FROM @.exploits", exploit_cols);
	return make_view_of(rd, "x", "exploits", body, exploit_cols, err, errlen) != 0 ||
	               make_view_of(rd, "xu", "exploits", leak_use_body, leak_use_names, err,
	                            errlen) != 0
	           ? -1
	           : 0;
}

rdb_s *rdb_open(const char *const *paths, int n, char *err, size_t errlen)
{
	rdb_s *rd = calloc(1, sizeof(*rd));
	int *use = calloc(n > 0 ? (size_t)n : 1, sizeof(*use)), nuse, limit;
	char uri[4200], sql[4300];

	if (rd == NULL || use == NULL || n < 1) {
		snprintf(err, errlen, n < 1 ? "report: no database" : "report: out of memory");
		free(use);
		free(rd);
		return NULL;
	}
	rd->rd_since = INT64_MIN;
	rd->rd_until = INT64_MAX;
	if ((nuse = fleet_unique(paths, n, use, &rd->rd_skipped, err, errlen)) < 0)
		goto fail;
	fleet_file_uri(paths[use[0]], uri, sizeof(uri));
	if (sqlite3_open_v2(uri, &rd->rd_db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "report: cannot open %s: %s", paths[use[0]],
		         sqlite3_errmsg(rd->rd_db));
		goto fail;
	}
	limit = sqlite3_limit(rd->rd_db, SQLITE_LIMIT_ATTACHED, -1);
	if (nuse > limit + 1) {
		sqlite3_close(rd->rd_db);
		rd->rd_db = NULL;
		rd->rd_merged = nuse;
		if (fleet_copy(&rd->rd_db, paths, use, nuse, err, errlen) != 0)
			goto fail;
		nuse = 1;
	}
	sqlite3_busy_timeout(rd->rd_db, 5000);
	/* sorts in memory, pages memory-mapped: reports read millions of rows */
	sqlite3_exec(rd->rd_db,
	             "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -131072; PRAGMA mmap_size = "
	             "1073741824;",
	             NULL, NULL, NULL);
	rd->rd_ndb = nuse;
	for (int i = 1; i < nuse; i++) {
		sqlite3_stmt *q;
		fleet_file_uri(paths[use[i]], uri, sizeof(uri));
		snprintf(sql, sizeof(sql), "ATTACH DATABASE ? AS db%d", i);
		if (sqlite3_prepare_v2(rd->rd_db, sql, -1, &q, NULL) != SQLITE_OK) {
			snprintf(err, errlen, "report: %s", sqlite3_errmsg(rd->rd_db));
			goto fail;
		}
		sqlite3_bind_text(q, 1, uri, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE) {
			snprintf(err, errlen, "report: cannot attach %s: %s", paths[use[i]],
			         sqlite3_errmsg(rd->rd_db));
			sqlite3_finalize(q);
			goto fail;
		}
		sqlite3_finalize(q);
	}
	for (int i = 0; i < nuse; i++) {
		char schema[16];
		const char *name = rd->rd_merged ? "the merged databases" : paths[use[i]];
		snprintf(schema, sizeof(schema), i == 0 ? "main" : "db%d", i);
		if (!fleet_has_table(rd->rd_db, schema, "requests") ||
		    !fleet_has_table(rd->rd_db, schema, "views")) {
			snprintf(err, errlen, "report: %s is not a camdecoy database", name);
			goto fail;
		}
		if (!fleet_has_table(rd->rd_db, schema, "host_hours")) {
			snprintf(err, errlen,
			         "report: %s has an older schema: start this camdecoy version on "
			         "it once to migrate it",
			         name);
			goto fail;
		}
	}
	if (make_view(rd, "r", "requests", request_cols, err, errlen) != 0 ||
	    make_view(rd, "v", "views", view_cols, err, errlen) != 0 ||
	    make_view(rd, "l", "logins", login_cols, err, errlen) != 0 ||
	    make_view(rd, "s", "view_sessions", session_cols, err, errlen) != 0 ||
	    make_view(rd, "hh", "host_hours", host_hour_cols, err, errlen) != 0 ||
	    make_view(rd, "vh", "view_hours", view_hour_cols, err, errlen) != 0 ||
	    make_exploit_views(rd, err, errlen) != 0)
		goto fail;
	free(use);
	return rd;
fail:
	free(use);
	rdb_close(rd);
	return NULL;
}

void rdb_close(rdb_s *rd)
{
	if (rd == NULL)
		return;
	sqlite3_close(rd->rd_db);
	free(rd);
}

/* ---- host tables: one scan of host_hours, hashed in C ----
 * (two SQL GROUP BYs sorted a million host-hours twice; hashing reads them
 * once in primary-key order) */

typedef struct {
	htab_node_s hm_node;
	size_t hm_klen;
	int hm_flags;
	int64_t hm_country_hour; /* the hour hm_country was seen in */
	char hm_country[3];
	char hm_key[]; /* "a\0b" */
} hm_slot_s;

typedef struct {
	htab_s hm_table;
	char **hm_chunks; /* arena of slots */
	size_t hm_nchunks, hm_chunk_left;
	char *hm_chunk_pos;
} hmap_s;

static void *arena(hmap_s *m, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if (n > m->hm_chunk_left) {
		size_t sz = n > (1 << 20) ? n : (1 << 20);
		char **c = realloc(m->hm_chunks, (m->hm_nchunks + 1) * sizeof(char *));
		if (c == NULL)
			return NULL;
		m->hm_chunks = c;
		if ((c[m->hm_nchunks] = malloc(sz)) == NULL)
			return NULL;
		m->hm_chunk_pos = c[m->hm_nchunks++];
		m->hm_chunk_left = sz;
	}
	char *p = m->hm_chunk_pos;
	m->hm_chunk_pos += n;
	m->hm_chunk_left -= n;
	return p;
}

typedef struct {
	const char *hq_key;
	size_t hq_len;
} hm_query_s;

static int hm_eq(const htab_node_s *n, const void *key)
{
	const hm_slot_s *sl = HTAB_ENTRY(n, hm_slot_s, hm_node);
	const hm_query_s *q = key;

	return sl->hm_klen == q->hq_len && memcmp(sl->hm_key, q->hq_key, q->hq_len) == 0;
}

/* The slot of key a\0b, created if new; NULL when out of memory. */
static hm_slot_s *hm_get(hmap_s *m, const char *a, size_t al, const char *b, size_t bl)
{
	char key[512];
	size_t kl = al + 1 + bl;
	uint64_t h;
	htab_node_s *n;
	hm_slot_s *sl;

	if (m->hm_table.ht_buckets == NULL && htab_init(&m->hm_table, 1 << 16) != 0)
		return NULL;
	if (kl > sizeof(key))
		kl = sizeof(key), bl = kl - al - 1;
	memcpy(key, a, al);
	key[al] = '\0';
	memcpy(key + al + 1, b, bl);
	h = htab_hash(key, kl);
	if ((n = htab_find(&m->hm_table, h, hm_eq, &(hm_query_s){key, kl})) != NULL)
		return HTAB_ENTRY(n, hm_slot_s, hm_node);
	if ((sl = arena(m, sizeof(*sl) + kl + 1)) == NULL)
		return NULL;
	memset(sl, 0, sizeof(*sl));
	memcpy(sl->hm_key, key, kl);
	sl->hm_key[kl] = '\0';
	sl->hm_klen = kl;
	htab_insert(&m->hm_table, &sl->hm_node, h);
	return sl;
}

static void hm_free(hmap_s *m)
{
	for (size_t i = 0; i < m->hm_nchunks; i++)
		free(m->hm_chunks[i]);
	free(m->hm_chunks);
	htab_destroy(&m->hm_table);
}

static int exec1(rdb_s *rd, const char *sql, char *err, size_t errlen)
{
	if (sqlite3_exec(rd->rd_db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "report: %s", sqlite3_errmsg(rd->rd_db));
		return -1;
	}
	return 0;
}

/* Builds hs (per sensor and host) and hdays (per day: host counts). */
/* One pass over the host-hours in the filters: per sensor and address
 * (hs) and per day in the report's zone and address (hd), the OR of their
 * flags, and each host's country. 0 or -1. */
static int scan_hosts(rdb_s *rd, hmap_s *hs, hmap_s *hd, char *err, size_t errlen)
{
	sqlite3_stmt *q;
	int64_t last_hour = INT64_MIN;
	char day[16] = "";
	int step;

	q = rdb_prepare(rd,
	                "SELECT hour, sensor, src_ip, IFNULL(country, ''), flags FROM hh"
	                " WHERE hour * 3600000 >= :since AND hour * 3600000 < :until AND (:sensor "
	                "IS NULL OR sensor = :sensor)"
	                " AND (:persona IS NULL OR persona = :persona)",
	                err, errlen);
	if (q == NULL)
		return -1;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t hour = sqlite3_column_int64(q, 0);
		const char *sensor = (const char *)sqlite3_column_text(q, 1);
		const char *ip = (const char *)sqlite3_column_text(q, 2);
		const char *cc = (const char *)sqlite3_column_text(q, 3);
		int flags = sqlite3_column_int(q, 4);
		hm_slot_s *a, *b;

		if (sensor == NULL || ip == NULL || cc == NULL)
			continue;
		if (hour != last_hour) { /* rows come in hour order: one conversion per hour */
			time_t t = (time_t)(hour * 3600);
			struct tm tm;
			localtime_r(&t, &tm);
			strftime(day, sizeof(day), "%Y-%m-%d", &tm);
			last_hour = hour;
		}
		a = hm_get(hs, sensor, strlen(sensor), ip, strlen(ip));
		b = hm_get(hd, day, strlen(day), ip, strlen(ip));
		if (a == NULL || b == NULL) {
			sqlite3_finalize(q);
			snprintf(err, errlen, "report: out of memory");
			return -1;
		}
		a->hm_flags |= flags;
		/* a host's country: that of its earliest host-hour with one, the
		 * smaller code within an hour (whatever order the databases come
		 * in; the ClickHouse backend picks it the same way) */
		if (cc[0] != '\0' &&
		    (a->hm_country[0] == '\0' || hour < a->hm_country_hour ||
		     (hour == a->hm_country_hour && strncmp(cc, a->hm_country, 2) < 0))) {
			snprintf(a->hm_country, sizeof(a->hm_country), "%.2s", cc);
			a->hm_country_hour = hour;
		}
		b->hm_flags |= flags;
	}
	sqlite3_finalize(q);
	if (step != SQLITE_DONE) {
		snprintf(err, errlen, "report: %s", sqlite3_errmsg(rd->rd_db));
		return -1;
	}
	return 0;
}

/* hs: a row per sensor and host, its flags as 0/1 columns. 0, or -1 on an
 * SQLite error. */
static int write_hs(rdb_s *rd, hmap_s *hs)
{
	static const int bits[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 1024};
	sqlite3_stmt *ins;
	htab_iter_s it;
	int rc = 0;

	if (sqlite3_prepare_v2(rd->rd_db, "INSERT INTO hs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", -1,
	                       &ins, NULL) != SQLITE_OK)
		return -1;
	htab_iter_init(&hs->hm_table, &it);
	for (htab_node_s *hn; rc == 0 && (hn = htab_iter_next(&hs->hm_table, &it)) != NULL;) {
		const hm_slot_s *sl = HTAB_ENTRY(hn, hm_slot_s, hm_node);
		sqlite3_bind_text(ins, 1, sl->hm_key, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, sl->hm_key + strlen(sl->hm_key) + 1,
		                  (int)(sl->hm_klen - strlen(sl->hm_key) - 1), SQLITE_STATIC);
		if (sl->hm_country[0])
			sqlite3_bind_text(ins, 3, sl->hm_country, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(ins, 3);
		for (int b = 0; b < 10; b++)
			sqlite3_bind_int(ins, 4 + b, (sl->hm_flags & bits[b]) != 0);
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = -1;
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	return rc;
}

typedef struct {
	char d[16];
	long a, i, f, b, sc;
} dayc_s;

/* hdays: the hosts per day (the keys of hd are day\0ip: counted per day
 * prefix). 0, -1 on an SQLite error, -2 out of memory. */
static int write_hdays(rdb_s *rd, hmap_s *hd)
{
	dayc_s *days = NULL;
	size_t nd = 0, cap = 0;
	sqlite3_stmt *ins = NULL;
	htab_iter_s it;
	int rc = -1;

	htab_iter_init(&hd->hm_table, &it);
	for (htab_node_s *hn; (hn = htab_iter_next(&hd->hm_table, &it)) != NULL;) {
		const hm_slot_s *sl = HTAB_ENTRY(hn, hm_slot_s, hm_node);
		size_t j;
		for (j = 0; j < nd && strcmp(days[j].d, sl->hm_key) != 0; j++)
			;
		if (j == nd) {
			if (nd == cap) {
				dayc_s *nw =
				    realloc(days, (cap = cap ? cap * 2 : 64) * sizeof(*days));
				if (nw == NULL) {
					rc = -2;
					goto out;
				}
				days = nw;
			}
			memset(&days[nd], 0, sizeof(days[nd]));
			snprintf(days[nd].d, sizeof(days[nd].d), "%s", sl->hm_key);
			nd++;
		}
		days[j].a += (sl->hm_flags & 1) != 0;
		days[j].i += (sl->hm_flags & 2) != 0;
		days[j].f += (sl->hm_flags & 1024) != 0;
		days[j].b += (sl->hm_flags & 128) != 0;
		days[j].sc += (sl->hm_flags & 256) != 0;
	}
	if (sqlite3_prepare_v2(rd->rd_db, "INSERT INTO hdays VALUES (?,?,?,?,?,?)", -1, &ins,
	                       NULL) != SQLITE_OK)
		goto out;
	for (size_t j = 0; j < nd; j++) {
		sqlite3_bind_text(ins, 1, days[j].d, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 2, days[j].a);
		sqlite3_bind_int64(ins, 3, days[j].i);
		sqlite3_bind_int64(ins, 4, days[j].f);
		sqlite3_bind_int64(ins, 5, days[j].b);
		sqlite3_bind_int64(ins, 6, days[j].sc);
		if (sqlite3_step(ins) != SQLITE_DONE)
			goto out;
		sqlite3_reset(ins);
	}
	rc = 0;
out:
	sqlite3_finalize(ins);
	free(days);
	return rc;
}

static int build_hosts(rdb_s *rd, char *err, size_t errlen)
{
	hmap_s hs = {0}, hd = {0};
	int rc = -1, w;

	if (scan_hosts(rd, &hs, &hd, err, errlen) != 0)
		goto out;
	if (exec1(rd,
	          "CREATE TEMP TABLE hs (sensor TEXT, src_ip TEXT, country TEXT, a INT, i INT, dir "
	          "INT, se INT, sf INT,"
	          " no INT, ot INT, b INT, sc INT, f INT);"
	          "CREATE TEMP TABLE hdays (day TEXT, a INT, i INT, f INT, b INT, sc INT); BEGIN;",
	          err, errlen) != 0)
		goto out;
	if ((w = write_hs(rd, &hs)) != 0 || (w = write_hdays(rd, &hd)) != 0) {
		if (w == -2)
			snprintf(err, errlen, "report: out of memory");
		else
			snprintf(err, errlen, "report: %s", sqlite3_errmsg(rd->rd_db));
		sqlite3_exec(rd->rd_db, "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	if (exec1(rd, "COMMIT", err, errlen) != 0)
		goto out;
	rc = 0;
out:
	hm_free(&hs);
	hm_free(&hd);
	return rc;
}

int rdb_hosts(rdb_s *rd, char *err, size_t errlen)
{
	if (rd->rd_hosts_ready)
		return 0;
	if (build_hosts(rd, err, errlen) != 0)
		return -1;
	rd->rd_hosts_ready = 1;
	return 0;
}

sqlite3_stmt *rdb_prepare(rdb_s *rd, const char *sql, char *err, size_t errlen)
{
	sqlite3_stmt *q;
	int i;

	if (sqlite3_prepare_v2(rd->rd_db, sql, -1, &q, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "report: query failed: %s", sqlite3_errmsg(rd->rd_db));
		return NULL;
	}
	if ((i = sqlite3_bind_parameter_index(q, ":since")) > 0)
		sqlite3_bind_int64(q, i, rd->rd_since);
	if ((i = sqlite3_bind_parameter_index(q, ":until")) > 0)
		sqlite3_bind_int64(q, i, rd->rd_until);
	if ((i = sqlite3_bind_parameter_index(q, ":sensor")) > 0 && rd->rd_sensor != NULL)
		sqlite3_bind_text(q, i, rd->rd_sensor, -1, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(q, ":persona")) > 0 && rd->rd_persona != NULL)
		sqlite3_bind_text(q, i, rd->rd_persona, -1, SQLITE_STATIC);
	return q;
}

/* credstore: a second SQLite connection (WAL lets it read while the store's
 * writer writes), used by the start-up code and then only by the matcher
 * thread. The store writes the credentials rows; this reads them. */
#include "credstore.h"
#include "migrate.h"
#include "rand.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { Q_BY_PASSWORD, Q_BY_USER, Q_RESERVE, Q_MAX };

static const char *const queries[Q_MAX] = {
    [Q_BY_PASSWORD] = "SELECT c.view_id, c.seq, c.username, c.password, c.shown_at,"
                      " COALESCE(v.src_ip, e.src_ip), COALESCE(v.country, e.country),"
                      " COALESCE(v.referer_class, CASE WHEN e.id IS NOT NULL THEN 'exploit' END)"
                      " FROM credentials c LEFT JOIN views v ON v.id = c.view_id"
                      " LEFT JOIN exploits e ON c.view_id = 0 AND e.trap_seq = c.seq"
                      " WHERE c.password = ?1",
    [Q_BY_USER] =
        "SELECT c.view_id, c.seq, c.username, c.password, c.shown_at, v.src_ip, v.country,"
        " v.referer_class FROM credentials c LEFT JOIN views v ON v.id = c.view_id"
        " WHERE c.username = ?1 ORDER BY c.seq DESC",
    [Q_RESERVE] = "INSERT INTO meta (key, value) VALUES ('trap_seq_next', ?1)"
                  " ON CONFLICT(key) DO UPDATE SET value = excluded.value"
                  " WHERE CAST(meta.value AS INTEGER) < CAST(excluded.value AS INTEGER)",
};

struct credstore {
	sqlite3 *cs_db;
	sqlite3_stmt *cs_q[Q_MAX];
};

credstore_s *credstore_open(const char *path, char *err, size_t errlen)
{
	credstore_s *cs = calloc(1, sizeof(*cs));

	if (cs == NULL) {
		snprintf(err, errlen, "trap: out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(path, &cs->cs_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "trap: cannot open %s: %s", path,
		         cs->cs_db != NULL ? sqlite3_errmsg(cs->cs_db) : "out of memory");
		goto fail;
	}
	/* The store's writer holds the write lock for one batch at a time. */
	sqlite3_busy_timeout(cs->cs_db, 5000);
	for (int i = 0; i < Q_MAX; i++)
		if (sqlite3_prepare_v3(cs->cs_db, queries[i], -1, SQLITE_PREPARE_PERSISTENT,
		                       &cs->cs_q[i], NULL) != SQLITE_OK) {
			snprintf(err, errlen, "trap: %s", sqlite3_errmsg(cs->cs_db));
			goto fail;
		}
	return cs;
fail:
	credstore_close(cs);
	return NULL;
}

void credstore_close(credstore_s *cs)
{
	if (cs == NULL)
		return;
	for (int i = 0; i < Q_MAX; i++)
		sqlite3_finalize(cs->cs_q[i]);
	sqlite3_close(cs->cs_db);
	free(cs);
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* meta trap_key: 32 lowercase hex digits; 0 when read, 1 when absent, -1 malformed. */
static int read_key(sqlite3 *db, uint8_t key[16])
{
	sqlite3_stmt *q;
	int rc = 1;

	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'trap_key'", -1, &q, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(q) == SQLITE_ROW) {
		const char *hex = (const char *)sqlite3_column_text(q, 0);
		rc = hex != NULL && strlen(hex) == 32 ? 0 : -1;
		for (int i = 0; rc == 0 && i < 16; i++) {
			int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
			if (hi < 0 || lo < 0)
				rc = -1;
			else
				key[i] = (uint8_t)(hi << 4 | lo);
		}
	}
	sqlite3_finalize(q);
	return rc;
}

static int set_reserve(credstore_s *cs, uint64_t upto)
{
	sqlite3_stmt *q = cs->cs_q[Q_RESERVE];
	char num[24];
	int rc;

	snprintf(num, sizeof(num), "%llu", (unsigned long long)upto);
	sqlite3_bind_text(q, 1, num, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

int credstore_begin(credstore_s *cs, uint8_t key[16], uint64_t *next, uint64_t *reserved,
                    uint64_t block, char *err, size_t errlen)
{
	int64_t mark = 0, top = 0;
	int k;

	if (sqlite3_exec(cs->cs_db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		goto dberr;
	if ((k = read_key(cs->cs_db, key)) < 0) {
		snprintf(err, errlen, "trap: meta trap_key is not 32 hex digits");
		goto rollback;
	}
	if (k == 1) {
		char hex[33];
		sqlite3_stmt *q;
		int rc = SQLITE_ERROR;
		if (rand_bytes(key, 16) != 0) {
			snprintf(err, errlen, "trap: no randomness for the credential key");
			goto rollback;
		}
		for (int i = 0; i < 16; i++)
			snprintf(hex + 2 * i, 3, "%02x", key[i]);
		if (sqlite3_prepare_v2(cs->cs_db,
		                       "INSERT INTO meta (key, value) VALUES ('trap_key', ?1)", -1,
		                       &q, NULL) == SQLITE_OK) {
			sqlite3_bind_text(q, 1, hex, 32, SQLITE_STATIC);
			rc = sqlite3_step(q);
			sqlite3_finalize(q);
		}
		if (rc != SQLITE_DONE)
			goto dberr_rollback;
	}
	/* The mark of earlier runs, and (should meta have lost it) past every
	 * number the credentials table holds. */
	mark = migrate_int(cs->cs_db,
	                   "SELECT COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = "
	                   "'trap_seq_next'), 1)",
	                   -1);
	top = migrate_int(cs->cs_db, "SELECT COALESCE(MAX(seq), 0) + 1 FROM credentials", -1);
	if (mark < 0 || top < 0)
		goto dberr_rollback;
	*next = (uint64_t)(mark > top ? mark : top > 1 ? top : 1);
	*reserved = *next + block;
	if (set_reserve(cs, *reserved) != 0 ||
	    sqlite3_exec(cs->cs_db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto dberr_rollback;
	return 0;
dberr_rollback:
	snprintf(err, errlen, "trap: database: %s", sqlite3_errmsg(cs->cs_db));
rollback:
	sqlite3_exec(cs->cs_db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
dberr:
	snprintf(err, errlen, "trap: database: %s", sqlite3_errmsg(cs->cs_db));
	return -1;
}

int credstore_reserve(credstore_s *cs, uint64_t upto)
{
	return set_reserve(cs, upto);
}

static void copy_col(sqlite3_stmt *q, int col, char *dst, size_t n)
{
	const char *s = (const char *)sqlite3_column_text(q, col);

	snprintf(dst, n, "%s", s != NULL ? s : "");
}

static void row_cred(sqlite3_stmt *q, trap_cred_s *c)
{
	memset(c, 0, sizeof(*c));
	c->tc_view_id = sqlite3_column_int64(q, 0);
	c->tc_seq = sqlite3_column_int64(q, 1) > 0 ? (uint64_t)sqlite3_column_int64(q, 1) : 0;
	copy_col(q, 2, c->tc_user, sizeof(c->tc_user));
	copy_col(q, 3, c->tc_pass, sizeof(c->tc_pass));
	c->tc_shown_at = sqlite3_column_int64(q, 4);
	copy_col(q, 5, c->tc_ip, sizeof(c->tc_ip));
	copy_col(q, 6, c->tc_country, sizeof(c->tc_country));
	copy_col(q, 7, c->tc_referer_class, sizeof(c->tc_referer_class));
}

int credstore_by_password(credstore_s *cs, const char *pass, size_t plen, trap_cred_s *out)
{
	sqlite3_stmt *q = cs->cs_q[Q_BY_PASSWORD];
	int rc;

	sqlite3_bind_text(q, 1, pass, (int)plen, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		row_cred(q, out);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int credstore_each_user(credstore_s *cs, const char *user, size_t ulen,
                        int (*fn)(const trap_cred_s *c, void *arg), void *arg)
{
	sqlite3_stmt *q = cs->cs_q[Q_BY_USER];
	trap_cred_s c;
	int rc, stop = 0;

	sqlite3_bind_text(q, 1, user, (int)ulen, SQLITE_STATIC);
	while (!stop && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		row_cred(q, &c);
		stop = fn(&c, arg);
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return stop ? stop : rc == SQLITE_DONE ? 0 : -1;
}

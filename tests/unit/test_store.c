/* test_store: migrations, batched writes, counters, crash recovery of open views. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "testdb.h"
#include "room.h"
#include "store.h"

static size_t fake_counters(void *arg, store_counter_s *out, size_t cap)
{
	(void)arg;
	if (cap < 1)
		return 0;
	out[0] = (store_counter_s){"requests_seen", 42};
	return 1;
}

static void run_briefly(store_s *st)
{
	char err[256];

	store_start(st, err, sizeof(err));
	usleep(400000);
	store_stop(st);
}

static int some_squeezed(const store_stats_s *ss)
{
	return ss->ss_squeezed > 0;
}

static int one_shed(const store_stats_s *ss)
{
	return ss->ss_shed >= 1;
}

/* Until the writer's stats say it got there (at most 10 s): a wait on what
 * the writer did, not on how long it usually takes. */
static int wait_stats(store_s *st, int (*done)(const store_stats_s *))
{
	store_stats_s ss;

	for (int i = 0; i < 1000; i++) {
		store_stats(st, &ss);
		if (done(&ss))
			return 1;
		usleep(10000);
	}
	return 0;
}

static event_s *request(const char *ua, size_t ua_len)
{
	const char *strs[EVS_MAX] = {"GET", "/jpg/image.jpg", "x=1", ua, NULL, NULL};
	size_t lens[EVS_MAX] = {3, 14, 3, ua_len, 0, 0};
	event_s *ev = event_new(EV_REQUEST, strs, lens);

	ev->ev_ts = 1700000000000;
	snprintf(ev->ev_who.id_ip, sizeof(ev->ev_who.id_ip), "%s", "192.0.2.9");
	ev->ev_referer_class = "none";
	ev->ev_client_class = "scanner";
	ev->ev_route = "snapshot";
	ev->ev_status = 200;
	return ev;
}

/* An exploit attempt of the same client and time, its body a NUL-holding payload. */
static event_s *exploit(void)
{
	const char *strs[EVS_MAX] = {
	    [EVS_METHOD] = "POST", [EVS_PATH] = "/shell", [EVS_PAYLOAD] = "a\0b"};
	size_t lens[EVS_MAX] = {[EVS_METHOD] = 4, [EVS_PATH] = 6, [EVS_PAYLOAD] = 3};
	event_s *ev = event_new(EV_EXPLOIT, strs, lens);

	ev->ev_ts = 1700000000000;
	ev->ev_who.id_port = 5000;
	snprintf(ev->ev_who.id_ip, sizeof(ev->ev_who.id_ip), "%s", "192.0.2.9");
	ev->ev_exploit_id = "jaws-dvr-cve-2016-20016";
	ev->ev_cve = "CVE-2016-20016";
	ev->ev_family = "cmd-injection";
	ev->ev_status = 404;
	return ev;
}

/* A poll view's open with long strings and a per-viewer credential. */
static event_s *view(int64_t id, uint64_t seq)
{
	static char pad[2000];
	const char *strs[EVS_MAX] = {NULL};
	size_t lens[EVS_MAX] = {0};
	event_s *ev;

	memset(pad, 'v', sizeof(pad));
	strs[EVS_USER_AGENT] = pad;
	lens[EVS_USER_AGENT] = 500;
	strs[EVS_REFERER] = pad;
	lens[EVS_REFERER] = sizeof(pad);
	strs[EVS_PATH] = "/jpg/image.jpg";
	lens[EVS_PATH] = 14;
	if ((ev = event_new(EV_VIEW_OPEN, strs, lens)) == NULL)
		return NULL;
	snprintf(ev->ev_who.id_ip, sizeof(ev->ev_who.id_ip), "192.0.2.%d", (int)(id % 200));
	ev->ev_view_id = id;
	ev->ev_view_kind = VIEW_POLL;
	ev->ev_started_at = ev->ev_last_frame_at = ev->ev_ended_at = 1700000000000 + id;
	ev->ev_frames = 1;
	ev->ev_referer_class = "directory";
	ev->ev_client_class = "browser";
	ev->ev_end_reason = "idle";
	snprintf(ev->ev_trap_user, sizeof(ev->ev_trap_user), "user%llu", (unsigned long long)seq);
	snprintf(ev->ev_trap_pass, sizeof(ev->ev_trap_pass), "Pass%llu", (unsigned long long)seq);
	ev->ev_trap_seq = seq;
	return ev;
}

/* A Basic login; match: "exact" (a credential use) or "none". */
static event_s *login(const char *user, const char *pass, const char *match)
{
	const char *strs[EVS_MAX] = {NULL};
	size_t lens[EVS_MAX] = {0};
	event_s *ev;

	strs[EVS_USERNAME] = user;
	lens[EVS_USERNAME] = strlen(user);
	strs[EVS_PASSWORD] = pass;
	lens[EVS_PASSWORD] = strlen(pass);
	if ((ev = event_new(EV_LOGIN, strs, lens)) == NULL)
		return NULL;
	ev->ev_ts = 1700000000000;
	snprintf(ev->ev_who.id_ip, sizeof(ev->ev_who.id_ip), "%s", "198.51.100.7");
	ev->ev_channel = "basic";
	ev->ev_match_kind = match;
	return ev;
}

/* The lines under db-max-mb, in order, and what gives way where. */
static void test_room(void)
{
	room_lines_s l;
	event_s *rq = request("x", 1), *v = view(1, 1), *use = login("u", "p", "exact"),
	        *plain = login("u", "p", "none");

	room_lines(&l, 917504, 4096, 131072);
	CHECK(l.rl_line[ROOM_NO_REQUESTS] < l.rl_line[ROOM_NO_NEW_VIEWS] &&
	      l.rl_line[ROOM_NO_NEW_VIEWS] < l.rl_line[ROOM_EVIDENCE] &&
	      l.rl_line[ROOM_EVIDENCE] < l.rl_line[ROOM_USES] &&
	      l.rl_line[ROOM_USES] < l.rl_line[ROOM_FULL] && l.rl_line[ROOM_FULL] < 917504);
	CHECK(917504 - l.rl_line[ROOM_EVIDENCE] >= 32 * 4096); /* the reserve: at least 32 pages */
	CHECK(room_level(&l, 0, 0) == ROOM_ALL && room_level(&l, 917504, 0) == ROOM_FULL);
	CHECK(room_level(&l, l.rl_line[ROOM_NO_NEW_VIEWS], 0) == ROOM_NO_NEW_VIEWS);
	CHECK(room_level(&l, 0, 131073) ==
	      ROOM_EVIDENCE); /* a WAL that could not be checkpointed */
	CHECK(room_gives_way(rq) == ROOM_NO_REQUESTS && room_gives_way(v) == ROOM_EVIDENCE);
	CHECK(room_gives_way(plain) == ROOM_USES && room_gives_way(use) == ROOM_FULL);
	CHECK(room_evidence(use) && !room_evidence(plain) && !room_evidence(v));
	room_lines(&l, 0, 4096, 0);
	CHECK(room_level(&l, INT64_MAX - 1, INT64_MAX - 1) == ROOM_ALL);
	event_free(rq);
	event_free(v);
	event_free(use);
	event_free(plain);
}

/* Issue 24: a flood of views, requests and plain logins into a 1 MiB cap
 * leaves room for a credential use sent last; no commit fails, nothing is
 * dropped, no credential is written without its view, the stop is clean.
 * Then a row that fails by itself is shed alone, the rest of its batch kept. */
static void test_cap_evidence(const char *dir)
{
	char db[160], err[256];
	store_conf_s c = {
	    .sc_sensor = "s1", .sc_persona = "axis", .sc_version = "t", .sc_max_mb = 1};
	store_stats_s ss;
	store_s *st;
	static char big[2001]; /* a C string: logins take strlen */

	memset(big, 'u', sizeof(big) - 1);
	snprintf(db, sizeof(db), "%s/cap.db", dir);
	c.sc_db_path = db;
	st = store_open(&c, err, sizeof(err));
	CHECK(st != NULL);
	store_start(st, err, sizeof(err));
	for (int i = 1; i <= 3000; i++) {
		store_submit(st, view(store_next_view_id(st), (uint64_t)i));
		store_submit(st, request(big, sizeof(big) - 1));
		store_submit(st, login(big, "guess", "none"));
		if (i % 500 == 0)
			usleep(300000); /* the writer looks at the room between batches */
	}
	CHECK(store_views_full(st)); /* request threads now show no credential */
	store_submit(st, login("user7", "Pass7", "exact"));
	usleep(600000);
	store_stop(st);
	store_stats(st, &ss);
	store_free(st);
	CHECK(ss.ss_write_failures == 0 && ss.ss_dropped == 0 && ss.ss_squeezed > 0);
	CHECK(
	    query_int(
	        db,
	        "SELECT COUNT(*) FROM logins WHERE match_kind = 'exact' AND password = 'Pass7'") ==
	    1);
	CHECK(query_int(db, "SELECT SUM(count) FROM aggregated WHERE kind = 'login'") > 0);
	CHECK(query_int(
	          db,
	          "SELECT COUNT(*) FROM credentials WHERE view_id NOT IN (SELECT id FROM views)") ==
	      0);
	CHECK(query_int(
	          db, "SELECT COUNT(*) FROM meta WHERE key = 'state' AND value = 'stopped'") == 1);
	CHECK(query_int(db,
	                "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size") <=
	      917504);

	/* a row that always fails (a trigger refuses it): split down to it, shed */
	char fail[160];
	snprintf(fail, sizeof(fail), "%s/fail.db", dir);
	c.sc_db_path = fail;
	c.sc_max_mb = 0;
	store_free(store_open(&c, err, sizeof(err)));
	sqlite3 *h;
	sqlite3_open(fail, &h);
	sqlite3_exec(h,
	             "CREATE TRIGGER refuse BEFORE INSERT ON requests WHEN NEW.user_agent = 'bad'"
	             " BEGIN SELECT RAISE(ABORT, 'refused'); END;",
	             NULL, NULL, NULL);
	sqlite3_close(h);
	st = store_open(&c, err, sizeof(err));
	CHECK(st != NULL);
	for (int i = 0; i < 100; i++)
		store_submit(st, request(i == 37 ? "bad" : "good", i == 37 ? 3 : 4));
	store_start(st, err, sizeof(err));
	CHECK(wait_stats(st, one_shed)); /* shed while running, not by the stop's last flush */
	store_stop(st);
	store_stats(st, &ss);
	store_free(st);
	CHECK(ss.ss_shed == 1 && ss.ss_dropped == 1 && ss.ss_request_dropped == 1 &&
	      ss.ss_write_failures > 0);
	CHECK(query_int(fail, "SELECT COUNT(*) FROM requests") == 99);
	CHECK(query_int(fail, "SELECT value FROM counters WHERE name = 'events_shed'") == 1);
	CHECK(query_int(fail,
	                "SELECT COUNT(*) FROM meta WHERE key = 'state' AND value = 'stopped'") ==
	      1);
}

/* The cases share one directory and run in order: the first database is
 * migrated back and forth by the later cases, the capped one corrupted. */
static char dir[] = "/tmp/camdecoy-store-XXXXXX", db[128], evlog[128], db2[160], db3[160];
static store_conf_s conf = {.sc_sensor = "s1", .sc_persona = "axis", .sc_version = "t"};

/* a batch of hostile and plain requests, and a stream view left open (the "crash" case) */
static void write_batch_and_crash(void)
{
	char err[256];
	store_s *st;

	st = store_open(&conf, err, sizeof(err));
	CHECK(st != NULL);
	CHECK(store_start(st, err, sizeof(err)) == 0);
	int64_t v1 = store_next_view_id(st);
	CHECK(v1 == 1 && store_next_view_id(st) == 2);
	/* hostile bytes are stored exactly, with a NUL inside */
	CHECK(store_submit(st, request("a\0b'; DROP TABLE requests;--", 29)) == 0);
	for (int i = 0; i < 999; i++)
		store_submit(st, request("x", 1));
	/* an open stream view that is never closed: the "crash" case */
	event_s *ev = event_new(EV_VIEW_OPEN, NULL, NULL);
	ev->ev_view_id = v1;
	ev->ev_view_kind = VIEW_STREAM;
	ev->ev_started_at = 1700000000000;
	snprintf(ev->ev_who.id_ip, sizeof(ev->ev_who.id_ip), "%s", "192.0.2.9");
	ev->ev_referer_class = "insecam";
	ev->ev_client_class = "browser";
	store_submit(st, ev);
	ev = event_new(EV_VIEW_PROGRESS, NULL, NULL);
	ev->ev_view_id = v1;
	ev->ev_last_frame_at = 1700000004000;
	ev->ev_frames = 40;
	store_submit(st, ev);
	store_submit(st, NULL); /* out-of-memory event: counted as dropped */
	store_stop(st);
	store_stats_s ss;
	store_stats(st, &ss);
	CHECK(ss.ss_written == 1002 && ss.ss_dropped == 1);
	store_free(st);

	CHECK(query_int(db, "PRAGMA user_version") == store_schema_version());
	CHECK(query_int(db, "SELECT COUNT(*) FROM requests") == 1000);
	CHECK(
	    query_int(
	        db, "SELECT length(CAST(user_agent AS BLOB)) FROM requests ORDER BY id LIMIT 1") ==
	    29);
	CHECK(query_int(db, "SELECT user_agent_len FROM requests ORDER BY id LIMIT 1") == 29);
	CHECK(query_int(db, "SELECT value FROM counters WHERE name = 'events_dropped'") == 1);
	CHECK(query_int(db, "SELECT COUNT(*) FROM views WHERE ended_at IS NULL") == 1);
	CHECK(query_int(db, "SELECT COUNT(*) FROM meta WHERE key = 'sensor' AND value = 's1'") ==
	      1);
}

/* Reopening closes the view at its last frame, and view ids continue. */
static void recover_open_view(void)
{
	char err[256];
	store_stats_s ss;
	store_s *st = store_open(&conf, err, sizeof(err));

	CHECK(st != NULL);
	CHECK(store_next_view_id(st) == 2);
	store_stats(st, &ss);
	CHECK(ss.ss_recovered == 1);
	store_free(st);
	CHECK(query_int(db, "SELECT ended_at FROM views WHERE id = 1") == 1700000004000);
	CHECK(query_int(db, "SELECT duration_ms FROM views WHERE id = 1") == 4000);
	CHECK(query_int(db, "SELECT COUNT(*) FROM views WHERE end_reason = 'crash'") == 1);
	CHECK(query_int(db, "SELECT COUNT(*) FROM view_sessions") == 1);
}

/* the JSON log has one line per event, and status lines (the counters) */
static void json_log_lines(void)
{
	FILE *f = fopen(evlog, "r");
	int lines = 0, status = 0;
	char line[20000];
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		if (strstr(line, "\"event\":\"status\"") != NULL)
			status++;
		else
			lines++;
	}
	if (f != NULL)
		fclose(f);
	CHECK(lines == 1002);
	CHECK(status >= 2); /* the first commit's, and the stop's (one per run) */
}

/* aggregates: counted per hour, network and kind; counters of others */
static void aggregates(void)
{
	char err[256];
	store_conf_s c2 = conf;
	store_s *st;

	c2.sc_db_path = db2;
	c2.sc_log_path = NULL;
	st = store_open(&c2, err, sizeof(err));
	CHECK(st != NULL);
	store_set_counters(st, fake_counters, NULL);
	for (int i = 0; i < 3; i++)
		store_aggregate(st, "198.51.100.0/24", 1700000000000, "request");
	store_aggregate(st, "198.51.100.0/24", 1700000000000 + 3600000, "request");
	store_aggregate(st, "198.51.100.0/24", 1700000000000, "login");
	store_aggregate(st, NULL, 1700000000000, "request");
	run_briefly(st);
	store_freeze_counters(st);
	store_free(st);
	CHECK(query_int(db2, "SELECT SUM(count) FROM aggregated WHERE kind = 'request'") == 5);
	CHECK(query_int(db2, "SELECT count FROM aggregated WHERE network = '198.51.100.0/24' AND "
	                     "kind = 'request'"
	                     " AND hour = 1700000000000 / 3600000") == 3);
	CHECK(query_int(db2, "SELECT count FROM aggregated WHERE network = '?'") == 1);
	CHECK(query_int(db2, "SELECT count FROM aggregated WHERE kind = 'login'") == 1);
	CHECK(query_int(db2, "SELECT value FROM counters WHERE name = 'aggregated'") == 6);
	CHECK(query_int(db2, "SELECT value FROM counters WHERE name = 'requests_seen'") == 42);
}

/* retention: old rows deleted, recent ones kept; ids never handed out twice */
static void retention(void)
{
	char err[256];
	store_conf_s c2 = conf;
	store_stats_s ss;
	event_s *ev;
	store_s *st;

	c2.sc_db_path = db2;
	c2.sc_log_path = NULL;
	st = store_open(&c2, err, sizeof(err));
	CHECK(st != NULL);
	store_start(st, err, sizeof(err));
	for (int i = 0; i < 3; i++)
		store_submit(st, request("old", 3));
	store_submit(st, exploit());
	ev = request("new", 3);
	ev->ev_ts = (int64_t)time(NULL) * 1000;
	store_submit(st, ev);
	store_stop(st);
	store_free(st);
	c2.sc_retention_days = 30;
	c2.sc_retention_truncate = 1;
	st = store_open(&c2, err, sizeof(err));
	run_briefly(st);
	store_stats(st, &ss);
	store_free(st);
	CHECK(query_int(db2, "SELECT COUNT(*) FROM requests WHERE src_ip = '192.0.2.0/24' AND "
	                     "src_port IS NULL") == 3);
	CHECK(query_int(db2, "SELECT COUNT(*) FROM requests WHERE src_ip = '192.0.2.9'") == 1);
	CHECK(query_int(
	          db2,
	          "SELECT COUNT(*) FROM exploits WHERE src_ip = '192.0.2.0/24' AND src_port IS NULL"
	          " AND length(CAST(payload AS BLOB)) = 3") == 1);
	CHECK(ss.ss_retained >= 3);
	c2.sc_retention_truncate = 0;
	st = store_open(&c2, err, sizeof(err));
	run_briefly(st);
	store_free(st);
	CHECK(query_int(db2, "SELECT COUNT(*) FROM requests") == 1);
	CHECK(query_int(db2, "SELECT COUNT(*) FROM exploits") == 0);
	CHECK(query_int(db2, "SELECT COUNT(*) FROM aggregated") == 0);
	/* ids are never handed out twice, not even after retention deleted the
	 * newest rows (the fleet shipper's watermark is an id) */
	long long max_id = query_int(db2, "SELECT MAX(id) FROM requests");
	c2.sc_retention_days = 0;
	st = store_open(&c2, err, sizeof(err));
	store_start(st, err, sizeof(err));
	for (int i = 0; i < 2; i++)
		store_submit(st, request("old", 3));
	store_stop(st);
	store_free(st);
	c2.sc_retention_days = 30;
	st = store_open(&c2, err, sizeof(err));
	run_briefly(st);
	store_free(st);
	CHECK(query_int(db2, "SELECT COUNT(*) FROM requests") == 1);
	CHECK(query_int(db2, "SELECT MAX(id) FROM requests") == max_id);
	CHECK(query_int(db2, "SELECT value FROM meta WHERE key = 'id_floor_requests'") ==
	      max_id + 2);
	c2.sc_retention_days = 0;
	st = store_open(&c2, err, sizeof(err));
	store_start(st, err, sizeof(err));
	store_submit(st, request("after", 3));
	store_stop(st);
	store_free(st);
	CHECK(query_int(db2, "SELECT MAX(id) FROM requests") == max_id + 3);
}

/* a size cap: past 80% of it requests are counted instead of written
 * (room kept for logins), so no commit fails and nothing is lost */
static void size_cap(void)
{
	char err[256];
	store_conf_s c3 = conf;
	store_stats_s ss;
	store_s *st;

	c3.sc_db_path = db3;
	c3.sc_log_path = NULL;
	c3.sc_max_mb = 1;
	st = store_open(&c3, err, sizeof(err));
	CHECK(st != NULL);
	store_start(st, err, sizeof(err));
	static char big[2000];
	memset(big, 'u', sizeof(big));
	for (int i = 0; i < 2000; i++)
		store_submit(st, request(big, sizeof(big)));
	CHECK(wait_stats(st, some_squeezed)); /* the writer reached the line while running */
	store_stop(st);
	store_stats(st, &ss);
	store_free(st);
	CHECK(ss.ss_write_failures == 0 && ss.ss_squeezed > 0 && ss.ss_dropped == 0);
	CHECK(query_int(db3, "SELECT COUNT(*) FROM requests") < 2000);
	CHECK(query_int(db3, "SELECT COUNT(*) FROM requests") +
	          query_int(db3, "SELECT SUM(count) FROM aggregated WHERE kind = 'request'") ==
	      2000);
	CHECK(query_int(db3,
	                "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size") <=
	      1048576);
	CHECK(query_int(
	          db3,
	          "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'") == 1);
}

/* migration 5 rebuilds the summaries from the rows: a schema-4 database
 * whose view_hours counted one poll view eight times (INSERT OR REPLACE
 * in every batch) reads 1 after the upgrade */
static void migrations(void)
{
	char err[256];
	sqlite3 *h;
	store_s *st;

	sqlite3_open(db, &h);
	sqlite3_exec(
	    h,
	    "INSERT INTO views (id, sensor, kind, src_ip, referer_class, client_class, persona, "
	    "started_at, frames)"
	    " VALUES (77, 's1', 'poll', '192.0.2.77', 'none', 'browser', 'axis', 1700000000000, 8);"
	    "UPDATE view_hours SET views = 8 WHERE kind = 'poll';"
	    /* schema 10 undone (the views' CHECK stays loosened: 10 leaves it so) */
	    "DROP INDEX requests_refused; ALTER TABLE requests DROP COLUMN refused;"
	    /* schema 9 undone */
	    "DROP TABLE exploits; ALTER TABLE logins DROP COLUMN matched_seq;"
	    /* schema 8 undone */
	    "DROP TRIGGER views_ship_insert; DROP TRIGGER views_ship_change;"
	    "DROP TRIGGER aggregated_ship_insert; DROP TRIGGER aggregated_ship_change;"
	    "DROP TRIGGER credentials_ship_insert; DROP INDEX credentials_ship;"
	    "DROP INDEX views_ship; DROP INDEX aggregated_ship; DROP TABLE ship_clock;"
	    "ALTER TABLE views DROP COLUMN ship_seq; ALTER TABLE aggregated DROP COLUMN ship_seq;"
	    "ALTER TABLE credentials DROP COLUMN ship_seq;"
	    /* schema 7 undone */
	    "DROP INDEX logins_asn; ALTER TABLE requests DROP COLUMN asn; ALTER TABLE requests "
	    "DROP COLUMN as_org;"
	    "ALTER TABLE views DROP COLUMN asn; ALTER TABLE views DROP COLUMN as_org;"
	    "ALTER TABLE logins DROP COLUMN asn; ALTER TABLE logins DROP COLUMN as_org;"
	    "DELETE FROM host_hours; ALTER TABLE requests DROP COLUMN forwarded_status;"
	    /* schema 6 undone; two views of the old random credentials shared one */
	    "DROP TABLE credentials; ALTER TABLE views DROP COLUMN trap_seq;"
	    "INSERT INTO views (id, sensor, kind, src_ip, referer_class, client_class, persona, "
	    "started_at, frames,"
	    " trap_username, trap_password) VALUES"
	    " (78, 's1', 'stream', '192.0.2.78', 'none', 'browser', 'axis', 1700000000000, 0, "
	    "'admin', 'Dup234'),"
	    " (79, 's1', 'stream', '192.0.2.79', 'none', 'browser', 'axis', 1700000000000, 0, "
	    "'admin', 'Dup234'),"
	    " (80, 's1', 'stream', '192.0.2.80', 'none', 'browser', 'axis', 1700000000000, 0, "
	    "'viewer', 'Solo567');"
	    "PRAGMA user_version = 4;",
	    NULL, NULL, NULL);
	sqlite3_close(h);
	st = store_open(&conf, err, sizeof(err));
	CHECK(st != NULL);
	store_free(st);
	/* migration 6 keeps an old credential one view alone showed, under a
	 * negative number; one two views showed identifies neither */
	CHECK(query_int(
	          db, "SELECT seq FROM credentials WHERE password = 'Solo567' AND view_id = 80") ==
	      -80);
	CHECK(query_int(db, "SELECT COUNT(*) FROM credentials WHERE password = 'Dup234'") == 0);
	CHECK(query_int(db, "SELECT SUM(views) FROM view_hours WHERE kind = 'poll'") == 1);
	CHECK(query_int(db, "SELECT flags FROM host_hours WHERE src_ip = '192.0.2.77'") == 1024);
	CHECK(query_int(db, "SELECT COUNT(*) FROM host_hours") ==
	      query_int(
	          db,
	          "SELECT COUNT(*) FROM (SELECT DISTINCT ts / 3600000, src_ip FROM requests UNION"
	          " SELECT DISTINCT started_at / 3600000, src_ip FROM views WHERE frames >= 1)"));
	CHECK(query_int(db, "SELECT length(value) FROM meta WHERE key = 'db_id'") == 32);
	/* migration 8 numbers every view once, in id order, and the clock follows */
	CHECK(query_int(
	          db,
	          "SELECT COUNT(DISTINCT ship_seq) = COUNT(*) AND MIN(ship_seq) > 0 FROM views") ==
	      1);
	CHECK(query_int(db, "SELECT n FROM ship_clock") ==
	      query_int(db, "SELECT MAX(ship_seq) FROM views"));
}

/* a database from a newer camdecoy is refused before a byte changes (its
 * rollback journal is not switched to WAL); so are foreign, corrupt and
 * unreachable ones */
static void refused_databases(void)
{
	char err[256], sql[64], cmd0[1024];
	store_conf_s c = conf;
	sqlite3 *h;

	sqlite3_open(db, &h);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", store_schema_version() + 1);
	sqlite3_exec(h, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	sqlite3_exec(h, sql, NULL, NULL, NULL);
	sqlite3_close(h);
	snprintf(cmd0, sizeof(cmd0), "md5sum < %s > %s/before && true", db, dir);
	CHECK(system(cmd0) == 0);
	CHECK(store_open(&conf, err, sizeof(err)) == NULL && strstr(err, "newer") != NULL);
	snprintf(cmd0, sizeof(cmd0), "md5sum < %s | cmp -s - %s/before && [ ! -e %s-wal ]", db, dir,
	         db);
	CHECK(system(cmd0) == 0);
	/* a foreign SQLite database is refused, and so is a camdecoy one with corrupt pages */
	char foreign[160];
	snprintf(foreign, sizeof(foreign), "%s/foreign.db", dir);
	sqlite3_open(foreign, &h);
	sqlite3_exec(h, "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT)", NULL, NULL,
	             NULL);
	sqlite3_close(h);
	store_conf_s cf = conf;
	cf.sc_db_path = foreign;
	CHECK(store_open(&cf, err, sizeof(err)) == NULL && strstr(err, "not a camdecoy") != NULL);
	CHECK(query_int(foreign, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'requests'") ==
	      0);
	cf.sc_db_path = db3; /* a size-capped camdecoy database with thousands of rows */
	/* garbage over the b-tree page header of the requests table's root */
	snprintf(cmd0, sizeof(cmd0),
	         "sqlite3 %s 'PRAGMA journal_mode = DELETE' >/dev/null && "
	         "p=$(sqlite3 %s \"SELECT (rootpage - 1) * 4096 FROM sqlite_master WHERE name = "
	         "'requests'\") && "
	         "printf 'garbage garbage garbage garbage' | dd of=%s bs=1 seek=$p conv=notrunc "
	         "2>/dev/null",
	         db3, db3, db3);
	CHECK(system(cmd0) == 0);
	CHECK(store_open(&cf, err, sizeof(err)) == NULL && strstr(err, "quick_check") != NULL);
	cf.sc_db_path = evlog; /* a text file */
	CHECK(store_open(&cf, err, sizeof(err)) == NULL &&
	      strstr(err, "not an SQLite database") != NULL);

	c.sc_db_path = "/nonexistent/dir/x.db";
	CHECK(store_open(&c, err, sizeof(err)) == NULL &&
	      strstr(err, "/nonexistent/dir/x.db") != NULL);
}

static void cap_evidence(void)
{
	test_cap_evidence(dir);
}

int main(void)
{
	CHECK(mkdtemp(dir) != NULL);
	snprintf(db, sizeof(db), "%s/t.db", dir);
	snprintf(evlog, sizeof(evlog), "%s/ev.log", dir);
	snprintf(db2, sizeof(db2), "%s/agg.db", dir);
	snprintf(db3, sizeof(db3), "%s/full.db", dir);
	conf.sc_db_path = db;
	conf.sc_log_path = evlog;
	RUN(write_batch_and_crash);
	RUN(recover_open_view);
	RUN(json_log_lines);
	RUN(aggregates);
	RUN(retention);
	RUN(size_cap);
	RUN(migrations);
	RUN(refused_databases);
	RUN(test_room);
	RUN(cap_evidence);
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	return check_report();
}

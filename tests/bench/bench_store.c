/* bench_store: events per second the writer thread commits (WAL, NORMAL,
 * batches), with and without the JSON log, against SQLite's own ceiling for
 * the same rows inserted directly in one transaction (the peer). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static event_s *request(int i)
{
	char path[64];
	const char *ua =
	    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120 Safari/537.36";
	snprintf(path, sizeof(path), "/jpg/image.jpg");
	const char *strs[EVS_MAX] = {"GET", path, "1518051386", ua, "http://www.insecam.org/",
	                             NULL};
	event_s *ev = event_new(EV_REQUEST, strs, NULL);

	ev->ev_ts = 1700000000000 + i;
	snprintf(ev->ev_who.id_ip, sizeof(ev->ev_who.id_ip), "198.51.100.%d", i % 250);
	snprintf(ev->ev_who.id_country, sizeof(ev->ev_who.id_country), "JP");
	ev->ev_who.id_port = (uint16_t)(1024 + i % 60000);
	ev->ev_referer_class = "insecam";
	ev->ev_client_class = "browser";
	ev->ev_route = "snapshot";
	ev->ev_status = 200;
	ev->ev_bytes = 34000;
	return ev;
}

static double run_store(const char *dir, int n, int with_log)
{
	char db[256], log[256], err[256];
	store_conf_s conf = {.sc_sensor = "bench",
	                     .sc_persona = "axis",
	                     .sc_version = "bench",
	                     .sc_queue_max = (size_t)n + 1};
	store_s *st;
	double t0;

	snprintf(db, sizeof(db), "%s/store-%d.db", dir, with_log);
	snprintf(log, sizeof(log), "%s/events-%d.jsonl", dir, with_log);
	conf.sc_db_path = db;
	conf.sc_log_path = with_log ? log : "";
	st = store_open(&conf, err, sizeof(err));
	if (st == NULL || store_start(st, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_store: %s\n", err);
		exit(1);
	}
	t0 = now();
	for (int i = 0; i < n; i++)
		store_submit(st, request(i));
	store_stop(st);
	double dt = now() - t0;
	store_stats_s ss;
	store_stats(st, &ss);
	if (ss.ss_written != (uint64_t)n)
		fprintf(stderr, "bench_store: wrote %llu of %d\n",
		        (unsigned long long)ss.ss_written, n);
	store_free(st);
	return n / dt;
}

/* The peer: the same rows straight into the same schema, one transaction,
 * one prepared statement, no queue and no thread hand-over. */
static double run_direct(const char *dir, int n)
{
	char db[256], err[256];
	store_conf_s conf = {.sc_sensor = "bench", .sc_persona = "axis", .sc_version = "bench"};
	sqlite3 *h;
	sqlite3_stmt *q;
	double t0;

	snprintf(db, sizeof(db), "%s/direct.db", dir);
	conf.sc_db_path = db;
	store_free(store_open(&conf, err, sizeof(err))); /* create the schema */
	sqlite3_open(db, &h);
	sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL, NULL);
	sqlite3_prepare_v2(
	    h,
	    "INSERT INTO requests (ts, sensor, src_ip, src_port, country, method, path, query,"
	    " user_agent, referer, referer_class, persona, route, status, bytes, client_class)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    -1, &q, NULL);
	t0 = now();
	sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
	for (int i = 0; i < n; i++) {
		event_s *ev = request(i);
		sqlite3_bind_int64(q, 1, ev->ev_ts);
		sqlite3_bind_text(q, 2, "bench", -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, ev->ev_who.id_ip, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 4, ev->ev_who.id_port);
		sqlite3_bind_text(q, 5, ev->ev_who.id_country, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 6, ev->ev_str[EVS_METHOD], -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 7, ev->ev_str[EVS_PATH], -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 8, ev->ev_str[EVS_QUERY], -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 9, ev->ev_str[EVS_USER_AGENT], -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 10, ev->ev_str[EVS_REFERER], -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 11, "insecam", -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 12, "axis", -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 13, "snapshot", -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 14, 200);
		sqlite3_bind_int(q, 15, 34000);
		sqlite3_bind_text(q, 16, "browser", -1, SQLITE_STATIC);
		sqlite3_step(q);
		sqlite3_reset(q);
		event_free(ev);
	}
	sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
	double dt = now() - t0;
	sqlite3_finalize(q);
	sqlite3_close(h);
	return n / dt;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200000;
	char dir[] = "/tmp/camdecoy-bench-XXXXXX", cmd[128];

	if (mkdtemp(dir) == NULL)
		return 1;
	double direct = run_direct(dir, n);
	double store = run_store(dir, n, 0);
	double logged = run_store(dir, n, 1);
	printf("| writer path | events/s | ratio to direct SQLite |\n|---|---|---|\n");
	printf("| direct SQLite, one transaction (peer) | %.0f | 1.00 |\n", direct);
	printf("| store: queue + writer thread, batches | %.0f | %.2f |\n", store, store / direct);
	printf("| store + JSON event log | %.0f | %.2f |\n", logged, logged / direct);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : 1;
}

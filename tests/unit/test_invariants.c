/* test_invariants: a property test. Random mixes of requests (detailed and aggregated), poll views
 * rewritten snapshot after snapshot, streams opened, advanced and closed, and logins, written
 * through the real store over many runs, some ended like kill -9 and one thinned by retention:
 * every summary must still equal what the raw rows say (the same check as `camdecoy-report check`).
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "clock.h"
#include "store.h"
#include "testdb.h"
#include "verify.h"

#define ROUNDS           10
#define EVENTS_PER_ROUND 1200

static uint64_t seen; /* requests this process handled, as the web stage counts them */

static size_t counters(void *arg, store_counter_s *out, size_t cap)
{
	(void)arg;
	if (cap < 1)
		return 0;
	out[0] = (store_counter_s){"requests_seen", seen};
	return 1;
}

static const char *const referers[] = {"insecam", "directory", "search", "self", "none", "other"};
static const char *const clients[] = {"browser", "scanner", "unknown"};
static const char *const countries[] = {"JP", "US", "DE", ""};

static void identity(event_s *ev, unsigned r)
{
	snprintf(ev->ev_who.id_ip, sizeof(ev->ev_who.id_ip), "192.0.2.%u", r % 40);
	snprintf(ev->ev_who.id_country, sizeof(ev->ev_who.id_country), "%s", countries[r % 4]);
	ev->ev_referer_class = referers[(r / 7) % 6];
	ev->ev_client_class = clients[(r / 3) % 3];
}

typedef struct {
	int64_t pv_id, pv_first, pv_last;
	uint64_t pv_count;
	unsigned pv_who;
} poll_s;

typedef struct {
	int64_t sv_id, sv_started, sv_last;
	uint64_t sv_frames;
	unsigned sv_who;
	int sv_open;
} strm_s;

/* a request with a row */
static void request_row(store_s *st, unsigned r, int64_t ts)
{
	event_s *ev =
	    event_new(EV_REQUEST, (const char *const[EVS_MAX]){"GET", "/jpg/image.jpg"}, NULL);

	identity(ev, r);
	ev->ev_ts = ts;
	ev->ev_route = "snapshot";
	ev->ev_status = 200;
	seen++;
	store_submit(st, ev);
}

/* a snapshot of a poll view: the whole view again */
static void poll_snapshot(store_s *st, poll_s *p, unsigned r, int64_t ts)
{
	event_s *ev;

	if (p->pv_id == 0 || r % 5 == 0) {
		p->pv_id = store_next_view_id(st);
		p->pv_first = p->pv_last = ts;
		p->pv_count = 0;
		p->pv_who = r;
	}
	p->pv_last += 1000;
	p->pv_count++;
	ev = event_new(EV_VIEW_OPEN, (const char *const[EVS_MAX]){NULL, "/jpg/image.jpg"}, NULL);
	identity(ev, p->pv_who);
	ev->ev_view_id = p->pv_id;
	ev->ev_view_kind = VIEW_POLL;
	ev->ev_started_at = p->pv_first;
	ev->ev_last_frame_at = p->pv_last;
	ev->ev_ended_at = p->pv_last + 1000;
	ev->ev_frames = p->pv_count;
	ev->ev_end_reason = "idle";
	store_submit(st, ev);
}

/* a stream: open (no frame yet), progress, close */
static void stream_step(store_s *st, strm_s *s, unsigned r, int64_t now)
{
	event_s *ev;

	if (!s->sv_open) {
		/* streams are recent: none outlives the retention period */
		s->sv_id = store_next_view_id(st);
		s->sv_started = s->sv_last = now - (int64_t)(r % (5 * 24)) * 3600000;
		s->sv_frames = 0;
		s->sv_who = r;
		s->sv_open = 1;
		ev = event_new(EV_VIEW_OPEN, NULL, NULL);
		ev->ev_view_kind = VIEW_STREAM;
	} else {
		s->sv_frames += r % 3; /* sometimes still no frame */
		s->sv_last += 500;
		s->sv_open = r % 4 != 0;
		ev = event_new(s->sv_open ? EV_VIEW_PROGRESS : EV_VIEW_CLOSE, NULL, NULL);
		ev->ev_end_reason = "client_closed";
		ev->ev_ended_at = s->sv_last;
	}
	identity(ev, s->sv_who);
	ev->ev_view_id = s->sv_id;
	ev->ev_started_at = s->sv_started;
	ev->ev_last_frame_at = s->sv_last;
	ev->ev_frames = s->sv_frames;
	store_submit(st, ev);
}

/* a login attempt */
static void login_try(store_s *st, unsigned r, int64_t ts)
{
	event_s *ev = event_new(
	    EV_LOGIN,
	    (const char *const[EVS_MAX]){[EVS_USERNAME] = "root", [EVS_PASSWORD] = "xc3511"}, NULL);

	identity(ev, r);
	ev->ev_ts = ts;
	ev->ev_channel = "basic";
	ev->ev_match_kind = "none";
	store_submit(st, ev);
}

/* One run of the decoy's writer: EVENTS_PER_ROUND random events, then a
 * clean stop, or (crash) an exit without one while events are queued. */
static void run(const char *db, int retention_days, int crash, unsigned seed)
{
	char err[256];
	const store_conf_s sc = {.sc_db_path = db,
	                         .sc_sensor = "prop",
	                         .sc_persona = "axis",
	                         .sc_version = "t",
	                         .sc_retention_days = retention_days};
	store_s *st = store_open(&sc, err, sizeof(err));
	poll_s polls[8] = {0};
	strm_s streams[8] = {0};
	int64_t now = clock_wall_ms();

	srand(seed);
	if (st == NULL ||
	    (store_set_counters(st, counters, NULL), store_start(st, err, sizeof(err))) != 0)
		_exit(3);
	for (int i = 0; i < EVENTS_PER_ROUND; i++) {
		unsigned r = (unsigned)rand();
		/* times spread over 30 days, so hours and retention both matter */
		int64_t ts = now - (int64_t)(r % (30 * 24)) * 3600000 - (int64_t)(r % 3600000);
		switch (r % 10) {
		case 0:
		case 1:
		case 2:
		case 3:
			request_row(st, r, ts);
			break;
		case 4: /* a request past its network's budget */
			store_aggregate(st, "192.0.2.0/24", ts, "request");
			seen++;
			break;
		case 5:
		case 6:
			poll_snapshot(st, &polls[r % 8], r, ts);
			break;
		case 7:
		case 8:
			stream_step(st, &streams[r % 8], r, now);
			break;
		default:
			login_try(st, r, ts);
			break;
		}
		if (i % 300 == 299)
			usleep(
			    300000); /* pacing: batches commit in between, so a crash leaves some */
	}
	if (crash)
		_exit(0); /* like kill -9: whatever is still queued is lost */
	store_stop(st);
	store_free(st);
	_exit(0);
}

static int round_in_child(const char *db, int retention_days, int crash, unsigned seed)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0)
		run(db, retention_days, crash, seed);
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	               WEXITSTATUS(status) == 0
	           ? 0
	           : -1;
}

static int verify(const char *db, const char *expect)
{
	char err[256], out[4096] = "";
	FILE *f = fmemopen(out, sizeof(out) - 1, "w");
	int rc = verify_database(db, f, err, sizeof(err));

	fclose(f);
	fputs(out, stdout);
	if (rc < 0)
		printf("verify: %s\n", err);
	return rc == 0 && strstr(out, expect) != NULL ? 0 : -1;
}

int main(void)
{
	char dir[] = "/tmp/camdecoy-prop-XXXXXX", clean[128], mixed[128], cmd[512];
	int rounds_ok = 0;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(clean, sizeof(clean), "%s/clean.db", dir);
	snprintf(mixed, sizeof(mixed), "%s/mixed.db", dir);
	/* Clean runs only: the counters must add up too. */
	for (int r = 0; r < ROUNDS / 2; r++)
		rounds_ok += round_in_child(clean, 0, 0, 100 + (unsigned)r) == 0;
	CHECK(verify(clean, "counters: ok") == 0);
	CHECK(query_int(clean, "SELECT COUNT(*) FROM views WHERE kind = 'poll'") ==
	      query_int(clean, "SELECT SUM(views) FROM view_hours WHERE kind = 'poll'"));
	/* Crashes, restarts and retention: the summaries still agree. */
	for (int r = 0; r < ROUNDS / 2; r++)
		rounds_ok += round_in_child(mixed, r == 3 ? 20 : 0, r == 0 || r == 2,
		                            200 + (unsigned)r) == 0;
	CHECK(rounds_ok == ROUNDS);
	CHECK(verify(mixed, "view_hours: ok") == 0);
	CHECK(query_int(mixed, "SELECT value FROM counters WHERE name = 'unclean_starts'") >= 1);
	CHECK(query_int(mixed, "SELECT value FROM counters WHERE name = 'rows_retained'") > 0);
	CHECK(query_int(mixed, "SELECT COUNT(*) FROM requests") > 0);
	CHECK(query_int(mixed, "SELECT COUNT(*) FROM views WHERE end_reason = 'crash'") > 0);
	/* A summary made wrong on purpose is caught, and named. */
	snprintf(cmd, sizeof(cmd),
	         "sqlite3 %s \"UPDATE view_hours SET views = views + 1 WHERE hour ="
	         " (SELECT MIN(hour) FROM view_hours)\"",
	         clean);
	CHECK(system(cmd) == 0);
	CHECK(verify(clean, "view_hours: DISAGREE") == -1);
	if (getenv("KEEP") == NULL) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		CHECK(system(cmd) == 0);
	}
	return check_report();
}

/* store: the bounded event queue and the one writer thread that owns the database.
 *
 * Request threads only append to the queue under a short mutex; the writer
 * commits whatever arrived in the last 250 ms (at most STORE_BATCH_MAX
 * events) in one transaction through the SQLite sink, logs them through the
 * JSON-lines sink, and adds the aggregates and counters to the same commit. */
#include "store.h"

#include "aggregate.h"
#include "clock.h"
#include "htab.h"
#include "jsonl.h"
#include "netaddr.h"
#include "retention.h"
#include "room.h"
#include "sqlsink.h"
#include "thread.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STORE_FLUSH_MS      250
#define STORE_BATCH_MAX     5000
#define STORE_CHECKPOINT_MS 10000
#define STORE_RETRY_MS      1000
#define STORE_AGG_MAX       65536
#define STORE_COUNTERS_MAX  64 /* 57 with shipping, a live camera, Telnet and RTSP */
#define STORE_RETENTION_MS  3600000
#define STORE_STATUS_MS     60000 /* a status line in the event log at most this often */
/* Events held in memory at most, in bytes (an event with long strings is
 * up to 8 KiB: 100,000 of them would be 800 MiB while the disk is full). */
#define STORE_HELD_BYTES (64 << 20)

struct store {
	sqlsink_s *st_sink;
	jsonl_s *st_log;                  /* NULL: no event log */
	aggtab_s *st_agg;                 /* under st_lock */
	uint64_t st_agg_overflow;         /* counts lost to out-of-memory */
	pthread_mutex_t st_counters_lock; /* st_counters against store_freeze_counters */
	store_counters_fn st_counters;
	void *st_counters_arg;
	store_counter_s st_frozen[STORE_COUNTERS_MAX];
	size_t st_nfrozen;
	store_counter_s st_written_counters[STORE_COUNTERS_MAX];
	size_t st_nwritten_counters;
	/* the counters as the database had them at open: totals of earlier runs */
	char st_base_name[STORE_COUNTERS_MAX][40];
	uint64_t st_base_value[STORE_COUNTERS_MAX];
	size_t st_nbase;
	int st_last_failed;   /* the last batch could not be written */
	int st_status_due;    /* an event was shed: a status line with the next commit */
	int64_t st_cap_bytes; /* db-max-mb; 0: no cap */
	room_lines_s st_lines;
	int64_t st_wal_bytes; /* the WAL's size at the last batch */
	atomic_int st_room;   /* room_e, as the writer last saw it */
	aggtab_s *st_squeeze; /* the writer's: counts of the batch being written */
	size_t st_held_bytes; /* events queued or held by the writer (under st_lock) */
	retention_s st_retention;
	int64_t st_last_retention;
	int st_urgent; /* a credential use waits: flush now */
	pthread_t st_thread;
	int st_started;
	pthread_mutex_t st_lock;
	pthread_cond_t st_cond;
	event_s *st_head, *st_tail; /* queue */
	size_t st_queued, st_queue_max;
	int st_stopping;
	int64_t st_status_at; /* when the last status line was logged (monotonic ms), 0: never */
	atomic_llong st_next_view;
	store_stats_s st_stats; /* under st_lock */
};

static void load_base(void *arg, const char *name, uint64_t value)
{
	store_s *st = arg;

	if (st->st_nbase < STORE_COUNTERS_MAX && strlen(name) < sizeof(st->st_base_name[0])) {
		snprintf(st->st_base_name[st->st_nbase], sizeof(st->st_base_name[0]), "%s", name);
		st->st_base_value[st->st_nbase++] = value;
	}
}

static uint64_t base_of(const store_s *st, const char *name)
{
	for (size_t i = 0; i < st->st_nbase; i++)
		if (strcmp(st->st_base_name[i], name) == 0)
			return st->st_base_value[i];
	return 0;
}

/* How full the database is now (looked at before every row: a PRAGMA
 * page_count, no I/O); published for request threads. */
static room_e room(store_s *st)
{
	room_e r = st->st_cap_bytes <= 0
	               ? ROOM_ALL
	               : room_level(&st->st_lines, sqlsink_bytes(st->st_sink), st->st_wal_bytes);

	atomic_store(&st->st_room, (int)r);
	return r;
}

int store_schema_version(void)
{
	return sqlsink_schema_version();
}

store_s *store_open(const store_conf_s *conf, char *err, size_t errlen)
{
	store_s *st = calloc(1, sizeof(*st));

	if (st == NULL) {
		snprintf(err, errlen, "store: out of memory");
		return NULL;
	}
	pthread_mutex_init(&st->st_lock, NULL);
	pthread_mutex_init(&st->st_counters_lock, NULL);
	thread_cond_init(&st->st_cond);
	st->st_queue_max = conf->sc_queue_max > 0 ? conf->sc_queue_max : 100000;
	st->st_cap_bytes = (int64_t)conf->sc_max_mb * 1048576;
	st->st_retention.rt_days = conf->sc_retention_days;
	st->st_retention.rt_truncate = conf->sc_retention_truncate;
	if ((st->st_agg = aggtab_new(STORE_AGG_MAX)) == NULL ||
	    (st->st_squeeze = aggtab_new(STORE_AGG_MAX)) == NULL) {
		snprintf(err, errlen, "store: out of memory");
		goto fail;
	}
	const sqlsink_conf_s so = {
	    .so_path = conf->sc_db_path != NULL ? conf->sc_db_path : "",
	    .so_sensor = conf->sc_sensor != NULL ? conf->sc_sensor : "",
	    .so_persona = conf->sc_persona != NULL ? conf->sc_persona : "",
	    .so_version = conf->sc_version != NULL ? conf->sc_version : "",
	    .so_geoip_type = conf->sc_geoip_type,
	    .so_geoip_build = conf->sc_geoip_build,
	    .so_geoip_asn_type = conf->sc_geoip_asn_type,
	    .so_geoip_asn_build = conf->sc_geoip_asn_build,
	    .so_max_mb = conf->sc_max_mb,
	};
	if ((st->st_sink = sqlsink_open(&so, err, errlen)) == NULL)
		goto fail;
	room_lines(&st->st_lines, sqlsink_limit_bytes(st->st_sink), sqlsink_page_size(st->st_sink),
	           st->st_cap_bytes / 8);
	st->st_wal_bytes = sqlsink_wal_bytes(st->st_sink);
	room(st);
	st->st_stats.ss_recovered = sqlsink_recovered(st->st_sink);
	st->st_stats.ss_unclean_start = sqlsink_was_running(st->st_sink);
	if (sqlsink_each_counter(st->st_sink, load_base, st) != 0) {
		snprintf(err, errlen, "database: cannot read counters");
		goto fail;
	}
	atomic_init(&st->st_next_view, sqlsink_max_view_id(st->st_sink) + 1);
	if (conf->sc_log_path != NULL && conf->sc_log_path[0] != '\0' &&
	    (st->st_log =
	         jsonl_open(conf->sc_log_path, so.so_sensor, so.so_persona, err, errlen)) == NULL)
		goto fail;
	return st;
fail:
	store_free(st);
	return NULL;
}

int store_views_full(store_s *st)
{
	return atomic_load(&st->st_room) >= ROOM_NO_NEW_VIEWS;
}

void store_squeeze_view(store_s *st, const char *network, int64_t ts_ms)
{
	store_aggregate(st, network, ts_ms, "view");
	pthread_mutex_lock(&st->st_lock);
	st->st_stats.ss_squeezed++;
	pthread_mutex_unlock(&st->st_lock);
}

void store_aggregate(store_s *st, const char *network, int64_t ts_ms, const char *kind)
{
	pthread_mutex_lock(&st->st_lock);
	if (aggtab_add(st->st_agg, ts_ms / 3600000, kind,
	               network != NULL && network[0] ? network : "?", 1) != 0)
		st->st_agg_overflow++; /* lost detail and total: counted */
	st->st_stats.ss_aggregated++;
	pthread_mutex_unlock(&st->st_lock);
}

/* The counters to write: this store's own, then the registered module's,
 * each added to its total from earlier runs, so that the table describes
 * the whole database (camdecoy-report check compares it with the rows). */
static size_t collect_counters(store_s *st, const store_stats_s *snap, uint64_t written,
                               store_counter_s *out)
{
	size_t n = 0;

	out[n++] = (store_counter_s){"events_written", written};
	out[n++] = (store_counter_s){"events_dropped", snap->ss_dropped};
	out[n++] = (store_counter_s){"request_events_dropped", snap->ss_request_dropped};
	out[n++] = (store_counter_s){"write_failures", snap->ss_write_failures};
	out[n++] = (store_counter_s){"log_failures", snap->ss_log_failures};
	out[n++] = (store_counter_s){"aggregated", snap->ss_aggregated};
	out[n++] = (store_counter_s){"rows_retained", snap->ss_retained};
	out[n++] = (store_counter_s){"rows_squeezed", snap->ss_squeezed};
	out[n++] = (store_counter_s){"events_shed", snap->ss_shed};
	out[n++] = (store_counter_s){"view_updates_skipped", snap->ss_updates_skipped};
	out[n++] = (store_counter_s){"unclean_starts", (uint64_t)snap->ss_unclean_start};
	pthread_mutex_lock(&st->st_counters_lock);
	if (st->st_counters != NULL) {
		n += st->st_counters(st->st_counters_arg, out + n, STORE_COUNTERS_MAX - n);
	} else {
		memcpy(out + n, st->st_frozen, st->st_nfrozen * sizeof(out[0]));
		n += st->st_nfrozen;
	}
	pthread_mutex_unlock(&st->st_counters_lock);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(out[i].ct_name);
		if (len < 4 || strcmp(out[i].ct_name + len - 4, "_now") != 0)
			out[i].ct_value += base_of(st, out[i].ct_name);
	}
	return n;
}

static int is_poll_view(const event_s *ev)
{
	return ev->ev_kind == EV_VIEW_OPEN && ev->ev_view_kind == VIEW_POLL;
}

/* The last event of one poll view in a batch. */
typedef struct {
	htab_node_s lt_node;
	const event_s *lt_ev;
	uint64_t lt_first_frames; /* of the view's first event in the batch */
} latest_s;

static int latest_eq(const htab_node_s *n, const void *key)
{
	return HTAB_ENTRY(n, latest_s, lt_node)->lt_ev->ev_view_id == *(const int64_t *)key;
}

static const latest_s *latest_of(const htab_s *t, const event_s *ev)
{
	htab_node_s *hn = htab_find(t, htab_hash(&ev->ev_view_id, sizeof(ev->ev_view_id)),
	                            latest_eq, &ev->ev_view_id);

	return hn != NULL ? HTAB_ENTRY(hn, latest_s, lt_node) : NULL;
}

/* What one batch did instead of writing rows: applied to the stats only
 * when its commit succeeds (a batch that fails is written again, and would
 * count twice). */
typedef struct {
	uint64_t bt_squeezed;     /* rows counted in aggregated instead */
	uint64_t bt_shed;         /* events that did not fit at the cap */
	uint64_t bt_lost;         /* aggregated counts that did not */
	uint64_t bt_request_shed; /* requests among both */
	uint64_t bt_updates;      /* view updates skipped in the reserve */
} batch_s;

/* Counts ev in aggregated instead of writing it, in this batch's table
 * (written with this batch). */
static void squeeze(store_s *st, batch_s *b, const event_s *ev, const char *kind, int64_t ts)
{
	char net[64];

	if (netaddr_truncate(ev->ev_ip, strlen(ev->ev_ip), 24, 64, net, sizeof(net)) != 0)
		snprintf(net, sizeof(net), "%s", "?");
	if (aggtab_add(st->st_squeeze, ts / 3600000, kind, net, 1) != 0)
		st->st_agg_overflow++;
	b->bt_squeezed++;
}

/* Counts ev as dropped: it did not fit at the cap. */
static void shed(batch_s *b, const event_s *ev)
{
	b->bt_shed++;
	if (ev->ev_kind == EV_REQUEST)
		b->bt_request_shed++;
}

/* One event that the room admits: its row, and a new view's credential. 0,
 * 1 when a row did not fit at the cap (undone alone: shed), -1 when the
 * transaction failed. */
static int write_one(store_s *st, const event_s *ev)
{
	/* A view and its credential are written together or not at all. */
	int pair =
	    (ev->ev_kind == EV_VIEW_OPEN || ev->ev_kind == EV_EXPLOIT) && ev->ev_trap_seq != 0;

	if (pair && sqlsink_savepoint(st->st_sink) != 0)
		return -1;
	if (sqlsink_credential(st->st_sink, ev) == 0 && sqlsink_write(st->st_sink, ev) == 0)
		return pair ? sqlsink_release(st->st_sink, 0) : 0;
	if (!sqlsink_at_cap(st->st_sink))
		return -1;
	return pair && sqlsink_release(st->st_sink, 1) != 0 ? -1 : 1;
}

/* Whether ev gives way at level space; if so it is counted (squeezed,
 * skipped or shed) and gets no row. lt: a poll view's state in the batch. */
static int gives_way(store_s *st, batch_s *b, const event_s *ev, const latest_s *lt, room_e space)
{
	if ((int)space < room_gives_way(ev))
		return 0;
	switch (ev->ev_kind) {
	case EV_REQUEST:
		squeeze(st, b, ev, "request", ev->ev_ts);
		return 1;
	case EV_EXPLOIT:
		return 1; /* its request is counted (squeezed) in its place */
	case EV_VIEW_OPEN:
		if (sqlsink_view_exists(st->st_sink, ev->ev_view_id))
			break;
		/* Counted once: at a stream's open, at a poll view's first
		 * snapshot. Its credential is not written: one no stored view
		 * links to a viewer is no evidence. */
		if (ev->ev_view_kind != VIEW_POLL ||
		    (lt != NULL ? lt->lt_first_frames : ev->ev_frames) <= 1)
			squeeze(st, b, ev, "view", ev->ev_started_at);
		return 1;
	case EV_LOGIN:
		if (!room_evidence(ev)) {
			squeeze(st, b, ev, "login", ev->ev_ts);
			return 1;
		}
		shed(b, ev);
		return 1;
	default:
		break;
	}
	b->bt_updates++; /* an update of a view: no room for it in the reserve */
	return 1;
}

/* Writes the events of list: a poll view is rewritten whole by every
 * snapshot, so within a batch only its last state is written (a scanner
 * polling 10,000 times a second is one row update per batch, not 10,000
 * replaces). What no longer fits gives way row by row (room.h). 0, or -1
 * when the transaction failed. */
static int write_events(store_s *st, batch_s *b, event_s *list, size_t n)
{
	htab_s last = {0};
	latest_s *slots = n > 1 ? calloc(n, sizeof(*slots)) : NULL;
	size_t used = 0;
	int rc = 0;

	if (slots != NULL && htab_init(&last, n) != 0) {
		free(slots);
		slots = NULL;
	}
	for (event_s *ev = list; slots != NULL && ev != NULL; ev = ev->ev_next) {
		if (!is_poll_view(ev))
			continue;
		uint64_t h = htab_hash(&ev->ev_view_id, sizeof(ev->ev_view_id));
		htab_node_s *hn = htab_find(&last, h, latest_eq, &ev->ev_view_id);
		if (hn != NULL) {
			HTAB_ENTRY(hn, latest_s, lt_node)->lt_ev = ev;
		} else {
			slots[used].lt_ev = ev;
			slots[used].lt_first_frames = ev->ev_frames;
			htab_insert(&last, &slots[used++].lt_node, h);
		}
	}
	for (event_s *ev = list; rc == 0 && ev != NULL; ev = ev->ev_next) {
		const latest_s *lt =
		    slots != NULL && is_poll_view(ev) ? latest_of(&last, ev) : NULL;
		if (lt != NULL && lt->lt_ev != ev)
			continue; /* superseded later in this batch */
		if (gives_way(st, b, ev, lt, room(st)))
			continue;
		if ((rc = write_one(st, ev)) == 1) {
			shed(b, ev);
			rc = 0;
		}
	}
	htab_destroy(&last);
	free(slots);
	return rc;
}

/* A "status" line in the event log: the counters as last committed. How
 * many lines could not be written. */
static uint64_t log_status(store_s *st)
{
	const char *names[STORE_COUNTERS_MAX];
	uint64_t values[STORE_COUNTERS_MAX];

	if (st->st_log == NULL || st->st_nwritten_counters == 0)
		return 0;
	for (size_t i = 0; i < st->st_nwritten_counters; i++) {
		names[i] = st->st_written_counters[i].ct_name;
		values[i] = st->st_written_counters[i].ct_value;
	}
	st->st_status_at = clock_mono_ms();
	st->st_status_due = 0;
	return jsonl_status(st->st_log, clock_wall_ms(), names, values, st->st_nwritten_counters);
}

/* Adds list's counts to aggregated; a count that does not fit at the cap
 * is lost and counted as dropped (its requests too: the counters add up).
 * 0, or -1 when the transaction failed. */
static int write_aggregates(store_s *st, batch_s *b, agg_s *list, int fold)
{
	for (agg_s *a = list; a != NULL; a = a->ag_next) {
		if (sqlsink_aggregate(st->st_sink, a, fold) == 0)
			continue;
		if (!sqlsink_at_cap(st->st_sink))
			return -1;
		b->bt_lost += a->ag_count;
		if (strcmp(a->ag_kind, "request") == 0)
			b->bt_request_shed += a->ag_count;
	}
	return 0;
}

/* Commits a batch of events (list may be empty) with the aggregates and the
 * counters; 0 on success (the caller frees the list), -1 when space or the
 * disk failed (to retry later as it is), -2 when a row itself failed. */
static int write_batch(store_s *st, event_s *list, size_t n, agg_s *aggs)
{
	store_stats_s snap;
	store_counter_s counters[STORE_COUNTERS_MAX];
	size_t ncounters;
	uint64_t log_failed = 0;
	batch_s b = {0};
	agg_s *squeezed = NULL;
	int stopping, fold, rc = -1;

	if (st->st_log != NULL)
		log_failed = jsonl_write(st->st_log, list);
	pthread_mutex_lock(&st->st_lock);
	st->st_stats.ss_log_failures += log_failed;
	pthread_mutex_unlock(&st->st_lock);
	st->st_wal_bytes = sqlsink_wal_bytes(st->st_sink);
	if (sqlsink_begin(st->st_sink) != 0)
		goto failed;
	if (write_events(st, &b, list, n) != 0)
		goto rollback;
	/* Past the line for new views a new network's count would be a new
	 * row in the reserve: it goes to the hour's "*" row instead. */
	fold = room(st) >= ROOM_EVIDENCE;
	squeezed = aggtab_take(st->st_squeeze);
	if (write_aggregates(st, &b, aggs, fold) != 0 ||
	    write_aggregates(st, &b, squeezed, fold) != 0)
		goto rollback;
	pthread_mutex_lock(&st->st_lock);
	snap = st->st_stats;
	stopping = st->st_stopping;
	pthread_mutex_unlock(&st->st_lock);
	/* The counters describe the database as of this commit. */
	snap.ss_squeezed += b.bt_squeezed;
	snap.ss_aggregated += b.bt_squeezed;
	snap.ss_dropped += b.bt_shed + b.bt_lost;
	snap.ss_request_dropped += b.bt_request_shed;
	snap.ss_shed += b.bt_shed + b.bt_lost;
	snap.ss_updates_skipped += b.bt_updates;
	ncounters = collect_counters(st, &snap, snap.ss_written + n - b.bt_shed, counters);
	for (size_t i = 0; i < ncounters; i++)
		if (sqlsink_counter(st->st_sink, counters[i].ct_name, counters[i].ct_value) != 0)
			goto rollback;
	if (sqlsink_commit(st->st_sink) != 0)
		goto rollback;
	agg_list_free(squeezed);
	memcpy(st->st_written_counters, counters, ncounters * sizeof(counters[0]));
	st->st_nwritten_counters = ncounters;
	/* The counters as committed, in the event log too: at the first commit,
	 * at most once a minute while they change, at once when events were
	 * shed, and at the stop. */
	log_failed = 0;
	if (st->st_status_at == 0 || clock_mono_ms() - st->st_status_at >= STORE_STATUS_MS ||
	    stopping || st->st_status_due || b.bt_shed + b.bt_lost > 0)
		log_failed = log_status(st);
	pthread_mutex_lock(&st->st_lock);
	st->st_stats.ss_written += n - b.bt_shed;
	st->st_stats.ss_batches++;
	st->st_stats.ss_log_failures += log_failed;
	st->st_stats.ss_squeezed += b.bt_squeezed;
	st->st_stats.ss_aggregated += b.bt_squeezed;
	st->st_stats.ss_dropped += b.bt_shed + b.bt_lost;
	st->st_stats.ss_request_dropped += b.bt_request_shed;
	st->st_stats.ss_shed += b.bt_shed + b.bt_lost;
	st->st_stats.ss_updates_skipped += b.bt_updates;
	pthread_mutex_unlock(&st->st_lock);
	return 0;
rollback:
	rc = sqlsink_space_failure(st->st_sink) ? -1 : -2;
	sqlsink_rollback(st->st_sink);
	/* squeezed again when the batch is retried */
	agg_list_free(squeezed);
	agg_list_free(aggtab_take(st->st_squeeze));
failed:
	pthread_mutex_lock(&st->st_lock);
	st->st_stats.ss_write_failures++;
	pthread_mutex_unlock(&st->st_lock);
	return rc;
}

/* Whether a counter moved since the last commit (then an empty commit is worth it). */
static int counters_changed(store_s *st)
{
	store_counter_s now[STORE_COUNTERS_MAX];
	store_stats_s snap;
	size_t n;

	pthread_mutex_lock(&st->st_lock);
	snap = st->st_stats;
	pthread_mutex_unlock(&st->st_lock);
	n = collect_counters(st, &snap, snap.ss_written, now);
	if (n != st->st_nwritten_counters)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (now[i].ct_value != st->st_written_counters[i].ct_value)
			return 1;
	return 0;
}

/* After each chunk of retention: counted, and stopped when events wait. */
static int retention_progress(void *arg, int rows)
{
	store_s *st = arg;
	int busy;

	pthread_mutex_lock(&st->st_lock);
	st->st_stats.ss_retained += (uint64_t)rows;
	busy = st->st_queued > 0 || st->st_stopping;
	pthread_mutex_unlock(&st->st_lock);
	return busy;
}

/* Under st_lock. */
static void count_dropped(store_s *st, event_kind_e kind)
{
	st->st_stats.ss_dropped++;
	if (kind == EV_REQUEST)
		st->st_stats.ss_request_dropped++;
}

/* What ev holds in memory (event_new's one allocation). */
static size_t event_bytes(const event_s *ev)
{
	size_t n = sizeof(*ev);

	for (int i = 0; i < EVS_MAX; i++)
		if (ev->ev_str[i] != NULL)
			n += ev->ev_len[i] + 1;
	return n;
}

/* Frees the writer's events, and the room they held in the queue's bound. */
static void free_list(store_s *st, event_s *list)
{
	size_t bytes = 0;

	while (list != NULL) {
		event_s *next = list->ev_next;
		bytes += event_bytes(list);
		event_free(list);
		list = next;
	}
	pthread_mutex_lock(&st->st_lock);
	st->st_held_bytes -= bytes < st->st_held_bytes ? bytes : st->st_held_bytes;
	pthread_mutex_unlock(&st->st_lock);
}

/* A batch that failed to commit (rc from write_batch). Space and disks come
 * back: a batch that failed for them is kept whole and retried in a second
 * (the events held stay under STORE_HELD_BYTES). A row that fails by itself
 * would fail every time: the batch is split, its first half retried alone
 * and the rest queued again in front, down to the one event at fault, which
 * is shed (counted as dropped, with a status line). At the stop a batch
 * that failed for space is dropped and counted. Returns the events to retry first, *n of
 * them; *alone: without others appended. */
static event_s *failed_batch(store_s *st, event_s *batch, size_t *n, int rc, int stopping,
                             int *alone)
{
	event_s *rest, *tail;
	size_t half = *n / 2;

	*alone = 0;
	if ((stopping && rc == -1) || (rc == -2 && *n <= 1)) {
		pthread_mutex_lock(&st->st_lock);
		for (event_s *ev = batch; ev != NULL; ev = ev->ev_next) {
			count_dropped(st, ev->ev_kind);
			st->st_stats.ss_shed += rc == -2;
		}
		st->st_status_due = rc == -2;
		pthread_mutex_unlock(&st->st_lock);
		free_list(st, batch);
		*n = 0;
		return NULL;
	}
	if (rc == -1 || batch == NULL)
		return batch;
	tail = batch;
	for (size_t i = 1; i < half; i++)
		tail = tail->ev_next;
	rest = tail->ev_next;
	tail->ev_next = NULL;
	for (tail = rest; tail->ev_next != NULL; tail = tail->ev_next)
		;
	pthread_mutex_lock(&st->st_lock);
	tail->ev_next = st->st_head;
	if (st->st_head == NULL)
		st->st_tail = tail;
	st->st_head = rest;
	st->st_queued += *n - half;
	pthread_mutex_unlock(&st->st_lock);
	*n = half;
	*alone = 1;
	return batch;
}

static void *store_run(void *arg)
{
	store_s *st = arg;
	event_s *pending = NULL; /* a batch that failed to commit, retried first */
	size_t pending_n = 0;
	int alone = 0; /* the pending events are retried without others */
	int64_t last_checkpoint = clock_mono_ms();

	for (;;) {
		event_s *batch, **tailp;
		agg_s *aggs;
		size_t n = 0;
		int stopping, failed = 0;

		pthread_mutex_lock(&st->st_lock);
		/* A backlog of a full batch or more is written at once: waiting
		 * 250 ms per batch would cap the writer at 20,000 events/s. */
		if (!st->st_stopping && !st->st_urgent && !alone &&
		    (pending != NULL || st->st_queued < STORE_BATCH_MAX))
			thread_cond_wait_ms(&st->st_cond, &st->st_lock,
			                    pending != NULL ? STORE_RETRY_MS : STORE_FLUSH_MS);
		st->st_urgent = 0;
		stopping = st->st_stopping;
		/* Take up to STORE_BATCH_MAX events, appended behind a pending batch. */
		batch = pending;
		n = pending_n;
		tailp = &batch;
		while (*tailp != NULL)
			tailp = &(*tailp)->ev_next;
		while (st->st_head != NULL && n < STORE_BATCH_MAX && !alone) {
			event_s *ev = st->st_head;
			st->st_head = ev->ev_next;
			ev->ev_next = NULL;
			*tailp = ev;
			tailp = &ev->ev_next;
			n++;
			st->st_queued--;
		}
		if (st->st_head == NULL)
			st->st_tail = NULL;
		aggs = aggtab_take(st->st_agg);
		pthread_mutex_unlock(&st->st_lock);
		pending = NULL;
		pending_n = 0;
		alone = 0;
		if (batch != NULL || aggs != NULL || counters_changed(st)) {
			int rc = write_batch(st, batch, n, aggs);
			if (rc == 0) {
				free_list(st, batch);
			} else {
				/* Shutting down with a failing database: the JSON log
				 * has them, the counts say they were lost. */
				pending = failed_batch(st, batch, &n, rc, stopping, &alone);
				pending_n = n;
				failed = 1;
			}
		}
		if (failed && !stopping) {
			/* Counts are kept for the retry: merged back in. */
			pthread_mutex_lock(&st->st_lock);
			aggtab_merge(st->st_agg, aggs);
			pthread_mutex_unlock(&st->st_lock);
		} else {
			agg_list_free(aggs);
		}
		if (!failed && st->st_retention.rt_days > 0 &&
		    (st->st_last_retention == 0 ||
		     clock_mono_ms() - st->st_last_retention >= STORE_RETENTION_MS)) {
			/* Unfinished work comes back in a minute, not an hour. */
			int more = retention_run(&st->st_retention, sqlsink_db(st->st_sink),
			                         clock_wall_ms(), retention_progress, st) != 0;
			st->st_last_retention =
			    clock_mono_ms() - (more ? STORE_RETENTION_MS - 60000 : 0);
		}
		if (clock_mono_ms() - last_checkpoint >= STORE_CHECKPOINT_MS) {
			/* PASSIVE never blocks readers; journal_size_limit trims the file. */
			sqlite3_wal_checkpoint_v2(sqlsink_db(st->st_sink), NULL,
			                          SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
			last_checkpoint = clock_mono_ms();
		}
		st->st_last_failed = failed;
		pthread_mutex_lock(&st->st_lock);
		/* Counts made while writing the last batch (requests squeezed out
		 * for space) go in one more commit. */
		int done = stopping && st->st_head == NULL && pending == NULL &&
		           (failed || aggtab_count(st->st_agg) == 0);
		pthread_mutex_unlock(&st->st_lock);
		if (done)
			break;
	}
	return NULL;
}

int store_start(store_s *st, char *err, size_t errlen)
{
	if (thread_start(&st->st_thread, "camdecoy-store", store_run, st, err, errlen) != 0)
		return -1;
	st->st_started = 1;
	return 0;
}

void store_stop(store_s *st)
{
	if (st == NULL || !st->st_started)
		return;
	pthread_mutex_lock(&st->st_lock);
	st->st_stopping = 1;
	pthread_cond_signal(&st->st_cond);
	pthread_mutex_unlock(&st->st_lock);
	pthread_join(st->st_thread, NULL);
	st->st_started = 0;
	/* the writer is gone: its counters are read here */
	if (log_status(st) != 0) {
		pthread_mutex_lock(&st->st_lock);
		st->st_stats.ss_log_failures++;
		pthread_mutex_unlock(&st->st_lock);
	}
	/* Everything counted is in the database: the next start is clean. */
	if (!st->st_last_failed)
		sqlsink_state(st->st_sink, "stopped");
	sqlite3_wal_checkpoint_v2(sqlsink_db(st->st_sink), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL,
	                          NULL);
}

void store_free(store_s *st)
{
	if (st == NULL)
		return;
	if (st->st_sink != NULL)
		store_stop(st);
	free_list(st, st->st_head);
	aggtab_free(st->st_agg);
	aggtab_free(st->st_squeeze);
	sqlsink_close(st->st_sink);
	jsonl_close(st->st_log);
	pthread_cond_destroy(&st->st_cond);
	pthread_mutex_destroy(&st->st_lock);
	pthread_mutex_destroy(&st->st_counters_lock);
	free(st);
}

void store_dropped(store_s *st, event_kind_e kind)
{
	pthread_mutex_lock(&st->st_lock);
	count_dropped(st, kind);
	pthread_mutex_unlock(&st->st_lock);
}

int store_submit(store_s *st, event_s *ev)
{
	int rc = 0;

	if (ev == NULL) {
		store_dropped(st, EV_KIND_MAX);
		return -1;
	}
	ev->ev_next = NULL;
	pthread_mutex_lock(&st->st_lock);
	st->st_stats.ss_submitted++;
	/* Evidence has an eighth more room: a flood cannot fill the queue for it. */
	size_t max_n = st->st_queue_max, max_bytes = STORE_HELD_BYTES, bytes = event_bytes(ev);
	if (room_evidence(ev)) {
		max_n += max_n / 8;
		max_bytes += max_bytes / 8;
	}
	if (st->st_queued >= max_n || st->st_held_bytes + bytes > max_bytes || st->st_stopping) {
		count_dropped(st, ev->ev_kind);
		rc = -1;
	} else {
		if (st->st_tail != NULL)
			st->st_tail->ev_next = ev;
		else
			st->st_head = ev;
		st->st_tail = ev;
		st->st_queued++;
		st->st_held_bytes += bytes;
		if (ev->ev_kind == EV_CREDENTIAL_USE) {
			/* A credential use is written at once, not after 250 ms. */
			st->st_urgent = 1;
			pthread_cond_signal(&st->st_cond);
		}
	}
	pthread_mutex_unlock(&st->st_lock);
	if (rc != 0)
		event_free(ev);
	return rc;
}

void store_set_counters(store_s *st, store_counters_fn fn, void *arg)
{
	pthread_mutex_lock(&st->st_counters_lock);
	st->st_counters = fn;
	st->st_counters_arg = arg;
	pthread_mutex_unlock(&st->st_counters_lock);
}

void store_freeze_counters(store_s *st)
{
	pthread_mutex_lock(&st->st_counters_lock);
	if (st->st_counters != NULL)
		st->st_nfrozen =
		    st->st_counters(st->st_counters_arg, st->st_frozen, STORE_COUNTERS_MAX - 11);
	st->st_counters = NULL;
	pthread_mutex_unlock(&st->st_counters_lock);
}

int64_t store_next_view_id(store_s *st)
{
	return atomic_fetch_add(&st->st_next_view, 1);
}

void store_stats(store_s *st, store_stats_s *out)
{
	pthread_mutex_lock(&st->st_lock);
	*out = st->st_stats;
	pthread_mutex_unlock(&st->st_lock);
}

/* guard: the door's table for connections, stream counts per address in a
 * seeded hash table, and request deadlines, under one mutex. */
#include "guard.h"

#include "clock.h"
#include "htab.h"
#include "thread.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define GUARD_EXPECTED 1024
#define GUARD_TICK_MS  1000
#define GUARD_QUIET_MS 1000

/* An address with streams. */
typedef struct gentry {
	htab_node_s ge_node;
	guard_addr_s ge_key;
	uint32_t ge_streams;
} gentry_s;

struct guard {
	guard_conf_s g_conf;
	pthread_mutex_t g_lock;
	pthread_cond_t g_cond;
	pthread_t g_thread;
	int g_started, g_stopping;
	door_s *g_door;
	htab_s g_table;
	guard_conn_s g_conns; /* list head */
	guard_stats_s g_stats;
};

void guard_addr(const struct sockaddr *sa, socklen_t len, guard_addr_s *out)
{
	door_addr(sa, len, out);
}

static uint64_t key_hash(const guard_addr_s *k)
{
	uint8_t raw[1 + 16];

	raw[0] = k->da_family;
	memcpy(raw + 1, k->da_addr, 16);
	return htab_hash(raw, sizeof(raw));
}

static int key_eq(const htab_node_s *n, const void *key)
{
	const gentry_s *e = HTAB_ENTRY(n, gentry_s, ge_node);
	const guard_addr_s *a = key;

	return e->ge_key.da_family == a->da_family &&
	       memcmp(e->ge_key.da_addr, a->da_addr, 16) == 0;
}

/* The entry for k, created (zeroed) when create is set; NULL if absent or
 * out of memory. Under g_lock. */
static gentry_s *entry(guard_s *g, const guard_addr_s *k, int create)
{
	uint64_t h = key_hash(k);
	htab_node_s *n = htab_find(&g->g_table, h, key_eq, k);
	gentry_s *e;

	if (n != NULL)
		return HTAB_ENTRY(n, gentry_s, ge_node);
	if (!create || (e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->ge_key = *k;
	htab_insert(&g->g_table, &e->ge_node, h);
	return e;
}

/* The door's counts, as the stats say them. Under g_lock. */
static void sync_stats(guard_s *g)
{
	door_stats_s ds;

	door_stats(g->g_door, &ds);
	g->g_stats.gs_refused_full = ds.dst_refused_full;
	g->g_stats.gs_refused_ip = ds.dst_refused_ip;
	g->g_stats.gs_refused_net = ds.dst_refused_net;
	g->g_stats.gs_evicted = ds.dst_evicted;
	g->g_stats.gs_connections = door_used(g->g_door);
}

guard_s *guard_new(const guard_conf_s *conf)
{
	guard_s *g = calloc(1, sizeof(*g));

	if (g == NULL)
		return NULL;
	const door_conf_s dc = {.dc_places = conf->gf_max_connections,
	                        .dc_per_ip = conf->gf_per_ip,
	                        .dc_per_net = conf->gf_per_net};
	if ((g->g_door = door_new(&dc)) == NULL || htab_init(&g->g_table, GUARD_EXPECTED) != 0) {
		door_free(g->g_door);
		free(g);
		return NULL;
	}
	g->g_conf = *conf;
	g->g_conns.gc_next = g->g_conns.gc_prev = &g->g_conns;
	pthread_mutex_init(&g->g_lock, NULL);
	/* The tick waits on the monotonic clock, like the deadlines. */
	thread_cond_init(&g->g_cond);
	return g;
}

guard_verdict_e guard_admit(guard_s *g, const struct sockaddr *sa, socklen_t len)
{
	guard_addr_s a;
	door_seat_s *victim;
	door_verdict_e v;

	guard_addr(sa, len, &a);
	pthread_mutex_lock(&g->g_lock);
	v = door_admit(g->g_door, &a, &victim);
	if (v == DOOR_EVICT) {
		/* Out of the table already; shut down, not closed: its owner (the
		 * front, the only one with waiting seats) sees the end and closes. */
		guard_conn_s *gc =
		    (guard_conn_s *)(void *)((char *)victim - offsetof(guard_conn_s, gc_seat));
		if (gc->gc_fd >= 0)
			shutdown(gc->gc_fd, SHUT_RDWR);
		gc->gc_shut = 1;
	}
	sync_stats(g);
	pthread_mutex_unlock(&g->g_lock);
	return v == DOOR_OK || v == DOOR_EVICT ? GUARD_OK
	       : v == DOOR_PER_IP              ? GUARD_PER_IP
	       : v == DOOR_PER_NET             ? GUARD_PER_NET
	                                       : GUARD_FULL;
}

void guard_open(guard_s *g, guard_conn_s *gc, const struct sockaddr *sa, socklen_t len, int fd,
                int settled)
{
	memset(gc, 0, sizeof(*gc));
	guard_addr(sa, len, &gc->gc_addr);
	gc->gc_fd = fd;
	gc->gc_since = clock_mono_ms();
	gc->gc_deadline = gc->gc_since + (int64_t)g->g_conf.gf_request_timeout * 1000;
	pthread_mutex_lock(&g->g_lock);
	door_sit(g->g_door, &gc->gc_seat, &gc->gc_addr, gc->gc_since, settled);
	gc->gc_next = g->g_conns.gc_next;
	gc->gc_prev = &g->g_conns;
	gc->gc_next->gc_prev = gc;
	g->g_conns.gc_next = gc;
	sync_stats(g);
	pthread_mutex_unlock(&g->g_lock);
}

void guard_close(guard_s *g, guard_conn_s *gc)
{
	if (gc->gc_next == NULL)
		return; /* never opened */
	pthread_mutex_lock(&g->g_lock);
	gc->gc_prev->gc_next = gc->gc_next;
	gc->gc_next->gc_prev = gc->gc_prev;
	gc->gc_next = gc->gc_prev = NULL;
	door_leave(g->g_door, &gc->gc_seat);
	sync_stats(g);
	pthread_mutex_unlock(&g->g_lock);
}

void guard_hold(guard_s *g, const guard_addr_s *a, int delta)
{
	pthread_mutex_lock(&g->g_lock);
	door_hold(g->g_door, a, delta);
	sync_stats(g);
	pthread_mutex_unlock(&g->g_lock);
}

void guard_busy(guard_s *g, guard_conn_s *gc, int busy)
{
	pthread_mutex_lock(&g->g_lock);
	gc->gc_busy = busy;
	if (!busy) {
		gc->gc_since = clock_mono_ms();
		gc->gc_deadline = gc->gc_since + (int64_t)g->g_conf.gf_request_timeout * 1000;
	}
	pthread_mutex_unlock(&g->g_lock);
}

int guard_stream_begin(guard_s *g, const guard_addr_s *addr)
{
	gentry_s *e;
	int rc = 0;

	if (addr->da_family == 0)
		return 0;
	pthread_mutex_lock(&g->g_lock);
	e = entry(g, addr, 1);
	if (e != NULL && e->ge_streams >= (uint32_t)g->g_conf.gf_streams_per_ip) {
		g->g_stats.gs_streams_refused++;
		rc = -1;
	} else if (e != NULL) {
		e->ge_streams++;
	}
	pthread_mutex_unlock(&g->g_lock);
	return rc;
}

void guard_stream_end(guard_s *g, const guard_addr_s *addr)
{
	gentry_s *e;

	if (addr->da_family == 0)
		return;
	pthread_mutex_lock(&g->g_lock);
	if ((e = entry(g, addr, 0)) != NULL && e->ge_streams > 0 && --e->ge_streams == 0) {
		htab_remove(&g->g_table, &e->ge_node);
		free(e);
	}
	pthread_mutex_unlock(&g->g_lock);
}

int guard_sweep(guard_s *g, int64_t now_ms)
{
	int n = 0;

	/* Under the lock: MHD reports a connection closed (guard_close) before
	 * it closes the descriptor, so an fd seen here is still that connection. */
	pthread_mutex_lock(&g->g_lock);
	/* the deadline shortens as the table fills */
	int64_t limit = door_limit(g->g_door, (int64_t)g->g_conf.gf_request_timeout * 1000,
	                           (int64_t)g->g_conf.gf_request_floor * 1000);
	for (guard_conn_s *gc = g->g_conns.gc_next; gc != &g->g_conns; gc = gc->gc_next) {
		char byte;
		if (gc->gc_busy || gc->gc_shut || gc->gc_fd < 0)
			continue;
		int64_t deadline =
		    gc->gc_since + limit < gc->gc_deadline ? gc->gc_since + limit : gc->gc_deadline;
		/* A peer that closed its side while waiting is done: libmicrohttpd
		 * 0.9.75 keeps such a connection (bytes without a line end, then
		 * EOF) until the deadline. Peek, after a second of quiet, so that a
		 * request being processed right now is never cut. */
		if (now_ms < deadline && (now_ms - gc->gc_since < GUARD_QUIET_MS ||
		                          recv(gc->gc_fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) != 0))
			continue;
		/* Shut down, not closed: MHD sees the error and closes it itself. */
		shutdown(gc->gc_fd, SHUT_RDWR);
		gc->gc_shut = 1;
		if (now_ms < deadline) {
			g->g_stats.gs_peer_closed++;
		} else {
			g->g_stats.gs_deadline_closed++;
			g->g_stats.gs_deadline_pressed += now_ms < gc->gc_deadline;
		}
		n++;
	}
	pthread_mutex_unlock(&g->g_lock);
	return n;
}

static void *guard_run(void *arg)
{
	guard_s *g = arg;

	pthread_mutex_lock(&g->g_lock);
	while (!g->g_stopping) {
		thread_cond_wait_ms(&g->g_cond, &g->g_lock, GUARD_TICK_MS);
		if (g->g_stopping)
			break;
		pthread_mutex_unlock(&g->g_lock);
		guard_sweep(g, clock_mono_ms());
		pthread_mutex_lock(&g->g_lock);
	}
	pthread_mutex_unlock(&g->g_lock);
	return NULL;
}

int guard_start(guard_s *g, char *err, size_t errlen)
{
	if (thread_start(&g->g_thread, "camdecoy-guard", guard_run, g, err, errlen) != 0)
		return -1;
	g->g_started = 1;
	return 0;
}

void guard_stats(guard_s *g, guard_stats_s *out)
{
	pthread_mutex_lock(&g->g_lock);
	*out = g->g_stats;
	pthread_mutex_unlock(&g->g_lock);
}

void guard_free(guard_s *g)
{
	if (g == NULL)
		return;
	if (g->g_started) {
		pthread_mutex_lock(&g->g_lock);
		g->g_stopping = 1;
		pthread_cond_signal(&g->g_cond);
		pthread_mutex_unlock(&g->g_lock);
		pthread_join(g->g_thread, NULL);
	}
	for (htab_node_s *n; (n = htab_pop(&g->g_table)) != NULL;)
		free(HTAB_ENTRY(n, gentry_s, ge_node));
	htab_destroy(&g->g_table);
	door_free(g->g_door);
	pthread_cond_destroy(&g->g_cond);
	pthread_mutex_destroy(&g->g_lock);
	free(g);
}

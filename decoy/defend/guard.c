/* guard: per-address and per-network connection counts, stream counts and
 * request deadlines, in one seeded hash table under one mutex. */
#include "guard.h"

#include "clock.h"
#include "htab.h"
#include "thread.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define GUARD_EXPECTED 8192
#define GUARD_TICK_MS  1000
#define GUARD_QUIET_MS 1000

/* A counted key: a whole address or its network (prefix bits in gk_net). */
typedef struct gentry {
	htab_node_s ge_node;
	guard_addr_s ge_key;
	uint8_t ge_net; /* 1: a network key */
	uint32_t ge_conns;
	uint32_t ge_streams;
} gentry_s;

struct guard {
	guard_conf_s g_conf;
	pthread_mutex_t g_lock;
	pthread_cond_t g_cond;
	pthread_t g_thread;
	int g_started, g_stopping;
	htab_s g_table;
	guard_conn_s g_conns; /* list head */
	guard_stats_s g_stats;
};

void guard_addr(const struct sockaddr *sa, socklen_t len, guard_addr_s *out)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	memset(out, 0, sizeof(*out));
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
		out->ga_family = 4;
		memcpy(out->ga_addr, &sin->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
		if (memcmp(&sin6->sin6_addr, mapped, 12) == 0) {
			out->ga_family = 4;
			memcpy(out->ga_addr, (const uint8_t *)&sin6->sin6_addr + 12, 4);
		} else {
			out->ga_family = 6;
			memcpy(out->ga_addr, &sin6->sin6_addr, 16);
		}
	}
}

/* The /24 or /64 an address belongs to. */
static void net_of(const guard_addr_s *a, guard_addr_s *net)
{
	*net = *a;
	if (a->ga_family == 4)
		net->ga_addr[3] = 0;
	else
		memset(net->ga_addr + 8, 0, 8);
}

/* The hashed form of a key: family, whether a network, the address. */
static uint64_t key_hash(const guard_addr_s *k, int is_net)
{
	uint8_t raw[1 + 1 + 16];

	raw[0] = k->ga_family;
	raw[1] = (uint8_t)is_net;
	memcpy(raw + 2, k->ga_addr, 16);
	return htab_hash(raw, sizeof(raw));
}

typedef struct {
	const guard_addr_s *gq_addr;
	int gq_net;
} guard_query_s;

static int key_eq(const htab_node_s *n, const void *key)
{
	const gentry_s *e = HTAB_ENTRY(n, gentry_s, ge_node);
	const guard_query_s *q = key;

	return e->ge_net == q->gq_net && e->ge_key.ga_family == q->gq_addr->ga_family &&
	       memcmp(e->ge_key.ga_addr, q->gq_addr->ga_addr, 16) == 0;
}

/* The entry for k, created (zeroed) when create is set; NULL if absent or
 * out of memory. Under g_lock. */
static gentry_s *entry(guard_s *g, const guard_addr_s *k, int is_net, int create)
{
	const guard_query_s q = {k, is_net};
	uint64_t h = key_hash(k, is_net);
	htab_node_s *n = htab_find(&g->g_table, h, key_eq, &q);
	gentry_s *e;

	if (n != NULL)
		return HTAB_ENTRY(n, gentry_s, ge_node);
	if (!create || (e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->ge_key = *k;
	e->ge_net = (uint8_t)is_net;
	htab_insert(&g->g_table, &e->ge_node, h);
	return e;
}

/* Frees e once nothing counts on it. Under g_lock. */
static void entry_release(guard_s *g, gentry_s *e)
{
	if (e == NULL || e->ge_conns != 0 || e->ge_streams != 0)
		return;
	htab_remove(&g->g_table, &e->ge_node);
	free(e);
}

/* One connection more (delta 1) or less (-1) from a: the global count, the
 * address's and its network's. Out of memory: served, just not counted.
 * Under g_lock. */
static void count_locked(guard_s *g, const guard_addr_s *a, int delta)
{
	guard_addr_s net;
	gentry_s *e;

	if (delta > 0)
		g->g_stats.gs_connections++;
	else if (g->g_stats.gs_connections > 0)
		g->g_stats.gs_connections--;
	if (a->ga_family == 0)
		return;
	net_of(a, &net);
	for (int is_net = 0; is_net <= 1; is_net++) {
		e = entry(g, is_net ? &net : a, is_net, delta > 0);
		if (e == NULL)
			continue;
		if (delta > 0) {
			e->ge_conns++;
		} else if (e->ge_conns > 0) {
			e->ge_conns--;
			entry_release(g, e);
		}
	}
}

guard_s *guard_new(const guard_conf_s *conf)
{
	guard_s *g = calloc(1, sizeof(*g));

	if (g == NULL)
		return NULL;
	if (htab_init(&g->g_table, GUARD_EXPECTED) != 0) {
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
	guard_addr_s a, net;
	guard_verdict_e v = GUARD_OK;
	gentry_s *e;

	guard_addr(sa, len, &a);
	pthread_mutex_lock(&g->g_lock);
	if (g->g_stats.gs_connections >= (uint64_t)g->g_conf.gf_max_connections) {
		v = GUARD_FULL;
		g->g_stats.gs_refused_full++;
	} else if (a.ga_family != 0) {
		net_of(&a, &net);
		if ((e = entry(g, &a, 0, 0)) != NULL &&
		    e->ge_conns >= (uint32_t)g->g_conf.gf_per_ip) {
			v = GUARD_PER_IP;
			g->g_stats.gs_refused_ip++;
		} else if ((e = entry(g, &net, 1, 0)) != NULL &&
		           e->ge_conns >= (uint32_t)g->g_conf.gf_per_net) {
			v = GUARD_PER_NET;
			g->g_stats.gs_refused_net++;
		}
	}
	pthread_mutex_unlock(&g->g_lock);
	return v;
}

void guard_open(guard_s *g, guard_conn_s *gc, const struct sockaddr *sa, socklen_t len, int fd)
{
	memset(gc, 0, sizeof(*gc));
	guard_addr(sa, len, &gc->gc_addr);
	gc->gc_fd = fd;
	gc->gc_since = clock_mono_ms();
	gc->gc_deadline = gc->gc_since + (int64_t)g->g_conf.gf_request_timeout * 1000;
	pthread_mutex_lock(&g->g_lock);
	count_locked(g, &gc->gc_addr, 1);
	gc->gc_next = g->g_conns.gc_next;
	gc->gc_prev = &g->g_conns;
	gc->gc_next->gc_prev = gc;
	g->g_conns.gc_next = gc;
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
	count_locked(g, &gc->gc_addr, -1);
	pthread_mutex_unlock(&g->g_lock);
}

void guard_hold(guard_s *g, const guard_addr_s *a, int delta)
{
	pthread_mutex_lock(&g->g_lock);
	count_locked(g, a, delta);
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

	if (addr->ga_family == 0)
		return 0;
	pthread_mutex_lock(&g->g_lock);
	e = entry(g, addr, 0, 1);
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

	if (addr->ga_family == 0)
		return;
	pthread_mutex_lock(&g->g_lock);
	if ((e = entry(g, addr, 0, 0)) != NULL && e->ge_streams > 0) {
		e->ge_streams--;
		entry_release(g, e);
	}
	pthread_mutex_unlock(&g->g_lock);
}

int guard_sweep(guard_s *g, int64_t now_ms)
{
	int n = 0;

	/* Under the lock: MHD reports a connection closed (guard_close) before
	 * it closes the descriptor, so an fd seen here is still that connection. */
	pthread_mutex_lock(&g->g_lock);
	for (guard_conn_s *gc = g->g_conns.gc_next; gc != &g->g_conns; gc = gc->gc_next) {
		char byte;
		if (gc->gc_busy || gc->gc_shut || gc->gc_fd < 0)
			continue;
		/* A peer that closed its side while waiting is done: libmicrohttpd
		 * 0.9.75 keeps such a connection (bytes without a line end, then
		 * EOF) until the deadline. Peek, after a second of quiet, so that a
		 * request being processed right now is never cut. */
		if (now_ms < gc->gc_deadline &&
		    (now_ms - gc->gc_since < GUARD_QUIET_MS ||
		     recv(gc->gc_fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) != 0))
			continue;
		/* Shut down, not closed: MHD sees the error and closes it itself. */
		shutdown(gc->gc_fd, SHUT_RDWR);
		gc->gc_shut = 1;
		if (now_ms < gc->gc_deadline)
			g->g_stats.gs_peer_closed++;
		else
			g->g_stats.gs_deadline_closed++;
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
	pthread_cond_destroy(&g->g_cond);
	pthread_mutex_destroy(&g->g_lock);
	free(g);
}

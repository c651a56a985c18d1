/* door: per-address and per-network places in one seeded hash table, each
 * network with its waiting seats oldest first, and a list of the networks
 * that have any (the candidates for an eviction). */
#include "door.h"

#include "htab.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#define DOOR_EXPECTED 1024

typedef struct door_key {
	htab_node_s dk_node;
	door_addr_s dk_addr;
	uint8_t dk_net;     /* 1: a network key */
	uint32_t dk_places; /* seats and holds */
	/* networks only: waiting seats, oldest first, and the list of
	 * networks with waiting seats */
	door_seat_s dk_waiting;
	struct door_key *dk_prev, *dk_next;
	int dk_listed;
} dkey_s;

struct door {
	door_conf_s d_conf;
	htab_s d_table;
	size_t d_used;
	dkey_s d_nets; /* head of the networks with waiting seats */
	door_stats_s d_stats;
};

void door_addr(const struct sockaddr *sa, socklen_t len, door_addr_s *out)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	memset(out, 0, sizeof(*out));
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
		out->da_family = 4;
		memcpy(out->da_addr, &sin->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
		if (memcmp(&sin6->sin6_addr, mapped, 12) == 0) {
			out->da_family = 4;
			memcpy(out->da_addr, (const uint8_t *)&sin6->sin6_addr + 12, 4);
		} else {
			out->da_family = 6;
			memcpy(out->da_addr, &sin6->sin6_addr, 16);
		}
	}
}

/* The /24 or /64 an address belongs to. */
static void net_of(const door_addr_s *a, door_addr_s *net)
{
	*net = *a;
	if (a->da_family == 4)
		net->da_addr[3] = 0;
	else
		memset(net->da_addr + 8, 0, 8);
}

typedef struct {
	const door_addr_s *dq_addr;
	int dq_net;
} dquery_s;

static int key_eq(const htab_node_s *n, const void *key)
{
	const dkey_s *k = HTAB_ENTRY(n, dkey_s, dk_node);
	const dquery_s *q = key;

	return k->dk_net == q->dq_net && k->dk_addr.da_family == q->dq_addr->da_family &&
	       memcmp(k->dk_addr.da_addr, q->dq_addr->da_addr, 16) == 0;
}

static uint64_t key_hash(const door_addr_s *a, int is_net)
{
	uint8_t raw[2 + 16];

	raw[0] = a->da_family;
	raw[1] = (uint8_t)is_net;
	memcpy(raw + 2, a->da_addr, 16);
	return htab_hash(raw, sizeof(raw));
}

/* The key for a (its network when is_net), created when create is set;
 * NULL if absent or out of memory. */
static dkey_s *key_get(door_s *d, const door_addr_s *a, int is_net, int create)
{
	door_addr_s net;
	const door_addr_s *k = a;
	if (is_net) {
		net_of(a, &net);
		k = &net;
	}
	const dquery_s q = {k, is_net};
	uint64_t h = key_hash(k, is_net);
	htab_node_s *n = htab_find(&d->d_table, h, key_eq, &q);
	dkey_s *e;

	if (n != NULL)
		return HTAB_ENTRY(n, dkey_s, dk_node);
	if (!create || (e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->dk_addr = *k;
	e->dk_net = (uint8_t)is_net;
	e->dk_waiting.ds_next = e->dk_waiting.ds_prev = &e->dk_waiting;
	htab_insert(&d->d_table, &e->dk_node, h);
	return e;
}

static uint32_t places_of(door_s *d, const door_addr_s *a, int is_net)
{
	dkey_s *k = a->da_family != 0 ? key_get(d, a, is_net, 0) : NULL;

	return k != NULL ? k->dk_places : 0;
}

/* One place less on k; the key goes once nothing counts on it. */
static void key_put(door_s *d, dkey_s *k)
{
	if (k == NULL)
		return;
	if (k->dk_places > 0)
		k->dk_places--;
	if (k->dk_places == 0 && k->dk_waiting.ds_next == &k->dk_waiting) {
		htab_remove(&d->d_table, &k->dk_node);
		free(k);
	}
}

/* The network k is (un)listed among those with waiting seats. */
static void relist(door_s *d, dkey_s *k)
{
	int want = k->dk_waiting.ds_next != &k->dk_waiting;

	if (want == k->dk_listed)
		return;
	if (want) {
		k->dk_next = d->d_nets.dk_next;
		k->dk_prev = &d->d_nets;
		k->dk_next->dk_prev = k;
		d->d_nets.dk_next = k;
	} else {
		k->dk_prev->dk_next = k->dk_next;
		k->dk_next->dk_prev = k->dk_prev;
		k->dk_next = k->dk_prev = NULL;
	}
	k->dk_listed = want;
}

/* s stops waiting (settled or leaving). */
static void unwait(door_s *d, door_seat_s *s)
{
	if (s->ds_state != DOOR_WAITING || s->ds_next == NULL)
		return;
	s->ds_prev->ds_next = s->ds_next;
	s->ds_next->ds_prev = s->ds_prev;
	s->ds_next = s->ds_prev = NULL;
	if (s->ds_net != NULL)
		relist(d, s->ds_net);
}

door_s *door_new(const door_conf_s *conf)
{
	door_s *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	if (htab_init(&d->d_table, DOOR_EXPECTED) != 0) {
		free(d);
		return NULL;
	}
	d->d_conf = *conf;
	d->d_nets.dk_next = d->d_nets.dk_prev = &d->d_nets;
	return d;
}

void door_free(door_s *d)
{
	if (d == NULL)
		return;
	for (htab_node_s *n; (n = htab_pop(&d->d_table)) != NULL;)
		free(HTAB_ENTRY(n, dkey_s, dk_node));
	htab_destroy(&d->d_table);
	free(d);
}

/* The victim for a newcomer whose network holds mine places: the oldest
 * waiting seat of the network holding the most among those with one,
 * holding at least two more than mine (the swap leaves the table fairer);
 * on equal holdings the one whose oldest seat is older. NULL: none. */
static door_seat_s *pick_victim(door_s *d, uint32_t mine)
{
	dkey_s *best = NULL;

	for (dkey_s *k = d->d_nets.dk_next; k != &d->d_nets; k = k->dk_next) {
		if (k->dk_places < mine + 2)
			continue;
		if (best == NULL || k->dk_places > best->dk_places ||
		    (k->dk_places == best->dk_places &&
		     k->dk_waiting.ds_next->ds_since < best->dk_waiting.ds_next->ds_since))
			best = k;
	}
	return best != NULL ? best->dk_waiting.ds_next : NULL;
}

door_verdict_e door_admit(door_s *d, const door_addr_s *a, door_seat_s **victim)
{
	uint32_t mine = places_of(d, a, 1);

	*victim = NULL;
	if (a->da_family != 0 && places_of(d, a, 0) >= (uint32_t)d->d_conf.dc_per_ip) {
		d->d_stats.dst_refused_ip++;
		return DOOR_PER_IP;
	}
	if (a->da_family != 0 && mine >= (uint32_t)d->d_conf.dc_per_net) {
		d->d_stats.dst_refused_net++;
		return DOOR_PER_NET;
	}
	d->d_stats.dst_admitted++;
	if (d->d_used < (size_t)d->d_conf.dc_places)
		return DOOR_OK;
	if ((*victim = pick_victim(d, mine)) == NULL) {
		d->d_stats.dst_admitted--;
		d->d_stats.dst_refused_full++;
		return DOOR_FULL;
	}
	door_leave(d, *victim);
	d->d_stats.dst_evicted++;
	return DOOR_EVICT;
}

void door_sit(door_s *d, door_seat_s *s, const door_addr_s *a, int64_t now, int settled)
{
	memset(s, 0, sizeof(*s));
	s->ds_since = now;
	s->ds_state = settled ? DOOR_SETTLED : DOOR_WAITING;
	d->d_used++;
	if (a->da_family != 0) {
		s->ds_ip = key_get(d, a, 0, 1);
		s->ds_net = key_get(d, a, 1, 1);
	}
	if (s->ds_ip != NULL)
		s->ds_ip->dk_places++;
	if (s->ds_net == NULL)
		return;
	s->ds_net->dk_places++;
	if (settled)
		return;
	/* newest last: seats are seated in time order */
	door_seat_s *head = &s->ds_net->dk_waiting;
	s->ds_prev = head->ds_prev;
	s->ds_next = head;
	head->ds_prev->ds_next = s;
	head->ds_prev = s;
	relist(d, s->ds_net);
}

void door_settle(door_s *d, door_seat_s *s)
{
	if (s->ds_state != DOOR_WAITING)
		return;
	unwait(d, s);
	s->ds_state = DOOR_SETTLED;
}

void door_leave(door_s *d, door_seat_s *s)
{
	if (s->ds_state == DOOR_OUT)
		return;
	unwait(d, s);
	s->ds_state = DOOR_OUT;
	if (d->d_used > 0)
		d->d_used--;
	key_put(d, s->ds_ip);
	key_put(d, s->ds_net);
	s->ds_ip = s->ds_net = NULL;
}

void door_hold(door_s *d, const door_addr_s *a, int delta)
{
	if (delta > 0)
		d->d_used++;
	else if (d->d_used > 0)
		d->d_used--;
	if (a->da_family == 0)
		return;
	for (int is_net = 0; is_net <= 1; is_net++) {
		dkey_s *k = key_get(d, a, is_net, delta > 0);
		if (k != NULL && delta > 0)
			k->dk_places++;
		else if (k != NULL)
			key_put(d, k);
	}
}

int64_t door_limit(const door_s *d, int64_t full_ms, int64_t floor_ms)
{
	int64_t places = d->d_conf.dc_places > 0 ? d->d_conf.dc_places : 1,
	        used = (int64_t)d->d_used, half = places / 2;

	if (floor_ms > full_ms)
		floor_ms = full_ms;
	if (used <= half)
		return full_ms;
	if (used >= places)
		return floor_ms;
	return full_ms - (full_ms - floor_ms) * (used - half) / (places - half);
}

size_t door_used(const door_s *d)
{
	return d->d_used;
}

void door_stats(const door_s *d, door_stats_s *out)
{
	*out = d->d_stats;
}

/* fairq: round-robin by network, with push-out from the longest.
 *
 * Networks with items waiting sit on a ring; each pop serves the network in
 * turn and moves the turn on, so a network's wait grows with the number of
 * networks waiting, never with how much another one sent. When the queue is
 * full, the network holding the most loses its newest item to a newcomer
 * from a network that, with it, still holds fewer: a flood only ever
 * displaces itself. Networks
 * are also kept in lists by how many items they hold, so the longest is found
 * in O(1). Everything is allocated up front; nothing here allocates later. */
#include "fairq.h"
#include "htab.h"

#include <stdlib.h>
#include <string.h>

typedef struct fq_item {
	struct fq_item *fi_prev, *fi_next; /* within its network, oldest first */
	void *fi_ptr;
} fq_item_s;

typedef struct fq_net {
	htab_node_s fn_node;
	char fn_key[FAIRQ_KEY_MAX + 1];
	fq_item_s *fn_head, *fn_tail;
	size_t fn_count;
	struct fq_net *fn_rr_prev, *fn_rr_next; /* the ring of networks in turn */
	struct fq_net *fn_b_prev, *fn_b_next;   /* the list of networks holding fn_count */
} fq_net_s;

struct fairq {
	size_t fq_cap, fq_len, fq_nets, fq_most;
	fq_item_s *fq_items, *fq_free_items;
	fq_net_s *fq_netpool, *fq_free_nets;
	fq_net_s **fq_bucket; /* [cap + 1] */
	fq_net_s *fq_turn;    /* served next; NULL when empty */
	htab_s fq_table;
};

fairq_s *fairq_new(size_t cap)
{
	fairq_s *q = calloc(1, sizeof(*q));

	if (q == NULL || cap == 0)
		goto fail;
	q->fq_cap = cap;
	q->fq_items = calloc(cap, sizeof(*q->fq_items));
	q->fq_netpool = calloc(cap, sizeof(*q->fq_netpool));
	q->fq_bucket = calloc(cap + 1, sizeof(*q->fq_bucket));
	if (q->fq_items == NULL || q->fq_netpool == NULL || q->fq_bucket == NULL ||
	    htab_init(&q->fq_table, cap) != 0)
		goto fail;
	for (size_t i = 0; i < cap; i++) {
		q->fq_items[i].fi_next = i + 1 < cap ? &q->fq_items[i + 1] : NULL;
		q->fq_netpool[i].fn_rr_next = i + 1 < cap ? &q->fq_netpool[i + 1] : NULL;
	}
	q->fq_free_items = q->fq_items;
	q->fq_free_nets = q->fq_netpool;
	return q;
fail:
	if (q != NULL) {
		free(q->fq_items);
		free(q->fq_netpool);
		free(q->fq_bucket);
	}
	free(q);
	return NULL;
}

void fairq_free(fairq_s *q)
{
	if (q == NULL)
		return;
	htab_destroy(&q->fq_table);
	free(q->fq_items);
	free(q->fq_netpool);
	free(q->fq_bucket);
	free(q);
}

size_t fairq_len(const fairq_s *q)
{
	return q->fq_len;
}

size_t fairq_nets(const fairq_s *q)
{
	return q->fq_nets;
}

static int key_eq(const htab_node_s *n, const void *key)
{
	return strcmp(HTAB_ENTRY(n, fq_net_s, fn_node)->fn_key, key) == 0;
}

static void bucket_unlink(fairq_s *q, fq_net_s *n)
{
	if (n->fn_b_prev != NULL)
		n->fn_b_prev->fn_b_next = n->fn_b_next;
	else
		q->fq_bucket[n->fn_count] = n->fn_b_next;
	if (n->fn_b_next != NULL)
		n->fn_b_next->fn_b_prev = n->fn_b_prev;
}

static void bucket_link(fairq_s *q, fq_net_s *n)
{
	n->fn_b_prev = NULL;
	n->fn_b_next = q->fq_bucket[n->fn_count];
	if (n->fn_b_next != NULL)
		n->fn_b_next->fn_b_prev = n;
	q->fq_bucket[n->fn_count] = n;
	if (n->fn_count > q->fq_most)
		q->fq_most = n->fn_count;
}

/* n holds one item fewer (unlinked by the caller); an empty n leaves the
 * ring and the table and goes back to the pool. */
static void net_shrank(fairq_s *q, fq_net_s *n)
{
	bucket_unlink(q, n);
	n->fn_count--;
	q->fq_len--;
	/* counts move by one, so the longest moves down by one at most */
	if (q->fq_most > 0 && q->fq_bucket[q->fq_most] == NULL)
		q->fq_most--;
	if (n->fn_count > 0) {
		bucket_link(q, n);
		return;
	}
	if (n->fn_rr_next == n) {
		q->fq_turn = NULL;
	} else {
		n->fn_rr_prev->fn_rr_next = n->fn_rr_next;
		n->fn_rr_next->fn_rr_prev = n->fn_rr_prev;
		if (q->fq_turn == n)
			q->fq_turn = n->fn_rr_next;
	}
	htab_remove(&q->fq_table, &n->fn_node);
	q->fq_nets--;
	n->fn_rr_next = q->fq_free_nets;
	q->fq_free_nets = n;
}

static void *take(fairq_s *q, fq_net_s *n, fq_item_s *it)
{
	void *ptr = it->fi_ptr;

	if (it->fi_prev != NULL)
		it->fi_prev->fi_next = it->fi_next;
	else
		n->fn_head = it->fi_next;
	if (it->fi_next != NULL)
		it->fi_next->fi_prev = it->fi_prev;
	else
		n->fn_tail = it->fi_prev;
	it->fi_next = q->fq_free_items;
	q->fq_free_items = it;
	net_shrank(q, n);
	return ptr;
}

/* The network of key, joining the ring at the end of the round if new. */
static fq_net_s *net_of(fairq_s *q, const char *key, uint64_t h)
{
	htab_node_s *hn = htab_find(&q->fq_table, h, key_eq, key);
	fq_net_s *n;

	if (hn != NULL)
		return HTAB_ENTRY(hn, fq_net_s, fn_node);
	n = q->fq_free_nets; /* never NULL: networks with items <= items < cap */
	q->fq_free_nets = n->fn_rr_next;
	memset(n, 0, sizeof(*n));
	memcpy(n->fn_key, key, strlen(key) + 1);
	htab_insert(&q->fq_table, &n->fn_node, h);
	if (q->fq_turn == NULL) {
		n->fn_rr_prev = n->fn_rr_next = n;
		q->fq_turn = n;
	} else {
		n->fn_rr_next = q->fq_turn;
		n->fn_rr_prev = q->fq_turn->fn_rr_prev;
		n->fn_rr_prev->fn_rr_next = n;
		q->fq_turn->fn_rr_prev = n;
	}
	q->fq_nets++;
	bucket_link(q, n);
	return n;
}

void *fairq_push(fairq_s *q, const char *key, void *item)
{
	char k[FAIRQ_KEY_MAX + 1];
	size_t klen = strnlen(key, FAIRQ_KEY_MAX);
	void *out = NULL;
	fq_net_s *n;
	fq_item_s *it;

	memcpy(k, key, klen);
	k[klen] = '\0';
	uint64_t h = htab_hash(k, klen);
	if (q->fq_len == q->fq_cap) {
		htab_node_s *hn = htab_find(&q->fq_table, h, key_eq, k);
		size_t mine = hn != NULL ? HTAB_ENTRY(hn, fq_net_s, fn_node)->fn_count : 0;
		/* a swap that leaves the two even gains nothing: no churn among equals */
		if (mine + 1 >= q->fq_most)
			return item;
		fq_net_s *longest = q->fq_bucket[q->fq_most];
		out = take(q, longest, longest->fn_tail);
	}
	n = net_of(q, k, h);
	it = q->fq_free_items;
	q->fq_free_items = it->fi_next;
	it->fi_ptr = item;
	it->fi_next = NULL;
	it->fi_prev = n->fn_tail;
	if (n->fn_tail != NULL)
		n->fn_tail->fi_next = it;
	else
		n->fn_head = it;
	n->fn_tail = it;
	bucket_unlink(q, n);
	n->fn_count++;
	bucket_link(q, n);
	q->fq_len++;
	return out;
}

void *fairq_pop(fairq_s *q)
{
	fq_net_s *n = q->fq_turn;

	if (n == NULL)
		return NULL;
	q->fq_turn = n->fn_rr_next;
	return take(q, n, n->fn_head);
}

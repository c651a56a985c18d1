/* polls: poll viewers in the seeded hash table, with an LRU list that bounds them. */
#include "polls.h"
#include "htab.h"

#include <stdlib.h>
#include <string.h>

#define POLLS_KEY_MAX 576 /* IP + NUL + User-Agent bounded to 512 */

typedef struct poll_entry {
	htab_node_s pn_node;
	struct poll_entry *pn_prev, *pn_next; /* LRU: head is the oldest */
	size_t pn_keylen;
	poll_view_s pn_view;
	char pn_key[];
} poll_entry_s;

struct polls {
	int64_t pl_gap;
	size_t pl_max;
	htab_s pl_table;
	poll_entry_s *pl_head, *pl_tail;
};

polls_s *polls_new(int64_t gap_ms, size_t max_entries)
{
	polls_s *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->pl_gap = gap_ms;
	p->pl_max = max_entries > 0 ? max_entries : 1;
	if (htab_init(&p->pl_table, 1024) != 0) {
		free(p);
		return NULL;
	}
	return p;
}

void polls_free(polls_s *p)
{
	if (p == NULL)
		return;
	for (poll_entry_s *e = p->pl_head; e != NULL;) {
		poll_entry_s *next = e->pn_next;
		free(e);
		e = next;
	}
	htab_destroy(&p->pl_table);
	free(p);
}

static void lru_unlink(polls_s *p, poll_entry_s *e)
{
	if (e->pn_prev)
		e->pn_prev->pn_next = e->pn_next;
	else
		p->pl_head = e->pn_next;
	if (e->pn_next)
		e->pn_next->pn_prev = e->pn_prev;
	else
		p->pl_tail = e->pn_prev;
	e->pn_prev = e->pn_next = NULL;
}

static void lru_append(polls_s *p, poll_entry_s *e)
{
	e->pn_prev = p->pl_tail;
	e->pn_next = NULL;
	if (p->pl_tail)
		p->pl_tail->pn_next = e;
	else
		p->pl_head = e;
	p->pl_tail = e;
}

static void remove_entry(polls_s *p, poll_entry_s *e)
{
	htab_remove(&p->pl_table, &e->pn_node);
	lru_unlink(p, e);
	free(e);
}

typedef struct {
	const char *pq_key;
	size_t pq_len;
} poll_query_s;

static int key_eq(const htab_node_s *n, const void *key)
{
	const poll_entry_s *e = HTAB_ENTRY(n, poll_entry_s, pn_node);
	const poll_query_s *q = key;

	return e->pn_keylen == q->pq_len && memcmp(e->pn_key, q->pq_key, q->pq_len) == 0;
}

poll_view_s *polls_hit(polls_s *p, const char *ip, const char *ua, size_t ua_len, int64_t ts_ms,
                       uint64_t bytes, int64_t (*new_id)(void *arg), void *arg)
{
	char key[POLLS_KEY_MAX];
	size_t iplen = strlen(ip), klen;
	uint64_t h;
	htab_node_s *n;
	poll_entry_s *e;

	if (iplen > 63)
		iplen = 63;
	if (ua_len > POLLS_KEY_MAX - iplen - 1)
		ua_len = POLLS_KEY_MAX - iplen - 1;
	memcpy(key, ip, iplen);
	key[iplen] = '\0';
	if (ua != NULL)
		memcpy(key + iplen + 1, ua, ua_len);
	else
		ua_len = 0;
	klen = iplen + 1 + ua_len;
	h = htab_hash(key, klen);
	/* Forget viewers whose run has ended: the list is in last-seen order. */
	while (p->pl_head != NULL && ts_ms - p->pl_head->pn_view.pv_last > p->pl_gap)
		remove_entry(p, p->pl_head);
	n = htab_find(&p->pl_table, h, key_eq, &(poll_query_s){key, klen});
	e = n != NULL ? HTAB_ENTRY(n, poll_entry_s, pn_node) : NULL;
	if (e == NULL) {
		if (p->pl_table.ht_count >= p->pl_max)
			remove_entry(p, p->pl_head);
		e = calloc(1, sizeof(*e) + klen);
		if (e == NULL)
			return NULL;
		memcpy(e->pn_key, key, klen);
		e->pn_keylen = klen;
		htab_insert(&p->pl_table, &e->pn_node, h);
		e->pn_view.pv_id = new_id(arg);
		e->pn_view.pv_first = ts_ms;
		e->pn_view.pv_new = 1;
	} else {
		lru_unlink(p, e);
		e->pn_view.pv_new = 0;
	}
	lru_append(p, e);
	if (ts_ms > e->pn_view.pv_last)
		e->pn_view.pv_last = ts_ms;
	e->pn_view.pv_count++;
	e->pn_view.pv_bytes += bytes;
	/* duration = last - first + one interval, the interval being the mean gap */
	e->pn_view.pv_end = e->pn_view.pv_last;
	if (e->pn_view.pv_count > 1)
		e->pn_view.pv_end +=
		    (e->pn_view.pv_last - e->pn_view.pv_first) / (int64_t)(e->pn_view.pv_count - 1);
	return &e->pn_view;
}

size_t polls_count(const polls_s *p)
{
	return p->pl_table.ht_count;
}

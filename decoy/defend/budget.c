/* budget: token buckets in the seeded hash table, pruned of full (idle) buckets. */
#include "budget.h"

#include "htab.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define BUDGET_EXPECTED 4096
#define BUDGET_KEY_MAX  64

typedef struct bentry {
	htab_node_s be_node;
	char be_key[BUDGET_KEY_MAX];
	size_t be_keylen;
	double be_tokens;
	int64_t be_at; /* last refill, monotonic ms */
} bentry_s;

struct budget {
	double b_rate, b_burst;
	size_t b_max, b_count;
	int64_t b_pruned_at;
	pthread_mutex_t b_lock;
	htab_s b_table;
	bentry_s b_shared; /* new networks once b_max are tracked */
};

budget_s *budget_new(double rate, double burst, size_t max_keys)
{
	budget_s *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	if (htab_init(&b->b_table, BUDGET_EXPECTED) != 0) {
		free(b);
		return NULL;
	}
	b->b_rate = rate;
	b->b_burst = burst < 1 ? 1 : burst;
	b->b_max = max_keys;
	b->b_shared.be_tokens = b->b_burst;
	pthread_mutex_init(&b->b_lock, NULL);
	return b;
}

void budget_free(budget_s *b)
{
	if (b == NULL)
		return;
	for (htab_node_s *n; (n = htab_pop(&b->b_table)) != NULL;)
		free(HTAB_ENTRY(n, bentry_s, be_node));
	htab_destroy(&b->b_table);
	pthread_mutex_destroy(&b->b_lock);
	free(b);
}

static void refill(const budget_s *b, bentry_s *e, int64_t now_ms)
{
	if (now_ms > e->be_at) {
		e->be_tokens += (double)(now_ms - e->be_at) * b->b_rate / 1000.0;
		if (e->be_tokens > b->b_burst)
			e->be_tokens = b->b_burst;
	}
	e->be_at = now_ms;
}

/* Forgets buckets that have refilled completely: a new one is the same. */
static void prune(budget_s *b, int64_t now_ms)
{
	htab_iter_s it;

	htab_iter_init(&b->b_table, &it);
	for (htab_node_s *n; (n = htab_iter_next(&b->b_table, &it)) != NULL;) {
		bentry_s *e = HTAB_ENTRY(n, bentry_s, be_node);
		refill(b, e, now_ms);
		if (e->be_tokens >= b->b_burst) {
			htab_remove(&b->b_table, n);
			free(e);
			b->b_count--;
		}
	}
}

typedef struct {
	const char *bq_key;
	size_t bq_len;
} budget_query_s;

static int key_eq(const htab_node_s *n, const void *key)
{
	const bentry_s *e = HTAB_ENTRY(n, bentry_s, be_node);
	const budget_query_s *q = key;

	return e->be_keylen == q->bq_len && memcmp(e->be_key, q->bq_key, q->bq_len) == 0;
}

int budget_take(budget_s *b, const char *key, size_t keylen, int64_t now_ms)
{
	bentry_s *e = NULL;
	htab_node_s *n;
	uint64_t h;
	int ok;

	if (b->b_rate <= 0)
		return 1;
	if (keylen > BUDGET_KEY_MAX)
		keylen = BUDGET_KEY_MAX;
	h = htab_hash(key, keylen);
	pthread_mutex_lock(&b->b_lock);
	if ((n = htab_find(&b->b_table, h, key_eq, &(budget_query_s){key, keylen})) != NULL)
		e = HTAB_ENTRY(n, bentry_s, be_node);
	/* At most once a second: a table full of busy networks stays full. */
	if (e == NULL && b->b_count >= b->b_max && now_ms - b->b_pruned_at >= 1000) {
		prune(b, now_ms);
		b->b_pruned_at = now_ms;
	}
	if (e == NULL && b->b_count < b->b_max && (e = calloc(1, sizeof(*e))) != NULL) {
		memcpy(e->be_key, key, keylen);
		e->be_keylen = keylen;
		e->be_tokens = b->b_burst;
		e->be_at = now_ms;
		htab_insert(&b->b_table, &e->be_node, h);
		b->b_count++;
	}
	if (e == NULL)
		e = &b->b_shared;
	refill(b, e, now_ms);
	ok = e->be_tokens >= 1.0;
	if (ok)
		e->be_tokens -= 1.0;
	pthread_mutex_unlock(&b->b_lock);
	return ok;
}

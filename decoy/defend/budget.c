/* budget: a chained hash of token buckets, pruned of full (idle) buckets. */
#include "budget.h"

#include "hash.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define BUDGET_BUCKETS 4096
#define BUDGET_KEY_MAX 64

typedef struct bentry {
	struct bentry *be_next;
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
	bentry_s *b_table[BUDGET_BUCKETS];
	bentry_s b_shared; /* new networks once b_max are tracked */
};

budget_s *budget_new(double rate, double burst, size_t max_keys)
{
	budget_s *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
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
	for (size_t i = 0; i < BUDGET_BUCKETS; i++) {
		while (b->b_table[i] != NULL) {
			bentry_s *e = b->b_table[i];
			b->b_table[i] = e->be_next;
			free(e);
		}
	}
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
	for (size_t i = 0; i < BUDGET_BUCKETS; i++) {
		bentry_s **pp = &b->b_table[i];
		while (*pp != NULL) {
			bentry_s *e = *pp;
			refill(b, e, now_ms);
			if (e->be_tokens >= b->b_burst) {
				*pp = e->be_next;
				free(e);
				b->b_count--;
			} else {
				pp = &e->be_next;
			}
		}
	}
}

int budget_take(budget_s *b, const char *key, size_t keylen, int64_t now_ms)
{
	size_t slot;
	bentry_s *e;
	int ok;

	if (b->b_rate <= 0)
		return 1;
	if (keylen > BUDGET_KEY_MAX)
		keylen = BUDGET_KEY_MAX;
	slot = (size_t)(hash_fnv1a(key, keylen) % BUDGET_BUCKETS);
	pthread_mutex_lock(&b->b_lock);
	for (e = b->b_table[slot]; e != NULL; e = e->be_next)
		if (e->be_keylen == keylen && memcmp(e->be_key, key, keylen) == 0)
			break;
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
		e->be_next = b->b_table[slot];
		b->b_table[slot] = e;
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

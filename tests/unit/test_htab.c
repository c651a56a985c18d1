/* test_htab: SipHash-2-4 reference vectors, the table's verbs, and keys that collided under FNV-1a.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "htab.h"
#include "rand.h"

typedef struct {
	htab_node_s it_node;
	int it_value;
	char it_key[32];
} item_s;

static int item_eq(const htab_node_s *n, const void *key)
{
	return strcmp(HTAB_ENTRY(n, item_s, it_node)->it_key, key) == 0;
}

static item_s *find(htab_s *t, const char *key)
{
	htab_node_s *n = htab_find(t, htab_hash(key, strlen(key)), item_eq, key);

	return n != NULL ? HTAB_ENTRY(n, item_s, it_node) : NULL;
}

int main(void)
{
	uint8_t key[16], msg[64];

	/* The reference vectors of the SipHash paper (key 00..0f, message 00..len-1). */
	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (int i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	CHECK(htab_siphash(key, msg, 0) == 0x726fdb47dd0e0e31ULL);
	CHECK(htab_siphash(key, msg, 1) == 0x74f839c593dc67fdULL);
	CHECK(htab_siphash(key, msg, 8) == 0x93f5f5799a932462ULL);
	CHECK(htab_siphash(key, msg, 15) == 0xa129ca6149be45e5ULL);
	CHECK(htab_siphash(key, msg, 63) == 0x958a324ceb064572ULL);

	/* insert, find, grow past the initial size, remove, iterate */
	htab_s t;
	enum { N = 5000 };
	item_s *items = calloc(N, sizeof(*items));
	CHECK(items != NULL && htab_init(&t, 4) == 0);
	for (int i = 0; i < N; i++) {
		snprintf(items[i].it_key, sizeof(items[i].it_key), "k%d", i);
		items[i].it_value = i;
		htab_insert(&t, &items[i].it_node,
		            htab_hash(items[i].it_key, strlen(items[i].it_key)));
	}
	CHECK(t.ht_count == N && t.ht_nbuckets >= N);
	int found = 0;
	for (int i = 0; i < N; i++) {
		char k[32];
		snprintf(k, sizeof(k), "k%d", i);
		item_s *it = find(&t, k);
		found += it != NULL && it->it_value == i;
	}
	CHECK(found == N);
	CHECK(find(&t, "absent") == NULL);
	/* removing while iterating: every odd item */
	htab_iter_s iter;
	int seen = 0;
	htab_iter_init(&t, &iter);
	for (htab_node_s *n; (n = htab_iter_next(&t, &iter)) != NULL; seen++)
		if (HTAB_ENTRY(n, item_s, it_node)->it_value % 2)
			htab_remove(&t, n);
	CHECK(seen == N && t.ht_count == N / 2);
	CHECK(find(&t, "k7") == NULL && find(&t, "k8") != NULL);
	/* the longest chain stays short for attacker-chosen keys: the key is secret */
	size_t longest = 0;
	for (size_t b = 0; b < t.ht_nbuckets; b++) {
		size_t len = 0;
		for (htab_node_s *n = t.ht_buckets[b]; n != NULL; n = n->hn_next)
			len++;
		longest = len > longest ? len : longest;
	}
	CHECK(longest <= 12);
	int popped = 0;
	for (htab_node_s *n; (n = htab_pop(&t)) != NULL;)
		popped++;
	CHECK(popped == N / 2 && t.ht_count == 0 && htab_pop(&t) == NULL);
	htab_clear(&t);
	htab_destroy(&t);

	/* 4,000 User-Agents chosen to share their low 10 bits under FNV-1a (the
	 * unkeyed hash this table replaced: they fell into 4 of its 4,096
	 * buckets) spread out under the keyed hash. */
	enum { NC = 4000 };
	item_s *coll = calloc(NC, sizeof(*coll));
	int nc = 0;
	CHECK(coll != NULL && htab_init(&t, NC) == 0);
	for (uint32_t i = 0; coll != NULL && nc < NC; i++) {
		char ua[32];
		uint64_t f = 1469598103934665603ULL;
		int len = snprintf(ua, sizeof(ua), "Mozilla/5.0 %u", i);
		for (int j = 0; j < len; j++)
			f = (f ^ (unsigned char)ua[j]) * 1099511628211ULL;
		if ((f & 1023) != 0)
			continue;
		memcpy(coll[nc].it_key, ua, (size_t)len + 1);
		htab_insert(&t, &coll[nc].it_node, htab_hash(ua, (size_t)len));
		nc++;
	}
	longest = 0;
	for (size_t b = 0; b < t.ht_nbuckets; b++) {
		size_t len = 0;
		for (htab_node_s *n = t.ht_buckets[b]; n != NULL; n = n->hn_next)
			len++;
		longest = len > longest ? len : longest;
	}
	CHECK(nc == NC && longest <= 12);
	htab_destroy(&t);
	free(coll);
	uint8_t r1[16] = {0}, r2[16] = {0};
	CHECK(rand_bytes(r1, sizeof(r1)) == 0 && rand_bytes(r2, sizeof(r2)) == 0 &&
	      memcmp(r1, r2, 16) != 0);
	uint32_t draw, counts[3] = {0};
	for (int i = 0; i < 3000; i++)
		if (rand_below(3, &draw) == 0)
			counts[draw]++;
	CHECK(counts[0] > 850 && counts[1] > 850 && counts[2] > 850);
	CHECK(rand_below(0, &draw) == -1);
	free(items);
	return check_report();
}

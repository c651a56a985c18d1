/* htab: chained buckets, doubled at load 1, keyed SipHash-2-4. */
#include "htab.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rand.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static uint64_t load_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void sip_rounds(uint64_t v[4], int n)
{
	while (n-- > 0) {
		v[0] += v[1];
		v[1] = ROTL(v[1], 13);
		v[1] ^= v[0];
		v[0] = ROTL(v[0], 32);
		v[2] += v[3];
		v[3] = ROTL(v[3], 16);
		v[3] ^= v[2];
		v[0] += v[3];
		v[3] = ROTL(v[3], 21);
		v[3] ^= v[0];
		v[2] += v[1];
		v[1] = ROTL(v[1], 17);
		v[1] ^= v[2];
		v[2] = ROTL(v[2], 32);
	}
}

uint64_t htab_siphash(const uint8_t key[16], const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t k0 = load_le64(key), k1 = load_le64(key + 8);
	uint64_t v[4] = {k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
	                 k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL};
	uint64_t last = (uint64_t)len << 56;
	size_t whole = len - len % 8;

	for (size_t i = 0; i < whole; i += 8) {
		uint64_t m = load_le64(p + i);
		v[3] ^= m;
		sip_rounds(v, 2);
		v[0] ^= m;
	}
	for (size_t i = 0; i < len % 8; i++)
		last |= (uint64_t)p[whole + i] << (8 * i);
	v[3] ^= last;
	sip_rounds(v, 2);
	v[0] ^= last;
	v[2] ^= 0xff;
	sip_rounds(v, 4);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static uint8_t htab_key[16];
static pthread_once_t htab_key_once = PTHREAD_ONCE_INIT;

static void key_init(void)
{
	/* Without the system's randomness the key is only as good as the
	 * clock: lookups stay correct, collisions become guessable. */
	if (rand_bytes(htab_key, sizeof(htab_key)) != 0)
		rand_weak(htab_key, sizeof(htab_key));
}

uint64_t htab_hash(const void *key, size_t len)
{
	pthread_once(&htab_key_once, key_init);
	return htab_siphash(htab_key, key, len);
}

int htab_init(htab_s *t, size_t expected)
{
	size_t n = 16;

	while (n < expected && n < ((size_t)1 << 30))
		n <<= 1;
	t->ht_buckets = calloc(n, sizeof(*t->ht_buckets));
	t->ht_nbuckets = t->ht_buckets != NULL ? n : 0;
	t->ht_count = 0;
	return t->ht_buckets != NULL ? 0 : -1;
}

void htab_destroy(htab_s *t)
{
	free(t->ht_buckets);
	t->ht_buckets = NULL;
	t->ht_nbuckets = t->ht_count = 0;
}

htab_node_s *htab_find(const htab_s *t, uint64_t h,
                       int (*eq)(const htab_node_s *n, const void *key), const void *key)
{
	if (t->ht_nbuckets == 0)
		return NULL;
	for (htab_node_s *n = t->ht_buckets[h & (t->ht_nbuckets - 1)]; n != NULL; n = n->hn_next)
		if (n->hn_hash == h && eq(n, key))
			return n;
	return NULL;
}

static void grow(htab_s *t)
{
	size_t nb = t->ht_nbuckets * 2;
	htab_node_s **b;

	if (nb == 0 || (b = calloc(nb, sizeof(*b))) == NULL)
		return;
	for (size_t i = 0; i < t->ht_nbuckets; i++)
		for (htab_node_s *n = t->ht_buckets[i], *next; n != NULL; n = next) {
			next = n->hn_next;
			n->hn_next = b[n->hn_hash & (nb - 1)];
			b[n->hn_hash & (nb - 1)] = n;
		}
	free(t->ht_buckets);
	t->ht_buckets = b;
	t->ht_nbuckets = nb;
}

void htab_insert(htab_s *t, htab_node_s *n, uint64_t h)
{
	htab_node_s **slot;

	if (t->ht_count >= t->ht_nbuckets)
		grow(t);
	slot = &t->ht_buckets[h & (t->ht_nbuckets - 1)];
	n->hn_hash = h;
	n->hn_next = *slot;
	*slot = n;
	t->ht_count++;
}

void htab_remove(htab_s *t, htab_node_s *n)
{
	htab_node_s **pp = &t->ht_buckets[n->hn_hash & (t->ht_nbuckets - 1)];

	while (*pp != NULL && *pp != n)
		pp = &(*pp)->hn_next;
	if (*pp == n) {
		*pp = n->hn_next;
		t->ht_count--;
	}
}

void htab_clear(htab_s *t)
{
	if (t->ht_count > 0)
		memset(t->ht_buckets, 0, t->ht_nbuckets * sizeof(*t->ht_buckets));
	t->ht_count = 0;
}

htab_node_s *htab_pop(htab_s *t)
{
	for (size_t i = 0; t->ht_count > 0 && i < t->ht_nbuckets; i++)
		if (t->ht_buckets[i] != NULL) {
			htab_node_s *n = t->ht_buckets[i];
			t->ht_buckets[i] = n->hn_next;
			t->ht_count--;
			return n;
		}
	return NULL;
}

void htab_iter_init(const htab_s *t, htab_iter_s *it)
{
	it->hi_bucket = 0;
	it->hi_next = t->ht_nbuckets > 0 ? t->ht_buckets[0] : NULL;
}

htab_node_s *htab_iter_next(const htab_s *t, htab_iter_s *it)
{
	htab_node_s *n;

	while (it->hi_next == NULL) {
		if (++it->hi_bucket >= t->ht_nbuckets)
			return NULL;
		it->hi_next = t->ht_buckets[it->hi_bucket];
	}
	n = it->hi_next;
	it->hi_next = n->hn_next;
	return n;
}

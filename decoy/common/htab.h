/* htab: the one hash table of the daemon and the report tool.
 *
 * Keys are hashed with SipHash-2-4 under a random per-process key, so keys an
 * attacker chooses (addresses, User-Agents, passwords) cannot be made to
 * collide: every lookup stays O(1) expected. The table is intrusive: an entry
 * embeds an htab_node_s and the table never allocates or frees entries. */
#ifndef CAMDECOY_HTAB_H
#define CAMDECOY_HTAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct htab_node {
	struct htab_node *hn_next;
	uint64_t hn_hash;
} htab_node_s;

typedef struct {
	htab_node_s **ht_buckets;
	size_t ht_nbuckets; /* a power of two */
	size_t ht_count;
} htab_s;

/* The entry of type that embeds node as member. */
#define HTAB_ENTRY(node, type, member) ((type *)(void *)((char *)(node)-offsetof(type, member)))

/* The keyed hash of len bytes at key (the process's random key). */
uint64_t htab_hash(const void *key, size_t len);
/* SipHash-2-4 under an explicit key (for the tests' reference vectors). */
uint64_t htab_siphash(const uint8_t key[16], const void *data, size_t len);

/* An empty table sized for about expected entries; 0 or -1 (out of memory). */
int htab_init(htab_s *t, size_t expected);
/* Frees the buckets, not the entries (free them first: see htab_pop). */
void htab_destroy(htab_s *t);

/* The first entry with hash h for which eq(node, key) holds, or NULL. */
htab_node_s *htab_find(const htab_s *t, uint64_t h,
                       int (*eq)(const htab_node_s *n, const void *key), const void *key);
/* Links n under hash h. The table doubles when it holds as many entries as
 * buckets; if that allocation fails it keeps working, only slower. */
void htab_insert(htab_s *t, htab_node_s *n, uint64_t h);
/* Unlinks n, which must be in t. */
void htab_remove(htab_s *t, htab_node_s *n);
/* Forgets every entry at once (their owner frees them); keeps the buckets. */
void htab_clear(htab_s *t);
/* Unlinks and returns some entry, NULL when empty: `while ((n = htab_pop(t)))`. */
htab_node_s *htab_pop(htab_s *t);

/* Visits every entry; the current one may be removed (and freed) before the
 * next call. */
typedef struct {
	size_t hi_bucket;
	htab_node_s *hi_next;
} htab_iter_s;

void htab_iter_init(const htab_s *t, htab_iter_s *it);
htab_node_s *htab_iter_next(const htab_s *t, htab_iter_s *it);

#endif

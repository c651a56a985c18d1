/* fairq: a bounded queue served round-robin by source network; when full, the network holding the
 * most gives way. */
#ifndef CAMDECOY_FAIRQ_H
#define CAMDECOY_FAIRQ_H

#include <stddef.h>

/* Keys (a network, "192.0.2.0/24") are cut to this many bytes. */
#define FAIRQ_KEY_MAX 63

typedef struct fairq fairq_s;

/* Room for cap items (cap >= 1); all memory is taken here. NULL: out of memory. */
fairq_s *fairq_new(size_t cap);
/* Frees the queue, not the items still in it (pop them first). NULL: no-op. */
void fairq_free(fairq_s *q);

/* Queues item (borrowed until popped) behind key's earlier ones. Returns
 * NULL when nothing had to give way; otherwise the queue was full and the
 * item returned is the one left out: the newest of the network holding the
 * most, or item itself when its own network, with it, would hold as many.
 * The caller owns what is returned. O(1). */
void *fairq_push(fairq_s *q, const char *key, void *item);

/* The oldest item of the next network in turn (each network with items
 * waiting gets one per round), or NULL when empty. O(1). */
void *fairq_pop(fairq_s *q);

size_t fairq_len(const fairq_s *q);
/* Networks with items waiting. */
size_t fairq_nets(const fairq_s *q);

#endif

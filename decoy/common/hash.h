/* hash: FNV-1a, the one string hash of the hash tables (polls, trap, report). */
#ifndef CAMDECOY_HASH_H
#define CAMDECOY_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t hash_fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

#endif

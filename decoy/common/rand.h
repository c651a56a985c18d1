/* rand: the system's randomness, for credentials, nonces and hash keys. */
#ifndef CAMDECOY_RAND_H
#define CAMDECOY_RAND_H

#include <stddef.h>
#include <stdint.h>

/* Fills buf from getrandom (or /dev/urandom); 0, or -1 when neither gives
 * n bytes: callers fail closed (no credential, no nonce). */
int rand_bytes(void *buf, size_t n);

/* A uniform draw in [0, bound) from rand_bytes; 0 or -1. */
int rand_below(uint32_t bound, uint32_t *out);

/* Bytes from the clocks and the process, for a hash key only when
 * rand_bytes failed: never for anything an attacker must not guess. */
void rand_weak(void *buf, size_t n);

#endif

/* pixmath: the small integer helpers the picture's stages share. */
#ifndef CAMDECOY_PIXMATH_H
#define CAMDECOY_PIXMATH_H

#include <stdint.h>

/* A well-mixed 32-bit hash: blinking, screens and passers-by drawn from the
 * clock, the same every time for the same slot. */
static inline uint32_t pix_hash32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static inline int pix_clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

#endif

/* credcode: per-viewer trap credentials as a keyed permutation of issue numbers (no repeats, no table). */
#ifndef CAMDECOY_CREDCODE_H
#define CAMDECOY_CREDCODE_H

#include <stddef.h>
#include <stdint.h>

#define CREDCODE_BITS 30
/* Issue numbers are 1 .. CREDCODE_SPACE - 1: 1,073,741,823 credentials. */
#define CREDCODE_SPACE ((uint64_t)1 << CREDCODE_BITS)
#define CREDCODE_USER_MAX 16
#define CREDCODE_PASS_MAX 32

typedef struct {
	uint8_t cc_key[16];
} credcode_s;

void credcode_init(credcode_s *c, const uint8_t key[16]);

/* The credential of issue number seq; 0, or -1 when seq is outside the space
 * (both fields are then empty). */
int credcode_encode(const credcode_s *c, uint64_t seq, char user[CREDCODE_USER_MAX + 1],
                    char pass[CREDCODE_PASS_MAX + 1]);

/* The issue number whose password is pass (len bytes), or 0 when pass is not
 * spelled the way this space spells passwords. O(1). */
uint64_t credcode_decode(const credcode_s *c, const char *pass, size_t len);

/* 1 when user (len bytes) is spelled the way this space spells usernames. */
int credcode_user_plausible(const char *user, size_t len);

/* A text at least as wide as any "user / password" line (for sizing the note). */
void credcode_widest(char *out, size_t n);

#endif

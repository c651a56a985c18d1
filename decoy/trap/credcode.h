/* credcode: per-viewer trap credentials as a keyed permutation of issue numbers (no repeats, no
 * table). */
#ifndef CAMDECOY_CREDCODE_H
#define CAMDECOY_CREDCODE_H

#include <stddef.h>
#include <stdint.h>

#define CREDCODE_BITS 30
/* Issue numbers are 1 .. CREDCODE_SPACE - 1: 1,073,741,823 credentials. */
#define CREDCODE_SPACE    ((uint64_t)1 << CREDCODE_BITS)
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

/* Usernames: 65,536, each shown once per block of that many issue numbers. */
#define CREDCODE_USERS 65536

/* 1 when user (len bytes) is spelled the way this space spells usernames
 * (today's spelling or the legacy one). */
int credcode_user_plausible(const char *user, size_t len);
/* The username's index (0 .. CREDCODE_USERS - 1) in today's spelling
 * ("jcarter47"), or -1. */
int credcode_user_index(const char *user, size_t len);
/* 1 when user is spelled as databases before the blocks spelled usernames
 * ("jcarter": an initial and a surname, drawn by a hash of the number). */
int credcode_user_legacy(const char *user, size_t len);

/* O(1): 1 when user is of the legacy spelling, or of today's with an issue
 * number below next (every username has one once next passes 65,536). */
int credcode_user_issued(const credcode_s *c, const char *user, size_t len, uint64_t next);

/* Calls fn for each issue number in lo .. hi - 1 whose username is user,
 * newest first, until it returns non-zero; returns that, 0 when none did,
 * -1 when user is not in today's spelling. One number per block of
 * CREDCODE_USERS below hi: ceil(hi / 65,536) calls at most, whatever the
 * caller sends. */
int credcode_each_seq(const credcode_s *c, const char *user, size_t len, uint64_t lo, uint64_t hi,
                      int (*fn)(uint64_t seq, void *arg), void *arg);

/* A text at least as wide as any "user / password" line (for sizing the note). */
void credcode_widest(char *out, size_t n);

#endif

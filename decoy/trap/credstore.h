/* credstore: the trap's own connection to the database: the permutation key, reserved issue
 * numbers, and matching against every credential ever shown. */
#ifndef CAMDECOY_CREDSTORE_H
#define CAMDECOY_CREDSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "trap.h"

typedef struct credstore credstore_s;

/* Opens path (already created and migrated by the store). NULL with err. */
credstore_s *credstore_open(const char *path, char *err, size_t errlen);
void credstore_close(credstore_s *cs);

/* At start-up, in one transaction: the database's key (made once), the first
 * unreserved issue number (*next) and a reservation of block numbers from it
 * (*reserved: the end). 0, or -1 with err. */
int credstore_begin(credstore_s *cs, uint8_t key[16], uint64_t *next, uint64_t *reserved,
                    uint64_t block, char *err, size_t errlen);

/* Reserves the numbers below upto (never lowers the mark): 0 or -1. */
int credstore_reserve(credstore_s *cs, uint64_t upto);

/* The credential with this password and the view that showed it: 1 found,
 * 0 none, -1 database error. O(log n) (the UNIQUE index). */
int credstore_by_password(credstore_s *cs, const char *pass, size_t plen, trap_cred_s *out);

/* Calls fn for each credential shown with this username (the username index)
 * until it returns non-zero; returns that, 0 when none did, -1 on error. */
int credstore_each_user(credstore_s *cs, const char *user, size_t ulen,
                        int (*fn)(const trap_cred_s *c, void *arg), void *arg);

#endif

/* verify: every summary of a decoy database recomputed from its raw rows. */
#ifndef CAMDECOY_VERIFY_H
#define CAMDECOY_VERIFY_H

#include <stdio.h>

/* Opens path read-only and compares host_hours, view_hours and the request
 * counters with what requests, views and aggregated say; writes one line per
 * invariant to out (attacker text escaped). 0 when all agree, 1 when one
 * disagrees (the first disagreement is named), -1 when the database cannot
 * be read (err filled). */
int verify_database(const char *path, FILE *out, char *err, size_t errlen);

#endif

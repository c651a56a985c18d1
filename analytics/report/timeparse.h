/* timeparse: YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM|-HH:MM] to ms since the epoch. */
#ifndef CAMDECOY_TIMEPARSE_H
#define CAMDECOY_TIMEPARSE_H

#include <stdint.h>

/* Without a zone the time is local (TZ). 0, or -1 when s is not of that form
 * or out of range. */
int timeparse(const char *s, int64_t *ms);

#endif

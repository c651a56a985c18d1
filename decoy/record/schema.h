/* schema: the numbered migrations, record/schema/NNN_*.sql embedded at build. */
#ifndef CAMDECOY_SCHEMA_H
#define CAMDECOY_SCHEMA_H

#include <stddef.h>

/* schema_migrations[i] brings PRAGMA user_version from i to i + 1. Never
 * edit a released file; add the next one. */
extern const char *const schema_migrations[];
extern const size_t schema_count;

#endif

/* retention: rows past retention-days deleted, or their addresses truncated to /24 and /48, in
 * chunks. */
#ifndef CAMDECOY_RETENTION_H
#define CAMDECOY_RETENTION_H

#include <sqlite3.h>
#include <stdint.h>

typedef struct {
	int rt_days;                /* 0: keep everything */
	int rt_truncate;            /* 1: truncate addresses; 0: delete rows */
	int64_t rt_truncated_until; /* rows before this were truncated already */
} retention_s;

/* Registers camdecoy_net(ip) on db (the /24 or /48 of an address, text
 * that is no address unchanged). 0 or -1. */
int retention_register(sqlite3 *db);

/* Applies retention as of now_ms in chunks of 5,000 rows, one transaction
 * each, calling progress(arg, rows) after each; a non-zero return stops
 * early (events wait to be written). Returns 1 if rows remain, 0 when done,
 * -1 on a database error. */
int retention_run(retention_s *r, sqlite3 *db, int64_t now_ms, int (*progress)(void *arg, int rows),
                  void *arg);

#endif

/* counters: the values the counters table holds (counters.c): other modules' counters, each added
 * to its total from earlier runs, and the values last committed. */
#ifndef CAMDECOY_COUNTERS_H
#define CAMDECOY_COUNTERS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "jsonl.h"

#define COUNTERS_MAX 64 /* 57 with shipping, a live camera, Telnet and RTSP */

/* A named counter written to the counters table with every commit. */
typedef struct {
	const char *ct_name; /* static; a name ending in "_now" is a reading of now (pending
	                      * rows, a lag), not a total over runs */
	uint64_t ct_value;
} store_counter_s;

/* Fills at most cap counters, returns how many; called by the writer thread. */
typedef size_t (*store_counters_fn)(void *arg, store_counter_s *out, size_t cap);

typedef struct {
	pthread_mutex_t cn_lock; /* cn_fn against counters_freeze */
	store_counters_fn cn_fn;
	void *cn_arg;
	store_counter_s cn_frozen[COUNTERS_MAX];
	size_t cn_nfrozen;
	store_counter_s cn_written[COUNTERS_MAX]; /* as last committed */
	size_t cn_nwritten;
	/* the counters as the database had them at open: totals of earlier runs */
	char cn_base_name[COUNTERS_MAX][40];
	uint64_t cn_base_value[COUNTERS_MAX];
	size_t cn_nbase;
} counters_s;

void counters_init(counters_s *c);
void counters_destroy(counters_s *c);

/* One total of an earlier run, as the database holds it (arg: the
 * counters_s; for sqlsink_each_counter). */
void counters_base(void *arg, const char *name, uint64_t value);

/* Another module's counters (fn, arg), asked at every commit. */
void counters_register(counters_s *c, store_counters_fn fn, void *arg);
/* Takes the registered counters' values one last time and keeps them,
 * leaving room for own counters of the caller's own. */
void counters_freeze(counters_s *c, size_t own);

/* out holds n counters of the caller's own: the registered (or frozen) ones
 * are appended, and each is added to its total from earlier runs. Returns
 * how many out holds (COUNTERS_MAX at most). */
size_t counters_collect(counters_s *c, store_counter_s *out, size_t n);
/* Whether now (n counters) differs from the values last committed. */
int counters_differ(const counters_s *c, const store_counter_s *now, size_t n);
/* now (n counters) was committed. */
void counters_committed(counters_s *c, const store_counter_s *now, size_t n);
/* The values last committed as a "status" line in log: how many lines
 * could not be written (0 when none was committed yet). */
uint64_t counters_log(const counters_s *c, jsonl_s *log, int64_t now_ms);

#endif

/* polls: snapshot-polling viewers grouped into views per (IP, User-Agent). */
#ifndef CAMDECOY_POLLS_H
#define CAMDECOY_POLLS_H

#include <stddef.h>
#include <stdint.h>

typedef struct polls polls_s;

typedef struct {
	int64_t pv_id;
	int64_t pv_first; /* ms, first snapshot of the run */
	int64_t pv_last;  /* ms, latest snapshot */
	int64_t pv_end;   /* pv_last + one interval (the mean gap); pv_last when single */
	uint64_t pv_count;
	uint64_t pv_bytes;
	int pv_new;     /* this request started the view */
	int pv_counted; /* set by the caller: past its network's budget, counted only (no row) */
	char pv_user[65], pv_pass[65]; /* the trap credential the view shows (set by the caller) */
	uint64_t pv_seq;               /* its issue number, 0: none */
} poll_view_s;

/* gap_ms: a longer pause starts a new view. max_entries bounds memory: the
 * least recently seen viewer is forgotten first. Not thread-safe: one caller. */
polls_s *polls_new(int64_t gap_ms, size_t max_entries);
void polls_free(polls_s *p);

/* Records a snapshot sent at ts_ms. new_id(arg) gives the id of a new view.
 * Returns the view, valid until the next call (the caller may fill its
 * credential when pv_new), or NULL when out of memory. */
poll_view_s *polls_hit(polls_s *p, const char *ip, const char *ua, size_t ua_len, int64_t ts_ms,
                       uint64_t bytes, int64_t (*new_id)(void *arg), void *arg);

size_t polls_count(const polls_s *p);

#endif

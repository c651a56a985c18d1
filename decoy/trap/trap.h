/* trap: trap credentials: issuing them without repeats, and the recent ones held for matching. */
#ifndef CAMDECOY_TRAP_H
#define CAMDECOY_TRAP_H

#include <stddef.h>
#include <stdint.h>

/* As long as configuration names (trap-user, trap-password). */
#define TRAP_FIELD_MAX 64

/* Issue numbers reserved in the database at a time: a restart skips at most
 * this many (the unused rest of the last reservation). */
#define TRAP_RESERVE_BLOCK 65536

typedef enum { TRAP_OFF, TRAP_STATIC, TRAP_PER_VIEWER } trap_mode_e;

typedef enum {
	MATCH_NONE,
	MATCH_EXACT,    /* username and password of one view's credential */
	MATCH_PASSWORD, /* a view's password with another username */
	MATCH_USERNAME, /* a username only one view was shown, wrong password */
	MATCH_STATIC,   /* the static credential (static mode: shown to everyone) */
} trap_match_e;

/* A credential and the view that showed it. */
typedef struct {
	int64_t tc_view_id; /* 0 for the static credential */
	uint64_t tc_seq;    /* per-viewer: its issue number; 0 otherwise */
	char tc_user[TRAP_FIELD_MAX + 1];
	char tc_pass[TRAP_FIELD_MAX + 1];
	int64_t tc_shown_at; /* ms, first frame that showed it */
	char tc_ip[46];
	char tc_country[3];
	char tc_referer_class[16];
} trap_cred_s;

typedef struct trap trap_s;

/* Where issue numbers come from: key (16 bytes) keys the permutation, next is
 * the first unused number and numbers below reserved are already reserved in
 * the database. */
typedef struct {
	const uint8_t *ts_key;
	uint64_t ts_next, ts_reserved;
} trap_seq_s;

/* static_user/static_pass are copied (used in TRAP_STATIC mode); seq is
 * needed in TRAP_PER_VIEWER mode only. */
trap_s *trap_new(trap_mode_e mode, const char *static_user, const char *static_pass,
                 const trap_seq_s *seq);
void trap_free(trap_s *t);
trap_mode_e trap_mode(const trap_s *t);
const char *trap_match_name(trap_match_e m);
/* fn(arg, upto) is called, from an issuing thread and holding the trap's
 * lock (it must only take note and return), when numbers below upto should
 * be reserved; trap_reserved(upto) reports them reserved. */
void trap_set_reserver(trap_s *t, void (*fn)(void *arg, uint64_t upto), void *arg);
void trap_reserved(trap_s *t, uint64_t upto);

/* Per-viewer: the credential of the next issue number, never issued before
 * in this database, registered for view_id among the recent ones. Static: the
 * static one. Fills out (identity fields copied from the arguments); 0, or -1
 * with *out zeroed when none can be issued (the view shows none). */
int trap_issue(trap_s *t, int64_t view_id, int64_t shown_at, const char *ip, const char *country,
               const char *referer_class, trap_cred_s *out);

/* The note's second line for a credential: "user / password". */
void trap_note_text(const char *user, const char *pass, char *out, size_t cap);

/* The static credential (static mode): 1 and *out filled, else 0. */
int trap_static_cred(trap_s *t, trap_cred_s *out);

/* The static credential, if user/pass are it: 1 and *out filled. */
int trap_static(trap_s *t, const char *user, size_t ulen, const char *pass, size_t plen,
                trap_cred_s *out);

/* Among the most recently issued (those the database may not have yet): the
 * one with this password; 1 and *out filled. O(1). */
int trap_recent(trap_s *t, const char *pass, size_t plen, trap_cred_s *out);

/* Calls fn, newest first, for each credential issued with this username
 * (today's spelling: one per block of CREDCODE_USERS issue numbers, so
 * ceil(issued / 65,536) at most), until it returns non-zero; returns that
 * value, 0 when none did, -1 when user is not in today's spelling or the
 * trap is not per-viewer. Each candidate has its username, password and
 * tc_seq; one still held in memory also has its view (tc_view_id != 0),
 * the others are for the caller to find in the database. recent_only: only
 * those held in memory (at most two candidates). */
int trap_user_each(trap_s *t, const char *user, size_t ulen, int recent_only,
                   int (*fn)(const trap_cred_s *c, void *arg), void *arg);

/* O(1): whether user/pass could be a trap credential of this trap, or its
 * username: the static username, a password spelled by an issued number, or
 * a username issued (or of the legacy spelling). Only those are worth the
 * matcher's time; pass NULL for a Digest. */
int trap_plausible(trap_s *t, const char *user, size_t ulen, const char *pass, size_t plen);

typedef struct {
	uint64_t tst_issued;      /* this run */
	uint64_t tst_unavailable; /* views that got none: space or reservation exhausted */
	uint64_t tst_next;        /* next issue number */
} trap_stats_s;

void trap_stats(trap_s *t, trap_stats_s *out);

/* Every credential of a trap's space: "jcarter47" / "AmberTucker4827#". Exposed
 * for the tests. */
int trap_generate(const uint8_t key[16], uint64_t seq, char user[TRAP_FIELD_MAX + 1],
                  char pass[TRAP_FIELD_MAX + 1]);

#endif

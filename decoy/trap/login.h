/* login: one place where a login attempt from any channel is matched and recorded. */
#ifndef CAMDECOY_LOGIN_H
#define CAMDECOY_LOGIN_H

#include <stddef.h>
#include <stdint.h>

#include "authparse.h"
#include "credstore.h"
#include "identity.h"
#include "store.h"
#include "trap.h"
#include "webhook.h"

typedef struct {
	const char *la_channel;   /* static: "form", "basic", "digest", "query", "telnet" */
	const identity_s *la_who; /* the client (borrowed), NULL unknown */
	const char *la_ua;        /* may be NULL */
	size_t la_ua_len, la_ua_orig;
	const char *la_path; /* may be NULL */
	size_t la_path_len;
	const authparse_cred_s *la_cred;     /* form, Basic, query, Telnet */
	const authparse_digest_s *la_digest; /* Digest (then la_cred is NULL) */
	const char *la_method;               /* Digest: the request method */
	const char *la_aggregate_net;        /* non-NULL: over its network's budget, so an
	                                        attempt that uses no trap credential is only
	                                        counted for this network */
} login_attempt_s;

/* A login attempt copied whole (every field bounded), to be matched later. */
typedef struct login_job login_job_s;

/* Where login_record hands the attempts that could match a trap credential
 * (the matcher thread, which calls login_match for each): ls_submit takes
 * ownership of the job and never blocks. ls_submit NULL: they are matched on
 * the calling thread (tests). Login owns this interface, so the matcher
 * depends on login and not the other way round. */
typedef struct {
	void (*ls_submit)(void *arg, login_job_s *job);
	void *ls_arg;
} login_sink_s;

typedef struct {
	store_s *lc_store;
	trap_s *lc_trap;      /* NULL: trap off, every attempt is "none" */
	webhook_s *lc_hook;   /* NULL: no webhook */
	int lc_hook_exploits; /* webhook-exploits: exploit.attempt events are POSTed too */
	const char *lc_sensor, *lc_persona;
	login_sink_s lc_sink;
} login_ctx_s;

login_job_s *login_job_new(const login_attempt_s *la, int64_t ts_ms);
void login_job_free(login_job_s *job);
/* The network the attempt came from ("192.0.2.0/24", "2001:db8:1:2::/64"),
 * the key the matcher shares its time by; "" when the address is unknown. */
const char *login_job_net(const login_job_s *job);
/* O(1): whether the job could match a trap credential (see trap_plausible). */
int login_job_plausible(const login_job_s *job, trap_s *trap);
/* Matches job against the recent credentials and (cs non-NULL) every one in
 * the database (a Digest against the ceil(issued / 65,536) credentials shown
 * with its username, a plaintext password by one lookup), records a login.attempt event and, on a
 * match, a credential.use event (also sent to the webhook). unchecked: recorded as "none" without
 * matching (the matcher's queue was full). */
trap_match_e login_match(const login_ctx_s *ctx, credstore_s *cs, const login_job_s *job,
                         int unchecked);

/* Whether c (or the Digest d, computed for method) is a trap credential
 * the trap holds in memory: the static one, or one of the recently shown,
 * username and password both. O(1): a Digest is checked against the recent
 * credentials of its username only (two at most). For a
 * channel that answers a correct credential the way the firmware would
 * (the match recorded is still the matcher's). t NULL: 0. */
int login_accepts(trap_s *t, const authparse_cred_s *c, const authparse_digest_s *d,
                  const char *method);

/* An attempt that could match a trap credential (login_job_plausible) goes
 * to ctx's sink (O(1): a copy and a queue link), or is matched here when ctx
 * has none; any other attempt cannot match and is recorded here as it came.
 * Never blocks on the database or the network. */
void login_record(const login_ctx_s *ctx, const login_attempt_s *la, int64_t ts_ms);

/* The credentials one connection has already recorded: RTSP clients repeat
 * their Authorization on every request, and that is one login, not five. */
#define LOGIN_RECENT_MAX 4
typedef struct {
	uint64_t lr_keys[LOGIN_RECENT_MAX];
	int lr_n, lr_next; /* keys held; where the next goes */
} login_recent_s;

/* An Authorization value (Basic or Digest) as a login, or with auth NULL
 * the userinfo of the URL in la_path ("rtsp://user:pass@host/..."): la
 * holds the peer and the request (la_method names the method a Digest was
 * computed for);
 * recorded with login_record at ts_ms unless recent already holds the same
 * username, password (a Digest: whether it was right) and verdict.
 * Returns 1 when login_accepts it, 0 when not, -1 when auth is neither
 * scheme or the URL has no userinfo (not a login); *recorded: a row was
 * written. */
int login_authorization(const login_ctx_s *ctx, login_attempt_s *la, const char *auth, size_t len,
                        login_recent_s *recent, int64_t ts_ms, int *recorded);

#endif

/* login: one place where a login attempt from any channel is matched and recorded. */
#ifndef CAMDECOY_LOGIN_H
#define CAMDECOY_LOGIN_H

#include <stddef.h>
#include <stdint.h>

#include "authparse.h"
#include "store.h"
#include "trap.h"
#include "webhook.h"

typedef struct {
	const char *la_channel;       /* "form", "basic", "digest", "query", "telnet" */
	const char *la_ip;            /* client address */
	uint16_t la_port;
	const char *la_country;       /* "" unknown */
	const char *la_ua;            /* may be NULL */
	size_t la_ua_len, la_ua_orig;
	const char *la_path;          /* may be NULL */
	size_t la_path_len;
	const authparse_cred_s *la_cred;     /* form, Basic, query, Telnet */
	const authparse_digest_s *la_digest; /* Digest (then la_cred is NULL) */
	const char *la_method;        /* Digest: the request method */
	const char *la_aggregate_net; /* non-NULL: over its network's budget, so an
	                                 attempt that uses no trap credential is only
	                                 counted for this network */
} login_attempt_s;

typedef struct {
	store_s *lc_store;
	trap_s *lc_trap;     /* NULL: trap off, every attempt is "none" */
	webhook_s *lc_hook;  /* NULL: no webhook */
	const char *lc_sensor, *lc_persona;
} login_ctx_s;

/* Matches the attempt against the trap credentials, records a login.attempt
 * event and, on a match, a credential.use event (also sent to the webhook).
 * Returns the match kind. Never blocks on the database or the network. */
trap_match_e login_record(const login_ctx_s *ctx, const login_attempt_s *la, int64_t ts_ms);

#endif

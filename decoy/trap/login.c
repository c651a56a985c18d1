/* login: matching an attempt to the view that showed the credential, and its events. */
#include "login.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGIN_JSON_MAX 8192

static int digest_ok(const trap_cred_s *c, void *arg)
{
	const login_attempt_s *la = arg;

	return authparse_digest_check(la->la_digest, la->la_method, c->tc_pass);
}

/* The fields a login.attempt and its credential.use share. NULL is a no-op. */
static void fill(event_s *ev, const login_attempt_s *la, trap_match_e kind, const trap_cred_s *m,
                 int64_t ts_ms)
{
	if (ev == NULL)
		return;
	if (la->la_ua != NULL)
		ev->ev_orig_len[EVS_USER_AGENT] = la->la_ua_orig;
	if (la->la_cred != NULL) {
		if (la->la_cred->ac_has_user)
			ev->ev_orig_len[EVS_USERNAME] = la->la_cred->ac_user_orig;
		if (la->la_cred->ac_has_pass)
			ev->ev_orig_len[EVS_PASSWORD] = la->la_cred->ac_pass_orig;
	}
	ev->ev_ts = ts_ms;
	snprintf(ev->ev_ip, sizeof(ev->ev_ip), "%s", la->la_ip);
	snprintf(ev->ev_country, sizeof(ev->ev_country), "%s", la->la_country ? la->la_country : "");
	ev->ev_port = la->la_port;
	ev->ev_channel = la->la_channel;
	ev->ev_match_kind = trap_match_name(kind);
	if (kind != MATCH_NONE && m->tc_view_id != 0) {
		ev->ev_matched_view = m->tc_view_id;
		snprintf(ev->ev_view_ip, sizeof(ev->ev_view_ip), "%s", m->tc_ip);
		snprintf(ev->ev_view_country, sizeof(ev->ev_view_country), "%s", m->tc_country);
		snprintf(ev->ev_view_referer_class, sizeof(ev->ev_view_referer_class), "%s", m->tc_referer_class);
		ev->ev_shown_at = m->tc_shown_at;
		/* Credential sharing: used from elsewhere than where it was seen. */
		ev->ev_moved_ip = strcmp(m->tc_ip, ev->ev_ip) != 0;
		ev->ev_moved_country = m->tc_country[0] && ev->ev_country[0] &&
		                       strcmp(m->tc_country, ev->ev_country) != 0;
	}
}

trap_match_e login_record(const login_ctx_s *ctx, const login_attempt_s *la, int64_t ts_ms)
{
	const char *strs[EVS_MAX] = {NULL};
	size_t lens[EVS_MAX] = {0};
	trap_cred_s m;
	trap_match_e kind = MATCH_NONE;
	event_s *ev, *use;

	memset(&m, 0, sizeof(m));
	if (la->la_digest != NULL) {
		const authparse_digest_s *d = la->la_digest;
		strs[EVS_USERNAME] = d->ad_username;
		lens[EVS_USERNAME] = d->ad_username_len;
		/* Only a hash arrives: try it against every credential shown with
		 * that username. The password is known only when one fits. */
		if (ctx->lc_trap != NULL &&
		    trap_find_user(ctx->lc_trap, d->ad_username, d->ad_username_len, digest_ok, (void *)la, &m)) {
			kind = m.tc_view_id != 0 ? MATCH_EXACT : MATCH_STATIC;
			strs[EVS_PASSWORD] = m.tc_pass;
			lens[EVS_PASSWORD] = strlen(m.tc_pass);
		}
	} else if (la->la_cred != NULL) {
		const authparse_cred_s *c = la->la_cred;
		if (c->ac_has_user) {
			strs[EVS_USERNAME] = c->ac_user;
			lens[EVS_USERNAME] = c->ac_user_len;
		}
		if (c->ac_has_pass) {
			strs[EVS_PASSWORD] = c->ac_pass;
			lens[EVS_PASSWORD] = c->ac_pass_len;
		}
		if (ctx->lc_trap != NULL)
			kind = trap_match(ctx->lc_trap, c->ac_user, c->ac_user_len, c->ac_pass, c->ac_pass_len, &m);
	}
	strs[EVS_USER_AGENT] = la->la_ua;
	lens[EVS_USER_AGENT] = la->la_ua_len;
	strs[EVS_PATH] = la->la_path;
	lens[EVS_PATH] = la->la_path_len;
	/* Credential uses are always recorded in full; other attempts past the
	 * network's budget only counted. */
	if (la->la_aggregate_net != NULL && (kind == MATCH_NONE || kind == MATCH_USERNAME)) {
		store_aggregate(ctx->lc_store, la->la_aggregate_net, ts_ms, "login");
		return kind;
	}
	ev = event_new(EV_LOGIN, strs, lens);
	/* A username alone is weak evidence: recorded, but not a credential use. */
	use = kind != MATCH_NONE && kind != MATCH_USERNAME ? event_new(EV_CREDENTIAL_USE, strs, lens) : NULL;
	fill(ev, la, kind, &m, ts_ms);
	fill(use, la, kind, &m, ts_ms);
	if (use != NULL && ctx->lc_hook != NULL) {
		char *json = malloc(LOGIN_JSON_MAX);
		size_t n = json != NULL ? event_json(use, ctx->lc_sensor, ctx->lc_persona, json, LOGIN_JSON_MAX) : 0;
		if (n > 0)
			webhook_post(ctx->lc_hook, json, n);
		free(json);
	}
	store_submit(ctx->lc_store, ev); /* NULL (out of memory) is counted as dropped */
	if (use != NULL)
		store_submit(ctx->lc_store, use);
	return kind;
}

/* login: matching an attempt to the view that showed the credential, and its events.
 *
 * A request thread only copies the attempt (login_record) and hands it to
 * the sink (the matcher thread), which runs login_match: that may read the
 * database and compute one Digest response per candidate credential. */
#include "login.h"
#include "credcode.h"
#include "netaddr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGIN_JSON_MAX 8192

struct login_job {
	int64_t lj_ts;
	const char *lj_channel; /* static */
	identity_s lj_who;      /* without the proxy: login rows have never carried it */
	char lj_method[16], lj_net[64];
	char lj_source[64]; /* the network, for the matcher's fair share */
	int lj_aggregate, lj_has_cred, lj_has_digest;
	size_t lj_ua_len, lj_ua_orig, lj_path_len;
	char *lj_ua, *lj_path; /* NULL or within this allocation */
	authparse_cred_s lj_cred;
	authparse_digest_s lj_digest;
	char lj_text[]; /* ua and path */
};

login_job_s *login_job_new(const login_attempt_s *la, int64_t ts_ms)
{
	size_t ua = la->la_ua != NULL ? la->la_ua_len : 0,
	       path = la->la_path != NULL ? la->la_path_len : 0;
	login_job_s *j;

	/* The callers' fields are bounded already (EV_*_MAX); bound them again
	 * so that no caller can make a job large. */
	ua = ua > EV_USER_AGENT_MAX ? EV_USER_AGENT_MAX : ua;
	path = path > EV_PATH_MAX ? EV_PATH_MAX : path;
	if ((j = calloc(1, sizeof(*j) + ua + path + 2)) == NULL)
		return NULL;
	j->lj_ts = ts_ms;
	j->lj_channel = la->la_channel;
	if (la->la_who != NULL)
		j->lj_who = *la->la_who;
	j->lj_who.id_peer_ip[0] = '\0';
	snprintf(j->lj_method, sizeof(j->lj_method), "%s",
	         la->la_method != NULL ? la->la_method : "");
	if (netaddr_truncate(j->lj_who.id_ip, strlen(j->lj_who.id_ip), 24, 64, j->lj_source,
	                     sizeof(j->lj_source)) != 0)
		snprintf(j->lj_source, sizeof(j->lj_source), "%s", j->lj_who.id_ip);
	if (la->la_aggregate_net != NULL) {
		j->lj_aggregate = 1;
		snprintf(j->lj_net, sizeof(j->lj_net), "%s", la->la_aggregate_net);
	}
	if (la->la_ua != NULL) {
		j->lj_ua = j->lj_text;
		memcpy(j->lj_ua, la->la_ua, ua);
		j->lj_ua_len = ua;
		j->lj_ua_orig = la->la_ua_orig;
	}
	if (la->la_path != NULL) {
		j->lj_path = j->lj_text + ua + 1;
		memcpy(j->lj_path, la->la_path, path);
		j->lj_path_len = path;
	}
	if (la->la_digest != NULL) {
		j->lj_has_digest = 1;
		j->lj_digest = *la->la_digest;
	} else if (la->la_cred != NULL) {
		j->lj_has_cred = 1;
		j->lj_cred = *la->la_cred;
	}
	return j;
}

void login_job_free(login_job_s *job)
{
	free(job);
}

const char *login_job_net(const login_job_s *job)
{
	return job->lj_source;
}

int login_job_plausible(const login_job_s *j, trap_s *trap)
{
	if (trap == NULL)
		return 0;
	if (j->lj_has_digest)
		return trap_plausible(trap, j->lj_digest.ad_username, j->lj_digest.ad_username_len,
		                      NULL, 0);
	if (j->lj_has_cred)
		return trap_plausible(trap, j->lj_cred.ac_user, j->lj_cred.ac_user_len,
		                      j->lj_cred.ac_pass, j->lj_cred.ac_pass_len);
	return 0;
}

/* ---- matching ---- */

/* Walks the credentials shown with a username: check (NULL: all) is a cheap
 * test of a candidate's password; a candidate that passes is completed with
 * its view (from memory, else from the database by its password, the UNIQUE
 * index) and handed to fn. Today's spelling costs one candidate per block of
 * 65,536 issued; the legacy spelling walks the database's username index. */
typedef struct {
	credstore_s *sw_cs;
	int (*sw_check)(const trap_cred_s *c, void *arg);
	int (*sw_fn)(const trap_cred_s *c, void *arg);
	void *sw_arg;
} shown_walk_s;

static int shown_candidate(const trap_cred_s *c, void *arg)
{
	shown_walk_s *w = arg;
	trap_cred_s full;

	if (w->sw_check != NULL && !w->sw_check(c, w->sw_arg))
		return 0;
	if (c->tc_view_id != 0)
		return w->sw_fn(c, w->sw_arg);
	/* issued, but not among the recent ones: shown only if the database has it */
	if (w->sw_cs == NULL ||
	    credstore_by_password(w->sw_cs, c->tc_pass, strlen(c->tc_pass), &full) != 1)
		return 0;
	return w->sw_fn(&full, w->sw_arg);
}

static int each_shown(trap_s *t, credstore_s *cs, const char *user, size_t ulen,
                      int (*check)(const trap_cred_s *c, void *arg),
                      int (*fn)(const trap_cred_s *c, void *arg), void *arg)
{
	shown_walk_s w = {cs, check, fn, arg};
	int rc = trap_user_each(t, user, ulen, 0, shown_candidate, &w);

	if (rc >= 0)
		return rc;
	if (cs != NULL && credcode_user_legacy(user, ulen))
		return credstore_each_user(cs, user, ulen, shown_candidate, &w);
	return 0;
}

typedef struct {
	const authparse_digest_s *dc_digest;
	const char *dc_method;
	trap_cred_s *dc_out;
} digest_cand_s;

static int digest_fits(const trap_cred_s *c, void *arg)
{
	const digest_cand_s *d = arg;

	return authparse_digest_check(d->dc_digest, d->dc_method, c->tc_pass);
}

static int digest_take(const trap_cred_s *c, void *arg)
{
	digest_cand_s *d = arg;

	if (d->dc_out != NULL)
		*d->dc_out = *c;
	return 1;
}

/* Views shown a username: up to two distinct ones (username-only needs one). */
typedef struct {
	trap_cred_s uc_first;
	int64_t uc_views[2];
	int uc_n;
} user_count_s;

static int user_count(const trap_cred_s *c, void *arg)
{
	user_count_s *u = arg;

	for (int i = 0; i < u->uc_n; i++)
		if (u->uc_views[i] == c->tc_view_id)
			return 0;
	if (u->uc_n == 0)
		u->uc_first = *c;
	u->uc_views[u->uc_n++] = c->tc_view_id;
	return u->uc_n >= 2;
}

static trap_match_e match_digest(trap_s *t, credstore_s *cs, const login_job_s *j, trap_cred_s *m)
{
	const authparse_digest_s *d = &j->lj_digest;
	digest_cand_s dc = {d, j->lj_method, m};

	if (trap_mode(t) == TRAP_STATIC) {
		trap_cred_s st;
		/* the static password is known: its Digest is checked directly */
		return trap_static_cred(t, &st) && strlen(st.tc_user) == d->ad_username_len &&
		               memcmp(st.tc_user, d->ad_username, d->ad_username_len) == 0 &&
		               digest_fits(&st, &dc)
		           ? (*m = st, MATCH_STATIC)
		           : MATCH_NONE;
	}
	return each_shown(t, cs, d->ad_username, d->ad_username_len, digest_fits, digest_take,
	                  &dc) == 1
	           ? MATCH_EXACT
	           : MATCH_NONE;
}

static trap_match_e match_plain(trap_s *t, credstore_s *cs, const authparse_cred_s *c,
                                trap_cred_s *m)
{
	user_count_s uc = {.uc_n = 0};

	if (trap_static(t, c->ac_user, c->ac_user_len, c->ac_pass, c->ac_pass_len, m))
		return MATCH_STATIC;
	if (trap_mode(t) != TRAP_PER_VIEWER)
		return MATCH_NONE;
	if (c->ac_pass_len > 0 &&
	    (trap_recent(t, c->ac_pass, c->ac_pass_len, m) ||
	     (cs != NULL && credstore_by_password(cs, c->ac_pass, c->ac_pass_len, m) == 1)))
		return strlen(m->tc_user) == c->ac_user_len &&
		               memcmp(m->tc_user, c->ac_user, c->ac_user_len) == 0
		           ? MATCH_EXACT
		           : MATCH_PASSWORD;
	if (c->ac_user_len == 0)
		return MATCH_NONE;
	/* A username shown to exactly one view identifies that view. */
	each_shown(t, cs, c->ac_user, c->ac_user_len, NULL, user_count, &uc);
	if (uc.uc_n != 1)
		return MATCH_NONE;
	*m = uc.uc_first;
	return MATCH_USERNAME;
}

int login_accepts(trap_s *t, const authparse_cred_s *c, const authparse_digest_s *d,
                  const char *method)
{
	trap_cred_s m;

	if (t == NULL)
		return 0;
	if (c != NULL) {
		if (trap_static(t, c->ac_user, c->ac_user_len, c->ac_pass, c->ac_pass_len, &m))
			return 1;
		return trap_mode(t) == TRAP_PER_VIEWER &&
		       trap_recent(t, c->ac_pass, c->ac_pass_len, &m) &&
		       strlen(m.tc_user) == c->ac_user_len &&
		       memcmp(m.tc_user, c->ac_user, c->ac_user_len) == 0;
	}
	if (d == NULL)
		return 0;
	digest_cand_s da = {d, method, NULL};
	if (trap_mode(t) == TRAP_STATIC)
		return trap_static_cred(t, &m) && strlen(m.tc_user) == d->ad_username_len &&
		       memcmp(m.tc_user, d->ad_username, d->ad_username_len) == 0 &&
		       digest_fits(&m, &da);
	/* the recent candidates of the username: two at most, each O(1) */
	shown_walk_s w = {NULL, digest_fits, digest_take, &da};
	return trap_mode(t) == TRAP_PER_VIEWER &&
	       trap_user_each(t, d->ad_username, d->ad_username_len, 1, shown_candidate, &w) == 1;
}

/* The fields a login.attempt and its credential.use share. NULL is a no-op. */
static void fill(event_s *ev, const login_job_s *j, trap_match_e kind, const trap_cred_s *m)
{
	if (ev == NULL)
		return;
	if (j->lj_ua != NULL)
		ev->ev_orig_len[EVS_USER_AGENT] = j->lj_ua_orig;
	if (j->lj_has_cred) {
		if (j->lj_cred.ac_has_user)
			ev->ev_orig_len[EVS_USERNAME] = j->lj_cred.ac_user_orig;
		if (j->lj_cred.ac_has_pass)
			ev->ev_orig_len[EVS_PASSWORD] = j->lj_cred.ac_pass_orig;
	}
	ev->ev_ts = j->lj_ts;
	ev->ev_who = j->lj_who;
	ev->ev_channel = j->lj_channel;
	ev->ev_match_kind = trap_match_name(kind);
	/* a view's credential, or one a leak disclosed (no view: its issue
	 * number names the leak, the "view" fields its requester) */
	if (kind != MATCH_NONE && (m->tc_view_id != 0 || m->tc_seq != 0)) {
		ev->ev_matched_view = m->tc_view_id;
		ev->ev_trap_seq = m->tc_seq;
		snprintf(ev->ev_view_ip, sizeof(ev->ev_view_ip), "%s", m->tc_ip);
		snprintf(ev->ev_view_country, sizeof(ev->ev_view_country), "%s", m->tc_country);
		snprintf(ev->ev_view_referer_class, sizeof(ev->ev_view_referer_class), "%s",
		         m->tc_referer_class);
		ev->ev_shown_at = m->tc_shown_at;
		/* Credential sharing: used from elsewhere than where it was seen. */
		ev->ev_moved_ip = strcmp(m->tc_ip, ev->ev_who.id_ip) != 0;
		ev->ev_moved_country = m->tc_country[0] && ev->ev_who.id_country[0] &&
		                       strcmp(m->tc_country, ev->ev_who.id_country) != 0;
	}
}

trap_match_e login_match(const login_ctx_s *ctx, credstore_s *cs, const login_job_s *j,
                         int unchecked)
{
	const char *strs[EVS_MAX] = {NULL};
	size_t lens[EVS_MAX] = {0};
	trap_cred_s m;
	trap_match_e kind = MATCH_NONE;
	event_s *ev, *use;

	memset(&m, 0, sizeof(m));
	if (j->lj_has_digest) {
		strs[EVS_USERNAME] = j->lj_digest.ad_username;
		lens[EVS_USERNAME] = j->lj_digest.ad_username_len;
		/* Only a hash arrives: the password is known only when one fits. */
		if (ctx->lc_trap != NULL && !unchecked &&
		    (kind = match_digest(ctx->lc_trap, cs, j, &m)) != MATCH_NONE) {
			strs[EVS_PASSWORD] = m.tc_pass;
			lens[EVS_PASSWORD] = strlen(m.tc_pass);
		}
	} else if (j->lj_has_cred) {
		const authparse_cred_s *c = &j->lj_cred;
		if (c->ac_has_user) {
			strs[EVS_USERNAME] = c->ac_user;
			lens[EVS_USERNAME] = c->ac_user_len;
		}
		if (c->ac_has_pass) {
			strs[EVS_PASSWORD] = c->ac_pass;
			lens[EVS_PASSWORD] = c->ac_pass_len;
		}
		if (ctx->lc_trap != NULL && !unchecked)
			kind = match_plain(ctx->lc_trap, cs, c, &m);
	}
	strs[EVS_USER_AGENT] = j->lj_ua;
	lens[EVS_USER_AGENT] = j->lj_ua_len;
	strs[EVS_PATH] = j->lj_path;
	lens[EVS_PATH] = j->lj_path_len;
	/* Credential uses are always recorded in full; other attempts past the
	 * network's budget only counted. */
	if (j->lj_aggregate && (kind == MATCH_NONE || kind == MATCH_USERNAME)) {
		store_aggregate(ctx->lc_store, j->lj_net, j->lj_ts, "login");
		return kind;
	}
	ev = event_new(EV_LOGIN, strs, lens);
	/* A username alone is weak evidence: recorded, but not a credential use. */
	use = kind != MATCH_NONE && kind != MATCH_USERNAME
	          ? event_new(EV_CREDENTIAL_USE, strs, lens)
	          : NULL;
	fill(ev, j, kind, &m);
	fill(use, j, kind, &m);
	if (use != NULL && ctx->lc_hook != NULL) {
		char *json = malloc(LOGIN_JSON_MAX);
		size_t n = json != NULL ? event_json(use, ctx->lc_sensor, ctx->lc_persona, json,
		                                     LOGIN_JSON_MAX)
		                        : 0;
		if (n > 0)
			webhook_post(ctx->lc_hook, json, n);
		free(json);
	}
	if (ev != NULL)
		store_submit(ctx->lc_store, ev);
	else
		store_dropped(ctx->lc_store, EV_LOGIN);
	if (use != NULL)
		store_submit(ctx->lc_store, use);
	else if (kind != MATCH_NONE && kind != MATCH_USERNAME)
		store_dropped(ctx->lc_store, EV_CREDENTIAL_USE);
	return kind;
}

void login_record(const login_ctx_s *ctx, const login_attempt_s *la, int64_t ts_ms)
{
	login_job_s *j = login_job_new(la, ts_ms);

	if (j == NULL) {
		store_dropped(ctx->lc_store, EV_LOGIN);
		return;
	}
	if (ctx->lc_sink.ls_submit != NULL && login_job_plausible(j, ctx->lc_trap)) {
		ctx->lc_sink.ls_submit(ctx->lc_sink.ls_arg, j);
		return;
	}
	/* Nothing to look up: an attempt that is not plausible matches nothing. */
	login_match(ctx, NULL, j, 0);
	login_job_free(j);
}

/* A credential tried, as a number: FNV-1a over the user, the password and
 * the verdict. */
static uint64_t recent_key(const char *user, size_t ulen, const char *pass, size_t plen, int ok)
{
	uint64_t h = 1469598103934665603u;

	for (size_t i = 0; i < ulen; i++)
		h = (h ^ (uint8_t)user[i]) * 1099511628211u;
	h = (h ^ 0x100) * 1099511628211u;
	for (size_t i = 0; i < plen; i++)
		h = (h ^ (uint8_t)pass[i]) * 1099511628211u;
	return (h ^ (uint64_t)(ok + 0x200)) * 1099511628211u;
}

/* 1 when recent holds key; else it is remembered (the oldest forgotten). */
static int recent_seen(login_recent_s *recent, uint64_t key)
{
	for (int i = 0; i < recent->lr_n; i++)
		if (recent->lr_keys[i] == key)
			return 1;
	recent->lr_keys[recent->lr_next] = key;
	recent->lr_next = (recent->lr_next + 1) % LOGIN_RECENT_MAX;
	if (recent->lr_n < LOGIN_RECENT_MAX)
		recent->lr_n++;
	return 0;
}

/* A Digest computed with the empty password, as the credential it is. */
static void empty_digest_cred(const authparse_digest_s *dg, authparse_cred_s *c)
{
	memset(c, 0, sizeof(*c));
	c->ac_has_user = c->ac_has_pass = 1;
	c->ac_user_orig = dg->ad_username_len;
	c->ac_user_len =
	    dg->ad_username_len < AUTHPARSE_FIELD_MAX ? dg->ad_username_len : AUTHPARSE_FIELD_MAX;
	memcpy(c->ac_user, dg->ad_username, c->ac_user_len);
	c->ac_user[c->ac_user_len] = '\0';
}

int login_authorization(const login_ctx_s *ctx, login_attempt_s *la, const char *auth, size_t len,
                        login_recent_s *recent, int64_t ts_ms, int *recorded)
{
	authparse_cred_s cred;
	authparse_digest_s *dg = NULL;
	uint64_t key;
	int ok;

	*recorded = 0;
	if (auth == NULL ? authparse_userinfo(la->la_path, la->la_path_len, &cred) == 0
	                 : authparse_basic(auth, len, &cred) == 0) {
		la->la_cred = &cred;
		ok = login_accepts(ctx->lc_trap, &cred, NULL, la->la_method);
		key =
		    recent_key(cred.ac_user, cred.ac_user_len, cred.ac_pass, cred.ac_pass_len, ok);
	} else if (auth != NULL && (dg = malloc(sizeof(*dg))) != NULL &&
	           authparse_digest(auth, len, dg) == 0) {
		ok = login_accepts(ctx->lc_trap, NULL, dg, la->la_method);
		if (authparse_digest_check(dg, la->la_method, "")) {
			/* the empty password (rtsp://user:@host/): the same row as
			 * Basic's "user:" */
			empty_digest_cred(dg, &cred);
			la->la_cred = &cred;
			key = recent_key(cred.ac_user, cred.ac_user_len, "", 0, ok);
		} else {
			/* a Digest says only the user and whether its password was
			 * right: its own key, apart from Basic's "user:" */
			la->la_digest = dg;
			key = recent_key(dg->ad_username, dg->ad_username_len, "", 0, ok + 2);
		}
	} else {
		free(dg);
		return -1;
	}
	if (!recent_seen(recent, key)) {
		login_record(ctx, la, ts_ms);
		*recorded = 1;
	}
	la->la_cred = NULL;
	la->la_digest = NULL;
	free(dg);
	return ok;
}

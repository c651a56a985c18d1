/* test_login: login attempts of every kind matched to the view that showed the credential and
 * recorded (rows recounted in the database), and the webhook's back-off against a local receiver
 * that fails twice. */
#include <arpa/inet.h>
#include <nettle/base64.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "testdb.h"
#include "clock.h"
#include "login.h"
#include "matcher.h"

#define POSTS_MAX 16

static int listen_fd;
static int64_t arrived_at[POSTS_MAX];
static char bodies[POSTS_MAX][2048];
static int nposts, failures_left = 2;

/* A receiver that answers 503 to the first two POSTs and 204 after. */
static void *receive(void *arg)
{
	(void)arg;
	for (;;) {
		int c = accept(listen_fd, NULL, NULL);
		char buf[8192];
		size_t n = 0;
		if (c < 0)
			return NULL;
		/* headers, then Content-Length bytes of body */
		for (;;) {
			ssize_t r = recv(c, buf + n, sizeof(buf) - 1 - n, 0);
			if (r <= 0)
				break;
			n += (size_t)r;
			buf[n] = '\0';
			char *end = strstr(buf, "\r\n\r\n"),
			     *cl = strcasestr(buf, "Content-Length:");
			if (end != NULL && cl != NULL &&
			    n >= (size_t)(end + 4 - buf) + (size_t)atoi(cl + 15))
				break;
		}
		if (nposts < POSTS_MAX) {
			char *end = strstr(buf, "\r\n\r\n");
			arrived_at[nposts] = clock_mono_ms();
			snprintf(bodies[nposts], sizeof(bodies[0]), "%s",
			         end != NULL ? end + 4 : "");
			nposts++;
		}
		const char *answer = failures_left-- > 0
		                         ? "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n"
		                         : "HTTP/1.1 204 No Content\r\n\r\n";
		send(c, answer, strlen(answer), MSG_NOSIGNAL);
		close(c);
	}
}

static void md5_hex(const char *s, char hex[33])
{
	struct md5_ctx ctx;
	uint8_t raw[MD5_DIGEST_SIZE];

	md5_init(&ctx);
	md5_update(&ctx, strlen(s), (const uint8_t *)s);
	md5_digest(&ctx, sizeof(raw), raw);
	for (int i = 0; i < MD5_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
}

static authparse_cred_s cred(const char *user, const char *pass)
{
	authparse_cred_s c;

	memset(&c, 0, sizeof(c));
	c.ac_has_user = c.ac_has_pass = 1;
	snprintf(c.ac_user, sizeof(c.ac_user), "%s", user);
	snprintf(c.ac_pass, sizeof(c.ac_pass), "%s", pass);
	c.ac_user_len = c.ac_user_orig = strlen(user);
	c.ac_pass_len = c.ac_pass_orig = strlen(pass);
	return c;
}

/* A view.open showing c, as the web stage makes it. */
static event_s *view_open(const trap_cred_s *c)
{
	const char *strs[EVS_MAX] = {NULL};
	size_t lens[EVS_MAX] = {0};
	event_s *ev = event_new(EV_VIEW_OPEN, strs, lens);

	if (ev == NULL)
		return NULL;
	ev->ev_ts = ev->ev_started_at = ev->ev_last_frame_at = c->tc_shown_at;
	ev->ev_view_id = c->tc_view_id;
	ev->ev_view_kind = VIEW_STREAM;
	ev->ev_frames = 1;
	snprintf(ev->ev_who.id_ip, sizeof(ev->ev_who.id_ip), "%s", c->tc_ip);
	snprintf(ev->ev_who.id_country, sizeof(ev->ev_who.id_country), "%s", c->tc_country);
	ev->ev_referer_class = strcmp(c->tc_referer_class, "insecam") == 0 ? "insecam" : "none";
	ev->ev_client_class = "browser";
	snprintf(ev->ev_trap_user, sizeof(ev->ev_trap_user), "%s", c->tc_user);
	snprintf(ev->ev_trap_pass, sizeof(ev->ev_trap_pass), "%s", c->tc_pass);
	ev->ev_trap_seq = c->tc_seq;
	return ev;
}

/* One attempt matched on this thread: the match kind. */
static trap_match_e record(const login_ctx_s *ctx, credstore_s *cs, const login_attempt_s *la,
                           int64_t ts)
{
	login_job_s *j = login_job_new(la, ts);
	trap_match_e k = j != NULL ? login_match(ctx, cs, j, 0) : MATCH_NONE;

	login_job_free(j);
	return k;
}

/* What the cases share, in order: the store, the credentials shown, the
 * attempt each case changes and records, the webhook's receiver. */
static char dir[] = "/tmp/camdecoy-login-XXXXXX", db[128];
static store_s *st;
static credstore_s *cs;
static uint8_t key[16];
static trap_s *trap, *trap2;
static webhook_s *hook;
static trap_cred_s shown[2];
static login_ctx_s ctx, ctx2;
static identity_s who = {.id_ip = "198.51.100.7", .id_port = 5000, .id_country = "JP"};
static login_attempt_s la = {.la_channel = "basic",
                             .la_who = &who,
                             .la_path = "/axis-cgi/admin/param.cgi",
                             .la_path_len = 25,
                             .la_method = "GET"};
static authparse_cred_s c;
/* a username-only match needs the two usernames to differ (1 in 1,024 they do not) */
static int distinct;

/* the store, the webhook to the test's receiver, two views each shown its
 * credential, written by the store as the daemon does */
static void setup(void)
{
	char url[64], err[256];
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t slen = sizeof(sin);

	CHECK(mkdtemp(dir) != NULL);
	snprintf(db, sizeof(db), "%s/t.db", dir);
	listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(bind(listen_fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	      listen(listen_fd, 16) == 0);
	getsockname(listen_fd, (struct sockaddr *)&sin, &slen);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/hook", ntohs(sin.sin_port));

	const store_conf_s sc = {
	    .sc_db_path = db, .sc_sensor = "s1", .sc_persona = "axis", .sc_version = "t"};
	st = store_open(&sc, err, sizeof(err));
	trap_seq_s ts = {.ts_key = key};
	cs = st != NULL ? credstore_open(db, err, sizeof(err)) : NULL;
	CHECK(cs != NULL &&
	      credstore_begin(cs, key, &ts.ts_next, &ts.ts_reserved, 100, err, sizeof(err)) == 0);
	CHECK(ts.ts_next == 1 && ts.ts_reserved == 101);
	trap = trap_new(TRAP_PER_VIEWER, NULL, NULL, &ts);
	hook = webhook_new(url, err, sizeof(err));
	CHECK(st != NULL && trap != NULL && hook != NULL && store_start(st, err, sizeof(err)) == 0);
	CHECK(trap_issue(trap, 1, 1000, "198.51.100.7", "JP", "insecam", &shown[0]) == 0);
	CHECK(trap_issue(trap, 2, 2000, "203.0.113.5", "DE", "none", &shown[1]) == 0);
	for (int i = 0; i < 2; i++)
		store_submit(st, view_open(&shown[i]));
	ctx = (login_ctx_s){.lc_store = st,
	                    .lc_trap = trap,
	                    .lc_hook = hook,
	                    .lc_sensor = "s1",
	                    .lc_persona = "axis"};
	distinct = strcmp(shown[0].tc_user, shown[1].tc_user) != 0;
}

/* matched among the recent credentials (the database may not have them yet) */
static void recent_matches(void)
{
	c = cred(shown[0].tc_user, shown[0].tc_pass);
	la.la_cred = &c;
	CHECK(record(&ctx, NULL, &la, 61000) == MATCH_EXACT);
	c = cred("admin", shown[1].tc_pass);
	snprintf(who.id_ip, sizeof(who.id_ip), "%s", "192.0.2.1");
	snprintf(who.id_country, sizeof(who.id_country), "%s", "US");
	CHECK(record(&ctx, NULL, &la, 62000) == MATCH_PASSWORD);
	c = cred(shown[0].tc_user, "guess");
	CHECK(record(&ctx, NULL, &la, 63000) == (distinct ? MATCH_USERNAME : MATCH_NONE));
	c = cred("root", "xc3511");
	CHECK(record(&ctx, NULL, &la, 64000) == MATCH_NONE);
	/* past the network's budget: an attempt without a trap credential is only counted ... */
	la.la_aggregate_net = "192.0.2.0/24";
	CHECK(record(&ctx, NULL, &la, 65000) == MATCH_NONE);
	/* ... one with a trap credential is recorded in full all the same */
	c = cred(shown[1].tc_user, shown[1].tc_pass);
	CHECK(record(&ctx, NULL, &la, 66000) == MATCH_EXACT);
	la.la_aggregate_net = NULL;
}

/* After a restart the recent ones are gone: every credential is found in
 * the database, by password, and by username for Digest. */
static void after_restart(void)
{
	char err[256];

	for (int i = 0; i < 100 && query_int(db, "SELECT COUNT(*) FROM credentials") < 2; i++)
		usleep(50000);
	CHECK(query_int(db, "SELECT COUNT(*) FROM credentials") == 2);
	trap_seq_s ts2 = {.ts_key = key};
	CHECK(credstore_begin(cs, key, &ts2.ts_next, &ts2.ts_reserved, 100, err, sizeof(err)) == 0);
	CHECK(ts2.ts_next == 101 &&
	      ts2.ts_reserved == 201); /* the rest of the first reservation is skipped */
	trap2 = trap_new(TRAP_PER_VIEWER, NULL, NULL, &ts2);
	ctx2 = (login_ctx_s){.lc_store = st,
	                     .lc_trap = trap2,
	                     .lc_hook = hook,
	                     .lc_sensor = "s1",
	                     .lc_persona = "axis"};
	trap_cred_s m;
	CHECK(trap_recent(trap2, shown[0].tc_pass, strlen(shown[0].tc_pass), &m) == 0);
	c = cred(shown[0].tc_user, shown[0].tc_pass);
	snprintf(who.id_ip, sizeof(who.id_ip), "%s", "198.51.100.7");
	snprintf(who.id_country, sizeof(who.id_country), "%s", "JP");
	CHECK(record(&ctx2, NULL, &la, 67000) == MATCH_NONE); /* without the database: unknown */
	CHECK(record(&ctx2, cs, &la, 68000) == MATCH_EXACT);
	c = cred(shown[0].tc_user, "guess");
	CHECK(record(&ctx2, cs, &la, 69000) == (distinct ? MATCH_USERNAME : MATCH_NONE));
}

/* Digest: only a hash arrives; the credential is found by trying the
 * ones shown with that username, through the matcher thread; WS-Security too */
static void digest_and_wsse(void)
{
	char err[256], ha1[33], ha2[33], resp[33], buf[512];
	snprintf(buf, sizeof(buf), "%s:AXIS_ACCC8E000000:%s", shown[1].tc_user, shown[1].tc_pass);
	md5_hex(buf, ha1);
	md5_hex("GET:/axis-cgi/admin/param.cgi", ha2);
	snprintf(buf, sizeof(buf), "%s:abc:00000001:xyz:auth:%s", ha1, ha2);
	md5_hex(buf, resp);
	snprintf(buf, sizeof(buf),
	         "Digest username=\"%s\", realm=\"AXIS_ACCC8E000000\", nonce=\"abc\", "
	         "uri=\"/axis-cgi/admin/param.cgi\","
	         " qop=auth, nc=00000001, cnonce=\"xyz\", response=\"%s\"",
	         shown[1].tc_user, resp);
	authparse_digest_s d;
	CHECK(authparse_digest(buf, strlen(buf), &d) == 0);
	la.la_cred = NULL;
	la.la_digest = &d;
	la.la_channel = "digest";
	matcher_s *mt = matcher_new(&ctx2, cs, err, sizeof(err));
	CHECK(mt != NULL && matcher_start(mt, err, sizeof(err)) == 0);
	login_ctx_s via = ctx2;
	via.lc_sink = matcher_sink(mt);
	int64_t t0 = clock_mono_us();
	login_record(&via, &la, 70000);
	int64_t handed = clock_mono_us() - t0;
	/* WS-Security (ONVIF): Base64(SHA-1(nonce + created + password)), the
	 * nonce's bytes being "nonce"; found the same way, on channel onvif */
	authparse_digest_s w = {.ad_kind = AUTHPARSE_DIGEST_WSSE};
	struct sha1_ctx sha;
	uint8_t raw[SHA1_DIGEST_SIZE];
	snprintf(w.ad_username, sizeof(w.ad_username), "%s", shown[0].tc_user);
	w.ad_username_len = strlen(w.ad_username);
	snprintf(w.ad_nonce, sizeof(w.ad_nonce), "%s", "bm9uY2U=");
	snprintf(w.ad_created, sizeof(w.ad_created), "%s", "2026-12-07T13:40:00Z");
	sha1_init(&sha);
	sha1_update(&sha, 5, (const uint8_t *)"nonce");
	sha1_update(&sha, strlen(w.ad_created), (const uint8_t *)w.ad_created);
	sha1_update(&sha, strlen(shown[0].tc_pass), (const uint8_t *)shown[0].tc_pass);
	sha1_digest(&sha, sizeof(raw), raw);
	base64_encode_raw(w.ad_response, sizeof(raw), raw);
	CHECK(authparse_digest_check(&w, "POST", shown[0].tc_pass) == 1);
	CHECK(authparse_digest_check(&w, "POST", shown[1].tc_pass) == 0);
	la.la_digest = &w;
	la.la_channel = "onvif";
	login_record(&via, &la, 70500);
	matcher_stop(mt);
	matcher_stats_s ms;
	matcher_stats(mt, &ms);
	CHECK(ms.ms_matched == 2 && ms.ms_unchecked == 0);
	printf("login: Digest handed over in %lld us, matched in %llu us\n", (long long)handed,
	       (unsigned long long)ms.ms_max_us);
	matcher_free(mt); /* closes cs */
}

/* the webhook: six credential uses, two refused posts retried after 1 s and 2 s */
static void webhook_retries(void)
{
	webhook_stats_s ws = {0};
	for (int i = 0; i < 100 && ws.wh_sent < 6; i++) {
		usleep(100000);
		webhook_stats(hook, &ws);
	}
	CHECK(ws.wh_sent == 6 && ws.wh_failed_attempts == 2 && ws.wh_given_up == 0);
	int retried = 0;
	for (int f = 0; f < 2; f++)
		for (int j = f + 1; j < nposts; j++)
			if (strcmp(bodies[j], bodies[f]) == 0) {
				/* back-off 1, 2, 4, 8 s: the first retry no sooner than 1 s */
				retried += arrived_at[j] - arrived_at[f] >= 950;
				break;
			}
	CHECK(nposts == 8 && retried == 2);
	CHECK(strstr(bodies[0], "\"event\":\"credential.use\"") != NULL);
	webhook_free(hook);
	store_stop(st);
}

/* the rows, recounted */
static void rows_recounted(void)
{
	CHECK(query_int(db, "SELECT COUNT(*) FROM logins") == 10);
	CHECK(query_int(db, "SELECT COUNT(*) FROM credential_uses") ==
	      6 + 2 * distinct); /* username-only is a match kind */
	CHECK(
	    query_int(
	        db, "SELECT COUNT(*) FROM logins WHERE match_kind IN ('exact', 'password-only')") ==
	    6);
	CHECK(query_int(db, "SELECT matched_view FROM logins WHERE ts = 61000") == 1);
	CHECK(query_int(db, "SELECT moved_ip + 2 * moved_country FROM logins WHERE ts = 61000") ==
	      0);
	CHECK(query_int(db, "SELECT moved_ip + 2 * moved_country FROM logins WHERE ts = 62000") ==
	      3);
	CHECK(query_int(db, "SELECT lag_ms FROM logins WHERE ts = 62000") == 60000);
	CHECK(query_int(db, "SELECT COALESCE(matched_view, 0) FROM logins WHERE ts = 63000") ==
	      distinct);
	CHECK(query_int(db, "SELECT matched_view IS NULL FROM logins WHERE ts = 64000") == 1);
	CHECK(query_int(db, "SELECT COUNT(*) FROM logins WHERE ts = 65000") == 0);
	CHECK(query_int(db, "SELECT SUM(count) FROM aggregated WHERE kind = 'login' AND network = "
	                    "'192.0.2.0/24'") == 1);
	/* found in the database: the viewer's address and country come from its view row */
	CHECK(
	    query_int(
	        db,
	        "SELECT matched_view = 1 AND view_country = 'JP' AND view_referer_class = 'insecam'"
	        " AND shown_at = 1000 FROM logins WHERE ts = 68000") == 1);
	CHECK(query_int(db, "SELECT matched_view FROM logins WHERE channel = 'digest'") == 2);
	CHECK(query_int(db, "SELECT matched_view FROM logins WHERE channel = 'onvif' AND "
	                    "match_kind = 'exact'") == 1);
	CHECK(query_int(db, "SELECT password = (SELECT password FROM credentials WHERE view_id = 2)"
	                    " FROM logins WHERE channel = 'digest'") == 1);
}

int main(void)
{
	char buf[512];
	pthread_t rth;

	RUN(setup);
	pthread_create(&rth, NULL, receive, NULL);
	RUN(recent_matches);
	RUN(after_restart);
	RUN(digest_and_wsse);
	RUN(webhook_retries);
	RUN(rows_recounted);
	store_free(st);
	trap_free(trap);
	trap_free(trap2);
	shutdown(listen_fd, SHUT_RDWR);
	close(listen_fd);
	pthread_join(rth, NULL);
	snprintf(buf, sizeof(buf), "rm -rf %s", dir);
	CHECK(system(buf) == 0);
	return check_report();
}

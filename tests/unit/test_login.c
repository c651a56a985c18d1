/* test_login: login attempts of every kind matched to the view that showed the credential and
 * recorded (rows recounted in the database), and the webhook's back-off against a local receiver
 * that fails twice. */
#include <arpa/inet.h>
#include <nettle/md5.h>
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
			char *end = strstr(buf, "\r\n\r\n"), *cl = strcasestr(buf, "Content-Length:");
			if (end != NULL && cl != NULL && n >= (size_t)(end + 4 - buf) + (size_t)atoi(cl + 15))
				break;
		}
		if (nposts < POSTS_MAX) {
			char *end = strstr(buf, "\r\n\r\n");
			arrived_at[nposts] = clock_mono_ms();
			snprintf(bodies[nposts], sizeof(bodies[0]), "%s", end != NULL ? end + 4 : "");
			nposts++;
		}
		const char *answer = failures_left-- > 0 ? "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n"
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

int main(void)
{
	char dir[] = "/tmp/camdecoy-login-XXXXXX", db[128], url[64], err[256];
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t slen = sizeof(sin);
	pthread_t rth;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(db, sizeof(db), "%s/t.db", dir);
	listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(bind(listen_fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 && listen(listen_fd, 16) == 0);
	getsockname(listen_fd, (struct sockaddr *)&sin, &slen);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/hook", ntohs(sin.sin_port));
	pthread_create(&rth, NULL, receive, NULL);

	const store_conf_s sc = {.sc_db_path = db, .sc_sensor = "s1", .sc_persona = "axis", .sc_version = "t"};
	store_s *st = store_open(&sc, err, sizeof(err));
	trap_s *trap = trap_new(TRAP_PER_VIEWER, NULL, NULL);
	webhook_s *hook = webhook_new(url, err, sizeof(err));
	CHECK(st != NULL && trap != NULL && hook != NULL && store_start(st, err, sizeof(err)) == 0);
	const trap_cred_s shown[] = {
		{.tc_view_id = 1, .tc_user = "operator", .tc_pass = "Amber234", .tc_shown_at = 1000, .tc_ip = "198.51.100.7",
		 .tc_country = "JP", .tc_referer_class = "insecam"},
		{.tc_view_id = 2, .tc_user = "service", .tc_pass = "Maple567", .tc_shown_at = 2000, .tc_ip = "203.0.113.5",
		 .tc_country = "DE", .tc_referer_class = "none"},
	};
	CHECK(trap_add(trap, &shown[0]) == 0 && trap_add(trap, &shown[1]) == 0);
	const login_ctx_s ctx = {.lc_store = st, .lc_trap = trap, .lc_hook = hook, .lc_sensor = "s1",
	                         .lc_persona = "axis"};
	login_attempt_s la = {.la_channel = "basic", .la_ip = "198.51.100.7", .la_port = 5000, .la_country = "JP",
	                      .la_path = "/axis-cgi/admin/param.cgi", .la_path_len = 25, .la_method = "GET"};
	authparse_cred_s c;

	c = cred("operator", "Amber234");
	la.la_cred = &c;
	CHECK(login_record(&ctx, &la, 61000) == MATCH_EXACT);
	c = cred("admin", "Maple567");
	la.la_ip = "192.0.2.1";
	la.la_country = "US";
	CHECK(login_record(&ctx, &la, 62000) == MATCH_PASSWORD);
	c = cred("operator", "guess");
	CHECK(login_record(&ctx, &la, 63000) == MATCH_USERNAME);
	c = cred("root", "xc3511");
	CHECK(login_record(&ctx, &la, 64000) == MATCH_NONE);
	/* past the network's budget: an attempt without a trap credential is only counted ... */
	la.la_aggregate_net = "192.0.2.0/24";
	CHECK(login_record(&ctx, &la, 65000) == MATCH_NONE);
	/* ... one with a trap credential is recorded in full all the same */
	c = cred("service", "Maple567");
	CHECK(login_record(&ctx, &la, 66000) == MATCH_EXACT);
	la.la_aggregate_net = NULL;

	/* Digest: only a hash arrives; the credential is found by trying the ones shown */
	char ha1[33], ha2[33], resp[33], buf[512];
	snprintf(buf, sizeof(buf), "service:AXIS_ACCC8E000000:Maple567");
	md5_hex(buf, ha1);
	md5_hex("GET:/axis-cgi/admin/param.cgi", ha2);
	snprintf(buf, sizeof(buf), "%s:abc:00000001:xyz:auth:%s", ha1, ha2);
	md5_hex(buf, resp);
	snprintf(buf, sizeof(buf),
	         "Digest username=\"service\", realm=\"AXIS_ACCC8E000000\", nonce=\"abc\", uri=\"/axis-cgi/admin/param.cgi\","
	         " qop=auth, nc=00000001, cnonce=\"xyz\", response=\"%s\"", resp);
	authparse_digest_s d;
	CHECK(authparse_digest(buf, strlen(buf), &d) == 0);
	la.la_cred = NULL;
	la.la_digest = &d;
	la.la_channel = "digest";
	CHECK(login_record(&ctx, &la, 67000) == MATCH_EXACT);

	/* the webhook: four credential uses, two refused posts retried after 1 s and 2 s */
	webhook_stats_s ws = {0};
	for (int i = 0; i < 100 && ws.wh_sent < 4; i++) {
		usleep(100000);
		webhook_stats(hook, &ws);
	}
	CHECK(ws.wh_sent == 4 && ws.wh_failed_attempts == 2 && ws.wh_given_up == 0);
	int retried = 0;
	for (int f = 0; f < 2; f++)
		for (int j = f + 1; j < nposts; j++)
			if (strcmp(bodies[j], bodies[f]) == 0) {
				/* back-off 1, 2, 4, 8 s: the first retry no sooner than 1 s */
				retried += arrived_at[j] - arrived_at[f] >= 950;
				break;
			}
	CHECK(nposts == 6 && retried == 2);
	CHECK(strstr(bodies[0], "\"event\":\"credential.use\"") != NULL);
	webhook_free(hook);
	store_stop(st);

	/* the rows, recounted */
	CHECK(query_int(db, "SELECT COUNT(*) FROM logins") == 6);
	CHECK(query_int(db, "SELECT COUNT(*) FROM credential_uses") == 5); /* username-only counts as a match kind */
	CHECK(query_int(db, "SELECT COUNT(*) FROM logins WHERE match_kind IN ('exact', 'password-only')") == 4);
	CHECK(query_int(db, "SELECT matched_view FROM logins WHERE ts = 61000") == 1);
	CHECK(query_int(db, "SELECT moved_ip + 2 * moved_country FROM logins WHERE ts = 61000") == 0);
	CHECK(query_int(db, "SELECT moved_ip + 2 * moved_country FROM logins WHERE ts = 62000") == 3);
	CHECK(query_int(db, "SELECT lag_ms FROM logins WHERE ts = 62000") == 60000);
	CHECK(query_int(db, "SELECT matched_view FROM logins WHERE ts = 63000") == 1);
	CHECK(query_int(db, "SELECT matched_view IS NULL FROM logins WHERE ts = 64000") == 1);
	CHECK(query_int(db, "SELECT COUNT(*) FROM logins WHERE ts = 65000") == 0);
	CHECK(query_int(db, "SELECT SUM(count) FROM aggregated WHERE kind = 'login' AND network = '192.0.2.0/24'") == 1);
	CHECK(query_int(db, "SELECT matched_view FROM logins WHERE channel = 'digest'") == 2);
	CHECK(query_int(db, "SELECT password = 'Maple567' FROM logins WHERE channel = 'digest'") == 1);
	store_free(st);
	trap_free(trap);
	shutdown(listen_fd, SHUT_RDWR);
	close(listen_fd);
	pthread_join(rth, NULL);
	snprintf(buf, sizeof(buf), "rm -rf %s", dir);
	CHECK(system(buf) == 0);
	return check_report();
}

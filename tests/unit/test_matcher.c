/* test_matcher: a Digest flood on one trap username from 8 networks hides no genuine login from
 * other networks (the matcher's queue is shared fairly by source network), and what one Digest
 * attempt costs is bounded: no username is shown with more than a few of the credentials issued. */
#include <nettle/md5.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "clock.h"
#include "credcode.h"
#include "fairq.h"
#include "htab.h"
#include "login.h"
#include "matcher.h"
#include "testdb.h"

#define FLOOD   6000
#define GENUINE 8

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

/* The Authorization header a client knowing user/pass sends for GET uri. */
static void digest_for(const char *user, const char *pass, const char *cnonce,
                       authparse_digest_s *d)
{
	char ha1[33], ha2[33], resp[33], buf[512];

	snprintf(buf, sizeof(buf), "%s:AXIS_ACCC8E000000:%s", user, pass);
	md5_hex(buf, ha1);
	md5_hex("GET:/axis-cgi/admin/param.cgi", ha2);
	snprintf(buf, sizeof(buf), "%s:abc:00000001:%s:auth:%s", ha1, cnonce, ha2);
	md5_hex(buf, resp);
	snprintf(buf, sizeof(buf),
	         "Digest username=\"%s\", realm=\"AXIS_ACCC8E000000\", nonce=\"abc\", "
	         "uri=\"/axis-cgi/admin/param.cgi\","
	         " qop=auth, nc=00000001, cnonce=\"%s\", response=\"%s\"",
	         user, cnonce, resp);
	CHECK(authparse_digest(buf, strlen(buf), d) == 0);
}

/* The most credentials of the first n issue numbers that share one username. */
static unsigned most_per_username(const uint8_t key[16], uint64_t n)
{
	htab_s users;
	typedef struct {
		htab_node_s un_node;
		char un_user[TRAP_FIELD_MAX + 1];
		unsigned un_count;
	} user_s;
	user_s *all = calloc(n, sizeof(*all));
	unsigned most = 0;
	size_t used = 0;

	if (all == NULL || htab_init(&users, n) != 0) {
		free(all);
		return ~0u;
	}
	for (uint64_t seq = 1; seq <= n; seq++) {
		char u[TRAP_FIELD_MAX + 1], p[TRAP_FIELD_MAX + 1];
		user_s *e = NULL;
		trap_generate(key, seq, u, p);
		uint64_t h = htab_hash(u, strlen(u));
		for (htab_node_s *nd = users.ht_buckets[h & (users.ht_nbuckets - 1)]; nd != NULL;
		     nd = nd->hn_next)
			if (nd->hn_hash == h &&
			    strcmp(HTAB_ENTRY(nd, user_s, un_node)->un_user, u) == 0)
				e = HTAB_ENTRY(nd, user_s, un_node);
		if (e == NULL) {
			e = &all[used++];
			snprintf(e->un_user, sizeof(e->un_user), "%s", u);
			htab_insert(&users, &e->un_node, h);
		}
		if (++e->un_count > most)
			most = e->un_count;
	}
	htab_destroy(&users);
	free(all);
	return most;
}

/* The fair queue alone: turns by network, push-out from the longest. */
static void fair_queue(void)
{
	static int items[64];
	fairq_s *q = fairq_new(8);
	char key[32];

	CHECK(q != NULL && fairq_pop(q) == NULL && fairq_new(0) == NULL);
	/* network a sends 6, then b and c one each: b and c are served in the
	 * first round, not after a's 6 */
	for (int i = 0; i < 6; i++)
		CHECK(fairq_push(q, "a", &items[i]) == NULL);
	CHECK(fairq_push(q, "b", &items[10]) == NULL && fairq_push(q, "c", &items[20]) == NULL);
	CHECK(fairq_len(q) == 8 && fairq_nets(q) == 3);
	/* full: a holds the most, so a's own newcomer is left out ... */
	CHECK(fairq_push(q, "a", &items[6]) == &items[6]);
	/* ... and a newcomer from d displaces a's newest */
	CHECK(fairq_push(q, "d", &items[30]) == &items[5]);
	CHECK(fairq_pop(q) == &items[0] && fairq_pop(q) == &items[10] &&
	      fairq_pop(q) == &items[20]);
	CHECK(fairq_pop(q) == &items[30] && fairq_pop(q) == &items[1] && fairq_pop(q) == &items[2]);
	CHECK(fairq_nets(q) == 1 && fairq_pop(q) == &items[3] && fairq_pop(q) == &items[4]);
	CHECK(fairq_pop(q) == NULL && fairq_len(q) == 0 && fairq_nets(q) == 0);
	/* many networks at once: each holds one; the ninth finds no network
	 * holding more than itself would, and is left out */
	for (int i = 0; i < 8; i++) {
		snprintf(key, sizeof(key), "10.0.%d.0/24", i);
		CHECK(fairq_push(q, key, &items[40 + i]) == NULL);
	}
	CHECK(fairq_push(q, "10.0.99.0/24", &items[50]) == &items[50]);
	/* a key longer than FAIRQ_KEY_MAX is cut, not overrun */
	char longkey[200];
	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	for (int i = 0; i < 8; i++)
		CHECK(fairq_pop(q) == &items[40 + i]);
	CHECK(fairq_push(q, longkey, &items[60]) == NULL && fairq_pop(q) == &items[60]);
	fairq_free(q);
	fairq_free(NULL);
}

int main(void)
{
	char dir[] = "/tmp/camdecoy-matcher-XXXXXX", db[128], err[256];
	static const uint8_t key[16] = {9, 8, 7, 6, 5, 4, 3, 2, 1};

	/* The red-team figure: 210,000 credentials issued. A Digest attempt
	 * tries each credential shown with its username: a few, not hundreds. */
	unsigned most = most_per_username(key, 210000);
	printf("matcher: at most %u of 210,000 credentials share a username\n", most);
	CHECK(most <= 4);
	fair_queue();

	CHECK(mkdtemp(dir) != NULL);
	snprintf(db, sizeof(db), "%s/t.db", dir);
	const store_conf_s sc = {
	    .sc_db_path = db, .sc_sensor = "s1", .sc_persona = "axis", .sc_version = "t"};
	store_s *st = store_open(&sc, err, sizeof(err));
	trap_seq_s ts = {.ts_key = key, .ts_next = 1, .ts_reserved = 1000};
	trap_s *trap = trap_new(TRAP_PER_VIEWER, NULL, NULL, &ts);
	CHECK(st != NULL && trap != NULL && store_start(st, err, sizeof(err)) == 0);
	trap_cred_s shown[GENUINE];
	for (int i = 0; i < GENUINE; i++)
		CHECK(trap_issue(trap, i + 1, 1000, "198.51.100.7", "JP", "insecam", &shown[i]) ==
		      0);
	const login_ctx_s ctx = {
	    .lc_store = st, .lc_trap = trap, .lc_sensor = "s1", .lc_persona = "axis"};
	matcher_s *mt = matcher_new(&ctx, NULL, err, sizeof(err));
	CHECK(mt != NULL);

	/* Queued before the thread runs, as when it is behind: FLOOD bogus Digest
	 * logins for a trap username from 127.10.0.0/24 .. 127.10.7.0/24, then
	 * the genuine ones, each from a network of its own. */
	authparse_digest_s bogus, good[GENUINE];
	digest_for(shown[0].tc_user, "Wrong2345", "flood", &bogus);
	identity_s who = {.id_port = 5000};
	login_attempt_s la = {.la_channel = "digest",
	                      .la_who = &who,
	                      .la_method = "GET",
	                      .la_path = "/axis-cgi/admin/param.cgi",
	                      .la_path_len = 25,
	                      .la_digest = &bogus};
	for (int i = 0; i < FLOOD; i++) {
		snprintf(who.id_ip, sizeof(who.id_ip), "127.10.%d.%d", i % 8, 1 + i / 8 % 250);
		matcher_submit(mt, login_job_new(&la, 1000 + i));
	}
	for (int i = 0; i < GENUINE; i++) {
		digest_for(shown[i].tc_user, shown[i].tc_pass, "genuine", &good[i]);
		snprintf(who.id_ip, sizeof(who.id_ip), "127.20.%d.1", i);
		la.la_digest = &good[i];
		matcher_submit(mt, login_job_new(&la, 100000 + i));
	}
	int64_t t0 = clock_mono_us();
	CHECK(matcher_start(mt, err, sizeof(err)) == 0);
	matcher_stop(mt);
	int64_t took = clock_mono_us() - t0;
	matcher_stats_s ms;
	matcher_stats(mt, &ms);
	printf("matcher: %llu attempts matched in %lld us (%.1f us each, slowest %llu us), %llu "
	       "unchecked\n",
	       (unsigned long long)ms.ms_matched, (long long)took,
	       ms.ms_matched > 0 ? (double)took / (double)ms.ms_matched : 0.0,
	       (unsigned long long)ms.ms_max_us, (unsigned long long)ms.ms_unchecked);
	matcher_free(mt);
	store_stop(st);
	int64_t genuine = query_int(
	    db, "SELECT COUNT(*) FROM logins WHERE src_ip LIKE '127.20.%' AND match_kind = 'exact'"
	        " AND matched_view BETWEEN 1 AND 8");
	printf("matcher: %lld of %d genuine Digest logins matched under the flood\n",
	       (long long)genuine, GENUINE);
	CHECK(genuine == GENUINE);
	CHECK(query_int(db, "SELECT COUNT(*) FROM logins") == FLOOD + GENUINE);
	CHECK(query_int(db, "SELECT COUNT(*) FROM logins WHERE src_ip LIKE '127.10.%' AND "
	                    "match_kind != 'none'") == 0);
	store_free(st);
	trap_free(trap);
	return check_report();
}

/* test_auth: RFC 2617 Digest vector, form/Basic/Digest parsing, the trap credential space and
 * issuing. */
#include <nettle/md5.h>
#include <stdlib.h>

#include "authparse.h"
#include "check.h"
#include "credcode.h"
#include "htab.h"
#include "trap.h"

/* The test's own MD5 (nettle, as the decoy), to build Digest responses. */
static void md5_hex(const char *data, size_t len, char hex[33])
{
	struct md5_ctx ctx;
	uint8_t raw[MD5_DIGEST_SIZE];

	md5_init(&ctx);
	md5_update(&ctx, len, (const uint8_t *)data);
	md5_digest(&ctx, sizeof(raw), raw);
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
}

static int64_t digest_found;

static int digest_ok(const trap_cred_s *c, void *arg)
{
	if (!authparse_digest_check(arg, "GET", c->tc_pass))
		return 0;
	digest_found = c->tc_view_id;
	return 1;
}

static void note_reserve(void *arg, uint64_t upto)
{
	*(uint64_t *)arg = upto;
}

static const uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

/* RFC 2617, section 3.5: the worked example, checked with the right and a wrong password */
static void digest_rfc2617(void)
{
	char hex[33];
	authparse_digest_s d;

	static const char rfc2617[] =
	    "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
	    "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, "
	    "nc=00000001, "
	    "cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
	    "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
	CHECK(authparse_digest(rfc2617, sizeof(rfc2617) - 1, &d) == 0);
	CHECK(authparse_digest_check(&d, "GET", "Circle Of Life") == 1);
	CHECK(authparse_digest_check(&d, "GET", "Circle Of Life!") == 0);
	CHECK(authparse_digest_check(&d, "POST", "Circle Of Life") == 0);
	md5_hex("abc", 3, hex);
	CHECK_STR(hex, "900150983cd24fb0d6963f7d28e17f72");
}

/* forms and query strings */
static void forms(void)
{
	char buf[1024];
	authparse_cred_s c;

	CHECK(authparse_form("username=admin&password=Amber234%21", 35, &c) == 0);
	CHECK_STR(c.ac_user, "admin");
	CHECK_STR(c.ac_pass, "Amber234!");
	CHECK(authparse_form("pwd=a+b%20c&USER=x%00y", 22, &c) == 0);
	CHECK(c.ac_user_len == 3 && memcmp(c.ac_user, "x\0y", 3) == 0);
	CHECK_STR(c.ac_pass, "a b c");
	CHECK(authparse_form("foo=bar&baz", 11, &c) == -1);
	CHECK(authparse_form("", 0, &c) == -1);
	CHECK(authparse_form("user=%zz%4&pass=%", 17, &c) == 0);
	CHECK_STR(c.ac_user, "%zz%4");
	CHECK_STR(c.ac_pass, "%");
	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "user=", 5);
	CHECK(authparse_form(buf, sizeof(buf), &c) == 0);
	CHECK(c.ac_user_len == AUTHPARSE_FIELD_MAX && c.ac_user_orig == sizeof(buf) - 5);
	CHECK(authparse_query("user=admin&pwd=", 15, &c) == 0 && c.ac_has_pass &&
	      c.ac_pass_len == 0);
}

/* a URL's userinfo (RTSP clients and scanners put credentials there) */
static void userinfo(void)
{
	authparse_cred_s c;

#define UI(u) authparse_userinfo(u, strlen(u), &c)
	CHECK(UI("rtsp://admin:12345@10.0.0.5:554/Streaming/Channels/101") == 0 &&
	      strcmp(c.ac_user, "admin") == 0 && strcmp(c.ac_pass, "12345") == 0 && c.ac_has_pass);
	CHECK(UI("rtsp://ad%40min:p%3Ass+w@h/") == 0 && strcmp(c.ac_user, "ad@min") == 0 &&
	      strcmp(c.ac_pass, "p:ss+w") == 0);
	CHECK(UI("rtsp://a@b:c@h/x") == 0 && strcmp(c.ac_user, "a@b") == 0 &&
	      strcmp(c.ac_pass, "c") == 0);
	CHECK(UI("rtsp://root@h/axis-media/media.amp") == 0 && strcmp(c.ac_user, "root") == 0 &&
	      !c.ac_has_pass);
	CHECK(UI("rtsp://h/path@x") == -1); /* an '@' in the path is not userinfo */
	CHECK(UI("rtsp://h/") == -1);
	CHECK(UI("/Streaming/Channels/101") == -1);
	CHECK(UI("rtsp:") == -1);
	CHECK(UI("") == -1);
#undef UI
}

/* Basic: strict base64 */
static void basic(void)
{
	authparse_cred_s c;

	CHECK(authparse_basic("Basic YWRtaW46QW1iZXIyMzQh", 26, &c) == 0);
	CHECK_STR(c.ac_user, "admin");
	CHECK_STR(c.ac_pass, "Amber234!");
	CHECK(authparse_basic("basic   YTpiOmM=  ", 18, &c) == 0);
	CHECK_STR(c.ac_user, "a");
	CHECK_STR(c.ac_pass, "b:c");
	CHECK(authparse_basic("Basic YWRt!W46", 14, &c) == -1); /* invalid character */
	CHECK(authparse_basic("Basic YWRtaW4=", 14, &c) == -1); /* no colon */
	CHECK(authparse_basic("Basic YQ=a", 10, &c) == -1);     /* padding inside */
	CHECK(authparse_basic("Basic YWJj", 10, &c) == -1);     /* "abc": no colon */
	CHECK(authparse_basic("Bearer abc", 10, &c) == -1);
	CHECK(authparse_basic("Basic", 5, &c) == -1);
	CHECK(authparse_basic("Basic AA==", 10, &c) == -1); /* a NUL, no colon */
	CHECK(authparse_basic("Basic OgA=", 10, &c) == -1 || c.ac_pass_len == 1); /* ":\0" */
}

/* Digest: RFC 2617 section 3.5's example, quoting, and what is not a Digest header */
static void digest_parse(void)
{
	authparse_digest_s d;

	const char *hdr =
	    "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
	    "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, "
	    "nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
	    "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
	CHECK(authparse_digest(hdr, strlen(hdr), &d) == 0);
	CHECK_STR(d.ad_username, "Mufasa");
	CHECK_STR(d.ad_qop, "auth");
	CHECK(authparse_digest_check(&d, "GET", "Circle Of Life") == 1);
	CHECK(authparse_digest_check(&d, "GET", "circle of life") == 0);
	const char *esc = "Digest username=\"a\\\"b\", response=\"x\"";
	CHECK(authparse_digest(esc, strlen(esc), &d) == 0);
	CHECK_STR(d.ad_username, "a\"b");
	CHECK(authparse_digest("Digest username=\"unterminated", 29, &d) == -1);
	CHECK(authparse_digest("Digest realm=\"x\"", 16, &d) == -1);
	CHECK(authparse_digest("Basic abc", 9, &d) == -1);
	CHECK(authparse_digest("Digest ,,,=,=\"\",", 16, &d) == -1);
}

/* trap: the credential space. Issue numbers spell distinct passwords and
 * decode back, with no i, l, o, 0 or 1 to misread. */
static void credential_space(void)
{
	char u[TRAP_FIELD_MAX + 1], p[TRAP_FIELD_MAX + 1];
	credcode_s cc;
	credcode_init(&cc, key);
	htab_s seen;
	CHECK(htab_init(&seen, 200000) == 0);
	typedef struct {
		htab_node_s sn_node;
		char sn_pass[TRAP_FIELD_MAX + 1];
	} seen_s;
	seen_s *all = calloc(200000, sizeof(*all));
	size_t dups = 0, bad_shape = 0, bad_decode = 0;
	for (uint64_t seq = 1; all != NULL && seq <= 200000; seq++) {
		seen_s *e = &all[seq - 1];
		CHECK(trap_generate(key, seq, u, p) == 0);
		snprintf(e->sn_pass, sizeof(e->sn_pass), "%s", p);
		size_t pl = strlen(p), ul = strlen(u);
		bad_shape +=
		    !(ul >= 6 && ul <= 10 && pl >= 12 && pl <= 17 && p[0] >= 'A' && p[0] <= 'Z' &&
		      strpbrk(p, "ilo01") == NULL && strpbrk(u, "ilo01") == NULL);
		bad_decode += credcode_decode(&cc, p, pl) != seq || !credcode_user_plausible(u, ul);
		uint64_t h = htab_hash(p, pl);
		for (htab_node_s *n = seen.ht_buckets[h & (seen.ht_nbuckets - 1)]; n != NULL;
		     n = n->hn_next)
			dups += n->hn_hash == h &&
			        strcmp(HTAB_ENTRY(n, seen_s, sn_node)->sn_pass, p) == 0;
		htab_insert(&seen, &e->sn_node, h);
	}
	CHECK(all != NULL && dups == 0 && bad_shape == 0 && bad_decode == 0);
	htab_destroy(&seen);
	free(all);
	/* the ends of the space, and what is outside it */
	CHECK(trap_generate(key, CREDCODE_SPACE - 1, u, p) == 0 &&
	      credcode_decode(&cc, p, strlen(p)) == CREDCODE_SPACE - 1);
	CHECK(trap_generate(key, 0, u, p) == -1 && p[0] == '\0');
	CHECK(trap_generate(key, CREDCODE_SPACE, u, p) == -1 && u[0] == '\0');
	CHECK(credcode_decode(&cc, "AmberTucker4827", 15) != 0 &&
	      credcode_decode(&cc, "AmberTucker4821", 15) == 0);
	CHECK(credcode_decode(&cc, "AmberTucker482", 14) == 0 &&
	      credcode_decode(&cc, "Amber", 5) == 0);
	CHECK(credcode_decode(&cc, "amberTucker4827", 15) == 0 &&
	      credcode_decode(&cc, "AmberTucker4827%", 16) == 0);
	CHECK(credcode_decode(&cc, "", 0) == 0 && !credcode_user_plausible("admin", 5));
	/* another key, another spelling of the same number */
	static const uint8_t key2[16] = {2};
	char u2[TRAP_FIELD_MAX + 1], p2[TRAP_FIELD_MAX + 1];
	CHECK(trap_generate(key, 77, u, p) == 0 && trap_generate(key2, 77, u2, p2) == 0 &&
	      strcmp(p, p2) != 0);
}

/* per-viewer issue: numbers only below the reserved mark (fail closed),
 * a reservation asked for half-way, recent credentials found in O(1) */
static void per_viewer(void)
{
	char buf[1024], u[TRAP_FIELD_MAX + 1], p[TRAP_FIELD_MAX + 1];
	authparse_digest_s d;
	uint64_t asked = 0;
	trap_seq_s ts = {.ts_key = key, .ts_next = 1, .ts_reserved = 4};
	trap_s *t = trap_new(TRAP_PER_VIEWER, NULL, NULL, &ts);
	trap_set_reserver(t, note_reserve, &asked);
	trap_cred_s a, b, c3, m;
	CHECK(trap_issue(t, 7, 1000, "198.51.100.7", "JP", "insecam", &a) == 0 && a.tc_seq == 1);
	CHECK(asked == 4 + TRAP_RESERVE_BLOCK);
	CHECK(trap_issue(t, 8, 2000, "203.0.113.1", "DE", "none", &b) == 0 && b.tc_seq == 2);
	CHECK(trap_issue(t, 9, 3000, "203.0.113.2", "DE", "none", &c3) == 0 && c3.tc_seq == 3);
	CHECK(strcmp(a.tc_pass, b.tc_pass) != 0 && strcmp(b.tc_pass, c3.tc_pass) != 0);
	CHECK(trap_issue(t, 10, 4000, "203.0.113.3", "DE", "none", &m) == -1 &&
	      m.tc_pass[0] == '\0' && m.tc_view_id == 0);
	trap_reserved(t, asked);
	CHECK(trap_issue(t, 10, 4000, "203.0.113.3", "DE", "none", &m) == 0 && m.tc_seq == 4);
	trap_stats_s tst;
	trap_stats(t, &tst);
	CHECK(tst.tst_issued == 4 && tst.tst_unavailable == 1 && tst.tst_next == 5);
	CHECK(trap_recent(t, a.tc_pass, strlen(a.tc_pass), &m) == 1 && m.tc_view_id == 7 &&
	      strcmp(m.tc_country, "JP") == 0);
	CHECK(trap_recent(t, "wrong", 5, &m) == 0);
	CHECK(trap_plausible(t, "x", 1, b.tc_pass, strlen(b.tc_pass)) == 1);
	CHECK(trap_generate(key, 5000, u, p) == 0 &&
	      trap_plausible(t, u, strlen(u), p, strlen(p)) == 0);
	CHECK(trap_plausible(t, "admin", 5, "12345", 5) == 0 &&
	      trap_plausible(t, a.tc_user, strlen(a.tc_user), NULL, 0) == 1);
	/* Digest: which recent credential was used */
	char a1[256], r[33];
	snprintf(buf, sizeof(buf), "%s:%s:%s", b.tc_user, "IP Camera(C6269)", b.tc_pass);
	md5_hex(buf, strlen(buf), a1);
	md5_hex("GET:/ISAPI/Security/userCheck", 29, r);
	snprintf(buf, sizeof(buf), "%s:n1:00000001:c1:auth:%s", a1, r);
	md5_hex(buf, strlen(buf), r);
	snprintf(buf, sizeof(buf),
	         "Digest username=\"%s\", realm=\"IP Camera(C6269)\", nonce=\"n1\", "
	         "uri=\"/ISAPI/Security/userCheck\", "
	         "qop=auth, nc=00000001, cnonce=\"c1\", response=\"%s\"",
	         b.tc_user, r);
	CHECK(authparse_digest(buf, strlen(buf), &d) == 0);
	digest_found = 0;
	CHECK(trap_user_each(t, d.ad_username, d.ad_username_len, 1, digest_ok, &d) == 1 &&
	      digest_found == 8);
	/* a username of the legacy spelling, or none of ours: not walked here */
	CHECK(trap_user_each(t, "jcarter", 7, 0, digest_ok, &d) == -1 &&
	      trap_user_each(t, "admin", 5, 0, digest_ok, &d) == -1);
	trap_free(t);
	/* the space used up: nothing is issued, nothing reused */
	ts = (trap_seq_s){
	    .ts_key = key, .ts_next = CREDCODE_SPACE - 1, .ts_reserved = CREDCODE_SPACE + 10};
	t = trap_new(TRAP_PER_VIEWER, NULL, NULL, &ts);
	CHECK(trap_issue(t, 1, 1, "192.0.2.1", "", "none", &a) == 0 &&
	      a.tc_seq == CREDCODE_SPACE - 1);
	CHECK(trap_issue(t, 2, 1, "192.0.2.1", "", "none", &a) == -1 && a.tc_pass[0] == '\0');
	trap_free(t);
}

/* static mode */
static void static_mode(void)
{
	trap_cred_s a, m;
	trap_s *t = trap_new(TRAP_STATIC, "admin", "admin1234", NULL);
	CHECK(trap_issue(t, 3, 5, "1.2.3.4", "", "none", &a) == 0 &&
	      strcmp(a.tc_pass, "admin1234") == 0);
	CHECK(trap_static(t, "admin", 5, "admin1234", 9, &m) == 1 && m.tc_view_id == 0);
	CHECK(trap_static(t, "admin", 5, "admin", 5, &m) == 0);
	CHECK(trap_plausible(t, "admin", 5, NULL, 0) == 1 &&
	      trap_plausible(t, "root", 4, NULL, 0) == 0);
	CHECK_STR(trap_match_name(MATCH_PASSWORD), "password-only");
	trap_free(t);
	/* the longest static credential the configuration accepts (64) matches whole */
	const char *long_pass = "P123456789012345678901234567890123456789012345678901234567890123";
	CHECK(strlen(long_pass) == 64);
	t = trap_new(TRAP_STATIC, "admin", long_pass, NULL);
	CHECK(trap_static(t, "admin", 5, long_pass, 64, &m) == 1);
	CHECK(trap_static(t, "admin", 5, long_pass, 32, &m) == 0);
	trap_free(t);
	trap_free(NULL);
}

int main(void)
{
	RUN(digest_rfc2617);
	RUN(forms);
	RUN(userinfo);
	RUN(basic);
	RUN(digest_parse);
	RUN(credential_space);
	RUN(per_viewer);
	RUN(static_mode);
	return check_report();
}

/* test_auth: RFC 2617 Digest vector, form/Basic/Digest parsing, trap credential registry and matching. */
#include <nettle/md5.h>
#include <stdlib.h>

#include "authparse.h"
#include "check.h"
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

static int digest_ok(const trap_cred_s *c, void *arg)
{
	return authparse_digest_check(arg, "GET", c->tc_pass);
}

int main(void)
{
	char hex[33], buf[1024];
	authparse_cred_s c;
	authparse_digest_s d;

	/* RFC 2617, section 3.5: the worked example, checked with the right and a wrong password */
	static const char rfc2617[] =
		"Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
		"nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, nc=00000001, "
		"cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
		"opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
	CHECK(authparse_digest(rfc2617, sizeof(rfc2617) - 1, &d) == 0);
	CHECK(authparse_digest_check(&d, "GET", "Circle Of Life") == 1);
	CHECK(authparse_digest_check(&d, "GET", "Circle Of Life!") == 0);
	CHECK(authparse_digest_check(&d, "POST", "Circle Of Life") == 0);
	md5_hex("abc", 3, hex);
	CHECK_STR(hex, "900150983cd24fb0d6963f7d28e17f72");

	/* forms */
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
	CHECK(authparse_query("user=admin&pwd=", 15, &c) == 0 && c.ac_has_pass && c.ac_pass_len == 0);

	/* Basic: strict base64 */
	CHECK(authparse_basic("Basic YWRtaW46QW1iZXIyMzQh", 26, &c) == 0);
	CHECK_STR(c.ac_user, "admin");
	CHECK_STR(c.ac_pass, "Amber234!");
	CHECK(authparse_basic("basic   YTpiOmM=  ", 18, &c) == 0);
	CHECK_STR(c.ac_user, "a");
	CHECK_STR(c.ac_pass, "b:c");
	CHECK(authparse_basic("Basic YWRt!W46", 14, &c) == -1);   /* invalid character */
	CHECK(authparse_basic("Basic YWRtaW4=", 14, &c) == -1);    /* no colon */
	CHECK(authparse_basic("Basic YQ=a", 10, &c) == -1);        /* padding inside */
	CHECK(authparse_basic("Basic YWJj", 10, &c) == -1);        /* "abc": no colon */
	CHECK(authparse_basic("Bearer abc", 10, &c) == -1);
	CHECK(authparse_basic("Basic", 5, &c) == -1);
	CHECK(authparse_basic("Basic AA==", 10, &c) == -1);        /* a NUL, no colon */
	CHECK(authparse_basic("Basic OgA=", 10, &c) == -1 || c.ac_pass_len == 1); /* ":\0" */

	/* Digest: RFC 2617 section 3.5's example */
	const char *hdr = "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
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

	/* trap: generation shape */
	char u[TRAP_FIELD_MAX + 1], p[TRAP_FIELD_MAX + 1];
	for (int i = 0; i < 200; i++) {
		CHECK(trap_generate(u, p) == 0);
		size_t pl = strlen(p);
		CHECK(strlen(u) >= 4 && pl >= 7 && pl <= 16);
		CHECK(p[0] >= 'A' && p[0] <= 'Z' && strpbrk(p + 1, "ilo01") == NULL);
	}
	/* per-viewer registry: unique, matched exactly, by password, by unique username */
	trap_s *t = trap_new(TRAP_PER_VIEWER, NULL, NULL);
	trap_cred_s a, b, m;
	CHECK(trap_issue(t, 7, 1000, "198.51.100.7", "JP", "insecam", &a) == 0);
	CHECK(trap_issue(t, 8, 2000, "203.0.113.1", "DE", "none", &b) == 0);
	CHECK(strcmp(a.tc_pass, b.tc_pass) != 0 && trap_count(t) == 2);
	CHECK(trap_match(t, a.tc_user, strlen(a.tc_user), a.tc_pass, strlen(a.tc_pass), &m) == MATCH_EXACT);
	CHECK(m.tc_view_id == 7 && strcmp(m.tc_country, "JP") == 0 && m.tc_shown_at == 1000);
	CHECK(trap_match(t, "nobody", 6, b.tc_pass, strlen(b.tc_pass), &m) == MATCH_PASSWORD && m.tc_view_id == 8);
	CHECK(trap_match(t, a.tc_user, strlen(a.tc_user), "wrong", 5, &m) ==
	      (strcmp(a.tc_user, b.tc_user) == 0 ? MATCH_NONE : MATCH_USERNAME));
	CHECK(trap_match(t, "x", 1, "y", 1, &m) == MATCH_NONE && m.tc_view_id == 0);
	trap_cred_s dup = a;
	dup.tc_view_id = 99;
	CHECK(trap_add(t, &dup) == -1); /* a password is never registered twice */
	/* Digest: which credential was used */
	char a1[256], r[33];
	snprintf(buf, sizeof(buf), "%s:%s:%s", b.tc_user, "IP Camera(C6269)", b.tc_pass);
	md5_hex(buf, strlen(buf), a1);
	md5_hex("GET:/ISAPI/Security/userCheck", 29, r);
	snprintf(buf, sizeof(buf), "%s:n1:00000001:c1:auth:%s", a1, r);
	md5_hex(buf, strlen(buf), r);
	snprintf(buf, sizeof(buf),
	         "Digest username=\"%s\", realm=\"IP Camera(C6269)\", nonce=\"n1\", uri=\"/ISAPI/Security/userCheck\", "
	         "qop=auth, nc=00000001, cnonce=\"c1\", response=\"%s\"", b.tc_user, r);
	CHECK(authparse_digest(buf, strlen(buf), &d) == 0);
	CHECK(trap_find_user(t, d.ad_username, d.ad_username_len, digest_ok, &d, &m) == 1 && m.tc_view_id == 8);
	trap_free(t);

	/* static mode */
	t = trap_new(TRAP_STATIC, "admin", "admin1234");
	CHECK(trap_issue(t, 3, 5, "1.2.3.4", "", "none", &a) == 0 && strcmp(a.tc_pass, "admin1234") == 0);
	CHECK(trap_match(t, "admin", 5, "admin1234", 9, &m) == MATCH_STATIC);
	CHECK(trap_match(t, "admin", 5, "admin", 5, &m) == MATCH_NONE);
	CHECK_STR(trap_match_name(MATCH_PASSWORD), "password-only");
	trap_free(t);
	/* the longest static credential the configuration accepts (64) matches whole */
	const char *long_pass = "P123456789012345678901234567890123456789012345678901234567890123";
	CHECK(strlen(long_pass) == 64);
	t = trap_new(TRAP_STATIC, "admin", long_pass);
	CHECK(trap_match(t, "admin", 5, long_pass, 64, &m) == MATCH_STATIC);
	CHECK(trap_match(t, "admin", 5, long_pass, 32, &m) == MATCH_NONE);
	trap_free(t);
	trap_free(NULL);
	return check_report();
}

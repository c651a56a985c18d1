/* fuzz_auth: login form bodies, query strings, Basic and Digest headers, and the
 * decoding of an attempted password back to a credential's issue number. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "authparse.h"
#include "credcode.h"

typedef struct {
	const credcode_s *fu_cc;
	const char *fu_user;
	size_t fu_len;
	int fu_n;
} fuzz_user_s;

static int fuzz_user_seq(uint64_t seq, void *arg)
{
	fuzz_user_s *fu = arg;
	char u[CREDCODE_USER_MAX + 1], p[CREDCODE_PASS_MAX + 1];

	fu->fu_n++;
	/* non-zero (a failure the caller sees) when seq does not spell the username */
	return credcode_encode(fu->fu_cc, seq, u, p) != 0 || strlen(u) != fu->fu_len ||
	       memcmp(u, fu->fu_user, fu->fu_len) != 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	authparse_cred_s c;
	authparse_digest_s d;
	const char *s = (const char *)data;

	if (authparse_form(s, size, &c) == 0 &&
	    (c.ac_user_len > AUTHPARSE_FIELD_MAX || c.ac_pass_len > AUTHPARSE_FIELD_MAX))
		__builtin_trap();
	authparse_query(s, size, &c);
	if (authparse_basic(s, size, &c) == 0 && strlen(c.ac_user) > c.ac_user_len)
		__builtin_trap();
	if (authparse_digest(s, size, &d) == 0)
		authparse_digest_check(&d, "GET", "Amber234!");
	/* A password that decodes is exactly the one its number spells. */
	static const uint8_t key[16] = {7};
	credcode_s cc;
	char u[CREDCODE_USER_MAX + 1], p[CREDCODE_PASS_MAX + 1];
	credcode_init(&cc, key);
	uint64_t seq = credcode_decode(&cc, s, size);
	if (seq != 0 && (seq >= CREDCODE_SPACE || credcode_encode(&cc, seq, u, p) != 0 ||
	                 strlen(p) != size || memcmp(p, s, size) != 0))
		__builtin_trap();
	credcode_user_plausible(s, size);
	/* A username that parses stands for numbers that spell it, one per block. */
	if (credcode_user_index(s, size) >= 0) {
		fuzz_user_s fu = {&cc, s, size, 0};
		if (credcode_each_seq(&cc, s, size, 1, 3 * CREDCODE_USERS, fuzz_user_seq, &fu) !=
		        0 ||
		    fu.fu_n > 3)
			__builtin_trap();
	}
	return 0;
}

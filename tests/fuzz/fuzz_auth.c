/* fuzz_auth: login form bodies, query strings, Basic and Digest headers. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "authparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	authparse_cred_s c;
	authparse_digest_s d;
	const char *s = (const char *)data;

	if (authparse_form(s, size, &c) == 0 && (c.ac_user_len > AUTHPARSE_FIELD_MAX || c.ac_pass_len > AUTHPARSE_FIELD_MAX))
		__builtin_trap();
	authparse_query(s, size, &c);
	if (authparse_basic(s, size, &c) == 0 && strlen(c.ac_user) > c.ac_user_len)
		__builtin_trap();
	if (authparse_digest(s, size, &d) == 0)
		authparse_digest_check(&d, "GET", "Amber234!");
	return 0;
}

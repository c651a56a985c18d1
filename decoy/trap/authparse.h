/* authparse: login form bodies, HTTP Basic and Digest headers, parsed by us and bounded. */
#ifndef CAMDECOY_AUTHPARSE_H
#define CAMDECOY_AUTHPARSE_H

#include <stddef.h>

#define AUTHPARSE_FIELD_MAX 128

typedef struct {
	char ac_user[AUTHPARSE_FIELD_MAX + 1];
	size_t ac_user_len, ac_user_orig; /* stored (bounded) and decoded lengths */
	char ac_pass[AUTHPARSE_FIELD_MAX + 1];
	size_t ac_pass_len, ac_pass_orig;
	int ac_has_user, ac_has_pass;
} authparse_cred_s;

#define AUTHPARSE_DIGEST_FIELD_MAX 256

/* What kind of hash a digest attempt carries: an HTTP Digest response, or a
 * WS-Security UsernameToken PasswordDigest (ONVIF), whose ad_nonce is the
 * base64 nonce, ad_created the wsu:Created text and ad_response the base64
 * of SHA-1(nonce bytes + created + password). */
typedef enum { AUTHPARSE_DIGEST_HTTP = 0, AUTHPARSE_DIGEST_WSSE } authparse_digest_kind_e;

typedef struct {
	authparse_digest_kind_e ad_kind;
	char ad_created[AUTHPARSE_DIGEST_FIELD_MAX + 1];
	char ad_username[AUTHPARSE_DIGEST_FIELD_MAX + 1];
	char ad_realm[AUTHPARSE_DIGEST_FIELD_MAX + 1];
	char ad_nonce[AUTHPARSE_DIGEST_FIELD_MAX + 1];
	char ad_uri[AUTHPARSE_DIGEST_FIELD_MAX + 1];
	char ad_response[AUTHPARSE_DIGEST_FIELD_MAX + 1];
	char ad_qop[AUTHPARSE_DIGEST_FIELD_MAX + 1];
	char ad_nc[AUTHPARSE_DIGEST_FIELD_MAX + 1];
	char ad_cnonce[AUTHPARSE_DIGEST_FIELD_MAX + 1];
	char ad_algorithm[AUTHPARSE_DIGEST_FIELD_MAX + 1];
	size_t ad_username_len;
} authparse_digest_s;

/* application/x-www-form-urlencoded: finds the username and password fields
 * (common names: username, user, usr, name, login, account; password, pwd,
 * pass, passwd, pw), percent- and '+'-decoded. 0 if either was found, else -1. */
int authparse_form(const char *body, size_t len, authparse_cred_s *out);

/* "Basic <base64>": strict base64 (an invalid character rejects the header,
 * unlike libmicrohttpd 0.9.75's lenient decoder); user:pass split at the first
 * colon. 0, or -1 when it is not a well-formed Basic header. */
int authparse_basic(const char *value, size_t len, authparse_cred_s *out);

/* "Digest k=v, k=\"v\", ...". 0 when it is a Digest header with at least a
 * username and a response, else -1. Unknown parameters are ignored. */
int authparse_digest(const char *value, size_t len, authparse_digest_s *out);

/* 1 when d's response is what a client knowing password computes for method
 * (RFC 2617/7616 with MD5, qop auth or none; or, for AUTHPARSE_DIGEST_WSSE,
 * the UsernameToken profile's PasswordDigest, method unused), else 0. */
int authparse_digest_check(const authparse_digest_s *d, const char *method, const char *password);

/* Query-string credentials as Netwave/Foscam CGIs take them
 * (?user=..&pwd=..): the same field names as forms. */
int authparse_query(const char *query, size_t len, authparse_cred_s *out);
/* The userinfo of an absolute URL ("rtsp://user:pass@host/path"),
 * percent-decoded ('+' is itself); 0 when there is one, -1 otherwise. */
int authparse_userinfo(const char *uri, size_t len, authparse_cred_s *out);

#endif

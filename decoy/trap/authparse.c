/* authparse: bounded parsers for credentials arriving over HTTP. */
#include "authparse.h"

#include <nettle/base64.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define AUTHPARSE_INPUT_MAX 8192

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes a urlencoded value into dst (cap bytes + NUL); returns the full
 * decoded length (may exceed what was stored). A '+' is a space in forms
 * and queries, itself in a URL's userinfo. */
static size_t url_decode_as(const char *s, size_t n, char *dst, size_t cap, size_t *stored,
                            int plus_space)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '+' && plus_space) {
			c = ' ';
		} else if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
		           hexval(s[i + 2]) >= 0) {
			c = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
			i += 2;
		}
		if (out < cap)
			dst[out] = (char)c;
		out++;
	}
	*stored = out < cap ? out : cap;
	dst[*stored] = '\0';
	return out;
}

static size_t url_decode(const char *s, size_t n, char *dst, size_t cap, size_t *stored)
{
	return url_decode_as(s, n, dst, cap, stored, 1);
}

static int name_in(const char *name, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && strncasecmp(name, *list, n) == 0)
			return 1;
	return 0;
}

static const char *const user_names[] = {"username", "user",       "usr",   "name",      "login",
                                         "account",  "j_username", "uname", "loginuser", NULL};
static const char *const pass_names[] = {"password",   "pwd",       "pass",    "passwd", "pw",
                                         "j_password", "loginpass", "userpwd", NULL};

static int parse_pairs(const char *s, size_t len, authparse_cred_s *out)
{
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	if (len > AUTHPARSE_INPUT_MAX)
		len = AUTHPARSE_INPUT_MAX;
	while (i < len) {
		size_t start = i, eq, end;
		while (i < len && s[i] != '&')
			i++;
		end = i;
		i++; /* skip '&' */
		for (eq = start; eq < end && s[eq] != '='; eq++)
			;
		if (eq >= end)
			continue;
		char name[32];
		size_t nl;
		url_decode(s + start, eq - start, name, sizeof(name) - 1, &nl);
		if (!out->ac_has_user && name_in(name, nl, user_names)) {
			out->ac_user_orig = url_decode(s + eq + 1, end - eq - 1, out->ac_user,
			                               AUTHPARSE_FIELD_MAX, &out->ac_user_len);
			out->ac_has_user = 1;
		} else if (!out->ac_has_pass && name_in(name, nl, pass_names)) {
			out->ac_pass_orig = url_decode(s + eq + 1, end - eq - 1, out->ac_pass,
			                               AUTHPARSE_FIELD_MAX, &out->ac_pass_len);
			out->ac_has_pass = 1;
		}
	}
	return out->ac_has_user || out->ac_has_pass ? 0 : -1;
}

int authparse_form(const char *body, size_t len, authparse_cred_s *out)
{
	return parse_pairs(body, len, out);
}

int authparse_query(const char *query, size_t len, authparse_cred_s *out)
{
	return parse_pairs(query, len, out);
}

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int authparse_basic(const char *v, size_t len, authparse_cred_s *out)
{
	char dec[3 * (AUTHPARSE_INPUT_MAX / 4) + 3];
	size_t i = 0, n = 0, start, end, colon;
	uint32_t acc = 0;
	int bits = 0, pad = 0;

	memset(out, 0, sizeof(*out));
	if (len > AUTHPARSE_INPUT_MAX)
		return -1;
	while (i < len && (v[i] == ' ' || v[i] == '\t'))
		i++;
	if (len - i < 6 || strncasecmp(v + i, "basic", 5) != 0 ||
	    (v[i + 5] != ' ' && v[i + 5] != '\t'))
		return -1;
	i += 5;
	while (i < len && (v[i] == ' ' || v[i] == '\t'))
		i++;
	start = i;
	end = len;
	while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t'))
		end--;
	if (end == start || (end - start) % 4 != 0)
		return -1;
	for (i = start; i < end; i++) {
		int d;
		if (v[i] == '=') {
			/* padding only at the very end, at most two */
			if (end - i > 2 || (end - i == 2 && v[i + 1] != '='))
				return -1;
			pad++;
			continue;
		}
		if (pad || (d = b64val((unsigned char)v[i])) < 0)
			return -1;
		acc = acc << 6 | (uint32_t)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			dec[n++] = (char)(acc >> bits & 0xff);
		}
	}
	for (colon = 0; colon < n && dec[colon] != ':'; colon++)
		;
	if (colon == n)
		return -1;
	out->ac_has_user = out->ac_has_pass = 1;
	out->ac_user_orig = colon;
	out->ac_user_len = colon < AUTHPARSE_FIELD_MAX ? colon : AUTHPARSE_FIELD_MAX;
	memcpy(out->ac_user, dec, out->ac_user_len);
	out->ac_user[out->ac_user_len] = '\0';
	out->ac_pass_orig = n - colon - 1;
	out->ac_pass_len =
	    out->ac_pass_orig < AUTHPARSE_FIELD_MAX ? out->ac_pass_orig : AUTHPARSE_FIELD_MAX;
	memcpy(out->ac_pass, dec + colon + 1, out->ac_pass_len);
	out->ac_pass[out->ac_pass_len] = '\0';
	return 0;
}

static char *digest_slot(authparse_digest_s *d, const char *name, size_t n)
{
	static const struct {
		const char *name;
		size_t off;
	} slots[] = {
	    {"username", offsetof(authparse_digest_s, ad_username)},
	    {"realm", offsetof(authparse_digest_s, ad_realm)},
	    {"nonce", offsetof(authparse_digest_s, ad_nonce)},
	    {"uri", offsetof(authparse_digest_s, ad_uri)},
	    {"response", offsetof(authparse_digest_s, ad_response)},
	    {"qop", offsetof(authparse_digest_s, ad_qop)},
	    {"nc", offsetof(authparse_digest_s, ad_nc)},
	    {"cnonce", offsetof(authparse_digest_s, ad_cnonce)},
	    {"algorithm", offsetof(authparse_digest_s, ad_algorithm)},
	};

	for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		if (strlen(slots[i].name) == n && strncasecmp(slots[i].name, name, n) == 0)
			return (char *)d + slots[i].off;
	return NULL;
}

int authparse_digest(const char *v, size_t len, authparse_digest_s *out)
{
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	if (len > AUTHPARSE_INPUT_MAX)
		return -1;
	while (i < len && (v[i] == ' ' || v[i] == '\t'))
		i++;
	if (len - i < 7 || strncasecmp(v + i, "digest", 6) != 0 ||
	    (v[i + 6] != ' ' && v[i + 6] != '\t'))
		return -1;
	i += 6;
	while (i < len) {
		size_t ns, ne, vl = 0;
		char *slot;
		char val[AUTHPARSE_DIGEST_FIELD_MAX + 1];

		while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		ns = i;
		while (i < len && v[i] != '=' && v[i] != ',' && v[i] != ' ')
			i++;
		ne = i;
		while (i < len && v[i] == ' ')
			i++;
		if (i >= len || v[i] != '=') {
			if (ne == ns) /* nothing left */
				break;
			continue;
		}
		i++;
		while (i < len && v[i] == ' ')
			i++;
		if (i < len && v[i] == '"') {
			i++;
			while (i < len && v[i] != '"') {
				if (v[i] == '\\' && i + 1 < len)
					i++;
				if (vl < AUTHPARSE_DIGEST_FIELD_MAX)
					val[vl++] = v[i];
				i++;
			}
			if (i >= len)
				return -1; /* unterminated quoted string */
			i++;
		} else {
			while (i < len && v[i] != ',' && v[i] != ' ') {
				if (vl < AUTHPARSE_DIGEST_FIELD_MAX)
					val[vl++] = v[i];
				i++;
			}
		}
		val[vl] = '\0';
		slot = digest_slot(out, v + ns, ne - ns);
		if (slot != NULL && slot[0] == '\0') {
			memcpy(slot, val, vl + 1);
			if (slot == out->ad_username)
				out->ad_username_len = vl;
		}
	}
	return out->ad_username_len > 0 && out->ad_response[0] ? 0 : -1;
}

/* Lower-case hex MD5 of data (nettle's MD5: the same library libmicrohttpd's
 * gnutls brings into the process). */
static void md5_hex(const char *data, size_t len, char hex[33])
{
	static const char digits[] = "0123456789abcdef";
	struct md5_ctx ctx;
	uint8_t raw[MD5_DIGEST_SIZE];

	md5_init(&ctx);
	md5_update(&ctx, len, (const uint8_t *)data);
	md5_digest(&ctx, sizeof(raw), raw);
	for (size_t i = 0; i < sizeof(raw); i++) {
		hex[2 * i] = digits[raw[i] >> 4];
		hex[2 * i + 1] = digits[raw[i] & 15];
	}
	hex[32] = '\0';
}

/* WS-Security UsernameToken Profile 1.0: Base64(SHA-1(nonce + created +
 * password)), the nonce taken as the bytes its base64 stands for (strict:
 * anything else is not a nonce a client could have made). */
static int wsse_check(const authparse_digest_s *d, const char *password)
{
	struct base64_decode_ctx b64;
	struct sha1_ctx sha;
	uint8_t nonce[BASE64_DECODE_LENGTH(AUTHPARSE_DIGEST_FIELD_MAX)], raw[SHA1_DIGEST_SIZE];
	char want[BASE64_ENCODE_RAW_LENGTH(SHA1_DIGEST_SIZE) + 1];
	size_t nlen = sizeof(nonce), blen = strlen(d->ad_nonce);
	unsigned diff = 0;

	base64_decode_init(&b64);
	if (!base64_decode_update(&b64, &nlen, nonce, blen, d->ad_nonce) ||
	    !base64_decode_final(&b64))
		return 0;
	sha1_init(&sha);
	sha1_update(&sha, nlen, nonce);
	sha1_update(&sha, strlen(d->ad_created), (const uint8_t *)d->ad_created);
	sha1_update(&sha, strlen(password), (const uint8_t *)password);
	sha1_digest(&sha, sizeof(raw), raw);
	base64_encode_raw(want, sizeof(raw), raw);
	want[sizeof(want) - 1] = '\0';
	if (strlen(d->ad_response) != sizeof(want) - 1)
		return 0;
	for (size_t i = 0; i < sizeof(want) - 1; i++)
		diff |= (unsigned)(want[i] ^ d->ad_response[i]);
	return diff == 0;
}

int authparse_digest_check(const authparse_digest_s *d, const char *method, const char *password)
{
	char buf[4 * AUTHPARSE_DIGEST_FIELD_MAX + 160], ha1[33], ha2[33], resp[33];
	int n;

	if (d->ad_kind == AUTHPARSE_DIGEST_WSSE)
		return wsse_check(d, password);
	if (d->ad_algorithm[0] && strcasecmp(d->ad_algorithm, "MD5") != 0)
		return 0;
	n = snprintf(buf, sizeof(buf), "%.*s:%s:%s", (int)d->ad_username_len, d->ad_username,
	             d->ad_realm, password);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return 0;
	md5_hex(buf, (size_t)n, ha1);
	n = snprintf(buf, sizeof(buf), "%s:%s", method, d->ad_uri);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return 0;
	md5_hex(buf, (size_t)n, ha2);
	if (d->ad_qop[0])
		n = snprintf(buf, sizeof(buf), "%s:%s:%s:%s:%s:%s", ha1, d->ad_nonce, d->ad_nc,
		             d->ad_cnonce, d->ad_qop, ha2);
	else
		n = snprintf(buf, sizeof(buf), "%s:%s:%s", ha1, d->ad_nonce, ha2);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return 0;
	md5_hex(buf, (size_t)n, resp);
	return strcasecmp(resp, d->ad_response) == 0;
}

int authparse_userinfo(const char *uri, size_t len, authparse_cred_s *out)
{
	const char *p = memchr(uri, ':', len), *host, *at = NULL, *colon;
	size_t hl;

	memset(out, 0, sizeof(*out));
	if (len > AUTHPARSE_INPUT_MAX || p == NULL || (size_t)(p - uri) + 3 > len || p[1] != '/' ||
	    p[2] != '/')
		return -1;
	host = p + 3;
	hl = len - (size_t)(host - uri);
	for (size_t i = 0; i < hl && host[i] != '/' && host[i] != '?' && host[i] != '#'; i++)
		if (host[i] == '@')
			at = host + i; /* the last '@' before the path ends the userinfo */
	if (at == NULL)
		return -1;
	colon = memchr(host, ':', (size_t)(at - host));
	size_t ul = (size_t)((colon != NULL ? colon : at) - host);
	out->ac_user_orig =
	    url_decode_as(host, ul, out->ac_user, AUTHPARSE_FIELD_MAX, &out->ac_user_len, 0);
	out->ac_has_user = 1;
	if (colon != NULL) {
		out->ac_pass_orig = url_decode_as(colon + 1, (size_t)(at - colon - 1), out->ac_pass,
		                                  AUTHPARSE_FIELD_MAX, &out->ac_pass_len, 0);
		out->ac_has_pass = 1;
	}
	return 0;
}

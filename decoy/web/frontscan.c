/* frontscan: a connection's first bytes read as libmicrohttpd would read them, without a socket:
 * HTTP/1.x to hand over, a probe to record, a request the persona answers itself; and the head
 * handed over read again with every byte kept. */
#include "frontscan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Pipelined requests recorded per connection at most. */
#define FRONT_PIPELINED_MAX 256

/* The end of the line starting at from ('\n' index), or n. */
static size_t line_end(const uint8_t *b, size_t from, size_t n)
{
	const uint8_t *p = from < n ? memchr(b + from, '\n', n - from) : NULL;

	return p != NULL ? (size_t)(p - b) : n;
}

/* Length of the line [from, end) without its '\r'. */
static size_t trimmed(const uint8_t *b, size_t from, size_t end)
{
	return end > from && b[end - 1] == '\r' ? end - from - 1 : end - from;
}

typedef struct {
	const uint8_t *rl_method, *rl_target, *rl_version;
	size_t rl_method_len, rl_target_len, rl_version_len;
} reqline_s;

/* Method up to the first space, version after the last (as libmicrohttpd
 * reads it: a target may hold spaces, and spaces before it are skipped),
 * the target between. */
static void split_line(const uint8_t *b, size_t len, reqline_s *rl)
{
	const uint8_t *sp1 = memchr(b, ' ', len), *sp2;

	memset(rl, 0, sizeof(*rl));
	rl->rl_method = b;
	rl->rl_method_len = sp1 != NULL ? (size_t)(sp1 - b) : len;
	if (sp1 == NULL)
		return;
	while (sp1 + 1 < b + len && sp1[1] == ' ')
		sp1++;
	rl->rl_target = sp1 + 1;
	sp2 = memrchr(rl->rl_target, ' ', len - (size_t)(rl->rl_target - b));
	rl->rl_target_len =
	    sp2 != NULL ? (size_t)(sp2 - rl->rl_target) : len - (size_t)(rl->rl_target - b);
	if (sp2 != NULL) {
		rl->rl_version = sp2 + 1;
		rl->rl_version_len = len - (size_t)(rl->rl_version - b);
	}
}

static int is_token(const uint8_t *s, size_t n)
{
	if (n == 0 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", s[i]) != NULL)
			return 0;
	return 1;
}

static int starts(const uint8_t *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

/* The header name at b (a line of len bytes) is name: its value, else NULL. */
static const uint8_t *header_value(const uint8_t *b, size_t len, const char *name, size_t *vlen)
{
	size_t k = strlen(name);

	if (len <= k || b[k] != ':' || strncasecmp((const char *)b, name, k) != 0)
		return NULL;
	b += k + 1;
	len -= k + 1;
	while (len > 0 && (*b == ' ' || *b == '\t')) {
		b++;
		len--;
	}
	*vlen = len;
	return b;
}

static size_t field_len(size_t n)
{
	return n < FRONT_FIELD_MAX ? n : FRONT_FIELD_MAX;
}

static void record_status(const front_conf_s *c, const struct sockaddr *sa, socklen_t salen,
                          const char *route, const reqline_s *rl, const uint8_t *ua, size_t ua_len,
                          unsigned status)
{
	const front_line_s fl = {
	    .fl_addr = sa,
	    .fl_addrlen = salen,
	    .fl_route = route,
	    .fl_method = (const char *)rl->rl_method,
	    .fl_method_len = field_len(rl->rl_method_len),
	    .fl_target = (const char *)rl->rl_target,
	    .fl_target_len = field_len(rl->rl_target_len),
	    .fl_ua = (const char *)ua,
	    .fl_ua_len = field_len(ua_len),
	    .fl_status = status,
	};

	if (c->fc_record != NULL)
		c->fc_record(c->fc_arg, &fl);
}

static void record(const front_conf_s *c, const struct sockaddr *sa, socklen_t salen,
                   const char *route, const reqline_s *rl, const uint8_t *ua, size_t ua_len)
{
	record_status(c, sa, salen, route, rl, ua, ua_len, 0);
}

/* A request libmicrohttpd would answer with its own text: the persona's instead. */
static front_verdict_e reject(const front_conf_s *c, const struct sockaddr *sa, socklen_t salen,
                              const reqline_s *rl, const uint8_t *ua, size_t ua_len,
                              unsigned status, unsigned *flags)
{
	record_status(c, sa, salen, "rejected", rl, ua, ua_len, status);
	*flags = status << 8;
	return FRONT_REJECT;
}

/* The head's headers, from the line after the request line to the blank
 * line: what the front needs of them. Returns the offset after the blank
 * line (hd_complete), or n when the head is not complete. */
typedef struct {
	int hd_complete, hd_close, hd_keepalive, hd_xff_nul, hd_expect;
	/* a line without a colon (or with a NUL before it: libmicrohttpd looks
	 * for the colon with strchr), a folded line, a Content-Length that is
	 * not a number, a Transfer-Encoding: what libmicrohttpd answers with its
	 * own 400 or mishandles (0.9.75 joins a folded line inside its read
	 * buffer; fixed in 0.9.77). RFC 9112 lets a server refuse a fold with 400. */
	int hd_bad;
	size_t hd_body;
	const uint8_t *hd_ua;
	size_t hd_ua_len;
	/* records libmicrohttpd keeps in its pool: one per header line and per
	 * cookie, and the copy of the Cookie value it splits */
	size_t hd_records, hd_cookie_bytes;
} headers_s;

static size_t scan_headers(const uint8_t *b, size_t from, size_t n, headers_s *h)
{
	memset(h, 0, sizeof(*h));
	while (from < n) {
		size_t e = line_end(b, from, n), len, vlen;
		const uint8_t *v;
		if (e == n)
			return n;
		len = trimmed(b, from, e);
		if (len == 0) {
			h->hd_complete = 1;
			return e + 1;
		}
		const uint8_t *colon = memchr(b + from, ':', len);
		if (b[from] == ' ' || b[from] == '\t' || colon == NULL ||
		    memchr(b + from, '\0', (size_t)(colon - (b + from))) != NULL)
			h->hd_bad = 1;
		h->hd_records++;
		if ((v = header_value(b + from, len, "Cookie", &vlen)) != NULL) {
			h->hd_records++; /* one cookie at least, one more per separator */
			for (size_t i = 0; i < vlen; i++)
				h->hd_records += v[i] == ';' || v[i] == ',';
			h->hd_cookie_bytes += vlen + 1;
		}
		if (header_value(b + from, len, "Transfer-Encoding", &vlen) != NULL)
			h->hd_bad = 1;
		if (header_value(b + from, len, "X-Forwarded-For", &vlen) != NULL &&
		    memchr(b + from, '\0', len) != NULL)
			h->hd_xff_nul = 1;
		if ((v = header_value(b + from, len, "Connection", &vlen)) != NULL) {
			h->hd_close |= vlen >= 5 && strncasecmp((const char *)v, "close", 5) == 0;
			h->hd_keepalive |=
			    vlen >= 10 && strncasecmp((const char *)v, "keep-alive", 10) == 0;
		}
		if ((v = header_value(b + from, len, "Content-Length", &vlen)) != NULL) {
			size_t cl = 0, i = 0;
			for (; i < vlen && v[i] >= '0' && v[i] <= '9' && cl < ((size_t)1 << 40);
			     i++)
				cl = cl * 10 + (size_t)(v[i] - '0');
			while (i < vlen && (v[i] == ' ' || v[i] == '\t'))
				i++;
			h->hd_bad |= vlen == 0 || i < vlen;
			h->hd_body = cl;
		}
		if ((v = header_value(b + from, len, "Expect", &vlen)) != NULL)
			h->hd_expect |=
			    vlen == 12 && strncasecmp((const char *)v, "100-continue", 12) == 0;
		if ((v = header_value(b + from, len, "User-Agent", &vlen)) != NULL) {
			h->hd_ua = v;
			h->hd_ua_len = vlen;
		}
		from = e + 1;
	}
	return n;
}

/* The requests behind the first, in the bytes already here: a row for
 * each of the first FRONT_PIPELINED_MAX, a count for those after them, and
 * one more for a request the peek window cut (what follows it is unseen). */
static void pipelined(const front_conf_s *c, const uint8_t *b, size_t pos, size_t n, int full,
                      const struct sockaddr *sa, socklen_t salen)
{
	uint64_t unrecorded = 0;

	for (int k = 0; pos < n;) {
		size_t e = line_end(b, pos, n), len;
		reqline_s rl;
		headers_s h;
		if (e == n) {
			/* a line still arriving (the server closes before it would
			 * read it), or one the window cut */
			unrecorded += full;
			break;
		}
		len = trimmed(b, pos, e);
		if (len == 0) {
			pos = e + 1; /* blank lines between requests are allowed */
			continue;
		}
		split_line(b + pos, len, &rl);
		size_t next = scan_headers(b, e + 1, n, &h);
		if (k < FRONT_PIPELINED_MAX)
			record(c, sa, salen, "pipelined", &rl, h.hd_ua, h.hd_ua_len);
		else
			unrecorded++;
		k++;
		if (!h.hd_complete || h.hd_body > n - next) {
			/* its head or body runs past what is here: counted if cut
			 * by the window, since the request itself was seen */
			break;
		}
		pos = next + h.hd_body;
	}
	if (unrecorded > 0 && c->fc_unrecorded != NULL)
		c->fc_unrecorded(c->fc_arg, unrecorded);
}

/* Would libmicrohttpd 0.9.75 run out of its per-connection pool (of
 * fc_peek_max bytes: header-memory) on this head, and answer with its own
 * 414 or 431? Its first read buffer is half the pool, and it keeps a 64-byte
 * record per header line, query argument and cookie, and a copy of the
 * Cookie value, in the other half (it reclaims the read buffer's unused
 * tail, but not what a body or a pipelined request behind the head filled).
 * A head that fits the first half, with records that fit the second, never
 * runs out; anything else is the persona's own 414 or 431 (measured: with
 * 32 KiB, 466 short header lines were its 431 already). */
static int pool_exceeded(const front_conf_s *c, const reqline_s *rl, const headers_s *h,
                         size_t head_end)
{
	const size_t half = (c->fc_peek_max / 2) & ~(size_t)15, rec = 64;
	const uint8_t *q = memchr(rl->rl_target, '?', rl->rl_target_len);
	size_t records = h->hd_records, need;

	if (q != NULL) {
		records++;
		for (const uint8_t *t = q; t < rl->rl_target + rl->rl_target_len; t++)
			records += *t == '&';
	}
	/* one record of slack, the cookie copy rounded to the pool's alignment */
	need = rec * (records + 1) + ((h->hd_cookie_bytes + 15) & ~(size_t)15);
	return head_end > half || need > half;
}

front_verdict_e front_analyse(const front_conf_s *c, const uint8_t *b, size_t n, int in,
                              const struct sockaddr *sa, socklen_t salen, unsigned *flags)
{
	int full = (in & FRONT_IN_FULL) != 0;
	size_t e = line_end(b, 0, n), len, head_end;
	reqline_s rl;
	headers_s h;
	const char *probe = NULL;

	*flags = 0;
	if (n == 0)
		return FRONT_WAIT;
	if (b[0] == 0x16 || b[0] == 0x80) {
		/* a TLS (or SSLv2) ClientHello: its first bytes are recorded */
		rl = (reqline_s){.rl_method = b, .rl_method_len = n < 16 ? n : 16};
		record(c, sa, salen, "probe-tls", &rl, NULL, 0);
		return FRONT_PROBE;
	}
	len = trimmed(b, 0, e);
	split_line(b, len, &rl);
	if (e == n) {
		/* No whole line yet: wait, unless it cannot be a request line. */
		if (!full && (rl.rl_target == NULL ? n < 33 && is_token(b, n)
		                                   : is_token(rl.rl_method, rl.rl_method_len)))
			return FRONT_WAIT;
		if (full && is_token(rl.rl_method, rl.rl_method_len))
			return reject(c, sa, salen, &rl, NULL, 0, 414,
			              flags); /* a request line past header-memory */
		record(c, sa, salen, "probe-junk", &rl, NULL, 0);
		return FRONT_PROBE;
	}
	if (!is_token(rl.rl_method, rl.rl_method_len) || rl.rl_target == NULL)
		probe = "probe-junk";
	else if (rl.rl_version == NULL)
		probe = "probe-http09";
	else if (starts(rl.rl_version, rl.rl_version_len, "RTSP/"))
		probe = "probe-rtsp";
	else if (rl.rl_version_len != 8 ||
	         (!starts(rl.rl_version, 8, "HTTP/1.0") && !starts(rl.rl_version, 8, "HTTP/1.1")))
		probe = starts(rl.rl_version, rl.rl_version_len, "HTTP/") ? "probe-version"
		                                                          : "probe-junk";
	if (probe != NULL) {
		record(c, sa, salen, probe, &rl, NULL, 0);
		return FRONT_PROBE;
	}
	head_end = scan_headers(b, e + 1, n, &h);
	if (!h.hd_complete)
		return full ? reject(c, sa, salen, &rl, h.hd_ua, h.hd_ua_len, 431,
		                     flags) /* past header-memory */
		            : FRONT_WAIT;
	if (pool_exceeded(c, &rl, &h, head_end))
		return reject(c, sa, salen, &rl, h.hd_ua, h.hd_ua_len,
		              rl.rl_target_len > c->fc_peek_max / 4 ? 414 : 431, flags);
	if (h.hd_bad)
		return reject(c, sa, salen, &rl, h.hd_ua, h.hd_ua_len, 400, flags);
	if (h.hd_xff_nul)
		*flags |= FRONT_XFF_NUL;
	if (h.hd_expect && rl.rl_version[7] == '1') {
		if (h.hd_body > c->fc_body_max || head_end + h.hd_body > c->fc_peek_max)
			return reject(c, sa, salen, &rl, h.hd_ua, h.hd_ua_len, 413, flags);
		if (h.hd_body > n - head_end && !(in & FRONT_IN_EOF))
			return FRONT_WAIT; /* the body comes after the client's timeout */
		*flags |= FRONT_EXPECT;
	}
	/* Will the server close after answering this one? Then whatever
	 * follows in the buffer is never read: record it now. */
	int v10 = rl.rl_version[7] == '0';
	if (c->fc_closes || h.hd_close || (v10 && !h.hd_keepalive))
		if (head_end < n && h.hd_body <= n - head_end)
			pipelined(c, b, head_end + h.hd_body, n, full, sa, salen);
	return FRONT_HTTP;
}

void front_head_target(const uint8_t *head, size_t n, const uint8_t **target, size_t *len)
{
	reqline_s rl;

	split_line(head, trimmed(head, 0, line_end(head, 0, n)), &rl);
	*target = rl.rl_target;
	*len = rl.rl_target != NULL ? rl.rl_target_len : 0;
}

void front_head_fields(const uint8_t *head, size_t n, front_field_fn fn, void *arg)
{
	for (size_t from = line_end(head, 0, n) + 1; from < n;) {
		size_t e = line_end(head, from, n), len = trimmed(head, from, e);
		const uint8_t *colon = memchr(head + from, ':', len), *v;
		if (len == 0 || e == n)
			return; /* the blank line, or a head cut short */
		if (colon != NULL) {
			size_t name_len = (size_t)(colon - (head + from));
			for (v = colon + 1; v < head + from + len && (*v == ' ' || *v == '\t'); v++)
				;
			fn(arg, (const char *)head + from, name_len, (const char *)v,
			   len - (size_t)(v - (head + from)));
		}
		from = e + 1;
	}
}

size_t front_body_span(const uint8_t *b, size_t n, size_t *len)
{
	size_t e = line_end(b, 0, n), head_end;
	headers_s h;

	*len = 0;
	if (e == n)
		return 0;
	head_end = scan_headers(b, e + 1, n, &h);
	if (!h.hd_complete)
		return 0;
	*len = h.hd_body < n - head_end ? h.hd_body : n - head_end;
	return head_end;
}

void front_probe_junk(const front_conf_s *c, const uint8_t *b, size_t n, const struct sockaddr *sa,
                      socklen_t salen)
{
	reqline_s rl;

	split_line(b, line_end(b, 0, n), &rl);
	record(c, sa, salen, "probe-junk", &rl, NULL, 0);
}

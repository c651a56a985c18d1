/* rtsp: requests parsed (the head, Transport, interleaved frames) and routed to the firmware's
 * paths.
 *
 * Everything here reads attacker bytes in place, bounded by the buffer the
 * caller gives: no allocation, no sockets. The session's steps and its
 * answers are in rtspsess.c. */
#include "rtsp.h"

#include <string.h>

/* ---- parsing ---- */

static int ieq(const char *a, size_t alen, const char *b)
{
	size_t bl = strlen(b);

	if (alen != bl)
		return 0;
	for (size_t i = 0; i < bl; i++) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

/* Request-line bytes: visible ASCII (a URI, a method, a version). */
static int visible(uint8_t c)
{
	return c > 0x20 && c < 0x7f;
}

/* The request line so far: -1 when it cannot be one (a control byte, a
 * binary or interleaved frame), else 0. */
static int line_plausible(const uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || (buf[i] == '\r' && (i + 1 == n || buf[i + 1] == '\n')))
			return 0;
		if (!visible(buf[i]) && buf[i] != ' ')
			return -1;
	}
	return 0;
}

static void trim(const char **v, size_t *len)
{
	while (*len > 0 && (**v == ' ' || **v == '\t')) {
		(*v)++;
		(*len)--;
	}
	while (*len > 0 && ((*v)[*len - 1] == ' ' || (*v)[*len - 1] == '\t'))
		(*len)--;
}

/* The request line: three tokens, one space apart. */
static int parse_line(const char *s, size_t len, rtsp_req_s *out)
{
	const char *sp1 = memchr(s, ' ', len), *sp2;

	if (sp1 == NULL || sp1 == s)
		return -1;
	sp2 = memchr(sp1 + 1, ' ', len - (size_t)(sp1 + 1 - s));
	if (sp2 == NULL || sp2 == sp1 + 1 || sp2 + 1 == s + len ||
	    memchr(sp2 + 1, ' ', len - (size_t)(sp2 + 1 - s)) != NULL)
		return -1;
	out->rr_method = s;
	out->rr_method_len = (size_t)(sp1 - s);
	out->rr_uri = sp1 + 1;
	out->rr_uri_len = (size_t)(sp2 - sp1 - 1);
	out->rr_version = sp2 + 1;
	out->rr_version_len = len - (size_t)(sp2 + 1 - s);
	return 0;
}

static int parse_header(const char *s, size_t len, rtsp_req_s *out, int *seen_length)
{
	const char *colon = memchr(s, ':', len), *v;
	size_t vlen, nlen;

	/* a bare CR would end a line for some readers and not for others; a
	 * NUL ends strings: neither is in any header we answer from */
	if (memchr(s, '\r', len) != NULL || memchr(s, '\0', len) != NULL)
		return -1;
	if (s[0] == ' ' || s[0] == '\t')
		return 0; /* a folded continuation: nothing we read spans lines */
	if (colon == NULL || colon == s)
		return -1;
	nlen = (size_t)(colon - s);
	for (size_t i = 0; i < nlen; i++)
		if (!visible((uint8_t)s[i]))
			return -1;
	v = colon + 1;
	vlen = len - nlen - 1;
	trim(&v, &vlen);
	if (ieq(s, nlen, "CSeq")) {
		for (size_t i = 0; i < vlen; i++)
			if ((uint8_t)v[i] < 0x20 || v[i] == 0x7f)
				return -1; /* echoed: printable only */
		out->rr_cseq = v;
		out->rr_cseq_len = vlen < RTSP_CSEQ_MAX ? vlen : RTSP_CSEQ_MAX;
	} else if (ieq(s, nlen, "Authorization")) {
		out->rr_auth = v;
		out->rr_auth_len = vlen;
	} else if (ieq(s, nlen, "User-Agent")) {
		out->rr_ua = v;
		out->rr_ua_len = vlen;
	} else if (ieq(s, nlen, "Session")) {
		out->rr_session = v;
		out->rr_session_len = vlen;
	} else if (ieq(s, nlen, "Transport")) {
		out->rr_transport = v;
		out->rr_transport_len = vlen;
	} else if (ieq(s, nlen, "Content-Length")) {
		size_t n = 0;
		if (*seen_length || vlen == 0 || vlen > 5)
			return -1;
		for (size_t i = 0; i < vlen; i++) {
			if (v[i] < '0' || v[i] > '9')
				return -1;
			n = n * 10 + (size_t)(v[i] - '0');
		}
		if (n > RTSP_BODY_MAX)
			return -1;
		out->rr_body_len = n;
		*seen_length = 1;
	}
	return 0;
}

rtsp_parse_e rtsp_parse(const uint8_t *buf, size_t n, rtsp_req_s *out)
{
	size_t lim = n < RTSP_HEAD_MAX ? n : RTSP_HEAD_MAX, end = 0, pos = 0;
	int seen_length = 0, first = 1;

	memset(out, 0, sizeof(*out));
	if (line_plausible(buf, lim) != 0)
		return RTSP_BAD;
	/* the end of the head: an empty line (CRLF or a bare LF) */
	for (size_t i = 0; i < lim && end == 0; i++) {
		if (buf[i] != '\n')
			continue;
		if (i >= 1 && buf[i - 1] == '\n')
			end = i + 1;
		else if (i >= 2 && buf[i - 1] == '\r' && buf[i - 2] == '\n')
			end = i + 1;
	}
	if (end == 0)
		return n >= RTSP_HEAD_MAX ? RTSP_BAD : RTSP_NEED;
	while (pos < end) {
		const uint8_t *nl = memchr(buf + pos, '\n', end - pos);
		size_t len = (size_t)(nl - (buf + pos));
		const char *s = (const char *)buf + pos;

		pos += len + 1;
		if (len > 0 && s[len - 1] == '\r')
			len--;
		if (len == 0)
			break; /* the blank line */
		if (first) {
			if (parse_line(s, len, out) != 0)
				return RTSP_BAD;
			first = 0;
		} else if (parse_header(s, len, out, &seen_length) != 0) {
			return RTSP_BAD;
		}
	}
	if (first)
		return RTSP_BAD; /* a blank line first */
	out->rr_head_len = end;
	return RTSP_OK;
}

long rtsp_interleaved(const uint8_t *buf, size_t n)
{
	if (n == 0 || buf[0] != '$')
		return 0;
	if (n < 4)
		return -1;
	return 4 + (long)(buf[2] << 8 | buf[3]);
}

/* ---- transports and paths ---- */

/* "N-M" (or "N") at the start of v: N when it is 0..65535, else -1. */
static int pair_first(const char *v, size_t len)
{
	long n = 0;
	size_t i = 0;

	for (; i < len && i < 6 && v[i] >= '0' && v[i] <= '9'; i++)
		n = n * 10 + (v[i] - '0');
	if (i == 0 || n > 65535 || (i < len && v[i] != '-'))
		return -1;
	return (int)n;
}

/* One transport spec (no comma): 0 when served. */
static int transport_one(const char *v, size_t len, rtsp_transport_s *out)
{
	size_t pos = 0;
	int first = 1, unicast = 0;

	out->tr_tcp = 0;
	out->tr_channel = 0;
	out->tr_client_port = -1;
	while (pos <= len) {
		const char *semi = memchr(v + pos, ';', len - pos);
		size_t pl = semi != NULL ? (size_t)(semi - v - pos) : len - pos;
		const char *p = v + pos;

		trim(&p, &pl);
		if (first) {
			if (ieq(p, pl, "RTP/AVP/TCP"))
				out->tr_tcp = 1;
			else if (!ieq(p, pl, "RTP/AVP") && !ieq(p, pl, "RTP/AVP/UDP"))
				return -1;
			first = 0;
		} else if (ieq(p, pl, "unicast")) {
			unicast = 1;
		} else if (ieq(p, pl, "multicast") || (pl >= 12 && ieq(p, 12, "destination=")) ||
		           (pl >= 4 && ieq(p, 4, "ttl="))) {
			return -1; /* RTP goes only to the RTSP peer itself */
		} else if (pl > 12 && ieq(p, 12, "interleaved=")) {
			if ((out->tr_channel = pair_first(p + 12, pl - 12)) < 0 ||
			    out->tr_channel > 254)
				return -1;
		} else if (pl > 12 && ieq(p, 12, "client_port=")) {
			if ((out->tr_client_port = pair_first(p + 12, pl - 12)) <= 0 ||
			    out->tr_client_port > 65534)
				return -1;
		}
		if (semi == NULL)
			break;
		pos = (size_t)(semi - v) + 1;
	}
	(void)unicast; /* unicast is the default (RFC 2326 12.39) */
	if (!out->tr_tcp && out->tr_client_port < 0)
		return -1;
	return 0;
}

int rtsp_transport_parse(const char *v, size_t len, rtsp_transport_s *out)
{
	rtsp_transport_s t, udp = {0, 0, -1};
	size_t pos = 0;
	int have_udp = 0;

	while (pos < len) {
		const char *comma = memchr(v + pos, ',', len - pos);
		size_t sl = comma != NULL ? (size_t)(comma - v - pos) : len - pos;

		if (transport_one(v + pos, sl, &t) == 0) {
			if (t.tr_tcp) {
				*out = t;
				return 0;
			}
			if (!have_udp)
				udp = t;
			have_udp = 1;
		}
		pos += sl + 1;
	}
	if (!have_udp)
		return -1;
	*out = udp;
	return 0;
}

rtsp_codec_e rtsp_codec(const persona_rtsp_s *voice, const char *uri, size_t len)
{
	const char *q = memchr(uri, '?', len);

	if (voice->pv_sdp_h264 == NULL)
		return RTSP_CODEC_JPEG;
	/* Axis: videocodec=h264|mpeg4|jpeg among the query's parameters */
	for (size_t i = q != NULL ? (size_t)(q - uri) + 1 : len; i + 11 <= len; i++) {
		if ((i == 0 || uri[i - 1] == '?' || uri[i - 1] == '&') &&
		    ieq(uri + i, 11, "videocodec=")) {
			size_t v = i + 11, e = v;
			while (e < len && uri[e] != '&' && uri[e] != '/')
				e++;
			return ieq(uri + v, e - v, "h264") ? RTSP_CODEC_H264 : RTSP_CODEC_JPEG;
		}
	}
	return RTSP_CODEC_H264;
}

int rtsp_route(const persona_rtsp_s *voice, const char *uri, size_t len)
{
	const char *q;

	if (len >= 7 && ieq(uri, 7, "rtsp://")) {
		const char *slash = memchr(uri + 7, '/', len - 7);
		if (slash == NULL)
			return 0;
		len -= (size_t)(slash - uri);
		uri = slash;
	}
	if ((q = memchr(uri, '?', len)) != NULL)
		len = (size_t)(q - uri);
	while (len > 1 && uri[len - 1] == '/')
		len--;
	/* SETUP's URL: the base with the SDP's control appended */
	for (size_t i = len; i > 0; i--) {
		if (uri[i - 1] != '/')
			continue;
		if (len - i > 8 && ieq(uri + i, 8, "trackID="))
			len = i - 1;
		break;
	}
	for (size_t i = 0; i < 8 && voice->pv_paths[i] != NULL; i++)
		if (ieq(uri, len, voice->pv_paths[i]))
			return 1;
	return 0;
}

void rtsp_first_line(const uint8_t *buf, size_t n, rtsp_req_s *rq)
{
	const uint8_t *nl = memchr(buf, '\n', n);
	size_t ll = nl != NULL ? (size_t)(nl - buf) : n;

	rq->rr_method = (const char *)buf;
	rq->rr_method_len = ll < 256 ? ll : 256;
	rq->rr_uri = "";
	rq->rr_uri_len = 0;
	rq->rr_ua = NULL;
	rq->rr_ua_len = 0;
}

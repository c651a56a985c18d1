/* rtsp: request parsing and answers (no sockets), then a poll() loop over bounded sessions.
 *
 * A client (VLC, ffmpeg, a scanner) asks OPTIONS, then DESCRIBE; the camera
 * answers DESCRIBE 401 with its challenges and the client comes back with
 * Basic or Digest credentials. Each of those is a login attempt on channel
 * "rtsp". One that carries a trap credential the trap holds in memory (the
 * static one, or one of the recently shown) gets the SDP, as the firmware
 * would give it; its SETUP then gets 453 Not Enough Bandwidth, so no media is
 * ever sent. */
#include "rtsp.h"
#include "thread.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "door.h"
#include "netaddr.h"
#include "rand.h"

#define RTSP_SESSIONS_MAX 256
#define RTSP_PER_IP_MAX   8
#define RTSP_PER_NET_MAX  32
/* rtsp-idle and rtsp-lifetime shrink as the table fills (door_limit), to
 * these at a full table: a client needs well under a second for its
 * exchange. A newcomer at a full table takes the place of the oldest
 * session of the network holding the most (a session that keeps asking
 * completes requests all along: age is what tells a holder). */
#define RTSP_IDLE_FLOOR_MS     5000
#define RTSP_LIFETIME_FLOOR_MS 30000
/* A client needs four or five requests; a session that sends more is
 * guessing passwords, and starts over on a new connection (counted). */
#define RTSP_REQUESTS_MAX 32
#define RTSP_ANSWER_MAX   4096
#define RTSP_BUF          (RTSP_HEAD_MAX + RTSP_BODY_MAX)

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

/* ---- answers ---- */

rtsp_answer_e rtsp_decide(const rtsp_req_s *rq, int authorized)
{
	const char *m = rq->rr_method;
	size_t ml = rq->rr_method_len;

	/* Methods are case-sensitive (RFC 2326 6.1). */
	if (ml == 7 && memcmp(m, "OPTIONS", 7) == 0)
		return RTSP_ANSWER_OPTIONS;
	if (!authorized)
		return RTSP_ANSWER_CHALLENGE;
	if (ml == 8 && memcmp(m, "DESCRIBE", 8) == 0)
		return RTSP_ANSWER_DESCRIBE;
	if (ml == 5 && memcmp(m, "SETUP", 5) == 0)
		return RTSP_ANSWER_SETUP;
	if (ml == 8 && memcmp(m, "TEARDOWN", 8) == 0)
		return RTSP_ANSWER_TEARDOWN;
	return RTSP_ANSWER_STATE;
}

static const struct {
	unsigned as_status;
	const char *as_reason;
} statuses[] = {
    [RTSP_ANSWER_BAD] = {400, "Bad Request"},
    [RTSP_ANSWER_OPTIONS] = {200, "OK"},
    [RTSP_ANSWER_CHALLENGE] = {401, "Unauthorized"},
    [RTSP_ANSWER_DESCRIBE] = {200, "OK"},
    [RTSP_ANSWER_SETUP] = {453, "Not Enough Bandwidth"},
    [RTSP_ANSWER_TEARDOWN] = {200, "OK"},
    [RTSP_ANSWER_STATE] = {455, "Method Not Valid in This State"},
};

static unsigned answer_status(rtsp_answer_e a)
{
	return statuses[a].as_status;
}

typedef struct {
	char *b_out;
	size_t b_cap, b_len;
	int b_over;
} abuf_s;

static void put(abuf_s *b, const char *s, size_t n)
{
	if (b->b_over || n > b->b_cap - b->b_len) {
		b->b_over = 1;
		return;
	}
	memcpy(b->b_out + b->b_len, s, n);
	b->b_len += n;
}

static void puts_(abuf_s *b, const char *s)
{
	put(b, s, strlen(s));
}

static void header(abuf_s *b, const char *name, const char *v, size_t vlen)
{
	puts_(b, name);
	puts_(b, ": ");
	put(b, v, vlen);
	puts_(b, "\r\n");
}

size_t rtsp_answer(const persona_rtsp_s *voice, const rtsp_req_s *rq, rtsp_answer_e a,
                   const char *nonce, const char *date, char *out, size_t cap)
{
	abuf_s b = {out, cap, 0, 0};
	char line[64];

	snprintf(line, sizeof(line), "RTSP/1.0 %u %s\r\n", answer_status(a), statuses[a].as_reason);
	puts_(&b, line);
	if (rq->rr_cseq != NULL)
		header(&b, "CSeq", rq->rr_cseq, rq->rr_cseq_len);
	if (voice->pv_server != NULL)
		header(&b, "Server", voice->pv_server, strlen(voice->pv_server));
	switch (a) {
	case RTSP_ANSWER_OPTIONS:
		header(&b, "Public", voice->pv_public, strlen(voice->pv_public));
		break;
	case RTSP_ANSWER_CHALLENGE:
		for (size_t i = 0; i < 3 && voice->pv_challenges[i] != NULL; i++) {
			const char *t = voice->pv_challenges[i], *mark = strstr(t, "@NONCE@");
			puts_(&b, "WWW-Authenticate: ");
			if (mark != NULL) {
				put(&b, t, (size_t)(mark - t));
				puts_(&b, nonce);
				puts_(&b, mark + 7);
			} else {
				puts_(&b, t);
			}
			puts_(&b, "\r\n");
		}
		break;
	case RTSP_ANSWER_DESCRIBE: {
		/* the URI has no control byte or space (rtsp_parse): safe to echo */
		size_t ul = rq->rr_uri_len;
		puts_(&b, "Content-Type: application/sdp\r\nContent-Base: ");
		put(&b, rq->rr_uri, ul);
		if (ul == 0 || rq->rr_uri[ul - 1] != '/')
			puts_(&b, "/");
		snprintf(line, sizeof(line), "\r\nContent-Length: %zu\r\n", strlen(voice->pv_sdp));
		puts_(&b, line);
		break;
	}
	default:
		break;
	}
	if (date != NULL && date[0] != '\0')
		header(&b, "Date", date, strlen(date));
	puts_(&b, "\r\n");
	if (a == RTSP_ANSWER_DESCRIBE)
		puts_(&b, voice->pv_sdp);
	return b.b_over ? 0 : b.b_len;
}

void rtsp_date(const persona_rtsp_s *voice, int64_t now_s, char *out, size_t cap)
{
	time_t t = (time_t)now_s;
	struct tm tm;

	out[0] = '\0';
	if (voice->pv_date == RTSP_DATE_NONE || gmtime_r(&t, &tm) == NULL)
		return;
	/* strftime's %a/%b follow the locale; the firmware's are English */
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	if (voice->pv_date == RTSP_DATE_HIKVISION)
		snprintf(out, cap, " %s, %s %02d %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
		         months[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		         tm.tm_sec);
	else
		snprintf(out, cap, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
		         tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		         tm.tm_sec);
}

/* ---- sessions ---- */

typedef struct {
	door_seat_s se_seat;
	int se_fd;
	struct sockaddr_storage se_addr;
	char se_ip[46];
	uint16_t se_port;
	char se_country[3];
	uint32_t se_asn;
	char se_as_org[GEO_AS_ORG_MAX + 1];
	int se_requests;
	int64_t se_active_at, se_start;
	size_t se_len;
	uint8_t *se_buf; /* RTSP_BUF */
} sess_s;

struct rtsp {
	int rt_fd;
	int rt_wake[2];
	pthread_t rt_thread;
	int rt_started;
	rtsp_conf_s rt_conf;
	door_s *rt_door;
	sess_s *rt_sess[RTSP_SESSIONS_MAX]; /* stable: the door holds their seats */
	int rt_nsess;
	rtsp_stats_s rt_st; /* the thread's; read under rt_lock */
	uint64_t rt_oom;    /* admitted, but no memory for the session: refused */
	pthread_mutex_t rt_lock;
};

static void count(rtsp_s *r, uint64_t *field)
{
	pthread_mutex_lock(&r->rt_lock);
	(*field)++;
	pthread_mutex_unlock(&r->rt_lock);
}

static void close_sess(rtsp_s *r, int i)
{
	sess_s *se = r->rt_sess[i];

	door_leave(r->rt_door, &se->se_seat);
	close(se->se_fd);
	free(se->se_buf);
	free(se);
	r->rt_sess[i] = r->rt_sess[--r->rt_nsess];
}

static void record_unfinished(rtsp_s *r, sess_s *se);

/* The door's counts, as the stats say them. */
static void sync_stats(rtsp_s *r)
{
	door_stats_s ds;

	door_stats(r->rt_door, &ds);
	pthread_mutex_lock(&r->rt_lock);
	r->rt_st.rs_refused_full = ds.dst_refused_full + r->rt_oom;
	r->rt_st.rs_refused_ip = ds.dst_refused_ip;
	r->rt_st.rs_refused_net = ds.dst_refused_net;
	r->rt_st.rs_evicted = ds.dst_evicted;
	pthread_mutex_unlock(&r->rt_lock);
}

static void accept_one(rtsp_s *r)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd = accept4(r->rt_fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
	int64_t now = clock_mono_ms();
	sess_s *se = NULL;
	door_seat_s *victim;
	door_addr_s da;
	door_verdict_e v;

	if (fd < 0)
		return;
	door_addr((struct sockaddr *)&ss, sl, &da);
	v = door_admit(r->rt_door, &da, &victim);
	for (int i = 0; v == DOOR_EVICT && i < r->rt_nsess; i++) {
		if (&r->rt_sess[i]->se_seat == victim) {
			record_unfinished(r, r->rt_sess[i]);
			close_sess(r, i); /* its place is the newcomer's */
			break;
		}
	}
	if (v == DOOR_OK || v == DOOR_EVICT) {
		if (r->rt_nsess < RTSP_SESSIONS_MAX && (se = calloc(1, sizeof(*se))) != NULL &&
		    (se->se_buf = malloc(RTSP_BUF)) == NULL) {
			free(se);
			se = NULL;
		}
		r->rt_oom += se == NULL;
	}
	sync_stats(r);
	if (se == NULL) {
		close(fd);
		return;
	}
	r->rt_sess[r->rt_nsess++] = se;
	door_sit(r->rt_door, &se->se_seat, &da, now, 0);
	se->se_fd = fd;
	memcpy(&se->se_addr, &ss, sizeof(ss));
	netaddr_format((struct sockaddr *)&ss, se->se_ip, sizeof(se->se_ip), &se->se_port);
	se->se_start = se->se_active_at = now;
	geo_country(r->rt_conf.rc_geo, (struct sockaddr *)&ss, se->se_country);
	geo_asn(r->rt_conf.rc_geo, (struct sockaddr *)&ss, &se->se_asn, se->se_as_org);
	count(r, &r->rt_st.rs_sessions);
}

/* The request's credentials, recorded as a login on channel "rtsp"; 1 when
 * they are a trap credential the trap holds in memory. */
static int take_login(rtsp_s *r, sess_s *se, const rtsp_req_s *rq)
{
	const login_ctx_s *lc = r->rt_conf.rc_login;
	authparse_cred_s cred;
	authparse_digest_s *dg = NULL;
	char method[32];
	int ok = 0;

	if (rq->rr_auth == NULL)
		return 0;
	snprintf(method, sizeof(method), "%.*s",
	         (int)(rq->rr_method_len < 31 ? rq->rr_method_len : 31), rq->rr_method);
	login_attempt_s la = {
	    .la_channel = "rtsp",
	    .la_ip = se->se_ip,
	    .la_port = se->se_port,
	    .la_country = se->se_country,
	    .la_asn = se->se_asn,
	    .la_as_org = se->se_as_org,
	    .la_ua = rq->rr_ua,
	    .la_ua_len = rq->rr_ua_len,
	    .la_ua_orig = rq->rr_ua_len,
	    .la_path = rq->rr_uri,
	    .la_path_len = rq->rr_uri_len,
	    .la_method = method,
	};
	if (authparse_basic(rq->rr_auth, rq->rr_auth_len, &cred) == 0) {
		la.la_cred = &cred;
		ok = login_accepts(lc->lc_trap, &cred, NULL, method);
	} else if ((dg = malloc(sizeof(*dg))) != NULL &&
	           authparse_digest(rq->rr_auth, rq->rr_auth_len, dg) == 0) {
		la.la_digest = dg;
		ok = login_accepts(lc->lc_trap, NULL, dg, method);
	} else {
		free(dg);
		return 0; /* neither: not a login */
	}
	login_record(lc, &la, clock_wall_ms());
	free(dg);
	count(r, &r->rt_st.rs_logins);
	if (ok)
		count(r, &r->rt_st.rs_accepted);
	return ok;
}

static void record(rtsp_s *r, sess_s *se, const rtsp_req_s *rq, unsigned status)
{
	if (r->rt_conf.rc_record == NULL)
		return;
	const rtsp_request_info_s ri = {
	    .ri_addr = (const struct sockaddr *)&se->se_addr,
	    .ri_method = rq->rr_method,
	    .ri_method_len = rq->rr_method_len,
	    .ri_uri = rq->rr_uri,
	    .ri_uri_len = rq->rr_uri_len,
	    .ri_ua = rq->rr_ua,
	    .ri_ua_len = rq->rr_ua_len,
	    .ri_status = status,
	};
	r->rt_conf.rc_record(r->rt_conf.rc_arg, &ri);
}

/* The first line of what is in the buffer, as a request that got status
 * (0: none, and it is recorded here), for a row. */
static void record_first_line(rtsp_s *r, sess_s *se, rtsp_req_s *rq, unsigned status)
{
	const uint8_t *nl = memchr(se->se_buf, '\n', se->se_len);
	size_t ll = nl != NULL ? (size_t)(nl - se->se_buf) : se->se_len;

	rq->rr_method = (const char *)se->se_buf;
	rq->rr_method_len = ll < 256 ? ll : 256;
	rq->rr_uri = "";
	rq->rr_uri_len = 0;
	rq->rr_ua = NULL;
	rq->rr_ua_len = 0;
	count(r, &r->rt_st.rs_requests);
	if (status == 0)
		record(r, se, rq, 0);
}

/* A session that ends (EOF, idle, lifetime) with half a request: it is a
 * row too, with status 0 (nothing was answered). */
static void record_unfinished(rtsp_s *r, sess_s *se)
{
	rtsp_req_s rq;

	if (se->se_len == 0)
		return;
	memset(&rq, 0, sizeof(rq));
	record_first_line(r, se, &rq, 0);
	se->se_len = 0;
}

/* Answers are small: one that the peer's window cannot take ends the session. */
static int say(sess_s *se, const char *b, size_t n)
{
	return send(se->se_fd, b, n, MSG_NOSIGNAL | MSG_DONTWAIT) == (ssize_t)n ? 0 : -1;
}

static int answer(rtsp_s *r, sess_s *se, const rtsp_req_s *rq, rtsp_answer_e a)
{
	const persona_rtsp_s *v = r->rt_conf.rc_voice;
	char out[RTSP_ANSWER_MAX], date[48], nonce[33];
	unsigned char raw[16];
	size_t n;

	/* never checked (a nonce is not what makes a login succeed here), but a
	 * constant one would mark the decoy */
	if (rand_bytes(raw, sizeof(raw)) != 0)
		rand_weak(raw, sizeof(raw));
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(nonce + 2 * i, 3, "%02x", raw[i]);
	rtsp_date(v, clock_wall_ms() / 1000, date, sizeof(date));
	n = rtsp_answer(v, rq, a, nonce, date, out, sizeof(out));
	record(r, se, rq, answer_status(a));
	return n > 0 ? say(se, out, n) : -1;
}

/* Handles input; -1 when the session is to be closed. */
static int on_input(rtsp_s *r, sess_s *se)
{
	ssize_t got = recv(se->se_fd, se->se_buf + se->se_len, RTSP_BUF - se->se_len, 0);

	if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
		record_unfinished(r, se);
		return -1;
	}
	if (got < 0)
		return 0;
	se->se_len += (size_t)got;
	for (;;) {
		rtsp_req_s rq;
		rtsp_parse_e pr = rtsp_parse(se->se_buf, se->se_len, &rq);

		if (pr == RTSP_NEED)
			return 0;
		if (pr == RTSP_BAD) {
			/* recorded like the front's probes: the first line, bounded */
			record_first_line(r, se, &rq, 400);
			count(r, &r->rt_st.rs_ended_bad);
			answer(r, se, &rq, RTSP_ANSWER_BAD);
			return -1;
		}
		size_t total = rq.rr_head_len + rq.rr_body_len;
		if (total > se->se_len)
			return 0; /* the body is still coming */
		count(r, &r->rt_st.rs_requests);
		int authorized = take_login(r, se, &rq);
		if (answer(r, se, &rq, rtsp_decide(&rq, authorized)) != 0)
			return -1;
		memmove(se->se_buf, se->se_buf + total, se->se_len - total);
		se->se_len -= total;
		se->se_active_at = clock_mono_ms();
		if (++se->se_requests >= RTSP_REQUESTS_MAX) {
			count(r, &r->rt_st.rs_ended_requests);
			return -1;
		}
	}
}

static void *rtsp_run(void *arg)
{
	rtsp_s *r = arg;
	struct pollfd pfd[RTSP_SESSIONS_MAX + 2];

	for (;;) {
		int64_t now = clock_mono_ms(), idle_ms = (int64_t)r->rt_conf.rc_idle_s * 1000,
		        life_ms = (int64_t)r->rt_conf.rc_lifetime_s * 1000;
		int np = 0, rc;
		/* the limits shrink as the table fills */
		int64_t idle = door_limit(r->rt_door, idle_ms, RTSP_IDLE_FLOOR_MS),
		        life = door_limit(r->rt_door, life_ms, RTSP_LIFETIME_FLOOR_MS);

		for (int i = 0; i < r->rt_nsess;) {
			sess_s *se = r->rt_sess[i];
			int over_life = now - se->se_start >= life,
			    over_idle = now - se->se_active_at >= idle;
			if (over_life || over_idle) {
				count(r, over_life ? &r->rt_st.rs_ended_lifetime
				                   : &r->rt_st.rs_ended_idle);
				if (now - se->se_start < life_ms &&
				    now - se->se_active_at < idle_ms)
					count(r, &r->rt_st.rs_ended_early);
				record_unfinished(r, se);
				close_sess(r, i);
				continue;
			}
			i++;
		}
		pfd[np++] = (struct pollfd){.fd = r->rt_wake[0], .events = POLLIN};
		pfd[np++] = (struct pollfd){.fd = r->rt_fd, .events = POLLIN};
		for (int i = 0; i < r->rt_nsess; i++)
			pfd[np++] = (struct pollfd){.fd = r->rt_sess[i]->se_fd, .events = POLLIN};
		rc = poll(pfd, (nfds_t)np, 1000);
		if (rc < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			break;
		for (int i = np - 1; i >= 2; i--) {
			if (pfd[i].revents == 0)
				continue;
			if (on_input(r, r->rt_sess[i - 2]) != 0)
				close_sess(r, i - 2);
		}
		if (pfd[1].revents & POLLIN)
			accept_one(r);
	}
	while (r->rt_nsess > 0) {
		record_unfinished(r, r->rt_sess[0]);
		close_sess(r, 0);
	}
	return NULL;
}

rtsp_s *rtsp_new(const struct sockaddr *addr, socklen_t addrlen, const rtsp_conf_s *conf, char *err,
                 size_t errlen)
{
	rtsp_s *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		snprintf(err, errlen, "rtsp: out of memory");
		return NULL;
	}
	r->rt_wake[0] = r->rt_wake[1] = -1;
	r->rt_fd = -1;
	r->rt_conf = *conf;
	pthread_mutex_init(&r->rt_lock, NULL);
	const door_conf_s dc = {.dc_places = RTSP_SESSIONS_MAX,
	                        .dc_per_ip = RTSP_PER_IP_MAX,
	                        .dc_per_net = RTSP_PER_NET_MAX};
	if ((r->rt_door = door_new(&dc)) == NULL) {
		snprintf(err, errlen, "rtsp: out of memory");
		goto fail;
	}
	if (conf->rc_voice == NULL) {
		snprintf(err, errlen, "rtsp: this persona's camera has no RTSP server");
		goto fail;
	}
	if (pipe2(r->rt_wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		snprintf(err, errlen, "rtsp: %s", strerror(errno));
		goto fail;
	}
	if ((r->rt_fd = netaddr_listen(addr, addrlen, 64, "rtsp", err, errlen)) < 0)
		goto fail;
	return r;
fail:
	rtsp_free(r);
	return NULL;
}

int rtsp_start(rtsp_s *r, char *err, size_t errlen)
{
	if (thread_start(&r->rt_thread, "camdecoy-rtsp", rtsp_run, r, err, errlen) != 0)
		return -1;
	r->rt_started = 1;
	return 0;
}

void rtsp_stats(rtsp_s *r, rtsp_stats_s *out)
{
	pthread_mutex_lock(&r->rt_lock);
	*out = r->rt_st;
	pthread_mutex_unlock(&r->rt_lock);
}

void rtsp_stop(rtsp_s *r)
{
	if (r == NULL || !r->rt_started)
		return;
	ssize_t w = write(r->rt_wake[1], "x", 1);
	(void)w;
	pthread_join(r->rt_thread, NULL);
	r->rt_started = 0;
}

void rtsp_free(rtsp_s *r)
{
	if (r == NULL)
		return;
	rtsp_stop(r);
	if (r->rt_fd >= 0)
		close(r->rt_fd);
	if (r->rt_wake[0] >= 0)
		close(r->rt_wake[0]);
	if (r->rt_wake[1] >= 0)
		close(r->rt_wake[1]);
	door_free(r->rt_door);
	pthread_mutex_destroy(&r->rt_lock);
	free(r);
}

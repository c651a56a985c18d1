/* onvif: one SOAP POST in, the firmware's answer out, and the login it carried.
 *
 * Actions the ONVIF core lists as PRE_AUTH (GetSystemDateAndTime,
 * GetCapabilities, GetServices) are answered to anyone; every other action
 * needs a trap credential (WS-Security UsernameToken, digest or text, or HTTP
 * Basic/Digest), which only someone who read the picture's note has. A
 * PasswordDigest whose nonce was seen before, or whose Created is more than
 * ONVIF_CREATED_SKEW_S from the clock, is refused as firmware refuses it. */
#include "onvif.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "rand.h"
#include "soap.h"
#include "strbuf.h"
#include "templates.h"

/* Answers are a few KiB; this bounds them whatever the persona holds. */
#define ONVIF_ANSWER_MAX 65536

struct onvif {
	const persona_s *on_pe;
	const persona_onvif_s *on_po;
	char on_tz[128]; /* POSIX TZ, from the zone file's footer */
	unsigned on_rtsp_port;
	uint64_t on_seed; /* keys the nonce hashes */
	pthread_mutex_t on_lock;
	uint64_t on_nonces[ONVIF_NONCES];
	size_t on_nonce_next;
};

/* ---- set-up ---- */

/* The TZif footer ("\nJST-9\n", "\nCET-1CEST,M3.5.0,M10.5.0/3\n"): the zone
 * as ONVIF's tt:TZ wants it. "UTC0" when it cannot be read. */
static void posix_tz(const char *name, char *out, size_t cap)
{
	char path[256], buf[4096];
	FILE *f;
	long size;
	size_t n, end, start;

	snprintf(out, cap, "%s", "UTC0");
	if (name == NULL || strstr(name, "..") != NULL ||
	    (size_t)snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name) >= sizeof(path) ||
	    (f = fopen(path, "rb")) == NULL)
		return;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0) {
		long from = size > (long)sizeof(buf) ? size - (long)sizeof(buf) : 0;
		if (fseek(f, from, SEEK_SET) == 0 && (n = fread(buf, 1, sizeof(buf), f)) > 2 &&
		    buf[n - 1] == '\n') {
			end = n - 1;
			start = end;
			while (start > 0 && buf[start - 1] != '\n')
				start--;
			if (start > 0 && end > start && end - start < cap) {
				int ok = 1;
				for (size_t i = start; i < end; i++)
					ok &= buf[i] > ' ' && buf[i] < 127;
				if (ok)
					snprintf(out, cap, "%.*s", (int)(end - start), buf + start);
			}
		}
	}
	fclose(f);
}

onvif_s *onvif_new(const persona_s *pe, const char *tz, const char *rtsp, char *err, size_t errlen)
{
	onvif_s *o;
	const char *colon = rtsp != NULL ? strrchr(rtsp, ':') : NULL;

	if (pe == NULL || pe->pe_onvif == NULL) {
		snprintf(err, errlen, "onvif: the persona has no ONVIF");
		return NULL;
	}
	if ((o = calloc(1, sizeof(*o))) == NULL) {
		snprintf(err, errlen, "onvif: out of memory");
		return NULL;
	}
	o->on_pe = pe;
	o->on_po = pe->pe_onvif;
	posix_tz(tz, o->on_tz, sizeof(o->on_tz));
	o->on_rtsp_port = 554;
	if (colon != NULL && rtsp[0] != '\0') {
		unsigned long p = strtoul(colon + 1, NULL, 10);
		if (p > 0 && p < 65536)
			o->on_rtsp_port = (unsigned)p;
	}
	if (rand_bytes(&o->on_seed, sizeof(o->on_seed)) != 0)
		rand_weak(&o->on_seed, sizeof(o->on_seed));
	pthread_mutex_init(&o->on_lock, NULL);
	return o;
}

void onvif_free(onvif_s *o)
{
	if (o == NULL)
		return;
	pthread_mutex_destroy(&o->on_lock);
	free(o);
}

/* ---- filling templates ---- */

typedef struct {
	const char *fv_name;
	const char *fv_value;
	int fv_raw; /* XML already (a part filled before): not escaped */
} fill_var_s;

#define FILL_VARS 40

typedef struct {
	fill_var_s fx_vars[FILL_VARS];
	size_t fx_n;
	char fx_num[8][16]; /* numbers spelled out */
	size_t fx_nnum;
} fill_s;

static void var(fill_s *f, const char *name, const char *value, int raw)
{
	if (f->fx_n < FILL_VARS)
		f->fx_vars[f->fx_n++] = (fill_var_s){name, value != NULL ? value : "", raw};
}

static void var_int(fill_s *f, const char *name, long v)
{
	if (f->fx_nnum >= sizeof(f->fx_num) / sizeof(f->fx_num[0]))
		return;
	snprintf(f->fx_num[f->fx_nnum], sizeof(f->fx_num[0]), "%ld", v);
	var(f, name, f->fx_num[f->fx_nnum++], 0);
}

static void put_escaped(strbuf_s *b, const char *s)
{
	char chunk[512];
	size_t len = strlen(s);

	/* Values are short; a longer one is escaped in pieces cut at bytes that
	 * escaping never merges (ASCII). */
	while (len > 0) {
		size_t k = len > 100 ? 100 : len;
		while (k < len && k > 1 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
		strbuf_add(b, chunk, escape_html(chunk, sizeof(chunk), s, k));
		s += k;
		len -= k;
	}
}

/* Appends tmpl with each {name} replaced by its value; an unknown {..} is text. */
static void fill(strbuf_s *b, const char *tmpl, const fill_s *f)
{
	const char *p = tmpl, *open;

	while ((open = strchr(p, '{')) != NULL) {
		const char *close = strchr(open, '}');
		const fill_var_s *v = NULL;
		if (close != NULL)
			for (size_t i = 0; i < f->fx_n && v == NULL; i++)
				if (strlen(f->fx_vars[i].fv_name) == (size_t)(close - open - 1) &&
				    memcmp(f->fx_vars[i].fv_name, open + 1,
				           (size_t)(close - open - 1)) == 0)
					v = &f->fx_vars[i];
		if (v == NULL) {
			strbuf_add(b, p, (size_t)(open - p) + 1);
			p = open + 1;
			continue;
		}
		strbuf_add(b, p, (size_t)(open - p));
		if (v->fv_raw)
			strbuf_str(b, v->fv_value);
		else
			put_escaped(b, v->fv_value);
		p = close + 1;
	}
	strbuf_str(b, p);
}

/* ---- the request's host ---- */

/* The Host header when it is a plain host[:port] (what XAddrs and URIs
 * name), else the persona's address. */
static void host_of(const onvif_s *o, const onvif_request_s *rq, char *host, size_t cap, char *bare,
                    size_t bcap, char *ipv4, size_t icap)
{
	const char *h = rq->oq_host;
	size_t n = rq->oq_host_len, cut;
	int ok = h != NULL && n > 0 && n < 64 && n < cap;
	struct in_addr a;

	for (size_t i = 0; ok && i < n; i++)
		ok = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]",
		            h[i]) != NULL &&
		     h[i] != '\0';
	if (!ok) {
		h = o->on_po->po_ipv4;
		n = strlen(h);
	}
	snprintf(host, cap, "%.*s", (int)n, h);
	if (host[0] == '[')
		cut = strcspn(host, "]") + (strchr(host, ']') != NULL ? 1 : 0);
	else
		cut = strcspn(host, ":");
	snprintf(bare, bcap, "%.*s", (int)cut, host);
	snprintf(ipv4, icap, "%s", inet_pton(AF_INET, bare, &a) == 1 ? bare : o->on_po->po_ipv4);
}

static void date_part(strbuf_s *b, const struct tm *tm)
{
	char s[320];

	snprintf(
	    s, sizeof(s),
	    "<tt:Time><tt:Hour>%d</tt:Hour><tt:Minute>%d</tt:Minute><tt:Second>%d</tt:Second>"
	    "</tt:Time><tt:Date><tt:Year>%d</tt:Year><tt:Month>%d</tt:Month><tt:Day>%d</tt:Day>"
	    "</tt:Date>",
	    tm->tm_hour, tm->tm_min, tm->tm_sec, tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday);
	strbuf_str(b, s);
}

/* ---- answers ---- */

static int finish(strbuf_s *b, onvif_answer_s *out)
{
	if (b->sb_oom) {
		strbuf_free(b);
		return -1;
	}
	out->oa_body = b->sb_p;
	out->oa_len = b->sb_len;
	return 0;
}

/* A SOAP 1.2 fault (sub2 NULL: one subcode). */
static int fault(onvif_answer_s *out, unsigned status, const char *route, const char *code,
                 const char *sub, const char *sub2, const char *reason)
{
	strbuf_s b = {.sb_max = ONVIF_ANSWER_MAX};
	fill_s f = {.fx_n = 0};

	var(&f, "code", code, 0);
	var(&f, "subcode", sub, 0);
	var(&f, "subcode2", sub2, 0);
	var(&f, "reason", reason, 0);
	strbuf_str(&b, onvif_envelope_head);
	fill(&b, sub2 != NULL ? onvif_fault : onvif_fault_short, &f);
	strbuf_str(&b, onvif_envelope_tail);
	out->oa_status = status;
	out->oa_route = route;
	return finish(&b, out);
}

static int not_authorized(onvif_answer_s *out, unsigned status, const char *route)
{
	return fault(out, status, route, "SOAP-ENV:Sender", "ter:NotAuthorized", NULL,
	             "Sender not Authorized");
}

/* The persona's values, the request's host, the parts every answer may use. */
static void fill_identity(const onvif_s *o, fill_s *f, const char *base, const char *ip)
{
	const persona_onvif_s *po = o->on_po;

	var(f, "base", base, 0);
	var(f, "ip", ip, 0);
	var(f, "device", po->po_device, 0);
	var(f, "media", po->po_media, 0);
	var(f, "events", po->po_events, 0);
	var(f, "manufacturer", po->po_manufacturer, 0);
	var(f, "model", po->po_model, 0);
	var(f, "firmware", po->po_firmware, 0);
	var(f, "serial", po->po_serial, 0);
	var(f, "hardware", po->po_hardware, 0);
	var(f, "mac", po->po_mac, 0);
	var(f, "hostname", po->po_hostname, 0);
	var(f, "profile", po->po_profile, 0);
	var(f, "profile_name", po->po_profile_name, 0);
	var(f, "source", po->po_source, 0);
	var(f, "source_conf", po->po_source_conf, 0);
	var(f, "encoder_token", po->po_encoder, 0);
	var(f, "encoder_name", po->po_encoder_name, 0);
	var_int(f, "width", po->po_width);
	var_int(f, "height", po->po_height);
	var_int(f, "fps", po->po_fps);
	var_int(f, "bitrate", po->po_bitrate);
	var_int(f, "gop", po->po_gop);
}

static int answer_action(const onvif_s *o, const onvif_request_s *rq, const onvif_template_s *t,
                         onvif_answer_s *out)
{
	const persona_onvif_s *po = o->on_po;
	char host[72], bare[72], ip[72], base[96], rtsp[512], snap[256];
	strbuf_s b = {.sb_max = ONVIF_ANSWER_MAX}, parts[6] = {{0}};
	fill_s f = {.fx_n = 0};
	time_t now = (time_t)(rq->oq_now_ms / 1000);
	struct tm utc, local;
	int rc;

	host_of(o, rq, host, sizeof(host), bare, sizeof(bare), ip, sizeof(ip));
	snprintf(base, sizeof(base), "http://%s", host);
	snprintf(rtsp, sizeof(rtsp), "rtsp://%s:%u%s", bare, o->on_rtsp_port, po->po_rtsp_path);
	snprintf(snap, sizeof(snap), "http://%s%s", host, po->po_snapshot);
	fill_identity(o, &f, base, ip);
	var(&f, "rtsp_uri", rtsp, 0);
	var(&f, "snapshot_uri", snap, 0);
	var(&f, "tz", o->on_tz, 0);
	gmtime_r(&now, &utc);
	localtime_r(&now, &local);
	var(&f, "dst", local.tm_isdst > 0 ? "true" : "false", 0);
	date_part(&parts[0], &utc);
	date_part(&parts[1], &local);
	for (size_t i = 0; i < sizeof(po->po_scopes) / sizeof(po->po_scopes[0]) && po->po_scopes[i];
	     i++) {
		fill_s s = {.fx_n = 0};
		var(&s, "scope", po->po_scopes[i], 0);
		fill(&parts[2], onvif_scope, &s);
	}
	for (size_t i = 0; i < sizeof(po->po_users) / sizeof(po->po_users[0]) && po->po_users[i];
	     i++) {
		fill_s u = {.fx_n = 0};
		var(&u, "user", po->po_users[i], 0);
		fill(&parts[3], onvif_user, &u);
	}
	fill(&parts[4], onvif_encoder, &f);
	fill(&parts[5], onvif_source_conf, &f);
	var(&f, "date_utc", parts[0].sb_p, 1);
	var(&f, "date_local", parts[1].sb_p, 1);
	var(&f, "scopes", parts[2].sb_p, 1);
	var(&f, "users", parts[3].sb_p, 1);
	var(&f, "encoder", parts[4].sb_p, 1);
	var(&f, "source_conf_body", parts[5].sb_p, 1);
	strbuf_str(&b, onvif_envelope_head);
	fill(&b, t->tt_body, &f);
	strbuf_str(&b, onvif_envelope_tail);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		b.sb_oom |= parts[i].sb_oom;
		strbuf_free(&parts[i]);
	}
	out->oa_status = 200;
	out->oa_route = t->tt_route;
	rc = finish(&b, out);
	return rc;
}

/* ---- credentials ---- */

/* "2026-12-07T13:40:00Z", fractions and a +hh:mm offset allowed; -1 when
 * it is not that. */
static int created_time(const char *s, int64_t *out)
{
	struct tm tm = {0};
	int y, mo, d, h, mi, sec, n = 0, oh = 0, om = 0;
	char sign;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n < 19)
		return -1;
	s += n;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	if (*s == 'Z' && s[1] == '\0') {
		sign = '+';
	} else if ((*s == '+' || *s == '-') && sscanf(s + 1, "%2d:%2d%n", &oh, &om, &n) == 2 &&
	           s[1 + n] == '\0') {
		sign = *s;
	} else {
		return -1;
	}
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60 || h < 0 || mi < 0 || sec < 0 || oh > 23 || om > 59)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = (int64_t)timegm(&tm) - (sign == '+' ? 1 : -1) * (int64_t)(oh * 3600 + om * 60);
	return 0;
}

/* 1 when this nonce+created was seen before; remembers it otherwise. */
static int replayed(onvif_s *o, const soap_msg_s *m)
{
	uint64_t h = 1469598103934665603ULL ^ o->on_seed;
	int seen = 0;

	for (size_t i = 0; i < m->sm_nonce.st_len; i++)
		h = (h ^ (unsigned char)m->sm_nonce.st_s[i]) * 1099511628211ULL;
	h = (h ^ '|') * 1099511628211ULL;
	for (size_t i = 0; i < m->sm_created.st_len; i++)
		h = (h ^ (unsigned char)m->sm_created.st_s[i]) * 1099511628211ULL;
	h |= 1; /* 0 marks an empty slot */
	pthread_mutex_lock(&o->on_lock);
	for (size_t i = 0; i < ONVIF_NONCES && !seen; i++)
		seen = o->on_nonces[i] == h;
	if (!seen) {
		o->on_nonces[o->on_nonce_next] = h;
		o->on_nonce_next = (o->on_nonce_next + 1) % ONVIF_NONCES;
	}
	pthread_mutex_unlock(&o->on_lock);
	return seen;
}

static void copy_field(char *dst, size_t *len, size_t *orig, const soap_text_s *t, size_t cap)
{
	size_t k = t->st_len < cap ? t->st_len : cap;

	memcpy(dst, t->st_s, k);
	dst[k] = '\0';
	*len = k;
	if (orig != NULL)
		*orig = t->st_orig;
}

/* The UsernameToken as a login attempt, and what the firmware makes of it. */
static onvif_auth_e wsse_login(onvif_s *o, const onvif_request_s *rq, const soap_msg_s *m,
                               onvif_answer_s *out)
{
	int64_t created;
	size_t n;

	if (m->sm_pw != SOAP_PW_DIGEST) {
		authparse_cred_s *c = &out->oa_cred;
		out->oa_login = ONVIF_LOGIN_CRED;
		copy_field(c->ac_user, &c->ac_user_len, &c->ac_user_orig, &m->sm_user,
		           AUTHPARSE_FIELD_MAX);
		copy_field(c->ac_pass, &c->ac_pass_len, &c->ac_pass_orig, &m->sm_pass,
		           AUTHPARSE_FIELD_MAX);
		c->ac_has_user = 1;
		c->ac_has_pass = m->sm_pw == SOAP_PW_TEXT;
		return rq->oq_accepts != NULL && rq->oq_accepts(rq->oq_arg, c, NULL)
		           ? ONVIF_AUTH_OK
		           : ONVIF_AUTH_REFUSED;
	}
	authparse_digest_s *d = &out->oa_digest;
	out->oa_login = ONVIF_LOGIN_DIGEST;
	d->ad_kind = AUTHPARSE_DIGEST_WSSE;
	copy_field(d->ad_username, &d->ad_username_len, NULL, &m->sm_user,
	           AUTHPARSE_DIGEST_FIELD_MAX);
	copy_field(d->ad_nonce, &n, NULL, &m->sm_nonce, AUTHPARSE_DIGEST_FIELD_MAX);
	copy_field(d->ad_created, &n, NULL, &m->sm_created, AUTHPARSE_DIGEST_FIELD_MAX);
	copy_field(d->ad_response, &n, NULL, &m->sm_pass, AUTHPARSE_DIGEST_FIELD_MAX);
	if (created_time(m->sm_created.st_s, &created) != 0 ||
	    created > rq->oq_now_ms / 1000 + ONVIF_CREATED_SKEW_S ||
	    created < rq->oq_now_ms / 1000 - ONVIF_CREATED_SKEW_S)
		return ONVIF_AUTH_STALE;
	/* Answered all the same, as the firmware does: its replay protection
	 * is the Created window (Axis documents it so), and clients such as
	 * onvif-util 1.4.4 repeat a nonce within a second (libonvif issue 126). */
	out->oa_replay = replayed(o, m);
	return rq->oq_accepts != NULL && rq->oq_accepts(rq->oq_arg, NULL, d) ? ONVIF_AUTH_OK
	                                                                     : ONVIF_AUTH_REFUSED;
}

/* HTTP Basic or Digest on the ONVIF path, as some clients send. */
static onvif_auth_e http_login(const onvif_request_s *rq, onvif_answer_s *out)
{
	if (authparse_basic(rq->oq_auth, rq->oq_auth_len, &out->oa_cred) == 0) {
		out->oa_login = ONVIF_LOGIN_CRED;
		return rq->oq_accepts != NULL && rq->oq_accepts(rq->oq_arg, &out->oa_cred, NULL)
		           ? ONVIF_AUTH_OK
		           : ONVIF_AUTH_REFUSED;
	}
	if (authparse_digest(rq->oq_auth, rq->oq_auth_len, &out->oa_digest) == 0) {
		out->oa_login = ONVIF_LOGIN_DIGEST;
		return rq->oq_accepts != NULL && rq->oq_accepts(rq->oq_arg, NULL, &out->oa_digest)
		           ? ONVIF_AUTH_OK
		           : ONVIF_AUTH_REFUSED;
	}
	return ONVIF_AUTH_NONE;
}

/* ---- dispatch ---- */

static const onvif_template_s *find_action(const soap_msg_s *m)
{
	for (const onvif_template_s *t = onvif_templates; t->tt_name != NULL; t++)
		if (strcmp(t->tt_name, m->sm_action) == 0 && strcmp(t->tt_ns, m->sm_ns) == 0)
			return t;
	return NULL;
}

static int malformed(onvif_answer_s *out, soap_status_e st)
{
	if (st == SOAP_VERSION)
		return fault(out, 400, "onvif/version", "SOAP-ENV:VersionMismatch",
		             "ter:WrongSOAPVersion", NULL, "SOAP version mismatch");
	return fault(out, 400, "onvif/malformed", "SOAP-ENV:Sender", "ter:WellFormed", NULL,
	             "Well-formed Error");
}

int onvif_answer(onvif_s *o, const onvif_request_s *rq, onvif_answer_s *out)
{
	soap_msg_s *m = malloc(sizeof(*m));
	const onvif_template_s *t;
	soap_status_e st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (m == NULL)
		return -1;
	st = soap_parse(rq->oq_body, rq->oq_body_len, m);
	if (st != SOAP_OK) {
		free(m);
		return malformed(out, st);
	}
	/* Every credential that came is an attempt, whatever the action. */
	if (m->sm_token)
		out->oa_auth = wsse_login(o, rq, m, out);
	else if (rq->oq_auth != NULL)
		out->oa_auth = http_login(rq, out);
	t = find_action(m);
	if (t == NULL)
		rc = fault(out, 500, "onvif/unknown", "SOAP-ENV:Receiver", "ter:ActionNotSupported",
		           NULL, "Optional Action Not Implemented");
	else if (!t->tt_open && out->oa_auth == ONVIF_AUTH_STALE)
		rc = not_authorized(out, 400, t->tt_stale);
	else if (!t->tt_open && out->oa_auth != ONVIF_AUTH_OK)
		/* a refused UsernameToken is a SOAP fault; nothing, or HTTP
		 * authentication that failed, gets the HTTP challenge */
		rc = not_authorized(out, m->sm_token ? 400 : 401, t->tt_route);
	else if (m->sm_profile.st_orig > 0 && strcmp(m->sm_profile.st_s, o->on_po->po_profile) != 0)
		rc = fault(out, 400, t->tt_route, "SOAP-ENV:Sender", "ter:InvalidArgVal",
		           "ter:NoProfile", "The requested profile token does not exist");
	else
		rc = answer_action(o, rq, t, out);
	/* a replay is said so in the request's row */
	if (t != NULL && out->oa_replay && out->oa_auth != ONVIF_AUTH_STALE)
		out->oa_route = t->tt_replay;
	free(m);
	return rc;
}

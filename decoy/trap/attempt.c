/* attempt: Telnet lines and RTSP requests named by exploit.c's rules, recorded as exploit.attempt
 * rows with their channel, payload (bounded, as received) and indicators. Nothing here runs,
 * resolves or fetches: the bytes are compared and copied. */
#include "attempt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exploit.h"
#include "visitor.h"

/* The row: the peer, the strings the visitor copies bounded, the
 * indicators of each text, the rule, the channel. */
static void record(const login_ctx_s *ctx, const identity_s *who, const exploit_rule_s *x,
                   const char *channel, visitor_s *v, const char *const texts[3],
                   const size_t lens[3], unsigned status, int64_t ts_ms)
{
	exploit_iocs_s *io = calloc(1, sizeof(*io));
	event_s *ev = NULL;

	v->vi_who = *who;
	if (io != NULL) {
		for (int i = 0; i < 3; i++)
			exploit_iocs_add(io, texts[i], lens[i]);
		visitor_set(v, EVS_IOC_URLS, io->xi_urls, strlen(io->xi_urls));
		visitor_set(v, EVS_IOC_IPS, io->xi_ips, strlen(io->xi_ips));
		visitor_set(v, EVS_IOC_HOSTS, io->xi_hosts, strlen(io->xi_hosts));
		visitor_set(v, EVS_IOC_FETCH, io->xi_fetch, strlen(io->xi_fetch));
		ev = visitor_event(v, EV_EXPLOIT, ts_ms);
	}
	free(io);
	if (ev == NULL) {
		store_dropped(ctx->lc_store, EV_EXPLOIT);
		return;
	}
	ev->ev_exploit_id = x->xr_id;
	ev->ev_cve = x->xr_cve;
	ev->ev_family = x->xr_family;
	ev->ev_channel = channel;
	ev->ev_answered = 0; /* no door answers an exploit: each gives its usual answer */
	ev->ev_status = (int)status;
	if (ctx->lc_hook_exploits)
		webhook_post_event(ctx->lc_hook, ev, ctx->lc_sensor, ctx->lc_persona);
	store_submit(ctx->lc_store, ev);
}

void attempt_telnet(const login_ctx_s *ctx, const identity_s *who, const char *line, size_t len,
                    size_t orig, int password, int64_t ts_ms)
{
	const exploit_rule_s *x = exploit_classify_line(line, len);
	visitor_s v;

	if (x == NULL || ctx == NULL || ctx->lc_store == NULL ||
	    (password && strcmp(x->xr_family, "dropper") != 0))
		return;
	memset(&v, 0, sizeof(v));
	if (visitor_set(&v, EVS_PAYLOAD, line, len) == 0)
		v.vi_str[EVS_PAYLOAD].bs_orig = orig; /* the characters past the line's bound */
	const char *texts[3] = {line, NULL, NULL};
	const size_t lens[3] = {len, 0, 0};
	record(ctx, who, x, "telnet", &v, texts, lens, 0, ts_ms);
	visitor_clear(&v);
}

/* The path of an RTSP request URI ("rtsp://host:554/path?q" or "/path?q"):
 * where it starts and how long it is (up to the '?'), and the query. */
static void rtsp_split(const char *uri, size_t n, size_t *path, size_t *path_len, size_t *query)
{
	size_t i = 0, e;

	if (uri != NULL && n >= 7 && strncasecmp(uri, "rtsp://", 7) == 0)
		i = 7;
	else if (uri != NULL && n >= 8 && strncasecmp(uri, "rtsps://", 8) == 0)
		i = 8;
	if (i > 0)
		while (i < n && uri[i] != '/')
			i++;
	for (e = i; e < n && uri[e] != '?'; e++)
		;
	*path = i;
	*path_len = e - i;
	*query = e < n ? e + 1 : n;
}

void attempt_rtsp(const login_ctx_s *ctx, const identity_s *who, const rtsp_req_s *rq,
                  const uint8_t *buf, size_t n, unsigned status, int64_t ts_ms)
{
	char method[EV_METHOD_MAX + 1];
	size_t path = 0, path_len = 0, query = 0, whole;
	const char *uri = rq->rr_uri, *head = (const char *)buf;
	const exploit_rule_s *x;
	visitor_s v;

	if (ctx == NULL || ctx->lc_store == NULL)
		return;
	/* the request as it came: its head and body, or what could not be parsed */
	whole = rq->rr_head_len > 0 ? rq->rr_head_len + rq->rr_body_len : n;
	whole = whole < n ? whole : n;
	snprintf(method, sizeof(method), "%.*s",
	         (int)(rq->rr_method_len < EV_METHOD_MAX ? rq->rr_method_len : EV_METHOD_MAX),
	         rq->rr_method != NULL ? rq->rr_method : "");
	rtsp_split(uri, rq->rr_uri_len, &path, &path_len, &query);
	x = exploit_classify_on(EXC_RTSP, method, uri != NULL ? uri + path : NULL, path_len,
	                        uri != NULL ? uri + query : NULL, rq->rr_uri_len - query, head,
	                        whole);
	if (x == NULL)
		return;
	memset(&v, 0, sizeof(v));
	visitor_set(&v, EVS_METHOD, rq->rr_method, rq->rr_method_len);
	if (uri != NULL) {
		visitor_set(&v, EVS_PATH, uri + path, path_len);
		if (path + path_len < rq->rr_uri_len) /* a '?' */
			visitor_set(&v, EVS_QUERY, uri + query, rq->rr_uri_len - query);
	}
	if (rq->rr_ua != NULL)
		visitor_set(&v, EVS_USER_AGENT, rq->rr_ua, rq->rr_ua_len);
	if (visitor_set(&v, EVS_PAYLOAD, head, whole) == 0)
		v.vi_str[EVS_PAYLOAD].bs_orig = whole;
	const char *texts[3] = {uri, head, NULL};
	const size_t lens[3] = {uri != NULL ? rq->rr_uri_len : 0, whole, 0};
	record(ctx, who, x, "rtsp", &v, texts, lens, status, ts_ms);
	visitor_clear(&v);
}

/* request: identity (bounded copies, trusted proxies, GeoIP, the detail
 * budget), the body, the exploit a request matches, and the request's row. */
#include "request.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "classify.h"
#include "clock.h"
#include "exploit.h"
#include "log.h"
#include "netaddr.h"

/* A request body larger than this is refused (login forms are small). */

request_s *request_new(web_s *web, web_peer_s *peer, const char *uri, void (*park)(hub_waiter_s *),
                       void (*wake)(hub_waiter_s *), void *wa)
{
	request_s *rq = calloc(1, sizeof(*rq));

	if (rq == NULL)
		return NULL;
	rq->rq_refs = 1;
	rq->rq_web = web;
	rq->rq_ts = clock_wall_ms();
	rq->rq_end = END_ERROR;
	rq->rq_waiter.hw_park = park;
	rq->rq_waiter.hw_wake = wake;
	rq->rq_waiter.hw_arg = wa;
	if (peer != NULL) {
		rq->rq_vis.vi_who = peer->wp_who;
		rq->rq_peer = peer;
		rq->rq_gaddr = peer->wp_guard.gc_addr;
		peer->wp_requests++;
	}
	visitor_target(&rq->rq_vis, uri, uri != NULL ? strlen(uri) : 0);
	return rq;
}

/* Asks the client network's budget, once per request, whether this request
 * (and its login) gets detailed rows. */
static void request_budget(request_s *rq)
{
	const char *ip = rq->rq_vis.vi_who.id_ip;

	if (rq->rq_budgeted)
		return;
	rq->rq_budgeted = 1;
	if (netaddr_truncate(ip, strlen(ip), 24, 64, rq->rq_net, sizeof(rq->rq_net)) != 0)
		snprintf(rq->rq_net, sizeof(rq->rq_net), "%s", "?");
	rq->rq_detailed =
	    budget_take(rq->rq_web->wb_budget, rq->rq_net, strlen(rq->rq_net), clock_mono_ms());
}

static int name_is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && strncasecmp(name, want, len) == 0;
}

/* One header line of the front's copy (the first User-Agent, Referer and
 * Authorization count, as libmicrohttpd's lookup returns the first). */
static void raw_field(void *arg, const char *name, size_t name_len, const char *value,
                      size_t value_len)
{
	request_head_s *h = arg;

	h->rh_header_bytes += name_len + value_len + 4; /* ": " and CRLF */
	if (name_is(name, name_len, "X-Forwarded-For")) {
		request_head_xff(h, value, value_len);
	} else if (name_is(name, name_len, "User-Agent") && !h->rh_has_ua) {
		h->rh_ua = value;
		h->rh_ua_len = value_len;
		h->rh_has_ua = 1;
	} else if (name_is(name, name_len, "Referer") && !h->rh_has_referer) {
		h->rh_referer = value;
		h->rh_referer_len = value_len;
		h->rh_has_referer = 1;
	} else if (name_is(name, name_len, "Authorization") && h->rh_auth == NULL) {
		h->rh_auth = value;
		h->rh_auth_len = value_len;
	}
}

void request_head_raw(request_head_s *head, const uint8_t *raw, size_t n)
{
	const uint8_t *target;

	head->rh_ua = head->rh_referer = head->rh_auth = NULL;
	head->rh_ua_len = head->rh_referer_len = head->rh_auth_len = 0;
	head->rh_has_ua = head->rh_has_referer = 0;
	head->rh_header_bytes = 0;
	head->rh_xff_len = head->rh_xff_orig = 0;
	head->rh_xff_lines = head->rh_xff_nul = 0;
	front_head_target(raw, n, &target, &head->rh_target_len);
	head->rh_target = (const char *)target;
	front_head_fields(raw, n, raw_field, head);
}

void request_head_xff(request_head_s *head, const char *value, size_t len)
{
	size_t sep = head->rh_xff_lines > 0 ? 2 : 0;

	head->rh_xff_nul |= memchr(value, '\0', len) != NULL;
	head->rh_xff_orig += sep + len;
	head->rh_xff_lines++;
	if (head->rh_xff_len + sep + len > sizeof(head->rh_xff))
		return; /* oversized: rh_xff_orig says so */
	memcpy(head->rh_xff + head->rh_xff_len, ", ", sep);
	memcpy(head->rh_xff + head->rh_xff_len + sep, value, len);
	head->rh_xff_len += sep + len;
}

/* X-Forwarded-For is stored always (bounded) but believed only from a
 * configured proxy, walked from the right over trusted hops through the
 * whole header (not the stored prefix: padding cannot push the hop the proxy
 * appended out of sight). A NUL, an oversized header or a malformed hop is
 * not believed: the proxy stays the client and the row says "invalid". */
static void request_forwarded(request_s *rq, const request_head_s *head)
{
	const config_s *cfg = rq->rq_web->wb_cfg;
	char client[46];
	int family;
	uint8_t addr[16];

	if (head->rh_xff_lines == 0)
		return;
	if (rq->rq_peer == NULL || !rq->rq_peer->wp_proxy) {
		rq->rq_vis.vi_forwarded = "untrusted";
		return;
	}
	if (head->rh_xff_nul || head->rh_xff_len != head->rh_xff_orig ||
	    netaddr_xff_client(head->rh_xff, head->rh_xff_len, cfg->cfg_proxies, cfg->cfg_nproxies,
	                       client, sizeof(client)) != 0) {
		rq->rq_vis.vi_forwarded = "invalid";
		return;
	}
	rq->rq_vis.vi_forwarded = "used";
	identity_forwarded(&rq->rq_vis.vi_who, rq->rq_web->wb_geo, client);
	/* Streams are counted per client, not per proxy. */
	if (netaddr_parse_ip(client, strlen(client), &family, addr) == 0) {
		rq->rq_gaddr.da_family = family == AF_INET ? 4 : 6;
		memcpy(rq->rq_gaddr.da_addr, addr, 16);
	}
}

void request_identify(request_s *rq, const request_head_s *head)
{
	visitor_s *v = &rq->rq_vis;

	rq->rq_seen = 1;
	visitor_set(v, EVS_METHOD, head->rh_method, strlen(head->rh_method));
	if (head->rh_target != NULL)
		visitor_target(v, head->rh_target, head->rh_target_len);
	if (head->rh_has_ua)
		visitor_set(v, EVS_USER_AGENT, head->rh_ua, head->rh_ua_len);
	if (head->rh_has_referer)
		visitor_set(v, EVS_REFERER, head->rh_referer, head->rh_referer_len);
	if (head->rh_xff_lines > 0) {
		visitor_set(v, EVS_FORWARDED, head->rh_xff, head->rh_xff_len);
		v->vi_str[EVS_FORWARDED].bs_orig = head->rh_xff_orig;
	}
	v->vi_referer_class = classify_referer(v->vi_str[EVS_REFERER].bs_data,
	                                       v->vi_str[EVS_REFERER].bs_len, head->rh_host);
	v->vi_client_class =
	    classify_client(v->vi_str[EVS_USER_AGENT].bs_data, v->vi_str[EVS_USER_AGENT].bs_len);
	rq->rq_uri_too_long =
	    v->vi_str[EVS_PATH].bs_orig + v->vi_str[EVS_QUERY].bs_orig > rq->rq_web->wb_uri_max;
	rq->rq_headers_too_big = head->rh_header_bytes > rq->rq_web->wb_headers_max;
	if (rq->rq_peer == NULL)
		return;
	request_forwarded(rq, head);
	request_budget(rq);
}

void request_record_line(web_s *web, const front_line_s *fl)
{
	web_peer_s peer = {0};
	request_head_s *head = calloc(1, sizeof(*head));
	request_s *rq;

	identity_from(&peer.wp_who, web->wb_geo, fl->fl_addr);
	if (head == NULL || (rq = request_new(web, &peer, "", NULL, NULL, NULL)) == NULL) {
		free(head);
		atomic_fetch_add(&web->wb_requests_seen, 1);
		store_dropped(web->wb_store, EV_REQUEST);
		return;
	}
	head->rh_method = "";
	head->rh_ua = fl->fl_ua;
	head->rh_ua_len = fl->fl_ua_len;
	head->rh_has_ua = fl->fl_ua != NULL;
	request_identify(rq, head);
	free(head);
	/* the raw bytes, which may hold anything (a NUL included) */
	visitor_set(&rq->rq_vis, EVS_METHOD, fl->fl_method, fl->fl_method_len);
	visitor_set(&rq->rq_vis, EVS_PATH, fl->fl_target, fl->fl_target_len);
	rq->rq_route = fl->fl_route;
	rq->rq_status = fl->fl_status;
	rq->rq_peer = NULL; /* the stack's: nothing of it outlives this call */
	request_unref(rq);
}

void request_body(request_s *rq, const char *data, size_t n)
{
	/* Bodies are kept up to REQUEST_BODY_MAX (a login form is small); a
	 * larger one is counted and answered with the persona's 413, its first
	 * REQUEST_BODY_MAX bytes kept for the exploit record. */
	size_t room = rq->rq_body_len < REQUEST_BODY_MAX ? REQUEST_BODY_MAX - rq->rq_body_len : 0;
	size_t take = n < room ? n : room;

	if (rq->rq_body_len + n > REQUEST_BODY_MAX)
		rq->rq_body_too_big = 1;
	if (take > 0 && !rq->rq_body_lost) {
		if (rq->rq_body == NULL && (rq->rq_body = malloc(REQUEST_BODY_MAX + 1)) == NULL) {
			rq->rq_body_lost = 1; /* out of memory: the persona's 500 */
			return;
		}
		memcpy(rq->rq_body + rq->rq_body_len, data, take);
		rq->rq_body[rq->rq_body_len + take] = '\0';
	}
	rq->rq_body_len += n;
}

/* ---- trap credentials ---- */

void request_credential(request_s *rq, int64_t view_id, int64_t shown_at, int with_note)
{
	web_s *web = rq->rq_web;
	const visitor_s *v = &rq->rq_vis;

	if (web->wb_login.lc_trap == NULL ||
	    trap_issue(web->wb_login.lc_trap, view_id, shown_at, v->vi_who.id_ip,
	               v->vi_who.id_country, v->vi_referer_class, &rq->rq_cred) != 0)
		return;
	if (with_note && web->wb_per_viewer)
		request_note_renew(rq); /* the first: drawn now */
}

void request_note_renew(request_s *rq)
{
	web_s *web = rq->rq_web;
	char text[2 * TRAP_FIELD_MAX + 8], err[256];

	trap_note_text(rq->rq_cred.tc_user, rq->rq_cred.tc_pass, text, sizeof(text));
	if (camera_note_renew(web->wb_cam, text, hub_viewers(web->wb_hub), &rq->rq_note_gen,
	                      &rq->rq_note, &rq->rq_note_len, err, sizeof(err)) < 0)
		log_debug("%s", err);
}

/* ---- exploits ---- */

/* An attempt's JSON: a 4096-byte payload escaped byte by byte (6 each at
 * worst), the indicators and the rest. */
#define REQUEST_EXPLOIT_JSON_MAX (64 * 1024)

static size_t body_kept(const request_s *rq)
{
	return rq->rq_body == NULL                  ? 0
	       : rq->rq_body_len < REQUEST_BODY_MAX ? rq->rq_body_len
	                                            : REQUEST_BODY_MAX;
}

/* The rule the request matches (once: routing asks, the row asks again). */
const exploit_rule_s *request_exploit(request_s *rq)
{
	const visitor_s *v = &rq->rq_vis;

	if (!rq->rq_classified) {
		rq->rq_classified = 1;
		rq->rq_exploit =
		    exploit_classify(v->vi_str[EVS_METHOD].bs_data, v->vi_str[EVS_PATH].bs_data,
		                     v->vi_str[EVS_PATH].bs_len, v->vi_str[EVS_QUERY].bs_data,
		                     v->vi_str[EVS_QUERY].bs_len, rq->rq_body, body_kept(rq));
	}
	return rq->rq_exploit;
}

/* The attempt's row, beside its request's: the payload bounded, the
 * indicators read out of path, query and payload. */
static void request_exploit_record(request_s *rq)
{
	const exploit_rule_s *x = request_exploit(rq);
	visitor_s *v = &rq->rq_vis;
	exploit_iocs_s *io;
	event_s *ev;

	/* the RTSP trap's requests are classified there, headers and all */
	if (x == NULL || (rq->rq_route != NULL && strcmp(rq->rq_route, "rtsp") == 0))
		return;
	if ((io = malloc(sizeof(*io))) == NULL) {
		store_dropped(rq->rq_web->wb_store, EV_EXPLOIT);
		return;
	}
	memset(io, 0, sizeof(*io));
	exploit_iocs_add(io, v->vi_str[EVS_PATH].bs_data, v->vi_str[EVS_PATH].bs_len);
	exploit_iocs_add(io, v->vi_str[EVS_QUERY].bs_data, v->vi_str[EVS_QUERY].bs_len);
	exploit_iocs_add(io, rq->rq_body, body_kept(rq));
	if (rq->rq_body != NULL && visitor_set(v, EVS_PAYLOAD, rq->rq_body, body_kept(rq)) == 0)
		v->vi_str[EVS_PAYLOAD].bs_orig = rq->rq_body_len;
	visitor_set(v, EVS_IOC_URLS, io->xi_urls, strlen(io->xi_urls));
	visitor_set(v, EVS_IOC_IPS, io->xi_ips, strlen(io->xi_ips));
	visitor_set(v, EVS_IOC_HOSTS, io->xi_hosts, strlen(io->xi_hosts));
	visitor_set(v, EVS_IOC_FETCH, io->xi_fetch, strlen(io->xi_fetch));
	free(io);
	if ((ev = visitor_event(v, EV_EXPLOIT, rq->rq_ts)) == NULL) {
		store_dropped(rq->rq_web->wb_store, EV_EXPLOIT);
		return;
	}
	ev->ev_exploit_id = x->xr_id;
	ev->ev_cve = x->xr_cve;
	ev->ev_family = x->xr_family;
	ev->ev_answered = rq->rq_exploit_answered;
	/* a request to an ONVIF service path is ONVIF's, answered as SOAP or not */
	ev->ev_channel = v->vi_str[EVS_PATH].bs_len >= 7 &&
	                         strncasecmp(v->vi_str[EVS_PATH].bs_data, "/onvif/", 7) == 0
	                     ? "onvif"
	                     : "http";
	ev->ev_status = (int)rq->rq_status;
	if (rq->rq_leak.tc_seq != 0) {
		ev->ev_trap_seq = rq->rq_leak.tc_seq;
		memcpy(ev->ev_trap_user, rq->rq_leak.tc_user, sizeof(ev->ev_trap_user));
		memcpy(ev->ev_trap_pass, rq->rq_leak.tc_pass, sizeof(ev->ev_trap_pass));
	}
	if (rq->rq_web->wb_cfg->cfg_webhook_exploits && rq->rq_web->wb_login.lc_hook != NULL) {
		char *json = malloc(REQUEST_EXPLOIT_JSON_MAX);
		size_t n = json != NULL ? event_json(ev, rq->rq_web->wb_cfg->cfg_sensor_id,
		                                     rq->rq_web->wb_pe->pe_name, json,
		                                     REQUEST_EXPLOIT_JSON_MAX)
		                        : 0;
		if (n > 0)
			webhook_post(rq->rq_web->wb_login.lc_hook, json, n);
		free(json);
	}
	store_submit(rq->rq_web->wb_store, ev);
}

/* ---- the end ---- */

void request_completed(request_s *rq, track_end_e end)
{
	if (!rq->rq_end_set)
		rq->rq_end = end;
	/* The deadline for the connection's next request starts now. */
	if (rq->rq_peer != NULL)
		guard_busy(rq->rq_web->wb_guard, &rq->rq_peer->wp_guard, 0);
	rq->rq_peer = NULL;
	request_unref(rq);
}

void request_unref(request_s *rq)
{
	web_s *web = rq->rq_web;
	event_s *ev;

	if (--rq->rq_refs > 0)
		return;
	if (rq->rq_streaming)
		guard_stream_end(web->wb_guard, &rq->rq_gaddr);
	if (rq->rq_track.tk_kind == VIEW_STREAM && !rq->rq_view_counted)
		store_submit(web->wb_store, track_event(&rq->rq_track, &rq->rq_vis, EV_VIEW_CLOSE,
		                                        rq->rq_end, clock_wall_ms()));
	request_budget(rq);
	atomic_fetch_add(&web->wb_requests_seen, 1);
	if (rq->rq_detailed) {
		ev = visitor_event(&rq->rq_vis, EV_REQUEST, rq->rq_ts);
		if (ev != NULL) {
			ev->ev_status = (int)rq->rq_status;
			ev->ev_bytes = rq->rq_bytes;
			ev->ev_route = rq->rq_seen ? rq->rq_route : "rejected";
			ev->ev_view_id = rq->rq_view_counted ? 0 : rq->rq_track.tk_id;
			store_submit(web->wb_store, ev);
		} else {
			store_dropped(web->wb_store, EV_REQUEST);
		}
		request_exploit_record(rq);
	} else {
		store_aggregate(web->wb_store, rq->rq_net, rq->rq_ts, "request");
	}
	frame_unref(rq->rq_part.sp_frame);
	free(rq->rq_note);
	free(rq->rq_body);
	visitor_clear(&rq->rq_vis);
	free(rq);
}

/* dispatch: a request answered: the persona's limits and flaws, then its route (a page, a login,
 * ONVIF, the stream or a snapshot), each login the request carried recorded. */
#include "dispatch.h"

#include <stdlib.h>
#include <string.h>

#include "authparse.h"
#include "clock.h"
#include "exploit.h"
#include "router.h"
#include "snapshot.h"
#include "stream.h"
#include "vuln.h"

/* ---- logins ---- */

static void request_login(request_s *rq, const char *channel, const authparse_cred_s *cred,
                          const authparse_digest_s *digest)
{
	const visitor_s *v = &rq->rq_vis;
	const login_attempt_s la = {
	    .la_channel = channel,
	    .la_who = &v->vi_who,
	    .la_ua = v->vi_str[EVS_USER_AGENT].bs_data,
	    .la_ua_len = v->vi_str[EVS_USER_AGENT].bs_len,
	    .la_ua_orig = v->vi_str[EVS_USER_AGENT].bs_orig,
	    .la_path = v->vi_str[EVS_PATH].bs_data,
	    .la_path_len = v->vi_str[EVS_PATH].bs_len,
	    .la_cred = cred,
	    .la_digest = digest,
	    .la_method = v->vi_str[EVS_METHOD].bs_data != NULL ? v->vi_str[EVS_METHOD].bs_data : "",
	    .la_aggregate_net = rq->rq_detailed ? NULL : rq->rq_net,
	};

	login_record(&rq->rq_web->wb_login, &la, clock_wall_ms());
}

/* Authorization headers (Basic or Digest, whatever the persona challenges
 * with: scanners send either) and Netwave-style ?user=&pwd= queries. */
static void auth_attempts(request_s *rq, const request_head_s *head)
{
	const bstr_s *query = &rq->rq_vis.vi_str[EVS_QUERY];
	authparse_cred_s cred;
	authparse_digest_s *dg;

	if (head->rh_auth != NULL) {
		if (authparse_basic(head->rh_auth, head->rh_auth_len, &cred) == 0) {
			request_login(rq, "basic", &cred, NULL);
		} else if ((dg = malloc(sizeof(*dg))) != NULL) {
			if (authparse_digest(head->rh_auth, head->rh_auth_len, dg) == 0)
				request_login(rq, "digest", NULL, dg);
			free(dg);
		}
	}
	if (query->bs_data != NULL && authparse_query(query->bs_data, query->bs_len, &cred) == 0)
		request_login(rq, "query", &cred, NULL);
}

/* ---- ONVIF ---- */

static int onvif_accepts(void *arg, const authparse_cred_s *c, const authparse_digest_s *d)
{
	request_s *rq = arg;

	return login_accepts(rq->rq_web->wb_login.lc_trap, c, d, "POST");
}

/* A SOAP POST: answered by the persona's ONVIF services; the credential it
 * carried (WS-Security or HTTP) is one login on channel onvif. */
static web_action_e onvif_route(request_s *rq, const request_head_s *head, reply_s *out)
{
	web_s *web = rq->rq_web;
	onvif_answer_s *a = malloc(sizeof(*a));
	const onvif_request_s oq = {
	    .oq_host = head->rh_host,
	    .oq_host_len = head->rh_host != NULL ? strlen(head->rh_host) : 0,
	    .oq_body = rq->rq_body != NULL ? rq->rq_body : "",
	    .oq_body_len = rq->rq_body != NULL ? rq->rq_body_len : 0,
	    .oq_auth = head->rh_auth,
	    .oq_auth_len = head->rh_auth_len,
	    .oq_now_ms = clock_wall_ms(),
	    .oq_accepts = onvif_accepts,
	    .oq_arg = rq,
	};

	if (web->wb_onvif == NULL || a == NULL || onvif_answer(web->wb_onvif, &oq, a) != 0) {
		free(a);
		respond_error(web->wb_respond, out, ERR_500);
		return WEB_REPLY;
	}
	if (a->oa_login == ONVIF_LOGIN_CRED)
		request_login(rq, "onvif", &a->oa_cred, NULL);
	else if (a->oa_login == ONVIF_LOGIN_DIGEST)
		request_login(rq, "onvif", NULL, &a->oa_digest);
	respond_soap(web->wb_respond, out, a->oa_status, a->oa_route, a->oa_body, a->oa_len,
	             a->oa_status == 401);
	free(a);
	return WEB_REPLY;
}

/* ---- routing ---- */

static int hexval(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

/* The path percent-decoded as libmicrohttpd does (%XX with two hex digits;
 * anything else kept), but with its length: a decoded %00 does not end it.
 * dst holds n bytes. */
static size_t path_decode(const char *s, size_t n, char *dst)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			dst[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			dst[o++] = s[i];
		}
	}
	return o;
}

/* Routes on the path as received (libmicrohttpd's url stops at a decoded
 * NUL: /jpg/image.jpg%00.php would be the snapshot, where the firmware
 * answers 404). A path longer than its stored copy matches no route. */
static void route_match(request_s *rq, const char *method, const char *url, router_match_s *m)
{
	const bstr_s *p = &rq->rq_vis.vi_str[EVS_PATH];
	char *dec;

	if (p->bs_data == NULL || (dec = malloc(p->bs_len + 1)) == NULL) {
		router_match(rq->rq_web->wb_pe, method, url, strlen(url), m);
		return;
	}
	router_match(rq->rq_web->wb_pe, method, dec, path_decode(p->bs_data, p->bs_len, dec), m);
	if (p->bs_orig > p->bs_len && m->rm_result == ROUTER_OK) {
		m->rm_result = ROUTER_NOT_FOUND;
		m->rm_route = NULL;
	}
	free(dec);
}

static web_action_e route(request_s *rq, const char *url, const request_head_s *head, reply_s *out)
{
	web_s *web = rq->rq_web;
	const char *method = head->rh_method;
	router_match_s m;

	if (rq->rq_uri_too_long) {
		respond_error(web->wb_respond, out, ERR_414);
		return WEB_REPLY;
	}
	if (rq->rq_headers_too_big) {
		respond_error(web->wb_respond, out, ERR_431);
		return WEB_REPLY;
	}
	if (rq->rq_body_too_big || rq->rq_body_lost) {
		respond_error(web->wb_respond, out, rq->rq_body_lost ? ERR_500 : ERR_413);
		return WEB_REPLY;
	}
	/* The persona's own vendor's flaws are answered as its firmware did;
	 * every other attempt goes on to the usual routes (the 404). */
	const exploit_rule_s *x = request_exploit(rq);
	web_action_e act;
	if (x != NULL && vuln_answer(rq, x, out, &act)) {
		rq->rq_exploit_answered = 1;
		return act;
	}
	if (x == NULL && vuln_weblib(rq, url, out)) {
		rq->rq_exploit =
		    exploit_rule("hik-cve-2021-36260"); /* reading the command's output */
		rq->rq_exploit_answered = 1;
		return WEB_REPLY;
	}
	route_match(rq, method, url, &m);
	if (m.rm_result != ROUTER_OK) {
		respond_error(web->wb_respond, out,
		              m.rm_result == ROUTER_NOT_FOUND ? ERR_404 : ERR_405);
		return WEB_REPLY;
	}
	switch (m.rm_route->pr_kind) {
	case ROUTE_PAGE:
		respond_page(web->wb_respond, out, m.rm_route);
		return WEB_REPLY;
	case ROUTE_REDIRECT:
		respond_redirect(web->wb_respond, out, m.rm_route->pr_arg);
		return WEB_REPLY;
	case ROUTE_AUTH:
		auth_attempts(rq, head);
		respond_auth(web->wb_respond, out);
		return WEB_REPLY;
	case ROUTE_LOGIN: {
		authparse_cred_s cred;
		/* A form login always fails, the way the firmware shows it: the
		 * login page again. */
		if (strcmp(method, "POST") == 0 && rq->rq_body != NULL &&
		    authparse_form(rq->rq_body, rq->rq_body_len, &cred) == 0)
			request_login(rq, "form", &cred, NULL);
		respond_page(web->wb_respond, out, m.rm_route);
		return WEB_REPLY;
	}
	case ROUTE_ONVIF:
		return onvif_route(rq, head, out);
	case ROUTE_STREAM:
		return stream_begin(rq, m.rm_head, out);
	case ROUTE_SNAPSHOT:
		return snapshot_serve(rq, out);
	}
	return WEB_FAIL;
}

web_action_e dispatch_request(request_s *rq, const char *url, const request_head_s *head,
                              reply_s *out)
{
	web_action_e act = route(rq, url, head, out);

	if (act == WEB_REPLY) {
		rq->rq_status = out->rp_status;
		rq->rq_route = out->rp_route;
		rq->rq_bytes = out->rp_kind == REPLY_BODY ? out->rp_len : 0;
		if (rq->rq_peer != NULL)
			guard_busy(rq->rq_web->wb_guard, &rq->rq_peer->wp_guard, 1);
	}
	return act;
}

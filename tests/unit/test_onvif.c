/* test_onvif: SOAP envelopes built here against the ONVIF answers: actions,
 * logins (WS-Security digest and text, HTTP), replay, stale Created, and
 * hostile XML (XXE, billion laughs, oversize, deep). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "check.h"
#include "discovery.h"
#include "onvif.h"
#include "router.h"
#include "soap.h"

/* 2026-12-07T13:40:00Z */
#define NOW_MS 1796650800000LL

static const char *ENV_OPEN = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\">";

static int accepts(void *arg, const authparse_cred_s *c, const authparse_digest_s *d)
{
	(void)arg;
	if (c != NULL)
		return strcmp(c->ac_user, "admin") == 0 && strcmp(c->ac_pass, "Secret9") == 0;
	return d->ad_username_len == 5 && memcmp(d->ad_username, "admin", 5) == 0 &&
	       authparse_digest_check(d, "POST", "Secret9");
}

/* An envelope with an optional UsernameToken header and one action. */
static char *envelope(const char *ns, const char *action, const char *inner, const char *token)
{
	char *b = malloc(8192);

	snprintf(b, 8192,
	         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%s<s:Header>%s</s:Header><s:Body>"
	         "<a:%s xmlns:a=\"%s\">%s</a:%s></s:Body></s:Envelope>",
	         ENV_OPEN, token != NULL ? token : "", action, ns, inner != NULL ? inner : "",
	         action);
	return b;
}

static char *digest_token(const char *user, const char *digest, const char *nonce,
                          const char *created)
{
	char *b = malloc(2048);

	snprintf(b, 2048,
	         "<wsse:Security xmlns:wsse=\"" SOAP_NS_WSSE "\" xmlns:wsu=\"" SOAP_NS_WSU "\">"
	         "<wsse:UsernameToken><wsse:Username>%s</wsse:Username>"
	         "<wsse:Password Type=\"" SOAP_PW_DIGEST_URI "\">%s</wsse:Password>"
	         "<wsse:Nonce>%s</wsse:Nonce><wsu:Created>%s</wsu:Created>"
	         "</wsse:UsernameToken></wsse:Security>",
	         user, digest, nonce, created);
	return b;
}

static char *text_token(const char *user, const char *pass)
{
	char *b = malloc(2048);

	snprintf(b, 2048,
	         "<wsse:Security xmlns:wsse=\"" SOAP_NS_WSSE "\"><wsse:UsernameToken>"
	         "<wsse:Username>%s</wsse:Username><wsse:Password>%s</wsse:Password>"
	         "</wsse:UsernameToken></wsse:Security>",
	         user, pass);
	return b;
}

/* Answers body; checks the answer is well-formed XML. */
static void ask(onvif_s *o, const char *body, size_t len, const char *host, const char *auth,
                onvif_answer_s *a)
{
	onvif_request_s rq = {
	    .oq_host = host,
	    .oq_host_len = host != NULL ? strlen(host) : 0,
	    .oq_body = body,
	    .oq_body_len = len,
	    .oq_auth = auth,
	    .oq_auth_len = auth != NULL ? strlen(auth) : 0,
	    .oq_now_ms = NOW_MS,
	    .oq_accepts = accepts,
	};
	xmlDoc *doc;

	CHECK(onvif_answer(o, &rq, a) == 0);
	CHECK(a->oa_body != NULL);
	doc = a->oa_body != NULL
	          ? xmlReadMemory(a->oa_body, (int)a->oa_len, "a.xml", NULL, XML_PARSE_NONET)
	          : NULL;
	CHECK(doc != NULL);
	xmlFreeDoc(doc);
}

static int has(const onvif_answer_s *a, const char *s)
{
	return a->oa_body != NULL && strstr(a->oa_body, s) != NULL;
}

static void test_open_and_closed(onvif_s *o)
{
	onvif_answer_s a;
	char *b = envelope(SOAP_NS_DEVICE, "GetSystemDateAndTime", NULL, NULL);

	ask(o, b, strlen(b), "192.0.2.7", NULL, &a);
	CHECK(a.oa_status == 200 && a.oa_login == ONVIF_LOGIN_NONE);
	CHECK(has(&a, "<tt:Year>2026</tt:Year>") && has(&a, "<tt:Hour>13</tt:Hour>"));
	CHECK_STR(a.oa_route, "onvif/GetSystemDateAndTime");
	free(a.oa_body);
	free(b);
	b = envelope(SOAP_NS_DEVICE, "GetCapabilities", "<a:Category>All</a:Category>", NULL);
	ask(o, b, strlen(b), "192.0.2.7:8080", NULL, &a);
	CHECK(a.oa_status == 200 &&
	      has(&a, "<tt:XAddr>http://192.0.2.7:8080/onvif/Media</tt:XAddr>"));
	free(a.oa_body);
	free(b);
	/* no credential: the HTTP challenge, with the fault */
	b = envelope(SOAP_NS_DEVICE, "GetDeviceInformation", NULL, NULL);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 401 && has(&a, "ter:NotAuthorized") && !has(&a, "HIKVISION"));
	free(a.oa_body);
	free(b);
	/* unknown action, unknown namespace */
	b = envelope(SOAP_NS_DEVICE, "SetSystemFactoryDefault",
	             "<a:FactoryDefault>Hard</a:FactoryDefault>", NULL);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 500 && has(&a, "ter:ActionNotSupported"));
	CHECK_STR(a.oa_route, "onvif/unknown");
	free(a.oa_body);
	free(b);
	b = envelope("urn:evil", "GetSystemDateAndTime", NULL, NULL);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 500 && has(&a, "ter:ActionNotSupported"));
	free(a.oa_body);
	free(b);
}

static void test_wsse(onvif_s *o)
{
	onvif_answer_s a;
	char *tok = digest_token("admin", "IXAVP+HJziBukIGOVk/zLs96OMY=",
	                         "LKqI6G/AikKCQrN0zqZFlg==", "2026-12-07T13:40:00Z");
	char *b = envelope(SOAP_NS_DEVICE, "GetDeviceInformation", NULL, tok);

	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 200 && a.oa_auth == ONVIF_AUTH_OK);
	CHECK(has(&a, "<tds:Manufacturer>HIKVISION</tds:Manufacturer>"));
	CHECK(a.oa_login == ONVIF_LOGIN_DIGEST && a.oa_digest.ad_kind == AUTHPARSE_DIGEST_WSSE);
	CHECK_STR(a.oa_digest.ad_username, "admin");
	free(a.oa_body);
	/* the same token again: answered, as firmware does, and the row says so */
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 200 && a.oa_auth == ONVIF_AUTH_OK && a.oa_replay);
	CHECK(a.oa_login == ONVIF_LOGIN_DIGEST);
	CHECK_STR(a.oa_route, "onvif/replay/GetDeviceInformation");
	free(a.oa_body);
	/* a replay with a wrong password is refused like any other */
	free(b);
	free(tok);
	tok = digest_token("admin", "AAAAP+HJziBukIGOVk/zLs96OMY=", "LKqI6G/AikKCQrN0zqZFlg==",
	                   "2026-12-07T13:40:00Z");
	b = envelope(SOAP_NS_DEVICE, "GetDeviceInformation", NULL, tok);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 400 && a.oa_replay && has(&a, "ter:NotAuthorized"));
	free(a.oa_body);
	free(b);
	free(tok);
	/* a wrong digest */
	tok = digest_token("admin", "AAAAP+HJziBukIGOVk/zLs96OMY=", "bm9uY2Ux",
	                   "2026-12-07T13:40:05Z");
	b = envelope(SOAP_NS_DEVICE, "GetUsers", NULL, tok);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 400 && a.oa_auth == ONVIF_AUTH_REFUSED &&
	      has(&a, "ter:NotAuthorized"));
	CHECK(!has(&a, "<tt:Username>"));
	CHECK_STR(a.oa_route, "onvif/GetUsers");
	free(a.oa_body);
	free(b);
	free(tok);
	/* Created 10 minutes old, and one unreadable */
	tok = digest_token("admin", "IXAVP+HJziBukIGOVk/zLs96OMY=", "bm9uY2Uy",
	                   "2026-12-07T13:30:00+00:00");
	b = envelope(SOAP_NS_DEVICE, "GetUsers", NULL, tok);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 400 && a.oa_auth == ONVIF_AUTH_STALE);
	CHECK_STR(a.oa_route, "onvif/stale/GetUsers");
	free(a.oa_body);
	free(b);
	free(tok);
	tok = digest_token("admin", "IXAVP+HJziBukIGOVk/zLs96OMY=", "bm9uY2Uz", "yesterday");
	b = envelope(SOAP_NS_DEVICE, "GetUsers", NULL, tok);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_auth == ONVIF_AUTH_STALE);
	free(a.oa_body);
	free(b);
	free(tok);
	/* the same instant in another zone's spelling is not stale */
	tok = digest_token("admin", "x", "bm9uY2U0", "2026-12-07T22:41:00.123+09:00");
	b = envelope(SOAP_NS_DEVICE, "GetUsers", NULL, tok);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_auth == ONVIF_AUTH_REFUSED);
	free(a.oa_body);
	free(b);
	free(tok);
	/* PasswordText, right and wrong */
	tok = text_token("admin", "Secret9");
	b = envelope(SOAP_NS_DEVICE, "GetUsers", NULL, tok);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 200 && a.oa_login == ONVIF_LOGIN_CRED &&
	      has(&a, "<tt:Username>admin</tt:Username>"));
	CHECK_STR(a.oa_cred.ac_pass, "Secret9");
	free(a.oa_body);
	free(b);
	free(tok);
	tok = text_token("admin", "12345");
	b = envelope(SOAP_NS_DEVICE, "GetUsers", NULL, tok);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 400 && a.oa_login == ONVIF_LOGIN_CRED &&
	      a.oa_auth == ONVIF_AUTH_REFUSED);
	CHECK_STR(a.oa_cred.ac_pass, "12345");
	free(a.oa_body);
	free(b);
	free(tok);
	/* a credential on an open action is still an attempt */
	tok = text_token("root", "pass");
	b = envelope(SOAP_NS_DEVICE, "GetSystemDateAndTime", NULL, tok);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 200 && a.oa_login == ONVIF_LOGIN_CRED &&
	      a.oa_auth == ONVIF_AUTH_REFUSED);
	free(a.oa_body);
	free(b);
	free(tok);
}

static void test_http_auth_and_media(onvif_s *o)
{
	onvif_answer_s a;
	char *tok = text_token("admin", "Secret9");
	char *b = envelope(SOAP_NS_DEVICE, "GetNetworkInterfaces", NULL, NULL);

	/* Basic: right; Digest: wrong, answered with the challenge */
	ask(o, b, strlen(b), "192.0.2.7", "Basic YWRtaW46U2VjcmV0OQ==", &a);
	CHECK(a.oa_status == 200 && a.oa_login == ONVIF_LOGIN_CRED);
	CHECK(has(&a, "<tt:Address>192.0.2.7</tt:Address>") && has(&a, "c0:56:e3:5c:62:69"));
	free(a.oa_body);
	ask(o, b, strlen(b), NULL,
	    "Digest username=\"admin\", realm=\"IP Camera(C6269)\", nonce=\"ab\", "
	    "uri=\"/onvif/device_service\", "
	    "response=\"00000000000000000000000000000000\"",
	    &a);
	CHECK(a.oa_status == 401 && a.oa_login == ONVIF_LOGIN_DIGEST &&
	      a.oa_digest.ad_kind == AUTHPARSE_DIGEST_HTTP);
	free(a.oa_body);
	free(b);
	/* the stream URI: the RTSP listener's port, '&' escaped; a hostile Host is not echoed */
	b = envelope(SOAP_NS_MEDIA, "GetStreamUri", "<a:ProfileToken>Profile_1</a:ProfileToken>",
	             tok);
	ask(o, b, strlen(b), "<x>&\"", NULL, &a);
	CHECK(a.oa_status == 200);
	CHECK(has(&a,
	          "<tt:Uri>rtsp://192.0.0.64:8554/Streaming/Channels/101?transportmode=unicast&amp;"
	          "profile=Profile_1</tt:Uri>"));
	CHECK(!has(&a, "<x>"));
	free(a.oa_body);
	free(b);
	b = envelope(SOAP_NS_MEDIA, "GetStreamUri", "<a:ProfileToken>Nope</a:ProfileToken>", tok);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 400 && has(&a, "ter:NoProfile"));
	free(a.oa_body);
	free(b);
	static const char *const media[] = {
	    "GetProfiles",    "GetVideoSources", "GetVideoEncoderConfigurations",
	    "GetSnapshotUri", "GetProfile",      NULL};
	for (int i = 0; media[i] != NULL; i++) {
		b = envelope(SOAP_NS_MEDIA, media[i], NULL, tok);
		ask(o, b, strlen(b), "198.51.100.3", NULL, &a);
		CHECK(a.oa_status == 200 && (i == 3 || has(&a, "2048")));
		free(a.oa_body);
		free(b);
	}
	b = envelope(SOAP_NS_MEDIA, "GetSnapshotUri", NULL, tok);
	ask(o, b, strlen(b), "198.51.100.3", NULL, &a);
	CHECK(has(&a, "http://198.51.100.3/ISAPI/Streaming/channels/101/picture"));
	free(a.oa_body);
	free(b);
	static const char *const device[] = {"GetScopes", "GetHostname", "GetServices", NULL};
	for (int i = 0; device[i] != NULL; i++) {
		b = envelope(SOAP_NS_DEVICE, device[i], NULL, tok);
		ask(o, b, strlen(b), NULL, NULL, &a);
		CHECK(a.oa_status == 200);
		free(a.oa_body);
		free(b);
	}
	free(tok);
}

static void test_hostile(onvif_s *o)
{
	onvif_answer_s a;
	char *b = malloc(SOAP_SIZE_MAX + 4096);
	size_t n;

	/* XXE: an external entity naming a local file */
	snprintf(
	    b, 4096,
	    "<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	    "%s<s:Body><a:GetHostname xmlns:a=\"%s\">&x;</a:GetHostname></s:Body></s:Envelope>",
	    ENV_OPEN, SOAP_NS_DEVICE);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 400 && has(&a, "ter:WellFormed") && !has(&a, "root:"));
	CHECK_STR(a.oa_route, "onvif/malformed");
	free(a.oa_body);
	/* billion laughs */
	n = (size_t)snprintf(b, 4096, "<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY l0 \"lol\">");
	for (int i = 1; i < 10; i++)
		n += (size_t)snprintf(
		    b + n, 4096 - n,
		    "<!ENTITY l%d \"&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;\">", i,
		    i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	snprintf(b + n, 4096 - n,
	         "]>%s<s:Body><a:GetHostname xmlns:a=\"%s\">&l9;</a:GetHostname>"
	         "</s:Body></s:Envelope>",
	         ENV_OPEN, SOAP_NS_DEVICE);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 400 && has(&a, "ter:WellFormed") && a.oa_len < 2048);
	free(a.oa_body);
	/* an undeclared entity without a DTD, and in UTF-16 clothing */
	snprintf(
	    b, 4096,
	    "%s<s:Body><a:GetHostname xmlns:a=\"%s\">&x;</a:GetHostname></s:Body></s:Envelope>",
	    ENV_OPEN, SOAP_NS_DEVICE);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 400 && has(&a, "ter:WellFormed"));
	free(a.oa_body);
	/* oversize: refused before parsing */
	memset(b, ' ', SOAP_SIZE_MAX + 1);
	ask(o, b, SOAP_SIZE_MAX + 1, NULL, NULL, &a);
	CHECK(a.oa_status == 400 && has(&a, "ter:WellFormed"));
	free(a.oa_body);
	/* deep */
	n = (size_t)snprintf(b, 4096, "%s<s:Body><a:GetHostname xmlns:a=\"%s\">", ENV_OPEN,
	                     SOAP_NS_DEVICE);
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(b + n, 4096 - n, "<d>");
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(b + n, 4096 - n, "</d>");
	snprintf(b + n, 4096 - n, "</a:GetHostname></s:Body></s:Envelope>");
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 400 && has(&a, "ter:WellFormed"));
	free(a.oa_body);
	/* SOAP 1.1, not XML, no Body, a Body in the wrong namespace, empty */
	snprintf(b, 4096,
	         "<e:Envelope xmlns:e=\"%s\"><e:Body><a:GetHostname "
	         "xmlns:a=\"%s\"/></e:Body></e:Envelope>",
	         SOAP_NS_ENV11, SOAP_NS_DEVICE);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(a.oa_status == 400 && has(&a, "VersionMismatch"));
	free(a.oa_body);
	static const char *const junk[] = {
	    "GET / HTTP/1.0",
	    "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"/>",
	    "<s:Envelope "
	    "xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><Body><GetHostname/></Body></"
	    "s:Envelope>",
	    "<Envelope><Body/></Envelope>",
	    "",
	    NULL};
	for (int i = 0; junk[i] != NULL; i++) {
		ask(o, junk[i], strlen(junk[i]), NULL, NULL, &a);
		CHECK(a.oa_status == 400 && has(&a, "ter:WellFormed"));
		free(a.oa_body);
	}
	free(b);
}

static void test_personas(void)
{
	router_match_s m;
	char err[128];
	onvif_s *o;
	onvif_answer_s a;
	char *b = envelope(SOAP_NS_DEVICE, "GetSystemDateAndTime", NULL, NULL);

	/* firmware without ONVIF keeps its 404 */
	router_match(persona_find("netwave"), "POST", "/onvif/device_service",
	             strlen("/onvif/device_service"), &m);
	CHECK(m.rm_result == ROUTER_NOT_FOUND);
	router_match(persona_find("panasonic"), "POST", "/onvif/device_service",
	             strlen("/onvif/device_service"), &m);
	CHECK(m.rm_result == ROUTER_NOT_FOUND);
	CHECK(onvif_new(persona_find("netwave"), "UTC", "", err, sizeof(err)) == NULL);
	router_match(persona_find("axis"), "POST", "/onvif/services", strlen("/onvif/services"),
	             &m);
	CHECK(m.rm_result == ROUTER_OK && m.rm_route->pr_kind == ROUTE_ONVIF);
	router_match(persona_find("hikvision"), "GET", "/onvif/device_service",
	             strlen("/onvif/device_service"), &m);
	CHECK(m.rm_result == ROUTER_BAD_METHOD);
	/* Axis: its MAC as serial, its zone */
	o = onvif_new(persona_find("axis"), "Asia/Tokyo", "", err, sizeof(err));
	CHECK(o != NULL);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(has(&a, "<tt:TZ>JST-9</tt:TZ>"));
	free(a.oa_body);
	free(b);
	char *tok = text_token("admin", "Secret9");
	b = envelope(SOAP_NS_DEVICE, "GetDeviceInformation", NULL, tok);
	ask(o, b, strlen(b), NULL, NULL, &a);
	CHECK(has(&a, "<tds:SerialNumber>ACCC8E4B21D7</tds:SerialNumber>") &&
	      has(&a, "<tds:Model>M1124</tds:Model>"));
	free(a.oa_body);
	free(b);
	b = envelope(SOAP_NS_MEDIA, "GetStreamUri", NULL, tok);
	ask(o, b, strlen(b), "203.0.113.5", NULL, &a);
	CHECK(has(&a, "rtsp://203.0.113.5:554/onvif-media/media.amp?profile=profile_1_h264&amp;"));
	free(a.oa_body);
	free(b);
	free(tok);
	onvif_free(o);
	onvif_free(NULL);
}

static void test_discovery(void)
{
	const persona_onvif_s *po = persona_find("axis")->pe_onvif;
	discovery_limit_s *l = discovery_limit_new();
	uint8_t a1[16] = {192, 0, 2, 1}, a[16] = {198, 51, 100};
	soap_probe_s p;
	char probe[2048], reply[4096];
	xmlDoc *doc;
	size_t n;
	int answered = 0;

	/* a Probe as clients send it; its MessageID echoed, escaped */
	snprintf(probe, sizeof(probe),
	         "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"%s\" xmlns:a=\"%s\"><s:Header>"
	         "<a:Action>%s/Probe</a:Action><a:MessageID>uuid:1&lt;2</a:MessageID></s:Header>"
	         "<s:Body><d:Probe xmlns:d=\"%s\"><d:Types "
	         "xmlns:dn=\"x\">dn:NetworkVideoTransmitter</d:Types>"
	         "</d:Probe></s:Body></s:Envelope>",
	         SOAP_NS_ENV, SOAP_NS_WSA, SOAP_NS_WSD, SOAP_NS_WSD);
	CHECK(soap_probe(probe, strlen(probe), &p) == SOAP_OK);
	CHECK_STR(p.sp_message_id.st_s, "uuid:1<2");
	CHECK(discovery_wanted(&p));
	n = discovery_match(po, &p, "10.0.0.9", 80, "uuid:x", reply, sizeof(reply));
	CHECK(n > 0 && strstr(reply, "<wsa:RelatesTo>uuid:1&lt;2</wsa:RelatesTo>") != NULL);
	CHECK(strstr(reply, "<d:XAddrs>http://10.0.0.9/onvif/device_service</d:XAddrs>") != NULL);
	CHECK(strstr(reply, "urn:uuid:5f5a69c2-e0ae-504f-829b-accc8e4b21d7") != NULL);
	doc = xmlReadMemory(reply, (int)n, "r.xml", NULL, XML_PARSE_NONET);
	CHECK(doc != NULL);
	xmlFreeDoc(doc);
	CHECK(discovery_match(po, &p, "10.0.0.9", 8080, "uuid:x", reply, 200) == 0);
	/* not a Probe: another action, a Resolve, a DTD */
	CHECK(soap_probe("<x/>", 4, &p) != SOAP_OK);
	snprintf(reply, sizeof(reply), "%s", probe);
	char *at = strstr(reply, "/Probe</a:Action>");
	memcpy(at, "/Hello", 6);
	CHECK(soap_probe(reply, strlen(reply), &p) != SOAP_OK);
	/* the byte rule: never more out than in, per address and window */
	discovery_limit_received(l, 4, a1, 600, 1000);
	CHECK(discovery_limit_take(l, 4, a1, 1300, 1000) == 0);
	discovery_limit_received(l, 4, a1, 600, 1100);
	CHECK(discovery_limit_take(l, 4, a1, 1300, 1100) == 0);
	discovery_limit_received(l, 4, a1, 600, 1200);
	CHECK(discovery_limit_take(l, 4, a1, 1300, 1200) == 1);
	/* 1800 in, 1300 out: 500 left, and one answer per address per second */
	discovery_limit_received(l, 4, a1, 5000, 1300);
	CHECK(discovery_limit_take(l, 4, a1, 1300, 1300) == 0);
	CHECK(discovery_limit_take(l, 4, a1, 1300, 2300) == 1);
	/* a new window forgets what came before: nothing to spend */
	CHECK(discovery_limit_take(l, 4, a1, 1300, 1000 + DISCOVERY_WINDOW_MS + 5000) == 0);
	/* globally, DISCOVERY_GLOBAL_PER_S at once however many senders */
	for (int i = 0; i < 3 * DISCOVERY_GLOBAL_PER_S; i++) {
		a[3] = (uint8_t)i;
		discovery_limit_received(l, 4, a, 5000, 200000);
		answered += discovery_limit_take(l, 4, a, 1300, 200000);
	}
	CHECK(answered == DISCOVERY_GLOBAL_PER_S);
	/* a table full of other senders never gives anyone a budget it did not send */
	for (int i = 0; i < 3 * DISCOVERY_ADDRS; i++) {
		uint8_t x[16] = {10, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
		discovery_limit_received(l, 4, x, 100, 300000);
	}
	for (int i = 0; i < 3 * DISCOVERY_ADDRS; i += 97) {
		uint8_t x[16] = {10, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
		CHECK(discovery_limit_take(l, 4, x, 101, 300500) == 0);
	}
	discovery_limit_free(l);
}

int main(void)
{
	char err[128];
	onvif_s *o;

	soap_init();
	o = onvif_new(persona_find("hikvision"), "UTC", "0.0.0.0:8554", err, sizeof(err));
	CHECK(o != NULL);
	if (o == NULL)
		return check_report();
	test_open_and_closed(o);
	test_wsse(o);
	test_http_auth_and_media(o);
	test_hostile(o);
	test_personas();
	test_discovery();
	onvif_free(o);
	soap_cleanup();
	return check_report();
}

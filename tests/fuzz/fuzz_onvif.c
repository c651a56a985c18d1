/* fuzz_onvif: the SOAP entry point and WS-Discovery's Probe reader. The input's first line is the
 * Host and the second the Authorization header (either may be empty); the rest is the POST body,
 * answered by the hikvision persona's ONVIF services. Every answer must be well-formed XML whatever
 * came in. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "discovery.h"
#include "onvif.h"
#include "soap.h"

static onvif_s *fuzz_onvif;

static int fuzz_accepts(void *arg, const authparse_cred_s *c, const authparse_digest_s *d)
{
	(void)arg;
	if (c != NULL)
		return strcmp(c->ac_user, "admin") == 0 && strcmp(c->ac_pass, "Secret9") == 0;
	return authparse_digest_check(d, "POST", "Secret9");
}

static const char *line(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));

	*len = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
	*p = nl != NULL ? nl + 1 : end;
	return *len > 0 ? s : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[128];
	const char *p = (const char *)data, *end = p + size;
	char host[128] = "", *auth;
	size_t hl, al;
	onvif_answer_s *a;
	onvif_request_s rq = {.oq_now_ms = 1796650800000LL, .oq_accepts = fuzz_accepts};

	if (fuzz_onvif == NULL) {
		soap_init();
		fuzz_onvif = onvif_new(persona_find("hikvision"), "Asia/Tokyo", "0.0.0.0:554", err,
		                       sizeof(err));
		if (fuzz_onvif == NULL)
			__builtin_trap();
	}
	const char *h = line(&p, end, &hl);
	if (h != NULL && hl < sizeof(host)) {
		memcpy(host, h, hl);
		host[hl] = '\0';
		rq.oq_host = host;
		rq.oq_host_len = hl;
	}
	const char *au = line(&p, end, &al);
	/* a copy: the header reader must not rely on what follows it */
	auth = au != NULL ? malloc(al) : NULL;
	if (auth != NULL) {
		memcpy(auth, au, al);
		rq.oq_auth = auth;
		rq.oq_auth_len = al;
	}
	rq.oq_body = p;
	rq.oq_body_len = (size_t)(end - p);
	if ((a = malloc(sizeof(*a))) != NULL && onvif_answer(fuzz_onvif, &rq, a) == 0) {
		xmlDoc *doc =
		    xmlReadMemory(a->oa_body, (int)a->oa_len, "a.xml", NULL,
		                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		if (doc == NULL || a->oa_route == NULL)
			__builtin_trap();
		xmlFreeDoc(doc);
		free(a->oa_body);
	}
	free(a);
	free(auth);
	/* the whole input as a discovery datagram: a ProbeMatch is well-formed too */
	soap_probe_s *pr = malloc(sizeof(*pr));
	char *m = malloc(DISCOVERY_DGRAM_MAX);
	if (pr != NULL && m != NULL && soap_probe((const char *)data, size, pr) == SOAP_OK) {
		size_t n = discovery_match(persona_find("axis")->pe_onvif, pr, "192.0.2.1", 80,
		                           "uuid:x", m, DISCOVERY_DGRAM_MAX);
		xmlDoc *doc = n > 0 ? xmlReadMemory(m, (int)n, "m.xml", NULL,
		                                    XML_PARSE_NONET | XML_PARSE_NOERROR)
		                    : NULL;
		if (n == 0 || doc == NULL)
			__builtin_trap();
		xmlFreeDoc(doc);
	}
	free(m);
	free(pr);
	return 0;
}

/* router: exact path matching against a persona's table, query ignored. */
#include "router.h"

#include <string.h>

void router_match(const persona_s *pe, const char *method, const char *path, size_t len,
                  router_match_s *out)
{
	const char *q = memchr(path, '?', len);
	size_t plen = q != NULL ? (size_t)(q - path) : len;
	int is_get = strcmp(method, "GET") == 0;
	int is_head = strcmp(method, "HEAD") == 0;
	int is_post = strcmp(method, "POST") == 0;
	const webface_s *wf = webface_of(pe);

	out->rm_result = ROUTER_NOT_FOUND;
	out->rm_route = NULL;
	out->rm_head = is_head;
	if (wf == NULL)
		return;
	for (const persona_route_s *r = wf->wf_routes; r->pr_path != NULL; r++) {
		if (strlen(r->pr_path) != plen || memcmp(r->pr_path, path, plen) != 0)
			continue;
		/* ONVIF is SOAP over POST only; logins post to login pages and
		 * protected CGIs; the rest is GET only. */
		if (r->pr_kind == ROUTE_ONVIF) {
			out->rm_result = is_post ? ROUTER_OK : ROUTER_BAD_METHOD;
			out->rm_route = is_post ? r : NULL;
		} else if (is_get || is_head ||
		           (is_post && (r->pr_kind == ROUTE_LOGIN || r->pr_kind == ROUTE_AUTH))) {
			out->rm_result = ROUTER_OK;
			out->rm_route = r;
		} else {
			out->rm_result = ROUTER_BAD_METHOD;
		}
		return;
	}
	if (!is_get && !is_head && !is_post)
		out->rm_result = ROUTER_BAD_METHOD;
}

/* visitor: identity fields copied once per request; events take them from here only. */
#include "visitor.h"

#include <stdlib.h>
#include <string.h>

int visitor_set(visitor_s *v, event_str_e which, const char *s, size_t n)
{
	bstr_s *b = &v->vi_str[which];
	size_t keep = n < event_str_max(which) ? n : event_str_max(which);

	free(b->bs_data);
	b->bs_data = NULL;
	b->bs_len = b->bs_orig = 0;
	if (s == NULL)
		return 0;
	if ((b->bs_data = malloc(keep + 1)) == NULL)
		return -1;
	memcpy(b->bs_data, s, keep);
	b->bs_data[keep] = '\0';
	b->bs_len = keep;
	b->bs_orig = n;
	return 0;
}

int visitor_target(visitor_s *v, const char *uri, size_t len)
{
	const char *q;
	size_t plen;
	int rc;

	if (uri == NULL)
		return 0;
	q = memchr(uri, '?', len);
	plen = q != NULL ? (size_t)(q - uri) : len;
	rc = visitor_set(v, EVS_PATH, uri, plen);
	rc |= visitor_set(v, EVS_QUERY, q != NULL ? q + 1 : NULL, q != NULL ? len - plen - 1 : 0);
	return rc;
}

void visitor_clear(visitor_s *v)
{
	for (int i = 0; i < EVS_MAX; i++) {
		free(v->vi_str[i].bs_data);
		v->vi_str[i].bs_data = NULL;
	}
}

event_s *visitor_event(const visitor_s *v, event_kind_e kind, int64_t now_ms)
{
	static const event_str_e request_fields[] = {EVS_METHOD,     EVS_PATH,    EVS_QUERY,
	                                             EVS_USER_AGENT, EVS_REFERER, EVS_FORWARDED};
	static const event_str_e view_fields[] = {EVS_PATH, EVS_USER_AGENT, EVS_REFERER};
	static const event_str_e exploit_fields[] = {EVS_METHOD,     EVS_PATH,      EVS_QUERY,
	                                             EVS_USER_AGENT, EVS_PAYLOAD,   EVS_IOC_URLS,
	                                             EVS_IOC_IPS,    EVS_IOC_HOSTS, EVS_IOC_FETCH};
	const event_str_e *fields = kind == EV_REQUEST   ? request_fields
	                            : kind == EV_EXPLOIT ? exploit_fields
	                                                 : view_fields;
	size_t nfields = kind == EV_REQUEST   ? sizeof(request_fields) / sizeof(request_fields[0])
	                 : kind == EV_EXPLOIT ? sizeof(exploit_fields) / sizeof(exploit_fields[0])
	                                      : sizeof(view_fields) / sizeof(view_fields[0]);
	const char *strs[EVS_MAX] = {NULL};
	size_t lens[EVS_MAX] = {0};
	event_s *ev;

	for (size_t i = 0; i < nfields; i++) {
		strs[fields[i]] = v->vi_str[fields[i]].bs_data;
		lens[fields[i]] = v->vi_str[fields[i]].bs_len;
	}
	if ((ev = event_new(kind, strs, lens)) == NULL)
		return NULL;
	/* The stored lengths are the bounded copies'; keep the originals. */
	for (size_t i = 0; i < nfields; i++)
		if (ev->ev_str[fields[i]] != NULL)
			ev->ev_orig_len[fields[i]] = v->vi_str[fields[i]].bs_orig;
	ev->ev_ts = now_ms;
	ev->ev_who = v->vi_who;
	ev->ev_referer_class = v->vi_referer_class != NULL ? v->vi_referer_class : "none";
	ev->ev_client_class = v->vi_client_class != NULL ? v->vi_client_class : "unknown";
	if (kind == EV_REQUEST)
		ev->ev_forwarded = v->vi_forwarded;
	return ev;
}

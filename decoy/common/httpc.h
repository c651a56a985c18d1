/* httpc: one HTTP POST over libcurl, set up alike for the shipper, the webhook and the report's
 * ClickHouse client: http and https only, no redirects, no signals, bounded connect and total
 * times, a User-Agent, no "Expect: 100-continue"; the answer's bytes handed over with their
 * status; curl's own words for a failure. The only file that includes <curl/curl.h>. */
#ifndef CAMDECOY_HTTPC_H
#define CAMDECOY_HTTPC_H

#include <stddef.h>

typedef struct httpc httpc_s;

/* The answer's bytes as they arrive, with its status code: return n to go
 * on; anything else stops the transfer (httpc_post then fails). */
typedef size_t (*httpc_answer_fn)(void *arg, long status, const char *p, size_t n);

typedef struct {
	const char *hr_url;                /* borrowed */
	const char *hr_agent;              /* User-Agent */
	long hr_connect_ms, hr_timeout_ms; /* > 0 */
	const char *hr_content_type;       /* NULL: none */
	const char *hr_user, *hr_password; /* Basic authentication; NULL: none */
	httpc_answer_fn hr_answer;         /* NULL: the answer is discarded */
	void *hr_arg;
} httpc_req_s;

/* Once per process before any thread uses http (libcurl's global set-up),
 * and its pair at the end. */
void httpc_global_init(void);
void httpc_global_cleanup(void);

/* A connection cache for one thread at a time. NULL when out of memory. */
httpc_s *httpc_new(void);
void httpc_free(httpc_s *h);

/* POSTs len bytes of body to r->hr_url. The answer's status code, or -1
 * when none came or hr_answer stopped it, with err filled by curl's words. */
long httpc_post(httpc_s *h, const httpc_req_s *r, const void *body, size_t len, char *err,
                size_t errlen);

/* s percent-encoded for a URL's query; the caller frees it (free()).
 * NULL when out of memory. */
char *httpc_escape(const char *s);

#endif

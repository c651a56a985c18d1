/* httpc: the one libcurl set-up (see http.h). */
#include "httpc.h"

#include <curl/curl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct httpc {
	CURL *h_curl;
	struct curl_slist *h_headers;
};

/* What the write callback needs: the caller's function and the handle to
 * read the status from. */
typedef struct {
	const httpc_req_s *a_req;
	CURL *a_curl;
	long a_status;
} answer_s;

void httpc_global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void httpc_global_cleanup(void)
{
	curl_global_cleanup();
}

httpc_s *httpc_new(void)
{
	httpc_s *h = calloc(1, sizeof(*h));

	if (h == NULL || (h->h_curl = curl_easy_init()) == NULL) {
		free(h);
		return NULL;
	}
	return h;
}

void httpc_free(httpc_s *h)
{
	if (h == NULL)
		return;
	curl_easy_cleanup(h->h_curl);
	curl_slist_free_all(h->h_headers);
	free(h);
}

static size_t on_answer(char *p, size_t size, size_t n, void *arg)
{
	answer_s *a = arg;

	if (a->a_status == 0)
		curl_easy_getinfo(a->a_curl, CURLINFO_RESPONSE_CODE, &a->a_status);
	if (a->a_req->hr_answer == NULL)
		return size * n;
	return a->a_req->hr_answer(a->a_req->hr_arg, a->a_status, p, size * n);
}

/* The request's headers: no "Expect: 100-continue" (libcurl adds it to
 * large bodies, then waits for an answer a server may not send), and the
 * content type if any. 0 or -1. */
static int headers(httpc_s *h, const char *content_type)
{
	char line[160];

	curl_slist_free_all(h->h_headers);
	h->h_headers = curl_slist_append(NULL, "Expect:");
	if (h->h_headers == NULL)
		return -1;
	if (content_type == NULL)
		return 0;
	snprintf(line, sizeof(line), "Content-Type: %s", content_type);
	struct curl_slist *more = curl_slist_append(h->h_headers, line);
	if (more == NULL)
		return -1;
	h->h_headers = more;
	return 0;
}

long httpc_post(httpc_s *h, const httpc_req_s *r, const void *body, size_t len, char *err,
                size_t errlen)
{
	CURL *c = h->h_curl;
	answer_s a = {r, c, 0};
	CURLcode rc;

	if (headers(h, r->hr_content_type) != 0) {
		snprintf(err, errlen, "%s", curl_easy_strerror(CURLE_OUT_OF_MEMORY));
		return -1;
	}
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, r->hr_url);
	/* Only the configured server: no redirects, no other protocols, no signals. */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, r->hr_connect_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, r->hr_timeout_ms);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_answer);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	curl_easy_setopt(c, CURLOPT_USERAGENT, r->hr_agent);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->h_headers);
	if (r->hr_user != NULL) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, r->hr_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, r->hr_password != NULL ? r->hr_password : "");
	}
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s", curl_easy_strerror(rc));
		return -1;
	}
	if (a.a_status == 0)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.a_status);
	return a.a_status;
}

char *httpc_escape(const char *s)
{
	char *q = curl_easy_escape(NULL, s, 0), *own;

	if (q == NULL)
		return NULL;
	own = strdup(q);
	curl_free(q);
	return own;
}

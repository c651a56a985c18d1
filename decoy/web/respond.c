/* respond: the persona's pages rendered at start-up, and the header blocks of every answer. */
#include "respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assets.h"
#include "clock.h"
#include "rand.h"

static const unsigned int error_status[RESPOND_NERRORS] = {400, 401, 404, 405, 413,
                                                           414, 431, 500, 503};

typedef struct {
	char *pg_body;
	size_t pg_len;
	const char *pg_mime;
} page_s;

struct respond {
	const webface_s *rs_wf;
	int64_t rs_start_mono;
	page_s *rs_pages; /* parallel to the persona's routes */
	size_t rs_npages;
	page_s rs_errors[RESPOND_NERRORS];
};

static int render_page(page_s *pg, const char *asset_path, const asset_var_s *vars, size_t nvars,
                       char *err, size_t errlen)
{
	const asset_s *as = assets_find(asset_path);

	if (as == NULL) {
		snprintf(err, errlen, "web: web_ui asset %s is missing from the build", asset_path);
		return -1;
	}
	pg->pg_body = assets_render(as, vars, nvars, &pg->pg_len);
	pg->pg_mime = assets_mime(asset_path);
	if (pg->pg_body == NULL) {
		snprintf(err, errlen, "web: out of memory");
		return -1;
	}
	return 0;
}

respond_s *respond_new(const config_s *cfg, char *err, size_t errlen)
{
	respond_s *r = calloc(1, sizeof(*r));
	const persona_s *pe = cfg->cfg_persona;
	char w[16], h[16], fps[16];
	size_t n = 0;

	if (r == NULL) {
		snprintf(err, errlen, "web: out of memory");
		return NULL;
	}
	if ((r->rs_wf = webface_of(pe)) == NULL) {
		snprintf(err, errlen, "web: persona %s has no web pages", pe->pe_name);
		free(r);
		return NULL;
	}
	r->rs_start_mono = clock_mono_ms();
	snprintf(w, sizeof(w), "%d", cfg->cfg_w);
	snprintf(h, sizeof(h), "%d", cfg->cfg_h);
	snprintf(fps, sizeof(fps), "%d", cfg->cfg_fps);
	const asset_var_s vars[] = {
	    {"CAMERA_NAME", cfg->cfg_camera_name},
	    {"MODEL", pe->pe_model},
	    {"WIDTH", w},
	    {"HEIGHT", h},
	    {"FPS", fps},
	};
	const size_t nvars = sizeof(vars) / sizeof(vars[0]);

	while (r->rs_wf->wf_routes[n].pr_path != NULL)
		n++;
	r->rs_pages = calloc(n, sizeof(page_s));
	r->rs_npages = n;
	if (r->rs_pages == NULL) {
		snprintf(err, errlen, "web: out of memory");
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		if ((r->rs_wf->wf_routes[i].pr_kind == ROUTE_PAGE ||
		     r->rs_wf->wf_routes[i].pr_kind == ROUTE_LOGIN) &&
		    render_page(&r->rs_pages[i], r->rs_wf->wf_routes[i].pr_arg, vars, nvars, err,
		                errlen) != 0)
			goto fail;
	for (int i = 0; i < RESPOND_NERRORS; i++) {
		char path[64];
		snprintf(path, sizeof(path), "%s/%u%s", pe->pe_name, error_status[i],
		         r->rs_wf->wf_error_ext);
		if (render_page(&r->rs_errors[i], path, vars, nvars, err, errlen) != 0)
			goto fail;
	}
	return r;
fail:
	respond_free(r);
	return NULL;
}

void respond_free(respond_s *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; r->rs_pages != NULL && i < r->rs_npages; i++)
		free(r->rs_pages[i].pg_body);
	free(r->rs_pages);
	for (int i = 0; i < RESPOND_NERRORS; i++)
		free(r->rs_errors[i].pg_body);
	free(r);
}

static void add_header(reply_s *out, const char *name, const char *value)
{
	if (out->rp_nheaders < REPLY_HEADERS_MAX) {
		out->rp_name[out->rp_nheaders] = name;
		out->rp_value[out->rp_nheaders++] = value;
	}
}

static void add_headers(reply_s *out, const persona_header_s *h)
{
	for (; h != NULL && h->ph_name != NULL; h++)
		add_header(out, h->ph_name, h->ph_value);
}

/* What every answer of the persona has: status, Server, Date. */
static void begin(const respond_s *r, reply_s *out, unsigned int status, const char *route)
{
	const webface_s *wf = r->rs_wf;
	struct tm tm;
	time_t t;

	memset(out, 0, sizeof(*out));
	out->rp_status = status;
	out->rp_route = route;
	out->rp_wf = wf;
	if (wf->wf_no_date)
		return;
	/* Cameras without a real-time clock count from 1970 since boot. */
	t = wf->wf_epoch_date ? (time_t)((clock_mono_ms() - r->rs_start_mono) / 1000) : time(NULL);
	gmtime_r(&t, &tm);
	strftime(out->rp_date, sizeof(out->rp_date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static void page_body(reply_s *out, const page_s *pg)
{
	add_headers(out, out->rp_wf->wf_page_headers);
	out->rp_type = pg->pg_mime;
	out->rp_body = (const uint8_t *)pg->pg_body;
	out->rp_len = pg->pg_len;
}

const char *respond_boundary(const respond_s *r)
{
	return r->rs_wf->wf_boundary;
}

void respond_page(const respond_s *r, reply_s *out, const persona_route_s *route)
{
	begin(r, out, 200, "page");
	page_body(out, &r->rs_pages[route - r->rs_wf->wf_routes]);
}

void respond_error(const respond_s *r, reply_s *out, respond_error_e which)
{
	begin(r, out, error_status[which], "error");
	page_body(out, &r->rs_errors[which]);
}

void respond_redirect(const respond_s *r, reply_s *out, const char *to)
{
	begin(r, out, 302, "redirect");
	add_headers(out, r->rs_wf->wf_page_headers);
	add_header(out, "Location", to);
}

static void challenge(reply_s *out, const char *tmpl)
{
	const char *mark = strstr(tmpl, "@NONCE@");
	unsigned char raw[16];
	char nonce[33];

	/* The nonce is never checked (every login fails), but a constant one
	 * would mark the decoy: without the system's randomness it still varies. */
	if (rand_bytes(raw, sizeof(raw)) != 0)
		rand_weak(raw, sizeof(raw));
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(nonce + 2 * i, 3, "%02x", raw[i]);
	if (mark != NULL)
		snprintf(out->rp_challenge, sizeof(out->rp_challenge), "%.*s%s%s",
		         (int)(mark - tmpl), tmpl, nonce, mark + 7);
	else
		snprintf(out->rp_challenge, sizeof(out->rp_challenge), "%s", tmpl);
}

void respond_auth(const respond_s *r, reply_s *out)
{
	begin(r, out, 401, "auth");
	challenge(out, r->rs_wf->wf_auth);
	page_body(out, &r->rs_errors[ERR_401]);
	add_header(out, "WWW-Authenticate", out->rp_challenge);
}

void respond_soap(const respond_s *r, reply_s *out, unsigned int status, const char *route,
                  char *body, size_t len, int with_challenge)
{
	begin(r, out, status, route);
	add_headers(out, r->rs_wf->wf_page_headers);
	if (with_challenge) {
		challenge(out, r->rs_wf->wf_auth);
		add_header(out, "WWW-Authenticate", out->rp_challenge);
	}
	out->rp_type = "application/soap+xml; charset=utf-8";
	out->rp_body = (const uint8_t *)body;
	out->rp_len = len;
	out->rp_release = free;
	out->rp_release_arg = body;
}

void respond_image(const respond_s *r, reply_s *out, const uint8_t *jpeg, size_t len,
                   void (*release)(void *), void *arg)
{
	begin(r, out, 200, "snapshot");
	add_headers(out, r->rs_wf->wf_image_headers);
	out->rp_type = "image/jpeg";
	out->rp_body = jpeg;
	out->rp_len = len;
	out->rp_release = release;
	out->rp_release_arg = arg;
}

void respond_data(const respond_s *r, reply_s *out, unsigned status, const char *type,
                  const uint8_t *body, size_t len, void (*release)(void *), void *arg)
{
	begin(r, out, status, "exploit");
	add_headers(out, r->rs_wf->wf_page_headers);
	out->rp_type = type;
	out->rp_body = body;
	out->rp_len = len;
	out->rp_release = release;
	out->rp_release_arg = arg;
}

void respond_header(reply_s *out, const char *name, const char *value)
{
	add_header(out, name, value);
}

void respond_stream(const respond_s *r, reply_s *out, int head_only)
{
	begin(r, out, 200, "stream");
	add_headers(out, r->rs_wf->wf_stream_headers);
	out->rp_type = r->rs_wf->wf_stream_type;
	out->rp_kind = head_only ? REPLY_STREAM_HEAD : REPLY_STREAM;
}

static const char *reason(unsigned int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 204:
		return "No Content";
	case 302:
		return "Found";
	case 303:
		return "See Other";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 413:
		return "Request Entity Too Large";
	case 414:
		return "Request-URI Too Long";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 503:
		return "Service Unavailable";
	}
	return "Error";
}

/* Appends "name: value\r\n"; 0, or -1 when it does not fit. */
static int put(char *buf, size_t cap, size_t *n, const char *name, const char *value)
{
	int k = snprintf(buf + *n, cap - *n, "%s: %s\r\n", name, value);

	if (k < 0 || (size_t)k >= cap - *n)
		return -1;
	*n += (size_t)k;
	return 0;
}

size_t respond_head(const reply_s *rp, char *buf, size_t cap)
{
	const webface_s *wf = rp->rp_wf;
	char len[24];
	size_t n = 0;
	int k = snprintf(buf, cap, "%s %u %s\r\n", wf->wf_version, rp->rp_status,
	                 reason(rp->rp_status)),
	    bad = 0;

	if (k < 0 || (size_t)k >= cap)
		return 0;
	n = (size_t)k;
	snprintf(len, sizeof(len), "%zu", rp->rp_len);
	for (const char *o = wf->wf_order; *o != '\0' && !bad; o++) {
		switch (*o) {
		case 'S':
			bad = wf->wf_server != NULL &&
			      put(buf, cap, &n, "Server", wf->wf_server) != 0;
			break;
		case 'D':
			bad = rp->rp_date[0] != '\0' && put(buf, cap, &n, "Date", rp->rp_date) != 0;
			break;
		case 'X':
			for (size_t i = 0; i < rp->rp_nheaders && !bad; i++)
				bad = put(buf, cap, &n, rp->rp_name[i], rp->rp_value[i]) != 0;
			break;
		case 'C':
			bad = put(buf, cap, &n, "Connection", "close") != 0;
			break;
		case 'T':
			bad = rp->rp_type != NULL &&
			      put(buf, cap, &n, wf->wf_type_name, rp->rp_type) != 0;
			break;
		case 'L':
			bad = rp->rp_kind == REPLY_BODY &&
			      put(buf, cap, &n, "Content-Length", len) != 0;
			break;
		}
	}
	if (bad || cap - n < 3)
		return 0;
	memcpy(buf + n, "\r\n", 3);
	return n + 2;
}

void reply_release(reply_s *rp)
{
	if (rp->rp_release != NULL)
		rp->rp_release(rp->rp_release_arg);
	rp->rp_release = NULL;
}

/* respond: the persona's pages rendered at start-up, and the header blocks of every answer. */
#include "respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assets.h"
#include "clock.h"
#include "rand.h"

static const unsigned int error_status[RESPOND_NERRORS] = {401, 404, 405, 413, 414, 431, 500, 503};

typedef struct {
	char *pg_body;
	size_t pg_len;
	const char *pg_mime;
} page_s;

struct respond {
	const persona_s *rs_pe;
	int64_t rs_start_mono;
	page_s *rs_pages; /* parallel to the persona's routes */
	size_t rs_npages;
	page_s rs_errors[RESPOND_NERRORS];
};

static int render_page(page_s *pg, const char *asset_path, const asset_var_s *vars, size_t nvars, char *err,
                       size_t errlen)
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
	r->rs_pe = pe;
	r->rs_start_mono = clock_mono_ms();
	snprintf(w, sizeof(w), "%d", cfg->cfg_w);
	snprintf(h, sizeof(h), "%d", cfg->cfg_h);
	snprintf(fps, sizeof(fps), "%d", cfg->cfg_fps);
	const asset_var_s vars[] = {
		{"CAMERA_NAME", cfg->cfg_camera_name}, {"MODEL", pe->pe_model}, {"WIDTH", w}, {"HEIGHT", h}, {"FPS", fps},
	};
	const size_t nvars = sizeof(vars) / sizeof(vars[0]);

	while (pe->pe_routes[n].pr_path != NULL)
		n++;
	r->rs_pages = calloc(n, sizeof(page_s));
	r->rs_npages = n;
	if (r->rs_pages == NULL) {
		snprintf(err, errlen, "web: out of memory");
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		if ((pe->pe_routes[i].pr_kind == ROUTE_PAGE || pe->pe_routes[i].pr_kind == ROUTE_LOGIN) &&
		    render_page(&r->rs_pages[i], pe->pe_routes[i].pr_arg, vars, nvars, err, errlen) != 0)
			goto fail;
	const char *const error_assets[RESPOND_NERRORS] = {
		pe->pe_401_asset, pe->pe_404_asset, pe->pe_405_asset, pe->pe_413_asset,
		pe->pe_414_asset, pe->pe_431_asset, pe->pe_500_asset, pe->pe_503_asset,
	};
	for (int i = 0; i < RESPOND_NERRORS; i++)
		if (render_page(&r->rs_errors[i], error_assets[i], vars, nvars, err, errlen) != 0)
			goto fail;
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

/* What every answer of the persona starts with: the status, the HTTP
 * version it speaks, Server, then Date in the firmware's order. */
static void begin(const respond_s *r, reply_s *out, unsigned int status, const char *route)
{
	const persona_s *pe = r->rs_pe;

	memset(out, 0, sizeof(*out));
	out->rp_status = status;
	out->rp_route = route;
	out->rp_http10 = pe->pe_http10;
	if (pe->pe_server != NULL)
		add_header(out, "Server", pe->pe_server);
	if (pe->pe_epoch_date) {
		/* Cameras without a real-time clock count from 1970 since boot. */
		time_t up = (time_t)((clock_mono_ms() - r->rs_start_mono) / 1000);
		struct tm tm;
		gmtime_r(&up, &tm);
		strftime(out->rp_date, sizeof(out->rp_date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
		add_header(out, "Date", out->rp_date);
	}
}

static void page_body(reply_s *out, const page_s *pg)
{
	add_header(out, "Content-Type", pg->pg_mime);
	out->rp_body = (const uint8_t *)pg->pg_body;
	out->rp_len = pg->pg_len;
}

void respond_page(const respond_s *r, reply_s *out, const persona_route_s *route)
{
	begin(r, out, 200, "page");
	page_body(out, &r->rs_pages[route - r->rs_pe->pe_routes]);
}

void respond_error(const respond_s *r, reply_s *out, respond_error_e which)
{
	begin(r, out, error_status[which], "error");
	page_body(out, &r->rs_errors[which]);
}

void respond_redirect(const respond_s *r, reply_s *out, const char *to)
{
	begin(r, out, 302, "redirect");
	add_header(out, "Location", to);
}

void respond_auth(const respond_s *r, reply_s *out)
{
	const char *tmpl = r->rs_pe->pe_auth, *mark = strstr(tmpl, "@NONCE@");
	unsigned char raw[16];
	char nonce[33];

	begin(r, out, 401, "auth");
	/* The nonce is never checked (every login fails), but a constant one
	 * would mark the decoy: without the system's randomness it still varies. */
	if (rand_bytes(raw, sizeof(raw)) != 0)
		rand_weak(raw, sizeof(raw));
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(nonce + 2 * i, 3, "%02x", raw[i]);
	if (mark != NULL)
		snprintf(out->rp_challenge, sizeof(out->rp_challenge), "%.*s%s%s", (int)(mark - tmpl), tmpl, nonce,
		         mark + 7);
	else
		snprintf(out->rp_challenge, sizeof(out->rp_challenge), "%s", tmpl);
	add_header(out, "WWW-Authenticate", out->rp_challenge);
	page_body(out, &r->rs_errors[ERR_401]);
}

void respond_image(const respond_s *r, reply_s *out, const uint8_t *jpeg, size_t len, void (*release)(void *),
                   void *arg)
{
	begin(r, out, 200, "snapshot");
	add_headers(out, r->rs_pe->pe_image_headers);
	out->rp_body = jpeg;
	out->rp_len = len;
	out->rp_release = release;
	out->rp_release_arg = arg;
}

void respond_stream(const respond_s *r, reply_s *out, int head_only)
{
	begin(r, out, 200, "stream");
	add_headers(out, r->rs_pe->pe_stream_headers);
	out->rp_kind = head_only ? REPLY_STREAM_HEAD : REPLY_STREAM;
	out->rp_close = 1;
}

void reply_release(reply_s *rp)
{
	if (rp->rp_release != NULL)
		rp->rp_release(rp->rp_release_arg);
	rp->rp_release = NULL;
}

/* http: libmicrohttpd daemon, persona responses, MJPEG streams and snapshots.
 *
 * Streams never block the polling thread: a viewer with nothing to send is
 * suspended and parked in the hub, which resumes it when the next frame is
 * published (or when the hub stops). */
#include "server.h"

#include <microhttpd.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "assets.h"
#include "authparse.h"
#include "budget.h"
#include "classify.h"
#include "guard.h"
#include "login.h"
#include "log.h"
#include "netaddr.h"
#include "polls.h"
#include "rand.h"
#include "router.h"

/* Small send buffers make a slow viewer skip frames instead of queueing
 * seconds of them in the kernel (the kernel doubles this value). */
#define HTTP_SNDBUF 32768
/* Per-response buffer that MHD allocates for callback responses. Each block
 * is one callback and one send: 8 KiB cost 36 us of server CPU per 640x480
 * frame (35 KB, five blocks) at 500 viewers x 15 fps, 24 KiB 20 us, for
 * 40 and 56 KiB of RSS per viewer (make bench, P1 and P4). */
#define HTTP_STREAM_BLOCK 24576
/* A request body larger than this is refused (login forms are small). */
#define HTTP_BODY_MAX 4096
/* A stream view's progress reaches the database this often, so that a crash
 * can close it at (nearly) its last frame. */
#define HTTP_PROGRESS_MS 2000
/* Poll viewers remembered at once. */
#define HTTP_POLLS_MAX 65536
/* Networks whose detail budget is tracked at once. */
#define HTTP_BUDGET_KEYS 65536

/* Every error status the decoy answers with a page of the persona's. */
enum { ERR_401, ERR_404, ERR_405, ERR_413, ERR_414, ERR_431, ERR_500, ERR_503, HTTP_NERRORS };
static const unsigned int http_error_codes[HTTP_NERRORS] = {
	MHD_HTTP_UNAUTHORIZED, MHD_HTTP_NOT_FOUND, MHD_HTTP_METHOD_NOT_ALLOWED, MHD_HTTP_CONTENT_TOO_LARGE,
	MHD_HTTP_URI_TOO_LONG, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE, MHD_HTTP_INTERNAL_SERVER_ERROR,
	MHD_HTTP_SERVICE_UNAVAILABLE,
};

typedef struct {
	char *pg_body;
	size_t pg_len;
	const char *pg_mime;
} page_s;

struct http {
	const config_s *srv_cfg;
	const persona_s *srv_pe;
	hub_s *srv_hub;
	struct MHD_Daemon *srv_mhd;
	int srv_listen_fd;
	page_s *srv_pages; /* parallel to the persona's routes */
	size_t srv_npages;
	page_s srv_errors[HTTP_NERRORS]; /* the persona's error pages, as http_error_codes */
	/* the persona answers 414 and 431 itself below libmicrohttpd's limits */
	size_t srv_uri_max, srv_headers_max;
	guard_s *srv_guard;
	budget_s *srv_budget;
	atomic_ullong srv_requests_seen, srv_no_request, srv_stream_limit;
	int64_t srv_start_mono;
	store_s *srv_store;
	const geo_s *srv_geo;
	polls_s *srv_polls;
	camera_s *srv_cam;
	login_ctx_s srv_login;
	int srv_per_viewer; /* trap credentials spliced per viewer */
};

/* Per-connection state: the peer's address and country, looked up once. */
typedef struct {
	char cn_ip[46];
	uint16_t cn_port;
	char cn_country[3];
	int cn_family;
	uint8_t cn_addr[16];
	int cn_proxy; /* the peer is a trusted proxy */
	unsigned cn_requests; /* request lines seen */
	guard_conn_s cn_guard;
} conn_s;

/* Per-request state. It is created when the request line arrives (so that
 * even requests libmicrohttpd rejects are recorded) and referenced by MHD
 * (until the completion notice) and by a stream response (until it is
 * freed); the last release records the request and closes its view. */
typedef struct {
	int rq_refs;
	http_s *rq_srv;
	conn_s *rq_conn;         /* until the completion notice; NULL if unknown */
	guard_addr_s rq_gaddr;   /* the peer, for its stream count */
	int rq_streaming;        /* counted by guard_stream_begin */
	int rq_limit_end;        /* the stream reached max-stream-seconds */
	int rq_budgeted, rq_detailed; /* the detail budget was asked / granted */
	char rq_net[64];         /* the client's /24 or /64 */
	int rq_uri_too_long, rq_headers_too_big;
	hub_waiter_s rq_waiter;
	int64_t rq_ts;
	char *rq_path, *rq_query; /* raw request target split at '?', each bounded */
	size_t rq_path_len, rq_path_orig, rq_query_len, rq_query_orig;
	int rq_seen;             /* the access handler ran: headers below are valid */
	char rq_method[EV_METHOD_MAX + 1];
	char *rq_ua, *rq_referer, *rq_xff;
	size_t rq_ua_len, rq_ua_orig, rq_referer_len, rq_referer_orig, rq_xff_len, rq_xff_orig;
	char rq_ip[46], rq_peer_ip[46], rq_country[3];
	uint16_t rq_port;
	const char *rq_referer_class, *rq_client_class, *rq_route;
	unsigned int rq_status;
	uint64_t rq_bytes;
	size_t rq_body_len;
	char *rq_body; /* POST body of a login form, bounded by HTTP_BODY_MAX */
	int rq_body_too_big;
	int rq_snapshot_waited;
	enum MHD_RequestTerminationCode rq_toe;
	/* stream state: a part is sent as up to five pieces (part header,
	 * JPEG before the viewer's note, the note, JPEG after it, CRLF) */
	frame_s *rq_frame;
	uint64_t rq_last_seq;
	const uint8_t *rq_piece[5];
	size_t rq_piece_len[5];
	int rq_npieces, rq_piece_i;
	size_t rq_piece_off;
	char rq_head[160];
	int rq_shutdown;
	/* the viewer's trap credential and its note bands (per-viewer mode) */
	trap_cred_s rq_cred;
	uint8_t *rq_note;
	size_t rq_note_len;
	/* view state */
	int64_t rq_view_id;
	const char *rq_view_kind;
	int64_t rq_view_started, rq_last_frame_at, rq_last_progress;
	uint64_t rq_frames;
} request_s;

static void conn_park(hub_waiter_s *w)
{
	MHD_suspend_connection(w->hw_arg);
}

static void conn_wake(hub_waiter_s *w)
{
	MHD_resume_connection(w->hw_arg);
}

/* ---- responses ---- */

static void add_headers(struct MHD_Response *resp, const persona_header_s *h)
{
	for (; h != NULL && h->ph_name != NULL; h++)
		MHD_add_response_header(resp, h->ph_name, h->ph_value);
}

/* Headers every answer of the persona carries, first, in the firmware's
 * order (Server, then Date), and the HTTP version it speaks. libmicrohttpd
 * itself still puts "Connection" first: see the README's fingerprint notes. */
static void persona_begin(http_s *srv, struct MHD_Response *resp, int close_after)
{
	const persona_s *pe = srv->srv_pe;

	if (pe->pe_server != NULL)
		MHD_add_response_header(resp, "Server", pe->pe_server);
	if (pe->pe_epoch_date) {
		/* Cameras without a real-time clock count from 1970 since boot. */
		char date[64];
		time_t up = (time_t)((hub_mono_ms() - srv->srv_start_mono) / 1000);
		struct tm tm;
		gmtime_r(&up, &tm);
		strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
		MHD_add_response_header(resp, "Date", date);
	}
	if (pe->pe_http10)
		MHD_set_response_options(resp, MHD_RF_HTTP_VERSION_1_0_RESPONSE, MHD_RO_END);
	else if (close_after)
		MHD_set_response_options(resp, MHD_RF_HTTP_VERSION_1_0_ONLY, MHD_RO_END);
}

/* ---- events ---- */

/* An event carrying the request's identity and (for requests) its strings. */
static event_s *request_event(const request_s *rq, event_kind_e kind)
{
	const char *strs[EVS_MAX] = {NULL};
	size_t lens[EVS_MAX] = {0};
	event_s *ev;

	strs[EVS_PATH] = rq->rq_path;
	lens[EVS_PATH] = rq->rq_path_len;
	if (kind == EV_REQUEST) {
		strs[EVS_QUERY] = rq->rq_query;
		lens[EVS_QUERY] = rq->rq_query_len;
	}
	if (kind == EV_REQUEST && rq->rq_method[0]) {
		strs[EVS_METHOD] = rq->rq_method;
		lens[EVS_METHOD] = strlen(rq->rq_method);
	}
	strs[EVS_USER_AGENT] = rq->rq_ua;
	lens[EVS_USER_AGENT] = rq->rq_ua_len;
	strs[EVS_REFERER] = rq->rq_referer;
	lens[EVS_REFERER] = rq->rq_referer_len;
	if (kind == EV_REQUEST) {
		strs[EVS_FORWARDED] = rq->rq_xff;
		lens[EVS_FORWARDED] = rq->rq_xff_len;
	}
	ev = event_new(kind, strs, lens);
	if (ev == NULL)
		return NULL;
	/* The stored lengths are the bounded copies'; keep the originals. */
	if (rq->rq_ua != NULL)
		ev->ev_orig_len[EVS_USER_AGENT] = rq->rq_ua_orig;
	if (rq->rq_referer != NULL)
		ev->ev_orig_len[EVS_REFERER] = rq->rq_referer_orig;
	if (ev->ev_str[EVS_FORWARDED] != NULL)
		ev->ev_orig_len[EVS_FORWARDED] = rq->rq_xff_orig;
	if (rq->rq_path != NULL)
		ev->ev_orig_len[EVS_PATH] = rq->rq_path_orig;
	if (ev->ev_str[EVS_QUERY] != NULL)
		ev->ev_orig_len[EVS_QUERY] = rq->rq_query_orig;
	ev->ev_ts = clock_wall_ms();
	memcpy(ev->ev_ip, rq->rq_ip, sizeof(ev->ev_ip));
	memcpy(ev->ev_peer_ip, rq->rq_peer_ip, sizeof(ev->ev_peer_ip));
	memcpy(ev->ev_country, rq->rq_country, sizeof(ev->ev_country));
	ev->ev_port = rq->rq_port;
	ev->ev_referer_class = rq->rq_referer_class != NULL ? rq->rq_referer_class : "none";
	ev->ev_client_class = rq->rq_client_class != NULL ? rq->rq_client_class : "unknown";
	ev->ev_view_id = rq->rq_view_id;
	ev->ev_view_kind = rq->rq_view_kind;
	return ev;
}

static void view_event(request_s *rq, event_kind_e kind, const char *end_reason)
{
	event_s *ev = request_event(rq, kind);

	if (ev != NULL) {
		ev->ev_started_at = rq->rq_view_started;
		ev->ev_last_frame_at = rq->rq_last_frame_at;
		ev->ev_frames = rq->rq_frames;
		ev->ev_bytes = rq->rq_bytes;
		ev->ev_end_reason = end_reason;
		if (kind == EV_VIEW_OPEN) {
			snprintf(ev->ev_trap_user, sizeof(ev->ev_trap_user), "%s", rq->rq_cred.tc_user);
			snprintf(ev->ev_trap_pass, sizeof(ev->ev_trap_pass), "%s", rq->rq_cred.tc_pass);
		}
		/* A stream view ends at the last frame handed to the socket. */
		if (kind == EV_VIEW_CLOSE)
			ev->ev_ended_at = rq->rq_last_frame_at ? rq->rq_last_frame_at : rq->rq_view_started;
	}
	store_submit(rq->rq_srv->srv_store, ev);
}

static const char *end_reason(const request_s *rq)
{
	if (rq->rq_shutdown)
		return "shutdown";
	if (rq->rq_limit_end)
		return "limit";
	switch (rq->rq_toe) {
	case MHD_REQUEST_TERMINATED_COMPLETED_OK:
		return "completed";
	case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
		return "timeout";
	case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
		return "shutdown";
	case MHD_REQUEST_TERMINATED_READ_ERROR:
	case MHD_REQUEST_TERMINATED_CLIENT_ABORT:
	case MHD_REQUEST_TERMINATED_WITH_ERROR:
		/* A failed send on a stream is the viewer going away. */
		return "client_closed";
	}
	return "error";
}

/* Asks the client network's budget, once per request, whether this request
 * (and its login) gets detailed rows. */
static void request_budget(request_s *rq)
{
	if (rq->rq_budgeted)
		return;
	rq->rq_budgeted = 1;
	if (netaddr_truncate(rq->rq_ip, strlen(rq->rq_ip), 24, 64, rq->rq_net, sizeof(rq->rq_net)) != 0)
		snprintf(rq->rq_net, sizeof(rq->rq_net), "%s", "?");
	rq->rq_detailed = budget_take(rq->rq_srv->srv_budget, rq->rq_net, strlen(rq->rq_net), clock_mono_ms());
}

static void request_unref(request_s *rq)
{
	http_s *srv = rq->rq_srv;
	event_s *ev;

	if (--rq->rq_refs > 0)
		return;
	if (rq->rq_streaming)
		guard_stream_end(srv->srv_guard, &rq->rq_gaddr);
	if (rq->rq_view_id != 0 && strcmp(rq->rq_view_kind, "stream") == 0)
		view_event(rq, EV_VIEW_CLOSE, end_reason(rq));
	request_budget(rq);
	atomic_fetch_add(&srv->srv_requests_seen, 1);
	if (rq->rq_detailed) {
		ev = request_event(rq, EV_REQUEST);
		if (ev != NULL) {
			ev->ev_ts = rq->rq_ts;
			ev->ev_status = (int)rq->rq_status;
			ev->ev_bytes = rq->rq_bytes;
			ev->ev_route = rq->rq_seen ? rq->rq_route : "rejected";
		}
		store_submit(srv->srv_store, ev);
	} else {
		store_aggregate(srv->srv_store, rq->rq_net, rq->rq_ts, "request");
	}
	frame_unref(rq->rq_frame);
	free(rq->rq_note);
	free(rq->rq_body);
	free(rq->rq_path);
	free(rq->rq_query);
	free(rq->rq_ua);
	free(rq->rq_referer);
	free(rq->rq_xff);
	free(rq);
}

/* A NUL-terminated copy of at most max bytes of s; the caller's. */
static char *bounded_copy(const char *s, size_t n, size_t max, size_t *len, size_t *orig)
{
	char *copy;

	*orig = n;
	*len = n > max ? max : n;
	copy = malloc(*len + 1);
	if (copy == NULL) {
		*len = 0;
		return NULL;
	}
	memcpy(copy, s, *len);
	copy[*len] = '\0';
	return copy;
}

/* Copies a header value, bounded; NULL when absent. */
static char *header_copy(struct MHD_Connection *conn, const char *name, size_t max, size_t *len,
                         size_t *orig)
{
	const char *v = NULL;
	size_t vl = 0;

	*len = *orig = 0;
	if (MHD_lookup_connection_value_n(conn, MHD_HEADER_KIND, name, strlen(name), &v, &vl) != MHD_YES ||
	    v == NULL)
		return NULL;
	return bounded_copy(v, vl, max, len, orig);
}

/* Fills identity, headers and classes on the handler's first call. */
static void request_identify(http_s *srv, request_s *rq, struct MHD_Connection *conn, const char *method)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	const conn_s *cn = ci != NULL ? ci->socket_context : NULL;
	const char *host;

	rq->rq_seen = 1;
	snprintf(rq->rq_method, sizeof(rq->rq_method), "%s", method);
	rq->rq_ua = header_copy(conn, "User-Agent", EV_USER_AGENT_MAX, &rq->rq_ua_len, &rq->rq_ua_orig);
	rq->rq_referer = header_copy(conn, "Referer", EV_REFERER_MAX, &rq->rq_referer_len, &rq->rq_referer_orig);
	rq->rq_xff = header_copy(conn, "X-Forwarded-For", EV_FORWARDED_MAX, &rq->rq_xff_len, &rq->rq_xff_orig);
	host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
	rq->rq_referer_class = classify_referer(rq->rq_referer, rq->rq_referer_len, host);
	rq->rq_client_class = classify_client(rq->rq_ua, rq->rq_ua_len);
	if (cn == NULL)
		return;
	memcpy(rq->rq_ip, cn->cn_ip, sizeof(rq->rq_ip));
	memcpy(rq->rq_country, cn->cn_country, sizeof(rq->rq_country));
	rq->rq_port = cn->cn_port;
	/* X-Forwarded-For is stored always but believed only from a configured
	 * proxy (a header longer than its bound is not believed at all). */
	if (cn->cn_proxy && rq->rq_xff != NULL && rq->rq_xff_len == rq->rq_xff_orig) {
		char client[46];
		const config_s *cfg = srv->srv_cfg;
		if (netaddr_xff_client(rq->rq_xff, rq->rq_xff_len, cfg->cfg_proxies, cfg->cfg_nproxies, client,
		                       sizeof(client)) == 0) {
			int family;
			uint8_t addr[16];
			memcpy(rq->rq_peer_ip, cn->cn_ip, sizeof(rq->rq_peer_ip));
			memcpy(rq->rq_ip, client, sizeof(rq->rq_ip));
			/* Streams are counted per client, not per proxy. */
			if (netaddr_parse_ip(client, strlen(client), &family, addr) == 0) {
				rq->rq_gaddr.ga_family = family == AF_INET ? 4 : 6;
				memcpy(rq->rq_gaddr.ga_addr, addr, 16);
			}
			geo_country_str(srv->srv_geo, client, rq->rq_country);
			rq->rq_port = 0;
		}
	}
	request_budget(rq);
}

/* ---- trap credentials and logins ---- */

/* Gives the viewer of a new view its credential and, per viewer, encodes the
 * note that shows it (once: the bands are spliced into every later frame). */
static void view_credential(request_s *rq, int64_t view_id, int64_t shown_at, uint8_t **note,
                            size_t *note_len)
{
	http_s *srv = rq->rq_srv;
	char text[2 * TRAP_FIELD_MAX + 8], err[256];

	*note = NULL;
	*note_len = 0;
	if (srv->srv_login.lc_trap == NULL ||
	    trap_issue(srv->srv_login.lc_trap, view_id, shown_at, rq->rq_ip, rq->rq_country,
	               rq->rq_referer_class, &rq->rq_cred) != 0)
		return;
	if (!srv->srv_per_viewer)
		return;
	snprintf(text, sizeof(text), "%s / %s", rq->rq_cred.tc_user, rq->rq_cred.tc_pass);
	if (camera_note(srv->srv_cam, text, note, note_len, err, sizeof(err)) != 0)
		log_debug("%s", err);
}

static void request_login(request_s *rq, const char *channel, const authparse_cred_s *cred,
                          const authparse_digest_s *digest)
{
	const login_attempt_s la = {
		.la_channel = channel, .la_ip = rq->rq_ip, .la_port = rq->rq_port,
		.la_country = rq->rq_country, .la_ua = rq->rq_ua, .la_ua_len = rq->rq_ua_len,
		.la_ua_orig = rq->rq_ua_orig, .la_path = rq->rq_path, .la_path_len = rq->rq_path_len,
		.la_cred = cred, .la_digest = digest, .la_method = rq->rq_method,
		.la_aggregate_net = rq->rq_detailed ? NULL : rq->rq_net,
	};

	login_record(&rq->rq_srv->srv_login, &la, clock_wall_ms());
}

/* Authorization headers (Basic or Digest, whatever the persona challenges
 * with: scanners send either) and Netwave-style ?user=&pwd= queries. */
static void auth_attempts(request_s *rq, struct MHD_Connection *conn)
{
	const char *v = NULL;
	size_t vl = 0;
	authparse_cred_s cred;
	authparse_digest_s *dg;

	if (MHD_lookup_connection_value_n(conn, MHD_HEADER_KIND, "Authorization", 13, &v, &vl) == MHD_YES &&
	    v != NULL) {
		if (authparse_basic(v, vl, &cred) == 0) {
			request_login(rq, "basic", &cred, NULL);
		} else if ((dg = malloc(sizeof(*dg))) != NULL) {
			if (authparse_digest(v, vl, dg) == 0)
				request_login(rq, "digest", NULL, dg);
			free(dg);
		}
	}
	if (rq->rq_query != NULL && authparse_query(rq->rq_query, rq->rq_query_len, &cred) == 0)
		request_login(rq, "query", &cred, NULL);
}

/* ---- responses ---- */

static enum MHD_Result queue(request_s *rq, struct MHD_Connection *conn, unsigned int status,
                             struct MHD_Response *resp, const char *route, uint64_t body)
{
	enum MHD_Result rc;

	rq->rq_status = status;
	rq->rq_route = route;
	rq->rq_bytes = body;
	if (rq->rq_conn != NULL)
		guard_busy(rq->rq_srv->srv_guard, &rq->rq_conn->cn_guard, 1);
	rc = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result queue_page(request_s *rq, struct MHD_Connection *conn, unsigned int status,
                                  const page_s *pg)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(pg->pg_len, pg->pg_body, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	persona_begin(rq->rq_srv, resp, 0);
	MHD_add_response_header(resp, "Content-Type", pg->pg_mime);
	return queue(rq, conn, status, resp, status == MHD_HTTP_OK ? "page" : "error", pg->pg_len);
}

/* The persona's page for one of the error statuses. */
static enum MHD_Result queue_error(request_s *rq, struct MHD_Connection *conn, int which)
{
	return queue_page(rq, conn, http_error_codes[which], &rq->rq_srv->srv_errors[which]);
}

static enum MHD_Result queue_redirect(request_s *rq, struct MHD_Connection *conn, const char *to)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	persona_begin(rq->rq_srv, resp, 0);
	MHD_add_response_header(resp, "Location", to);
	return queue(rq, conn, MHD_HTTP_FOUND, resp, "redirect", 0);
}

static enum MHD_Result queue_auth(request_s *rq, struct MHD_Connection *conn)
{
	http_s *srv = rq->rq_srv;
	const char *tmpl = srv->srv_pe->pe_auth, *mark = strstr(tmpl, "@NONCE@");
	struct MHD_Response *resp;
	unsigned char raw[16];
	char nonce[33], value[256];

	/* The nonce is never checked (every login fails), but a constant one
	 * would mark the decoy: without the system's randomness it still varies. */
	if (rand_bytes(raw, sizeof(raw)) != 0)
		rand_weak(raw, sizeof(raw));
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(nonce + 2 * i, 3, "%02x", raw[i]);
	if (mark != NULL)
		snprintf(value, sizeof(value), "%.*s%s%s", (int)(mark - tmpl), tmpl, nonce, mark + 7);
	else
		snprintf(value, sizeof(value), "%s", tmpl);
	const page_s *pg = &srv->srv_errors[ERR_401];
	resp = MHD_create_response_from_buffer(pg->pg_len, pg->pg_body,
	                                       MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	persona_begin(srv, resp, 0);
	MHD_add_response_header(resp, "WWW-Authenticate", value);
	MHD_add_response_header(resp, "Content-Type", pg->pg_mime);
	return queue(rq, conn, MHD_HTTP_UNAUTHORIZED, resp, "auth", pg->pg_len);
}

static void frame_release(void *cls)
{
	frame_unref(cls);
}

static int64_t next_view_id(void *store)
{
	return store_next_view_id(store);
}

static enum MHD_Result queue_snapshot(request_s *rq, struct MHD_Connection *conn, frame_s *fr)
{
	http_s *srv = rq->rq_srv;
	struct MHD_Response *resp = NULL;
	poll_view_s *pv = NULL;
	uint8_t *note = NULL;
	size_t len = fr->fr_len, note_len = 0;

	if (strcmp(rq->rq_method, "HEAD") != 0)
		pv = polls_hit(srv->srv_polls, rq->rq_ip, rq->rq_ua, rq->rq_ua_len, rq->rq_ts, len, next_view_id,
		               srv->srv_store);
	if (pv != NULL) {
		rq->rq_view_id = pv->pv_id;
		rq->rq_view_kind = "poll";
		if (pv->pv_new) {
			uint8_t *first_note;
			size_t first_len;
			view_credential(rq, pv->pv_id, rq->rq_ts, &first_note, &first_len);
			free(first_note);
			snprintf(pv->pv_user, sizeof(pv->pv_user), "%s", rq->rq_cred.tc_user);
			snprintf(pv->pv_pass, sizeof(pv->pv_pass), "%s", rq->rq_cred.tc_pass);
		} else {
			snprintf(rq->rq_cred.tc_user, sizeof(rq->rq_cred.tc_user), "%s", pv->pv_user);
			snprintf(rq->rq_cred.tc_pass, sizeof(rq->rq_cred.tc_pass), "%s", pv->pv_pass);
		}
		/* A poll viewer keeps its credential for the whole run; its note is
		 * drawn on the current bands for every snapshot (no cache to bound). */
		if (srv->srv_per_viewer && pv->pv_pass[0] && fr->fr_splice_end > fr->fr_splice_start) {
			char text[2 * TRAP_FIELD_MAX + 8], err[256];
			snprintf(text, sizeof(text), "%s / %s", pv->pv_user, pv->pv_pass);
			if (camera_note(srv->srv_cam, text, &note, &note_len, err, sizeof(err)) != 0)
				log_debug("%s", err);
		}
		/* The whole poll view is rewritten on every snapshot it contains. */
		rq->rq_view_started = pv->pv_first;
		rq->rq_last_frame_at = pv->pv_last;
		rq->rq_frames = pv->pv_count;
		event_s *ev = request_event(rq, EV_VIEW_OPEN);
		if (ev != NULL) {
			ev->ev_started_at = pv->pv_first;
			ev->ev_last_frame_at = pv->pv_last;
			ev->ev_ended_at = pv->pv_end;
			ev->ev_frames = pv->pv_count;
			ev->ev_bytes = pv->pv_bytes;
			ev->ev_end_reason = "idle";
			snprintf(ev->ev_trap_user, sizeof(ev->ev_trap_user), "%s", pv->pv_user);
			snprintf(ev->ev_trap_pass, sizeof(ev->ev_trap_pass), "%s", pv->pv_pass);
		}
		store_submit(srv->srv_store, ev);
	}
	if (note != NULL) {
		/* This viewer's own copy: the shared frame with its note spliced in. */
		size_t tail = fr->fr_len - fr->fr_splice_end;
		uint8_t *own = malloc(fr->fr_splice_start + note_len + tail);
		if (own != NULL) {
			memcpy(own, fr->fr_data, fr->fr_splice_start);
			memcpy(own + fr->fr_splice_start, note, note_len);
			memcpy(own + fr->fr_splice_start + note_len, fr->fr_data + fr->fr_splice_end, tail);
			len = fr->fr_splice_start + note_len + tail;
			resp = MHD_create_response_from_buffer(len, own, MHD_RESPMEM_MUST_FREE);
			if (resp == NULL)
				free(own);
		}
		free(note);
		frame_unref(fr);
		if (resp == NULL)
			return MHD_NO;
	} else {
		/* Zero copy: the response holds a frame reference until it is sent. */
		resp = MHD_create_response_from_buffer_with_free_callback_cls(fr->fr_len, fr->fr_data,
		                                                             frame_release, fr);
		if (resp == NULL) {
			frame_unref(fr);
			return MHD_NO;
		}
	}
	persona_begin(srv, resp, 0);
	add_headers(resp, srv->srv_pe->pe_image_headers);
	return queue(rq, conn, MHD_HTTP_OK, resp, "snapshot", len);
}

/* ---- streams ---- */

static void stream_start_part(request_s *rq, frame_s *fr)
{
	const char *b = rq->rq_srv->srv_pe->pe_boundary;
	size_t jpeg_len = fr->fr_len;
	int n, own;

	if (rq->rq_view_id == 0) {
		/* The view starts with the first frame sent; its credential is
		 * registered before that frame shows it. */
		rq->rq_view_id = store_next_view_id(rq->rq_srv->srv_store);
		rq->rq_view_kind = "stream";
		rq->rq_view_started = clock_wall_ms();
		rq->rq_last_progress = rq->rq_view_started;
		view_credential(rq, rq->rq_view_id, rq->rq_view_started, &rq->rq_note, &rq->rq_note_len);
		view_event(rq, EV_VIEW_OPEN, NULL);
	}
	own = rq->rq_note != NULL && fr->fr_splice_end > fr->fr_splice_start;
	if (own)
		jpeg_len = fr->fr_len - (fr->fr_splice_end - fr->fr_splice_start) + rq->rq_note_len;
	n = snprintf(rq->rq_head, sizeof(rq->rq_head),
	             "--%s\r\nContent-Type: image/jpeg\r\nContent-Length: %zu\r\n\r\n", b, jpeg_len);
	rq->rq_frame = fr;
	rq->rq_last_seq = fr->fr_seq;
	rq->rq_npieces = 0;
	rq->rq_piece[rq->rq_npieces] = (const uint8_t *)rq->rq_head;
	rq->rq_piece_len[rq->rq_npieces++] = n > 0 && (size_t)n < sizeof(rq->rq_head) ? (size_t)n : 0;
	if (own) {
		rq->rq_piece[rq->rq_npieces] = fr->fr_data;
		rq->rq_piece_len[rq->rq_npieces++] = fr->fr_splice_start;
		rq->rq_piece[rq->rq_npieces] = rq->rq_note;
		rq->rq_piece_len[rq->rq_npieces++] = rq->rq_note_len;
		rq->rq_piece[rq->rq_npieces] = fr->fr_data + fr->fr_splice_end;
		rq->rq_piece_len[rq->rq_npieces++] = fr->fr_len - fr->fr_splice_end;
	} else {
		rq->rq_piece[rq->rq_npieces] = fr->fr_data;
		rq->rq_piece_len[rq->rq_npieces++] = fr->fr_len;
	}
	rq->rq_piece[rq->rq_npieces] = (const uint8_t *)"\r\n";
	rq->rq_piece_len[rq->rq_npieces++] = 2;
	rq->rq_piece_i = 0;
	rq->rq_piece_off = 0;
}

static void stream_part_done(request_s *rq)
{
	frame_unref(rq->rq_frame);
	rq->rq_frame = NULL;
	rq->rq_frames++;
	rq->rq_last_frame_at = clock_wall_ms();
	if (rq->rq_last_frame_at - rq->rq_last_progress >= HTTP_PROGRESS_MS) {
		rq->rq_last_progress = rq->rq_last_frame_at;
		view_event(rq, EV_VIEW_PROGRESS, NULL);
	}
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	request_s *rq = cls;
	size_t n = 0;

	while (rq->rq_frame == NULL) {
		hub_s *hub = rq->rq_srv->srv_hub;
		int max_s = rq->rq_srv->srv_cfg->cfg_max_stream_seconds;

		/* Between frames: a stream past its time ends cleanly. */
		if (max_s > 0 && rq->rq_view_started != 0 &&
		    clock_wall_ms() - rq->rq_view_started >= (int64_t)max_s * 1000) {
			rq->rq_limit_end = 1;
			atomic_fetch_add(&rq->rq_srv->srv_stream_limit, 1);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		frame_s *fr = hub_latest(hub, rq->rq_last_seq, -1);
		int rc;

		if (fr != NULL) {
			stream_start_part(rq, fr);
			break;
		}
		rc = hub_park(hub, &rq->rq_waiter, rq->rq_last_seq);
		if (rc < 0) {
			rq->rq_shutdown = 1;
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		if (rc == 0)
			return 0; /* suspended until the next frame */
	}
	while (n < max && rq->rq_frame != NULL) {
		size_t left = rq->rq_piece_len[rq->rq_piece_i] - rq->rq_piece_off;
		size_t chunk = left < max - n ? left : max - n;

		memcpy(buf + n, rq->rq_piece[rq->rq_piece_i] + rq->rq_piece_off, chunk);
		n += chunk;
		rq->rq_piece_off += chunk;
		rq->rq_bytes += chunk;
		if (rq->rq_piece_off == rq->rq_piece_len[rq->rq_piece_i]) {
			rq->rq_piece_i++;
			rq->rq_piece_off = 0;
			if (rq->rq_piece_i == rq->rq_npieces)
				stream_part_done(rq);
		}
	}
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	request_s *rq = cls;

	hub_viewer_leave(rq->rq_srv->srv_hub);
	request_unref(rq);
}

static ssize_t stream_head_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	return MHD_CONTENT_READER_END_OF_STREAM;
}

static enum MHD_Result queue_stream(request_s *rq, struct MHD_Connection *conn, int head_only)
{
	http_s *srv = rq->rq_srv;
	struct MHD_Response *resp;
	enum MHD_Result rc;

	if (head_only) {
		/* Unknown size, like the real stream: no Content-Length: 0. */
		resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64, stream_head_read, NULL, NULL);
		if (resp == NULL)
			return MHD_NO;
	} else {
		if (guard_stream_begin(srv->srv_guard, &rq->rq_gaddr) != 0)
			return queue_error(rq, conn, ERR_503);
		resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, HTTP_STREAM_BLOCK, stream_read, rq,
		                                         stream_free);
		if (resp == NULL) {
			guard_stream_end(srv->srv_guard, &rq->rq_gaddr);
			return MHD_NO;
		}
		rq->rq_streaming = 1;
		rq->rq_refs++; /* the response's reference */
		hub_viewer_join(srv->srv_hub);
	}
	persona_begin(srv, resp, 1);
	add_headers(resp, srv->srv_pe->pe_stream_headers);
	rc = queue(rq, conn, MHD_HTTP_OK, resp, "stream", 0);
	return rc;
}

/* ---- request dispatch ---- */

static enum MHD_Result serve_snapshot(http_s *srv, request_s *rq, struct MHD_Connection *conn)
{
	hub_s *hub = srv->srv_hub;
	frame_s *fr;
	int rc;

	if (rq->rq_snapshot_waited) {
		/* Resumed: the frame published meanwhile is as fresh as it gets. */
		fr = hub_latest(hub, 0, -1);
		return fr != NULL ? queue_snapshot(rq, conn, fr)
		                  : queue_error(rq, conn, ERR_503);
	}
	hub_demand_snapshot(hub);
	fr = hub_latest(hub, 0, hub_interval_ms(hub));
	if (fr != NULL)
		return queue_snapshot(rq, conn, fr);
	rq->rq_snapshot_waited = 1;
	rc = hub_park(hub, &rq->rq_waiter, hub_seq(hub));
	if (rc < 0)
		return queue_error(rq, conn, ERR_503);
	if (rc > 0) {
		fr = hub_latest(hub, 0, -1);
		if (fr != NULL)
			return queue_snapshot(rq, conn, fr);
	}
	return MHD_YES; /* suspended; MHD calls us again once resumed */
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	request_s *rq = calloc(1, sizeof(*rq));

	if (rq == NULL)
		return NULL;
	rq->rq_refs = 1;
	rq->rq_srv = cls;
	rq->rq_ts = clock_wall_ms();
	rq->rq_waiter.hw_park = conn_park;
	rq->rq_waiter.hw_wake = conn_wake;
	rq->rq_waiter.hw_arg = conn;
	/* Identity for requests MHD rejects before our handler sees them. */
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	const conn_s *cn = ci != NULL ? ci->socket_context : NULL;
	if (cn != NULL) {
		memcpy(rq->rq_ip, cn->cn_ip, sizeof(rq->rq_ip));
		memcpy(rq->rq_country, cn->cn_country, sizeof(rq->rq_country));
		rq->rq_port = cn->cn_port;
		rq->rq_conn = (conn_s *)cn;
		rq->rq_gaddr = cn->cn_guard.gc_addr;
		((conn_s *)cn)->cn_requests++;
	}
	if (uri != NULL) {
		size_t plen = strcspn(uri, "?");
		rq->rq_path = bounded_copy(uri, plen, EV_PATH_MAX, &rq->rq_path_len, &rq->rq_path_orig);
		if (uri[plen] == '?')
			rq->rq_query = bounded_copy(uri + plen + 1, strlen(uri + plen + 1), EV_QUERY_MAX,
			                            &rq->rq_query_len, &rq->rq_query_orig);
	}
	return rq;
}

static enum MHD_Result header_sum(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                  const char *value, size_t value_size)
{
	size_t *sum = cls;

	(void)kind;
	(void)key;
	(void)value;
	*sum += key_size + value_size + 4; /* ": " and CRLF */
	return MHD_YES;
}

/* The request's header bytes, roughly as sent. */
static size_t headers_size(struct MHD_Connection *conn)
{
	size_t sum = 0;

	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, header_sum, &sum);
	return sum;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	http_s *srv = cls;
	request_s *rq = *con_cls;
	router_match_s m;

	if (rq == NULL)
		return MHD_NO; /* the URI callback ran out of memory */
	if (!rq->rq_seen) {
		request_identify(srv, rq, conn, method);
		rq->rq_uri_too_long = rq->rq_path_orig + rq->rq_query_orig > srv->srv_uri_max;
		rq->rq_headers_too_big = headers_size(conn) > srv->srv_headers_max;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		/* Bodies are kept up to HTTP_BODY_MAX (a login form is small);
		 * a larger one is counted and answered with the persona's 413. */
		size_t n = *upload_data_size;
		if (!rq->rq_body_too_big && rq->rq_body_len + n <= HTTP_BODY_MAX) {
			if (rq->rq_body == NULL && (rq->rq_body = malloc(HTTP_BODY_MAX + 1)) == NULL)
				return queue_error(rq, conn, ERR_500);
			memcpy(rq->rq_body + rq->rq_body_len, upload_data, n);
			rq->rq_body[rq->rq_body_len + n] = '\0';
		} else {
			rq->rq_body_too_big = 1;
		}
		rq->rq_body_len += n;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (rq->rq_uri_too_long)
		return queue_error(rq, conn, ERR_414);
	if (rq->rq_headers_too_big)
		return queue_error(rq, conn, ERR_431);
	if (rq->rq_body_too_big)
		return queue_error(rq, conn, ERR_413);
	router_match(srv->srv_pe, method, url, &m);
	if (m.rm_result == ROUTER_NOT_FOUND)
		return queue_error(rq, conn, ERR_404);
	if (m.rm_result == ROUTER_BAD_METHOD)
		return queue_error(rq, conn, ERR_405);
	switch (m.rm_route->pr_kind) {
	case ROUTE_PAGE:
		return queue_page(rq, conn, MHD_HTTP_OK, &srv->srv_pages[m.rm_route - srv->srv_pe->pe_routes]);
	case ROUTE_REDIRECT:
		return queue_redirect(rq, conn, m.rm_route->pr_arg);
	case ROUTE_AUTH:
		auth_attempts(rq, conn);
		return queue_auth(rq, conn);
	case ROUTE_LOGIN: {
		authparse_cred_s cred;
		/* A form login always fails, the way the firmware shows it: the
		 * login page again. */
		if (strcmp(method, "POST") == 0 && rq->rq_body != NULL &&
		    authparse_form(rq->rq_body, rq->rq_body_len, &cred) == 0)
			request_login(rq, "form", &cred, NULL);
		return queue_page(rq, conn, MHD_HTTP_OK, &srv->srv_pages[m.rm_route - srv->srv_pe->pe_routes]);
	}
	case ROUTE_STREAM:
		return queue_stream(rq, conn, m.rm_head);
	case ROUTE_SNAPSHOT:
		return serve_snapshot(srv, rq, conn);
	}
	return MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	request_s *rq = *con_cls;

	*con_cls = NULL;
	if (rq == NULL)
		return;
	rq->rq_toe = toe;
	/* The deadline for the connection's next request starts now. */
	if (rq->rq_conn != NULL)
		guard_busy(rq->rq_srv->srv_guard, &rq->rq_conn->cn_guard, 0);
	rq->rq_conn = NULL;
	request_unref(rq);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
	http_s *srv = cls;
	const union MHD_ConnectionInfo *ci;
	int sndbuf = HTTP_SNDBUF, fd;
	conn_s *cn;

	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		cn = *socket_context;
		if (cn != NULL) {
			/* Before MHD closes the descriptor: the guard forgets it first. */
			guard_close(srv->srv_guard, &cn->cn_guard);
			if (cn->cn_requests == 0)
				atomic_fetch_add(&srv->srv_no_request, 1);
		}
		free(cn);
		*socket_context = NULL;
		return;
	}
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci != NULL)
		setsockopt(ci->connect_fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	fd = ci != NULL ? ci->connect_fd : -1;
	cn = calloc(1, sizeof(*cn));
	if (cn == NULL)
		return;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	guard_open(srv->srv_guard, &cn->cn_guard, ci != NULL ? ci->client_addr : NULL,
	           ci != NULL && ci->client_addr != NULL
	               ? (ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
	                                                         : sizeof(struct sockaddr_in))
	               : 0,
	           fd);
	if (ci != NULL && ci->client_addr != NULL) {
		netaddr_format(ci->client_addr, cn->cn_ip, sizeof(cn->cn_ip), &cn->cn_port);
		/* One GeoIP lookup per connection. */
		geo_country(srv->srv_geo, ci->client_addr, cn->cn_country);
		if (srv->srv_cfg->cfg_nproxies > 0 &&
		    netaddr_parse_ip(cn->cn_ip, strlen(cn->cn_ip), &cn->cn_family, cn->cn_addr) == 0)
			cn->cn_proxy = netaddr_in_cidrs(cn->cn_family, cn->cn_addr, srv->srv_cfg->cfg_proxies,
			                                srv->srv_cfg->cfg_nproxies);
	}
	*socket_context = cn;
}

/* At accept, before libmicrohttpd spends anything on the connection. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	http_s *srv = cls;

	return guard_admit(srv->srv_guard, addr, addrlen) == GUARD_OK ? MHD_YES : MHD_NO;
}

static void on_panic(void *cls, const char *file, unsigned int line, const char *reason)
{
	log_warnx("libmicrohttpd panic at %s:%u: %s", file ? file : "?", line, reason ? reason : "?");
	abort();
}

/* ---- lifecycle ---- */

static int render_page(page_s *pg, const char *asset_path, const asset_var_s *vars, size_t nvars,
                       char *err, size_t errlen)
{
	const asset_s *as = assets_find(asset_path);

	if (as == NULL) {
		snprintf(err, errlen, "http: web_ui asset %s is missing from the build", asset_path);
		return -1;
	}
	pg->pg_body = assets_render(as, vars, nvars, &pg->pg_len);
	pg->pg_mime = assets_mime(asset_path);
	if (pg->pg_body == NULL) {
		snprintf(err, errlen, "http: out of memory");
		return -1;
	}
	return 0;
}

http_s *http_new(const config_s *cfg, hub_s *hub, camera_s *cam, store_s *store, const geo_s *geo,
                 const login_ctx_s *login, char *err, size_t errlen)
{
	http_s *srv = calloc(1, sizeof(*srv));
	const persona_s *pe = cfg->cfg_persona;
	char w[16], h[16], fps[16];
	size_t n = 0;

	if (srv == NULL) {
		snprintf(err, errlen, "http: out of memory");
		return NULL;
	}
	srv->srv_cfg = cfg;
	srv->srv_pe = pe;
	srv->srv_hub = hub;
	srv->srv_store = store;
	srv->srv_geo = geo;
	srv->srv_cam = cam;
	srv->srv_login = *login;
	srv->srv_per_viewer = login->lc_trap != NULL && trap_mode(login->lc_trap) == TRAP_PER_VIEWER;
	srv->srv_listen_fd = -1;
	srv->srv_polls = polls_new((int64_t)cfg->cfg_poll_gap * 1000, HTTP_POLLS_MAX);
	if (srv->srv_polls == NULL) {
		snprintf(err, errlen, "http: out of memory");
		goto fail;
	}
	srv->srv_start_mono = hub_mono_ms();
	const guard_conf_s gf = {
		.gf_max_connections = cfg->cfg_max_connections, .gf_per_ip = cfg->cfg_per_ip_connections,
		.gf_per_net = cfg->cfg_per_net_connections, .gf_streams_per_ip = cfg->cfg_streams_per_ip,
		.gf_request_timeout = cfg->cfg_request_timeout,
	};
	srv->srv_guard = guard_new(&gf);
	srv->srv_budget = budget_new(cfg->cfg_event_rate, cfg->cfg_event_burst, HTTP_BUDGET_KEYS);
	if (srv->srv_guard == NULL || srv->srv_budget == NULL) {
		snprintf(err, errlen, "http: out of memory");
		goto fail;
	}
	/* libmicrohttpd answers with its own text when the request line and
	 * headers overflow the connection's memory; the persona answers first,
	 * well below that. */
	srv->srv_uri_max = (size_t)cfg->cfg_header_memory / 4;
	srv->srv_headers_max = (size_t)cfg->cfg_header_memory / 4;
	snprintf(w, sizeof(w), "%d", cfg->cfg_w);
	snprintf(h, sizeof(h), "%d", cfg->cfg_h);
	snprintf(fps, sizeof(fps), "%d", cfg->cfg_fps);
	const asset_var_s vars[] = {
		{"CAMERA_NAME", cfg->cfg_camera_name}, {"MODEL", pe->pe_model},
		{"WIDTH", w}, {"HEIGHT", h}, {"FPS", fps},
	};
	const size_t nvars = sizeof(vars) / sizeof(vars[0]);

	while (pe->pe_routes[n].pr_path != NULL)
		n++;
	srv->srv_pages = calloc(n, sizeof(page_s));
	srv->srv_npages = n;
	if (srv->srv_pages == NULL) {
		snprintf(err, errlen, "http: out of memory");
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		if ((pe->pe_routes[i].pr_kind == ROUTE_PAGE || pe->pe_routes[i].pr_kind == ROUTE_LOGIN) &&
		    render_page(&srv->srv_pages[i], pe->pe_routes[i].pr_arg, vars, nvars, err, errlen) != 0)
			goto fail;
	const char *const error_assets[HTTP_NERRORS] = {
		pe->pe_401_asset, pe->pe_404_asset, pe->pe_405_asset, pe->pe_413_asset,
		pe->pe_414_asset, pe->pe_431_asset, pe->pe_500_asset, pe->pe_503_asset,
	};
	for (int i = 0; i < HTTP_NERRORS; i++)
		if (render_page(&srv->srv_errors[i], error_assets[i], vars, nvars, err, errlen) != 0)
			goto fail;
	srv->srv_listen_fd = netaddr_listen((const struct sockaddr *)&cfg->cfg_addr, cfg->cfg_addrlen, 1024, "listen",
	                                    err, errlen);
	if (srv->srv_listen_fd < 0)
		goto fail;
	return srv;
fail:
	http_free(srv);
	return NULL;
}

int http_start(http_s *srv, char *err, size_t errlen)
{
	const config_s *cfg = srv->srv_cfg;
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;

	if (srv->srv_pe->pe_epoch_date)
		flags |= MHD_USE_SUPPRESS_DATE_NO_CLOCK;
	if (cfg->cfg_addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	MHD_set_panic_func(on_panic, NULL);
	if (guard_start(srv->srv_guard, err, errlen) != 0)
		return -1;
	/* The guard counts and caps connections at accept (on_accept); MHD's
	 * own limit is only a backstop a little above it. */
	srv->srv_mhd = MHD_start_daemon(
		flags, 0, on_accept, srv, on_request, srv,
		MHD_OPTION_LISTEN_SOCKET, (MHD_socket)srv->srv_listen_fd,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->cfg_max_connections + 16,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->cfg_idle_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)cfg->cfg_header_memory,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
		MHD_OPTION_END);
	if (srv->srv_mhd == NULL) {
		snprintf(err, errlen, "http: libmicrohttpd did not start (connection limit %d too high for this system?)",
		         cfg->cfg_max_connections);
		return -1;
	}
	return 0;
}

size_t http_counters(void *arg, store_counter_s *out, size_t cap)
{
	http_s *srv = arg;
	guard_stats_s gs;
	size_t n;

	guard_stats(srv->srv_guard, &gs);
	const store_counter_s all[] = {
		{"requests_seen", atomic_load(&srv->srv_requests_seen)},
		{"connections_without_request", atomic_load(&srv->srv_no_request)},
		{"streams_ended_at_limit", atomic_load(&srv->srv_stream_limit)},
		{"connections_refused_full", gs.gs_refused_full},
		{"connections_refused_ip", gs.gs_refused_ip},
		{"connections_refused_net", gs.gs_refused_net},
		{"connections_request_timeout", gs.gs_deadline_closed},
		{"connections_closed_by_peer", gs.gs_peer_closed},
		{"streams_refused", gs.gs_streams_refused},
	};
	n = sizeof(all) / sizeof(all[0]) < cap ? sizeof(all) / sizeof(all[0]) : cap;
	memcpy(out, all, n * sizeof(all[0]));
	return n;
}

void http_quiesce(http_s *srv)
{
	if (srv->srv_mhd != NULL) {
		MHD_socket fd = MHD_quiesce_daemon(srv->srv_mhd);
		if (fd != MHD_INVALID_SOCKET && fd == srv->srv_listen_fd) {
			close(fd);
			srv->srv_listen_fd = -1;
		}
	}
}

static void page_free(page_s *pg)
{
	free(pg->pg_body);
}

void http_stop(http_s *srv)
{
	if (srv != NULL && srv->srv_mhd != NULL) {
		MHD_stop_daemon(srv->srv_mhd);
		srv->srv_mhd = NULL;
	}
}

void http_free(http_s *srv)
{
	if (srv == NULL)
		return;
	http_stop(srv);
	if (srv->srv_listen_fd >= 0)
		close(srv->srv_listen_fd);
	for (size_t i = 0; srv->srv_pages != NULL && i < srv->srv_npages; i++)
		page_free(&srv->srv_pages[i]);
	free(srv->srv_pages);
	for (int i = 0; i < HTTP_NERRORS; i++)
		page_free(&srv->srv_errors[i]);
	polls_free(srv->srv_polls);
	guard_free(srv->srv_guard);
	budget_free(srv->srv_budget);
	free(srv);
}

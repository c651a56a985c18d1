/* http: libmicrohttpd daemon, persona responses, MJPEG streams and snapshots.
 *
 * Streams never block the polling thread: a viewer with nothing to send is
 * suspended and parked in the hub, which resumes it when the next frame is
 * published (or when the hub stops). */
#include "http.h"

#include <microhttpd.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "assets.h"
#include "log.h"
#include "router.h"

/* Small send buffers make a slow viewer skip frames instead of queueing
 * seconds of them in the kernel (the kernel doubles this value). */
#define HTTP_SNDBUF 32768
/* Per-response buffer that MHD allocates for callback responses. */
#define HTTP_STREAM_BLOCK 8192
/* A request body larger than this is not read further (login forms are small). */
#define HTTP_BODY_MAX 16384

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
	page_s srv_401, srv_404, srv_405, srv_503;
	int64_t srv_start_mono;
};

/* Per-request state, freed when MHD reports the request completed. */
typedef struct {
	http_s *rq_srv;
	struct MHD_Connection *rq_conn;
	hub_waiter_s rq_waiter;
	size_t rq_body_len;
	int rq_snapshot_waited;
} request_s;

/* Per-stream state, owned by the callback response. */
typedef struct {
	http_s *st_srv;
	struct MHD_Connection *st_conn;
	hub_waiter_s st_waiter;
	frame_s *st_frame;
	uint64_t st_last_seq;
	size_t st_off;
	char st_head[160];
	size_t st_head_len;
} stream_s;

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

static enum MHD_Result queue_page(http_s *srv, struct MHD_Connection *conn, unsigned int status,
                                  const page_s *pg)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;

	resp = MHD_create_response_from_buffer(pg->pg_len, pg->pg_body, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	persona_begin(srv, resp, 0);
	MHD_add_response_header(resp, "Content-Type", pg->pg_mime);
	rc = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result queue_redirect(http_s *srv, struct MHD_Connection *conn, const char *to)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;

	resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	persona_begin(srv, resp, 0);
	MHD_add_response_header(resp, "Location", to);
	rc = MHD_queue_response(conn, MHD_HTTP_FOUND, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result queue_auth(http_s *srv, struct MHD_Connection *conn)
{
	const char *tmpl = srv->srv_pe->pe_auth, *mark = strstr(tmpl, "@NONCE@");
	struct MHD_Response *resp;
	unsigned char raw[16];
	char nonce[33], value[256];
	enum MHD_Result rc;

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		memset(raw, 0, sizeof(raw));
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(nonce + 2 * i, 3, "%02x", raw[i]);
	if (mark != NULL)
		snprintf(value, sizeof(value), "%.*s%s%s", (int)(mark - tmpl), tmpl, nonce, mark + 7);
	else
		snprintf(value, sizeof(value), "%s", tmpl);
	resp = MHD_create_response_from_buffer(srv->srv_401.pg_len, srv->srv_401.pg_body,
	                                       MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	persona_begin(srv, resp, 0);
	MHD_add_response_header(resp, "WWW-Authenticate", value);
	MHD_add_response_header(resp, "Content-Type", srv->srv_401.pg_mime);
	rc = MHD_queue_response(conn, MHD_HTTP_UNAUTHORIZED, resp);
	MHD_destroy_response(resp);
	return rc;
}

static void frame_release(void *cls)
{
	frame_unref(cls);
}

static enum MHD_Result queue_snapshot(http_s *srv, struct MHD_Connection *conn, frame_s *fr)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;

	/* Zero copy: the response holds a frame reference until it is sent. */
	resp = MHD_create_response_from_buffer_with_free_callback_cls(fr->fr_len, fr->fr_data,
	                                                             frame_release, fr);
	if (resp == NULL) {
		frame_unref(fr);
		return MHD_NO;
	}
	persona_begin(srv, resp, 0);
	add_headers(resp, srv->srv_pe->pe_image_headers);
	rc = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* ---- streams ---- */

static void stream_start_part(stream_s *st, frame_s *fr)
{
	const char *b = st->st_srv->srv_pe->pe_boundary;
	int n = snprintf(st->st_head, sizeof(st->st_head),
	                 "--%s\r\nContent-Type: image/jpeg\r\nContent-Length: %zu\r\n\r\n", b, fr->fr_len);

	st->st_head_len = n > 0 && (size_t)n < sizeof(st->st_head) ? (size_t)n : 0;
	st->st_frame = fr;
	st->st_last_seq = fr->fr_seq;
	st->st_off = 0;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	stream_s *st = cls;
	size_t n = 0;

	while (st->st_frame == NULL) {
		hub_s *hub = st->st_srv->srv_hub;
		frame_s *fr = hub_latest(hub, st->st_last_seq, -1);
		int rc;

		if (fr != NULL) {
			stream_start_part(st, fr);
			break;
		}
		rc = hub_park(hub, &st->st_waiter, st->st_last_seq);
		if (rc < 0)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (rc == 0)
			return 0; /* suspended until the next frame */
	}
	/* The part is header, JPEG, CRLF; copy what fits from st_off on. */
	while (n < max && st->st_frame != NULL) {
		size_t hl = st->st_head_len, jl = st->st_frame->fr_len, total = hl + jl + 2;
		size_t off = st->st_off, chunk;
		const uint8_t *src;

		if (off < hl) {
			src = (const uint8_t *)st->st_head + off;
			chunk = hl - off;
		} else if (off < hl + jl) {
			src = st->st_frame->fr_data + (off - hl);
			chunk = hl + jl - off;
		} else {
			src = (const uint8_t *)"\r\n" + (off - hl - jl);
			chunk = total - off;
		}
		if (chunk > max - n)
			chunk = max - n;
		memcpy(buf + n, src, chunk);
		n += chunk;
		st->st_off += chunk;
		if (st->st_off == total) {
			frame_unref(st->st_frame);
			st->st_frame = NULL;
		}
	}
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	stream_s *st = cls;

	hub_viewer_leave(st->st_srv->srv_hub);
	frame_unref(st->st_frame);
	free(st);
}

static ssize_t stream_head_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	return MHD_CONTENT_READER_END_OF_STREAM;
}

static enum MHD_Result queue_stream(http_s *srv, struct MHD_Connection *conn, int head_only)
{
	struct MHD_Response *resp;
	stream_s *st;
	enum MHD_Result rc;

	if (head_only) {
		/* Unknown size, like the real stream: no Content-Length: 0. */
		resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64, stream_head_read, NULL, NULL);
	} else {
		st = calloc(1, sizeof(*st));
		if (st == NULL)
			return MHD_NO;
		st->st_srv = srv;
		st->st_conn = conn;
		st->st_waiter.hw_park = conn_park;
		st->st_waiter.hw_wake = conn_wake;
		st->st_waiter.hw_arg = conn;
		resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, HTTP_STREAM_BLOCK, stream_read,
		                                         st, stream_free);
		if (resp == NULL) {
			free(st);
			return MHD_NO;
		}
		hub_viewer_join(srv->srv_hub);
	}
	if (resp == NULL)
		return MHD_NO;
	persona_begin(srv, resp, 1);
	add_headers(resp, srv->srv_pe->pe_stream_headers);
	rc = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
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
		return fr != NULL ? queue_snapshot(srv, conn, fr)
		                  : queue_page(srv, conn, MHD_HTTP_SERVICE_UNAVAILABLE, &srv->srv_503);
	}
	hub_demand_snapshot(hub);
	fr = hub_latest(hub, 0, hub_interval_ms(hub));
	if (fr != NULL)
		return queue_snapshot(srv, conn, fr);
	rq->rq_snapshot_waited = 1;
	rc = hub_park(hub, &rq->rq_waiter, hub_seq(hub));
	if (rc < 0)
		return queue_page(srv, conn, MHD_HTTP_SERVICE_UNAVAILABLE, &srv->srv_503);
	if (rc > 0) {
		fr = hub_latest(hub, 0, -1);
		if (fr != NULL)
			return queue_snapshot(srv, conn, fr);
	}
	return MHD_YES; /* suspended; MHD calls us again once resumed */
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	http_s *srv = cls;
	request_s *rq = *con_cls;
	router_match_s m;

	if (rq == NULL) {
		rq = calloc(1, sizeof(*rq));
		if (rq == NULL)
			return MHD_NO;
		rq->rq_srv = srv;
		rq->rq_conn = conn;
		rq->rq_waiter.hw_park = conn_park;
		rq->rq_waiter.hw_wake = conn_wake;
		rq->rq_waiter.hw_arg = conn;
		*con_cls = rq;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		/* Bodies are counted and dropped until login forms are parsed. */
		rq->rq_body_len += *upload_data_size;
		*upload_data_size = 0;
		if (rq->rq_body_len > HTTP_BODY_MAX)
			return MHD_NO;
		return MHD_YES;
	}
	router_match(srv->srv_pe, method, url, &m);
	if (m.rm_result == ROUTER_NOT_FOUND)
		return queue_page(srv, conn, MHD_HTTP_NOT_FOUND, &srv->srv_404);
	if (m.rm_result == ROUTER_BAD_METHOD)
		return queue_page(srv, conn, MHD_HTTP_METHOD_NOT_ALLOWED, &srv->srv_405);
	switch (m.rm_route->pr_kind) {
	case ROUTE_PAGE:
		return queue_page(srv, conn, MHD_HTTP_OK,
		                  &srv->srv_pages[m.rm_route - srv->srv_pe->pe_routes]);
	case ROUTE_REDIRECT:
		return queue_redirect(srv, conn, m.rm_route->pr_arg);
	case ROUTE_AUTH:
		return queue_auth(srv, conn);
	case ROUTE_STREAM:
		return queue_stream(srv, conn, m.rm_head);
	case ROUTE_SNAPSHOT:
		return serve_snapshot(srv, rq, conn);
	}
	return MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	free(*con_cls);
	*con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
	const union MHD_ConnectionInfo *ci;
	int sndbuf = HTTP_SNDBUF;

	if (toe != MHD_CONNECTION_NOTIFY_STARTED)
		return;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci != NULL)
		setsockopt(ci->connect_fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
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

static int bind_listener(const config_s *cfg, char *err, size_t errlen)
{
	int fd, one = 1;

	fd = socket(cfg->cfg_addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "listen: cannot create a socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (cfg->cfg_addr.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)&cfg->cfg_addr, cfg->cfg_addrlen) != 0 ||
	    listen(fd, 1024) != 0) {
		snprintf(err, errlen, "listen: cannot listen on %s: %s", cfg->cfg_listen, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

http_s *http_new(const config_s *cfg, hub_s *hub, char *err, size_t errlen)
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
	srv->srv_listen_fd = -1;
	srv->srv_start_mono = hub_mono_ms();
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
		if (pe->pe_routes[i].pr_kind == ROUTE_PAGE &&
		    render_page(&srv->srv_pages[i], pe->pe_routes[i].pr_arg, vars, nvars, err, errlen) != 0)
			goto fail;
	if (render_page(&srv->srv_401, pe->pe_401_asset, vars, nvars, err, errlen) != 0 ||
	    render_page(&srv->srv_404, pe->pe_404_asset, vars, nvars, err, errlen) != 0 ||
	    render_page(&srv->srv_405, pe->pe_405_asset, vars, nvars, err, errlen) != 0 ||
	    render_page(&srv->srv_503, pe->pe_503_asset, vars, nvars, err, errlen) != 0)
		goto fail;
	srv->srv_listen_fd = bind_listener(cfg, err, errlen);
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
	srv->srv_mhd = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, srv,
		MHD_OPTION_LISTEN_SOCKET, (MHD_socket)srv->srv_listen_fd,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->cfg_max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)cfg->cfg_per_ip_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->cfg_idle_timeout,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
		MHD_OPTION_END);
	if (srv->srv_mhd == NULL) {
		snprintf(err, errlen, "http: libmicrohttpd did not start (connection limit %d too high for this system?)",
		         cfg->cfg_max_connections);
		return -1;
	}
	return 0;
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

void http_free(http_s *srv)
{
	if (srv == NULL)
		return;
	if (srv->srv_mhd != NULL)
		MHD_stop_daemon(srv->srv_mhd);
	if (srv->srv_listen_fd >= 0)
		close(srv->srv_listen_fd);
	for (size_t i = 0; srv->srv_pages != NULL && i < srv->srv_npages; i++)
		page_free(&srv->srv_pages[i]);
	free(srv->srv_pages);
	page_free(&srv->srv_401);
	page_free(&srv->srv_404);
	page_free(&srv->srv_405);
	page_free(&srv->srv_503);
	free(srv);
}

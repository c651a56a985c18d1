/* server: libmicrohttpd (the only file that includes it): the daemon, its
 * callbacks, and replies handed to the wire (libmicrohttpd writes nothing).
 *
 * Everything a request means is decided in request.c, dispatch.c and the
 * handlers under it on plain structs, and answer.c writes the reply; this
 * file only translates. */
#include "server.h"

#include <microhttpd.h>

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "answer.h"
#include "dispatch.h"
#include "log.h"
#include "netaddr.h"
#include "request.h"
#include "wire.h"

/* Small send buffers make a slow viewer skip frames instead of queueing
 * seconds of them in the kernel (the kernel doubles this value). */
#define SERVER_SNDBUF 32768
/* Poll viewers remembered at once. */
#define SERVER_POLLS_MAX 65536
/* Seconds the request deadline shortens to when the connection table is
 * full: browsers and scanners send their request within milliseconds of
 * connecting; a socket that has sent nothing in this time under pressure
 * is holding a place. */
#define SERVER_REQUEST_FLOOR 5
/* Networks whose detail budget is tracked at once. */
#define SERVER_BUDGET_KEYS 65536

struct http {
	web_s srv_web;
	struct MHD_Daemon *srv_mhd;
	int srv_listen_fd;
	front_s *srv_front;
	wire_s *srv_wire;
	/* what the front saw of each handed-over descriptor (FRONT_* flags),
	 * read once by on_connection */
	_Atomic unsigned char *srv_fd_flags;
	/* and its first request as the front saw it, taken by on_connection */
	_Atomic(web_first_s *) *srv_fd_first;
	/* the address whose guard count the handoff holds until on_connection
	 * has opened the peer's own (guard_hold) */
	_Atomic(guard_addr_s *) *srv_fd_held;
	size_t srv_nfd;
};

static void conn_park(hub_waiter_s *w)
{
	MHD_suspend_connection(w->hw_arg);
}

static void conn_wake(hub_waiter_s *w)
{
	MHD_resume_connection(w->hw_arg);
}

/* ---- replies on the wire ---- */

/* MHD_NO after an answer written at once: libmicrohttpd closes the
 * connection without writing a byte. */
static enum MHD_Result answer(http_s *srv, request_s *rq, struct MHD_Connection *conn,
                              const char *method, reply_s *rp)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);

	return answer_send(srv->srv_wire, rq, ci != NULL ? ci->connect_fd : -1, method, rp) > 0
	           ? MHD_YES
	           : MHD_NO;
}

/* ---- callbacks ---- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	http_s *srv = cls;

	/* Identity for requests MHD rejects before our handler sees them. */
	return request_new(&srv->srv_web, ci != NULL ? ci->socket_context : NULL, uri, conn_park,
	                   conn_wake, conn);
}

/* Every header line: its size counted, every X-Forwarded-For line kept in
 * order (MHD_lookup_connection_value_n returns only the first). */
static enum MHD_Result header_line(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size)
{
	request_head_s *h = cls;

	(void)kind;
	h->rh_header_bytes += key_size + value_size + 4; /* ": " and CRLF */
	if (key_size == 15 && value != NULL && strncasecmp(key, "X-Forwarded-For", 15) == 0)
		request_head_xff(h, value, value_size);
	return MHD_YES;
}

static const char *header(struct MHD_Connection *conn, const char *name, size_t *len, int *has)
{
	const char *v = NULL;
	size_t vl = 0;

	*has = MHD_lookup_connection_value_n(conn, MHD_HEADER_KIND, name, strlen(name), &v, &vl) ==
	           MHD_YES &&
	       v != NULL;
	*len = *has ? vl : 0;
	return *has ? v : NULL;
}

static void read_head(struct MHD_Connection *conn, const web_peer_s *peer, const char *method,
                      int all_lines, request_head_s *h)
{
	int has_auth;

	h->rh_method = method;
	h->rh_host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
	if (peer != NULL && peer->wp_first != NULL) {
		/* the bytes as received: libmicrohttpd's copies end at a NUL */
		request_head_raw(h, peer->wp_first->wf_data, peer->wp_first->wf_head_len);
		return;
	}
	h->rh_target = NULL;
	h->rh_ua = header(conn, "User-Agent", &h->rh_ua_len, &h->rh_has_ua);
	h->rh_referer = header(conn, "Referer", &h->rh_referer_len, &h->rh_has_referer);
	h->rh_auth = header(conn, "Authorization", &h->rh_auth_len, &has_auth);
	h->rh_header_bytes = 0;
	h->rh_xff_len = h->rh_xff_orig = 0;
	h->rh_xff_lines = h->rh_xff_nul = 0;
	if (all_lines)
		MHD_get_connection_values_n(conn, MHD_HEADER_KIND, header_line, h);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	request_s *rq = *con_cls;
	request_head_s head;
	reply_s reply;

	if (rq == NULL || rq->rq_answered)
		return MHD_NO; /* the URI callback ran out of memory, or the wire has answered:
		                  close */
	web_peer_s *peer = rq->rq_peer;
	if (!rq->rq_seen) {
		read_head(conn, peer, method, 1, &head);
		/* libmicrohttpd cut the header at a NUL; the front saw it whole */
		if (peer != NULL && peer->wp_requests == 1 && peer->wp_xff_nul)
			head.rh_xff_nul = 1;
		request_identify(rq, &head);
		/* Expect: 100-continue: answered now, from the body the front
		 * waited for (libmicrohttpd writes its 100 if this call does not) */
		if (peer == NULL || peer->wp_requests != 1 || !peer->wp_expect)
			return MHD_YES;
		if (peer->wp_first != NULL && peer->wp_first->wf_body_len > 0)
			request_body(
			    rq, (const char *)peer->wp_first->wf_data + peer->wp_first->wf_head_len,
			    peer->wp_first->wf_body_len);
	}
	if (*upload_data_size != 0) {
		request_body(rq, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	read_head(conn, peer, method, 0, &head);
	web_action_e act = dispatch_request(rq, url, &head, &reply);
	if (act != WEB_PARKED && peer != NULL) {
		/* answered: the only request of the connection (every persona
		 * closes after its answer), so its copy is no longer needed */
		free(peer->wp_first);
		peer->wp_first = NULL;
	}
	switch (act) {
	case WEB_REPLY:
		return answer(cls, rq, conn, method, &reply);
	case WEB_PARKED:
		return MHD_YES; /* suspended; MHD calls us again once resumed */
	case WEB_FAIL:
		break;
	}
	return MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	request_s *rq = *con_cls;
	track_end_e end = END_ERROR;

	*con_cls = NULL;
	if (rq == NULL)
		return;
	switch (toe) {
	case MHD_REQUEST_TERMINATED_COMPLETED_OK:
		end = END_COMPLETED;
		break;
	case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
		end = END_TIMEOUT;
		break;
	case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
		end = END_SHUTDOWN;
		break;
	case MHD_REQUEST_TERMINATED_READ_ERROR:
	case MHD_REQUEST_TERMINATED_CLIENT_ABORT:
	case MHD_REQUEST_TERMINATED_WITH_ERROR:
		/* A failed send on a stream is the viewer going away. */
		end = END_CLIENT_CLOSED;
		break;
	}
	request_completed(rq, end);
}

/* Gives back a handoff's guard count (front.h) and its record. */
static void unhold(guard_s *g, guard_addr_s *held)
{
	if (held == NULL)
		return;
	guard_hold(g, held, -1);
	free(held);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
	http_s *srv = cls;
	web_s *web = &srv->srv_web;
	const union MHD_ConnectionInfo *ci;
	int sndbuf = SERVER_SNDBUF, fd, family;
	uint8_t addr[16];
	web_peer_s *peer;
	socklen_t salen = 0;

	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		peer = *socket_context;
		if (peer != NULL) {
			/* Before MHD closes the descriptor: the guard forgets it first. */
			guard_close(web->wb_guard, &peer->wp_guard);
			if (peer->wp_requests == 0)
				atomic_fetch_add(&web->wb_no_request, 1);
		}
		if (peer != NULL)
			free(peer->wp_first);
		free(peer);
		*socket_context = NULL;
		return;
	}
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci != NULL)
		setsockopt(ci->connect_fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	fd = ci != NULL ? ci->connect_fd : -1;
	guard_addr_s *held = NULL;
	if (fd >= 0 && (size_t)fd < srv->srv_nfd)
		held = atomic_exchange(&srv->srv_fd_held[fd], NULL);
	if ((peer = calloc(1, sizeof(*peer))) == NULL) {
		unhold(web->wb_guard, held);
		return;
	}
	if (fd >= 0 && (size_t)fd < srv->srv_nfd) {
		unsigned fl = atomic_exchange(&srv->srv_fd_flags[fd], 0);
		peer->wp_xff_nul = (fl & FRONT_XFF_NUL) != 0;
		peer->wp_expect = (fl & FRONT_EXPECT) != 0;
		/* the peer owns it until its first answer, or its close */
		peer->wp_first = atomic_exchange(&srv->srv_fd_first[fd], NULL);
	}
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci != NULL && ci->client_addr != NULL)
		salen = ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
		                                               : sizeof(struct sockaddr_in);
	/* the front handed it over with a complete request head */
	guard_open(web->wb_guard, &peer->wp_guard, salen ? ci->client_addr : NULL, salen, fd, 1);
	unhold(web->wb_guard, held); /* counted as the peer's now */
	if (salen) {
		/* One GeoIP lookup per connection. */
		identity_from(&peer->wp_who, web->wb_geo, ci->client_addr);
		if (web->wb_cfg->cfg_nproxies > 0 &&
		    netaddr_parse_ip(peer->wp_who.id_ip, strlen(peer->wp_who.id_ip), &family,
		                     addr) == 0)
			peer->wp_proxy = netaddr_in_cidrs(family, addr, web->wb_cfg->cfg_proxies,
			                                  web->wb_cfg->cfg_nproxies);
	}
	*socket_context = peer;
}

/* ---- the front acceptor's side ---- */

/* A connection whose first bytes are HTTP/1.x, admitted by the guard. */
static int front_handoff(void *arg, int fd, const struct sockaddr *sa, socklen_t len,
                         unsigned flags, const uint8_t *head, size_t head_len, const uint8_t *body,
                         size_t body_len)
{
	http_s *srv = arg;
	web_first_s *b;

	if (body == NULL)
		body_len = 0;
	/* out of memory: none, and the request is read from libmicrohttpd's copies */
	if ((b = malloc(sizeof(*b) + head_len + body_len)) != NULL) {
		b->wf_head_len = head_len;
		b->wf_body_len = body_len;
		memcpy(b->wf_data, head, head_len);
		if (body_len > 0)
			memcpy(b->wf_data + head_len, body, body_len);
	}
	guard_s *g = srv->srv_web.wb_guard;
	guard_addr_s *held = malloc(sizeof(*held));
	if (held != NULL) {
		guard_addr(sa, len, held);
	} else { /* out of memory: give the count back at once */
		guard_addr_s a;
		guard_addr(sa, len, &a);
		guard_hold(g, &a, -1);
	}
	if (fd >= 0 && (size_t)fd < srv->srv_nfd) {
		atomic_store(&srv->srv_fd_flags[fd], (unsigned char)flags);
		/* Stale ones (MHD dropped their connection before reporting it
		 * started, closing the descriptor now reused) go now. */
		free(atomic_exchange(&srv->srv_fd_first[fd], b));
		unhold(g, atomic_exchange(&srv->srv_fd_held[fd], held));
	} else {
		free(b);
		unhold(g, held);
	}
	/* MHD closes fd itself when it cannot take it. */
	if (MHD_add_connection(srv->srv_mhd, fd, sa, len) == MHD_YES)
		return 0;
	if (fd >= 0 && (size_t)fd < srv->srv_nfd)
		unhold(g, atomic_exchange(&srv->srv_fd_held[fd], NULL));
	return -1;
}

void http_record_line(http_s *srv, const front_line_s *fl)
{
	request_record_line(&srv->srv_web, fl);
}

static void front_record(void *arg, const front_line_s *fl)
{
	http_record_line(arg, fl);
}

/* HTTP/1.x that libmicrohttpd would answer with its own text: the persona's page. */
static void front_reject(void *arg, int fd, unsigned status)
{
	http_s *srv = arg;

	answer_reject(srv->srv_web.wb_respond, fd, status);
}

static void front_no_request(void *arg)
{
	http_s *srv = arg;

	atomic_fetch_add(&srv->srv_web.wb_no_request, 1);
}

static void front_unrecorded(void *arg, uint64_t n)
{
	http_s *srv = arg;

	atomic_fetch_add(&srv->srv_web.wb_pipelined_unrecorded, n);
}

static void on_panic(void *cls, const char *file, unsigned int line, const char *reason)
{
	log_warnx("libmicrohttpd panic at %s:%u: %s", file ? file : "?", line,
	          reason ? reason : "?");
	abort();
}

/* ---- lifecycle ---- */

http_s *http_new(const config_s *cfg, hub_s *hub, camera_s *cam, store_s *store, const geo_s *geo,
                 const login_ctx_s *login, char *err, size_t errlen)
{
	http_s *srv = calloc(1, sizeof(*srv));
	web_s *web;

	if (srv == NULL) {
		snprintf(err, errlen, "http: out of memory");
		return NULL;
	}
	srv->srv_listen_fd = -1;
	web = &srv->srv_web;
	web->wb_cfg = cfg;
	web->wb_pe = cfg->cfg_persona;
	web->wb_hub = hub;
	web->wb_store = store;
	web->wb_geo = geo;
	web->wb_cam = cam;
	web->wb_login = *login;
	web->wb_per_viewer = login->lc_trap != NULL && trap_mode(login->lc_trap) == TRAP_PER_VIEWER;
	/* libmicrohttpd answers with its own text when the request line and
	 * headers overflow the connection's memory; the persona answers first,
	 * well below that. */
	web->wb_uri_max = (size_t)cfg->cfg_header_memory / 4;
	web->wb_headers_max = (size_t)cfg->cfg_header_memory / 4;
	const guard_conf_s gf = {
	    .gf_max_connections = cfg->cfg_max_connections,
	    .gf_per_ip = cfg->cfg_per_ip_connections,
	    .gf_per_net = cfg->cfg_per_net_connections,
	    .gf_streams_per_ip = cfg->cfg_streams_per_ip,
	    .gf_request_timeout = cfg->cfg_request_timeout,
	    .gf_request_floor = SERVER_REQUEST_FLOOR,
	};
	web->wb_polls = polls_new((int64_t)cfg->cfg_poll_gap * 1000, SERVER_POLLS_MAX);
	web->wb_guard = guard_new(&gf);
	web->wb_budget = budget_new(cfg->cfg_event_rate, cfg->cfg_event_burst, SERVER_BUDGET_KEYS);
	if (web->wb_polls == NULL || web->wb_guard == NULL || web->wb_budget == NULL) {
		snprintf(err, errlen, "http: out of memory");
		goto fail;
	}
	if (cfg->cfg_persona->pe_onvif != NULL &&
	    (web->wb_onvif = onvif_new(cfg->cfg_persona, cfg->cfg_timezone, cfg->cfg_rtsp, err,
	                               errlen)) == NULL)
		goto fail;
	if ((web->wb_respond = respond_new(cfg, err, errlen)) == NULL ||
	    (srv->srv_wire = wire_new((int64_t)cfg->cfg_idle_timeout * 1000, err, errlen)) == NULL)
		goto fail;
	srv->srv_listen_fd = netaddr_listen((const struct sockaddr *)&cfg->cfg_addr,
	                                    cfg->cfg_addrlen, 1024, "listen", err, errlen);
	if (srv->srv_listen_fd < 0)
		goto fail;
	struct rlimit rl;
	srv->srv_nfd = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	                       rl.rlim_cur < (1u << 22)
	                   ? (size_t)rl.rlim_cur
	                   : 65536;
	const front_conf_s fc = {
	    .fc_listen_fd = srv->srv_listen_fd,
	    .fc_peek_max = (size_t)cfg->cfg_header_memory,
	    .fc_closes = 1,
	    .fc_body_max = REQUEST_BODY_MAX,
	    .fc_guard = web->wb_guard,
	    .fc_handoff = front_handoff,
	    .fc_record = front_record,
	    .fc_reject = front_reject,
	    .fc_no_request = front_no_request,
	    .fc_unrecorded = front_unrecorded,
	    .fc_arg = srv,
	};
	if ((srv->srv_fd_flags = calloc(srv->srv_nfd, 1)) == NULL ||
	    (srv->srv_fd_first = calloc(srv->srv_nfd, sizeof(*srv->srv_fd_first))) == NULL ||
	    (srv->srv_fd_held = calloc(srv->srv_nfd, sizeof(*srv->srv_fd_held))) == NULL ||
	    (srv->srv_front = front_new(&fc, err, errlen)) == NULL) {
		if (srv->srv_fd_flags == NULL || srv->srv_fd_first == NULL ||
		    srv->srv_fd_held == NULL)
			snprintf(err, errlen, "http: out of memory");
		goto fail;
	}
	return srv;
fail:
	http_free(srv);
	return NULL;
}

int http_start(http_s *srv, char *err, size_t errlen)
{
	const config_s *cfg = srv->srv_web.wb_cfg;
	/* Connections come from the front acceptor, which holds the listening
	 * socket (MHD_add_connection wakes MHD's thread through its ITC). */
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC;

	if (cfg->cfg_addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	MHD_set_panic_func(on_panic, NULL);
	if (guard_start(srv->srv_web.wb_guard, err, errlen) != 0 ||
	    wire_start(srv->srv_wire, err, errlen) != 0)
		return -1;
	/* The guard counts and caps connections at accept (in the front); MHD's
	 * own limit is only a backstop a little above it. */
	srv->srv_mhd = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned int)cfg->cfg_max_connections + 16, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned int)cfg->cfg_idle_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)cfg->cfg_header_memory, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv, MHD_OPTION_URI_LOG_CALLBACK, on_uri,
	    srv, MHD_OPTION_END);
	if (srv->srv_mhd == NULL) {
		snprintf(err, errlen,
		         "http: libmicrohttpd did not start (connection limit %d too high for this "
		         "system?)",
		         cfg->cfg_max_connections);
		return -1;
	}
	return front_start(srv->srv_front, err, errlen);
}

size_t http_counters(void *arg, store_counter_s *out, size_t cap)
{
	http_s *srv = arg;
	web_s *web = &srv->srv_web;
	guard_stats_s gs;
	size_t n;

	guard_stats(web->wb_guard, &gs);
	const store_counter_s all[] = {
	    {"requests_seen", atomic_load(&web->wb_requests_seen)},
	    {"connections_without_request", atomic_load(&web->wb_no_request)},
	    {"pipelined_unrecorded", atomic_load(&web->wb_pipelined_unrecorded)},
	    {"streams_ended_at_limit", atomic_load(&web->wb_stream_limit)},
	    {"connections_refused_full", gs.gs_refused_full},
	    {"connections_refused_ip", gs.gs_refused_ip},
	    {"connections_refused_net", gs.gs_refused_net},
	    {"connections_evicted", gs.gs_evicted},
	    {"connections_request_timeout", gs.gs_deadline_closed},
	    {"connections_request_timeout_pressed", gs.gs_deadline_pressed},
	    {"connections_closed_by_peer", gs.gs_peer_closed},
	    {"streams_refused", gs.gs_streams_refused},
	};
	n = sizeof(all) / sizeof(all[0]) < cap ? sizeof(all) / sizeof(all[0]) : cap;
	memcpy(out, all, n * sizeof(all[0]));
	return n;
}

void http_quiesce(http_s *srv)
{
	/* No new connection: the front stops accepting and drops those still
	 * waiting for a request; the listening socket closes. */
	front_stop(srv->srv_front);
	if (srv->srv_listen_fd >= 0) {
		close(srv->srv_listen_fd);
		srv->srv_listen_fd = -1;
	}
}

void http_stop(http_s *srv)
{
	/* Every answer still on the wire ends and resumes its connection
	 * before libmicrohttpd stops. */
	if (srv != NULL)
		wire_stop(srv->srv_wire);
	if (srv != NULL && srv->srv_mhd != NULL) {
		MHD_stop_daemon(srv->srv_mhd);
		srv->srv_mhd = NULL;
	}
}

void http_free(http_s *srv)
{
	if (srv == NULL)
		return;
	front_free(srv->srv_front);
	http_stop(srv);
	wire_free(srv->srv_wire);
	if (srv->srv_listen_fd >= 0)
		close(srv->srv_listen_fd);
	free((void *)srv->srv_fd_flags);
	for (size_t i = 0; srv->srv_fd_first != NULL && i < srv->srv_nfd; i++)
		free(atomic_load(&srv->srv_fd_first[i]));
	free((void *)srv->srv_fd_first);
	for (size_t i = 0; srv->srv_fd_held != NULL && i < srv->srv_nfd; i++)
		free(atomic_load(&srv->srv_fd_held[i]));
	free((void *)srv->srv_fd_held);
	respond_free(srv->srv_web.wb_respond);
	onvif_free(srv->srv_web.wb_onvif);
	polls_free(srv->srv_web.wb_polls);
	guard_free(srv->srv_web.wb_guard);
	budget_free(srv->srv_web.wb_budget);
	free(srv);
}

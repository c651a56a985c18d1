/* rtspd: the RTSP door: each session of the listener (listen.c) stepped by rtspsess.c.
 *
 * The listener owns the sockets, the table and its limits. A session that
 * PLAYs is sent every frame the hub publishes (H.264 from its own encoder, or
 * JPEG over RTP: rtspview.c) on its own connection through rtpout: a slow
 * reader skips frames. */
#include "rtspd.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attempt.h"
#include "clock.h"
#include "hubfeed.h"
#include "listen.h"
#include "rand.h"
#include "rtpout.h"
#include "rtspview.h"

#define RTSP_SESSIONS_MAX 256
#define RTSP_PER_IP_MAX   8
#define RTSP_PER_NET_MAX  32
/* New connections a second from one /24 or /64 (a burst, then this rate):
 * a path brute-forcer opens one per guess and its guesses are evidence, so
 * the rate only refuses floods: nmap's rtsp-url-brute (10 threads, its 130
 * URLs) and nmap -sV --version-all (t_probes: 108 probes at once from one
 * /24) fit in the burst; a sustained flood (a serial client reaches about
 * 80 connections a second on loopback here) is refused past it. */
#define RTSP_RATE  20.0
#define RTSP_BURST 200.0
/* rtsp-idle and rtsp-lifetime shrink as the table fills (door_limit), to
 * these at a full table. A newcomer at a full table takes the place of the
 * oldest session of the network holding the most (age tells a holder). */
#define RTSP_IDLE_FLOOR_MS     5000
#define RTSP_LIFETIME_FLOOR_MS 30000
/* A client needs four or five requests and a keep-alive every 30 s; a
 * session that sends more is guessing passwords, and starts over on a new
 * connection (counted). */
#define RTSP_REQUESTS_MAX 32
#define RTSP_ANSWER_MAX   4096
#define RTSP_BUF          (RTSP_HEAD_MAX + RTSP_BODY_MAX)

/* ---- sessions ---- */

typedef struct {
	listen_conn_s *se_c; /* the listener's: the socket and the peer */
	int se_requests;
	size_t se_len;
	uint8_t *se_buf; /* RTSP_BUF */
	size_t se_skip;  /* bytes of an interleaved frame still to drop */
	rtsp_state_s se_st;
	int se_playing;       /* joined the hub: frames go out */
	uint16_t se_seq0;     /* the first RTP sequence number: random */
	uint32_t se_rtp_base; /* RTP time at monotonic 0: random */
	rtpout_s *se_out;     /* from the first PLAY on, else NULL */
	rtspview_s se_view;
	login_recent_s se_logins;
} sess_s;

struct rtsp {
	listen_s *rt_listen;
	listen_proto_s rt_proto;
	rtsp_conf_s rt_conf;
	rtsp_stats_s rt_st; /* the thread's own counts; read under rt_lock */
	pthread_mutex_t rt_lock;
	hubfeed_s *rt_feed; /* the hub's frames, NULL: no hub */
	rtspview_conf_s rt_vconf;
	int rt_udp[2]; /* RTP and RTCP over UDP: sent from these */
	uint16_t rt_udp_port[2];
	rtpout_bucket_s rt_udp_budget; /* every UDP session's packets together */
	int rt_playing;                /* sessions joined to the hub */
	rtspview_h264_s rt_h264;       /* the sessions' H.264 encoders */
};

static void count(rtsp_s *r, uint64_t *field)
{
	pthread_mutex_lock(&r->rt_lock);
	(*field)++;
	pthread_mutex_unlock(&r->rt_lock);
}

static void record_unfinished(rtsp_s *r, sess_s *se);

static int on_open(void *arg, listen_conn_s *c)
{
	rtsp_s *r = arg;
	sess_s *se = calloc(1, sizeof(*se));

	if (se == NULL || (se->se_buf = malloc(RTSP_BUF)) == NULL) {
		free(se);
		return -1;
	}
	se->se_c = c;
	c->lc_proto = se;
	rtspview_init(&se->se_view, &c->lc_who);
	if (rand_bytes(&se->se_rtp_base, sizeof(se->se_rtp_base)) != 0 ||
	    rand_bytes(&se->se_seq0, sizeof(se->se_seq0)) != 0) {
		rand_weak(&se->se_rtp_base, sizeof(se->se_rtp_base));
		rand_weak(&se->se_seq0, sizeof(se->se_seq0));
	}
	(void)r;
	return 0;
}

/* The session's end: half a request is a row, its view (if one is open) ends. */
static void on_close(void *arg, listen_conn_s *c, listen_end_e end)
{
	rtsp_s *r = arg;
	sess_s *se = c->lc_proto;
	track_end_e te = end == LISTEN_END_IDLE       ? END_TIMEOUT
	                 : end == LISTEN_END_SHUTDOWN ? END_SHUTDOWN
	                 : end == LISTEN_END_CLIENT   ? END_CLIENT_CLOSED
	                                              : END_LIMIT; /* lifetime, evicted */

	record_unfinished(r, se);
	rtspview_close(&se->se_view, &r->rt_vconf, te, clock_wall_ms());
	rtspview_clear(&se->se_view);
	if (se->se_playing) {
		hub_viewer_leave(r->rt_conf.rc_hub);
		r->rt_playing--;
	}
	rtpout_free(se->se_out);
	free(se->se_buf);
	free(se);
	c->lc_proto = NULL;
}

/* The request's credentials (Authorization, or the URL's userinfo),
 * recorded as a login on channel "rtsp" once per credential per session; 1
 * when the header's are a trap credential the trap holds in memory. */
static int take_login(rtsp_s *r, sess_s *se, const rtsp_req_s *rq)
{
	char method[32];
	int ok, recorded, url_recorded;

	snprintf(method, sizeof(method), "%.*s",
	         (int)(rq->rr_method_len < 31 ? rq->rr_method_len : 31), rq->rr_method);
	login_attempt_s la = {
	    .la_channel = "rtsp",
	    .la_who = &se->se_c->lc_who,
	    .la_ua = rq->rr_ua,
	    .la_ua_len = rq->rr_ua_len,
	    .la_ua_orig = rq->rr_ua_len,
	    .la_path = rq->rr_uri,
	    .la_path_len = rq->rr_uri_len,
	    .la_method = method,
	};
	/* credentials in the URL are a login too (once, like the header's, and
	 * beside it when both come: VLC sends both), but only the header opens
	 * the stream, as on the camera */
	ok = login_authorization(r->rt_conf.rc_login, &la, rq->rr_auth, rq->rr_auth_len,
	                         &se->se_logins, clock_wall_ms(), &recorded);
	if (rq->rr_auth == NULL && ok == 1)
		ok = 0;
	if (recorded) {
		count(r, &r->rt_st.rs_logins);
		if (ok == 1)
			count(r, &r->rt_st.rs_accepted);
	}
	if (rq->rr_auth != NULL) {
		login_authorization(r->rt_conf.rc_login, &la, NULL, 0, &se->se_logins,
		                    clock_wall_ms(), &url_recorded);
		if (url_recorded)
			count(r, &r->rt_st.rs_logins);
	}
	return ok == 1;
}

static void record(rtsp_s *r, sess_s *se, const rtsp_req_s *rq, unsigned status)
{
	attempt_rtsp(r->rt_conf.rc_login, &se->se_c->lc_who, rq, se->se_buf, se->se_len, status,
	             clock_wall_ms());
	if (r->rt_conf.rc_record == NULL)
		return;
	const rtsp_request_info_s ri = {
	    .ri_addr = (const struct sockaddr *)&se->se_c->lc_addr,
	    .ri_method = rq->rr_method,
	    .ri_method_len = rq->rr_method_len,
	    .ri_uri = rq->rr_uri,
	    .ri_uri_len = rq->rr_uri_len,
	    .ri_ua = rq->rr_ua,
	    .ri_ua_len = rq->rr_ua_len,
	    .ri_status = status,
	};
	r->rt_conf.rc_record(r->rt_conf.rc_arg, &ri);
}

/* The first line of what is in the buffer, as a request that got status
 * (0: none, and it is recorded here), for a row. */
static void record_first_line(rtsp_s *r, sess_s *se, rtsp_req_s *rq, unsigned status)
{
	rtsp_first_line(se->se_buf, se->se_len, rq);
	count(r, &r->rt_st.rs_requests);
	if (status == 0)
		record(r, se, rq, 0);
}

/* A session that ends (EOF, idle, lifetime) with half a request: it is a
 * row too, with status 0 (nothing was answered). */
static void record_unfinished(rtsp_s *r, sess_s *se)
{
	rtsp_req_s rq;

	if (se->se_len == 0)
		return;
	memset(&rq, 0, sizeof(rq));
	record_first_line(r, se, &rq, 0);
	se->se_len = 0;
}

/* Bytes for the peer. Before PLAY answers are small and go at once: one
 * the peer's window cannot take ends the session. */
static int say(sess_s *se, const void *b, size_t n)
{
	if (se->se_out == NULL)
		return send(se->se_c->lc_fd, b, n, MSG_NOSIGNAL | MSG_DONTWAIT) == (ssize_t)n ? 0
		                                                                              : -1;
	return rtpout_say(se->se_out, b, n);
}

static void fresh_env(rtsp_s *r, sess_s *se, rtsp_env_s *env)
{
	uint32_t rnd[2];

	if (rand_bytes(rnd, sizeof(rnd)) != 0)
		rand_weak(rnd, sizeof(rnd));
	*env = (rtsp_env_s){
	    .en_w = r->rt_conf.rc_w,
	    .en_h = r->rt_conf.rc_h,
	    .en_fps = r->rt_conf.rc_fps,
	    .en_random = {rnd[0], rnd[1]},
	    .en_seq = se->se_out != NULL ? rtpout_seq(se->se_out) : se->se_seq0,
	    .en_rtptime = se->se_rtp_base + (uint32_t)((uint64_t)clock_mono_ms() * 90),
	    .en_udp = r->rt_udp[0] >= 0,
	    .en_server_port = {r->rt_udp_port[0], r->rt_udp_port[1]},
	    .en_h264 = rtspview_h264_ok(&se->se_view, &r->rt_vconf) ? &r->rt_h264.hp_sdp : NULL,
	};
}

static int answer(rtsp_s *r, sess_s *se, const rtsp_req_s *rq, rtsp_answer_e a,
                  const rtsp_env_s *env)
{
	const persona_rtsp_s *v = r->rt_conf.rc_voice;
	char out[RTSP_ANSWER_MAX], date[48], nonce[33];
	unsigned char raw[16];
	size_t n;

	/* never checked (a nonce is not what makes a login succeed here), but a
	 * constant one would mark the decoy */
	if (rand_bytes(raw, sizeof(raw)) != 0)
		rand_weak(raw, sizeof(raw));
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(nonce + 2 * i, 3, "%02x", raw[i]);
	rtsp_date(v, clock_wall_ms() / 1000, date, sizeof(date));
	n = rtsp_answer(v, rq, a, &se->se_st, env, nonce, date, out, sizeof(out));
	record(r, se, rq, rtsp_status(a));
	return n > 0 ? say(se, out, n) : -1;
}

/* What the session's step asks of the sender; -1 when out of memory. */
static int apply(rtsp_s *r, sess_s *se, const rtsp_req_s *rq, rtsp_effect_e eff)
{
	if (eff == RTSP_DO_PLAY && !se->se_playing && r->rt_conf.rc_hub != NULL) {
		rtspview_play(&se->se_view, rq->rr_uri, rq->rr_uri_len, rq->rr_ua, rq->rr_ua_len);
		/* UDP only to the RTSP peer's own address, at the port it asked for */
		rtpout_udp_s u = {r->rt_udp[0], r->rt_udp[1], se->se_c->lc_addr,
		                  (uint16_t)se->se_st.st_tr.tr_client_port, &r->rt_udp_budget};
		if (se->se_out == NULL &&
		    (se->se_out =
		         rtpout_new(se->se_c->lc_fd, se->se_st.st_ssrc, se->se_seq0,
		                    se->se_rtp_base, se->se_st.st_tr.tr_tcp ? NULL : &u)) == NULL)
			return -1;
		se->se_playing = 1;
		r->rt_playing++;
		hub_viewer_join(r->rt_conf.rc_hub);
		count(r, &r->rt_st.rs_plays);
	} else if ((eff == RTSP_DO_PAUSE || eff == RTSP_DO_STOP) && se->se_playing) {
		rtspview_close(&se->se_view, &r->rt_vconf, END_COMPLETED, clock_wall_ms());
		se->se_playing = 0;
		r->rt_playing--;
		hub_viewer_leave(r->rt_conf.rc_hub);
	}
	return 0;
}

/* Drops the client's interleaved frames (its RTCP receiver reports) from
 * the front of the buffer: 1 when more bytes are needed first. */
static int drop_interleaved(sess_s *se)
{
	for (;;) {
		size_t k = se->se_skip < se->se_len ? se->se_skip : se->se_len;
		long l;

		memmove(se->se_buf, se->se_buf + k, se->se_len - k);
		se->se_len -= k;
		se->se_skip -= k;
		if (se->se_skip > 0)
			return 1;
		if ((l = rtsp_interleaved(se->se_buf, se->se_len)) < 0)
			return 1;
		if (l == 0)
			return 0;
		se->se_skip = (size_t)l;
	}
}

/* Handles input; -1 when the session is to be closed. */
static int on_input(void *arg, listen_conn_s *c)
{
	rtsp_s *r = arg;
	sess_s *se = c->lc_proto;
	ssize_t got = recv(c->lc_fd, se->se_buf + se->se_len, RTSP_BUF - se->se_len, 0);

	if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
		record_unfinished(r, se);
		return -1;
	}
	if (got < 0)
		return 0;
	se->se_len += (size_t)got;
	listen_active(c, clock_mono_ms());
	for (;;) {
		rtsp_req_s rq;
		rtsp_env_s env;
		rtsp_effect_e eff;

		if (drop_interleaved(se))
			return 0;
		rtsp_parse_e pr = rtsp_parse(se->se_buf, se->se_len, &rq);
		if (pr == RTSP_NEED)
			return 0;
		if (pr == RTSP_BAD) {
			/* recorded like the front's probes: the first line, bounded */
			record_first_line(r, se, &rq, 400);
			count(r, &r->rt_st.rs_ended_bad);
			fresh_env(r, se, &env);
			answer(r, se, &rq, RTSP_ANSWER_BAD, &env);
			se->se_len = 0; /* recorded: the close must not record it again */
			return -1;
		}
		size_t total = rq.rr_head_len + rq.rr_body_len;
		if (total > se->se_len)
			return 0; /* the body is still coming */
		count(r, &r->rt_st.rs_requests);
		int authorized = take_login(r, se, &rq) || r->rt_conf.rc_auth_none;
		fresh_env(r, se, &env);
		rtsp_answer_e a =
		    rtsp_step(&se->se_st, r->rt_conf.rc_voice, &rq, authorized, &env, &eff);
		rtspview_h264_hold(&se->se_view, &r->rt_vconf,
		                   se->se_st.st_codec == RTSP_CODEC_H264);
		if (answer(r, se, &rq, a, &env) != 0 || apply(r, se, &rq, eff) != 0)
			return -1;
		/* a session set up keeps to the firmware's timeout between keep-alives */
		c->lc_keep_ms = se->se_st.st_phase != RTSP_PHASE_INIT
		                    ? (int64_t)r->rt_conf.rc_voice->pv_timeout_s * 1000 + 5000
		                    : 0;
		memmove(se->se_buf, se->se_buf + total, se->se_len - total);
		se->se_len -= total;
		if (++se->se_requests >= RTSP_REQUESTS_MAX) {
			count(r, &r->rt_st.rs_ended_requests);
			return -1;
		}
	}
}

/* One frame to every playing session, or skipped for a slow reader. */
static void send_frame(rtsp_s *r, frame_s *fr)
{
	rtp_jpeg_s j;
	int64_t now = clock_mono_ms(), wall = clock_wall_ms();
	uint64_t sent = 0, skipped = 0;

	if (rtp_jpeg_parse(fr->fr_data, fr->fr_len, &j) != 0)
		return;
	for (int i = 0; i < listen_count(r->rt_listen); i++) {
		sess_s *se = listen_conn(r->rt_listen, i)->lc_proto;

		if (!se->se_playing)
			continue;
		if (rtpout_pending(se->se_out)) {
			skipped++; /* still sending the last one: not encoded, nothing lost */
			continue;
		}
		sent += (uint64_t)rtspview_send(&se->se_view, &r->rt_vconf, se->se_out, fr, &j,
		                                se->se_st.st_codec == RTSP_CODEC_H264,
		                                (uint8_t)se->se_st.st_tr.tr_channel, now, wall);
	}
	pthread_mutex_lock(&r->rt_lock);
	r->rt_st.rs_frames += sent;
	r->rt_st.rs_frames_skipped += skipped;
	r->rt_st.rs_h264 = r->rt_h264.hp_stats;
	pthread_mutex_unlock(&r->rt_lock);
}

static int wants_write(void *arg, const listen_conn_s *c)
{
	const sess_s *se = c->lc_proto;

	(void)arg;
	return se->se_out != NULL && rtpout_pending(se->se_out);
}

static int on_writable(void *arg, listen_conn_s *c)
{
	sess_s *se = c->lc_proto;

	(void)arg;
	return rtpout_flush(se->se_out);
}

/* frames are read only while someone plays: a wake left in the pipe must
 * not make every poll return at once */
static int frames_fd(void *arg)
{
	rtsp_s *r = arg;

	return r->rt_feed != NULL && r->rt_playing > 0 ? hubfeed_fd(r->rt_feed) : -1;
}

static void on_frames(void *arg)
{
	rtsp_s *r = arg;

	for (frame_s *fr; r->rt_playing > 0 && (fr = hubfeed_next(r->rt_feed)) != NULL;
	     frame_unref(fr))
		send_frame(r, fr);
}

rtsp_s *rtsp_new(const struct sockaddr *addr, socklen_t addrlen, const rtsp_conf_s *conf, char *err,
                 size_t errlen)
{
	rtsp_s *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		snprintf(err, errlen, "rtsp: out of memory");
		return NULL;
	}
	r->rt_udp[0] = r->rt_udp[1] = -1;
	rtpout_bucket_init(&r->rt_udp_budget, RTPOUT_GLOBAL_PPS, RTPOUT_GLOBAL_PPS);
	r->rt_conf = *conf;
	r->rt_vconf =
	    (rtspview_conf_s){.vc_store = conf->rc_store,
	                      .vc_trap = conf->rc_login != NULL ? conf->rc_login->lc_trap : NULL,
	                      .vc_cam = conf->rc_cam,
	                      .vc_hub = conf->rc_hub,
	                      .vc_per_viewer = conf->rc_per_viewer};
	pthread_mutex_init(&r->rt_lock, NULL);
	if (conf->rc_voice == NULL) {
		snprintf(err, errlen, "rtsp: this persona's camera has no RTSP server");
		goto fail;
	}
	if (conf->rc_hub != NULL && (r->rt_feed = hubfeed_new(conf->rc_hub)) == NULL) {
		snprintf(err, errlen, "rtsp: %s", strerror(errno));
		goto fail;
	}
	r->rt_proto = (listen_proto_s){.lp_open = on_open,
	                               .lp_readable = on_input,
	                               .lp_writable = on_writable,
	                               .lp_wants_write = wants_write,
	                               .lp_close = on_close,
	                               .lp_extra_fd = frames_fd,
	                               .lp_extra = on_frames};
	/* rtsp-idle and rtsp-lifetime shrink as the table fills (to the
	 * floors at a full table); lifetime ends playing sessions too */
	const listen_conf_s lf = {.lf_name = "rtsp",
	                          .lf_places = RTSP_SESSIONS_MAX,
	                          .lf_per_ip = RTSP_PER_IP_MAX,
	                          .lf_per_net = RTSP_PER_NET_MAX,
	                          .lf_idle_ms = (int64_t)conf->rc_idle_s * 1000,
	                          .lf_lifetime_ms = (int64_t)conf->rc_lifetime_s * 1000,
	                          .lf_idle_floor_ms = RTSP_IDLE_FLOOR_MS,
	                          .lf_lifetime_floor_ms = RTSP_LIFETIME_FLOOR_MS,
	                          .lf_rate = RTSP_RATE,
	                          .lf_burst = RTSP_BURST,
	                          .lf_geo = conf->rc_geo,
	                          .lf_store = conf->rc_store,
	                          .lf_proto = &r->rt_proto,
	                          .lf_arg = r};
	if ((r->rt_listen = listen_new(addr, addrlen, &lf, err, errlen)) == NULL ||
	    rtpout_udp_open(addr, addrlen, r->rt_udp, r->rt_udp_port, err, errlen) != 0)
		goto fail;
	/* no libx264 (or no parameter sets): every path plays JPEG */
	if (conf->rc_hub != NULL &&
	    rtspview_h264_init(&r->rt_h264, conf->rc_w, conf->rc_h, conf->rc_fps,
	                       conf->rc_h264_max != 0 ? conf->rc_h264_max : RTSP_H264_MAX) == 0)
		r->rt_vconf.vc_h264 = &r->rt_h264;
	return r;
fail:
	rtsp_free(r);
	return NULL;
}

int rtsp_start(rtsp_s *r, char *err, size_t errlen)
{
	return listen_start(r->rt_listen, err, errlen);
}

void rtsp_stats(rtsp_s *r, rtsp_stats_s *out)
{
	listen_stats_s ls;

	listen_stats(r->rt_listen, &ls);
	pthread_mutex_lock(&r->rt_lock);
	*out = r->rt_st;
	pthread_mutex_unlock(&r->rt_lock);
	out->rs_sessions = ls.ls_sessions;
	out->rs_refused_full =
	    ls.ls_refused[LISTEN_REFUSED_FULL] + ls.ls_refused[LISTEN_REFUSED_MEMORY];
	out->rs_refused_ip = ls.ls_refused[LISTEN_REFUSED_IP];
	out->rs_refused_net = ls.ls_refused[LISTEN_REFUSED_NET];
	out->rs_refused_rate = ls.ls_refused[LISTEN_REFUSED_RATE];
	out->rs_evicted = ls.ls_evicted;
	out->rs_ended_idle = ls.ls_ended_idle;
	out->rs_ended_lifetime = ls.ls_ended_lifetime;
	out->rs_ended_early = ls.ls_ended_early;
	out->rs_refusals_recorded = ls.ls_recorded;
}

void rtsp_stop(rtsp_s *r)
{
	if (r != NULL)
		listen_stop(r->rt_listen);
}

void rtsp_free(rtsp_s *r)
{
	if (r == NULL)
		return;
	listen_free(r->rt_listen); /* stops it: every session ends first */
	for (int i = 0; i < 2; i++)
		if (r->rt_udp[i] >= 0)
			close(r->rt_udp[i]);
	hubfeed_free(r->rt_feed);
	pthread_mutex_destroy(&r->rt_lock);
	free(r);
}

/* telnet: option negotiation, line input and the login dialogue of one session (the listener,
 * listen.c, owns the sockets and the session table). */
#include "telnet.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attempt.h"
#include "clock.h"
#include "listen.h"

#define IAC      255
#define DONT     254
#define DO       253
#define WONT     252
#define WILL     251
#define SB       250
#define SE       240
#define OPT_ECHO 1
#define OPT_SGA  3
#define OPT_NAWS 31

#define TELNET_SESSIONS_MAX 256
#define TELNET_PER_IP_MAX   8
/* From one /24 or /64: 32 addresses cannot hold every slot any more. */
#define TELNET_PER_NET_MAX 32
/* New connections a second from one /24 or /64 (a burst, then this rate):
 * a connection flood is refused for an accept and a close, while a scanner's
 * probes, one connection each, still get in (their bytes are evidence). */
#define TELNET_RATE  20.0
#define TELNET_BURST 200.0
/* Only typed characters reset the idle timer (telnet-idle: a NUL or an
 * option every 25 s used to keep a slot for ever), and no session outlives
 * telnet-lifetime. Both shrink as the table fills (door_limit), to these
 * at a full table: a person logs in within them. A newcomer at a full table
 * takes the place of the oldest session of the network holding the most:
 * sessions that keep typing have no "waiting for a request" state, so
 * every one is a candidate. */
#define TELNET_IDLE_FLOOR_MS     10000
#define TELNET_LIFETIME_FLOOR_MS 30000
/* BusyBox's line editor (read_line_input) takes at most
 * CONFIG_FEATURE_EDITING_MAX_LEN - 2 characters (1024 by default) and
 * ignores the rest without echoing them. */
#define TELNET_EDIT_MAX      1024
#define TELNET_FAIL_DELAY_MS 1500 /* busybox login waits before "Login incorrect" */
#define TELNET_ATTEMPTS      3
#define TELNET_SB_MAX        256

enum { TP_DATA, TP_IAC, TP_VERB, TP_SB, TP_SB_IAC };

void telnet_line_reset(telnet_parser_s *p)
{
	p->tp_len = 0;
	p->tp_orig = 0;
	p->tp_shown = 0;
	p->tp_line[0] = '\0';
}

static void emit(uint8_t *out, size_t cap, size_t *outlen, const uint8_t *b, size_t n)
{
	if (*outlen + n <= cap) {
		memcpy(out + *outlen, b, n);
		*outlen += n;
	}
}

int telnet_parse(telnet_parser_s *p, const uint8_t *in, size_t n, size_t *consumed, int echo,
                 uint8_t *out, size_t cap, size_t *outlen)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = in[i];

		switch (p->tp_state) {
		case TP_IAC:
			if (c == IAC) {
				p->tp_state = TP_DATA;
				goto data; /* an escaped 255 is data */
			}
			if (c == WILL || c == WONT || c == DO || c == DONT) {
				p->tp_verb = c;
				p->tp_state = TP_VERB;
			} else if (c == SB) {
				p->tp_sb_len = 0;
				p->tp_state = TP_SB;
			} else {
				p->tp_state = TP_DATA; /* NOP, GA, AYT...: ignored */
			}
			continue;
		case TP_VERB: {
			/* Refuse what we did not offer or ask for; accept nothing new. */
			uint8_t reply[3] = {IAC, 0, c};
			p->tp_state = TP_DATA;
			if (p->tp_verb == DO && c != OPT_ECHO && c != OPT_SGA)
				reply[1] = WONT;
			else if (p->tp_verb == WILL && c != OPT_ECHO && c != OPT_NAWS)
				reply[1] = DONT;
			else
				continue;
			emit(out, cap, outlen, reply, 3);
			continue;
		}
		case TP_SB:
			if (c == IAC)
				p->tp_state = TP_SB_IAC;
			else if (++p->tp_sb_len > TELNET_SB_MAX)
				p->tp_state = TP_DATA; /* unterminated: give up on it */
			continue;
		case TP_SB_IAC:
			p->tp_state = c == SE ? TP_DATA : TP_SB;
			continue;
		default:
			break;
		}
		if (c == IAC) {
			p->tp_state = TP_IAC;
			continue;
		}
	data:
		if (c == '\r' || c == '\n') {
			int was_cr = p->tp_cr;
			p->tp_typed++;
			p->tp_cr = c == '\r';
			if (c == '\n' && was_cr)
				continue; /* CR LF: the line already ended at CR */
			if (echo)
				emit(out, cap, outlen, (const uint8_t *)"\r\n", 2);
			*consumed = i + 1;
			return 1;
		}
		if (c == 0) {
			p->tp_cr = 0; /* CR NUL, or noise: never typed */
			continue;
		}
		p->tp_typed++;
		p->tp_cr = 0;
		if (c == 0x7f || c == 0x08) { /* erase */
			if (p->tp_len > 0 && p->tp_len == p->tp_orig)
				p->tp_len--;
			if (p->tp_orig > 0)
				p->tp_orig--;
			if (p->tp_shown > 0)
				p->tp_shown--;
			continue;
		}
		if (p->tp_len < TELNET_LINE_MAX)
			p->tp_line[p->tp_len++] = (char)c;
		p->tp_line[p->tp_len] = '\0';
		p->tp_orig++;
		if (c < 0x20 || p->tp_shown >= TELNET_EDIT_MAX - 2)
			continue; /* the editor ignores it: no echo */
		p->tp_shown++;
		if (echo && c < 0x7f)
			emit(out, cap, outlen, &c, 1);
	}
	*consumed = n;
	return 0;
}

/* ---- sessions ---- */

typedef enum { S_USER, S_PASS, S_DELAY } sess_state_e;

typedef struct {
	sess_state_e se_state;
	int se_attempts;
	telnet_parser_s se_p;
	char se_user[TELNET_LINE_MAX + 1];
	size_t se_user_len, se_user_orig;
} sess_s;

struct telnet {
	listen_s *tn_listen;
	char *tn_banner;
	login_ctx_s tn_ctx;
	listen_proto_s tn_proto;
};

/* Sessions write small prompts; a peer that does not read loses them. */
static void say(listen_conn_s *c, const void *b, size_t n)
{
	ssize_t w = send(c->lc_fd, b, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)w;
}

static void say_str(listen_conn_s *c, const char *s)
{
	say(c, s, strlen(s));
}

static int on_open(void *arg, listen_conn_s *c)
{
	telnet_s *t = arg;

	if ((c->lc_proto = calloc(1, sizeof(sess_s))) == NULL)
		return -1;
	/* What busybox telnetd (the cameras' own) sends first: it asks for the
	 * client's echo and window size, and offers echo and no go-ahead. */
	static const uint8_t hello[] = {IAC, DO,   OPT_ECHO, IAC, DO,   OPT_NAWS,
	                                IAC, WILL, OPT_ECHO, IAC, WILL, OPT_SGA};
	say(c, hello, sizeof(hello));
	say_str(c, "\r\n");
	say_str(c, t->tn_banner);
	return 0;
}

static void on_close(void *arg, listen_conn_s *c, listen_end_e end)
{
	(void)arg;
	(void)end;
	free(c->lc_proto);
	c->lc_proto = NULL;
}

/* The failure delay is over: "Login incorrect", and the prompt again or the end. */
static int on_timer(void *arg, listen_conn_s *c, int64_t now_ms)
{
	telnet_s *t = arg;
	sess_s *se = c->lc_proto;

	(void)now_ms;
	if (se->se_state != S_DELAY)
		return 0;
	say_str(c, "\r\nLogin incorrect\r\n");
	if (se->se_attempts >= TELNET_ATTEMPTS)
		return -1;
	say_str(c, t->tn_banner);
	se->se_state = S_USER;
	return 0;
}

static void take_password(telnet_s *t, listen_conn_s *c, sess_s *se)
{
	authparse_cred_s cred = {.ac_has_user = 1, .ac_has_pass = 1};

	memcpy(cred.ac_user, se->se_user, se->se_user_len + 1);
	cred.ac_user_len = se->se_user_len;
	cred.ac_user_orig = se->se_user_orig;
	memcpy(cred.ac_pass, se->se_p.tp_line, se->se_p.tp_len + 1);
	cred.ac_pass_len = se->se_p.tp_len;
	cred.ac_pass_orig = se->se_p.tp_orig;
	telnet_line_reset(&se->se_p);
	const login_attempt_s la = {
	    .la_channel = "telnet",
	    .la_who = &c->lc_who,
	    .la_cred = &cred,
	};
	login_record(&t->tn_ctx, &la, clock_wall_ms());
	se->se_attempts++;
	se->se_state = S_DELAY;
	c->lc_wake_at = clock_mono_ms() + TELNET_FAIL_DELAY_MS;
}

/* Handles input; returns -1 when the session is to be closed. */
static int on_input(void *arg, listen_conn_s *c)
{
	telnet_s *t = arg;
	sess_s *se = c->lc_proto;
	uint8_t in[512], out[2048];
	ssize_t n = recv(c->lc_fd, in, sizeof(in), 0);
	size_t off = 0;

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		return -1;
	if (n < 0)
		return 0;
	uint64_t typed = se->se_p.tp_typed;
	while (off < (size_t)n) {
		size_t used = 0, outlen = 0;
		int line;

		if (se->se_state == S_DELAY)
			return 0; /* typed ahead during the delay: dropped, as a tty would */
		line = telnet_parse(&se->se_p, in + off, (size_t)n - off, &used,
		                    se->se_state == S_USER, out, sizeof(out), &outlen);
		off += used;
		if (outlen > 0)
			say(c, out, outlen);
		if (!line)
			break;
		attempt_telnet(&t->tn_ctx, &c->lc_who, se->se_p.tp_line, se->se_p.tp_len,
		               se->se_p.tp_orig, se->se_state == S_PASS, clock_wall_ms());
		if (se->se_state == S_PASS) {
			take_password(t, c, se);
			continue;
		}
		memcpy(se->se_user, se->se_p.tp_line, se->se_p.tp_len + 1);
		se->se_user_len = se->se_p.tp_len;
		se->se_user_orig = se->se_p.tp_orig;
		telnet_line_reset(&se->se_p);
		if (se->se_user_len == 0 && se->se_user_orig == 0) {
			say_str(c, t->tn_banner);
			continue;
		}
		say_str(c, "Password: ");
		se->se_state = S_PASS;
	}
	/* only typed characters keep a session alive */
	if (se->se_p.tp_typed != typed)
		listen_active(c, clock_mono_ms());
	return 0;
}

telnet_s *telnet_new(const struct sockaddr *addr, socklen_t addrlen, const char *banner, int idle_s,
                     int lifetime_s, const login_ctx_s *ctx, const geo_s *geo, char *err,
                     size_t errlen)
{
	telnet_s *t = calloc(1, sizeof(*t));

	if (t == NULL || (t->tn_banner = strdup(banner)) == NULL) {
		snprintf(err, errlen, "telnet: out of memory");
		free(t);
		return NULL;
	}
	t->tn_ctx = *ctx;
	t->tn_proto = (listen_proto_s){.lp_open = on_open,
	                               .lp_readable = on_input,
	                               .lp_timer = on_timer,
	                               .lp_close = on_close};
	const listen_conf_s lf = {.lf_name = "telnet",
	                          .lf_places = TELNET_SESSIONS_MAX,
	                          .lf_per_ip = TELNET_PER_IP_MAX,
	                          .lf_per_net = TELNET_PER_NET_MAX,
	                          .lf_idle_ms = (int64_t)idle_s * 1000,
	                          .lf_lifetime_ms = (int64_t)lifetime_s * 1000,
	                          .lf_idle_floor_ms = TELNET_IDLE_FLOOR_MS,
	                          .lf_lifetime_floor_ms = TELNET_LIFETIME_FLOOR_MS,
	                          .lf_rate = TELNET_RATE,
	                          .lf_burst = TELNET_BURST,
	                          .lf_geo = geo,
	                          .lf_store = ctx->lc_store,
	                          .lf_proto = &t->tn_proto,
	                          .lf_arg = t};
	if ((t->tn_listen = listen_new(addr, addrlen, &lf, err, errlen)) == NULL) {
		telnet_free(t);
		return NULL;
	}
	return t;
}

int telnet_start(telnet_s *t, char *err, size_t errlen)
{
	return listen_start(t->tn_listen, err, errlen);
}

void telnet_stop(telnet_s *t)
{
	if (t != NULL)
		listen_stop(t->tn_listen);
}

void telnet_free(telnet_s *t)
{
	if (t == NULL)
		return;
	listen_free(t->tn_listen);
	free(t->tn_banner);
	free(t);
}

void telnet_stats(telnet_s *t, telnet_stats_s *out)
{
	listen_stats_s ls;

	listen_stats(t->tn_listen, &ls);
	*out = (telnet_stats_s){
	    .ts_sessions = ls.ls_sessions,
	    .ts_refused_full =
	        ls.ls_refused[LISTEN_REFUSED_FULL] + ls.ls_refused[LISTEN_REFUSED_MEMORY],
	    .ts_refused_ip = ls.ls_refused[LISTEN_REFUSED_IP],
	    .ts_refused_net = ls.ls_refused[LISTEN_REFUSED_NET],
	    .ts_refused_rate = ls.ls_refused[LISTEN_REFUSED_RATE],
	    .ts_evicted = ls.ls_evicted,
	    .ts_ended_idle = ls.ls_ended_idle,
	    .ts_ended_lifetime = ls.ls_ended_lifetime,
	    .ts_ended_early = ls.ls_ended_early,
	    .ts_refusals_recorded = ls.ls_recorded,
	};
}

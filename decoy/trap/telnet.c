/* telnet: option negotiation, line input and a poll() loop over bounded sessions. */
#include "telnet.h"
#include "thread.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attempt.h"
#include "clock.h"
#include "door.h"
#include "netaddr.h"

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
	door_seat_s se_seat;
	int se_fd;
	char se_ip[46];
	uint16_t se_port;
	char se_country[3];
	uint32_t se_asn;
	char se_as_org[GEO_AS_ORG_MAX + 1];
	sess_state_e se_state;
	int se_attempts;
	int64_t se_typed_at, se_wake_at, se_start;
	telnet_parser_s se_p;
	char se_user[TELNET_LINE_MAX + 1];
	size_t se_user_len, se_user_orig;
} sess_s;

struct telnet {
	int tn_fd;
	int tn_wake[2]; /* self-pipe to stop the thread */
	pthread_t tn_thread;
	int tn_started;
	char *tn_banner;
	login_ctx_s tn_ctx;
	const geo_s *tn_geo;
	door_s *tn_door;
	sess_s *tn_sess[TELNET_SESSIONS_MAX]; /* stable: the door holds their seats */
	int tn_nsess;
	int64_t tn_idle_ms, tn_lifetime_ms;
	telnet_stats_s tn_st; /* the thread's; read under tn_lock */
	pthread_mutex_t tn_lock;
};

/* Sessions write small prompts; a peer that does not read loses them. */
static void say(sess_s *se, const void *b, size_t n)
{
	ssize_t w = send(se->se_fd, b, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)w;
}

static void say_str(sess_s *se, const char *s)
{
	say(se, s, strlen(s));
}

static void close_sess(telnet_s *t, int i)
{
	sess_s *se = t->tn_sess[i];

	door_leave(t->tn_door, &se->se_seat);
	close(se->se_fd);
	free(se);
	t->tn_sess[i] = t->tn_sess[--t->tn_nsess];
}

/* The door's counts, as the stats say them. */
static void sync_stats(telnet_s *t)
{
	door_stats_s ds;

	door_stats(t->tn_door, &ds);
	pthread_mutex_lock(&t->tn_lock);
	t->tn_st.ts_refused_full = ds.dst_refused_full;
	t->tn_st.ts_refused_ip = ds.dst_refused_ip;
	t->tn_st.ts_refused_net = ds.dst_refused_net;
	t->tn_st.ts_evicted = ds.dst_evicted;
	pthread_mutex_unlock(&t->tn_lock);
}

static void accept_one(telnet_s *t)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd = accept4(t->tn_fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
	sess_s *se = NULL;
	door_seat_s *victim;
	door_addr_s da;
	door_verdict_e v;
	int64_t now = clock_mono_ms();

	if (fd < 0)
		return;
	door_addr((struct sockaddr *)&ss, sl, &da);
	v = door_admit(t->tn_door, &da, &victim);
	for (int i = 0; v == DOOR_EVICT && i < t->tn_nsess; i++) {
		if (&t->tn_sess[i]->se_seat == victim) {
			close_sess(t, i); /* its place is the newcomer's */
			break;
		}
	}
	sync_stats(t);
	if ((v != DOOR_OK && v != DOOR_EVICT) || t->tn_nsess >= TELNET_SESSIONS_MAX ||
	    (se = calloc(1, sizeof(*se))) == NULL) {
		close(fd);
		return;
	}
	t->tn_sess[t->tn_nsess++] = se;
	door_sit(t->tn_door, &se->se_seat, &da, now, 0);
	se->se_fd = fd;
	netaddr_format((struct sockaddr *)&ss, se->se_ip, sizeof(se->se_ip), &se->se_port);
	se->se_start = se->se_typed_at = now;
	geo_country(t->tn_geo, (struct sockaddr *)&ss, se->se_country);
	geo_asn(t->tn_geo, (struct sockaddr *)&ss, &se->se_asn, se->se_as_org);
	pthread_mutex_lock(&t->tn_lock);
	t->tn_st.ts_sessions++;
	pthread_mutex_unlock(&t->tn_lock);
	/* What busybox telnetd (the cameras' own) sends first: it asks for the
	 * client's echo and window size, and offers echo and no go-ahead. */
	static const uint8_t hello[] = {IAC, DO,   OPT_ECHO, IAC, DO,   OPT_NAWS,
	                                IAC, WILL, OPT_ECHO, IAC, WILL, OPT_SGA};
	say(se, hello, sizeof(hello));
	say_str(se, "\r\n");
	say_str(se, t->tn_banner);
}

/* Handles input; returns -1 when the session is to be closed. */
static int on_input(telnet_s *t, sess_s *se)
{
	uint8_t in[512], out[2048];
	ssize_t n = recv(se->se_fd, in, sizeof(in), 0);
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
			say(se, out, outlen);
		if (!line)
			break;
		attempt_telnet(&t->tn_ctx,
		               &(const attempt_peer_s){se->se_ip, se->se_port, se->se_country,
		                                       se->se_asn, se->se_as_org},
		               se->se_p.tp_line, se->se_p.tp_len, se->se_p.tp_orig,
		               se->se_state == S_PASS, clock_wall_ms());
		if (se->se_state == S_USER) {
			memcpy(se->se_user, se->se_p.tp_line, se->se_p.tp_len + 1);
			se->se_user_len = se->se_p.tp_len;
			se->se_user_orig = se->se_p.tp_orig;
			telnet_line_reset(&se->se_p);
			if (se->se_user_len == 0 && se->se_user_orig == 0) {
				say_str(se, t->tn_banner);
				continue;
			}
			say_str(se, "Password: ");
			se->se_state = S_PASS;
		} else {
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
			    .la_ip = se->se_ip,
			    .la_port = se->se_port,
			    .la_country = se->se_country,
			    .la_asn = se->se_asn,
			    .la_as_org = se->se_as_org,
			    .la_cred = &cred,
			};
			login_record(&t->tn_ctx, &la, clock_wall_ms());
			se->se_attempts++;
			se->se_state = S_DELAY;
			se->se_wake_at = clock_mono_ms() + TELNET_FAIL_DELAY_MS;
		}
	}
	if (se->se_p.tp_typed != typed)
		se->se_typed_at = clock_mono_ms();
	return 0;
}

static void *telnet_run(void *arg)
{
	telnet_s *t = arg;
	struct pollfd pfd[TELNET_SESSIONS_MAX + 2];

	for (;;) {
		int64_t now = clock_mono_ms(), next = now + 1000;
		int np = 0, rc;
		/* the limits shrink as the table fills */
		int64_t idle = door_limit(t->tn_door, t->tn_idle_ms, TELNET_IDLE_FLOOR_MS),
		        life = door_limit(t->tn_door, t->tn_lifetime_ms, TELNET_LIFETIME_FLOOR_MS);

		/* timers: the failure delay, and the idle limit */
		for (int i = 0; i < t->tn_nsess;) {
			sess_s *se = t->tn_sess[i];
			if (se->se_state == S_DELAY && now >= se->se_wake_at) {
				say_str(se, "\r\nLogin incorrect\r\n");
				if (se->se_attempts >= TELNET_ATTEMPTS) {
					close_sess(t, i);
					continue;
				}
				say_str(se, t->tn_banner);
				se->se_state = S_USER;
			}
			int over_life = now - se->se_start >= life,
			    over_idle = now - se->se_typed_at >= idle;
			if (over_life || over_idle) {
				pthread_mutex_lock(&t->tn_lock);
				if (over_life)
					t->tn_st.ts_ended_lifetime++;
				else
					t->tn_st.ts_ended_idle++;
				/* cut short by the pressure */
				if (now - se->se_start < t->tn_lifetime_ms &&
				    now - se->se_typed_at < t->tn_idle_ms)
					t->tn_st.ts_ended_early++;
				pthread_mutex_unlock(&t->tn_lock);
				close_sess(t, i);
				continue;
			}
			if (se->se_state == S_DELAY && se->se_wake_at < next)
				next = se->se_wake_at;
			i++;
		}
		pfd[np++] = (struct pollfd){.fd = t->tn_wake[0], .events = POLLIN};
		pfd[np++] = (struct pollfd){.fd = t->tn_fd, .events = POLLIN};
		for (int i = 0; i < t->tn_nsess; i++)
			pfd[np++] = (struct pollfd){.fd = t->tn_sess[i]->se_fd, .events = POLLIN};
		rc = poll(pfd, (nfds_t)np, (int)(next - now > 0 ? next - now : 0));
		if (rc < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			break;
		/* sessions first (indices shift when one closes: walk backwards) */
		for (int i = np - 1; i >= 2; i--) {
			if (pfd[i].revents == 0)
				continue;
			if (on_input(t, t->tn_sess[i - 2]) != 0)
				close_sess(t, i - 2);
		}
		if (pfd[1].revents & POLLIN)
			accept_one(t);
	}
	while (t->tn_nsess > 0)
		close_sess(t, 0);
	return NULL;
}

telnet_s *telnet_new(const struct sockaddr *addr, socklen_t addrlen, const char *banner, int idle_s,
                     int lifetime_s, const login_ctx_s *ctx, const geo_s *geo, char *err,
                     size_t errlen)
{
	telnet_s *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		snprintf(err, errlen, "telnet: out of memory");
		return NULL;
	}
	t->tn_wake[0] = t->tn_wake[1] = -1;
	t->tn_idle_ms = (int64_t)idle_s * 1000;
	t->tn_lifetime_ms = (int64_t)lifetime_s * 1000;
	t->tn_ctx = *ctx;
	t->tn_geo = geo;
	t->tn_banner = strdup(banner);
	t->tn_fd = -1;
	pthread_mutex_init(&t->tn_lock, NULL);
	const door_conf_s dc = {.dc_places = TELNET_SESSIONS_MAX,
	                        .dc_per_ip = TELNET_PER_IP_MAX,
	                        .dc_per_net = TELNET_PER_NET_MAX};
	if ((t->tn_door = door_new(&dc)) == NULL) {
		snprintf(err, errlen, "telnet: out of memory");
		goto fail;
	}
	if (t->tn_banner == NULL || pipe2(t->tn_wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		snprintf(err, errlen, "telnet: %s", strerror(errno));
		goto fail;
	}
	if ((t->tn_fd = netaddr_listen(addr, addrlen, 64, "telnet", err, errlen)) < 0)
		goto fail;
	return t;
fail:
	telnet_free(t);
	return NULL;
}

int telnet_start(telnet_s *t, char *err, size_t errlen)
{
	if (thread_start(&t->tn_thread, "camdecoy-telnet", telnet_run, t, err, errlen) != 0)
		return -1;
	t->tn_started = 1;
	return 0;
}

void telnet_stop(telnet_s *t)
{
	if (t == NULL || !t->tn_started)
		return;
	ssize_t w = write(t->tn_wake[1], "x", 1);
	(void)w;
	pthread_join(t->tn_thread, NULL);
	t->tn_started = 0;
}

void telnet_free(telnet_s *t)
{
	if (t == NULL)
		return;
	telnet_stop(t);
	if (t->tn_fd >= 0)
		close(t->tn_fd);
	if (t->tn_wake[0] >= 0)
		close(t->tn_wake[0]);
	if (t->tn_wake[1] >= 0)
		close(t->tn_wake[1]);
	free(t->tn_banner);
	door_free(t->tn_door);
	pthread_mutex_destroy(&t->tn_lock);
	free(t);
}

void telnet_stats(telnet_s *t, telnet_stats_s *out)
{
	pthread_mutex_lock(&t->tn_lock);
	*out = t->tn_st;
	pthread_mutex_unlock(&t->tn_lock);
}

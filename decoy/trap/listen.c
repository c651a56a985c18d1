/* listen: the trap doors' accept, poll and timer loop over a table of sessions seated by the door.
 *
 * A newcomer is first held to its network's connection rate, then to the
 * door's caps; at a full table it may take the place of the oldest waiting
 * session of the network holding the most (door.c). Each refusal and each
 * eviction is a counter and a requests row (route: the door's name,
 * refused: the reason), rows under a per-network budget so that a
 * connection flood is counted in full but cannot fill the disk. */
#include "listen.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budget.h"
#include "clock.h"
#include "event.h"
#include "netaddr.h"
#include "thread.h"
#include "visitor.h"

#define LISTEN_BACKLOG      64
#define LISTEN_TICK_MS      1000
#define LISTEN_NETS_MAX     4096
#define LISTEN_ACCEPT_BURST 64 /* connections accepted per round of the loop */
/* Rows of refusals per network: a burst, then one a second (the rest are
 * only counted, in aggregated). */
#define LISTEN_ROWS_RATE  1.0
#define LISTEN_ROWS_BURST 60.0

struct listen {
	listen_conf_s l_conf;
	char l_name[16];
	int l_fd;
	int l_wake[2]; /* self-pipe that stops the thread */
	pthread_t l_thread;
	int l_started;
	door_s *l_door;
	budget_s *l_rate;        /* admissions per network, NULL: unlimited */
	budget_s *l_rows;        /* refusal rows per network */
	listen_conn_s **l_conns; /* lf_places; stable: the door holds their seats */
	int l_nconns;
	struct pollfd *l_pfd;
	listen_stats_s l_st; /* the thread's; read under l_lock */
	pthread_mutex_t l_lock;
};

const char *listen_refused_name(listen_refused_e why)
{
	switch (why) {
	case LISTEN_REFUSED_FULL:
		return "full";
	case LISTEN_REFUSED_IP:
		return "per-ip";
	case LISTEN_REFUSED_NET:
		return "per-net";
	case LISTEN_REFUSED_RATE:
		return "rate";
	case LISTEN_REFUSED_MEMORY:
		return "memory";
	}
	return "?";
}

static void count(listen_s *l, uint64_t *field)
{
	pthread_mutex_lock(&l->l_lock);
	(*field)++;
	pthread_mutex_unlock(&l->l_lock);
}

/* A refused or evicted connection as a requests row: nothing was read, so
 * no method, path or User-Agent; the door is the route, why the reason. */
static void record(listen_s *l, const struct sockaddr *sa, const char *why)
{
	visitor_s v = {0};
	char net[64];
	int64_t now = clock_wall_ms();
	event_s *ev;

	if (l->l_conf.lf_store == NULL)
		return;
	count(l, &l->l_st.ls_recorded);
	netaddr_format(sa, v.vi_who.id_ip, sizeof(v.vi_who.id_ip), &v.vi_who.id_port);
	if (netaddr_truncate(v.vi_who.id_ip, strlen(v.vi_who.id_ip), 24, 64, net, sizeof(net)) != 0)
		snprintf(net, sizeof(net), "%s", "?");
	if (!budget_take(l->l_rows, net, strlen(net), clock_mono_ms())) {
		store_aggregate(l->l_conf.lf_store, net, now, "request");
		return;
	}
	geo_country(l->l_conf.lf_geo, sa, v.vi_who.id_country);
	geo_asn(l->l_conf.lf_geo, sa, &v.vi_who.id_asn, v.vi_who.id_as_org);
	v.vi_referer_class = "none";
	v.vi_client_class = "unknown";
	if ((ev = visitor_event(&v, EV_REQUEST, now)) == NULL) {
		store_dropped(l->l_conf.lf_store, EV_REQUEST);
		return;
	}
	ev->ev_route = l->l_conf.lf_name;
	ev->ev_refused = why;
	store_submit(l->l_conf.lf_store, ev);
}

static void refuse(listen_s *l, int fd, const struct sockaddr *sa, listen_refused_e why)
{
	close(fd);
	count(l, &l->l_st.ls_refused[why]);
	record(l, sa, listen_refused_name(why));
}

/* Ends session i; the last one takes its index. */
static void end_conn(listen_s *l, int i, listen_end_e end)
{
	listen_conn_s *c = l->l_conns[i];

	l->l_conf.lf_proto->lp_close(l->l_conf.lf_arg, c, end);
	door_leave(l->l_door, &c->lc_seat);
	close(c->lc_fd);
	free(c);
	l->l_conns[i] = l->l_conns[--l->l_nconns];
}

static void evict(listen_s *l, door_seat_s *victim)
{
	for (int i = 0; i < l->l_nconns; i++) {
		listen_conn_s *c = l->l_conns[i];
		if (&c->lc_seat != victim)
			continue;
		count(l, &l->l_st.ls_evicted);
		record(l, (const struct sockaddr *)&c->lc_addr, "evicted");
		end_conn(l, i, LISTEN_END_EVICTED); /* its place is the newcomer's */
		return;
	}
}

/* One connection from the backlog: 0, or -1 when it is empty. */
static int accept_one(listen_s *l)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd = accept4(l->l_fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
	const struct sockaddr *sa = (const struct sockaddr *)&ss;
	int64_t now = clock_mono_ms();
	listen_conn_s *c;
	door_seat_s *victim;
	door_addr_s da;
	door_verdict_e v;
	char ip[46], net[64];
	uint16_t port;

	if (fd < 0)
		return -1;
	netaddr_format(sa, ip, sizeof(ip), &port);
	if (l->l_rate != NULL && netaddr_truncate(ip, strlen(ip), 24, 64, net, sizeof(net)) == 0 &&
	    !budget_take(l->l_rate, net, strlen(net), now)) {
		refuse(l, fd, sa, LISTEN_REFUSED_RATE);
		return 0;
	}
	door_addr(sa, sl, &da);
	v = door_admit(l->l_door, &da, &victim);
	if (v == DOOR_EVICT)
		evict(l, victim);
	if (v != DOOR_OK && v != DOOR_EVICT) {
		refuse(l, fd, sa,
		       v == DOOR_PER_IP    ? LISTEN_REFUSED_IP
		       : v == DOOR_PER_NET ? LISTEN_REFUSED_NET
		                           : LISTEN_REFUSED_FULL);
		return 0;
	}
	if (l->l_nconns >= l->l_conf.lf_places || (c = calloc(1, sizeof(*c))) == NULL) {
		refuse(l, fd, sa, LISTEN_REFUSED_MEMORY);
		return 0;
	}
	c->lc_fd = fd;
	memcpy(&c->lc_addr, &ss, sizeof(ss));
	c->lc_addrlen = sl;
	identity_from(&c->lc_who, l->l_conf.lf_geo, sa);
	c->lc_start = c->lc_active_at = now;
	if (l->l_conf.lf_proto->lp_open != NULL &&
	    l->l_conf.lf_proto->lp_open(l->l_conf.lf_arg, c) != 0) {
		free(c);
		refuse(l, fd, sa, LISTEN_REFUSED_MEMORY);
		return 0;
	}
	door_sit(l->l_door, &c->lc_seat, &da, now, 0);
	l->l_conns[l->l_nconns++] = c;
	count(l, &l->l_st.ls_sessions);
	return 0;
}

/* Ends the sessions over their limits, runs the timers that are due; the
 * poll timeout until the next timer. */
static int limits(listen_s *l, int64_t now)
{
	const listen_conf_s *f = &l->l_conf;
	const listen_proto_s *p = f->lf_proto;
	/* the limits shrink as the table fills */
	int64_t idle = door_limit(l->l_door, f->lf_idle_ms, f->lf_idle_floor_ms),
	        life = door_limit(l->l_door, f->lf_lifetime_ms, f->lf_lifetime_floor_ms),
	        next = now + LISTEN_TICK_MS;

	for (int i = 0; i < l->l_nconns;) {
		listen_conn_s *c = l->l_conns[i];
		if (c->lc_wake_at != 0 && now >= c->lc_wake_at) {
			c->lc_wake_at = 0;
			if (p->lp_timer(f->lf_arg, c, now) != 0) {
				end_conn(l, i, LISTEN_END_CLIENT);
				continue;
			}
		}
		int64_t lim = c->lc_keep_ms > idle ? c->lc_keep_ms : idle;
		int over_life = now - c->lc_start >= life, over_idle = now - c->lc_active_at >= lim;
		if (over_life || over_idle) {
			pthread_mutex_lock(&l->l_lock);
			if (over_life)
				l->l_st.ls_ended_lifetime++;
			else
				l->l_st.ls_ended_idle++;
			/* cut short by the pressure */
			if (now - c->lc_start < f->lf_lifetime_ms &&
			    now - c->lc_active_at < (lim > f->lf_idle_ms ? lim : f->lf_idle_ms))
				l->l_st.ls_ended_early++;
			pthread_mutex_unlock(&l->l_lock);
			end_conn(l, i, over_life ? LISTEN_END_LIFETIME : LISTEN_END_IDLE);
			continue;
		}
		if (c->lc_wake_at != 0 && c->lc_wake_at < next)
			next = c->lc_wake_at;
		i++;
	}
	return (int)(next - now > 0 ? next - now : 0);
}

static void *listen_run(void *arg)
{
	listen_s *l = arg;
	const listen_conf_s *f = &l->l_conf;
	const listen_proto_s *p = f->lf_proto;
	struct pollfd *pfd = l->l_pfd;

	for (;;) {
		int timeout = limits(l, clock_mono_ms()), np = 0, rc;

		pfd[np++] = (struct pollfd){.fd = l->l_wake[0], .events = POLLIN};
		pfd[np++] = (struct pollfd){.fd = l->l_fd, .events = POLLIN};
		pfd[np++] =
		    (struct pollfd){.fd = p->lp_extra_fd != NULL ? p->lp_extra_fd(f->lf_arg) : -1,
		                    .events = POLLIN};
		for (int i = 0; i < l->l_nconns; i++) {
			listen_conn_s *c = l->l_conns[i];
			short ev = POLLIN;
			if (p->lp_wants_write != NULL && p->lp_wants_write(f->lf_arg, c))
				ev |= POLLOUT;
			pfd[np++] = (struct pollfd){.fd = c->lc_fd, .events = ev};
		}
		rc = poll(pfd, (nfds_t)np, timeout);
		if (rc < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			break;
		/* sessions first (indices shift when one ends: walk backwards) */
		for (int i = np - 1; i >= 3; i--) {
			listen_conn_s *c = l->l_conns[i - 3];
			short re = pfd[i].revents;
			if (re == 0)
				continue;
			if (((re & POLLOUT) && p->lp_writable(f->lf_arg, c) != 0) ||
			    ((re & ~POLLOUT) && p->lp_readable(f->lf_arg, c) != 0))
				end_conn(l, i - 3, LISTEN_END_CLIENT);
		}
		/* every round: a feed may only turn readable once it has been
		 * read empty (hubfeed) */
		if (p->lp_extra != NULL)
			p->lp_extra(f->lf_arg);
		/* a burst drains the backlog at once: a full backlog would drop
		 * SYNs, which the kernel retries only after a second */
		for (int n = 0; (pfd[1].revents & POLLIN) && n < LISTEN_ACCEPT_BURST; n++)
			if (accept_one(l) != 0)
				break;
	}
	while (l->l_nconns > 0)
		end_conn(l, l->l_nconns - 1, LISTEN_END_SHUTDOWN);
	return NULL;
}

listen_s *listen_new(const struct sockaddr *addr, socklen_t addrlen, const listen_conf_s *conf,
                     char *err, size_t errlen)
{
	listen_s *l = calloc(1, sizeof(*l));

	if (l == NULL) {
		snprintf(err, errlen, "%s: out of memory", conf->lf_name);
		return NULL;
	}
	l->l_conf = *conf;
	snprintf(l->l_name, sizeof(l->l_name), "%s", conf->lf_name);
	l->l_fd = l->l_wake[0] = l->l_wake[1] = -1;
	pthread_mutex_init(&l->l_lock, NULL);
	const door_conf_s dc = {.dc_places = conf->lf_places,
	                        .dc_per_ip = conf->lf_per_ip,
	                        .dc_per_net = conf->lf_per_net};
	if (conf->lf_places <= 0 || (l->l_door = door_new(&dc)) == NULL ||
	    (l->l_conns = calloc((size_t)conf->lf_places, sizeof(*l->l_conns))) == NULL ||
	    (l->l_pfd = calloc((size_t)conf->lf_places + 3, sizeof(*l->l_pfd))) == NULL ||
	    (l->l_rows = budget_new(LISTEN_ROWS_RATE, LISTEN_ROWS_BURST, LISTEN_NETS_MAX)) ==
	        NULL ||
	    (conf->lf_rate > 0 &&
	     (l->l_rate = budget_new(conf->lf_rate, conf->lf_burst, LISTEN_NETS_MAX)) == NULL)) {
		snprintf(err, errlen, "%s: out of memory", l->l_name);
		goto fail;
	}
	if (pipe2(l->l_wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		snprintf(err, errlen, "%s: %s", l->l_name, strerror(errno));
		goto fail;
	}
	if ((l->l_fd = netaddr_listen(addr, addrlen, LISTEN_BACKLOG, l->l_name, err, errlen)) < 0)
		goto fail;
	return l;
fail:
	listen_free(l);
	return NULL;
}

int listen_start(listen_s *l, char *err, size_t errlen)
{
	char name[32];

	snprintf(name, sizeof(name), "camdecoy-%s", l->l_name);
	if (thread_start(&l->l_thread, name, listen_run, l, err, errlen) != 0)
		return -1;
	l->l_started = 1;
	return 0;
}

void listen_stop(listen_s *l)
{
	if (l == NULL || !l->l_started)
		return;
	ssize_t w = write(l->l_wake[1], "x", 1);
	(void)w;
	pthread_join(l->l_thread, NULL);
	l->l_started = 0;
}

void listen_free(listen_s *l)
{
	if (l == NULL)
		return;
	listen_stop(l);
	if (l->l_fd >= 0)
		close(l->l_fd);
	if (l->l_wake[0] >= 0)
		close(l->l_wake[0]);
	if (l->l_wake[1] >= 0)
		close(l->l_wake[1]);
	budget_free(l->l_rate);
	budget_free(l->l_rows);
	free(l->l_pfd);
	free(l->l_conns);
	door_free(l->l_door);
	pthread_mutex_destroy(&l->l_lock);
	free(l);
}

void listen_stats(listen_s *l, listen_stats_s *out)
{
	pthread_mutex_lock(&l->l_lock);
	*out = l->l_st;
	pthread_mutex_unlock(&l->l_lock);
}

int listen_count(const listen_s *l)
{
	return l->l_nconns;
}

listen_conn_s *listen_conn(listen_s *l, int i)
{
	return i >= 0 && i < l->l_nconns ? l->l_conns[i] : NULL;
}

void listen_active(listen_conn_s *c, int64_t now_ms)
{
	c->lc_active_at = now_ms;
}

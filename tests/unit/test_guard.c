/* test_guard: the door policy (caps, eviction, limits under pressure), the
 * guard's caps at accept, stream caps, request deadlines; and budgets. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <string.h>
#include <unistd.h>

#include "budget.h"
#include "check.h"
#include "door.h"
#include "guard.h"

static struct sockaddr_in v4(const char *ip)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(1234)};

	inet_pton(AF_INET, ip, &sin.sin_addr);
	return sin;
}

static struct sockaddr_in6 v6(const char *ip)
{
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons(1234)};

	inet_pton(AF_INET6, ip, &sin6.sin6_addr);
	return sin6;
}

#define SA(x) ((const struct sockaddr *)&(x)), sizeof(x)

static door_addr_s da(const char *ip)
{
	door_addr_s a;

	if (strchr(ip, ':') != NULL) {
		struct sockaddr_in6 s6 = v6(ip);
		door_addr(SA(s6), &a);
	} else {
		struct sockaddr_in s4 = v4(ip);
		door_addr(SA(s4), &a);
	}
	return a;
}

/* Seats `n` from ip at times t0, t0+1, ... (waiting unless settled). */
static void sit_n(door_s *d, door_seat_s *s, int n, const char *ip, int64_t t0, int settled)
{
	door_addr_s a = da(ip);

	for (int i = 0; i < n; i++)
		door_sit(d, &s[i], &a, t0 + i, settled);
}

/* The policy on its own: no sockets, no clock. */
static void test_door(void)
{
	const door_conf_s conf = {.dc_places = 8, .dc_per_ip = 6, .dc_per_net = 7};
	door_s *d = door_new(&conf);
	door_seat_s a[6] = {0}, b[3] = {0}, c[2] = {0}, e[2] = {0}, *victim;
	door_addr_s na = da("198.51.100.9"), nb = da("203.0.113.1"), nc = da("192.0.2.1"),
	            nd = da("198.18.0.1"), ne = da("198.18.7.1"), nf = da("198.18.9.1");
	door_stats_s st;

	CHECK(d != NULL);
	/* A holds 6 waiting places (from two addresses), B 2 settled: full */
	sit_n(d, a, 3, "198.51.100.1", 100, 0);
	sit_n(d, a + 3, 3, "198.51.100.2", 200, 0);
	sit_n(d, b, 2, "203.0.113.1", 50, 1);
	CHECK(door_used(d) == 8);
	/* a newcomer from C (no place) takes A's oldest waiting place */
	CHECK(door_admit(d, &nc, &victim) == DOOR_EVICT);
	CHECK(victim == &a[0] && a[0].ds_state == DOOR_OUT && door_used(d) == 7);
	door_leave(d, &a[0]); /* its owner closes it later: nothing more */
	CHECK(door_used(d) == 7);
	door_sit(d, &c[0], &nc, 300, 0);
	/* A (5 now) cannot take a place back: holders of equal share do not
	 * evict each other in turn */
	CHECK(door_admit(d, &na, &victim) == DOOR_FULL && victim == NULL);
	/* B (2) can: A holds 5 >= 2 + 2 */
	CHECK(door_admit(d, &nb, &victim) == DOOR_EVICT && victim == &a[1]);
	door_sit(d, &b[2], &nb, 310, 0);
	/* C (1): A holds 4 */
	CHECK(door_admit(d, &nc, &victim) == DOOR_EVICT && victim == &a[2]);
	door_sit(d, &c[1], &nc, 320, 0);
	/* settled places are never taken: A (3) settles its own; D takes B's
	 * waiting one (B holds 3 too, but only its third place waits) */
	for (int i = 3; i < 6; i++)
		door_settle(d, &a[i]);
	CHECK(door_admit(d, &nd, &victim) == DOOR_EVICT && victim == &b[2]);
	door_sit(d, &e[0], &nd, 330, 0);
	/* now A 3 settled, B 2 settled, C 2 waiting, D 1: E takes C's oldest */
	CHECK(door_admit(d, &ne, &victim) == DOOR_EVICT && victim == &c[0]);
	door_sit(d, &e[1], &ne, 340, 0);
	/* F would need a network holding 2 with a waiting place: C has 1 left
	 * and holds 1 */
	CHECK(door_admit(d, &nf, &victim) == DOOR_FULL);
	door_stats(d, &st);
	CHECK(st.dst_evicted == 5 && st.dst_refused_full == 2 && door_used(d) == 8);
	door_free(d);

	const door_conf_s small = {.dc_places = 100, .dc_per_ip = 2, .dc_per_net = 3};
	door_seat_s s[6] = {0};
	d = door_new(&small);
	sit_n(d, s, 2, "198.51.100.1", 0, 0);
	CHECK(door_admit(d, &na, &victim) == DOOR_OK);
	door_addr_s p1 = da("198.51.100.1"), m1 = da("::ffff:198.51.100.1"),
	            q3 = da("2001:db8:0:1::3"), r1 = da("2001:db8:0:2::1");
	CHECK(door_admit(d, &p1, &victim) == DOOR_PER_IP);
	CHECK(door_admit(d, &m1, &victim) == DOOR_PER_IP);
	sit_n(d, s + 2, 1, "198.51.100.3", 0, 0);
	CHECK(door_admit(d, &na, &victim) == DOOR_PER_NET);
	/* IPv6 counts by /64 */
	sit_n(d, s + 3, 2, "2001:db8:0:1::1", 0, 0);
	sit_n(d, s + 5, 1, "2001:db8:0:1::2", 0, 0);
	CHECK(door_admit(d, &q3, &victim) == DOOR_PER_NET);
	CHECK(door_admit(d, &r1, &victim) == DOOR_OK);
	door_stats(d, &st);
	CHECK(st.dst_refused_ip == 2 && st.dst_refused_net == 2 && st.dst_admitted == 2);
	/* holds count like seats and go with their last place */
	door_hold(d, &nb, 1);
	CHECK(door_used(d) == 7);
	CHECK(door_admit(d, &nb, &victim) == DOOR_OK);
	door_hold(d, &nb, 1);
	CHECK(door_admit(d, &nb, &victim) == DOOR_PER_IP);
	door_hold(d, &nb, -1);
	door_hold(d, &nb, -1);
	CHECK(door_used(d) == 6);
	for (int i = 0; i < 6; i++)
		door_leave(d, &s[i]);
	CHECK(door_used(d) == 0);
	door_free(d);

	/* on equal holdings, the network whose oldest waiting place is older */
	const door_conf_s four = {.dc_places = 4, .dc_per_ip = 4, .dc_per_net = 4};
	door_seat_s x[2] = {0}, y[2] = {0};
	d = door_new(&four);
	sit_n(d, x, 2, "198.51.100.1", 20, 0);
	sit_n(d, y, 2, "203.0.113.1", 10, 0);
	CHECK(door_admit(d, &nc, &victim) == DOOR_EVICT && victim == &y[0]);
	door_leave(d, &x[0]), door_leave(d, &x[1]), door_leave(d, &y[1]);
	door_free(d);

	/* limits shrink from half full to full */
	const door_conf_s ten = {.dc_places = 10, .dc_per_ip = 10, .dc_per_net = 10};
	door_seat_s t[10] = {0};
	d = door_new(&ten);
	CHECK(door_limit(d, 15000, 5000) == 15000);
	sit_n(d, t, 5, "198.51.100.1", 0, 0);
	CHECK(door_limit(d, 15000, 5000) == 15000);
	sit_n(d, t + 5, 3, "198.51.100.1", 0, 0);
	CHECK(door_limit(d, 15000, 5000) == 9000); /* 8 of 10: 3/5 of the way */
	sit_n(d, t + 8, 2, "198.51.100.1", 0, 0);
	CHECK(door_limit(d, 15000, 5000) == 5000);
	CHECK(door_limit(d, 3000, 5000) == 3000); /* a floor above the limit: the limit */
	for (int i = 0; i < 10; i++)
		door_leave(d, &t[i]);
	door_free(d);
	door_free(NULL);
}

/* The guard at a full table: the waiting connection of the largest network
 * is shut down for a newcomer, and the deadline has shortened. */
static void test_guard_evicts(void)
{
	const guard_conf_s conf = {.gf_max_connections = 4,
	                           .gf_per_ip = 4,
	                           .gf_per_net = 4,
	                           .gf_streams_per_ip = 1,
	                           .gf_request_timeout = 15,
	                           .gf_request_floor = 5};
	guard_s *g = guard_new(&conf);
	struct sockaddr_in a1 = v4("198.51.100.1"), b1 = v4("203.0.113.1"), c1 = v4("192.0.2.1");
	guard_conn_s w[3], settled;
	int sp[3][2];
	char byte;
	guard_stats_s st;

	for (int i = 0; i < 3; i++) {
		CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sp[i]) == 0);
		guard_open(g, &w[i], SA(a1), sp[i][0], 0);
	}
	guard_open(g, &settled, SA(b1), -1, 1);
	CHECK(guard_admit(g, SA(c1)) == GUARD_OK);
	/* the oldest waiting one was shut (its peer reads the end, not EAGAIN) */
	CHECK(recv(sp[0][1], &byte, 1, MSG_DONTWAIT) == 0);
	guard_stats(g, &st);
	CHECK(st.gs_evicted == 1 && st.gs_connections == 3);
	guard_close(g, &w[0]);
	guard_stats(g, &st);
	CHECK(st.gs_connections == 3);
	/* full again: the deadline is the floor (5 s), not 15 s */
	guard_conn_s nc;
	guard_open(g, &nc, SA(c1), -1, 1);
	CHECK(guard_sweep(g, w[1].gc_since + 4900) == 0);
	CHECK(guard_sweep(g, w[1].gc_since + 5100) == 2);
	guard_stats(g, &st);
	CHECK(st.gs_deadline_closed == 2 && st.gs_deadline_pressed == 2);
	/* A (2 places) cannot evict B's settled one, nor C's */
	CHECK(guard_admit(g, SA(a1)) == GUARD_FULL);
	guard_close(g, &w[1]), guard_close(g, &w[2]), guard_close(g, &settled), guard_close(g, &nc);
	for (int i = 0; i < 3; i++)
		close(sp[i][0]), close(sp[i][1]);
	guard_free(g);
}

static const guard_conf_s conf = {.gf_max_connections = 8,
                                  .gf_per_ip = 2,
                                  .gf_per_net = 3,
                                  .gf_streams_per_ip = 1,
                                  .gf_request_timeout = 5,
                                  .gf_request_floor = 5};

/* caps per address, per /24 and /64, and in all; a handoff holds its count;
 * streams per address */
static void caps(void)
{
	guard_s *g = guard_new(&conf);
	guard_conn_s c[10];
	guard_stats_s st;
	guard_addr_s ga;
	struct sockaddr_in a1 = v4("198.51.100.1"), a2 = v4("198.51.100.2"), b1 = v4("203.0.113.1");
	struct sockaddr_in6 m1 = v6("::ffff:198.51.100.1"), s1 = v6("2001:db8:0:1::1"),
	                    s2 = v6("2001:db8:0:1::2"), s3 = v6("2001:db8:0:2::1");

	CHECK(g != NULL);
	/* per address: 2 */
	CHECK(guard_admit(g, SA(a1)) == GUARD_OK);
	guard_open(g, &c[0], SA(a1), -1, 1);
	CHECK(guard_admit(g, SA(a1)) == GUARD_OK);
	guard_open(g, &c[1], SA(a1), -1, 1);
	CHECK(guard_admit(g, SA(a1)) == GUARD_PER_IP);
	/* IPv4-mapped IPv6 is the same address */
	CHECK(guard_admit(g, SA(m1)) == GUARD_PER_IP);
	/* per /24: 3 */
	CHECK(guard_admit(g, SA(a2)) == GUARD_OK);
	guard_open(g, &c[2], SA(a2), -1, 1);
	CHECK(guard_admit(g, SA(a2)) == GUARD_PER_NET);
	CHECK(guard_admit(g, SA(b1)) == GUARD_OK);
	/* per /64 */
	guard_open(g, &c[3], SA(s1), -1, 1);
	guard_open(g, &c[4], SA(s2), -1, 1);
	guard_open(g, &c[5], SA(s2), -1, 1);
	CHECK(guard_admit(g, SA(s1)) == GUARD_PER_NET);
	CHECK(guard_admit(g, SA(s3)) == GUARD_OK);
	/* global: 8 */
	guard_open(g, &c[6], SA(b1), -1, 1);
	guard_open(g, &c[7], SA(s3), -1, 1);
	CHECK(guard_admit(g, SA(b1)) == GUARD_FULL);
	guard_stats(g, &st);
	CHECK(st.gs_connections == 8);
	CHECK(st.gs_refused_ip == 2 && st.gs_refused_net == 2 && st.gs_refused_full == 1);
	/* closing frees the slots */
	guard_close(g, &c[0]);
	guard_close(g, &c[0]); /* twice is harmless */
	guard_close(g, &c[7]);
	CHECK(guard_admit(g, SA(a1)) == GUARD_OK);
	CHECK(guard_admit(g, SA(b1)) == GUARD_OK);
	/* a handoff (front -> server) holds the count between the two owners:
	 * a1 has c[1]; its second connection moves from c[8] to c[9] */
	guard_addr(SA(a1), &ga);
	guard_open(g, &c[8], SA(a1), -1, 1);
	guard_hold(g, &ga, 1);
	guard_close(g, &c[8]);
	CHECK(guard_admit(g, SA(a1)) == GUARD_PER_IP);
	guard_open(g, &c[9], SA(a1), -1, 1);
	guard_hold(g, &ga, -1);
	CHECK(guard_admit(g, SA(a1)) == GUARD_PER_IP);
	guard_stats(g, &st);
	CHECK(st.gs_connections == 7);
	guard_close(g, &c[9]);
	CHECK(guard_admit(g, SA(a1)) == GUARD_OK);
	guard_close(g, &c[2]);

	/* streams per address, released by key even after the connection closed */
	guard_addr(SA(a1), &ga);
	CHECK(guard_stream_begin(g, &ga) == 0);
	CHECK(guard_stream_begin(g, &ga) == -1);
	guard_close(g, &c[1]);
	CHECK(guard_stream_begin(g, &ga) == -1);
	guard_stream_end(g, &ga);
	CHECK(guard_stream_begin(g, &ga) == 0);
	guard_stream_end(g, &ga);
	guard_stats(g, &st);
	CHECK(st.gs_streams_refused == 2);
	guard_free(g);
}

/* deadlines: an idle connection is shut down once, a busy one never; a peer
 * that closed its side is let go after a quiet second */
static void deadlines(void)
{
	guard_s *g = guard_new(&conf);
	guard_stats_s st;
	struct sockaddr_in b1 = v4("203.0.113.1");
	int sp[2], sq[2];
	char byte;
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0 &&
	      socketpair(AF_UNIX, SOCK_STREAM, 0, sq) == 0);
	guard_conn_s idle, busy;
	guard_open(g, &idle, SA(b1), sp[0], 1);
	guard_open(g, &busy, SA(b1), sq[0], 1);
	guard_busy(g, &busy, 1);
	CHECK(guard_sweep(g, idle.gc_deadline - 1) == 0);
	CHECK(guard_sweep(g, idle.gc_deadline + 1) == 1);
	CHECK(guard_sweep(g, idle.gc_deadline + 2) == 0);
	CHECK(read(sp[1], &byte, 1) == 0); /* the peer sees the end */
	guard_busy(g, &busy, 0);           /* done: the next request's deadline */
	CHECK(guard_sweep(g, busy.gc_deadline - 1) == 0 && guard_sweep(g, busy.gc_deadline) == 1);
	guard_stats(g, &st);
	CHECK(st.gs_deadline_closed == 2);
	guard_close(g, &idle);
	guard_close(g, &busy);
	/* a peer that closed its side is let go after a quiet second */
	int sr[2];
	guard_conn_s gone;
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sr) == 0);
	guard_open(g, &gone, SA(b1), sr[0], 1);
	CHECK(guard_sweep(g, gone.gc_since + 1500) == 0); /* still open: EAGAIN */
	shutdown(sr[1], SHUT_WR);
	CHECK(guard_sweep(g, gone.gc_since + 500) == 0); /* too soon to look */
	CHECK(guard_sweep(g, gone.gc_since + 1500) == 1);
	guard_stats(g, &st);
	CHECK(st.gs_peer_closed == 1 && st.gs_deadline_closed == 2);
	guard_close(g, &gone);
	close(sr[0]), close(sr[1]);
	close(sp[0]), close(sp[1]), close(sq[0]), close(sq[1]);
	guard_free(g);
	guard_free(NULL);
}

/* budgets: burst, then the rate; networks apart */
static void budgets(void)
{
	budget_s *b = budget_new(10, 5, 2);
	int got = 0;
	for (int i = 0; i < 20; i++)
		got += budget_take(b, "n1", 2, 1000);
	CHECK(got == 5);
	CHECK(budget_take(b, "n1", 2, 1099) == 0); /* 0.99 tokens */
	CHECK(budget_take(b, "n1", 2, 1100) == 1); /* 1 token after 100 ms */
	CHECK(budget_take(b, "n2", 2, 1100) == 1);
	/* a full table: new networks share one bucket (burst 5) */
	got = 0;
	for (int i = 0; i < 10; i++)
		got += budget_take(b, i % 2 ? "n3" : "n4", 2, 1100);
	CHECK(got == 5);
	/* idle buckets refill and are forgotten, making room again */
	CHECK(budget_take(b, "n5", 2, 100000) == 1);
	budget_free(b);
	b = budget_new(0, 1, 1);
	got = 0;
	for (int i = 0; i < 1000; i++)
		got += budget_take(b, "n", 1, 0);
	CHECK(got == 1000); /* rate 0: everything in detail */
	budget_free(b);
	budget_free(NULL);
}

int main(void)
{
	RUN(caps);
	RUN(deadlines);
	RUN(test_door);
	RUN(test_guard_evicts);
	RUN(budgets);
	return check_report();
}

/* test_guard: caps at accept, stream caps, request deadlines; and budgets. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "budget.h"
#include "check.h"
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

int main(void)
{
	const guard_conf_s conf = {.gf_max_connections = 8, .gf_per_ip = 2, .gf_per_net = 3,
	                           .gf_streams_per_ip = 1, .gf_request_timeout = 5};
	guard_s *g = guard_new(&conf);
	guard_conn_s c[10];
	guard_stats_s st;
	guard_addr_s ga;
	struct sockaddr_in a1 = v4("198.51.100.1"), a2 = v4("198.51.100.2"), b1 = v4("203.0.113.1");
	struct sockaddr_in6 m1 = v6("::ffff:198.51.100.1"), s1 = v6("2001:db8:0:1::1"), s2 = v6("2001:db8:0:1::2"),
	                    s3 = v6("2001:db8:0:2::1");

	CHECK(g != NULL);
	/* per address: 2 */
	CHECK(guard_admit(g, SA(a1)) == GUARD_OK);
	guard_open(g, &c[0], SA(a1), -1);
	CHECK(guard_admit(g, SA(a1)) == GUARD_OK);
	guard_open(g, &c[1], SA(a1), -1);
	CHECK(guard_admit(g, SA(a1)) == GUARD_PER_IP);
	/* IPv4-mapped IPv6 is the same address */
	CHECK(guard_admit(g, SA(m1)) == GUARD_PER_IP);
	/* per /24: 3 */
	CHECK(guard_admit(g, SA(a2)) == GUARD_OK);
	guard_open(g, &c[2], SA(a2), -1);
	CHECK(guard_admit(g, SA(a2)) == GUARD_PER_NET);
	CHECK(guard_admit(g, SA(b1)) == GUARD_OK);
	/* per /64 */
	guard_open(g, &c[3], SA(s1), -1);
	guard_open(g, &c[4], SA(s2), -1);
	guard_open(g, &c[5], SA(s2), -1);
	CHECK(guard_admit(g, SA(s1)) == GUARD_PER_NET);
	CHECK(guard_admit(g, SA(s3)) == GUARD_OK);
	/* global: 8 */
	guard_open(g, &c[6], SA(b1), -1);
	guard_open(g, &c[7], SA(s3), -1);
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
	guard_open(g, &c[8], SA(a1), -1);
	guard_hold(g, &ga, 1);
	guard_close(g, &c[8]);
	CHECK(guard_admit(g, SA(a1)) == GUARD_PER_IP);
	guard_open(g, &c[9], SA(a1), -1);
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

	/* deadlines: an idle connection is shut down once, a busy one never */
	int sp[2], sq[2];
	char byte;
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0 && socketpair(AF_UNIX, SOCK_STREAM, 0, sq) == 0);
	guard_conn_s idle, busy;
	guard_open(g, &idle, SA(b1), sp[0]);
	guard_open(g, &busy, SA(b1), sq[0]);
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
	guard_open(g, &gone, SA(b1), sr[0]);
	CHECK(guard_sweep(g, gone.gc_since + 1500) == 0); /* still open: EAGAIN */
	shutdown(sr[1], SHUT_WR);
	CHECK(guard_sweep(g, gone.gc_since + 500) == 0);  /* too soon to look */
	CHECK(guard_sweep(g, gone.gc_since + 1500) == 1);
	guard_stats(g, &st);
	CHECK(st.gs_peer_closed == 1 && st.gs_deadline_closed == 2);
	guard_close(g, &gone);
	close(sr[0]), close(sr[1]);
	close(sp[0]), close(sp[1]), close(sq[0]), close(sq[1]);
	guard_free(g);
	guard_free(NULL);

	/* budgets: burst, then the rate; networks apart */
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
	return check_report();
}

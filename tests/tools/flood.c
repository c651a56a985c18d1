/* flood: a bounded flood of junk requests and login POSTs at a fixed rate,
 * one connection each, from many loopback source addresses.
 *
 * usage: flood PORT RATE SECONDS [CONCURRENCY]
 * Sources are 127.0.3.1 .. 127.0.3.32 (one /24). Prints key=value figures:
 * requests sent with a request line, junk connections sent without one,
 * answers received by status class, and failures. Loopback only: the target
 * is 127.0.0.1, the rate and length are bounded. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FLOOD_RATE_MAX    20000
#define FLOOD_SECONDS_MAX 600
#define FLOOD_SOURCES     32

typedef struct {
	int f_fd;
	int f_kind; /* index into kinds[] */
	char *f_req;
	size_t f_len, f_off;
	char f_status[4];
	size_t f_got;
} flow_s;

/* What is sent; has_line: something the decoy records as a request row
 * (every kind, since the front acceptor records probes too); probe: the
 * front records it and closes without an answer (an unknown HTTP version,
 * TLS bytes), where libmicrohttpd would have written its own 505 or 400. */
static const struct {
	const char *k_name;
	int k_has_line;
	int k_probe;
} kinds[] = {
    {"page", 1, 0},       {"login", 1, 0},   {"badmethod", 1, 0},
    {"badversion", 1, 1}, {"nocolon", 1, 0}, {"longuri", 1, 0},
    {"bigheader", 1, 0},  {"binary", 1, 0},  {"tls", 1, 1},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *build(int kind, uint64_t n, size_t *len)
{
	static char pad[12000];
	char *buf = malloc(16384 + sizeof(pad));
	int w = 0;

	if (buf == NULL)
		return NULL;
	if (pad[0] == 0)
		memset(pad, 'a', sizeof(pad) - 1);
	switch (kind) {
	case 0:
		w = sprintf(
		    buf,
		    "GET /junk/%llu?x=%llu HTTP/1.1\r\nHost: cam\r\nUser-Agent: flood/%llu\r\n"
		    "Connection: close\r\n\r\n",
		    (unsigned long long)n, (unsigned long long)n, (unsigned long long)(n % 97));
		break;
	case 1: {
		char body[128];
		int bl = snprintf(body, sizeof(body), "username=admin%llu&password=pw%llu",
		                  (unsigned long long)(n % 13), (unsigned long long)n);
		w = sprintf(buf,
		            "POST /doc/page/login.asp HTTP/1.1\r\nHost: cam\r\nContent-Type: "
		            "application/x-www-form-urlencoded\r\nContent-Length: "
		            "%d\r\nConnection: close\r\n\r\n%s",
		            bl, body);
		break;
	}
	case 2:
		w = sprintf(buf, "FOO%llu /x HTTP/1.1\r\nHost: cam\r\nConnection: close\r\n\r\n",
		            (unsigned long long)n);
		break;
	case 3:
		w = sprintf(buf, "GET /v HTTP/9.%llu\r\nHost: cam\r\n\r\n",
		            (unsigned long long)(n % 10));
		break;
	case 4:
		w = sprintf(buf, "GET /nocolon HTTP/1.1\r\nHost: cam\r\nthis line has no "
		                 "colon\r\nConnection: close\r\n\r\n");
		break;
	case 5:
		w = sprintf(buf, "GET /%.*s HTTP/1.1\r\nHost: cam\r\nConnection: close\r\n\r\n",
		            9000, pad);
		break;
	case 6:
		w = sprintf(
		    buf,
		    "GET /big HTTP/1.1\r\nHost: cam\r\nX-Big: %.*s\r\nConnection: close\r\n\r\n",
		    10000, pad);
		break;
	case 7:
		w = sprintf(buf,
		            "GET /\x01\x7f\xff\xfe%%00'\";--%llu HTTP/1.1\r\nHost: "
		            "cam\r\nUser-Agent: \x1b[31m\xc0\xaf\r\n"
		            "Connection: close\r\n\r\n",
		            (unsigned long long)n);
		break;
	default:
		memcpy(buf, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
		memset(buf + 11, 0, 53);
		w = 64;
		break;
	}
	*len = (size_t)w;
	return buf;
}

/* Opens flow number n from its own loopback source, watched by ep; -1 when
 * the connection could not be started. */
static int flow_start(int ep, const struct sockaddr_in *dst, uint64_t n)
{
	flow_s *f = calloc(1, sizeof(*f));
	struct sockaddr_in src = {.sin_family = AF_INET};
	char ip[32];

	if (f == NULL)
		return -1;
	snprintf(ip, sizeof(ip), "127.0.3.%llu", (unsigned long long)(n % FLOOD_SOURCES + 1));
	inet_pton(AF_INET, ip, &src.sin_addr);
	f->f_kind = (int)(n % NKINDS);
	f->f_req = build(f->f_kind, n, &f->f_len);
	f->f_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (f->f_fd < 0 || bind(f->f_fd, (struct sockaddr *)&src, sizeof(src)) != 0 ||
	    (connect(f->f_fd, (const struct sockaddr *)dst, sizeof(*dst)) != 0 &&
	     errno != EINPROGRESS)) {
		if (f->f_fd >= 0)
			close(f->f_fd);
		free(f->f_req);
		free(f);
		return -1;
	}
	struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN, .data.ptr = f};
	epoll_ctl(ep, EPOLL_CTL_ADD, f->f_fd, &ev);
	return 0;
}

int main(int argc, char **argv)
{
	int port, rate, seconds, conc = 64, ep;
	uint64_t started = 0, sent[NKINDS] = {0}, answered[6] = {0}, failed = 0, inflight = 0;
	struct sockaddr_in dst = {.sin_family = AF_INET};
	struct epoll_event evs[256];
	double t0, end;

	if (argc < 4) {
		fprintf(stderr, "usage: flood PORT RATE SECONDS [CONCURRENCY]\n");
		return 2;
	}
	port = atoi(argv[1]);
	rate = atoi(argv[2]);
	seconds = atoi(argv[3]);
	if (argc > 4)
		conc = atoi(argv[4]);
	if (port < 1 || port > 65535 || rate < 1 || rate > FLOOD_RATE_MAX || seconds < 1 ||
	    seconds > FLOOD_SECONDS_MAX || conc < 1 || conc > 4096) {
		fprintf(stderr, "flood: bad arguments (rate <= %d, seconds <= %d)\n",
		        FLOOD_RATE_MAX, FLOOD_SECONDS_MAX);
		return 2;
	}
	dst.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
	ep = epoll_create1(0);
	t0 = now();
	end = t0 + seconds;
	for (;;) {
		double t = now();
		/* start what the rate allows, within the concurrency */
		while (t < end && started < (uint64_t)((t - t0) * rate) &&
		       inflight < (uint64_t)conc) {
			if (flow_start(ep, &dst, started++) != 0) {
				failed++;
				continue;
			}
			inflight++;
		}
		if (t >= end && inflight == 0)
			break;
		if (t >= end + 10)
			break; /* answers that never came count as failures */
		int n = epoll_wait(ep, evs, 256, 1);
		for (int i = 0; i < n; i++) {
			flow_s *f = evs[i].data.ptr;
			int done = 0;
			if ((evs[i].events & EPOLLOUT) && f->f_off < f->f_len) {
				ssize_t w = send(f->f_fd, f->f_req + f->f_off, f->f_len - f->f_off,
				                 MSG_NOSIGNAL);
				if (w > 0)
					f->f_off += (size_t)w;
				else if (w < 0 && errno != EAGAIN)
					done = 2;
				if (f->f_off == f->f_len) {
					sent[f->f_kind]++;
					/* Nothing more comes: bytes that are no request end at EOF,
					 * and nobody waits for an answer to them. */
					shutdown(f->f_fd, SHUT_WR);
					if (f->f_kind == 8)
						done = 1;
					struct epoll_event ev = {.events = EPOLLIN, .data.ptr = f};
					epoll_ctl(ep, EPOLL_CTL_MOD, f->f_fd, &ev);
				}
			}
			if (!done && (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
				char buf[16384];
				ssize_t r = recv(f->f_fd, buf, sizeof(buf), 0);
				if (r > 0) {
					for (ssize_t k = 0; k < r && f->f_got < 12; k++, f->f_got++)
						if (f->f_got >= 9 && f->f_got < 12)
							f->f_status[f->f_got - 9] = buf[k];
				} else if (r == 0 || errno != EAGAIN) {
					done = 1;
				}
			}
			if (done) {
				if (f->f_got >= 12 && f->f_status[0] >= '1' &&
				    f->f_status[0] <= '5')
					answered[f->f_status[0] - '0']++;
				else if (!kinds[f->f_kind].k_probe)
					failed++;
				else
					answered[0]++; /* a probe: recorded, closed unanswered */
				epoll_ctl(ep, EPOLL_CTL_DEL, f->f_fd, NULL);
				close(f->f_fd);
				free(f->f_req);
				free(f);
				inflight--;
			}
		}
	}
	uint64_t with_line = 0, without = 0;
	for (size_t k = 0; k < NKINDS; k++) {
		if (kinds[k].k_has_line)
			with_line += sent[k];
		else
			without += sent[k];
	}
	printf("started=%llu requests=%llu no_request=%llu logins=%llu 2xx=%llu 4xx=%llu 5xx=%llu "
	       "unanswered=%llu "
	       "failed=%llu inflight_left=%llu seconds=%.1f\n",
	       (unsigned long long)started, (unsigned long long)with_line,
	       (unsigned long long)without, (unsigned long long)sent[1],
	       (unsigned long long)answered[2], (unsigned long long)answered[4],
	       (unsigned long long)answered[5], (unsigned long long)answered[0],
	       (unsigned long long)failed, (unsigned long long)inflight, now() - t0);
	fflush(stdout);
	close(ep);
	return 0;
}

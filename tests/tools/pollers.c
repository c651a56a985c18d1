/* pollers: many distinct snapshot viewers, fast: TOTAL requests for PATH,
 * each with its own User-Agent ("poller-N"), so each is a new poll view with
 * a credential of its own. CONCURRENCY connections at a time on one epoll
 * thread, from 127.0.10.1 onwards (one address per connection slot).
 *
 * usage: pollers PORT PATH TOTAL [CONCURRENCY [PAD]]
 * PAD (0..2000) bytes of padding go in the User-Agent, a Referer and a query
 * string of each request, so that every view costs the database more.
 * Prints requests=, answered= (a 200 status line), failed=, seconds=.
 * Loopback only: the target is 127.0.0.1; TOTAL is at most 1,000,000. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define POLLERS_MAX 1000000
#define SLOTS_MAX   512

typedef struct {
	int s_fd;
	int s_sent, s_ok, s_got;
	char s_head[16];
} slot_s;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int start(int ep, slot_s *s, int k, uint16_t port)
{
	struct sockaddr_in src = {.sin_family = AF_INET},
	                   dst = {.sin_family = AF_INET, .sin_port = htons(port)};
	struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN, .data.u32 = (uint32_t)k};

	src.sin_addr.s_addr =
	    htonl((127u << 24) | ((10u + (unsigned)k / 250) << 8) | (1u + (unsigned)k % 250));
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memset(s, 0, sizeof(*s));
	if ((s->s_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0)
		return -1;
	if (bind(s->s_fd, (struct sockaddr *)&src, sizeof(src)) != 0 ||
	    (connect(s->s_fd, (struct sockaddr *)&dst, sizeof(dst)) != 0 && errno != EINPROGRESS) ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, s->s_fd, &ev) != 0) {
		close(s->s_fd);
		s->s_fd = -1;
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static slot_s slots[SLOTS_MAX];
	static char pad[2001];
	long total, conc = 64, npad = 0, issued = 0, sent = 0, done = 0, ok = 0, failed = 0;
	uint16_t port;
	double t0 = now();
	int ep;

	if (argc < 4) {
		fprintf(stderr, "usage: pollers PORT PATH TOTAL [CONCURRENCY]\n");
		return 2;
	}
	port = (uint16_t)atoi(argv[1]);
	total = atol(argv[3]);
	if (argc > 4)
		conc = atol(argv[4]);
	if (argc > 5)
		npad = atol(argv[5]);
	if (total < 1 || total > POLLERS_MAX || conc < 1 || conc > SLOTS_MAX ||
	    strlen(argv[2]) > 200 || npad < 0 || npad > (long)sizeof(pad) - 1) {
		fprintf(
		    stderr,
		    "pollers: TOTAL 1..%d, CONCURRENCY 1..%d, PATH up to 200 bytes, PAD 0..%zu\n",
		    POLLERS_MAX, SLOTS_MAX, sizeof(pad) - 1);
		return 2;
	}
	memset(pad, 'p', (size_t)npad);
	if ((ep = epoll_create1(0)) < 0)
		return 1;
	for (int k = 0; k < conc && issued < total; k++, issued++)
		if (start(ep, &slots[k], k, port) != 0) {
			failed++;
			done++;
		}
	while (done < total) {
		struct epoll_event evs[64];
		int n = epoll_wait(ep, evs, 64, 5000);
		if (n <= 0) {
			fprintf(stderr, "pollers: no progress in 5 s\n");
			break;
		}
		for (int i = 0; i < n; i++) {
			int k = (int)evs[i].data.u32;
			slot_s *s = &slots[k];
			char buf[65536];
			if (!s->s_sent && (evs[i].events & EPOLLOUT)) {
				/* The User-Agent only has to be distinct: slot k, request number.
				 */
				int len =
				    npad == 0
				        ? snprintf(
				              buf, sizeof(buf),
				              "GET %s HTTP/1.0\r\nUser-Agent: poller-%ld\r\n\r\n",
				              argv[2], sent++)
				        : snprintf(
				              buf, sizeof(buf),
				              "GET %s?%s HTTP/1.0\r\nUser-Agent: poller-%ld %s\r\n"
				              "Referer: http://example.com/%s\r\n\r\n",
				              argv[2], pad, sent++, pad, pad);
				if (send(s->s_fd, buf, (size_t)len, MSG_NOSIGNAL) != len)
					goto finish;
				s->s_sent = 1;
				struct epoll_event ev = {.events = EPOLLIN,
				                         .data.u32 = (uint32_t)k};
				epoll_ctl(ep, EPOLL_CTL_MOD, s->s_fd, &ev);
				continue;
			}
			ssize_t r = recv(s->s_fd, buf, sizeof(buf), 0);
			if (r < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (r > 0) {
				for (ssize_t j = 0; j < r && s->s_got < (int)sizeof(s->s_head) - 1;
				     j++)
					s->s_head[s->s_got++] = buf[j];
				continue;
			}
		finish:
			s->s_ok = strncmp(s->s_head, "HTTP/1.", 7) == 0 &&
			          strncmp(s->s_head + 8, " 200", 4) == 0;
			ok += s->s_ok;
			failed += !s->s_ok;
			done++;
			close(s->s_fd);
			s->s_fd = -1;
			if (issued < total) {
				issued++;
				if (start(ep, s, k, port) != 0) {
					failed++;
					done++;
				}
			}
		}
	}
	printf("requests=%ld answered=%ld failed=%ld seconds=%.1f\n", issued, ok, failed,
	       now() - t0);
	return failed == 0 && done == total ? 0 : 1;
}

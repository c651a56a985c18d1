/* loadclient: N concurrent MJPEG viewers on one epoll thread, counting frames.
 *
 * usage: loadclient HOST PORT PATH CLIENTS SECONDS [RAMP_MS]
 * Prints one line of key=value figures: delivered fps per client (mean,
 * min, p5), aggregate MB/s, time to first frame (p50, p95, max), failed and
 * dropped connections. Loopback only: HOST must be 127.0.0.0/8 or ::1.
 *
 * LC_SLOW=K makes the first K clients slow readers: at most 8 KiB every
 * 250 ms (32 KB/s, about a tenth of a 640x480 stream at 10 fps); they are
 * reported apart (slow_fps_mean) and left out of the other figures.
 * LC_CHURN_MS=T makes every other client leave after T ms of streaming and
 * connect again at once (reconnects=). */
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

typedef struct {
	int c_fd;
	int c_state; /* 0 connecting, 1 headers, 2 streaming, 3 closed */
	uint64_t c_frames;
	uint64_t c_bytes;
	double c_start, c_first;
	char c_tail[8];      /* last bytes seen, for boundaries split across reads */
	int c_slow, c_armed; /* a slow reader; its EPOLLIN is armed */
	double c_next_read, c_conn_at;
} client_s;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Counts JPEG end markers (FF D9) across reads: one per frame. */
static uint64_t count_frames(client_s *c, const uint8_t *buf, size_t n)
{
	uint64_t f = 0;

	if (n == 0)
		return 0;
	if ((uint8_t)c->c_tail[0] == 0xff && buf[0] == 0xd9)
		f++;
	for (size_t i = 0; i + 1 < n; i++)
		if (buf[i] == 0xff && buf[i + 1] == 0xd9)
			f++;
	c->c_tail[0] = (char)buf[n - 1];
	return f;
}

/* Connects client c (number idx) to sin, watched by ep: 1 when that failed
 * (the client is then done), 0 when the connection is on its way. */
static int client_connect(client_s *c, int ep, const struct sockaddr_in *sin, int idx)
{
	if (c->c_fd < 0 || (connect(c->c_fd, (const struct sockaddr *)sin, sizeof(*sin)) != 0 &&
	                    errno != EINPROGRESS)) {
		c->c_state = 3;
		return 1;
	}
	struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN, .data.u32 = (uint32_t)idx};
	epoll_ctl(ep, EPOLL_CTL_ADD, c->c_fd, &ev);
	return 0;
}

/* The run's one line of figures; closes the clients still open. */
static void report(client_s *cl, int n, double t0, int failed, int dropped, int nslow,
                   long reconnects)
{
	double elapsed = now() - t0;
	double *fps = calloc((size_t)n, sizeof(double)), *ttff = calloc((size_t)n, sizeof(double));
	double sum = 0, bytes = 0, slow_sum = 0;
	int nt = 0, nf = 0;
	for (int i = 0; i < n; i++) {
		double alive = elapsed - (cl[i].c_start - t0);
		double f = alive > 0 ? (double)cl[i].c_frames / alive : 0;
		if (cl[i].c_state != 3)
			close(cl[i].c_fd);
		if (cl[i].c_slow) {
			slow_sum += f;
			continue;
		}
		fps[nf++] = f;
		sum += f;
		bytes += (double)cl[i].c_bytes;
		if (cl[i].c_frames > 0)
			ttff[nt++] = cl[i].c_first * 1000;
	}
	if (nf == 0)
		fps[nf++] = 0;
	qsort(fps, (size_t)nf, sizeof(double), cmp_double);
	qsort(ttff, (size_t)nt, sizeof(double), cmp_double);
	printf("clients=%d fps_mean=%.2f fps_min=%.2f fps_p5=%.2f frames=%.0f mbps=%.1f "
	       "ttff_p50_ms=%.1f "
	       "ttff_p95_ms=%.1f ttff_max_ms=%.1f failed=%d dropped=%d slow=%d slow_fps_mean=%.2f "
	       "reconnects=%ld\n",
	       n, sum / nf, fps[0], fps[nf / 20], sum * elapsed, bytes / elapsed / 1e6,
	       nt ? ttff[nt / 2] : -1, nt ? ttff[nt * 95 / 100] : -1, nt ? ttff[nt - 1] : -1,
	       failed, dropped, nslow, nslow > 0 ? slow_sum / nslow : 0.0, reconnects);
	free(fps);
	free(ttff);
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: %s HOST PORT PATH CLIENTS SECONDS [RAMP_MS]\n", argv[0]);
		return 2;
	}
	const char *host = argv[1], *path = argv[3];
	int port = atoi(argv[2]), n = atoi(argv[4]);
	double secs = atof(argv[5]), ramp = argc > 6 ? atof(argv[6]) / 1000.0 : 0;
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	client_s *cl = calloc((size_t)n, sizeof(*cl));
	char req[512];
	int ep = epoll_create1(0), failed = 0, dropped = 0, started = 0;
	uint8_t *buf = malloc(1 << 16);
	double t0 = now(), end = t0 + secs;
	int nslow = getenv("LC_SLOW") != NULL ? atoi(getenv("LC_SLOW")) : 0;
	double churn = getenv("LC_CHURN_MS") != NULL ? atof(getenv("LC_CHURN_MS")) / 1000.0 : 0;
	long reconnects = 0;

	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1 ||
	    (ntohl(sin.sin_addr.s_addr) >> 24) != 127) {
		fprintf(stderr, "loadclient: only 127.0.0.0/8 is allowed\n");
		return 2;
	}
	int reqlen = snprintf(
	    req, sizeof(req),
	    "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: camdecoy-loadclient\r\n\r\n", path, host);
	while (now() < end) {
		/* start clients, spread over the ramp */
		while (started < n && (ramp <= 0 || now() - t0 >= ramp * started / n)) {
			client_s *c = &cl[started];
			c->c_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
			c->c_start = c->c_conn_at = now();
			c->c_slow = started < nslow;
			c->c_armed = 1;
			failed += client_connect(c, ep, &sin, started);
			started++;
		}
		/* slow readers whose pause is over read again; churning clients leave and come back
		 */
		double tn = now();
		for (int i = 0; i < started; i++) {
			client_s *c = &cl[i];
			if (c->c_slow && !c->c_armed && c->c_state != 3 && tn >= c->c_next_read) {
				struct epoll_event ev = {.events = EPOLLIN,
				                         .data.u32 = (uint32_t)i};
				epoll_ctl(ep, EPOLL_CTL_MOD, c->c_fd, &ev);
				c->c_armed = 1;
			}
			if (churn > 0 && !c->c_slow && c->c_state == 2 &&
			    tn - c->c_conn_at >= churn) {
				close(c->c_fd);
				c->c_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
				c->c_conn_at = tn;
				c->c_state = 0;
				reconnects++;
				failed += client_connect(c, ep, &sin, i);
			}
		}
		struct epoll_event evs[256];
		int k = epoll_wait(ep, evs, 256, 10);
		for (int i = 0; i < k; i++) {
			client_s *c = &cl[evs[i].data.u32];
			if (c->c_state == 0 && (evs[i].events & EPOLLOUT)) {
				if (write(c->c_fd, req, (size_t)reqlen) != reqlen) {
					failed++;
					c->c_state = 3;
					close(c->c_fd);
					continue;
				}
				struct epoll_event ev = {.events = EPOLLIN,
				                         .data.u32 = evs[i].data.u32};
				epoll_ctl(ep, EPOLL_CTL_MOD, c->c_fd, &ev);
				c->c_state = 1;
			}
			if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
				ssize_t r = read(c->c_fd, buf, c->c_slow ? 8192 : 1 << 16);
				if (c->c_slow && r > 0) {
					/* pause: nothing more is read for 250 ms */
					struct epoll_event ev = {.events = 0,
					                         .data.u32 = evs[i].data.u32};
					epoll_ctl(ep, EPOLL_CTL_MOD, c->c_fd, &ev);
					c->c_armed = 0;
					c->c_next_read = now() + 0.25;
				}
				if (r <= 0) {
					if (r < 0 && errno == EAGAIN)
						continue;
					if (c->c_frames == 0)
						failed++;
					else
						dropped++;
					c->c_state = 3;
					close(c->c_fd);
					continue;
				}
				c->c_bytes += (uint64_t)r;
				if (c->c_state == 1)
					c->c_state = 2;
				uint64_t f = count_frames(c, buf, (size_t)r);
				if (f > 0 && c->c_frames == 0)
					c->c_first = now() - c->c_start;
				c->c_frames += f;
			}
		}
	}
	report(cl, n, t0, failed, dropped, nslow, reconnects);
	fflush(stdout);
	free(cl);
	free(buf);
	close(ep);
	return 0;
}

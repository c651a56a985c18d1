/* rtpout: one RTSP connection's output while it plays: RTP, RTCP and RTSP answers queued in order.
 *
 * Over RTSP's own TCP connection (RFC 2326 10.12) packets and answers share
 * one byte stream, so they go through one bounded buffer. A frame is queued
 * only when the previous one has gone: the kernel's socket buffer is the
 * only backlog a slow reader can build. */
#include "rtpout.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

struct rtpout {
	int ro_fd;
	int ro_udp; /* 1: RTP over UDP as ro_u says */
	rtpout_udp_s ro_u;
	rtpout_bucket_s ro_bucket;
	rtp_sender_s ro_rtp;
	uint32_t ro_base;
	int64_t ro_last_sr; /* 0: none yet */
	size_t ro_len, ro_off;
	uint8_t ro_buf[RTPOUT_MAX];
};

void rtpout_bucket_init(rtpout_bucket_s *b, double rate, double burst)
{
	*b =
	    (rtpout_bucket_s){.tb_tokens = burst, .tb_rate = rate, .tb_burst = burst, .tb_last = 0};
}

int rtpout_bucket_take(rtpout_bucket_s *b, double n, int64_t now_ms)
{
	if (b->tb_last != 0 && now_ms > b->tb_last) {
		b->tb_tokens += (double)(now_ms - b->tb_last) * b->tb_rate / 1000.0;
		if (b->tb_tokens > b->tb_burst)
			b->tb_tokens = b->tb_burst;
	}
	if (b->tb_last == 0 || now_ms > b->tb_last)
		b->tb_last = now_ms;
	if (b->tb_tokens < n)
		return 0;
	b->tb_tokens -= n;
	return 1;
}

rtpout_s *rtpout_new(int fd, uint32_t ssrc, uint16_t seq, uint32_t rtp_base,
                     const rtpout_udp_s *udp)
{
	rtpout_s *o = malloc(sizeof(*o));

	if (o == NULL)
		return NULL;
	o->ro_fd = fd;
	o->ro_udp = udp != NULL;
	if (udp != NULL)
		o->ro_u = *udp;
	/* a second's worth of burst: a frame's packets go out together */
	rtpout_bucket_init(&o->ro_bucket, RTPOUT_UDP_PPS, RTPOUT_UDP_PPS);
	o->ro_rtp = (rtp_sender_s){.rs_ssrc = ssrc, .rs_seq = seq};
	o->ro_base = rtp_base;
	o->ro_last_sr = 0;
	o->ro_len = o->ro_off = 0;
	return o;
}

void rtpout_free(rtpout_s *o)
{
	free(o);
}

int rtpout_flush(rtpout_s *o)
{
	while (o->ro_off < o->ro_len) {
		ssize_t n = send(o->ro_fd, o->ro_buf + o->ro_off, o->ro_len - o->ro_off,
		                 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
		o->ro_off += (size_t)n;
	}
	o->ro_off = o->ro_len = 0;
	return 0;
}

int rtpout_pending(const rtpout_s *o)
{
	return o->ro_len > o->ro_off;
}

int rtpout_say(rtpout_s *o, const void *b, size_t n)
{
	if (o->ro_off > 0) { /* room at the front first */
		memmove(o->ro_buf, o->ro_buf + o->ro_off, o->ro_len - o->ro_off);
		o->ro_len -= o->ro_off;
		o->ro_off = 0;
	}
	if (n > RTPOUT_MAX - o->ro_len)
		return -1;
	memcpy(o->ro_buf + o->ro_len, b, n);
	o->ro_len += n;
	return rtpout_flush(o);
}

uint32_t rtpout_rtptime(const rtpout_s *o, int64_t mono_ms)
{
	return o->ro_base + (uint32_t)((uint64_t)mono_ms * 90);
}

uint16_t rtpout_seq(const rtpout_s *o)
{
	return o->ro_rtp.rs_seq;
}

/* Each '$'-framed packet in b (n bytes) as one datagram to the peer's port. */
static void send_udp(const rtpout_s *o, int fd, uint16_t port, const uint8_t *b, size_t n)
{
	struct sockaddr_storage to = o->ro_u.ru_peer;

	if (to.ss_family == AF_INET)
		((struct sockaddr_in *)&to)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&to)->sin6_port = htons(port);
	for (size_t pos = 0; pos + RTP_FRAMING <= n;) {
		size_t plen = (size_t)(b[pos + 2] << 8 | b[pos + 3]);
		if (pos + RTP_FRAMING + plen > n)
			break;
		/* a full socket buffer drops the datagram, as a network would */
		(void)sendto(fd, b + pos + RTP_FRAMING, plen, MSG_DONTWAIT | MSG_NOSIGNAL,
		             (struct sockaddr *)&to,
		             to.ss_family == AF_INET ? sizeof(struct sockaddr_in)
		                                     : sizeof(struct sockaddr_in6));
		pos += RTP_FRAMING + plen;
	}
}

/* One frame's payload: a JPEG's scan or an H.264 access unit. */
typedef struct {
	const rtp_jpeg_s *pl_jpeg; /* NULL: pl_au */
	const uint8_t *pl_au;
	size_t pl_au_len;
} payload_s;

static size_t packetize(rtpout_s *o, const payload_s *pl, uint32_t ts, uint8_t channel,
                        uint8_t *out, size_t cap)
{
	if (pl->pl_jpeg != NULL)
		return rtp_jpeg_packets(pl->pl_jpeg, &o->ro_rtp, ts, RTP_PACKET_MAX, channel, out,
		                        cap);
	return rtp_h264_packets(pl->pl_au, pl->pl_au_len, &o->ro_rtp, ts, RTP_PACKET_MAX, channel,
	                        out, cap);
}

/* Over UDP: the frame built behind any answer still queued for the RTSP
 * connection, sent as datagrams, never queued. */
static int frame_udp(rtpout_s *o, const payload_s *pl, uint32_t ts, int64_t now_ms, int64_t wall_ms,
                     int64_t mono_ms)
{
	uint8_t *b = o->ro_buf + o->ro_len;
	size_t cap = RTPOUT_MAX - o->ro_len, n, sr = 0;
	rtp_sender_s before = o->ro_rtp;
	double packets;

	n = packetize(o, pl, ts, 0, b, cap);
	if (n == 0)
		return 0;
	packets = (double)(o->ro_rtp.rs_packets - before.rs_packets);
	if (!rtpout_bucket_take(&o->ro_bucket, packets, now_ms) ||
	    !rtpout_bucket_take(o->ro_u.ru_global, packets, now_ms)) {
		o->ro_rtp = before; /* not sent: the numbers stay the receiver's */
		return 0;
	}
	send_udp(o, o->ro_u.ru_rtp_fd, o->ro_u.ru_client_port, b, n);
	if (o->ro_last_sr == 0 || now_ms - o->ro_last_sr >= RTPOUT_SR_MS) {
		sr = rtp_sender_report(&o->ro_rtp, rtp_ntp(wall_ms - (now_ms - mono_ms)), ts,
		                       "localhost", 1, b, cap);
		send_udp(o, o->ro_u.ru_rtcp_fd, (uint16_t)(o->ro_u.ru_client_port + 1), b, sr);
		o->ro_last_sr = now_ms;
	}
	return 1;
}

static int frame(rtpout_s *o, const payload_s *pl, int64_t mono_ms, int64_t now_ms, int64_t wall_ms,
                 uint8_t channel)
{
	uint32_t ts = rtpout_rtptime(o, mono_ms);
	size_t n;

	if (o->ro_udp)
		return frame_udp(o, pl, ts, now_ms, wall_ms, mono_ms);
	if (rtpout_pending(o))
		return 0;
	o->ro_len = o->ro_off = 0;
	n = packetize(o, pl, ts, channel, o->ro_buf, RTPOUT_MAX);
	if (n == 0)
		return 0;
	o->ro_len = n;
	if (o->ro_last_sr == 0 || now_ms - o->ro_last_sr >= RTPOUT_SR_MS) {
		/* the report's RTP time is the frame's: the instant it was captured */
		o->ro_len += rtp_sender_report(&o->ro_rtp, rtp_ntp(wall_ms - (now_ms - mono_ms)),
		                               ts, "localhost", (uint8_t)(channel + 1),
		                               o->ro_buf + n, RTPOUT_MAX - n);
		o->ro_last_sr = now_ms;
	}
	rtpout_flush(o); /* a peer gone shows at its next poll */
	return 1;
}

int rtpout_frame(rtpout_s *o, const rtp_jpeg_s *j, int64_t mono_ms, int64_t now_ms, int64_t wall_ms,
                 uint8_t channel)
{
	payload_s pl = {.pl_jpeg = j};

	return frame(o, &pl, mono_ms, now_ms, wall_ms, channel);
}

int rtpout_frame_h264(rtpout_s *o, const uint8_t *au, size_t len, int64_t mono_ms, int64_t now_ms,
                      int64_t wall_ms, uint8_t channel)
{
	payload_s pl = {.pl_au = au, .pl_au_len = len};

	return frame(o, &pl, mono_ms, now_ms, wall_ms, channel);
}

int rtpout_udp_open(const struct sockaddr *near, socklen_t nearlen, int fds[2], uint16_t ports[2],
                    char *err, size_t errlen)
{
	fds[0] = fds[1] = -1;
	for (int i = 0; i < 2; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = nearlen;

		if (nearlen > sizeof(ss))
			goto fail;
		memcpy(&ss, near, nearlen);
		if (ss.ss_family == AF_INET)
			((struct sockaddr_in *)&ss)->sin_port = 0;
		else if (ss.ss_family == AF_INET6)
			((struct sockaddr_in6 *)&ss)->sin6_port = 0;
		if ((fds[i] = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) <
		        0 ||
		    bind(fds[i], (struct sockaddr *)&ss, nearlen) != 0 ||
		    getsockname(fds[i], (struct sockaddr *)&ss, &sl) != 0)
			goto fail;
		ports[i] = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
		                                         : ((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	return 0;
fail:
	snprintf(err, errlen, "rtsp: RTP's UDP sockets: %s", strerror(errno));
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	fds[0] = fds[1] = -1;
	return -1;
}

/* rtpout: one RTSP connection's output while it plays: RTP, RTCP and RTSP answers queued in order.
 *
 * Over RTSP's own TCP connection (RFC 2326 10.12) packets and answers share
 * one byte stream, so they go through one bounded buffer. A frame is queued
 * only when the previous one has gone: the kernel's socket buffer is the
 * only backlog a slow reader can build. */
#include "rtpout.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct rtpout {
	int ro_fd;
	rtp_sender_s ro_rtp;
	uint32_t ro_base;
	int64_t ro_last_sr; /* 0: none yet */
	size_t ro_len, ro_off;
	uint8_t ro_buf[RTPOUT_MAX];
};

rtpout_s *rtpout_new(int fd, uint32_t ssrc, uint16_t seq, uint32_t rtp_base)
{
	rtpout_s *o = malloc(sizeof(*o));

	if (o == NULL)
		return NULL;
	o->ro_fd = fd;
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

int rtpout_frame(rtpout_s *o, const rtp_jpeg_s *j, int64_t mono_ms, int64_t now_ms, int64_t wall_ms,
                 uint8_t channel)
{
	uint32_t ts = rtpout_rtptime(o, mono_ms);
	size_t n;

	if (rtpout_pending(o))
		return 0;
	o->ro_len = o->ro_off = 0;
	n = rtp_jpeg_packets(j, &o->ro_rtp, ts, RTP_PACKET_MAX, channel, o->ro_buf, RTPOUT_MAX);
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

/* rtpout: one RTSP connection's output while it plays: RTP, RTCP and RTSP answers queued in order
 * on its socket. */
#ifndef CAMDECOY_RTPOUT_H
#define CAMDECOY_RTPOUT_H

#include <stddef.h>
#include <stdint.h>

#include <sys/socket.h>

#include "rtp.h"

/* One 1280x720 frame and its packet headers with room to spare. */
#define RTPOUT_MAX (384 * 1024)
/* Cameras send a sender report every few seconds. */
#define RTPOUT_SR_MS 5000

/* Over UDP a session may send this many packets a second (a 1280x720 frame
 * at 30 fps is about 3,000), and every session together the global budget
 * the listener owns: RTP goes only to the RTSP peer's own address, and no
 * one can make the camera send faster than it would. */
#define RTPOUT_UDP_PPS    4000
#define RTPOUT_GLOBAL_PPS 40000

/* A token bucket of packets. */
typedef struct {
	double tb_tokens, tb_rate, tb_burst;
	int64_t tb_last;
} rtpout_bucket_s;

void rtpout_bucket_init(rtpout_bucket_s *b, double rate, double burst);
/* Takes n tokens at monotonic now_ms: 1 if there were n, else 0 (none taken). */
int rtpout_bucket_take(rtpout_bucket_s *b, double n, int64_t now_ms);

/* The listener's UDP sockets for RTP and RTCP (nothing is read from them):
 * bound on near's address (its port ignored), ports chosen by the system,
 * non-blocking. 0, or -1 with err filled. */
int rtpout_udp_open(const struct sockaddr *near, socklen_t nearlen, int fds[2], uint16_t ports[2],
                    char *err, size_t errlen);

typedef struct rtpout rtpout_s;

/* Where a session's RTP goes over UDP: the RTSP peer's own address with the
 * client_port it asked for (RTCP to the next port), from the listener's
 * sockets; global is the listener's budget (all borrowed). */
typedef struct {
	int ru_rtp_fd, ru_rtcp_fd;
	struct sockaddr_storage ru_peer; /* the RTSP connection's peer (IPv4 or IPv6) */
	uint16_t ru_client_port;
	rtpout_bucket_s *ru_global;
} rtpout_udp_s;

/* fd is borrowed (the session closes it); ssrc and seq start the RTP
 * stream; rtp_base is the RTP time at monotonic 0 (all random). udp NULL:
 * RTP interleaved on fd; else over UDP as it says (copied). */
rtpout_s *rtpout_new(int fd, uint32_t ssrc, uint16_t seq, uint32_t rtp_base,
                     const rtpout_udp_s *udp);
void rtpout_free(rtpout_s *o);

/* Bytes (an RTSP answer) behind what is queued, so that an answer never
 * lands inside a packet: 0, or -1 when there is no room or the peer is
 * gone. */
int rtpout_say(rtpout_s *o, const void *b, size_t n);
/* Sends what is queued as far as the socket takes it; -1 when the peer is gone. */
int rtpout_flush(rtpout_s *o);
/* 1 while bytes wait for the socket (poll for POLLOUT). */
int rtpout_pending(const rtpout_s *o);

/* The frame as RTP on channel (RTCP on channel + 1, a sender report when
 * one is due at now_ms): 1 when queued, 0 when skipped (the previous one
 * is still going out: a slow reader gets fewer frames, never a backlog).
 * Over UDP: sent at once, or skipped whole when the session's rate or the
 * global budget has no room for all its packets. */
int rtpout_frame(rtpout_s *o, const rtp_jpeg_s *j, int64_t mono_ms, int64_t now_ms, int64_t wall_ms,
                 uint8_t channel);

/* The same for an H.264 access unit (Annex B), as RFC 6184 packets. A
 * frame skipped here never reached the receiver: the caller's next picture
 * must be an IDR. */
int rtpout_frame_h264(rtpout_s *o, const uint8_t *au, size_t len, int64_t mono_ms, int64_t now_ms,
                      int64_t wall_ms, uint8_t channel);

/* The RTP time at monotonic mono_ms, and the next sequence number (PLAY's RTP-Info). */
uint32_t rtpout_rtptime(const rtpout_s *o, int64_t mono_ms);
uint16_t rtpout_seq(const rtpout_s *o);

#endif

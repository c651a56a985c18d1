/* rtpout: one RTSP connection's output while it plays: RTP, RTCP and RTSP answers queued in order
 * on its socket. */
#ifndef CAMDECOY_RTPOUT_H
#define CAMDECOY_RTPOUT_H

#include <stddef.h>
#include <stdint.h>

#include "rtp.h"

/* One 1280x720 frame and its packet headers with room to spare. */
#define RTPOUT_MAX (384 * 1024)
/* Cameras send a sender report every few seconds. */
#define RTPOUT_SR_MS 5000

typedef struct rtpout rtpout_s;

/* fd is borrowed (the session closes it); ssrc and seq start the RTP
 * stream; rtp_base is the RTP time at monotonic 0 (all random). */
rtpout_s *rtpout_new(int fd, uint32_t ssrc, uint16_t seq, uint32_t rtp_base);
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
 * is still going out: a slow reader gets fewer frames, never a backlog). */
int rtpout_frame(rtpout_s *o, const rtp_jpeg_s *j, int64_t mono_ms, int64_t now_ms, int64_t wall_ms,
                 uint8_t channel);

/* The RTP time at monotonic mono_ms, and the next sequence number (PLAY's RTP-Info). */
uint32_t rtpout_rtptime(const rtpout_s *o, int64_t mono_ms);
uint16_t rtpout_seq(const rtpout_s *o);

#endif

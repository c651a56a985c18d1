/* rtp: JPEG (RFC 2435) and H.264 (RFC 6184) over RTP, and RTCP sender reports, as functions over
 * one frame and a buffer (no sockets). */
#ifndef CAMDECOY_RTP_H
#define CAMDECOY_RTP_H

#include <stddef.h>
#include <stdint.h>

/* Every packet is written behind the 4-byte interleaved header of RFC 2326
 * 10.12 ('$', channel, 16-bit length): sent as is over RTSP's TCP
 * connection, or without those 4 bytes as one UDP datagram. */
#define RTP_FRAMING 4
/* An RTP packet at most (header included): fits a 1500-byte Ethernet MTU
 * with IP and UDP headers, as cameras packetize. */
#define RTP_PACKET_MAX 1400

/* What RFC 2435 carries of a baseline JPEG: the scan and what a receiver
 * needs to rebuild the headers (the standard Huffman tables are implied).
 * Pointers are into the JPEG given to rtp_jpeg_parse. */
typedef struct {
	int rj_w, rj_h;
	uint8_t rj_type;        /* 0: 4:2:2, 1: 4:2:0; +64 when restart markers are in the scan */
	uint16_t rj_dri;        /* restart interval in MCUs, 0: none */
	const uint8_t *rj_q[2]; /* luma and chroma quantisation tables, 64 bytes each */
	const uint8_t *rj_scan; /* the entropy-coded data, EOI excluded */
	size_t rj_scan_len;
} rtp_jpeg_s;

/* 0 when jpeg is a baseline JFIF RFC 2435 can carry (3 components, Y 2x1
 * or 2x2 and chroma 1x1, 8-bit tables 0 and 1, size a multiple of 8 up to
 * 2040); -1 otherwise. Never reads past len. */
int rtp_jpeg_parse(const uint8_t *jpeg, size_t len, rtp_jpeg_s *out);

/* One sender's running state (RFC 3550): ssrc and the first sequence
 * number are random, chosen by the caller. */
typedef struct {
	uint32_t rs_ssrc;
	uint16_t rs_seq;     /* the next packet's */
	uint32_t rs_packets; /* sent, for sender reports */
	uint32_t rs_octets;  /* payload octets sent */
	uint32_t rs_last_ts; /* the last frame's timestamp */
} rtp_sender_s;

/* Writes the frame as RTP packets of at most mtu bytes (RTP_PACKET_MAX at
 * most), each behind its interleaved header on channel, into out: the bytes
 * written, or 0 when they do not fit in cap (nothing is counted then). The
 * last packet carries the marker bit. */
/* Writes a packet's interleaved framing ('$', channel, length: RFC 2326
 * 10.12) and its 12-byte RTP header (version 2, pt, marker, seq, ts, the
 * sender's SSRC) at p; returns where the payload goes. plen counts the RTP
 * header and the payload. */
uint8_t *rtp_put_header(uint8_t *p, uint8_t channel, size_t plen, int pt, int marker, uint16_t seq,
                        uint32_t ts, uint32_t ssrc);

size_t rtp_jpeg_packets(const rtp_jpeg_s *j, rtp_sender_s *s, uint32_t ts, size_t mtu,
                        uint8_t channel, uint8_t *out, size_t cap);

/* A compound RTCP packet (a sender report, then SDES with cname) behind its
 * interleaved header on channel: the bytes written, 0 when cap is too small.
 * ntp: the wall clock as NTP's 32.32 fixed point; ts: the RTP time of that
 * instant. cname is bounded to 64 bytes. */
size_t rtp_sender_report(const rtp_sender_s *s, uint64_t ntp, uint32_t ts, const char *cname,
                         uint8_t channel, uint8_t *out, size_t cap);

/* The access unit au (Annex B, as media/h264.c writes it) as RTP packets
 * of payload type 96 (RFC 6184, packetization-mode 1: single NAL units and
 * FU-A), as rtp_jpeg_packets writes them. SEI and delimiters are left out.
 * 0 when nothing fits in cap or au has no NAL unit to send. */
size_t rtp_h264_packets(const uint8_t *au, size_t au_len, rtp_sender_s *s, uint32_t ts, size_t mtu,
                        uint8_t channel, uint8_t *out, size_t cap);

/* The SDP's fmtp values for a stream's parameter sets (NAL units without
 * start codes). */
typedef struct {
	char hs_plid[7];    /* profile-level-id: 6 hex digits from the SPS */
	char hs_sprop[400]; /* sprop-parameter-sets: base64 SPS, a comma, base64 PPS */
} rtp_h264_sdp_s;

/* 0, or -1 when they are not an SPS and a PPS or too long. */
int rtp_h264_sdp(const uint8_t *sps, size_t sps_len, const uint8_t *pps, size_t pps_len,
                 rtp_h264_sdp_s *out);

/* The wall clock (ms since 1970) as NTP's 32.32 fixed point. */
uint64_t rtp_ntp(int64_t wall_ms);

#endif

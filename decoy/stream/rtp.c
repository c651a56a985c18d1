/* rtp: JPEG over RTP (RFC 2435) and RTCP sender reports, as functions over one frame and a buffer.
 *
 * RFC 2435 sends the scan and a few numbers; the receiver rebuilds the JPEG
 * headers with the standard Huffman tables. That is exactly what the encoder
 * writes (media/encoder.c: baseline, standard tables), so a frame goes out
 * as its own bytes: nothing is re-encoded per viewer, and a viewer's note
 * band spliced into the scan travels inside it. The quantisation tables go
 * in-band (Q = 255) because the encoder scales Annex K tables its own way. */
#include "rtp.h"

#include <string.h>

#define JPEG_PT      26
#define RTP_HEADER   12
#define JPEG_HEADER  8
#define RST_HEADER   4
#define QUANT_HEADER 4

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

uint8_t *rtp_put_header(uint8_t *p, uint8_t channel, size_t plen, int pt, int marker, uint16_t seq,
                        uint32_t ts, uint32_t ssrc)
{
	p[0] = '$';
	p[1] = channel;
	put16(p + 2, (uint32_t)plen);
	p += RTP_FRAMING;
	p[0] = 0x80;
	p[1] = (uint8_t)(pt | (marker ? 0x80 : 0));
	put16(p + 2, seq);
	put32(p + 4, ts);
	put32(p + 8, ssrc);
	return p + RTP_HEADER;
}

static int parse_dqt(const uint8_t *p, size_t n, rtp_jpeg_s *out)
{
	while (n > 0) {
		uint8_t pq = p[0] >> 4, tq = p[0] & 15;
		if (pq != 0 || tq > 1 || n < 65)
			return -1; /* 16-bit or a third table: not what RFC 2435 carries */
		out->rj_q[tq] = p + 1;
		p += 65;
		n -= 65;
	}
	return 0;
}

static int parse_sof(const uint8_t *p, size_t n, rtp_jpeg_s *out)
{
	if (n != 15 || p[0] != 8 || p[5] != 3)
		return -1;
	out->rj_h = be16(p + 1);
	out->rj_w = be16(p + 3);
	/* components: Y on table 0, Cb and Cr 1x1 on table 1 */
	if (p[8] != 0 || p[10] != 0x11 || p[11] != 1 || p[13] != 0x11 || p[14] != 1)
		return -1;
	if (p[7] == 0x21)
		out->rj_type = 0;
	else if (p[7] == 0x22)
		out->rj_type = 1;
	else
		return -1;
	if (out->rj_w <= 0 || out->rj_h <= 0 || out->rj_w > 2040 || out->rj_h > 2040 ||
	    out->rj_w % 8 != 0 || out->rj_h % 8 != 0)
		return -1;
	return 0;
}

int rtp_jpeg_parse(const uint8_t *jpeg, size_t len, rtp_jpeg_s *out)
{
	size_t pos = 2;
	int sof = 0;

	memset(out, 0, sizeof(*out));
	if (len < 4 || jpeg[0] != 0xff || jpeg[1] != 0xd8 || jpeg[len - 2] != 0xff ||
	    jpeg[len - 1] != 0xd9)
		return -1;
	while (pos + 4 <= len) {
		uint8_t m = jpeg[pos + 1];
		size_t seg = be16(jpeg + pos + 2);

		if (jpeg[pos] != 0xff || seg < 2 || seg > len - pos - 2)
			return -1;
		const uint8_t *body = jpeg + pos + 4;
		size_t blen = seg - 2;
		if (m == 0xdb && parse_dqt(body, blen, out) != 0)
			return -1;
		if (m == 0xc0) {
			if (parse_sof(body, blen, out) != 0)
				return -1;
			sof = 1;
		} else if (m >= 0xc1 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
			return -1; /* not baseline */
		}
		if (m == 0xdd) {
			if (blen != 2)
				return -1;
			out->rj_dri = be16(body);
		}
		if (m == 0xda) {
			size_t start = pos + 2 + seg;
			if (!sof || out->rj_q[0] == NULL || out->rj_q[1] == NULL || start > len - 2)
				return -1;
			if (out->rj_dri != 0)
				out->rj_type |= 64;
			out->rj_scan = jpeg + start;
			out->rj_scan_len = len - 2 - start;
			return 0;
		}
		pos += 2 + seg;
	}
	return -1;
}

size_t rtp_jpeg_packets(const rtp_jpeg_s *j, rtp_sender_s *s, uint32_t ts, size_t mtu,
                        uint8_t channel, uint8_t *out, size_t cap)
{
	size_t off = 0, w = 0;
	uint16_t seq = s->rs_seq;
	uint32_t packets = 0, octets = 0;

	if (mtu > RTP_PACKET_MAX)
		mtu = RTP_PACKET_MAX;
	if (mtu < RTP_HEADER + JPEG_HEADER + RST_HEADER + QUANT_HEADER + 128 + 1)
		return 0;
	do {
		size_t hdr = RTP_HEADER + JPEG_HEADER + ((j->rj_type & 64) ? RST_HEADER : 0) +
		             (off == 0 ? QUANT_HEADER + 128 : 0);
		size_t chunk = j->rj_scan_len - off < mtu - hdr ? j->rj_scan_len - off : mtu - hdr;
		size_t plen = hdr + chunk;
		uint8_t *p;

		if (cap - w < RTP_FRAMING + plen)
			return 0;
		p = rtp_put_header(out + w, channel, plen, JPEG_PT, off + chunk == j->rj_scan_len,
		                   seq++, ts, s->rs_ssrc);
		put32(p, (uint32_t)off); /* type-specific 0, then the 24-bit offset */
		p[4] = j->rj_type;
		p[5] = 255; /* tables in-band */
		p[6] = (uint8_t)(j->rj_w / 8);
		p[7] = (uint8_t)(j->rj_h / 8);
		p += JPEG_HEADER;
		if (j->rj_type & 64) {
			put16(p, j->rj_dri);
			put16(p + 2,
			      0xffff); /* F, L and count all ones: the intervals are not aligned */
			p += RST_HEADER;
		}
		if (off == 0) {
			p[0] = 0;
			p[1] = 0; /* 8-bit */
			put16(p + 2, 128);
			memcpy(p + 4, j->rj_q[0], 64);
			memcpy(p + 68, j->rj_q[1], 64);
			p += QUANT_HEADER + 128;
		}
		memcpy(p, j->rj_scan + off, chunk);
		off += chunk;
		w += RTP_FRAMING + plen;
		packets++;
		octets += (uint32_t)(plen - RTP_HEADER);
	} while (off < j->rj_scan_len);
	s->rs_seq = seq;
	s->rs_packets += packets;
	s->rs_octets += octets;
	s->rs_last_ts = ts;
	return w;
}

size_t rtp_sender_report(const rtp_sender_s *s, uint64_t ntp, uint32_t ts, const char *cname,
                         uint8_t channel, uint8_t *out, size_t cap)
{
	size_t cl = strnlen(cname, 64);
	/* SDES: header, SSRC, CNAME item (type, length, text), an END item, padded to 32 bits */
	size_t sdes = (8 + 2 + cl + 1 + 3) & ~(size_t)3;
	size_t total = 28 + sdes;
	uint8_t *p = out;

	if (cap < RTP_FRAMING + total)
		return 0;
	memset(out, 0, RTP_FRAMING + total);
	p[0] = '$';
	p[1] = channel;
	put16(p + 2, (uint32_t)total);
	p += RTP_FRAMING;
	p[0] = 0x80;
	p[1] = 200;
	put16(p + 2, 6);
	put32(p + 4, s->rs_ssrc);
	put32(p + 8, (uint32_t)(ntp >> 32));
	put32(p + 12, (uint32_t)ntp);
	put32(p + 16, ts);
	put32(p + 20, s->rs_packets);
	put32(p + 24, s->rs_octets);
	p += 28;
	p[0] = 0x81;
	p[1] = 202;
	put16(p + 2, (uint32_t)(sdes / 4 - 1));
	put32(p + 4, s->rs_ssrc);
	p[8] = 1; /* CNAME */
	p[9] = (uint8_t)cl;
	memcpy(p + 10, cname, cl);
	return RTP_FRAMING + total;
}

uint64_t rtp_ntp(int64_t wall_ms)
{
	uint64_t sec = (uint64_t)(wall_ms / 1000) + 2208988800u, ms = (uint64_t)(wall_ms % 1000);

	return sec << 32 | (ms << 32) / 1000;
}

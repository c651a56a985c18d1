/* rtph264: H.264 over RTP (RFC 6184, packetization-mode 1) as a function over one access unit
 * and a buffer, and the SDP's numbers for it.
 *
 * A NAL unit that fits the MTU goes as it is (single NAL unit packet), a
 * larger one in FU-A fragments; SPS and PPS go on their own before every
 * IDR, as camera firmware sends them. SEI and access unit delimiters are
 * not sent: libx264 writes its name and options in an SEI, which no camera
 * does. */
#include "rtp.h"

#include <stdio.h>
#include <string.h>

#include "h264.h"

#define H264_PT    96
#define RTP_HEADER 12
#define FU_HEADER  2

static int sent_nal(const uint8_t *nal)
{
	int t = nal[0] & 0x1f;

	return t != 0 && t != 6 && t != 9 && t < 24;
}

/* The next NAL unit that is sent, from *pos on. */
static int next_sent(const uint8_t *au, size_t len, size_t *pos, const uint8_t **nal, size_t *nl)
{
	while (h264_next_nal(au, len, pos, nal, nl))
		if (sent_nal(*nal))
			return 1;
	return 0;
}

size_t rtp_h264_packets(const uint8_t *au, size_t au_len, rtp_sender_s *s, uint32_t ts, size_t mtu,
                        uint8_t channel, uint8_t *out, size_t cap)
{
	size_t pos = 0, w = 0, nl, next_len = 0;
	const uint8_t *nal, *next = NULL;
	uint16_t seq = s->rs_seq;
	uint32_t packets = 0, octets = 0;
	int more;

	if (mtu > RTP_PACKET_MAX)
		mtu = RTP_PACKET_MAX;
	if (mtu < RTP_HEADER + FU_HEADER + 16 || !next_sent(au, au_len, &pos, &nal, &nl))
		return 0;
	do {
		size_t off = 1; /* of nal: the header byte is in the FU's two */
		int whole = nl <= mtu - RTP_HEADER;

		more = next_sent(au, au_len, &pos, &next, &next_len);
		do {
			size_t room = mtu - RTP_HEADER - (whole ? 0 : FU_HEADER);
			size_t chunk = whole ? nl : (nl - off < room ? nl - off : room);
			int last_piece = whole || off + chunk == nl;
			size_t plen = RTP_HEADER + (whole ? 0 : FU_HEADER) + chunk;
			uint8_t *p;

			if (cap - w < RTP_FRAMING + plen)
				return 0;
			/* the marker: the access unit's last packet */
			p = rtp_put_header(out + w, channel, plen, H264_PT, !more && last_piece,
			                   seq++, ts, s->rs_ssrc);
			if (whole) {
				memcpy(p, nal, nl);
			} else {
				p[0] = (uint8_t)((nal[0] & 0xe0) |
				                 28); /* FU indicator: F, NRI, FU-A */
				p[1] = (uint8_t)((off == 1 ? 0x80 : 0) | (last_piece ? 0x40 : 0) |
				                 (nal[0] & 0x1f));
				memcpy(p + FU_HEADER, nal + off, chunk);
				off += chunk;
			}
			w += RTP_FRAMING + plen;
			packets++;
			octets += (uint32_t)(plen - RTP_HEADER);
			if (whole)
				break;
		} while (off < nl);
		nal = next;
		nl = next_len;
	} while (more);
	s->rs_seq = seq;
	s->rs_packets += packets;
	s->rs_octets += octets;
	s->rs_last_ts = ts;
	return w;
}

static size_t base64(const uint8_t *b, size_t n, char *out, size_t cap)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t w = 0;

	if (cap < (n + 2) / 3 * 4 + 1)
		return 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)b[i] << 16 | (i + 1 < n ? (uint32_t)b[i + 1] << 8 : 0) |
		             (i + 2 < n ? b[i + 2] : 0);
		out[w++] = abc[v >> 18 & 63];
		out[w++] = abc[v >> 12 & 63];
		out[w++] = i + 1 < n ? abc[v >> 6 & 63] : '=';
		out[w++] = i + 2 < n ? abc[v & 63] : '=';
	}
	out[w] = '\0';
	return w;
}

int rtp_h264_sdp(const uint8_t *sps, size_t sps_len, const uint8_t *pps, size_t pps_len,
                 rtp_h264_sdp_s *out)
{
	size_t n;

	if (sps_len < 4 || (sps[0] & 0x1f) != 7 || pps_len < 1 || (pps[0] & 0x1f) != 8)
		return -1;
	/* profile_idc, the constraint flags, level_idc: the SPS's bytes 1..3 */
	snprintf(out->hs_plid, sizeof(out->hs_plid), "%02x%02x%02x", sps[1], sps[2], sps[3]);
	if ((n = base64(sps, sps_len, out->hs_sprop, sizeof(out->hs_sprop) - 1)) == 0 ||
	    base64(pps, pps_len, out->hs_sprop + n + 1, sizeof(out->hs_sprop) - n - 1) == 0)
		return -1;
	out->hs_sprop[n] = ',';
	return 0;
}

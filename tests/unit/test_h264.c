/* test_h264: H.264 over RTP (RFC 6184): Annex B split into NAL units, single NAL unit packets and
 * FU-A fragments that put each NAL unit back together, SEI left out, the marker on the access
 * unit's last packet; the SDP's numbers; the per-session encoder (IDR with SPS and PPS first, P
 * after, an IDR when asked). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "encoder.h"
#include "h264.h"
#include "picture.h"
#include "rtp.h"

#define W 320
#define H 240

/* An access unit as x264 writes it: SPS, PPS, SEI, IDR of idr_len bytes. */
static size_t make_au(uint8_t *au, size_t idr_len)
{
	static const uint8_t sps[] = {0, 0, 0, 1, 0x67, 0x4d, 0x40, 0x16, 0xda, 0x02, 0x80};
	static const uint8_t pps[] = {0, 0, 0, 1, 0x68, 0xef, 0x3c, 0x80};
	static const uint8_t sei[] = {0, 0, 1, 0x06, 0x05, 0x10, 'x', '2', '6', '4', 0x80};
	size_t n = 0;

	memcpy(au + n, sps, sizeof(sps)), n += sizeof(sps);
	memcpy(au + n, pps, sizeof(pps)), n += sizeof(pps);
	memcpy(au + n, sei, sizeof(sei)), n += sizeof(sei);
	au[n++] = 0, au[n++] = 0, au[n++] = 1, au[n++] = 0x65;
	for (size_t i = 1; i < idr_len; i++)
		au[n++] = (uint8_t)(i % 251 + 1); /* no zero: no start code inside */
	return n;
}

/* Walks the packets as a receiver would: the NAL units rebuilt into nals
 * (each behind a 4-byte length), their count, or a negative step. */
static int receive(const uint8_t *buf, size_t n, uint16_t seq0, uint8_t *nals, size_t *nals_len)
{
	size_t pos = 0, w = 0, fu_start = 0;
	uint16_t seq = seq0;
	int count = 0, in_fu = 0;

	while (pos < n) {
		const uint8_t *p = buf + pos + RTP_FRAMING;
		size_t plen = (size_t)(buf[pos + 2] << 8 | buf[pos + 3]);
		if (buf[pos] != '$' || buf[pos + 1] != 4 || plen > 600 || pos + 4 + plen > n)
			return -1;
		if (p[0] != 0x80 || (p[1] & 0x7f) != 96 || (p[2] << 8 | p[3]) != seq++)
			return -2;
		const uint8_t *pl = p + 12;
		size_t ll = plen - 12;
		if ((pl[0] & 0x1f) == 28) {
			if ((pl[1] & 0x80) != 0) { /* start: the NAL header rebuilt */
				if (in_fu)
					return -3;
				in_fu = 1;
				fu_start = w;
				w += 4;
				nals[w++] = (uint8_t)((pl[0] & 0xe0) | (pl[1] & 0x1f));
			} else if (!in_fu) {
				return -4;
			}
			memcpy(nals + w, pl + 2, ll - 2);
			w += ll - 2;
			if (pl[1] & 0x40) {
				size_t len = w - fu_start - 4;
				nals[fu_start] = (uint8_t)(len >> 24);
				nals[fu_start + 1] = (uint8_t)(len >> 16);
				nals[fu_start + 2] = (uint8_t)(len >> 8);
				nals[fu_start + 3] = (uint8_t)len;
				in_fu = 0;
				count++;
			}
		} else {
			if (in_fu)
				return -5;
			nals[w++] = (uint8_t)(ll >> 24), nals[w++] = (uint8_t)(ll >> 16);
			nals[w++] = (uint8_t)(ll >> 8), nals[w++] = (uint8_t)ll;
			memcpy(nals + w, pl, ll);
			w += ll;
			count++;
		}
		pos += RTP_FRAMING + plen;
		if (((p[1] & 0x80) != 0) != (pos == n))
			return -6; /* the marker on the last packet only */
	}
	*nals_len = w;
	return in_fu ? -7 : count;
}

static void packetizer(void)
{
	static uint8_t au[8192], out[16384], nals[16384];
	size_t len = make_au(au, 3000), nl = 0;
	rtp_sender_s s = {.rs_ssrc = 7, .rs_seq = 65534};
	size_t n = rtp_h264_packets(au, len, &s, 90000, 600, 4, out, sizeof(out));

	CHECK(n > 0);
	/* SPS, PPS, then the IDR: the SEI is not sent */
	CHECK(receive(out, n, 65534, nals, &nl) == 3);
	CHECK(nl == 4 + 7 + 4 + 4 + 4 + 3000);
	CHECK(memcmp(nals + 4, au + 4, 7) == 0);              /* the SPS as it was */
	CHECK(nals[15] == 0x68 && nals[23] == 0x65);          /* the PPS, the IDR's header */
	CHECK(memcmp(nals + 23, au + len - 3000, 3000) == 0); /* the IDR rebuilt whole */
	CHECK(s.rs_packets == 2 + (3000 - 1 + 585) / 586 &&
	      s.rs_seq == (uint16_t)(65534 + s.rs_packets));
	/* a NAL unit that fits goes whole, with the marker */
	{
		uint8_t small[] = {0, 0, 1, 0x41, 1, 2, 3};
		rtp_sender_s s1 = {.rs_ssrc = 7, .rs_seq = 10};
		n = rtp_h264_packets(small, sizeof(small), &s1, 1, 600, 4, out, sizeof(out));
		CHECK(n == 4 + 12 + 4 && out[5] == (0x80 | 96) && out[16] == 0x41);
	}
	/* too small a buffer, an MTU too small, nothing to send: nothing written or counted */
	rtp_sender_s s2 = {.rs_ssrc = 1};
	CHECK(rtp_h264_packets(au, len, &s2, 1, 600, 4, out, 1000) == 0 && s2.rs_packets == 0 &&
	      s2.rs_seq == 0);
	CHECK(rtp_h264_packets(au, len, &s2, 1, 20, 4, out, sizeof(out)) == 0);
	CHECK(rtp_h264_packets(au + 19, 11, &s2, 1, 600, 4, out, sizeof(out)) == 0); /* SEI only */
	CHECK(rtp_h264_packets((const uint8_t *)"\0\0\0\0", 4, &s2, 1, 600, 4, out, sizeof(out)) ==
	      0);
}

static void nal_split(void)
{
	/* garbage before the first start code, a 3- and a 4-byte one, an empty unit, trailing zeros
	 */
	static const uint8_t b[] = {9,    9, 0, 0, 1, 0x67, 1, 2, 0,    0, 0, 1,
	                            0x68, 5, 0, 0, 1, 0,    0, 1, 0x65, 7, 0, 0};
	size_t pos = 0, nl;
	const uint8_t *nal;

	CHECK(h264_next_nal(b, sizeof(b), &pos, &nal, &nl) == 1 && nal == b + 5 && nl == 3);
	CHECK(h264_next_nal(b, sizeof(b), &pos, &nal, &nl) == 1 && nal == b + 12 && nl == 2);
	CHECK(h264_next_nal(b, sizeof(b), &pos, &nal, &nl) == 1 && nal == b + 20 && nl == 2);
	CHECK(h264_next_nal(b, sizeof(b), &pos, &nal, &nl) == 0);
	pos = 0;
	CHECK(h264_next_nal(b, 4, &pos, &nal, &nl) == 0); /* a start code cut short */
}

static void sdp(void)
{
	static const uint8_t sps[] = {0x67, 0x4d, 0x40, 0x16}, pps[] = {0x68, 0xef, 0x3c, 0x80};
	rtp_h264_sdp_s s;

	CHECK(rtp_h264_sdp(sps, sizeof(sps), pps, sizeof(pps), &s) == 0);
	CHECK_STR(s.hs_plid, "4d4016");
	CHECK_STR(s.hs_sprop, "Z01AFg==,aO88gA==");
	CHECK(rtp_h264_sdp(pps, sizeof(pps), sps, sizeof(sps), &s) == -1); /* not an SPS first */
}

/* The JPEG a viewer sees, as the hub writes it. */
static size_t jpeg_of(encoder_sub_e sub, int shade, uint8_t *out, size_t cap)
{
	encoder_conf_s ec = {.ec_w = W,
	                     .ec_h = H,
	                     .ec_quality = 70,
	                     .ec_sub = sub,
	                     .ec_jfif_minor = 1,
	                     .ec_bands = 1};
	char err[128];
	encoder_s *enc = encoder_new(&ec, err, sizeof(err));
	picture_s pic;
	const uint8_t *data;
	size_t len = 0;

	if (enc == NULL || picture_alloc(&pic, W, H) != 0)
		return 0;
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			pic.pic_y[y * W + x] = (uint8_t)((x + shade) ^ y);
	memset(pic.pic_u, 90, W / 2 * H / 2);
	memset(pic.pic_v, 170, W / 2 * H / 2);
	if (encoder_encode(enc, &pic, &data, &len, err, sizeof(err)) == 0 && len <= cap)
		memcpy(out, data, len);
	else
		len = 0;
	picture_release(&pic);
	encoder_free(enc);
	return len;
}

/* The NAL unit types of an access unit, as a string of letters (S P I p e). */
static void types(const uint8_t *au, size_t len, char *out, size_t cap)
{
	size_t pos = 0, nl, w = 0;
	const uint8_t *nal;

	while (w + 1 < cap && h264_next_nal(au, len, &pos, &nal, &nl)) {
		int t = nal[0] & 0x1f;
		out[w++] = t == 7   ? 'S'
		           : t == 8 ? 'P'
		           : t == 5 ? 'I'
		           : t == 1 ? 'p'
		           : t == 6 ? 'e'
		                    : '?';
	}
	out[w] = '\0';
}

static void encoder(void)
{
	static uint8_t jpeg[128 * 1024];
	const h264_conf_s hc = {.hc_w = W, .hc_h = H, .hc_fps = 10};
	uint8_t sps[H264_PARAM_MAX], pps[H264_PARAM_MAX];
	size_t sl, pl, len, al;
	const uint8_t *au;
	char err[256], t[16];
	rtp_h264_sdp_s s;
	h264_s *h;

	CHECK(h264_params(&hc, sps, &sl, pps, &pl, err, sizeof(err)) == 0);
	CHECK(sps[0] == 0x67 && sps[1] == 77); /* Main, as the ONVIF profile says */
	CHECK(rtp_h264_sdp(sps, sl, pps, pl, &s) == 0 && strncmp(s.hs_plid, "4d", 2) == 0);
	for (int sub = 0; sub < 2; sub++) {
		CHECK((h = h264_new(&hc, err, sizeof(err))) != NULL);
		if (h == NULL)
			return;
		for (int i = 0; i < 4; i++) {
			len = jpeg_of(sub ? ENCODER_422 : ENCODER_420, i, jpeg, sizeof(jpeg));
			CHECK(len > 0);
			CHECK(h264_encode(h, jpeg, len, 1000 + i * 100, i == 3, &au, &al, err,
			                  sizeof(err)) == 0);
			types(au, al, t, sizeof(t));
			/* an IDR with its parameter sets first and when asked, P between */
			if (i == 0 || i == 3) /* (x264 signs its first IDR in an SEI) */
				CHECK(strcmp(t, "SPI") == 0 || strcmp(t, "SPeI") == 0);
			else
				CHECK(strcmp(t, "p") == 0);
			/* the SPS in the stream is the one the SDP names */
			if (i == 0)
				CHECK(al > 4 + sl && memcmp(au + 4, sps, sl) == 0);
		}
		/* not a JPEG, or a JPEG of another size: refused, the encoder still there */
		CHECK(h264_encode(h, (const uint8_t *)"nope", 4, 2000, 0, &au, &al, err,
		                  sizeof(err)) == -1);
		h264_free(h);
	}
	h264_free(NULL);
	h264_conf_s bad = {.hc_w = 15, .hc_h = H, .hc_fps = 10};
	CHECK(h264_new(&bad, err, sizeof(err)) == NULL && err[0] != '\0');
}

int main(void)
{
	nal_split();
	packetizer();
	sdp();
	encoder();
	return check_report();
}

/* test_rtp: JPEG over RTP (RFC 2435) from the encoder's own frames: headers, fragments that put the
 * scan back together, the tables in the first packet only, the marker on the last; what it refuses;
 * RTCP SRs. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "encoder.h"
#include "picture.h"
#include "rtp.h"
#include "rtpout.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A frame as the encoder writes it for the persona: 4:2:0 or 4:2:2, in bands. */
static size_t encode(encoder_sub_e sub, uint8_t *out, size_t cap)
{
	encoder_conf_s ec = {.ec_w = 320,
	                     .ec_h = 240,
	                     .ec_quality = 70,
	                     .ec_sub = sub,
	                     .ec_jfif_minor = 1,
	                     .ec_bands = 1};
	char err[128];
	encoder_s *enc = encoder_new(&ec, err, sizeof(err));
	picture_s pic;
	const uint8_t *data;
	size_t len = 0;

	if (enc == NULL || picture_alloc(&pic, 320, 240) != 0)
		return 0;
	for (int y = 0; y < 240; y++)
		for (int x = 0; x < 320; x++)
			pic.pic_y[y * 320 + x] = (uint8_t)(x ^ y);
	memset(pic.pic_u, 90, 160 * 120);
	memset(pic.pic_v, 170, 160 * 120);
	if (encoder_encode(enc, &pic, &data, &len, err, sizeof(err)) == 0 && len <= cap)
		memcpy(out, data, len);
	else
		len = 0;
	picture_release(&pic);
	encoder_free(enc);
	return len;
}

/* Walks the packets as a receiver would: 0 when they rebuild the scan. */
static int receive(const rtp_jpeg_s *j, const uint8_t *buf, size_t n, uint16_t seq0, uint32_t ts,
                   size_t mtu)
{
	size_t pos = 0, want_off = 0;
	uint16_t seq = seq0;

	while (pos < n) {
		const uint8_t *p = buf + pos + RTP_FRAMING, *q;
		size_t plen = (size_t)(buf[pos + 2] << 8 | buf[pos + 3]), hl = 12 + 8;
		if (buf[pos] != '$' || buf[pos + 1] != 2 || plen > mtu ||
		    pos + RTP_FRAMING + plen > n)
			return -1;
		if (p[0] != 0x80 || (p[1] & 0x7f) != 26 || (p[2] << 8 | p[3]) != seq++ ||
		    be32(p + 4) != ts || be32(p + 8) != 0xdeadbeef)
			return -2;
		q = p + 12;
		if ((be32(q) & 0xffffff) != want_off || q[4] != j->rj_type || q[5] != 255 ||
		    q[6] != 320 / 8 || q[7] != 240 / 8)
			return -3;
		if (q[4] & 64) {
			if ((q[8] << 8 | q[9]) != j->rj_dri)
				return -4;
			hl += 4;
		}
		if (want_off == 0) {
			const uint8_t *t = p + hl;
			if (t[0] != 0 || t[1] != 0 || (t[2] << 8 | t[3]) != 128 ||
			    memcmp(t + 4, j->rj_q[0], 64) != 0 ||
			    memcmp(t + 68, j->rj_q[1], 64) != 0)
				return -5;
			hl += 4 + 128;
		}
		if (memcmp(p + hl, j->rj_scan + want_off, plen - hl) != 0)
			return -6;
		want_off += plen - hl;
		pos += RTP_FRAMING + plen;
		if (((p[1] & 0x80) != 0) != (pos == n))
			return -7; /* the marker on the last packet only */
	}
	return want_off == j->rj_scan_len ? 0 : -8;
}

int main(void)
{
	static uint8_t jpeg[256 * 1024], out[512 * 1024];
	size_t len;
	rtp_jpeg_s j;

	for (int sub = 0; sub < 2; sub++) {
		len = encode(sub == 0 ? ENCODER_420 : ENCODER_422, jpeg, sizeof(jpeg));
		CHECK(len > 0);
		CHECK(rtp_jpeg_parse(jpeg, len, &j) == 0);
		CHECK(j.rj_w == 320 && j.rj_h == 240);
		CHECK(j.rj_type ==
		      (sub == 0 ? 65 : 64)); /* restart markers: one interval per band */
		CHECK(j.rj_dri == (sub == 0 ? 20 : 20 * 2)); /* MCUs per 16-row band */
		CHECK(j.rj_scan + j.rj_scan_len == jpeg + len - 2);

		rtp_sender_s s = {.rs_ssrc = 0xdeadbeef, .rs_seq = 65530};
		size_t n = rtp_jpeg_packets(&j, &s, 123456, 600, 2, out, sizeof(out));
		CHECK(n > 0);
		CHECK(receive(&j, out, n, 65530, 123456, 600) == 0);
		CHECK(s.rs_packets > 1 && s.rs_seq == (uint16_t)(65530 + s.rs_packets));
		/* too small a buffer: nothing written, nothing counted */
		rtp_sender_s s2 = {.rs_ssrc = 1};
		CHECK(rtp_jpeg_packets(&j, &s2, 1, 600, 2, out, 700) == 0 && s2.rs_packets == 0 &&
		      s2.rs_seq == 0);
		CHECK(rtp_jpeg_packets(&j, &s2, 1, 100, 2, out, sizeof(out)) ==
		      0); /* no room for the tables */
	}

	/* what RFC 2435 cannot carry, or not a JPEG at all */
	len = encode(ENCODER_420, jpeg, sizeof(jpeg));
	CHECK(rtp_jpeg_parse(jpeg, len - 1, &j) == -1); /* no EOI */
	CHECK(rtp_jpeg_parse(jpeg, 3, &j) == -1);
	for (size_t i = 2; i + 1 < len; i++) {
		if (jpeg[i] == 0xff && jpeg[i + 1] == 0xc0) {
			jpeg[i + 1] = 0xc2; /* progressive */
			CHECK(rtp_jpeg_parse(jpeg, len, &j) == -1);
			jpeg[i + 1] = 0xc0;
			break;
		}
	}
	for (size_t cut = 4; cut < 700 && cut < len; cut += 7) {
		/* every truncation of the headers, EOI kept: refused or within the input */
		uint8_t t[704];
		memcpy(t, jpeg, cut);
		t[cut] = 0xff;
		t[cut + 1] = 0xd9;
		if (rtp_jpeg_parse(t, cut + 2, &j) == 0)
			CHECK(j.rj_scan >= t && j.rj_scan + j.rj_scan_len <= t + cut);
	}

	/* a sender report with its SDES, behind the RTCP channel's header */
	{
		rtp_sender_s s = {.rs_ssrc = 0x01020304, .rs_packets = 77, .rs_octets = 9999};
		uint64_t ntp = rtp_ntp(1610375680123);
		size_t n = rtp_sender_report(&s, ntp, 4242, "localhost", 3, out, sizeof(out));
		CHECK(n == 4 + 28 + 20);
		CHECK(out[0] == '$' && out[1] == 3 && (out[2] << 8 | out[3]) == 48);
		CHECK(out[4] == 0x80 && out[5] == 200 && be32(out + 8) == 0x01020304);
		CHECK(be32(out + 12) == 1610375680u + 2208988800u);
		CHECK(be32(out + 20) == 4242 && be32(out + 24) == 77 && be32(out + 28) == 9999);
		CHECK(out[32] == 0x81 && out[33] == 202 && (out[34] << 8 | out[35]) == 4 &&
		      out[40] == 1 && out[41] == 9 && memcmp(out + 42, "localhost", 9) == 0);
		CHECK(rtp_sender_report(&s, ntp, 1, "localhost", 3, out, 40) == 0);
	}
	/* the UDP rate caps: a token bucket of packets that never lends */
	{
		rtpout_bucket_s b;
		rtpout_bucket_init(&b, 1000, 100);
		CHECK(rtpout_bucket_take(&b, 60, 1000) == 1);
		CHECK(rtpout_bucket_take(&b, 60, 1000) ==
		      0); /* 40 left: a frame is sent whole or not at all */
		CHECK(rtpout_bucket_take(&b, 40, 1000) == 1);
		CHECK(rtpout_bucket_take(&b, 1, 1000) == 0);
		CHECK(rtpout_bucket_take(&b, 50, 1050) == 1);  /* 50 ms at 1000/s */
		CHECK(rtpout_bucket_take(&b, 101, 9000) == 0); /* never more than the burst */
		CHECK(rtpout_bucket_take(&b, 100, 9000) == 1);
		CHECK(rtpout_bucket_take(&b, 1, 8000) == 0); /* time going back gives nothing */
	}
	return check_report();
}

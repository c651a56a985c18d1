/* fuzz_rtsp: the RTSP server's request parser, its session steps (SETUP, PLAY, PAUSE,
 * GET_PARAMETER, TEARDOWN), the Transport header, the codec a path plays and its answers on
 * arbitrary bytes, pipelined and interleaved with binary frames as a session reads them; the
 * H.264 packetizer on the same bytes as an access unit. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "persona.h"
#include "rtpout.h"
#include "rtsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const persona_rtsp_s *voices[] = {persona_find("axis")->pe_rtsp,
	                                  persona_find("hikvision")->pe_rtsp};
	char out[4096];
	size_t off = 0;
	rtsp_state_s st[2];
	static const rtp_h264_sdp_s hs = {"4d4016", "Z01AFg==,aO88gA=="};
	const rtsp_env_s env = {.en_w = 640,
	                        .en_h = 480,
	                        .en_fps = 15,
	                        .en_random = {7, 9},
	                        .en_seq = 1,
	                        .en_rtptime = 2,
	                        .en_udp = (int)(size & 1),
	                        .en_h264 = (size & 2) ? &hs : NULL};
	static uint8_t pk[RTPOUT_MAX];
	rtp_sender_s snd = {.rs_ssrc = 1};
	size_t pn = rtp_h264_packets(data, size, &snd, 0, 600, 0, pk, sizeof(pk));

	/* every packet framed, within the MTU, inside what was written */
	for (size_t p = 0; p < pn;) {
		size_t l = (size_t)(pk[p + 2] << 8 | pk[p + 3]);
		if (pk[p] != '$' || l > 600 || l < 13 || p + 4 + l > pn)
			__builtin_trap();
		p += 4 + l;
	}
	memset(st, 0, sizeof(st));
	while (off < size) {
		rtsp_req_s rq;
		long il = rtsp_interleaved(data + off, size - off);

		if (il < 0)
			break;
		if (il > 0) {
			if (il < 4 || il > 65539)
				__builtin_trap();
			if ((size_t)il > size - off)
				break;
			off += (size_t)il; /* a client's RTCP, skipped */
			continue;
		}
		rtsp_parse_e pr = rtsp_parse(data + off, size - off, &rq);

		if (pr == RTSP_NEED)
			break;
		if (pr == RTSP_BAD) {
			/* what the parser kept must lie inside the input */
			if (rq.rr_cseq != NULL &&
			    ((const uint8_t *)rq.rr_cseq < data + off ||
			     (const uint8_t *)rq.rr_cseq + rq.rr_cseq_len > data + size))
				__builtin_trap();
			break;
		}
		if (rq.rr_head_len == 0 || rq.rr_head_len > RTSP_HEAD_MAX ||
		    rq.rr_body_len > RTSP_BODY_MAX || rq.rr_cseq_len > RTSP_CSEQ_MAX ||
		    (const uint8_t *)rq.rr_uri + rq.rr_uri_len > data + size)
			__builtin_trap();
		/* no CR, LF or other control byte can reach an answer's header from the request */
		for (size_t i = 0; i < rq.rr_uri_len; i++)
			if (rq.rr_uri[i] == '\r' || rq.rr_uri[i] == '\n' || rq.rr_uri[i] == ' ')
				__builtin_trap();
		for (size_t i = 0; i < rq.rr_cseq_len; i++)
			if ((uint8_t)rq.rr_cseq[i] < 0x20 || rq.rr_cseq[i] == 0x7f)
				__builtin_trap();
		if (rq.rr_transport != NULL) {
			rtsp_transport_s tr;
			if (rtsp_transport_parse(rq.rr_transport, rq.rr_transport_len, &tr) == 0 &&
			    (tr.tr_channel < 0 || tr.tr_channel > 254 ||
			     (!tr.tr_tcp && (tr.tr_client_port <= 0 || tr.tr_client_port > 65534))))
				__builtin_trap();
		}
		(void)rtsp_route(voices[off & 1], rq.rr_uri, rq.rr_uri_len);
		rtsp_codec_e codec = rtsp_codec(voices[off & 1], rq.rr_uri, rq.rr_uri_len);
		if (codec != RTSP_CODEC_JPEG && codec != RTSP_CODEC_H264)
			__builtin_trap();
		rtsp_effect_e eff;
		rtsp_state_s *s = &st[off & 1];
		rtsp_answer_e got =
		    rtsp_step(s, voices[off & 1], &rq, (int)((off >> 1) & 1), &env, &eff);
		/* the state machine's invariants: a session id exactly when set up, effects that
		 * match */
		if ((s->st_phase == RTSP_PHASE_INIT) != (s->st_session[0] == '\0') ||
		    strnlen(s->st_session, sizeof(s->st_session)) >= sizeof(s->st_session) ||
		    (eff == RTSP_DO_PLAY && s->st_phase != RTSP_PHASE_PLAYING) ||
		    (eff == RTSP_DO_STOP && s->st_phase != RTSP_PHASE_INIT) ||
		    (got != RTSP_ANSWER_SETUP && got != RTSP_ANSWER_PLAY &&
		     got != RTSP_ANSWER_PAUSE && got != RTSP_ANSWER_TEARDOWN &&
		     eff != RTSP_DO_NOTHING) ||
		    (s->st_phase != RTSP_PHASE_INIT && !s->st_tr.tr_tcp && !env.en_udp) ||
		    (s->st_codec == RTSP_CODEC_H264 && env.en_h264 == NULL))
			__builtin_trap();
		for (int a = RTSP_ANSWER_BAD; a <= RTSP_ANSWER_TRANSPORT; a++) {
			size_t n = rtsp_answer(voices[off & 1], &rq, (rtsp_answer_e)a, s, &env,
			                       "0123456789abcdef0123456789abcdef",
			                       " Mon, Jan 11 2021 14:34:40 GMT", out, sizeof(out));
			if (n > sizeof(out))
				__builtin_trap();
			/* every head ends with its blank line (DESCRIBE's body follows it) */
			if (n > 0 && a != RTSP_ANSWER_DESCRIBE &&
			    (n < 4 || memcmp(out + n - 4, "\r\n\r\n", 4) != 0))
				__builtin_trap();
		}
		if (rq.rr_head_len + rq.rr_body_len > size - off)
			break; /* the body is not all here */
		off += rq.rr_head_len + rq.rr_body_len;
	}
	return 0;
}

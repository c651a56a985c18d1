/* test_rtsp: the RTSP server's request parser, its session steps and its answers, byte for byte in
 * each persona's voice, and the in-memory check that decides whether a credential gets the SDP. */
#include <string.h>

#include "check.h"
#include "login.h"
#include "persona.h"
#include "rtsp.h"

static rtsp_parse_e parse(const char *s, rtsp_req_s *rq)
{
	return rtsp_parse((const uint8_t *)s, strlen(s), rq);
}

static int field(const char *p, size_t n, const char *want)
{
	return p != NULL && n == strlen(want) && memcmp(p, want, n) == 0;
}

static const rtsp_env_s env = {.en_w = 640,
                               .en_h = 480,
                               .en_fps = 15,
                               .en_random = {0x1234abcd, 0x6b8b4567},
                               .en_seq = 20731,
                               .en_rtptime = 3507331016u};

static const char *answer_in(const char *persona, const char *req, rtsp_answer_e a,
                             const char *date, const rtsp_state_s *st)
{
	static char out[4096];
	static const rtsp_state_s none;
	rtsp_req_s rq;
	size_t n;

	memset(out, 0, sizeof(out));
	if (rtsp_parse((const uint8_t *)req, strlen(req), &rq) != RTSP_OK)
		return "(unparsed)";
	n = rtsp_answer(persona_find(persona)->pe_rtsp, &rq, a, st != NULL ? st : &none, &env,
	                "0123456789abcdef0123456789abcdef", date, out, sizeof(out) - 1);
	out[n] = '\0';
	return out;
}

static const char *answer(const char *persona, const char *req, rtsp_answer_e a, const char *date)
{
	return answer_in(persona, req, a, date, NULL);
}

/* One request stepped through a session: its answer, and *eff what the sender does. */
static rtsp_answer_e step(rtsp_state_s *st, const char *persona, const char *req, int authorized,
                          rtsp_effect_e *eff)
{
	rtsp_req_s rq;
	rtsp_effect_e e;

	if (rtsp_parse((const uint8_t *)req, strlen(req), &rq) != RTSP_OK)
		return RTSP_ANSWER_BAD;
	return rtsp_step(st, persona_find(persona)->pe_rtsp, &rq, authorized, &env,
	                 eff != NULL ? eff : &e);
}

static int transport(const char *v, rtsp_transport_s *tr)
{
	return rtsp_transport_parse(v, strlen(v), tr);
}

/* what clients send */
static void parse_requests(void)
{
	rtsp_req_s rq;
	char big[RTSP_HEAD_MAX + 64];

	CHECK(parse("OPTIONS rtsp://h/ RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: Lavf59.27.100\r\n\r\n",
	            &rq) == RTSP_OK);
	CHECK(field(rq.rr_method, rq.rr_method_len, "OPTIONS") &&
	      field(rq.rr_uri, rq.rr_uri_len, "rtsp://h/") &&
	      field(rq.rr_version, rq.rr_version_len, "RTSP/1.0") &&
	      field(rq.rr_cseq, rq.rr_cseq_len, "1") &&
	      field(rq.rr_ua, rq.rr_ua_len, "Lavf59.27.100") && rq.rr_auth == NULL &&
	      rq.rr_body_len == 0);
	CHECK(rq.rr_head_len ==
	      strlen("OPTIONS rtsp://h/ RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: Lavf59.27.100\r\n\r\n"));
	CHECK(parse("OPTIONS / RTSP/1.0\r\n\r\n", &rq) == RTSP_OK && rq.rr_cseq == NULL);
	CHECK(parse("OPTIONS / RTSP/1.0\n\n", &rq) == RTSP_OK && rq.rr_head_len == 20);
	CHECK(
	    parse("DESCRIBE rtsp://h/x RTSP/1.0\r\ncseq:  7 \r\nauthorization: Basic YTpi\r\n\r\n",
	          &rq) == RTSP_OK &&
	    field(rq.rr_cseq, rq.rr_cseq_len, "7") &&
	    field(rq.rr_auth, rq.rr_auth_len, "Basic YTpi"));
	CHECK(parse("ANNOUNCE rtsp://h/ RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 12\r\n\r\nv=0\r\n",
	            &rq) == RTSP_OK &&
	      rq.rr_body_len == 12);
	/* nmap's SIP probe: Hikvision answers it, CSeq and all */
	CHECK(parse("OPTIONS sip:nm SIP/2.0\r\nVia: SIP/2.0/TCP nm;branch=foo\r\nCSeq: 42 "
	            "OPTIONS\r\n\r\n",
	            &rq) == RTSP_OK &&
	      field(rq.rr_cseq, rq.rr_cseq_len, "42 OPTIONS"));
	/* a CSeq is echoed at most RTSP_CSEQ_MAX bytes */
	memset(big, 0, sizeof(big));
	strcpy(big, "OPTIONS / RTSP/1.0\r\nCSeq: ");
	memset(big + strlen(big), '9', 200);
	strcat(big, "\r\n\r\n");
	CHECK(parse(big, &rq) == RTSP_OK && rq.rr_cseq_len == RTSP_CSEQ_MAX);
}

/* not yet complete; not RTSP, or too big */
static void parse_incomplete_or_bad(void)
{
	rtsp_req_s rq;
	char big[RTSP_HEAD_MAX + 64];

	CHECK(parse("OPTIONS / RTSP/1.0\r\nCSeq: 1\r\n", &rq) == RTSP_NEED);
	CHECK(parse("OPTI", &rq) == RTSP_NEED);
	CHECK(parse("", &rq) == RTSP_NEED);
	/* not RTSP, or too big */
	CHECK(parse("\x16\x03\x01\x02\x00\x01", &rq) == RTSP_BAD);
	CHECK(rtsp_parse((const uint8_t *)"$\0\0\x10", 4, &rq) == RTSP_BAD); /* interleaved data */
	CHECK(parse("\r\n\r\n", &rq) == RTSP_BAD);
	CHECK(parse("OPTIONS  / RTSP/1.0\r\n\r\n", &rq) == RTSP_BAD);
	CHECK(parse("OPTIONS /\r\n\r\n", &rq) == RTSP_BAD);
	CHECK(parse("OPTIONS / RTSP/1.0 x\r\n\r\n", &rq) == RTSP_BAD);
	CHECK(parse("OPTIONS / RTSP/1.0\r\nno colon here\r\n\r\n", &rq) == RTSP_BAD);
	CHECK(parse("OPTIONS / RTSP/1.0\r\nContent-Length: 1x\r\n\r\n", &rq) == RTSP_BAD);
	/* a bare CR inside a header (the fuzzer's find: it would have been echoed in the CSeq) */
	CHECK(parse("DESCRIBE / RTSP/1.0\r\nCSeq: 2\rX-Injected: 1\r\n\r\n", &rq) == RTSP_BAD);
	CHECK(parse("DESCRIBE / RTSP/1.0\r\nCSeq: 2\x1b[31m\r\n\r\n", &rq) == RTSP_BAD);
	CHECK(rtsp_parse((const uint8_t *)"OPTIONS / RTSP/1.0\r\nX: a\0b\r\n\r\n", 30, &rq) ==
	      RTSP_BAD);
	CHECK(parse("OPTIONS / RTSP/1.0\r\nContent-Length: 4097\r\n\r\n", &rq) == RTSP_BAD);
	CHECK(parse("OPTIONS / RTSP/1.0\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", &rq) ==
	      RTSP_BAD);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "OPTIONS /", 9);
	CHECK(parse(big, &rq) == RTSP_BAD);
}

/* interleaved frames (a client's RTCP) between requests */
static void interleaved(void)
{
	CHECK(rtsp_interleaved((const uint8_t *)"$\1\0\x20", 4) == 36);
	CHECK(rtsp_interleaved((const uint8_t *)"$\1", 2) == -1);
	CHECK(rtsp_interleaved((const uint8_t *)"OPTIONS", 7) == 0);
}

/* Transport: TCP interleaved preferred, UDP to the peer's own ports, never multicast or
 * elsewhere */
static void transports(void)
{
	rtsp_transport_s tr;
	CHECK(transport("RTP/AVP/TCP;unicast;interleaved=0-1", &tr) == 0 && tr.tr_tcp == 1 &&
	      tr.tr_channel == 0);
	CHECK(transport("RTP/AVP/TCP;unicast;interleaved=2-3", &tr) == 0 && tr.tr_channel == 2);
	CHECK(transport("RTP/AVP;unicast;client_port=5000-5001", &tr) == 0 && tr.tr_tcp == 0 &&
	      tr.tr_client_port == 5000);
	CHECK(transport("RTP/AVP;unicast;client_port=5000-5001,RTP/AVP/TCP;interleaved=4-5", &tr) ==
	          0 &&
	      tr.tr_tcp == 1 && tr.tr_channel == 4);
	CHECK(transport("RTP/AVP;multicast;client_port=5000-5001", &tr) == -1);
	CHECK(transport("RTP/AVP;unicast;destination=192.0.2.7;client_port=5000-5001", &tr) == -1);
	CHECK(transport("RTP/AVP;unicast", &tr) == -1); /* UDP with nowhere to send */
	CHECK(transport("RTP/AVP;unicast;client_port=0-1", &tr) == -1);
	CHECK(transport("RTP/AVP;unicast;client_port=99999-100000", &tr) == -1);
	CHECK(transport("RTP/AVP/TCP;interleaved=255-256", &tr) == -1);
	CHECK(transport("RAW/RAW/UDP;unicast", &tr) == -1);
	CHECK(transport("", &tr) == -1);
}

/* routes: only the firmware's stream paths */
static void routes(void)
{
	const persona_rtsp_s *hv = persona_find("hikvision")->pe_rtsp,
	                     *ax = persona_find("axis")->pe_rtsp;
#define ROUTE(v, u) rtsp_route(v, u, strlen(u))
	CHECK(ROUTE(hv, "rtsp://10.0.0.5:554/Streaming/Channels/101") == 1);
	CHECK(ROUTE(hv, "rtsp://h/Streaming/channels/102/") == 1);
	CHECK(ROUTE(hv, "rtsp://h/Streaming/Channels/101/trackID=1") == 1);
	CHECK(ROUTE(hv, "/h264/ch1/main/av_stream") == 1);
	CHECK(ROUTE(hv, "rtsp://h/Streaming/Channels/103") == 0);
	CHECK(ROUTE(hv, "rtsp://h/live.sdp") == 0);
	CHECK(ROUTE(hv, "rtsp://h/") == 0);
	CHECK(ROUTE(hv, "rtsp://h") == 0);
	CHECK(ROUTE(hv, "*") == 0);
	CHECK(ROUTE(ax, "rtsp://h/axis-media/media.amp?videocodec=jpeg&resolution=640x480") == 1);
	CHECK(ROUTE(ax, "rtsp://h/axis-media/media.amp?videocodec=jpeg/trackID=1") == 1);
	CHECK(ROUTE(ax, "rtsp://h/Streaming/Channels/101") == 0);
#undef ROUTE
}

/* a session as firmware steps it */
static void session_steps(void)
{
	rtsp_state_s st;
	rtsp_effect_e eff;
	const char *setup =
	    "SETUP rtsp://h/Streaming/Channels/101/trackID=1 RTSP/1.0\r\nCSeq: 3\r\n"
	    "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n";
	memset(&st, 0, sizeof(st));
	CHECK(step(&st, "hikvision", "OPTIONS / RTSP/1.0\r\n\r\n", 0, NULL) == RTSP_ANSWER_OPTIONS);
	CHECK(step(&st, "hikvision", "DESCRIBE rtsp://h/Streaming/Channels/101 RTSP/1.0\r\n\r\n", 0,
	           NULL) == RTSP_ANSWER_CHALLENGE);
	CHECK(step(&st, "hikvision", "DESCRIBE rtsp://h/Streaming/Channels/101 RTSP/1.0\r\n\r\n", 1,
	           NULL) == RTSP_ANSWER_DESCRIBE);
	/* a path the camera has not: 404, with or without credentials */
	CHECK(step(&st, "hikvision", "DESCRIBE rtsp://h/live.sdp RTSP/1.0\r\n\r\n", 0, NULL) ==
	      RTSP_ANSWER_NOT_FOUND);
	CHECK(step(&st, "hikvision", "describe rtsp://h/Streaming/Channels/101 RTSP/1.0\r\n\r\n", 1,
	           NULL) == RTSP_ANSWER_STATE);
	CHECK(step(&st, "hikvision", "PLAY rtsp://h/Streaming/Channels/101 RTSP/1.0\r\n\r\n", 1,
	           NULL) == RTSP_ANSWER_STATE);
	CHECK(step(&st, "hikvision", setup, 0, NULL) == RTSP_ANSWER_CHALLENGE &&
	      st.st_phase == RTSP_PHASE_INIT);
	CHECK(step(&st, "hikvision",
	           "SETUP rtsp://h/Streaming/Channels/101/trackID=1 RTSP/1.0\r\nTransport: "
	           "RTP/AVP;multicast\r\n\r\n",
	           1, NULL) == RTSP_ANSWER_TRANSPORT);
	/* UDP while the listener serves none: 461, and the client falls back to TCP */
	CHECK(step(&st, "hikvision",
	           "SETUP rtsp://h/Streaming/Channels/101/trackID=1 RTSP/1.0\r\nTransport: "
	           "RTP/AVP;unicast;client_port=5000-5001\r\n\r\n",
	           1, NULL) == RTSP_ANSWER_TRANSPORT);
	CHECK(step(&st, "hikvision", setup, 1, &eff) == RTSP_ANSWER_SETUP &&
	      eff == RTSP_DO_NOTHING && st.st_phase == RTSP_PHASE_READY);
	CHECK_STR(st.st_session, "405441741"); /* 0x1234abcd % 2e9 + 1e8 */
	CHECK_STR(
	    answer_in("hikvision", setup, RTSP_ANSWER_SETUP, " Wed, Dec 02 2026 18:22:36 GMT", &st),
	    "RTSP/1.0 200 OK\r\nCSeq: 3\r\nSession:       405441741;timeout=60\r\n"
	    "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=6b8b4567;mode=\"play\"\r\n"
	    "Date:  Wed, Dec 02 2026 18:22:36 GMT\r\n\r\n");
	CHECK(step(&st, "hikvision", "PLAY rtsp://h/Streaming/Channels/101/ RTSP/1.0\r\n\r\n", 1,
	           NULL) == RTSP_ANSWER_SESSION); /* no Session: not this one */
	CHECK(step(&st, "hikvision",
	           "PLAY rtsp://h/Streaming/Channels/101/ RTSP/1.0\r\nSession: 12345\r\n\r\n", 1,
	           NULL) == RTSP_ANSWER_SESSION);
	const char *play = "PLAY rtsp://h/Streaming/Channels/101/ RTSP/1.0\r\nCSeq: 4\r\n"
	                   "Session: 405441741\r\n\r\n";
	CHECK(step(&st, "hikvision", play, 1, &eff) == RTSP_ANSWER_PLAY && eff == RTSP_DO_PLAY &&
	      st.st_phase == RTSP_PHASE_PLAYING);
	CHECK_STR(answer_in("hikvision", play, RTSP_ANSWER_PLAY, "", &st),
	          "RTSP/1.0 200 OK\r\nCSeq: 4\r\nSession:       405441741\r\nRange: "
	          "npt=0.000-\r\n"
	          "RTP-Info: "
	          "url=rtsp://h/Streaming/Channels/101/trackID=1;seq=20731;rtptime=3507331016"
	          "\r\n\r\n");
	CHECK(step(&st, "hikvision", play, 1, &eff) == RTSP_ANSWER_PLAY && eff == RTSP_DO_NOTHING);
	CHECK(step(&st, "hikvision",
	           "GET_PARAMETER rtsp://h/Streaming/Channels/101/ RTSP/1.0\r\n"
	           "Session: 405441741;timeout=60\r\n\r\n",
	           1, &eff) == RTSP_ANSWER_PARAMETER &&
	      eff == RTSP_DO_NOTHING);
	CHECK(step(&st, "hikvision", setup, 1, &eff) == RTSP_ANSWER_STATE);
	CHECK(step(&st, "hikvision",
	           "PAUSE rtsp://h/Streaming/Channels/101/ RTSP/1.0\r\nSession: "
	           "405441741\r\n\r\n",
	           1, &eff) == RTSP_ANSWER_PAUSE &&
	      eff == RTSP_DO_PAUSE && st.st_phase == RTSP_PHASE_READY);
	CHECK(step(&st, "hikvision", play, 1, &eff) == RTSP_ANSWER_PLAY && eff == RTSP_DO_PLAY);
	CHECK(step(&st, "hikvision",
	           "TEARDOWN rtsp://h/Streaming/Channels/101/ RTSP/1.0\r\nSession: "
	           "405441741\r\n\r\n",
	           1, &eff) == RTSP_ANSWER_TEARDOWN &&
	      eff == RTSP_DO_STOP && st.st_phase == RTSP_PHASE_INIT && st.st_session[0] == '\0');
	CHECK(step(&st, "hikvision", play, 1, &eff) == RTSP_ANSWER_SESSION &&
	      eff == RTSP_DO_NOTHING);
}

/* UDP where the listener serves it: to the client_port asked for, from the listener's ports */
static void session_udp(void)
{
	rtsp_state_s st;
	rtsp_env_s udp = env;
	rtsp_req_s urq;
	rtsp_effect_e eff;
	char out[1024];
	const char *setup =
	    "SETUP rtsp://h/Streaming/Channels/101/trackID=1 RTSP/1.0\r\nCSeq: 3\r\n"
	    "Transport: RTP/AVP;unicast;client_port=5000-5001\r\n\r\n";
	memset(&st, 0, sizeof(st));
	udp.en_udp = 1;
	udp.en_server_port[0] = 8218;
	udp.en_server_port[1] = 8219;
	CHECK(rtsp_parse((const uint8_t *)setup, strlen(setup), &urq) == RTSP_OK);
	CHECK(rtsp_step(&st, persona_find("hikvision")->pe_rtsp, &urq, 1, &udp, &eff) ==
	          RTSP_ANSWER_SETUP &&
	      st.st_tr.tr_tcp == 0 && st.st_tr.tr_client_port == 5000);
	size_t n = rtsp_answer(persona_find("hikvision")->pe_rtsp, &urq, RTSP_ANSWER_SETUP, &st,
	                       &udp, "", "", out, sizeof(out) - 1);
	out[n] = '\0';
	CHECK_STR(out, "RTSP/1.0 200 OK\r\nCSeq: 3\r\nSession:       405441741;timeout=60\r\n"
	               "Transport: "
	               "RTP/AVP;unicast;client_port=5000-5001;server_port=8218-8219;ssrc=6b8b4567;"
	               "mode=\"play\"\r\n\r\n");
	/* a session keeps its transport: a second SETUP asking for TCP is not valid */
	const char *tcp = "SETUP rtsp://h/Streaming/Channels/101/trackID=1 "
	                  "RTSP/1.0\r\nSession: 405441741\r\n"
	                  "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n";
	CHECK(rtsp_parse((const uint8_t *)tcp, strlen(tcp), &urq) == RTSP_OK);
	CHECK(rtsp_step(&st, persona_find("hikvision")->pe_rtsp, &urq, 1, &udp, &eff) ==
	          RTSP_ANSWER_STATE &&
	      st.st_tr.tr_tcp == 0);
}

/* Axis writes its ids in hex, with a space before the timeout */
static void session_axis_ids(void)
{
	rtsp_state_s st;
	const char *setup =
	    "SETUP rtsp://h/axis-media/media.amp/trackID=1?videocodec=jpeg RTSP/1.0\r\n"
	    "CSeq: 3\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n";
	memset(&st, 0, sizeof(st));
	CHECK(step(&st, "axis", setup, 1, NULL) == RTSP_ANSWER_SETUP);
	CHECK_STR(answer_in("axis", setup, RTSP_ANSWER_SETUP, "", &st),
	          "RTSP/1.0 200 OK\r\nCSeq: 3\r\nSession: 1234ABCD; timeout=60\r\n"
	          "Transport: "
	          "RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=6B8B4567;mode=\"PLAY\"\r\n\r\n");
}

/* the bytes: nmap's matchers (Axis rtspd; Hikvision's answer to a SIP OPTIONS) */
/* H.264 where the firmware streams it; Axis's videocodec=jpeg (or past the
 * encoders' cap: no en_h264) plays JPEG; the SDP carries the encoder's own
 * parameter sets and its profile-level-id */
static void h264_sdp(void)
{
	rtsp_req_s rq;

	{
		const persona_rtsp_s *hik = persona_find("hikvision")->pe_rtsp,
		                     *axis = persona_find("axis")->pe_rtsp;
		static const rtp_h264_sdp_s hs = {"4d4016", "Z01AFg==,aO88gA=="};
		rtsp_env_s e = env;
		rtsp_state_s st = {0};
		rtsp_effect_e eff;
#define URI(s) s, strlen(s)
		CHECK(rtsp_codec(hik, URI("rtsp://h/Streaming/Channels/101")) == RTSP_CODEC_H264);
		CHECK(rtsp_codec(axis, URI("/axis-media/media.amp")) == RTSP_CODEC_H264);
		CHECK(rtsp_codec(axis, URI("/axis-media/media.amp?videocodec=jpeg")) ==
		      RTSP_CODEC_JPEG);
		CHECK(rtsp_codec(axis,
		                 URI("/axis-media/media.amp?fps=5&videocodec=JPEG/trackID=1")) ==
		      RTSP_CODEC_JPEG);
		CHECK(rtsp_codec(axis, URI("/axis-media/media.amp?videocodec=h264&fps=5")) ==
		      RTSP_CODEC_H264);
		CHECK(rtsp_codec(axis, URI("/axis-media/media.amp?xvideocodec=jpeg")) ==
		      RTSP_CODEC_H264);
		CHECK(rtsp_codec(axis, URI("/axis-media/media.amp?videocodec=")) ==
		      RTSP_CODEC_JPEG);
		e.en_h264 = &hs;
		CHECK(parse("DESCRIBE rtsp://h/Streaming/Channels/102 "
		            "RTSP/1.0\r\nCSeq: 4\r\n\r\n",
		            &rq) == RTSP_OK);
		CHECK(rtsp_step(&st, hik, &rq, 1, &e, &eff) == RTSP_ANSWER_DESCRIBE &&
		      st.st_codec == RTSP_CODEC_H264);
		char out[4096];
		size_t n = rtsp_answer(hik, &rq, RTSP_ANSWER_DESCRIBE, &st, &e, "", "", out,
		                       sizeof(out) - 1);
		out[n] = '\0';
		CHECK(strstr(out, "m=video 0 RTP/AVP 96\r\n") != NULL &&
		      strstr(out, "a=x-dimensions:640,480\r\na=control:trackID=1\r\n"
		                  "a=rtpmap:96 H264/90000\r\n"
		                  "a=fmtp:96 profile-level-id=4d4016; packetization-mode=1; "
		                  "sprop-parameter-sets=Z01AFg==,aO88gA==\r\n") != NULL &&
		      strstr(out, "a=framerate:15\r\n") != NULL && strstr(out, "JPEG") == NULL);
		/* no encoder's place: the same DESCRIBE gets JPEG */
		e.en_h264 = NULL;
		CHECK(rtsp_step(&st, hik, &rq, 1, &e, &eff) == RTSP_ANSWER_DESCRIBE &&
		      st.st_codec == RTSP_CODEC_JPEG);
		n = rtsp_answer(hik, &rq, RTSP_ANSWER_DESCRIBE, &st, &e, "", "", out,
		                sizeof(out) - 1);
		out[n] = '\0';
		CHECK(strstr(out, "a=rtpmap:26 JPEG/90000\r\n") != NULL &&
		      strstr(out, "H264") == NULL);
		/* once set up, a session keeps its codec */
		e.en_h264 = &hs;
		CHECK(parse("SETUP rtsp://h/Streaming/Channels/102/trackID=1 "
		            "RTSP/1.0\r\nTransport: RTP/AVP/TCP;interleaved=0-1"
		            "\r\n\r\n",
		            &rq) == RTSP_OK);
		CHECK(rtsp_step(&st, hik, &rq, 1, &e, &eff) == RTSP_ANSWER_SETUP &&
		      st.st_codec == RTSP_CODEC_JPEG);
		CHECK(parse("DESCRIBE rtsp://h/Streaming/Channels/102 "
		            "RTSP/1.0\r\nCSeq: 4\r\n\r\n",
		            &rq) == RTSP_OK);
		CHECK(rtsp_step(&st, hik, &rq, 1, &e, &eff) == RTSP_ANSWER_DESCRIBE &&
		      st.st_codec == RTSP_CODEC_JPEG);
		/* a SETUP with no DESCRIBE before it chooses */
		memset(&st, 0, sizeof(st));
		CHECK(parse("SETUP rtsp://h/Streaming/Channels/102/trackID=1 "
		            "RTSP/1.0\r\nTransport: RTP/AVP/TCP;interleaved=0-1"
		            "\r\n\r\n",
		            &rq) == RTSP_OK);
		CHECK(rtsp_step(&st, hik, &rq, 1, &e, &eff) == RTSP_ANSWER_SETUP &&
		      st.st_codec == RTSP_CODEC_H264);
#undef URI
	}
}

static void answer_bytes(void)
{
	rtsp_req_s rq;

	CHECK_STR(answer("axis", "OPTIONS / RTSP/1.0\r\n\r\n", RTSP_ANSWER_OPTIONS, ""),
	          "RTSP/1.0 200 OK\r\nPublic: DESCRIBE, GET_PARAMETER, PAUSE, PLAY, SETUP, "
	          "SET_PARAMETER, "
	          "TEARDOWN\r\n\r\n");
	CHECK_STR(answer("hikvision", "OPTIONS sip:nm SIP/2.0\r\nCSeq: 42 OPTIONS\r\n\r\n",
	                 RTSP_ANSWER_OPTIONS, " Wed, Dec 02 2026 18:22:36 GMT"),
	          "RTSP/1.0 200 OK\r\nCSeq: 42 OPTIONS\r\nPublic: OPTIONS, DESCRIBE, PLAY, PAUSE, "
	          "SETUP, TEARDOWN, "
	          "SET_PARAMETER, GET_PARAMETER\r\nDate:  Wed, Dec 02 2026 18:22:36 GMT\r\n\r\n");
	CHECK_STR(answer("hikvision",
	                 "DESCRIBE rtsp://h/Streaming/Channels/101 RTSP/1.0\r\nCSeq: 2\r\n\r\n",
	                 RTSP_ANSWER_CHALLENGE, " Wed, Dec 02 2026 18:22:36 GMT"),
	          "RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\n"
	          "WWW-Authenticate: Digest realm=\"IP Camera(C6269)\", "
	          "nonce=\"0123456789abcdef0123456789abcdef\", "
	          "stale=\"FALSE\"\r\n"
	          "WWW-Authenticate: Basic realm=\"IP Camera(C6269)\"\r\n"
	          "Date:  Wed, Dec 02 2026 18:22:36 GMT\r\n\r\n");
	CHECK_STR(answer("axis",
	                 "DESCRIBE rtsp://h/axis-media/media.amp RTSP/1.0\r\nCSeq: 3\r\n\r\n",
	                 RTSP_ANSWER_CHALLENGE, ""),
	          "RTSP/1.0 401 Unauthorized\r\nCSeq: 3\r\n"
	          "WWW-Authenticate: Digest realm=\"AXIS_ACCC8E4B21D7\", "
	          "nonce=\"0123456789abcdef0123456789abcdef\", "
	          "stale=FALSE\r\n"
	          "WWW-Authenticate: Basic realm=\"AXIS_ACCC8E4B21D7\"\r\n\r\n");
	{
		/* the SDP names the picture's real size and rate (the snapshot's) */
		const char *sdp = "v=0\r\n"
		                  "o=- 1109162014219182 1109162014219192 IN IP4 192.0.0.64\r\n"
		                  "s=Media Presentation\r\n"
		                  "e=NONE\r\n"
		                  "b=AS:5100\r\n"
		                  "t=0 0\r\n"
		                  "a=control:*\r\n"
		                  "m=video 0 RTP/AVP 26\r\n"
		                  "c=IN IP4 0.0.0.0\r\n"
		                  "b=AS:5000\r\n"
		                  "a=recvonly\r\n"
		                  "a=x-dimensions:640,480\r\n"
		                  "a=control:trackID=1\r\n"
		                  "a=rtpmap:26 JPEG/90000\r\n"
		                  "a=framerate:15\r\n"
		                  "a=appversion:1.0\r\n";
		char want[2048];
		snprintf(want, sizeof(want),
		         "RTSP/1.0 200 OK\r\nCSeq: 4\r\nContent-Type: application/sdp\r\n"
		         "Content-Base: rtsp://h/Streaming/Channels/101/\r\nContent-Length: "
		         "%zu\r\n\r\n%s",
		         strlen(sdp), sdp);
		CHECK_STR(
		    answer("hikvision",
		           "DESCRIBE rtsp://h/Streaming/Channels/101 RTSP/1.0\r\nCSeq: 4\r\n\r\n",
		           RTSP_ANSWER_DESCRIBE, ""),
		    want);
	}
	CHECK(strstr(answer("axis", "DESCRIBE rtsp://h/axis-media/media.amp RTSP/1.0\r\n\r\n",
	                    RTSP_ANSWER_DESCRIBE, ""),
	             "a=framerate:15.0\r\na=transform:1,0,0;0,1,0;0,0,1\r\na=control:trackID=1\r\n"
	             "a=rtpmap:26 JPEG/90000\r\na=x-dimensions:640,480\r\n") != NULL);
	CHECK_STR(answer("hikvision", "DESCRIBE rtsp://h/x RTSP/1.0\r\nCSeq: 5\r\n\r\n",
	                 RTSP_ANSWER_NOT_FOUND, ""),
	          "RTSP/1.0 404 Not Found\r\nCSeq: 5\r\n\r\n");
	/* an answer that does not fit is not written at all */
	{
		char small[40];
		CHECK(parse("OPTIONS / RTSP/1.0\r\n\r\n", &rq) == RTSP_OK &&
		      rtsp_answer(persona_find("hikvision")->pe_rtsp, &rq, RTSP_ANSWER_OPTIONS,
		                  &(rtsp_state_s){0}, &env, "", "", small, sizeof(small)) == 0);
	}
	/* the firmware's dates */
	{
		char d[48];
		rtsp_date(persona_find("hikvision")->pe_rtsp, 1610375680, d, sizeof(d));
		CHECK_STR(d, " Mon, Jan 11 2021 14:34:40 GMT");
		rtsp_date(persona_find("axis")->pe_rtsp, 1610375680, d, sizeof(d));
		CHECK_STR(d, "");
	}
	/* only two cameras have RTSP */
	CHECK(persona_find("panasonic")->pe_rtsp == NULL &&
	      persona_find("netwave")->pe_rtsp == NULL);
}

/* the in-memory check: the static credential, Basic and Digest */
static void static_credential(void)
{
	trap_s *t = trap_new(TRAP_STATIC, "viewer", "Sunset42!", NULL);
	authparse_cred_s c;
	authparse_digest_s d;
	const char *good = "Basic dmlld2VyOlN1bnNldDQyIQ==",
	           *bad = "Basic dmlld2VyOnN1bnNldDQyIQ==";
	/* ffmpeg's Digest for viewer:Sunset42! (realm and nonce as it was sent) */
	const char *dg = "Digest username=\"viewer\", realm=\"IP Camera(C6269)\", nonce=\"abc\", "
	                 "uri=\"rtsp://127.0.0.1:18555/x\", "
	                 "response=\"fe82cf5b6bba579f229c27dbe364b302\"";
	CHECK(t != NULL);
	CHECK(authparse_basic(good, strlen(good), &c) == 0 &&
	      login_accepts(t, &c, NULL, "DESCRIBE") == 1);
	CHECK(authparse_basic(bad, strlen(bad), &c) == 0 &&
	      login_accepts(t, &c, NULL, "DESCRIBE") == 0);
	CHECK(authparse_digest(dg, strlen(dg), &d) == 0 &&
	      login_accepts(t, NULL, &d, "DESCRIBE") == 1);
	CHECK(login_accepts(t, NULL, &d, "SETUP") == 0);
	CHECK(login_accepts(NULL, &c, NULL, "DESCRIBE") == 0);
	trap_free(t);
}

int main(void)
{
	RUN(parse_requests);
	RUN(parse_incomplete_or_bad);
	RUN(interleaved);
	RUN(transports);
	RUN(routes);
	RUN(session_steps);
	RUN(session_udp);
	RUN(session_axis_ids);
	RUN(answer_bytes);
	RUN(h264_sdp);
	RUN(static_credential);
	return check_report();
}

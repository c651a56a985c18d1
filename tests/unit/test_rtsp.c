/* test_rtsp: the RTSP trap's request parser and its answers, byte for byte in each persona's voice,
 * and the in-memory check that decides whether a credential gets the SDP. */
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

static const char *answer(const char *persona, const char *req, rtsp_answer_e a, const char *date)
{
	static char out[4096];
	rtsp_req_s rq;
	size_t n;

	memset(out, 0, sizeof(out));
	if (rtsp_parse((const uint8_t *)req, strlen(req), &rq) != RTSP_OK)
		return "(unparsed)";
	n = rtsp_answer(persona_find(persona)->pe_rtsp, &rq, a, "0123456789abcdef0123456789abcdef",
	                date, out, sizeof(out) - 1);
	out[n] = '\0';
	return out;
}

int main(void)
{
	rtsp_req_s rq;
	char big[RTSP_HEAD_MAX + 64];

	/* what clients send */
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

	/* not yet complete */
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

	/* what each request gets */
	CHECK(parse("OPTIONS / RTSP/1.0\r\n\r\n", &rq) == RTSP_OK &&
	      rtsp_decide(&rq, 0) == RTSP_ANSWER_OPTIONS);
	CHECK(parse("DESCRIBE / RTSP/1.0\r\n\r\n", &rq) == RTSP_OK &&
	      rtsp_decide(&rq, 0) == RTSP_ANSWER_CHALLENGE &&
	      rtsp_decide(&rq, 1) == RTSP_ANSWER_DESCRIBE);
	CHECK(parse("SETUP /t RTSP/1.0\r\n\r\n", &rq) == RTSP_OK &&
	      rtsp_decide(&rq, 0) == RTSP_ANSWER_CHALLENGE &&
	      rtsp_decide(&rq, 1) == RTSP_ANSWER_SETUP);
	CHECK(parse("PLAY / RTSP/1.0\r\n\r\n", &rq) == RTSP_OK &&
	      rtsp_decide(&rq, 1) == RTSP_ANSWER_STATE);
	CHECK(parse("describe / RTSP/1.0\r\n\r\n", &rq) == RTSP_OK &&
	      rtsp_decide(&rq, 1) == RTSP_ANSWER_STATE);

	/* the bytes: nmap's matchers (Axis rtspd; Hikvision's answer to a SIP OPTIONS) */
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
		const persona_rtsp_s *v = persona_find("hikvision")->pe_rtsp;
		char want[2048];
		snprintf(want, sizeof(want),
		         "RTSP/1.0 200 OK\r\nCSeq: 4\r\nContent-Type: application/sdp\r\n"
		         "Content-Base: rtsp://h/Streaming/Channels/101/\r\nContent-Length: "
		         "%zu\r\n\r\n%s",
		         strlen(v->pv_sdp), v->pv_sdp);
		CHECK_STR(
		    answer("hikvision",
		           "DESCRIBE rtsp://h/Streaming/Channels/101 RTSP/1.0\r\nCSeq: 4\r\n\r\n",
		           RTSP_ANSWER_DESCRIBE, ""),
		    want);
	}
	CHECK_STR(
	    answer("hikvision",
	           "SETUP rtsp://h/Streaming/Channels/101/trackID=1 RTSP/1.0\r\nCSeq: 5\r\n\r\n",
	           RTSP_ANSWER_SETUP, ""),
	    "RTSP/1.0 453 Not Enough Bandwidth\r\nCSeq: 5\r\n\r\n");
	/* an answer that does not fit is not written at all */
	{
		char small[40];
		CHECK(parse("OPTIONS / RTSP/1.0\r\n\r\n", &rq) == RTSP_OK &&
		      rtsp_answer(persona_find("hikvision")->pe_rtsp, &rq, RTSP_ANSWER_OPTIONS, "",
		                  "", small, sizeof(small)) == 0);
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

	/* the in-memory check: the static credential, Basic and Digest */
	{
		trap_s *t = trap_new(TRAP_STATIC, "viewer", "Sunset42!", NULL);
		authparse_cred_s c;
		authparse_digest_s d;
		const char *good = "Basic dmlld2VyOlN1bnNldDQyIQ==",
		           *bad = "Basic dmlld2VyOnN1bnNldDQyIQ==";
		/* ffmpeg's Digest for viewer:Sunset42! (realm and nonce as it was sent) */
		const char *dg =
		    "Digest username=\"viewer\", realm=\"IP Camera(C6269)\", nonce=\"abc\", "
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
	return check_report();
}
